"""The `datakort` command line: the parser, `scan` and `demo`; the other commands are in scanner/commands/."""
from __future__ import annotations

import argparse
import importlib.util
import logging
import shutil
import sys
import time
from datetime import date
from pathlib import Path

from scanner.commands import register, reports
from scanner.commands.common import fail

log = logging.getLogger("datakort")

REPO_ROOT = Path(__file__).resolve().parents[1]
SAMPLE_DIR = REPO_ROOT / "samples" / "interket"
DEMO_DATE = date(2026, 11, 1)  # the sample share's "today": its dates are set relative to this


class Progress:
    """Progress on stderr: a one-line bar on a terminal, a plain log line every 30 s otherwise."""

    PLAIN_EVERY = 30.0

    def __init__(self, enabled: bool, terminal: bool):
        self.enabled, self.terminal = enabled, terminal
        self.started = self.last = time.monotonic()

    def __call__(self, n: int, location: str) -> None:
        now = time.monotonic()
        if not self.enabled or now - self.last < (0.1 if self.terminal else self.PLAIN_EVERY):
            return
        self.last = now
        rate = n / max(now - self.started, 1e-6)
        if self.terminal:
            line = f"  {n} items, {rate:.0f}/s  {location}"
            sys.stderr.write("\r" + line[:100].ljust(100))
            sys.stderr.flush()
        else:
            print(f"{time.strftime('%Y-%m-%d %H:%M:%S')} scanned {n} items ({rate:.0f}/s)", file=sys.stderr)

    def done(self) -> None:
        if self.enabled and self.terminal:
            sys.stderr.write("\r" + " " * 100 + "\r")


def scan(source: Path | str, register_file: Path, db: Path, out: Path, as_of: date | None, quiet: bool = False,
         formats: tuple[str, ...] | None = None, lang: str = "da", fail_on: tuple[str, ...] = (),
         reviews_file: Path | None = None, ocr: bool = True, ocr_seconds: float | None = None,
         spacy_model: str | None = None, recognizers: Path | None = None,
         options=None) -> int:
    """Scan `source`, reconcile with the register, write the report; returns the exit code.

    `options` (scanner.runner.ScanOptions) says where the work runs and whether to re-read everything."""
    from detectors.engine import Detector
    from detectors.images import ImageSettings
    from detectors.privacy import key_path, load_or_create_key
    from detectors.recognizers import RecognizerFileError
    from reports.register_check import ERROR, read_register
    from reports.reviews import ReviewsError
    from scanner.runner import run_scan
    from scanner.store import Store

    register, problems = read_register(register_file)
    for problem in problems:
        if register is None or not quiet:
            print(problem.format(str(register_file)), file=sys.stderr)
    if register is None:
        errors = sum(p.level == ERROR for p in problems)
        return fail(f"the register cannot be used: {errors} error(s) above "
                     f"(`datakort register check {register_file}` shows them again)")
    try:
        reviews = reports.load_reviews(reviews_file, db)
    except ReviewsError as exc:
        return fail(str(exc))
    source = _source(source, options)
    if isinstance(source, str):
        return fail(source)
    try:
        key = load_or_create_key()
    except (OSError, ValueError) as exc:
        return fail(f"cannot read or create the secret key at {key_path()}: {exc}")
    as_of = as_of or date.today()
    log.info("scanning %s against register %s (version %s)", getattr(source, "name", source), register_file, register.version)
    try:
        detector = Detector(key, spacy_model=spacy_model, recognizers_yaml=str(recognizers) if recognizers else None)
    except RecognizerFileError as exc:
        return fail(f"your recognisers file cannot be used: {exc}")
    except OSError as exc:  # spaCy: no such model installed
        return fail(f"cannot load the spaCy model {spacy_model!r} (is it installed?): {exc}")
    images = ImageSettings(ocr=ocr, ocr_seconds=ocr_seconds or ImageSettings.ocr_seconds)
    if ocr:
        from detectors import ocr as ocr_engine
        if not ocr_engine.available():
            log.warning("%s; pictures and scanned pages are recorded as not OCR'd", ocr_engine.NOT_AVAILABLE)
    store = Store(db)
    progress = Progress(enabled=not quiet, terminal=sys.stderr.isatty())
    try:
        scan_id, stats = run_scan(source, store, detector, register_file=str(register_file),
                                  register_version=register.version,
                                  config={"as_of": as_of.isoformat(), "ocr": images.ocr, "ocr_seconds": images.ocr_seconds},
                                  progress=progress, images=images, options=options)
        progress.done()
        report, written = reports.make_report(store, scan_id, register, reviews, as_of, out, formats, lang)
    finally:
        store.close()
    if not quiet:
        print(f"Scan {scan_id}: {stats.items} items ({stats.analysed} analysed, {stats.skipped} skipped, "
              f"{stats.could_not_inspect} could not inspect), {stats.findings} findings, "
              f"{len(report.gaps)} gaps in {stats.seconds:.1f} s")
        if stats.unchanged:
            print(f"  {stats.unchanged} files unchanged since the last scan: findings carried forward (--full re-reads them)")
        reports.print_summary(report, written, db)
    return reports.alert(report, fail_on)


