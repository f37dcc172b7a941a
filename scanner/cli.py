"""The `datakort` command line: scan a share, run the demo, import and check a register."""
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
    """Progress on stderr: a one-line bar on a terminal, a plain log line every 30 s otherwise."""

    PLAIN_EVERY = 30.0

    def __init__(self, enabled: bool, terminal: bool):
        self.enabled, self.terminal = enabled, terminal
        self.started = time.monotonic()
        self.last = 0.0

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


def _fail(message: str, code: int = 2) -> int:
    print(f"datakort: {message}", file=sys.stderr)
    return code


def scan(source: Path | str, register_file: Path, db: Path, out: Path, as_of: date | None, quiet: bool = False,
         options=None) -> int:
    """Scan `source`, reconcile with the register, write the report; returns the exit code.

    `options` (scanner.runner.ScanOptions) says where the work runs and whether to re-read everything."""
    from detectors.engine import Detector
    from detectors.privacy import key_path, load_or_create_key
    from reports.reconcile import reconcile
    from reports.register_check import ERROR, read_register
    from reports.render import write_html, write_json
    from scanner.runner import run_scan
    from scanner.store import Store

    register, problems = read_register(register_file)
    for problem in problems:
        if register is None or not quiet:
            print(problem.format(str(register_file)), file=sys.stderr)
    if register is None:
        errors = sum(p.level == ERROR for p in problems)
        return _fail(f"the register cannot be used: {errors} error(s) above "
                     f"(`datakort register check {register_file}` shows them again)")
    source = _source(source, options)
    if isinstance(source, str):
        return _fail(source)
    try:
        key = load_or_create_key()
    except (OSError, ValueError) as exc:
        return _fail(f"cannot read or create the secret key at {key_path()}: {exc}")
    as_of = as_of or date.today()
    log.info("scanning %s against register %s (version %s)", getattr(source, "name", source), register_file, register.version)
    detector = Detector(key)
    store = Store(db)
    progress = Progress(enabled=not quiet, terminal=sys.stderr.isatty())
    try:
        scan_id, stats = run_scan(source, store, detector, register_file=str(register_file),
                                  register_version=register.version, config={"as_of": as_of.isoformat()},
                                  progress=progress, options=options)
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
        if stats.unchanged:
            print(f"  {stats.unchanged} files unchanged since the last scan: findings carried forward (--full re-reads them)")
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


def register_check(path: Path) -> int:
    """`datakort register check`: print every problem with its line; exit code 2 on errors."""
    from reports.register_check import ERROR, read_register

    register, problems = read_register(path)
    for problem in problems:
        print(problem.format(str(path)))
    errors = sum(p.level == ERROR for p in problems)
    warnings = len(problems) - errors
    if register is None:
        print(f"{path}: {errors} error(s), {warnings} warning(s): "
              "the register cannot be used until the errors are fixed")
        return 2
    print(f"{path}: OK ({len(register.systems)} systems, {len(register.retention)} retention rules"
          f"{f', {warnings} warning(s)' if warnings else ''})")
    return 0


def register_import(docx_path: Path, out: Path, force: bool) -> int:
    """`datakort register import`: write a draft register from a Word register and list the TODOs."""
    from reports.register_import import RegisterImportError, draft_register

    if out.exists() and not force:
        return _fail(f"{out} exists; choose another -o or add --force to overwrite it")
    try:
        text, todos = draft_register(docx_path)
    except RegisterImportError as exc:
        return _fail(str(exc))
    out.write_text(text, encoding="utf-8")
    print(f"Draft register written to {out}. A person must still do {len(todos)} thing(s) (marked TODO):")
    for line, todo in todos:
        print(f"  {out}:{line}: {todo}")
    print(f"Then run: datakort register check {out}")
    return 0


def _add_register_commands(sub) -> None:
    """`datakort register import|check`: the register's own commands."""
    p_register = sub.add_parser("register", help="import a Word register or check a register file")
    register_sub = p_register.add_subparsers(dest="register_command", required=True)
    p_import = register_sub.add_parser("import", help="make a draft register.yaml from a Word register (.docx)")
    p_import.add_argument("docx", type=Path, help="the Word register (persondatafortegnelse)")
    p_import.add_argument("-o", "--output", type=Path, default=Path("register.yaml"), help="the draft to write")
    p_import.add_argument("--force", action="store_true", help="overwrite the output file if it exists")
    p_check = register_sub.add_parser("check", help="check a register file; exit code 2 when it has errors")
    p_check.add_argument("register", type=Path, help="the register YAML (docs/register.md)")


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
                   help="give up on one file (with everything inside it) after this long (default 300)")
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
    p_scan.add_argument("-q", "--quiet", action="store_true", help="no progress and no summary")
    _add_scale_options(p_scan)

    p_demo = sub.add_parser("demo", help="generate the sample Interket share and scan it")
    p_demo.add_argument("--workdir", type=Path, default=Path("demo-output"), help="where the share and report go")

    _add_register_commands(sub)

    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO if args.verbose else logging.WARNING,
                        format="%(asctime)s %(levelname)s %(message)s", stream=sys.stderr)
    if args.command == "scan":
        return scan(args.path, args.register, args.db, args.out, args.as_of, args.quiet, _scan_options(args))
    if args.command == "register":
        if args.register_command == "import":
            return register_import(args.docx, args.output, args.force)
        return register_check(args.register)
    return demo(args.workdir)


if __name__ == "__main__":
    sys.exit(main())
