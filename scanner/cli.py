"""The `datakort` command line: scan a share, run the demo, import and check a register."""
from __future__ import annotations

import argparse
import importlib.util
import logging
import shutil
import sys
import time
from contextlib import closing
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


def _fail(message: str, code: int = 2) -> int:
    print(f"datakort: {message}", file=sys.stderr)
    return code


def scan(source: Path, register_file: Path, db: Path, out: Path, as_of: date | None, quiet: bool = False,
         formats: tuple[str, ...] | None = None, lang: str = "da", fail_on: tuple[str, ...] = (),
         reviews_file: Path | None = None, ocr: bool = True, ocr_seconds: float | None = None,
         spacy_model: str | None = None, recognizers: Path | None = None) -> int:
    """Scan `source`, reconcile with the register, write the report; returns the exit code."""
    from detectors.engine import Detector
    from detectors.images import ImageSettings
    from detectors.privacy import key_path, load_or_create_key
    from detectors.recognizers import RecognizerFileError
    from reports.register_check import ERROR, read_register
    from reports.reviews import ReviewsError
    from scanner.pipeline import run_scan
    from scanner.store import Store

    register, problems = read_register(register_file)
    for problem in problems:
        if register is None or not quiet:
            print(problem.format(str(register_file)), file=sys.stderr)
    if register is None:
        errors = sum(p.level == ERROR for p in problems)
        return _fail(f"the register cannot be used: {errors} error(s) above "
                     f"(`datakort register check {register_file}` shows them again)")
    try:
        reviews = _load_reviews(reviews_file, db)
    except ReviewsError as exc:
        return _fail(str(exc))
    if not source.is_dir():
        return _fail(f"{source} is not a folder that can be read (check the path and that the share is mounted)")
    try:
        key = load_or_create_key()
    except (OSError, ValueError) as exc:
        return _fail(f"cannot read or create the secret key at {key_path()}: {exc}")
    as_of = as_of or date.today()
    log.info("scanning %s against register %s (version %s)", source, register_file, register.version)
    try:
        detector = Detector(key, spacy_model=spacy_model, recognizers_yaml=str(recognizers) if recognizers else None)
    except RecognizerFileError as exc:
        return _fail(f"your recognisers file cannot be used: {exc}")
    except OSError as exc:  # spaCy: no such model installed
        return _fail(f"cannot load the spaCy model {spacy_model!r} (is it installed?): {exc}")
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
                                  progress=progress, images=images)
        progress.done()
        report, written = _report(store, scan_id, register, reviews, as_of, out, formats, lang)
    finally:
        store.close()
    if not quiet:
        print(f"Scan {scan_id}: {stats.items} items ({stats.analysed} analysed, {stats.skipped} skipped, "
              f"{stats.could_not_inspect} could not inspect), {stats.findings} findings, "
              f"{len(report.gaps)} gaps in {stats.seconds:.1f} s")
        _print_summary(report, written, db)
    return _alert(report, fail_on)


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

# --- reports, diff and the review loop (docs/report.md) -------------------------------------

FAIL_CODE = 1  # `--fail-on` condition met: the scan ran, and found something a scheduler should alert on


def _load_reviews(reviews_file: Path | None, db: Path):
    """The review marks: `--reviews`, else reviews.yaml beside the store."""
    from reports.reviews import Reviews
    return Reviews.load(reviews_file or db.parent / "reviews.yaml")


def _report(store, scan_id: int, register, reviews, as_of: date, out: Path, formats, lang: str):
    """Build one scan's report and write it in the chosen formats."""
    from reports.report import DEFAULT_FORMATS, build_report, write_report
    report = build_report(store, scan_id, register, reviews, as_of)
    return report, write_report(report, out, list(formats or DEFAULT_FORMATS), lang)


def _print_summary(report, written: list[Path], db: Path) -> None:
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


def _alert(report, fail_on) -> int:
    """The exit code for schedulers: FAIL_CODE when a `--fail-on` condition holds (said on stderr, even with -q)."""
    alerts = report.alerts(list(fail_on or ()))
    for line in alerts:
        print(f"datakort: alert: {line}", file=sys.stderr)
    return FAIL_CODE if alerts else 0


def _choices(allowed: tuple[str, ...], what: str):
    """An argparse type for a comma-separated list of words from `allowed`."""
    def parse(text: str) -> tuple[str, ...]:
        chosen = tuple(f.strip().lower() for f in text.split(",") if f.strip())
        bad = [f for f in chosen if f not in allowed]
        if bad or not chosen:
            raise argparse.ArgumentTypeError(f"unknown {what} {', '.join(bad) or '(none)'}; "
                                             f"choose from {', '.join(allowed)}")
        return chosen
    return parse


