"""Walk a local or mounted folder, read-only, and yield what is in it.

Files and folders are opened with O_NOATIME where the OS allows it so a scan does not
change access times; symbolic links are not followed (they are recorded as skipped), so a link loop
cannot trap the walk. A file name that is not valid UTF-8 keeps its undecodable bytes
as `\\xNN` in the location (see `printable`), so it can be stored and shown.
Blobs open through `functools.partial`, so they can be sent to worker processes and
Dask workers.
"""
from __future__ import annotations

import os
import pwd
import stat
from functools import lru_cache, partial
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import BinaryIO, Iterator

from scanner.model import SKIPPED, Blob
from scanner.sources.base import Coverage, CrawledItem, SourceError

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


def printable(name: str) -> str:
    """A file name as valid text: bytes that are not UTF-8 (Python's surrogate escapes) become `\\xNN`.

    The location is for people and for the store (SQLite, JSON, HTML need valid UTF-8);
    the item's real path is kept separately for opening it.
    """
    try:
        name.encode("utf-8")
        return name
    except UnicodeEncodeError:
        return os.fsencode(name).decode("utf-8", errors="backslashreplace")


def _list_folder(path: str) -> list[tuple[str, os.stat_result | OSError]]:
    """A folder's entries sorted by name, each with its lstat (or why there is none), listed through
    an O_NOATIME descriptor so the folder's access time stays."""
    try:
        fd = os.open(path, os.O_RDONLY | os.O_DIRECTORY | _NOATIME)
    except PermissionError:
        if not _NOATIME:
            raise
        fd = os.open(path, os.O_RDONLY | os.O_DIRECTORY)
    try:
        with os.scandir(fd) as it:
            names = sorted(entry.name for entry in it)
        entries: list[tuple[str, os.stat_result | OSError]] = []
        for name in names:
            try:
                entries.append((name, os.stat(name, dir_fd=fd, follow_symlinks=False)))
            except OSError as exc:
                entries.append((name, exc))
        return entries
    finally:
        os.close(fd)


def file_blob(path: str, name: str | None = None, st: os.stat_result | None = None) -> Blob:
    """A file on disk as a Blob: opened read-only without touching its access time, picklable."""
    st = st or os.stat(path)
    return Blob(name=name or printable(os.path.basename(path)), size=st.st_size, open=partial(open_readonly, path),
                mtime=_mtime(st), path=path)


@lru_cache(maxsize=4096)
def owner_name(uid: int) -> str:
    """The user name of a file's owner; the number when the system has no name for it."""
    try:
        return pwd.getpwuid(uid).pw_name
    except KeyError:
        return str(uid)


def _mtime(st: os.stat_result) -> datetime:
    return datetime.fromtimestamp(st.st_mtime, tz=timezone.utc)


@dataclass(frozen=True)
class LocalSource:
    """A local or mounted folder. `name` is what the store records as the scan's root."""

    root: str

    @classmethod
    def from_url(cls, location: str, credentials_file: Path | None = None) -> "LocalSource":
        if not os.path.isdir(location):
            raise SourceError(f"{location} is not a folder that can be read (check the path and that the share is mounted)")
        if not os.access(location, os.R_OK | os.X_OK):
            raise SourceError(f"cannot read the folder {location}: permission denied (the account running the scan "
                              "may not read it; run as a user who can)")
        return cls(os.path.abspath(location))  # the store records where it was, whatever folder it ran from

    @property
    def name(self) -> str:
        return printable(self.root)

    def crawl(self, coverage: Coverage | None = None) -> Iterator[CrawledItem]:
        return crawl(self.root, coverage)


def crawl(root: str | Path, coverage: Coverage | None = None) -> Iterator[CrawledItem]:
    """Every entry below `root` in a stable (sorted) order; locations use '/' and are relative to root.
    `coverage` counts the folders listed and records those that could not be."""
    root = str(root)
    coverage = coverage if coverage is not None else Coverage()
    stack = [("", root)]  # (location of a folder, its real path)
    while stack:
        rel_dir, abs_dir = stack.pop()
        try:
            entries = _list_folder(abs_dir)
        except OSError as exc:
            coverage.could_not_list(rel_dir)
            yield CrawledItem(rel_dir or ".", reason=f"folder cannot be listed: {exc.strerror or exc}")
            continue
        coverage.listed()
        subdirs = []
        for entry_name, st in entries:
            name = printable(entry_name)
            location = f"{rel_dir}/{name}" if rel_dir else name
            if isinstance(st, OSError):
                yield CrawledItem(location, reason=f"cannot read file information: {st.strerror or st}")
                continue
            if stat.S_ISLNK(st.st_mode):
                yield CrawledItem(location, status=SKIPPED, reason="symbolic link, not followed", mtime=_mtime(st))
            elif stat.S_ISDIR(st.st_mode):
                subdirs.append((location, os.path.join(abs_dir, entry_name)))
            elif stat.S_ISREG(st.st_mode):
                yield CrawledItem(location, blob=file_blob(os.path.join(abs_dir, entry_name), name, st),
                                  size=st.st_size, mtime=_mtime(st), owner=owner_name(st.st_uid))
            else:
                yield CrawledItem(location, status=SKIPPED, reason="not a regular file (device, socket or pipe)",
                                  mtime=_mtime(st))
        stack.extend(reversed(subdirs))
