"""The `datakort` command line: scan a share, run the demo."""
from __future__ import annotations

import argparse
import importlib.util
import logging
import shutil
import sys
import time
from datetime import date
from pathlib import Path

log = logging.getLogger("datakort")

REPO_ROOT = Path(__file__).resolve().parents[1]
SAMPLE_DIR = REPO_ROOT / "samples" / "interket"
DEMO_DATE = date(2026, 11, 1)  # the sample share's "today": its dates are set relative to this


class Progress:
    """A one-line progress display on a terminal; nothing otherwise (log lines carry the news)."""

    def __init__(self, enabled: bool):
        self.enabled = enabled
        self.started = time.monotonic()
        self.last = 0.0

    def __call__(self, n: int, location: str) -> None:
        now = time.monotonic()
        if not self.enabled or now - self.last < 0.1:
            return
        self.last = now
        rate = n / max(now - self.started, 1e-6)
        line = f"  {n} items, {rate:.0f}/s  {location}"
        sys.stderr.write("\r" + line[:100].ljust(100))
        sys.stderr.flush()

    def done(self) -> None:
        if self.enabled:
            sys.stderr.write("\r" + " " * 100 + "\r")


def _fail(message: str, code: int = 2) -> int:
    print(f"datakort: {message}", file=sys.stderr)
    return code


def scan(source: Path, register_file: Path, db: Path, out: Path, as_of: date | None, quiet: bool = False,
         ocr: bool = True, ocr_seconds: float | None = None) -> int:
    """Scan `source`, reconcile with the register, write the report; returns the exit code."""
    from detectors.engine import Detector
    from detectors.images import ImageSettings
    from detectors.privacy import key_path, load_or_create_key
    from reports.reconcile import reconcile
    from reports.register import RegisterError, load_register
    from reports.render import write_html, write_json
    from scanner.pipeline import run_scan
    from scanner.store import Store

    try:
        register = load_register(register_file)
    except RegisterError as exc:
        return _fail(f"the register cannot be used: {exc}")
    if not source.is_dir():
        return _fail(f"{source} is not a folder that can be read (check the path and that the share is mounted)")
    try:
        key = load_or_create_key()
    except (OSError, ValueError) as exc:
        return _fail(f"cannot read or create the secret key at {key_path()}: {exc}")
    as_of = as_of or date.today()
    log.info("scanning %s against register %s (version %s)", source, register_file, register.version)
    detector = Detector(key)
    images = ImageSettings(ocr=ocr, ocr_seconds=ocr_seconds or ImageSettings.ocr_seconds)
    if ocr:
        from detectors import ocr as ocr_engine
        if not ocr_engine.available():
            log.warning("%s; pictures and scanned pages are recorded as not OCR'd", ocr_engine.NOT_AVAILABLE)
    store = Store(db)
    progress = Progress(enabled=sys.stderr.isatty() and not quiet)
    try:
        scan_id, stats = run_scan(source, store, detector, register_file=str(register_file),
                                  register_version=register.version,
                                  config={"as_of": as_of.isoformat(), "ocr": images.ocr, "ocr_seconds": images.ocr_seconds},
                                  progress=progress, images=images)
        progress.done()
        gaps = reconcile(register, store.results(scan_id), as_of)
        store.save_gaps(scan_id, gaps)
        out.mkdir(parents=True, exist_ok=True)
        scan_row = store.scan(scan_id)
        write_json(out / "gaps.json", scan_row, register, gaps, as_of)
        write_html(out / "report.html", scan_row, register, gaps, as_of)
    finally:
        store.close()
    by_kind: dict[str, int] = {}
    for g in gaps:
        by_kind[g.kind] = by_kind.get(g.kind, 0) + 1
    if not quiet:
        print(f"Scan {scan_id}: {stats.items} items ({stats.analysed} analysed, {stats.skipped} skipped, "
              f"{stats.could_not_inspect} could not inspect), {stats.findings} findings, "
              f"{len(gaps)} gaps in {stats.seconds:.1f} s")
        for kind, n in sorted(by_kind.items()):
            print(f"  {kind}: {n}")
        print(f"Report: {out / 'report.html'}\nGaps:   {out / 'gaps.json'}\nStore:  {db}")
    return 0


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
            return _fail(f"{share} exists and was not made by the demo; choose another --workdir")
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


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="datakort", description="Find personal data and hold it against the register.")
    parser.add_argument("-v", "--verbose", action="store_true", help="more log lines")
    sub = parser.add_subparsers(dest="command", required=True)

    p_scan = sub.add_parser("scan", help="scan a folder and write the gap report")
    p_scan.add_argument("path", type=Path, help="the folder to scan (a local or mounted share)")
    p_scan.add_argument("--register", type=Path, required=True, help="the register YAML (docs/register.md)")
    p_scan.add_argument("--db", type=Path, default=Path("datakort.sqlite"), help="the findings store (SQLite)")
    p_scan.add_argument("--out", type=Path, default=Path("datakort-report"), help="folder for report.html and gaps.json")
    p_scan.add_argument("--as-of", type=date.fromisoformat, default=None,
                        help="date retention is judged against (YYYY-MM-DD; default today)")
    p_scan.add_argument("-q", "--quiet", action="store_true", help="no progress and no summary")
    p_scan.add_argument("--ocr", action=argparse.BooleanOptionalAction, default=True,
                        help="read text in pictures and scanned pages with tesseract (default: on)")
    p_scan.add_argument("--ocr-seconds", type=_seconds, default=None, metavar="S",
                        help="time bound for OCR of one picture or page (default 60); slower ones are recorded as not OCR'd")

    p_demo = sub.add_parser("demo", help="generate the sample Interket share and scan it")
    p_demo.add_argument("--workdir", type=Path, default=Path("demo-output"), help="where the share and report go")

    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO if args.verbose else logging.WARNING,
                        format="%(asctime)s %(levelname)s %(message)s", stream=sys.stderr)
    if args.command == "scan":
        return scan(args.path, args.register, args.db, args.out, args.as_of, args.quiet, args.ocr, args.ocr_seconds)
    return demo(args.workdir)


if __name__ == "__main__":
    sys.exit(main())
