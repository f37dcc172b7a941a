"""Walk a local or mounted folder, read-only, and yield what is in it.

Files are opened with O_NOATIME where the OS allows it so a scan does not change access
times; symbolic links are not followed (they are recorded as skipped), so a link loop
cannot trap the walk. Blobs open through `functools.partial`, so they can be sent to
worker processes and Dask workers.
"""
from __future__ import annotations

import os
import stat
from functools import partial
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import BinaryIO, Iterator

from scanner.model import FAILED, SKIPPED, Blob

_NOATIME = getattr(os, "O_NOATIME", 0)


def open_readonly(path: str) -> BinaryIO:
    """Open a file for reading without touching its access time when the OS allows it."""
    try:
        fd = os.open(path, os.O_RDONLY | _NOATIME)
    except PermissionError:
        if not _NOATIME:
            raise
        fd = os.open(path, os.O_RDONLY)  # O_NOATIME needs ownership; fall back to a plain read
    return os.fdopen(fd, "rb")


@dataclass
class CrawledItem:
    """One entry found by the crawler: a readable file (`blob`), or a status and the reason it is not read."""

    location: str
    blob: Blob | None = None
    status: str = FAILED
    reason: str | None = None
    size: int = 0
    mtime: datetime | None = None


def _mtime(st: os.stat_result) -> datetime:
    return datetime.fromtimestamp(st.st_mtime, tz=timezone.utc)


@dataclass(frozen=True)
class LocalSource:
    """A local or mounted folder. `name` is what the store records as the scan's root."""

    root: str

    @property
    def name(self) -> str:
        return self.root

    def crawl(self) -> Iterator[CrawledItem]:
        return crawl(self.root)


def crawl(root: str | Path) -> Iterator[CrawledItem]:
    """Every entry below `root` in a stable (sorted) order; locations use '/' and are relative to root."""
    root = str(root)
    stack = [""]
    while stack:
        rel_dir = stack.pop()
        abs_dir = os.path.join(root, rel_dir) if rel_dir else root
        try:
            with os.scandir(abs_dir) as it:
                entries = sorted(it, key=lambda e: e.name)
        except OSError as exc:
            yield CrawledItem(rel_dir or ".", reason=f"folder cannot be listed: {exc.strerror or exc}")
            continue
        subdirs = []
        for entry in entries:
            location = f"{rel_dir}/{entry.name}" if rel_dir else entry.name
            try:
                st = entry.stat(follow_symlinks=False)
            except OSError as exc:
                yield CrawledItem(location, reason=f"cannot read file information: {exc.strerror or exc}")
                continue
            if stat.S_ISLNK(st.st_mode):
                yield CrawledItem(location, status=SKIPPED, reason="symbolic link, not followed", mtime=_mtime(st))
            elif stat.S_ISDIR(st.st_mode):
                subdirs.append(location)
            elif stat.S_ISREG(st.st_mode):
                path = entry.path
                yield CrawledItem(location, blob=Blob(
                    name=entry.name, size=st.st_size, open=partial(open_readonly, path),
                    mtime=_mtime(st), path=path), size=st.st_size, mtime=_mtime(st))
            else:
                yield CrawledItem(location, status=SKIPPED, reason="not a regular file (device, socket or pipe)",
                                  mtime=_mtime(st))
        stack.extend(reversed(subdirs))