def _add_report_options(p: argparse.ArgumentParser) -> None:
    """The options every command that writes a report takes."""
    from reports.report import FAIL_ON, FORMATS
    p.add_argument("--format", dest="formats", type=_choices(FORMATS, "format"), default=None,
                   help="report files to write, comma separated: html, json, csv, xlsx (default html,json)")
    p.add_argument("--lang", choices=("da", "en"), default="da", help="language of the HTML and XLSX report")
    p.add_argument("--fail-on", type=_choices(FAIL_ON, "condition"), default=(),
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
        reviews = _load_reviews(args.reviews, args.db)
        as_of = args.as_of or date.fromisoformat(row["config"].get("as_of") or date.today().isoformat())
        report, written = _report(store, scan_id, register, reviews, as_of, args.out, args.formats, args.lang)
    if not args.quiet:
        print(f"Scan {scan_id}: {len(report.gaps)} gaps")
        _print_summary(report, written, args.db)
    return _alert(report, args.fail_on)


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
    reviews = _load_reviews(args.reviews, args.db)
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


def _run_report_command(args) -> int:
    """Run a report/diff/review command; what the user must fix becomes a message and exit code 2."""
    from reports.register import RegisterError
    from reports.reviews import ReviewsError
    try:
        return REPORT_COMMANDS[args.command](args)
    except (LookupError, RegisterError, ReviewsError) as exc:
        return _fail(str(exc).strip("'\""))


def _add_report_commands(sub) -> None:
    """The `report`, `diff` and `review` subcommands."""
    p = sub.add_parser("report", help="write the report of a stored scan again (with the current review marks)")
    p.add_argument("scan", type=int, nargs="?", help="the scan id (default: the last scan)")
    p.add_argument("--db", type=Path, default=Path("datakort.sqlite"), help="the findings store (SQLite)")
    p.add_argument("--out", type=Path, default=Path("datakort-report"), help="folder for the report files")
    p.add_argument("--register", type=Path, default=None, help="the register YAML (default: the one the scan used)")
    p.add_argument("--as-of", type=date.fromisoformat, default=None,
                   help="date retention and acceptances are judged against (default: the scan's)")
    p.add_argument("-q", "--quiet", action="store_true", help="no summary")
    _add_report_options(p)

    p = sub.add_parser("diff", help="what changed between two scans (default: the last two)")
    p.add_argument("scans", type=int, nargs="*", help="two scan ids, older first")
    p.add_argument("--db", type=Path, default=Path("datakort.sqlite"), help="the findings store (SQLite)")
    p.add_argument("--format", choices=("text", "json"), default="text", help="output format (default text)")
    p.add_argument("--fail-on", type=_choices(("new",), "condition"), default=(), help="new: exit with code 1 when there are new gaps")

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
    p_scan.add_argument("--spacy-model", default=None,
                        help="a Danish spaCy model (name or path, e.g. da_core_news_lg) whose person entities to use")
    p_scan.add_argument("--recognizers", type=Path, default=None,
                        help="your own recognisers, in Presidio's YAML format (docs/detectors.md)")
    p_scan.add_argument("-q", "--quiet", action="store_true", help="no progress and no summary")
    p_scan.add_argument("--ocr", action=argparse.BooleanOptionalAction, default=True,
                        help="read text in pictures and scanned pages with tesseract (default: on)")
    p_scan.add_argument("--ocr-seconds", type=_seconds, default=None, metavar="S",
                        help="time bound for OCR of one picture or page (default 60); slower ones are recorded as not OCR'd")
    _add_report_options(p_scan)

    p_demo = sub.add_parser("demo", help="generate the sample Interket share and scan it")
    p_demo.add_argument("--workdir", type=Path, default=Path("demo-output"), help="where the share and report go")
    _add_report_commands(sub)

    _add_register_commands(sub)

    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO if args.verbose else logging.WARNING,
                        format="%(asctime)s %(levelname)s %(message)s", stream=sys.stderr)
    if args.command == "scan":
        return scan(args.path, args.register, args.db, args.out, args.as_of, args.quiet,
                    args.formats, args.lang, args.fail_on, args.reviews, args.ocr, args.ocr_seconds,
                    args.spacy_model, args.recognizers)
    if args.command in REPORT_COMMANDS:
        return _run_report_command(args)
    if args.command == "register":
        if args.register_command == "import":
            return register_import(args.docx, args.output, args.force)
        return register_check(args.register)
    return demo(args.workdir)


if __name__ == "__main__":
    sys.exit(main())
