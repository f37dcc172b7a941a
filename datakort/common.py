"""What several commands share: the error exit, option types, opening the store, and the report step."""
from __future__ import annotations

import argparse
import sys
from datetime import date
from pathlib import Path

from reports.gaps.reviews import Reviews
from reports.render.report import FAIL_ON, Report, build_report
from reports.render.write import DEFAULT_FORMATS, FORMATS, write_report
from scanner.store import Store

FAIL_CODE = 1  # `--fail-on` condition met: the scan ran, and found something a scheduler should alert on


def fail(message: str, code: int = 2) -> int:
    """Say what is wrong in one line on stderr; returns the exit code (2: cannot run)."""
    print(f"datakort: {message}", file=sys.stderr)
    return code


def choices(allowed: tuple[str, ...], what: str):
    """An argparse type for a comma-separated list of words from `allowed`."""
    def parse(text: str) -> tuple[str, ...]:
        chosen = tuple(f.strip().lower() for f in text.split(",") if f.strip())
        bad = [f for f in chosen if f not in allowed]
        if bad or not chosen:
            raise argparse.ArgumentTypeError(f"unknown {what} {', '.join(bad) or '(none)'}; "
                                             f"choose from {', '.join(allowed)}")
        return chosen
    return parse


def add_db_option(p: argparse.ArgumentParser) -> None:
    p.add_argument("--db", type=Path, default=Path("datakort.sqlite"), help="the findings store (SQLite)")


def open_store(db: Path) -> Store:
    """The store of earlier scans; LookupError saying what to do when there is none."""
    if not db.exists():
        raise LookupError(f"there is no findings store at {db}; run `datakort scan` first or give --db")
    return Store(db)


def scan_id_in(store: Store, wanted: int | None) -> int:
    """`wanted`, or the last finished scan; LookupError when there is no such scan."""
    ids = store.scan_ids()
    if not ids:
        raise LookupError(f"the store {store.path} holds no finished scan yet")
    if wanted is None:
        return ids[-1]
    if wanted not in ids:
        raise LookupError(f"there is no finished scan {wanted} in {store.path}; scans there: "
                          f"{', '.join(map(str, ids))}")
    return wanted


def load_reviews(reviews_file: Path | None, db: Path) -> Reviews:
    """The review marks: `--reviews`, else reviews.yaml beside the store."""
    return Reviews.load(reviews_file or db.parent / "reviews.yaml")


def add_report_options(p: argparse.ArgumentParser) -> None:
    """The options every command that writes a report takes."""
    p.add_argument("--format", dest="formats", type=choices(FORMATS, "format"), default=None,
                   help="report files to write, comma separated: html, json, csv, xlsx (default html,json)")
    p.add_argument("--lang", choices=("da", "en"), default="da", help="language of the HTML and XLSX report")
    p.add_argument("--csv-delimiter", choices=(";", ",", "tab"), default=None,
                   help="field separator of the CSV files (default: ';' for --lang da, as Danish Excel expects; "
                        "',' for en)")
    p.add_argument("--fail-on", type=choices(FAIL_ON, "condition"), default=(),
                   help="exit with code 1 when: new (gaps new since the previous scan), overdue (an overdue gap), "
                        "special (a gap with CPR, special-category or criminal data); comma separated")
    p.add_argument("--reviews", type=Path, default=None,
                   help="the review marks file (default: reviews.yaml beside the store)")


def make_report(store: Store, scan_id: int, register, reviews: Reviews, as_of: date, out: Path, formats,
                lang: str, csv_delimiter: str | None = None) -> tuple[Report, list[Path]]:
    """Build one scan's report and write it in the chosen formats."""
    report = build_report(store, scan_id, register, reviews, as_of)
    delimiter = "\t" if csv_delimiter == "tab" else csv_delimiter
    return report, write_report(report, out, list(formats or DEFAULT_FORMATS), lang, delimiter)


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
        print(f"Since scan {d.old.id}: {len(d.new_gaps)} new, {len(d.fixed_gaps)} fixed, "
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
