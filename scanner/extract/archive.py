"""Zip archives: every member becomes a child item, read lazily, within limits.

The limits stop a zip bomb before any member is unpacked: the archive's directory is
checked first (member count, total uncompressed size, compression ratio). Nested zips
are children like any other; the pipeline's depth limit stops endless nesting.
"""
from __future__ import annotations

import copy
import io
import zipfile
import zlib
from datetime import datetime, timezone
from typing import Iterator

from scanner.extract import CouldNotInspect, damaged, encrypted, extractor
from scanner.extract.bounds import check_zip_index
from scanner.extract.implode import ImplodeError, explode
from scanner.model import Blob, Content

MAX_MEMBERS = 100_000
MAX_TOTAL_BYTES = 20 * 1024**3      # uncompressed, all members together
RATIO_MIN_BYTES = 1024**2            # members above this are held to bounds.MAX_RATIO
IN_MEMORY_BYTES = 64 * 1024**2      # members up to this size are read into memory (libraries need seek)
NAME_ENCODING = "cp850"             # names not marked UTF-8: Windows' Explorer writes them in the DOS code page
DEFLATE64 = 9                       # Windows' Explorer writes it for members over 2 GB; zipfile cannot unpack it
IMPLODE = 6                         # PKZIP 1.x; unpacked by scanner/extract/implode.py
IMPLODED_MAX_BYTES = 256 * 1024**2  # unpacked in memory (they are small: the method is from the era of floppies)
# zip compression methods nothing here can unpack, by number (APPNOTE 4.4.5)
LEGACY_METHODS = {1: "shrink", 2: "reduce", 3: "reduce", 4: "reduce", 5: "reduce",
                  10: "PKWARE DCL implode", 18: "IBM TERSE", 19: "IBM LZ77", 95: "xz", 96: "JPEG",
                  97: "WavPack", 98: "PPMd", 99: "AES encryption"}


def check_limits(infos: list[zipfile.ZipInfo]) -> None:
    """Raise CouldNotInspect when the archive's directory already looks like a zip bomb."""
    check_zip_index(infos, "zip", max_unpacked=MAX_TOTAL_BYTES, max_members=MAX_MEMBERS, ratio_from=RATIO_MIN_BYTES)


def _mtime(info: zipfile.ZipInfo) -> datetime | None:
    try:
        return datetime(*info.date_time, tzinfo=timezone.utc)
    except ValueError:
        return None


class _Deflate64Member(io.RawIOBase):
    """A Deflate64 member, unpacked as it is read (inflate64), its CRC checked at the end."""

    def __init__(self, archive: zipfile.ZipFile, info: zipfile.ZipInfo):
        import inflate64  # only zips written with Deflate64 need it

        self._packed = _packed(archive, info)  # the unpacked bytes' CRC is checked here
        self._inflater = inflate64.Inflater()
        self._pending = b""
        self._crc, self._expected = 0, info.CRC

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        while not self._pending and not self._inflater.eof:
            chunk = self._packed.read(1024 * 1024)
            if not chunk:
                raise zipfile.BadZipFile("the Deflate64 data ends early")
            self._pending = self._inflater.inflate(chunk)
            self._crc = zlib.crc32(self._pending, self._crc)
            if self._inflater.eof and self._crc != self._expected:
                raise zipfile.BadZipFile("bad CRC-32 in a Deflate64 member")
        n = min(len(buffer), len(self._pending))
        buffer[:n], self._pending = self._pending[:n], self._pending[n:]
        return n

    def close(self) -> None:
        self._packed.close()
        super().close()


def _packed(archive: zipfile.ZipFile, info: zipfile.ZipInfo):
    """A member's packed bytes as a stream (zipfile hands them out for a member asked for as
    "stored" without a CRC; the caller checks the unpacked bytes' CRC)."""
    raw = copy.copy(info)
    raw.compress_type, raw.file_size = zipfile.ZIP_STORED, info.compress_size
    del raw.CRC
    return archive.open(raw)


def _exploded(archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> io.BytesIO:
    """An imploded member, unpacked in memory, its CRC checked."""
    if info.file_size > IMPLODED_MAX_BYTES:
        raise CouldNotInspect(f"zip member packed with the legacy method 'implode' and {info.file_size:,} bytes "
                              "unpacked, more than this reader holds in memory; unpack the zip with 7-Zip or "
                              "Info-ZIP unzip and scan the folder")
    with _packed(archive, info) as packed:
        data = explode(packed.read(), info.file_size, big_window=bool(info.flag_bits & 2),
                       literal_tree=bool(info.flag_bits & 4))
    if zlib.crc32(data) != info.CRC:
        raise zipfile.BadZipFile("bad CRC-32 in an imploded member")
    return io.BytesIO(data)


def _open_member(archive: zipfile.ZipFile, info: zipfile.ZipInfo):
    """A member as a stream, also when it is packed with Deflate64 or implode; another legacy
    method (shrink, reduce …) is a could-not-inspect reason that says what to do."""
    if info.compress_type == DEFLATE64:
        return io.BufferedReader(_Deflate64Member(archive, info))
    if info.compress_type == IMPLODE:
        return _exploded(archive, info)
    if info.compress_type in LEGACY_METHODS:
        raise CouldNotInspect(
            f"zip member packed with the legacy method {LEGACY_METHODS[info.compress_type]!r}, which this "
            "version cannot unpack; unpack the zip with 7-Zip or Info-ZIP unzip and scan the folder")
    return archive.open(info)


def member_opener(archive: zipfile.ZipFile, info: zipfile.ZipInfo):
    """Opens a member; a small one is unpacked once and kept while its item is inspected."""
    unpacked: list[bytes] = []

    def open_member():
        try:
            if info.file_size > IN_MEMORY_BYTES:
                return _open_member(archive, info)
            if not unpacked:
                with _open_member(archive, info) as member:
                    unpacked.append(member.read(IN_MEMORY_BYTES + 1))
            return io.BytesIO(unpacked[0])
        except (zipfile.BadZipFile, zipfile.LargeZipFile, zlib.error, EOFError, ValueError,
                NotImplementedError, ImplodeError) as exc:
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
