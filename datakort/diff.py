"""`datakort diff`: what changed between two scans (docs/report.md)."""
from __future__ import annotations

import json
import sys
from contextlib import closing

from datakort.common import FAIL_CODE, add_db_option, add_key_option, check_key, choices, open_store, read_key, scan_id_in
from reports.gaps.diff import diff_scans, diff_text


def diff_command(args) -> int:
    """`datakort diff [A B]`: what changed between two scans (default: the last two)."""
    if len(args.scans) not in (0, 2):
        raise LookupError("give two scan ids (older first), or none for the last two scans")
    with closing(open_store(args.db)) as store:
        check_key(store, read_key(), args.new_key)
        if args.scans:
            old, new = (scan_id_in(store, s) for s in args.scans)
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


def add_parser(sub) -> None:
    p = sub.add_parser("diff", help="what changed between two scans (default: the last two)")
    p.add_argument("scans", type=int, nargs="*", help="two scan ids, older first")
    add_db_option(p)
    p.add_argument("--format", choices=("text", "json"), default="text", help="output format (default text)")
    p.add_argument("--fail-on", type=choices(("new",), "condition"), default=(), help="new: exit with code 1 when there are new gaps")
    add_key_option(p)
    p.set_defaults(run=diff_command)
