"""`datakort review mark|unmark|list|history|export|import`: the DPO's review marks (docs/report.md).

The store keeps the marks and every decision about them; reviews.yaml beside the store is its
export, rewritten after each decision (reports/gaps/stored.py).
"""
from __future__ import annotations

import getpass
from contextlib import closing
from pathlib import Path

from datakort.common import add_db_option, future_date, load_reviews, open_store, reviews_path, scan_id_in
from reports.gaps.findings import finding_id
from reports.gaps.reviews import Target, gap_fingerprint
from reports.gaps.stored import decide, export_reviews, import_reviews, new_mark, remove_mark, stored_gaps


def _mark_fields(store, scan_id: int, thing_id: str) -> dict:
    """What a new mark records about the gap or finding with this id in a stored scan."""
    for gap in stored_gaps(store, scan_id):
        if gap.id == thing_id:
            return {"target": Target.GAP, "fingerprint": gap_fingerprint(gap),
                    "label": f"{gap.kind} {gap.location} ({', '.join(gap.categories)})"}
    for location, entity_type, masked, value_hash in store.finding_values(scan_id):  # a big scan is never held whole
        if finding_id(location, entity_type, value_hash) == thing_id:
            return {"target": Target.FINDING, "label": f"{entity_type} {masked} {location}"}
    raise LookupError(f"scan {scan_id} has no gap or finding with id {thing_id}; copy the id from the report "
                      "(the ID column)")


def review_command(args) -> int:
    """Run one `datakort review` action against the store's marks."""
    if args.action == "import" and not args.db.exists():
        raise LookupError(f"there is no findings store at {args.db}; run `datakort scan` first or give --db")
    with closing(open_store(args.db)) as store:
        export = reviews_path(args.reviews, args.db)
        reviews = load_reviews(store, args.reviews)
        if args.action == "list":
            for (target, thing_id), m in sorted(reviews.marks.items()):
                until = f" until {m.until}" if m.until else ""
                print(f"{target} {thing_id}: {m.status}{until}  {m.label}  {m.reason}".rstrip())
            return 0
        if args.action == "history":
            for d in store.decisions(args.id):
                print(f"{d.decided[:19]} {d.target} {d.target_id}: {d.status}  by {d.by or '?'}  ({d.source})"
                      f"  {d.data.get('reason', '')}".rstrip())
            return 0
        if args.action == "export":
            written = export_reviews(store, args.output or export)
            print(f"Wrote {len(reviews.marks)} mark(s) to {written}")
            return 0
        if args.action == "import":
            taken = import_reviews(store, args.file, by=getpass.getuser())
            export_reviews(store, export)
            print(f"Took {taken} mark(s) from {args.file} into the store; {export} rewritten")
            return 0
        if args.action == "unmark":
            gone = [k for k in reviews.marks if k[1] == args.id]
            if not gone:
                raise LookupError(f"the store {args.db} has no mark for {args.id}")
            for target, thing_id in gone:
                remove_mark(store, target, thing_id, by=args.by or getpass.getuser(), source="datakort review unmark")
            export_reviews(store, export)
            print(f"Removed the mark for {args.id} (the store keeps the history; {export} rewritten)")
            return 0
        fields = _mark_fields(store, scan_id_in(store, args.scan), args.id)
        mark = new_mark(fields["target"], args.id, args.status, args.reason, args.until, args.by,
                        fields.get("fingerprint"), fields["label"], "datakort review mark")
        decide(store, mark, "datakort review mark")
        export_reviews(store, export)
    print(f"Marked {mark.target} {mark.id} ({mark.label}) as {mark.status} in the store ({export} rewritten)")
    return 0


def add_parser(sub) -> None:
    p = sub.add_parser("review", help="mark a gap or finding as false positive, accepted or fixed")
    actions = p.add_subparsers(dest="action", required=True)
    mark = actions.add_parser("mark", help="mark a gap or finding (its id is in the report)")
    mark.add_argument("id", help="the gap's or finding's id from the report")
    mark.add_argument("--status", required=True, choices=("false_positive", "accepted", "fixed"))
    mark.add_argument("--reason", default="", help="why (required for accepted)")
    mark.add_argument("--until", type=future_date, default=None,
                      help="accepted until this date, YYYY-MM-DD, today or later (required for accepted)")
    mark.add_argument("--by", default="", help="who decided")
    mark.add_argument("--scan", type=int, default=None, help="the scan the id is from (default: the last)")
    unmark = actions.add_parser("unmark", help="remove the mark of a gap or finding")
    unmark.add_argument("id")
    unmark.add_argument("--by", default="", help="who decided (default: your user name)")
    listing = actions.add_parser("list", help="list the marks in force")
    history = actions.add_parser("history", help="every decision, oldest first (the audit trail)")
    history.add_argument("id", nargs="?", default=None, help="only this gap or finding")
    export = actions.add_parser("export", help="write the marks to a reviews.yaml file")
    export.add_argument("-o", "--output", type=Path, default=None, help="the file (default: the store's export)")
    imp = actions.add_parser("import", help="take the marks of a reviews.yaml file into the store")
    imp.add_argument("file", type=Path, help="a reviews.yaml file (format datakort-reviews/1)")
    for a in (mark, unmark, listing, history, export, imp):
        add_db_option(a)
        a.add_argument("--reviews", type=Path, default=None,
                       help="the export the store keeps in step (default: reviews.yaml beside the store)")
    p.set_defaults(run=review_command)
