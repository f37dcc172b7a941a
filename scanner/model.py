"""The records that flow through a scan: blobs in, item results out.

A *location* names a thing a person can find again. Levels inside containers are
joined with `LOCATION_SEP`, e.g. `Arkiv/Mail/2019.mbox › 12 "Tilbud" › bilag.xlsx`;
the place inside one item (a page, a cell) is the finding's `where`.
"""
from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field
from functools import cached_property
from datetime import datetime
from typing import BinaryIO, Callable, Iterable

LOCATION_SEP = " › "


@dataclass
class Blob:
    """Something whose bytes can be read: a file on disk or a member of a container.

    `kind` names the type (a suffix like `.eml`) when the name does not tell it, as for a
    message in a mailbox named `2019-03-04 12:01 "Tilbud"`. `content` is set instead of
    `open` for an item its container has already parsed (a message in a .pst); the
    pipeline then calls it rather than an extractor.
    """

    name: str
    size: int
    open: Callable[[], BinaryIO] | None = None
    mtime: datetime | None = None
    path: str | None = None  # on-disk path, for libraries that need one
    dates: dict[str, datetime] = field(default_factory=dict)
    kind: str | None = None
    content: Callable[[], "Content"] | None = None

    @property
    def suffix(self) -> str:
        if self.kind:
            return self.kind
        dot = self.name.rfind(".")
        return self.name[dot:].lower() if dot > 0 else ""


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

    def where_at(self, offset: int) -> str:
        """The sub-location of the character at `offset`."""
        if self.numbered_lines:
            line = f"line {bisect.bisect_left(self._line_breaks, offset) + 1}"
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


@dataclass
class Content:
    """What an extractor gets out of one item: text, pictures, dates and nested items.

    `dates` uses the keys `created`, `modified` (the document's own), `sent` (a
    message's date) and `content` (a date the text states, scanner/dates.py); retention
    clocks read them (docs/register.md). `children` are
    nested items (zip members, attachments, messages in a mailbox) that the pipeline
    inspects recursively, each as its own item. It may be a generator, so a mailbox of
    100 000 messages is read one message at a time; a generator may keep its container
    open until it is exhausted, so the pipeline inspects each child before asking for
    the next. `images` may be a generator too (a scanned PDF's pages, rendered one at a time).
    """

    segments: list[Segment] = field(default_factory=list)
    images: Iterable[Image] = field(default_factory=list)
    dates: dict[str, datetime] = field(default_factory=dict)
    children: Iterable[Blob] = field(default_factory=list)


@dataclass
class Finding:
    """One personal-data entity found in one place. Never holds the cleartext value."""

    entity_type: str
    category: str
    score: float
    masked: str
    value_hash: str
    where: str = ""


# ItemResult.status values
ANALYSED = "analysed"          # content read and searched
SKIPPED = "skipped"            # deliberately not read (type not supported); reason says why
FAILED = "could_not_inspect"   # should have been read but could not be (damaged, encrypted, too large)


@dataclass
class ItemResult:
    """The outcome of inspecting one item: its findings, or why it was not inspected."""

    location: str
    parent: str | None
    size: int
    mtime: datetime | None
    dates: dict[str, datetime] = field(default_factory=dict)
    findings: list[Finding] = field(default_factory=list)
    status: str = ANALYSED
    reason: str | None = None
    owner: str | None = None

    @property
    def path(self) -> str:
        """The on-share path of the file this item is or lies inside (the location's first level)."""
        return self.location.split(LOCATION_SEP, 1)[0]
