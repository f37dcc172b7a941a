"""`datakort report`: write the report of a stored scan again, with the current review marks (docs/report.md).

The register is the one stored with the scan (its text), so an old report stays the same after the
register file is edited; `--register` reports against another one on purpose."""
from __future__ import annotations

from contextlib import closing
from datetime import date
from pathlib import Path

from datakort.common import (add_db_option, add_report_options, alert, check_key, check_out, iso_date, load_reviews,
                             make_report, open_store, print_summary, read_key, scan_id_in, scan_register,
                             warn_coverage)


def report_command(args) -> int:
    """`datakort report [SCAN]`: write the report of a stored scan again, with the current review marks."""
    with closing(open_store(args.db)) as store:
        check_key(store, read_key(), args.new_key)
        scan_id = scan_id_in(store, args.scan)
        row = store.scan(scan_id)
        register = scan_register(row, args.register)
        reviews = load_reviews(store, args.reviews)
        check_out(args.out)
        as_of = args.as_of or date.fromisoformat(row.config.get("as_of") or date.today().isoformat())
        report, written = make_report(store, scan_id, register, reviews, as_of, args.out, args.formats, args.lang,
                                      args.csv_delimiter)
    warn_coverage(report)
    if not args.quiet:
        print(f"Scan {scan_id}: {len(report.gaps)} gaps")
        print_summary(report, written, args.db)
    return alert(report, args.fail_on)


def add_parser(sub) -> None:
    p = sub.add_parser("report", help="write the report of a stored scan again (with the current review marks)")
    p.add_argument("scan", type=int, nargs="?", help="the scan id (default: the last scan)")
    add_db_option(p)
    p.add_argument("--out", type=Path, default=Path("datakort-report"), help="folder for the report files")
    p.add_argument("--register", type=Path, default=None,
                   help="report against this register YAML instead of the one stored with the scan")
    p.add_argument("--as-of", type=iso_date, default=None,
                   help="date retention and acceptances are judged against, YYYY-MM-DD (default: the scan's)")
    add_report_options(p)
    p.set_defaults(run=report_command)
