"""`datakort find`: where does the store hold this person's CPR number, e-mail, phone or name?

The value is hashed with the secret key and looked up by its hash (reports/gaps/lookup.py); it is
never stored or logged. Give it after the option, or leave it out to be asked for it without
echo (recommended: the value then stays out of the shell's history); piped in, it is read from
standard input. The lookup (who, when, which kind) goes into the store's audit trail.
"""
from __future__ import annotations

import getpass
import sys
from contextlib import closing
from pathlib import Path

from datakort.common import add_db_option, fail, open_store
from reports.gaps.lookup import KINDS, ValueNotUsable, look_up, lookup_csv, lookup_xlsx, read_key, value_hashes

ASK = "-"  # the option given without a value: ask for it


def _value(kind: str, given: str) -> str:
    if given != ASK:
        return given
    if not sys.stdin.isatty():
        return sys.stdin.readline().strip()
    return getpass.getpass(f"{kind} (not shown, not kept): ")


def find_command(args) -> int:
    chosen = [(k, getattr(args, k)) for k in KINDS if getattr(args, k) is not None]
    if len(chosen) != 1:
        return fail("give one of --cpr, --email, --phone or --name (without a value to be asked for it)")
    kind, given = chosen[0]
    try:
        hashes = value_hashes(kind, _value(kind, given), read_key())
    except ValueNotUsable as exc:
        return fail(f"cannot look that {kind} up: {exc}")
    with closing(open_store(args.db)) as store:
        result = look_up(store, kind, hashes, args.all_scans)
        store.audit(args.by or getpass.getuser(), "lookup (datakort find)",
                    f"kind={kind} scans={len(result.scans)} places={result.places}")
    if args.csv:
        args.csv.write_bytes(lookup_csv(result))
    if args.xlsx:
        args.xlsx.write_bytes(lookup_xlsx(result))
    print(f"{len(result.hits)} finding(s) in {result.places} place(s) "
          f"(searched scan{'s' if len(result.scans) != 1 else ''} {', '.join(map(str, result.scans)) or '-'}):")
    for h in result.hits:
        where = f" ({h.where})" if h.where else ""
        owner = f"  owner {h.owner}" if h.owner else ""
        print(f"  {h.location}{where}  {h.entity_type} {h.masked}  scan {h.scan_id} {h.scan_started[:10]}{owner}")
    for path in (args.csv, args.xlsx):
        if path:
            print(f"Wrote:  {path}")
    return 0


def add_parser(sub) -> None:
    p = sub.add_parser("find", help="where is this person? look a CPR, e-mail, phone or name up by its keyed hash")
    for kind, what in (("cpr", "a CPR number"), ("email", "an e-mail address"), ("phone", "a phone number"),
                       ("name", "a name")):
        p.add_argument(f"--{kind}", nargs="?", const=ASK, default=None, metavar="VALUE",
                       help=f"{what}; without VALUE you are asked for it (recommended: it stays out of shell history)")
    add_db_option(p)
    p.add_argument("--all-scans", action="store_true", help="search every scan, not only the latest of each share")
    p.add_argument("--csv", type=Path, default=None, help="also write the places to this CSV file")
    p.add_argument("--xlsx", type=Path, default=None, help="also write the places to this XLSX file")
    p.add_argument("--by", default=None, help="who asks (recorded in the audit trail; default: your login name)")
    p.set_defaults(run=find_command)
