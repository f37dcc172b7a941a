"""What every source of items is: a name the store records and a crawl in stable order."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Iterator, Protocol

from scanner.model import FAILED, Blob


class SourceError(Exception):
    """A source that cannot be used (no such folder, wrong password): the message says why and what to do."""


@dataclass
class CrawledItem:
    """One entry found by the crawler: a readable file (`blob`), or a status and the reason it is not read."""

    location: str
    blob: Blob | None = None
    status: str = FAILED
    reason: str | None = None
    size: int = 0
    mtime: datetime | None = None
    owner: str | None = None  # the file's owner as a user name, where the source can tell


@dataclass
class Coverage:
    """What a crawl could read: how many folders it listed, and the folders it could not list
    (locations; "." is the root). Stored with the scan: what lies under an unreadable folder was
    not checked this time (reports/gaps/coverage.py)."""

    folders: int = 0
    unreadable: list[str] = field(default_factory=list)

    def listed(self) -> None:
        self.folders += 1

    def could_not_list(self, location: str) -> None:
        self.unreadable.append(location or ".")

    @property
    def root_unreadable(self) -> bool:
        return "." in self.unreadable


class Source(Protocol):
    """What a scan reads: a name the store records, and a crawl in stable order that fills in `coverage`."""

    @property
    def name(self) -> str: ...

    def crawl(self, coverage: Coverage | None = None) -> Iterator[CrawledItem]: ...
