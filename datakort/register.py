"""`datakort register import|export|check`: the register's own commands (docs/register.md)."""
from __future__ import annotations

import sys
from datetime import date
from pathlib import Path

from datakort.common import add_db_option, fail, open_store, scan_id_in
from reports.gaps.findings import ITEM_FINDINGS
from reports.gaps.inventory import inventory
from reports.gaps.reconcile import GapKind, reconcile
from reports.register.export_docx import Found, PlaceFound, write_register_docx
from reports.register.import_docx import RegisterImportError, draft_register
from reports.register.load import ERROR, load_register, read_register
from reports.render.labels import local_time


def register_check(path: Path) -> int:
    """`datakort register check`: print every problem with its line; exit code 2 on errors."""
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
    to_stdout = str(out) == "-"
    if not to_stdout and out.exists() and not force:
        return fail(f"{out} exists; choose another -o or add --force to overwrite it")
    try:
        text, todos = draft_register(docx_path)
    except RegisterImportError as exc:
        return fail(str(exc))
    if to_stdout:  # the draft on stdout, what a person must still do on stderr
        sys.stdout.write(text)
        sys.stdout.flush()
        print(f"datakort: a person must still do {len(todos)} thing(s) in the draft (marked TODO)", file=sys.stderr)
        return 0
    try:
        out.write_text(text, encoding="utf-8")
    except OSError as exc:
        return fail(f"cannot write {out}: {exc.strerror or exc}; choose another -o")
    print(f"Draft register written to {out}. A person must still do {len(todos)} thing(s) (marked TODO):")
    for line, todo in todos:
        print(f"  {out}:{line}: {todo}")
    print(f"Then run: datakort register check {out}")
    return 0


def scan_found(db: Path, scan: int | None, register) -> Found:
    """What a stored scan found, per system and folder, and how many items each retention rule finds overdue."""
    store = open_store(db)
    try:
        scan_id = scan_id_in(store, scan)
        row, items = store.scan(scan_id), store.results(scan_id, cap=ITEM_FINDINGS)  # the rest counted
    finally:
        store.close()
    as_of = date.fromisoformat(row.config.get("as_of") or date.today().isoformat())
    overdue: dict[str, int] = {}
    for gap in reconcile(register, items, as_of):
        if gap.kind == GapKind.OVERDUE and gap.rule:
            overdue[gap.rule] = overdue.get(gap.rule, 0) + gap.items
    places = [PlaceFound(r.place, r.system, dict(r.categories), r.undeclared(), r.items, r.items_with_data)
              for r in inventory(register, items)]
    return Found(scan_id, local_time(row.started), row.root, places, overdue)


def register_export(register_path: Path, out: Path, force: bool, db: Path, scan: int | None) -> int:
    """`datakort register export`: an Art. 30 Word draft of the register, with what the last scan found."""
    if out.exists() and not force:
        return fail(f"{out} exists; choose another -o or add --force to overwrite it")
    register = load_register(register_path)
    found = scan_found(db, scan, register) if db.exists() or scan is not None else None
    write_register_docx(register, out, found)
    scanned = f" and scan {found.scan_id}" if found else " (no scan in the store yet: --db)"
    print(f"Art. 30 draft written to {out} from {register_path}{scanned}. "
          f"`datakort register import {out}` reads it back.")
    return 0


def add_parser(sub) -> None:
    p_register = sub.add_parser("register", help="import a Word register, export one, or check a register file")
    register_sub = p_register.add_subparsers(dest="register_command", required=True)
    p_import = register_sub.add_parser("import", help="make a draft register.yaml from a Word register (.docx)")
    p_import.add_argument("docx", type=Path, help="the Word register (persondatafortegnelse)")
    p_import.add_argument("-o", "--output", type=Path, default=Path("register.yaml"), help="the draft to write; - writes it to standard output")
    p_import.add_argument("--force", action="store_true", help="overwrite the output file if it exists")
    p_export = register_sub.add_parser("export", help="write the register as an Art. 30 Word draft (.docx), "
                                                       "with what the last scan found per system")
    p_export.add_argument("register", type=Path, help="the register YAML (docs/register.md)")
    p_export.add_argument("-o", "--output", type=Path, default=Path("fortegnelse.docx"), help="the draft to write")
    p_export.add_argument("--force", action="store_true", help="overwrite the output file if it exists")
    add_db_option(p_export)
    p_export.add_argument("--scan", type=int, default=None, help="the scan to show (default: the last scan)")
    p_check = register_sub.add_parser("check", help="check a register file; exit code 2 when it has errors")
    p_check.add_argument("register", type=Path, help="the register YAML (docs/register.md)")
    p_register.set_defaults(run=run)


def run(args) -> int:
    """Run `datakort register …`."""
    if args.register_command == "import":
        return register_import(args.docx, args.output, args.force)
    if args.register_command == "export":
        return register_export(args.register, args.output, args.force, args.db, args.scan)
    return register_check(args.register)
