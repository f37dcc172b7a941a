"""`datakort report`: write the report of a stored scan again, with the current review marks (docs/report.md)."""
from __future__ import annotations

from contextlib import closing
from datetime import date
from pathlib import Path

from datakort.common import (add_db_option, add_report_options, alert, load_reviews, make_report, open_store,
                             print_summary, scan_id_in)
from reports.register.load import load_register


def report_command(args) -> int:
    """`datakort report [SCAN]`: write the report of a stored scan again, with the current review marks."""
    with closing(open_store(args.db)) as store:
        scan_id = scan_id_in(store, args.scan)
        row = store.scan(scan_id)
        register_file = args.register or (Path(row.register_file) if row.register_file else None)
        if register_file is None:
            raise LookupError(f"scan {scan_id} names no register file; give --register")
        register = load_register(register_file)
        reviews = load_reviews(args.reviews, args.db)
        as_of = args.as_of or date.fromisoformat(row.config.get("as_of") or date.today().isoformat())
        report, written = make_report(store, scan_id, register, reviews, as_of, args.out, args.formats, args.lang,
                                      args.csv_delimiter)
    if not args.quiet:
        print(f"Scan {scan_id}: {len(report.gaps)} gaps")
        print_summary(report, written, args.db)
    return alert(report, args.fail_on)


def add_parser(sub) -> None:
    p = sub.add_parser("report", help="write the report of a stored scan again (with the current review marks)")
    p.add_argument("scan", type=int, nargs="?", help="the scan id (default: the last scan)")
    add_db_option(p)
    p.add_argument("--out", type=Path, default=Path("datakort-report"), help="folder for the report files")
    p.add_argument("--register", type=Path, default=None, help="the register YAML (default: the one the scan used)")
    p.add_argument("--as-of", type=date.fromisoformat, default=None,
                   help="date retention and acceptances are judged against (default: the scan's)")
    p.add_argument("-q", "--quiet", action="store_true", help="no summary")
    add_report_options(p)
    p.set_defaults(run=report_command)
