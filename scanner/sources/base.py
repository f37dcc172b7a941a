"""What every source of items is: a name the store records and a crawl in stable order."""
from __future__ import annotations

from dataclasses import dataclass
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


class Source(Protocol):
    """What a scan reads: a name the store records, and a crawl in stable order."""

    @property
    def name(self) -> str: ...

    def crawl(self) -> Iterator[CrawledItem]: ...
