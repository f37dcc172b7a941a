"""`datakort report|diff|review`, and the report options `scan` shares (docs/report.md)."""
from __future__ import annotations

import argparse
import sys
from contextlib import closing
from datetime import date
from pathlib import Path

from scanner.commands.common import choices, fail

FAIL_CODE = 1  # `--fail-on` condition met: the scan ran, and found something a scheduler should alert on


def load_reviews(reviews_file: Path | None, db: Path):
    """The review marks: `--reviews`, else reviews.yaml beside the store."""
    from reports.reviews import Reviews
    return Reviews.load(reviews_file or db.parent / "reviews.yaml")


def make_report(store, scan_id: int, register, reviews, as_of: date, out: Path, formats, lang: str):
    """Build one scan's report and write it in the chosen formats."""
    from reports.report import DEFAULT_FORMATS, build_report, write_report
    report = build_report(store, scan_id, register, reviews, as_of)
    return report, write_report(report, out, list(formats or DEFAULT_FORMATS), lang)


def print_summary(report, written: list[Path], db: Path) -> None:
    by_kind: dict[str, int] = {}
    for g in report.gaps:
        by_kind[g.kind] = by_kind.get(g.kind, 0) + 1
    for kind, n in sorted(by_kind.items()):
        print(f"  {kind}: {n}")
    if report.hidden:
        print(f"  hidden by review marks: {len(report.hidden)}")
    if report.diff:
        d = report.diff
        print(f"Since scan {d.old['id']}: {len(d.new_gaps)} new, {len(d.fixed_gaps)} fixed, "
              f"{len(d.open_gaps)} still open gaps; {len(d.new_findings)} new findings")
    for path in written:
        print(f"Wrote:  {path}")
    print(f"Store:  {db}")


def alert(report, fail_on) -> int:
    """The exit code for schedulers: FAIL_CODE when a `--fail-on` condition holds (said on stderr, even with -q)."""
    alerts = report.alerts(list(fail_on or ()))
    for line in alerts:
        print(f"datakort: alert: {line}", file=sys.stderr)
    return FAIL_CODE if alerts else 0




def add_report_options(p: argparse.ArgumentParser) -> None:
    """The options every command that writes a report takes."""
    from reports.report import FAIL_ON, FORMATS
    p.add_argument("--format", dest="formats", type=choices(FORMATS, "format"), default=None,
                   help="report files to write, comma separated: html, json, csv, xlsx (default html,json)")
    p.add_argument("--lang", choices=("da", "en"), default="da", help="language of the HTML and XLSX report")
    p.add_argument("--fail-on", type=choices(FAIL_ON, "condition"), default=(),
                   help="exit with code 1 when: new (gaps new since the previous scan), overdue (an overdue gap), "
                        "special (a gap with CPR, special-category or criminal data); comma separated")
    p.add_argument("--reviews", type=Path, default=None,
                   help="the review marks file (default: reviews.yaml beside the store)")


def _open_store(db: Path):
    from scanner.store import Store
    if not db.exists():
        raise LookupError(f"there is no findings store at {db}; run `datakort scan` first or give --db")
    return Store(db)


def _scan_id(store, wanted: int | None) -> int:
    ids = store.scan_ids()
    if not ids:
        raise LookupError(f"the store {store.path} holds no finished scan yet")
    if wanted is None:
        return ids[-1]
    if wanted not in ids:
        raise LookupError(f"there is no finished scan {wanted} in {store.path}; scans there: "
                          f"{', '.join(map(str, ids))}")
    return wanted


def report_command(args) -> int:
    """`datakort report [SCAN]`: write the report of a stored scan again, with the current review marks."""
    from reports.register import load_register
    with closing(_open_store(args.db)) as store:
        scan_id = _scan_id(store, args.scan)
        row = store.scan(scan_id)
        register_file = args.register or (Path(row["register_file"]) if row["register_file"] else None)
        if register_file is None:
            raise LookupError(f"scan {scan_id} names no register file; give --register")
        register = load_register(register_file)
        reviews = load_reviews(args.reviews, args.db)
        as_of = args.as_of or date.fromisoformat(row["config"].get("as_of") or date.today().isoformat())
        report, written = make_report(store, scan_id, register, reviews, as_of, args.out, args.formats, args.lang)
    if not args.quiet:
        print(f"Scan {scan_id}: {len(report.gaps)} gaps")
        print_summary(report, written, args.db)
    return alert(report, args.fail_on)


def diff_command(args) -> int:
    """`datakort diff [A B]`: what changed between two scans (default: the last two)."""
    import json

    from reports.diff import diff_scans, diff_text
    if len(args.scans) not in (0, 2):
        raise LookupError("give two scan ids (older first), or none for the last two scans")
    with closing(_open_store(args.db)) as store:
        if args.scans:
            old, new = (_scan_id(store, s) for s in args.scans)
        else:
            ids = store.scan_ids()
            if len(ids) < 2:
                raise LookupError(f"the store {args.db} holds {len(ids)} finished scan(s); a diff needs two")
            old, new = ids[-2:]
        d = diff_scans(store, old, new)
    if args.format == "json":
        print(json.dumps(d.as_dict(), indent=2, ensure_ascii=False, default=str))
    else:
        sys.stdout.write(diff_text(d))
    return FAIL_CODE if "new" in args.fail_on and d.new_gaps else 0


