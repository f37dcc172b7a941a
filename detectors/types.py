"""The records detection works on: text segments and pictures in, entities and findings out.

Nothing here knows where a text came from (a file, a mail, a share): the scanner builds
Segments and Images from what it reads and stores the Findings detection returns.
"""
from __future__ import annotations

import bisect
import re
from dataclasses import dataclass
from functools import cached_property
from typing import Callable, Iterable, Iterator, Sequence


# Between segments analysed in one Presidio call (Detector.findings_in): a line of seven made-up
# lower-case words that no recogniser knows. 86 characters are wider than any recogniser's
# look-around (lexicon 80, names 80 after and 20 before, CPR 60, phone 40 before); with its
# newline it is more words than Presidio's context window (the match's own token and 5 before);
# the newlines at both ends stand where a segment's own text would begin or end (for `\b`,
# `^`/`$`, sentence starts); and a recogniser that looks at a whole paragraph or row (the
# lexicon's) stops at it (`SEGMENT_GAP_WORD`).
SEGMENT_GAP_WORD = "xqxqxqxqxqx"
SEGMENT_GAP = "\n" + f"{SEGMENT_GAP_WORD} " * 7 + "\n"


def segment_window(text: str, start: int, end: int, reach: int) -> tuple[int, int]:
    """The text within `reach` of text[start:end] that belongs to the same segment: a window wider
    than SEGMENT_GAP must stop at it, or a packed neighbour's words would decide (lo, hi)."""
    lo, hi = max(0, start - reach), min(len(text), end + reach)
    before = text.rfind(SEGMENT_GAP_WORD, lo, start)
    after = text.find(SEGMENT_GAP_WORD, end, hi)
    return (lo if before < 0 else before + len(SEGMENT_GAP_WORD)), (hi if after < 0 else after)


@dataclass
class Segment:
    """A piece of text from an item, with where it sits inside the item.

    Text joined from several places (the cells of a table row, say) keeps `parts`:
    (offset, where) pairs, so a finding can name its own cell. Table cells are written
    as `header: value`, which gives the detectors the column header as context.
    """

    text: str
    where: str = ""
    parts: tuple[tuple[int, str], ...] = ()
    numbered_lines: bool = False  # where_at() says "line N" (plain text files)
    first_line: int = 1  # with numbered_lines: the number of the text's first line (a piece of a big file)
    # Characters at the start and at the end that are only context: a big file's text comes in
    # overlapping pieces; detection reads the overlap, but an entity starting in it belongs to
    # the neighbouring piece and is reported there (see `owns`).
    context: tuple[int, int] = (0, 0)
    # A table row: the column header of each part (its cell, written `header: value`), '' where
    # the column has none; detectors/tables.py reads big tables cell by cell with it.
    columns: tuple[str, ...] = ()

    @classmethod
    def joined(cls, pieces: Iterable[tuple[str, str]], sep: str = "\n") -> "Segment":
        """One segment from (text, where) pieces, remembering where each piece starts."""
        texts: list[str] = []
        parts: list[tuple[int, str]] = []
        offset = 0
        for text, where in pieces:
            parts.append((offset, where))
            texts.append(text)
            offset += len(text) + len(sep)
        return cls(sep.join(texts), parts[0][1] if parts else "", tuple(parts))

    def owns(self, offset: int) -> bool:
        """Whether an entity starting at `offset` is this segment's to report (not in its context)."""
        return self.context[0] <= offset < len(self.text) - self.context[1]

    def where_at(self, offset: int) -> str:
        """The sub-location of the character at `offset`."""
        if self.numbered_lines:
            line = f"line {bisect.bisect_left(self._line_breaks, offset) + self.first_line}"
            return f"{self.where}, {line}" if self.where else line
        if not self.parts:
            return self.where
        index = bisect.bisect_right(self.parts, offset, key=lambda part: part[0]) - 1
        return self.parts[max(index, 0)][1]

    @cached_property
    def _line_breaks(self) -> list[int]:
        """Offsets of the text's line breaks, found once (counting them per finding made a
        30 MB text file with 8 000 findings take minutes)."""
        return [m.start() for m in re.finditer("\n", self.text)]


def row_segment(row_no: int, cells: Sequence[str], header: Sequence[str], where: Callable[[int, int], str]) -> Segment | None:
    """One table row as a Segment: each non-empty cell a line `header: value` (the header is
    context for what follows), `where(row_no, col_no)` (1-based) naming the cell; None for an empty row."""
    pieces, columns = [], []
    for col_no, cell in enumerate(cells, start=1):
        if cell:
            name = header[col_no - 1] if col_no <= len(header) else ""
            pieces.append((f"{name}: {cell}" if name else cell, where(row_no, col_no)))
            columns.append(name)
    if not pieces:
        return None
    segment = Segment.joined(pieces)
    segment.columns = tuple(columns)
    return segment


@dataclass
class TableRows:
    """Many rows of one table under one header (a big CSV's or sheet's rows, some hundreds at a
    time): how big tables reach detection, read by column (detectors/tables.py) with no Segment
    per row. Each row stands for its `row_segment`; `segments()` gives them."""

    header: tuple[str, ...]
    rows: list[tuple[int, list[str]]]   # (row number, its cells, stripped; '' for an empty cell)
    where: Callable[[int, int], str]    # (row number, column number from 1) -> the cell's `where`

    def segments(self) -> list[Segment]:
        """Each row as the Segment it stands for."""
        return [s for row_no, cells in self.rows if (s := row_segment(row_no, cells, self.header, self.where))]

    @cached_property
    def chars(self) -> int:
        """The characters of the rows' cells (their segments' text is longer by the headers)."""
        return sum(sum(map(len, cells)) for _, cells in self.rows)


def expand(items: Iterable[Segment | TableRows]) -> Iterator[Segment]:
    """Segments, each TableRows replaced by its rows' segments."""
    for item in items:
        if isinstance(item, TableRows):
            yield from item.segments()
        else:
            yield item


@dataclass
class Image:
    """A picture inside an item (an embedded photo, a contact photo, a scanned page).

    `needs_ocr` marks a page image whose text exists only as pixels (a PDF page with no
    text layer); image detection (faces, OCR) consumes these.
    """

    data: bytes
    where: str
    name: str = ""
    needs_ocr: bool = False


@dataclass(frozen=True)
class Entity:
    """A raw detection inside one text (holds the cleartext; never stored)."""

    entity_type: str
    start: int
    end: int
    score: float


@dataclass
class Finding:
    """One personal-data entity found in one place. Never holds the cleartext value."""

    entity_type: str
    category: str
    score: float
    masked: str
    value_hash: str
    where: str = ""

    def __reduce__(self):  # pickled as its fields: a big file's findings go from worker to scanner fast
        return Finding, (self.entity_type, self.category, self.score, self.masked, self.value_hash, self.where)

    def at(self, where: str) -> "Finding":
        """The same finding in another place (a table cell's reading, put in its row)."""
        return Finding(self.entity_type, self.category, self.score, self.masked, self.value_hash, where)
