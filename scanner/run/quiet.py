"""Keeping the screen for the scan's own output: what parsers print goes to the log, and a log
line said again and again is shown once with its count.

Parsers print diagnostics to stdout or stderr (xlrd dumps records while it reads an odd .xls);
in the middle of the command line's output they look like errors, and they may quote the file's
content. `parser_output_in_log` catches them while an item is read and logs only how many lines
there were. `RepeatFilter` lets a log line through the first time and then at 10, 100, 1000 …
repeats, with the count (Presidio logs the same line for every document).
"""
from __future__ import annotations

import io
import logging
from contextlib import contextmanager, redirect_stderr, redirect_stdout
from typing import Iterator

log = logging.getLogger(__name__)


class _LineCounter(io.TextIOBase):
    """A text stream that counts the lines written to it and keeps none of them."""

    def __init__(self):
        super().__init__()
        self.lines = 0

    def writable(self) -> bool:
        return True

    def write(self, text: str) -> int:
        self.lines += text.count("\n")
        return len(text)


@contextmanager
def parser_output_in_log(location: str) -> Iterator[None]:
    """While the block runs, what is printed to stdout or stderr is caught; the number of lines
    is logged (at debug level) with the item's location, never their text."""
    caught = _LineCounter()
    try:
        with redirect_stdout(caught), redirect_stderr(caught):
            yield
    finally:
        if caught.lines:
            log.debug("a parser printed %d lines while reading %s (not shown: they may quote its content)",
                      caught.lines, location)


class RepeatFilter(logging.Filter):
    """Lets a record through the first time its text is seen, then only at the 10th, 100th,
    1000th … time, with `(said N times)` added."""

    def __init__(self):
        super().__init__()
        self.seen: dict[tuple[str, int, str], int] = {}

    def filter(self, record: logging.LogRecord) -> bool:
        key = (record.name, record.levelno, record.getMessage())
        count = self.seen[key] = self.seen.get(key, 0) + 1
        if count == 1:
            return True
        if len(str(count).rstrip("0")) == 1 and str(count)[0] == "1":  # 10, 100, 1000 …
            record.msg, record.args = f"{key[2]} (said {count} times)", None
            return True
        return False


def collapse_repeated_log_lines() -> None:
    """Put a RepeatFilter on every handler of the root logger (call after logging is set up)."""
    for handler in logging.getLogger().handlers:
        if not any(isinstance(f, RepeatFilter) for f in handler.filters):
            handler.addFilter(RepeatFilter())
