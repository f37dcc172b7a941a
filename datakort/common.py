"""What several commands share: the error exit, option types, opening the store, and the report step."""
from __future__ import annotations

import argparse
import hashlib
import hmac
import os
import sys
import tempfile
from datetime import date
from pathlib import Path

from detectors.privacy import key_path
from reports.gaps.diff import Change
from reports.gaps.reviews import Reviews
from reports.gaps.stored import marks_in_store, sync_reviews_file
from reports.register.load import load_register, parse_register_text
from reports.render.labels import coverage_warning_text
from reports.render.report import FAIL_ON, Report, build_report
from reports.render.write import DEFAULT_FORMATS, FORMATS, write_report
from scanner.store import ScanRecord, Store, WorkspaceStore

FAIL_CODE = 1  # `--fail-on` condition met: the scan ran, and found something a scheduler should alert on
MAX_WORKERS = 4 * (os.cpu_count() or 1)  # more processes than this only compete for the cores and memory
KEY_CHECK = b"datakort key fingerprint/1"  # hashed with the key: the store can tell keys apart without holding one


class CannotRun(Exception):
    """An expected problem with the user's input or environment: one line saying what to do, exit code 2."""


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


def iso_date(text: str) -> date:
    """An argparse type for a date written YYYY-MM-DD, with a message a person understands."""
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date; write YYYY-MM-DD (e.g. 2026-03-31)") from None


def future_date(text: str) -> date:
    """A date that is today or later (an acceptance that ends in the past would hide nothing)."""
    day = iso_date(text)
    if day < date.today():
        raise argparse.ArgumentTypeError(f"{text} is in the past; an acceptance must last until today or later")
    return day


def worker_count(text: str) -> int:
    """--workers: 0 (read in the scanning process) up to MAX_WORKERS (4 per core)."""
    try:
        n = int(text)
    except ValueError:
        n = -1
    if not 0 <= n <= MAX_WORKERS:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number of workers from 0 to {MAX_WORKERS} "
                                         f"(4 per core on this machine)")
    return n


def add_db_option(p: argparse.ArgumentParser) -> None:
    p.add_argument("--db", type=Path, default=Path("datakort.sqlite"), help="the findings store (SQLite)")


def add_key_option(p: argparse.ArgumentParser) -> None:
    p.add_argument("--new-key", action="store_true",
                   help="use this secret key although the store was written with another one (findings of earlier "
                        "scans will not match; review marks on findings are listed as no longer matching)")


def open_store(db: Path) -> WorkspaceStore:
    """The store of earlier scans; LookupError saying what to do when there is none."""
    if not db.exists():
        raise LookupError(f"there is no findings store at {db}; run `datakort scan` first or give --db")
    return WorkspaceStore(db)


def key_fingerprint(key: bytes) -> str:
    """A keyed hash of a constant: the same key gives the same fingerprint; it reveals nothing of the key."""
    return hmac.new(key, KEY_CHECK, hashlib.sha256).hexdigest()[:16]


def check_key(store: Store, key: bytes | None, new_key: bool, scanning: bool = False) -> None:
    """Refuse to mix keys in one store: CannotRun naming both key files, unless `new_key` (then this key
    becomes the store's). `key` None: the key file does not exist, which only a scan needs (a DPO's
    machine writes reports and diffs from the store alone, without the secret)."""
    path = key_path().resolve()
    recorded, recorded_file = store.meta("key_fingerprint"), store.meta("key_file")
    if not recorded or new_key or (key is None and not scanning):
        return
    if key is None or key_fingerprint(key) != recorded:
        now = "which does not exist" if key is None else "a different key"
        raise CannotRun(f"the store {store.path} was written with the secret key in {recorded_file}, but this run "
                        f"uses {path} ({now}); set DATAKORT_KEY_FILE={recorded_file}, or add --new-key to go on "
                        "with this key on purpose (findings will not match earlier scans)")


