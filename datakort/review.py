"""`datakort review mark|unmark|list`: the DPO's review marks in reviews.yaml (docs/report.md)."""
from __future__ import annotations

from contextlib import closing
from datetime import date
from pathlib import Path

from datakort.common import add_db_option, future_date, load_reviews, open_store, scan_id_in
from reports.gaps.findings import finding_rows
from reports.gaps.reviews import Target, gap_fingerprint, parse_mark
from reports.gaps.stored import stored_gaps


def _mark_fields(store, scan_id: int, thing_id: str) -> dict:
    """What a new mark records about the gap or finding with this id in a stored scan."""
    for gap in stored_gaps(store, scan_id):
        if gap.id == thing_id:
            return {"target": Target.GAP, "fingerprint": gap_fingerprint(gap),
                    "label": f"{gap.kind} {gap.location} ({', '.join(gap.categories)})"}
    for f in finding_rows(store.results(scan_id)):
        if f.id == thing_id:
            return {"target": Target.FINDING, "label": f"{f.entity_type} {f.masked} {f.location}"}
    raise LookupError(f"scan {scan_id} has no gap or finding with id {thing_id}; copy the id from the report "
                      "(the ID column)")


def review_command(args) -> int:
    """`datakort review mark|unmark|list`: keep the DPO's marks in reviews.yaml."""
    if args.db.exists():  # a damaged or foreign store is said now, not found out later
        open_store(args.db).close()
    reviews = load_reviews(args.reviews, args.db)
    if args.action == "list":
        for (target, thing_id), m in sorted(reviews.marks.items()):
            until = f" until {m.until}" if m.until else ""
            print(f"{target} {thing_id}: {m.status}{until}  {m.label}  {m.reason}".rstrip())
        return 0
    if args.action == "unmark":
        gone = [k for k in reviews.marks if k[1] == args.id]
        if not gone:
            raise LookupError(f"{reviews.path} has no mark for {args.id}")
        for k in gone:
            del reviews.marks[k]
        reviews.save()
        print(f"Removed the mark for {args.id} from {reviews.path}")
        return 0
    with closing(open_store(args.db)) as store:
        fields = _mark_fields(store, scan_id_in(store, args.scan), args.id)
    mark = parse_mark({**fields, "id": args.id, "status": args.status, "reason": args.reason,
                       "until": args.until.isoformat() if args.until else None,
                       "by": args.by, "marked": date.today().isoformat()}, "datakort review mark")
    reviews.add(mark)
    reviews.save()
    print(f"Marked {mark.target} {mark.id} ({mark.label}) as {mark.status} in {reviews.path}")
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
    actions.add_parser("list", help="list the marks")
    for a in (mark, unmark, actions.choices["list"]):
        add_db_option(a)
        a.add_argument("--reviews", type=Path, default=None,
                       help="the review marks file (default: reviews.yaml beside the store)")
    p.set_defaults(run=review_command)
