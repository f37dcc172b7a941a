"""`datakort scan`: crawl a share, detect, store, reconcile with the register, write the report."""
from __future__ import annotations

import argparse
import logging
import os
import sys
import time
from contextlib import closing
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from datakort.common import (MAX_WORKERS, add_db_option, add_report_options, alert, check_key, check_out, fail,
                             iso_date, key_fingerprint, load_reviews, make_report, print_summary, record_key,
                             warn_coverage, worker_count)
from detectors.detector import Detector
from detectors.images import ocr as ocr_engine
from detectors.images.analysis import ImageSettings
from detectors.privacy import key_path, load_or_create_key
from detectors.recognizers import RecognizerFileError
from reports.gaps.coverage import NOT_READ, key_change_note, system_coverage
from reports.gaps.reviews import ReviewsError
from reports.notify import NotifyError, SmtpSettings, notify
from reports.register.load import ERROR, read_register
from scanner.run.runner import ScanOptions, run_scan
from scanner.sources import Source, source_for
from scanner.store import Store, WorkspaceStore

log = logging.getLogger("datakort")


@dataclass
class ScanRequest:
    """What `datakort scan` was asked to do (also what `datakort demo` asks)."""

    source: str
    register_file: Path
    db: Path = Path("datakort.sqlite")
    out: Path = Path("datakort-report")
    as_of: date | None = None
    quiet: bool = False
    formats: tuple[str, ...] | None = None
    lang: str = "da"
    fail_on: tuple[str, ...] = ()
    reviews_file: Path | None = None
    images: ImageSettings = ImageSettings()
    spacy_model: str | None = None
    recognizers: Path | None = None
    options: ScanOptions = field(default_factory=ScanOptions)
    new_key: bool = False
    notify: tuple[str, ...] = ()        # --notify: mail these addresses when there are new gaps
    smtp_config: Path | None = None
    csv_delimiter: str | None = None

    @classmethod
    def from_args(cls, args: argparse.Namespace) -> "ScanRequest":
        images = ImageSettings(ocr=args.ocr, ocr_seconds=args.ocr_seconds or ImageSettings.ocr_seconds)
        options = ScanOptions(workers=args.workers, full=args.full, content_hash=args.content_hash,
                              time_limit=args.time_limit, memory_limit_mb=args.memory_limit, dask=args.dask,
                              smb_credentials=args.smb_credentials)
        return cls(str(args.path), args.register, args.db, args.out, args.as_of, args.quiet, args.formats, args.lang,
                   args.fail_on, args.reviews, images, args.spacy_model, args.recognizers, options, args.new_key,
                   tuple(a.strip() for a in (args.notify or "").split(",") if a.strip()), args.smtp_config,
                   args.csv_delimiter)


class Progress:
    """Progress on stderr: entries done of the total (when known), MB/s and the time left; a one-line
    bar on a terminal, a plain log line every 30 s otherwise."""

    PLAIN_EVERY = 30.0
    WIDTH = 110

    def __init__(self, enabled: bool, terminal: bool):
        self.enabled, self.terminal = enabled, terminal
        self.started = self.last = time.monotonic()
        self.total: int | None = None
        self.total_bytes: int | None = None
        self.bytes_done = 0

    def expect(self, items: int | None, total_bytes: int | None) -> None:
        """The totals this scan will likely reach (from the last scan of the same folder, or counted)."""
        self.total, self.total_bytes = items, total_bytes

    def read(self, size: int) -> None:
        """A file is done (read, or unchanged and carried forward)."""
        self.bytes_done += size or 0

    def line(self, n: int, now: float) -> str:
        elapsed = max(now - self.started, 1e-6)
        rate = self.bytes_done / 2**20 / elapsed
        mb_s = f"{rate:.2f}" if rate < 1 else f"{rate:.1f}" if rate < 100 else f"{rate:.0f}"
        if self.total:
            # bytes say more about the work left than file counts (one mailbox can be half the share)
            share = min(self.bytes_done / self.total_bytes if self.total_bytes else n / self.total, 1.0)
            left = elapsed * (1 - share) / share if share > 0.001 else None
            bar = "#" * int(share * 20)
            return (f"[{bar:<20}] {n:,}/~{self.total:,} files {share:4.0%}  {mb_s} MB/s"
                    f"  {_duration(left) + ' left' if left is not None else 'estimating…'}")
        return f"{n:,} files (no total yet: first scan)  {mb_s} MB/s"

    def __call__(self, n: int, location: str) -> None:
        now = time.monotonic()
        if not self.enabled or now - self.last < (0.1 if self.terminal else self.PLAIN_EVERY):
            return
        self.last = now
        if self.terminal:
            text = f"  {self.line(n, now)}  {location}"
            sys.stderr.write("\r" + text[:self.WIDTH].ljust(self.WIDTH))
            sys.stderr.flush()
        else:
            print(f"{time.strftime('%Y-%m-%d %H:%M:%S')} {self.line(n, now)}", file=sys.stderr)

    def done(self) -> None:
        if self.enabled and self.terminal:
            sys.stderr.write("\r" + " " * self.WIDTH + "\r")