def _load_sample_generator():
    path = SAMPLE_DIR / "make_share.py"
    if not path.exists():
        raise FileNotFoundError(f"the sample generator {path} is missing; run the demo from a checkout of datakort")
    spec = importlib.util.spec_from_file_location("datakort_sample_share", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def demo(workdir: Path) -> int:
    """Generate Interket's sample share into `workdir` and scan it with the sample register."""
    generator = _load_sample_generator()
    share = workdir / "share"
    if share.exists():
        if not (share / generator.MARKER).exists():
            return fail(f"{share} exists and was not made by the demo; choose another --workdir")
        shutil.rmtree(share)
    workdir.mkdir(parents=True, exist_ok=True)
    generator.make_share(share, today=DEMO_DATE)
    print(f"Sample share written to {share}")
    return scan(share, SAMPLE_DIR / "register.yaml", workdir / "datakort.sqlite", workdir / "report", DEMO_DATE)




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
    import os

    g = p_scan.add_argument_group("big shares (docs/scale.md)")
    g.add_argument("--workers", type=int, default=os.cpu_count() or 1,
                   help="worker processes reading files (default: all cores; 0 reads in the main process, without limits)")
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


def _source(path: Path | str, options):
    """The folder or SMB share to scan, or a message saying why it cannot be used."""
    if str(path).lower().startswith("smb://"):
        from scanner.smb import SmbError, SmbSource

        try:
            source = SmbSource.from_url(str(path), getattr(options, "smb_credentials", None))
            source.check()
        except SmbError as exc:
            return str(exc)
        return source
    path = Path(path)
    if not path.is_dir():
        return f"{path} is not a folder that can be read (check the path and that the share is mounted)"
    return path


def _scan_options(args):
    from scanner.runner import ScanOptions

    return ScanOptions(workers=max(args.workers, 0), full=args.full, content_hash=args.content_hash, time_limit=args.time_limit,
                       memory_limit_mb=args.memory_limit, dask=args.dask, smb_credentials=args.smb_credentials)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="datakort", description="Find personal data and hold it against the register.")
    parser.add_argument("-v", "--verbose", action="store_true", help="more log lines")
    sub = parser.add_subparsers(dest="command", required=True)

    p_scan = sub.add_parser("scan", help="scan a folder and write the gap report")
    p_scan.add_argument("path", help="the folder to scan (a local or mounted share), or smb://server/share/folder")
    p_scan.add_argument("--register", type=Path, required=True, help="the register YAML (docs/register.md)")
    p_scan.add_argument("--db", type=Path, default=Path("datakort.sqlite"), help="the findings store (SQLite)")
    p_scan.add_argument("--out", type=Path, default=Path("datakort-report"), help="folder for report.html and gaps.json")
    p_scan.add_argument("--as-of", type=date.fromisoformat, default=None,
                        help="date retention is judged against (YYYY-MM-DD; default today)")
    p_scan.add_argument("--spacy-model", default=None,
                        help="a Danish spaCy model (name or path, e.g. da_core_news_lg) whose person entities to use")
    p_scan.add_argument("--recognizers", type=Path, default=None,
                        help="your own recognisers, in Presidio's YAML format (docs/detectors.md)")
    p_scan.add_argument("-q", "--quiet", action="store_true", help="no progress and no summary")
    p_scan.add_argument("--ocr", action=argparse.BooleanOptionalAction, default=True,
                        help="read text in pictures and scanned pages with tesseract (default: on)")
    p_scan.add_argument("--ocr-seconds", type=_seconds, default=None, metavar="S",
                        help="time bound for OCR of one picture or page (default 60); slower ones are recorded as not OCR'd")
    reports.add_report_options(p_scan)
    _add_scale_options(p_scan)

    p_demo = sub.add_parser("demo", help="generate the sample Interket share and scan it")
    p_demo.add_argument("--workdir", type=Path, default=Path("demo-output"), help="where the share and report go")
    reports.add_commands(sub)

    register.add_commands(sub)

    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO if args.verbose else logging.WARNING,
                        format="%(asctime)s %(levelname)s %(message)s", stream=sys.stderr)
    if args.command == "scan":
        return scan(args.path, args.register, args.db, args.out, args.as_of, args.quiet,
                    args.formats, args.lang, args.fail_on, args.reviews, args.ocr, args.ocr_seconds,
                    args.spacy_model, args.recognizers, _scan_options(args))
    if args.command in reports.REPORT_COMMANDS:
        return reports.run(args)
    if args.command == "register":
        return register.run(args)
    return demo(args.workdir)


if __name__ == "__main__":
    sys.exit(main())
