"""Zip archives: every member becomes a child item, read lazily, within limits.

The limits stop a zip bomb before any member is unpacked: the archive's directory is
checked first (member count, total uncompressed size, compression ratio). Nested zips
are children like any other; the pipeline's depth limit stops endless nesting.
"""
from __future__ import annotations

import io
import zipfile
import zlib
from datetime import datetime, timezone
from typing import Iterator

from scanner.extract import CouldNotInspect, damaged, encrypted, extractor
from scanner.extract.bounds import check_zip_index
from scanner.model import Blob, Content

MAX_MEMBERS = 100_000
MAX_TOTAL_BYTES = 20 * 1024**3      # uncompressed, all members together
RATIO_MIN_BYTES = 1024**2            # members above this are held to bounds.MAX_RATIO
IN_MEMORY_BYTES = 64 * 1024**2      # members up to this size are read into memory (libraries need seek)
NAME_ENCODING = "cp850"             # names not marked UTF-8: Windows' Explorer writes them in the DOS code page


def check_limits(infos: list[zipfile.ZipInfo]) -> None:
    """Raise CouldNotInspect when the archive's directory already looks like a zip bomb."""
    check_zip_index(infos, "zip", max_unpacked=MAX_TOTAL_BYTES, max_members=MAX_MEMBERS, ratio_from=RATIO_MIN_BYTES)


def _mtime(info: zipfile.ZipInfo) -> datetime | None:
    try:
        return datetime(*info.date_time, tzinfo=timezone.utc)
    except ValueError:
        return None


def member_opener(archive: zipfile.ZipFile, info: zipfile.ZipInfo):
    """Opens a member; a small one is unpacked once and kept while its item is inspected."""
    unpacked: list[bytes] = []

    def open_member():
        try:
            if info.file_size > IN_MEMORY_BYTES:
                return archive.open(info)
            if not unpacked:
                unpacked.append(archive.read(info))
            return io.BytesIO(unpacked[0])
        except (zipfile.BadZipFile, zipfile.LargeZipFile, zlib.error, EOFError, ValueError) as exc:
            raise CouldNotInspect(f"damaged zip member ({type(exc).__name__}: {exc})") from exc
    return open_member


def _members(blob: Blob, archive: zipfile.ZipFile, f) -> Iterator[Blob]:
    with f, archive:
        for info in archive.infolist():
            if info.is_dir():
                continue
            yield Blob(name=info.filename, size=info.file_size, open=member_opener(archive, info), mtime=_mtime(info),
                       dates=dict(blob.dates))


@extractor(".zip")
def extract_zip(blob: Blob) -> Content:
    """The members of a zip archive, as children; encrypted archives cannot be inspected."""
    f = blob.open()
    try:
        archive = zipfile.ZipFile(f, metadata_encoding=NAME_ENCODING)
        infos = archive.infolist()
        if any(i.flag_bits & 0x1 for i in infos):
            raise encrypted("zip")
        check_limits(infos)
    except zipfile.BadZipFile as exc:
        f.close()
        raise damaged("a zip", str(exc)) from exc
    except CouldNotInspect:
        f.close()
        raise
    return Content(children=_members(blob, archive, f))