def record_key(store: Store, key: bytes) -> str:
    """Make `key` the store's key (fingerprint and file); returns the fingerprint."""
    fingerprint = key_fingerprint(key)
    store.set_meta("key_fingerprint", fingerprint)
    store.set_meta("key_file", str(key_path().resolve()))
    return fingerprint


def read_key() -> bytes | None:
    """The secret key if its file exists (report and diff never create one)."""
    path = key_path()
    try:
        return path.read_bytes().strip() if path.exists() else None
    except OSError as exc:
        raise CannotRun(f"cannot read the secret key {path}: {exc.strerror or exc}") from None


def check_out(out: Path) -> None:
    """Make sure the report folder can be written, before any long work; CannotRun says why not."""
    if out.exists() and not out.is_dir():
        raise CannotRun(f"--out {out} is a file; give a folder for the report files")
    try:
        out.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryFile(dir=out):
            pass
    except OSError as exc:
        raise CannotRun(f"cannot write the report into {out}: {exc.strerror or exc}; "
                        "give --out a folder you can write to") from None


def scan_register(row: ScanRecord, explicit: Path | None):
    """The register a stored scan is reported against: `--register` when given, else the text stored with
    the scan (so an old report stays the same after the register file is edited), else its file."""
    if explicit is not None:
        return load_register(explicit)
    if row.register_text:
        return parse_register_text(row.register_text, row.register_file or f"scan {row.id}")
    if row.register_file:
        return load_register(row.register_file)
    raise LookupError(f"scan {row.id} names no register file; give --register")


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


def reviews_path(reviews_file: Path | None, db: Path) -> Path:
    """The store's reviews.yaml export: `--reviews`, else reviews.yaml beside the store."""
    return reviews_file or db.parent / "reviews.yaml"


def load_reviews(store: WorkspaceStore, reviews_file: Path | None) -> Reviews:
    """The review marks in force, from the store (the source of truth), after taking hand edits of
    the reviews.yaml export into it (reports/gaps/stored.py); says so on stderr when it did."""
    sync = sync_reviews_file(store, reviews_path(reviews_file, store.path))
    if note := sync.note():
        print(f"datakort: {note}", file=sys.stderr)
    return marks_in_store(store)


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
                   help="the review marks export the store keeps in step (default: reviews.yaml beside the store)")
    add_key_option(p)


def make_report(store: Store, scan_id: int, register, reviews: Reviews, as_of: date, out: Path, formats,
                lang: str, csv_delimiter: str | None = None) -> tuple[Report, list[Path]]:
    """Build one scan's report and write it in the chosen formats."""
    report = build_report(store, scan_id, register, reviews, as_of)
    delimiter = "\t" if csv_delimiter == "tab" else csv_delimiter
    try:
        return report, write_report(report, out, list(formats or DEFAULT_FORMATS), lang, delimiter)
    except OSError as exc:  # a full disk, a folder removed while the scan ran
        raise CannotRun(f"cannot write the report into {out}: {exc.strerror or exc}; the scan is stored: "
                        f"`datakort report {scan_id} --out FOLDER` writes it again") from None


def warn_coverage(report: Report) -> None:
    """Say on stderr (even with -q) when the scan may not have seen the whole share."""
    if report.coverage_warning:
        print(f"datakort: warning: {coverage_warning_text(report.coverage_warning, 'en')}", file=sys.stderr)


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
              f"{len(d.open_gaps)} still open gaps; {d.count(Change.NEW_FINDINGS)} new findings")
    for path in written:
        print(f"Wrote:  {path}")
    print(f"Store:  {db}")


def alert(report, fail_on) -> int:
    """The exit code for schedulers: FAIL_CODE when a `--fail-on` condition holds (said on stderr, even with -q)."""
    alerts = report.alerts(list(fail_on or ()))
    for line in alerts:
        print(f"datakort: alert: {line}", file=sys.stderr)
    return FAIL_CODE if alerts else 0
