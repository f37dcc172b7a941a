"""The `datakort` command line: one module per command, each adding its own parser.

Expected problems (usage, configuration, environment) end with one line on stderr and exit
code 2; a `--fail-on` condition with 1; everything else is a bug.
"""
from __future__ import annotations

import argparse
import logging
import sys

from datakort import demo, diff, find, register, report, review, scan, serve
from datakort.common import fail
from reports.gaps.reviews import ReviewsError
from reports.register.model import RegisterError

COMMANDS = (scan, demo, report, diff, review, register, serve, find)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="datakort", description="Find personal data and hold it against the register.")
    parser.add_argument("-v", "--verbose", action="store_true", help="more log lines")
    sub = parser.add_subparsers(dest="command", required=True)
    for command in COMMANDS:
        command.add_parser(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    logging.basicConfig(level=logging.INFO if args.verbose else logging.WARNING,
                        format="%(asctime)s %(levelname)s %(message)s", stream=sys.stderr)
    try:
        return args.run(args)
    except (LookupError, RegisterError, ReviewsError) as exc:
        return fail(str(exc).strip("\'\""))


if __name__ == "__main__":
    sys.exit(main())
