"""`datakort register import|check`: the register's own commands (docs/register.md)."""
from __future__ import annotations

import sys
from pathlib import Path

from datakort.common import fail
from reports.register.import_docx import RegisterImportError, draft_register
from reports.register.load import ERROR, read_register


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


def add_parser(sub) -> None:
    p_register = sub.add_parser("register", help="import a Word register or check a register file")
    register_sub = p_register.add_subparsers(dest="register_command", required=True)
    p_import = register_sub.add_parser("import", help="make a draft register.yaml from a Word register (.docx)")
    p_import.add_argument("docx", type=Path, help="the Word register (persondatafortegnelse)")
    p_import.add_argument("-o", "--output", type=Path, default=Path("register.yaml"), help="the draft to write; - writes it to standard output")
    p_import.add_argument("--force", action="store_true", help="overwrite the output file if it exists")
    p_check = register_sub.add_parser("check", help="check a register file; exit code 2 when it has errors")
    p_check.add_argument("register", type=Path, help="the register YAML (docs/register.md)")
    p_register.set_defaults(run=run)


def run(args) -> int:
    """Run `datakort register …`."""
    if args.register_command == "import":
        return register_import(args.docx, args.output, args.force)
    return register_check(args.register)
