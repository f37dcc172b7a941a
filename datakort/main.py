"""The `datakort` command line: one module per command, each adding its own parser.

Exit codes (docs/report.md): 0 done; 1 a `--fail-on` condition holds; 2 cannot run (usage,
configuration, the store, the share; one line on stderr says what to do); 3 an internal error
(one line on screen, the traceback in a log file, see `crash_log`); 130 interrupted (Ctrl-C);
141 the output pipe was closed (`… | head`), which ends the command quietly.
"""
from __future__ import annotations

import argparse
import logging
import os
import signal
import sqlite3
import sys
import threading
import traceback
from datetime import datetime, timezone
from importlib import metadata
from pathlib import Path

from datakort import demo, diff, find, register, report, review, scan, serve
from datakort.common import CannotRun, fail
from detectors.privacy import scrub
from reports.gaps.reviews import ReviewsError
from reports.register.model import RegisterError
from scanner.sources import SourceError
from scanner.store import StoreError, store_problem
from scanner.run.quiet import collapse_repeated_log_lines

COMMANDS = (scan, demo, report, diff, review, register, serve, find)
INTERNAL_ERROR, INTERRUPTED, CLOSED_PIPE = 3, 130, 141


class HelpFormatter(argparse.HelpFormatter):
    """Help that shows each option's default (unless the text already says it, or there is none)."""

    def _get_help_string(self, action: argparse.Action) -> str:
        text = action.help or ""
        default = action.default
        if ("default" in text or default in (None, False, (), argparse.SUPPRESS) or not action.option_strings
                or isinstance(action, (argparse._HelpAction, argparse._VersionAction))):
            return text
        shown = ",".join(default) if isinstance(default, tuple) else "%(default)s"
        return f"{text} (default: {shown})"


class Parser(argparse.ArgumentParser):
    """A command line whose usage errors are one line: what is wrong, and where the help is."""

    def error(self, message: str):
        self.exit(2, f"{self.prog}: {message} (see {self.prog} --help)\n")


def version() -> str:
    try:
        return metadata.version("datakort")
    except metadata.PackageNotFoundError:  # run from a checkout that is not installed
        return "0.1.0 (not installed)"


def _verbosity(parser: argparse.ArgumentParser, top: bool) -> None:
    """-v/-q on the main parser and on every command, so they are accepted before or after it."""
    default = False if top else argparse.SUPPRESS  # a command's copy must not reset what came before it
    parser.add_argument("-v", "--verbose", action="store_true", default=default, help="more log lines")
    parser.add_argument("-q", "--quiet", action="store_true", default=default,
                        help="no progress and no summary (alerts and errors still show)")


def _subparsers(parser: argparse.ArgumentParser):
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for child in dict.fromkeys(action.choices.values()):
                yield child
                yield from _subparsers(child)


def build_parser() -> argparse.ArgumentParser:
    parser = Parser(prog="datakort", formatter_class=HelpFormatter,
                                     description="Find personal data and hold it against the register.")
    parser.add_argument("--version", action="version", version=f"datakort {version()}")
    _verbosity(parser, top=True)
    sub = parser.add_subparsers(dest="command", required=True)
    for command in COMMANDS:
        command.add_parser(sub)
    for child in _subparsers(parser):
        child.formatter_class = HelpFormatter
        _verbosity(child, top=False)
    return parser


def crash_log(exc: BaseException) -> Path:
    """Write an internal error's traceback (personal data scrubbed) to ~/.cache/datakort/crash-….log."""
    folder = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "datakort"
    name = f"crash-{datetime.now(timezone.utc):%Y%m%d-%H%M%S}-{os.getpid()}.log"
    text = scrub("".join(traceback.format_exception(exc)))
    for place in (folder, Path("/tmp")):
        try:
            place.mkdir(parents=True, exist_ok=True)
            path = place / name
            # 0600: a traceback can name files, and file names can name people
            with os.fdopen(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600), "w", encoding="utf-8") as f:
                f.write(f"datakort {version()}: {' '.join(sys.argv)}\n{text}")
            return path
        except OSError:
            continue
    return Path("(could not be written)")


def _quiet_stdout() -> None:
    """After a closed pipe: send what is still buffered nowhere, so Python's exit does not complain."""
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())


def main(argv: list[str] | None = None) -> int:
    if threading.current_thread() is threading.main_thread():
        signal.signal(signal.SIGINT, signal.default_int_handler)  # Ctrl-C: KeyboardInterrupt, handled below
    args = build_parser().parse_args(argv)
    logging.basicConfig(level=logging.INFO if args.verbose else logging.WARNING,
                        format="%(asctime)s %(levelname)s %(message)s", stream=sys.stderr)
    collapse_repeated_log_lines()
    try:
        return args.run(args)
    except (LookupError, RegisterError, ReviewsError, StoreError, SourceError, CannotRun) as exc:
        return fail(str(exc).strip("\'\""))
    except KeyboardInterrupt as exc:
        done = getattr(exc, "items", None)
        if done is not None:
            return fail(f"interrupted after {done:,} items; run the same command to resume", INTERRUPTED)
        return fail("interrupted", INTERRUPTED)
    except BrokenPipeError:
        _quiet_stdout()
        return CLOSED_PIPE
    except sqlite3.Error as exc:
        db = getattr(args, "db", None)
        if db is not None and (problem := store_problem(exc, db)):
            return fail(problem)
        return _internal(exc)
    except Exception as exc:  # a bug: one line here, the traceback in a file
        return _internal(exc)


def _internal(exc: Exception) -> int:
    path = crash_log(exc)
    first = scrub(str(exc)).splitlines()[0][:200] if str(exc) else ""
    return fail(f"internal error ({type(exc).__name__}{': ' + first if first else ''}); the details are in "
                f"{path}; please report it", INTERNAL_ERROR)


if __name__ == "__main__":
    sys.exit(main())
