"""Limits that keep one hostile file from taking the scan's memory or time.

Office documents (.docx, .xlsx, …) are zip files: a few kilobytes can unpack to
gigabytes (a "zip bomb"). `check_document_index` reads only the zip's table of contents and
refuses, with a reason a person can act on, what would unpack too large or too
compressed. `too_large` words the reason for a file over a size limit (`too large to read: the
file is 10.0 GB (the limit is 64.0 MB)`).
"""
from __future__ import annotations

import zipfile

from scanner.extract import CouldNotInspect

MAX_UNPACKED = 1024 * 1024 * 1024  # bytes one document may unpack to
MAX_RATIO = 200                    # unpacked / packed size of one member (real documents: under 50)
RATIO_FROM = 10 * 1024 * 1024      # only members that unpack to more than this are held to MAX_RATIO


def size_text(n: int) -> str:
    """A byte count as a person reads it: `812 bytes`, `3.4 MB`, `10.0 GB`."""
    value = float(n)
    for unit in ("bytes", "KB", "MB", "GB"):
        if value < 1024 or unit == "GB":
            return f"{int(value)} bytes" if unit == "bytes" else f"{value:.1f} {unit}"
        value /= 1024
    raise AssertionError("unreachable")


def too_large(size: int, limit: int, what: str, advice: str = "") -> CouldNotInspect:
    """The reason for a file not read because of its size, with what to do when there is a way."""
    return CouldNotInspect(f"too large to read: {what} {size_text(size)} (the limit is {size_text(limit)})"
                           + (f"; {advice}" if advice else ""))


def read_bounded(blob, limit: int, what: str) -> bytes:
    """A blob's bytes, never reading past `limit`: over it, "too large" (`what`: "the file is").

    The stated size is checked first, and the read is bounded too, since a nested item's size
    may be unknown or wrong."""
    if blob.size > limit:
        raise too_large(blob.size, limit, what)
    with blob.open() as f:
        data = f.read(limit + 1)
    if len(data) > limit:
        raise too_large(max(blob.size, len(data)), limit, what)
    return data


def check_zip_index(infos: list[zipfile.ZipInfo], kind: str, *, max_unpacked: int, max_members: int | None = None,
                    ratio_from: int = RATIO_FROM) -> None:
    """Refuse, from a zip's table of contents alone, what would unpack too large or too compressed:
    the one check for zip archives and for zip-based documents (.docx, .xlsx …)."""
    if max_members is not None and len(infos) > max_members:
        raise CouldNotInspect(f"{kind} has {len(infos):,} members, more than the limit of {max_members:,}")
    for m in infos:
        if m.file_size > ratio_from and m.file_size > MAX_RATIO * max(m.compress_size, 1):
            raise CouldNotInspect(
                f"looks like a zip bomb: the {kind} member {m.filename!r} would unpack from "
                f"{size_text(m.compress_size)} to {size_text(m.file_size)}, compressed "
                f"{m.file_size // max(m.compress_size, 1)}:1, more than the limit of {MAX_RATIO}:1; not unpacked")
    total = sum(m.file_size for m in infos)
    if total > max_unpacked:
        raise too_large(total, max_unpacked, f"the {kind} would unpack to")


def check_document_index(members: list[zipfile.ZipInfo], kind: str) -> None:
    """Refuse a zip-based document (`kind`: "Word (.docx)") whose index says it would unpack
    too large or too compressed."""
    check_zip_index(members, f"{kind} file", max_unpacked=MAX_UNPACKED)