def _duration(seconds: float) -> str:
    if seconds < 90:
        return f"{seconds:.0f} s"
    if seconds < 5400:
        return f"{seconds / 60:.0f} min"
    return f"{seconds / 3600:.1f} h"


def scan(request: ScanRequest) -> int:
    """Scan, reconcile with the register, write the report; returns the exit code.

    Everything that can stop it is checked before the scan starts: the register, the review
    marks, the store (and that no other scan writes to it), the key, the report folder, the share."""
    register_file, quiet, db = request.register_file.resolve(), request.quiet, request.db
    register, problems = read_register(register_file)
    for problem in problems:
        if register is None or not quiet:
            print(problem.format(str(register_file)), file=sys.stderr)
    if register is None:
        errors = sum(p.level == ERROR for p in problems)
        return fail(f"the register cannot be used: {errors} error(s) above "
                     f"(`datakort register check {register_file}` shows them again)")
    register_text = register_file.read_text(encoding="utf-8")
    try:
        smtp = SmtpSettings.load(request.smtp_config) if request.notify else None  # checked before a long scan
    except NotifyError as exc:
        return fail(str(exc))
    try:
        with closing(WorkspaceStore(db)) as marks_store:  # the store keeps the review marks
            reviews = load_reviews(marks_store, request.reviews_file)
    except ReviewsError as exc:
        return fail(str(exc))
    store = Store(db)
    try:
        store.lock_for_scan()
        check_out(request.out)
        source = open_source(request.source, request.options)
        try:
            key = load_or_create_key() if not store.meta("key_fingerprint") or key_path().exists() else None
        except (OSError, ValueError) as exc:
            return fail(f"cannot read or create the secret key at {key_path()}: {exc}")
        check_key(store, key, request.new_key, scanning=True)
        key = key or load_or_create_key()  # --new-key with no key file yet: make one
        recorded = store.meta("key_fingerprint")
        key_changed = bool(recorded) and recorded != key_fingerprint(key)
        return _scan(request, store, source, key, register, register_text, reviews, key_changed, smtp)
    finally:
        store.close()


def _scan(request: ScanRequest, store: Store, source: Source, key: bytes, register, register_text: str, reviews,
          key_changed: bool, smtp: SmtpSettings | None) -> int:
    """The scan itself, once everything it needs is checked."""
    quiet, db = request.quiet, request.db
    as_of = request.as_of or date.today()
    log.info("scanning %s against register %s (version %s)", source.name, request.register_file, register.version)
    try:
        detector = Detector(key, spacy_model=request.spacy_model,
                            recognizers_yaml=str(request.recognizers) if request.recognizers else None)
    except RecognizerFileError as exc:
        return fail(f"your recognisers file cannot be used: {exc}")
    except OSError as exc:  # spaCy: no such model installed
        return fail(f"cannot load the spaCy model {request.spacy_model!r} (is it installed?): {exc}")
    images = request.images
    if images.ocr:
        if not ocr_engine.available():
            log.warning("%s; pictures and scanned pages are recorded as not OCR'd", ocr_engine.NOT_AVAILABLE)
    progress = Progress(enabled=not quiet, terminal=sys.stderr.isatty())
    try:
        scan_id, stats = run_scan(source, store, detector, register_file=str(request.register_file.resolve()),
                                  register_version=register.version,
                                  config={"as_of": as_of.isoformat(), "ocr": images.ocr, "ocr_seconds": images.ocr_seconds},
                                  progress=progress, images=images, options=request.options)
    finally:
        progress.done()
    coverage = store.scan(scan_id).coverage
    systems = system_coverage(register, coverage.get("unreadable", []))
    store.set_scan_facts(scan_id, key_fingerprint=record_key(store, key), register_text=register_text,
                         coverage={**coverage, "systems": systems})
    report, written = make_report(store, scan_id, register, reviews, as_of, request.out, request.formats,
                                  request.lang, request.csv_delimiter)
    warn_coverage(report)  # said even with -q: the result may not mean what it seems
    if smtp is not None:
        try:
            sent = notify(report, list(request.notify), smtp, [p for p in written if p.suffix == ".html"], request.lang)
        except NotifyError as exc:
            return fail(f"the scan and report are done, but {exc}")
        if not quiet:
            print(f"Mail to {', '.join(request.notify)}: " + ("sent" if sent else "not sent, nothing new"))
    if not quiet:
        print(f"Scan {scan_id}: {stats.items} items ({stats.analysed} analysed, {stats.skipped} skipped, "
              f"{stats.could_not_inspect} could not inspect), {stats.findings} findings, "
              f"{len(report.gaps)} gaps in {stats.seconds:.1f} s")
        if stats.unchanged:
            print(f"  {stats.unchanged} files unchanged since the last scan: findings carried forward (--full re-reads them)")
        if not_read := [s for s, state in systems.items() if state == NOT_READ]:
            print(f"  systems not read this time (folders could not be read): {', '.join(not_read)}")
        if key_changed:
            print(f"  {key_change_note(report.unmatched_marks)}")
        print_summary(report, written, db)
    return alert(report, request.fail_on)