def _mark_fields(store, scan_id: int, thing_id: str) -> dict:
    """What a new mark records about the gap or finding with this id in a stored scan."""
    from reports.findings import finding_rows
    from reports.report import gap_from_dict
    from reports.reviews import gap_fingerprint
    for data in store.gaps(scan_id):
        if data["id"] == thing_id:
            gap = gap_from_dict(data)
            return {"target": "gap", "fingerprint": gap_fingerprint(gap),
                    "label": f"{gap.kind} {gap.location} ({', '.join(gap.categories)})"}
    for f in finding_rows(store.results(scan_id)):
        if f.id == thing_id:
            return {"target": "finding", "label": f"{f.entity_type} {f.masked} {f.location}"}
    raise LookupError(f"scan {scan_id} has no gap or finding with id {thing_id}; copy the id from the report "
                      "(the ID column)")


def review_command(args) -> int:
    """`datakort review mark|unmark|list`: keep the DPO's marks in reviews.yaml."""
    from reports.reviews import parse_mark
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
    with closing(_open_store(args.db)) as store:
        fields = _mark_fields(store, _scan_id(store, args.scan), args.id)
    mark = parse_mark({**fields, "id": args.id, "status": args.status, "reason": args.reason, "until": args.until,
                       "by": args.by, "marked": date.today().isoformat()}, "datakort review mark")
    reviews.add(mark)
    reviews.save()
    print(f"Marked {mark.target} {mark.id} ({mark.label}) as {mark.status} in {reviews.path}")
    return 0


def run(args) -> int:
    """Run a report/diff/review command; what the user must fix becomes a message and exit code 2."""
    from reports.register import RegisterError
    from reports.reviews import ReviewsError
    try:
        return REPORT_COMMANDS[args.command](args)
    except (LookupError, RegisterError, ReviewsError) as exc:
        return fail(str(exc).strip("'\""))


def add_commands(sub) -> None:
    """The `report`, `diff` and `review` subcommands."""
    p = sub.add_parser("report", help="write the report of a stored scan again (with the current review marks)")
    p.add_argument("scan", type=int, nargs="?", help="the scan id (default: the last scan)")
    p.add_argument("--db", type=Path, default=Path("datakort.sqlite"), help="the findings store (SQLite)")
    p.add_argument("--out", type=Path, default=Path("datakort-report"), help="folder for the report files")
    p.add_argument("--register", type=Path, default=None, help="the register YAML (default: the one the scan used)")
    p.add_argument("--as-of", type=date.fromisoformat, default=None,
                   help="date retention and acceptances are judged against (default: the scan's)")
    p.add_argument("-q", "--quiet", action="store_true", help="no summary")
    add_report_options(p)

    p = sub.add_parser("diff", help="what changed between two scans (default: the last two)")
    p.add_argument("scans", type=int, nargs="*", help="two scan ids, older first")
    p.add_argument("--db", type=Path, default=Path("datakort.sqlite"), help="the findings store (SQLite)")
    p.add_argument("--format", choices=("text", "json"), default="text", help="output format (default text)")
    p.add_argument("--fail-on", type=choices(("new",), "condition"), default=(), help="new: exit with code 1 when there are new gaps")

    p = sub.add_parser("review", help="mark a gap or finding as false positive, accepted or fixed")
    actions = p.add_subparsers(dest="action", required=True)
    mark = actions.add_parser("mark", help="mark a gap or finding (its id is in the report)")
    mark.add_argument("id", help="the gap's or finding's id from the report")
    mark.add_argument("--status", required=True, choices=("false_positive", "accepted", "fixed"))
    mark.add_argument("--reason", default="", help="why (required for accepted)")
    mark.add_argument("--until", default=None, help="accepted until this date, YYYY-MM-DD (required for accepted)")
    mark.add_argument("--by", default="", help="who decided")
    mark.add_argument("--scan", type=int, default=None, help="the scan the id is from (default: the last)")
    unmark = actions.add_parser("unmark", help="remove the mark of a gap or finding")
    unmark.add_argument("id")
    actions.add_parser("list", help="list the marks")
    for a in (mark, unmark, actions.choices["list"]):
        a.add_argument("--db", type=Path, default=Path("datakort.sqlite"), help="the findings store (SQLite)")
        a.add_argument("--reviews", type=Path, default=None,
                       help="the review marks file (default: reviews.yaml beside the store)")


REPORT_COMMANDS = {"report": report_command, "diff": diff_command, "review": review_command}
