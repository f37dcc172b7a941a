"""The records that flow through a scan: blobs in, item results out.

A *location* names a thing a person can find again. Levels inside containers are
joined with `LOCATION_SEP`, e.g. `Arkiv/Mail/2019.mbox › 12 "Tilbud" › bilag.xlsx`;
the place inside one item (a page, a cell) is the finding's `where`.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import BinaryIO, Callable, Iterable

from detectors.types import Finding, Image, Segment, TableRows, expand  # the records a scan hands to detection

__all__ = ["Blob", "Content", "Finding", "Image", "ItemResult", "Segment", "TableRows", "expand", "LOCATION_SEP"]

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
class Content:
    """What an extractor gets out of one item: text, pictures, dates and nested items.

    `dates` uses the keys `created`, `modified` (the document's own), `sent` (a
    message's date) and `content` (a date the text states, scanner/extract/dates.py); retention
    clocks read them (docs/register.md). `children` are
    nested items (zip members, attachments, messages in a mailbox) that the pipeline
    inspects recursively, each as its own item. It may be a generator, so a mailbox of
    100 000 messages is read one message at a time; a generator may keep its container
    open until it is exhausted, so the pipeline inspects each child before asking for
    the next. `images` may be a generator too (a scanned PDF's pages, rendered one at a time),
    and so may `segments` (a big text file's pieces, read as detection asks for them). A big
    table's rows come as `TableRows`, some hundreds at a time (`expand` gives their segments).
    """

    segments: Iterable[Segment | TableRows] = field(default_factory=list)
    images: Iterable[Image] = field(default_factory=list)
    dates: dict[str, datetime] = field(default_factory=dict)
    children: Iterable[Blob] = field(default_factory=list)


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
    # Findings of an item still being read (a big text file), handed on before the item is
    # done: the item's own result, with the rest of its findings, follows.
    partial: bool = False
    # Findings the store holds beyond `findings`, by category, when they were read with a cap
    # (`Store.results(scan_id, cap=...)`: a report of a million-row table holds its first findings)
    more_findings: dict[str, int] = field(default_factory=dict)

    def finding_count(self, category: str | None = None) -> int:
        """All the item's findings (of one category), those beyond `findings` included."""
        if category is None:
            return len(self.findings) + sum(self.more_findings.values())
        return sum(1 for f in self.findings if f.category == category) + self.more_findings.get(category, 0)

    def categories(self) -> set[str]:
        """The categories of all the item's findings, those beyond `findings` included."""
        return {f.category for f in self.findings} | {c for c, n in self.more_findings.items() if n}

    @property
    def path(self) -> str:
        """The on-share path of the file this item is or lies inside (the location's first level)."""
        return self.location.split(LOCATION_SEP, 1)[0]