def open_source(location: str, options: ScanOptions) -> Source:
    """The folder or share to scan, checked (an SMB login tried once); SourceError says why not."""
    source = source_for(location, options.smb_credentials)
    if check := getattr(source, "check", None):
        check()
    return source


def _seconds(value: str) -> float:
    """A positive number of seconds (for --ocr-seconds)."""
    try:
        seconds = float(value)
    except ValueError:
        seconds = 0.0
    if seconds <= 0:
        raise argparse.ArgumentTypeError(f"{value!r} is not a positive number of seconds")
    return seconds


def _add_scale_options(p_scan) -> None:
    """Options for big shares (docs/scale.md): worker processes, limits, rescans, Dask."""
    g = p_scan.add_argument_group("big shares (docs/scale.md)")
    g.add_argument("--workers", type=worker_count, default=os.cpu_count() or 1,
                   help=f"worker processes reading files, 0 to {MAX_WORKERS} (4 per core; default: all cores, "
                        f"{os.cpu_count() or 1} here); 0 reads in the scanning process, without time or memory limits")
    g.add_argument("--full", action="store_true", help="re-read every file, also those unchanged since the last scan")
    g.add_argument("--content-hash", action="store_true",
                   help="count a file as unchanged only if its SHA-256 is the same too (reads every file on rescans)")
    g.add_argument("--time-limit", type=float, default=300.0, metavar="SECONDS",
                   help="give up on a file when reading one item (a file, or a message or member inside it) "
                        "takes longer than this (default 300)")
    g.add_argument("--memory-limit", type=int, default=1024, metavar="MB",
                   help="give up on one file when its worker uses more memory than this (default 1024)")
    g.add_argument("--dask", metavar="ADDRESS", default=None,
                   help="read and detect on a Dask cluster, e.g. tcp://scheduler:8786")
    g.add_argument("--smb-credentials", type=Path, metavar="FILE", default=None,
                   help="for smb:// paths: a file with username = …, password = …, domain = … lines "
                        "(else $DATAKORT_SMB_USER/$DATAKORT_SMB_PASSWORD, else a prompt)")


def add_parser(sub) -> None:
    p = sub.add_parser("scan", help="scan a folder and write the gap report")
    p.add_argument("path", help="the folder to scan (a local or mounted share), or smb://server/share/folder")
    p.add_argument("--register", type=Path, required=True, help="the register YAML (docs/register.md)")
    add_db_option(p)
    p.add_argument("--out", type=Path, default=Path("datakort-report"), help="folder for report.html and gaps.json")
    p.add_argument("--as-of", type=iso_date, default=None,
                   help="date retention is judged against (YYYY-MM-DD; default today)")
    p.add_argument("--spacy-model", default=None,
                   help="a Danish spaCy model (name or path, e.g. da_core_news_lg) whose person entities to use")
    p.add_argument("--recognizers", type=Path, default=None,
                   help="your own recognisers, in Presidio's YAML format (docs/detectors.md)")
    p.add_argument("--ocr", action=argparse.BooleanOptionalAction, default=True,
                   help="read text in pictures and scanned pages with tesseract (default: on)")
    p.add_argument("--ocr-seconds", type=_seconds, default=None, metavar="S",
                   help="time bound for OCR of one picture or page (default 60); slower ones are recorded as not OCR'd")
    add_report_options(p)
    p.add_argument("--notify", metavar="ADDRESS", default=None,
                   help="mail a short summary of new and high gaps, with the report, to these addresses (comma "
                        "separated) when the scan finds new gaps; SMTP settings: --smtp-config and DATAKORT_SMTP_* "
                        "(docs/report.md)")
    p.add_argument("--smtp-config", type=Path, default=None, metavar="FILE",
                   help="SMTP settings for --notify (default ~/.config/datakort/smtp.conf if it exists)")
    _add_scale_options(p)
    p.set_defaults(run=lambda args: scan(ScanRequest.from_args(args)))
