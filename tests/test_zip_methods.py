"""Zip members packed with methods the standard library cannot unpack: Deflate64 (Windows'
Explorer, big zips) is read through inflate64; a legacy method (implode) is one could-not-inspect
member, and the members beside it are read, with and without worker processes."""
from __future__ import annotations

import struct
import zlib
from dataclasses import dataclass

import inflate64
import pytest

from scanner.model import ANALYSED, FAILED, LOCATION_SEP
from scanner.run.runner import ScanOptions, run_scan
from scanner.store import Store
from tests.scale_helpers import view

NOTE_A = "Kontakt: Mette Hansen, telefon 20 12 34 56, mette.hansen@firma.dk\n"
NOTE_B = "Ring til Jens Jensen på 31 45 67 89 eller skriv til jens@jensen.dk\n"


@dataclass
class Member:
    name: str
    method: int      # 0 stored, 8 deflate, 9 Deflate64, 6 implode
    packed: bytes
    unpacked: bytes


def raw_zip(members: list[Member]) -> bytes:
    """A zip written field by field (APPNOTE 4.3), so any compression method can be stored."""
    out, central = bytearray(), bytearray()
    for m in members:
        name, crc = m.name.encode(), zlib.crc32(m.unpacked)
        fields = (20, 0, m.method, 0, 0x21, crc, len(m.packed), len(m.unpacked), len(name), 0)
        offset = len(out)
        out += struct.pack("<IHHHHHIIIHH", 0x04034B50, *fields) + name + m.packed
        central += struct.pack("<IH", 0x02014B50, 20) + struct.pack("<HHHHHIIIHH", *fields)
        central += struct.pack("<HHHII", 0, 0, 0, 0, offset) + name
    end = struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, len(members), len(members), len(central), len(out), 0)
    return bytes(out + central + end)


def deflated(data: bytes) -> bytes:
    packer = zlib.compressobj(9, zlib.DEFLATED, -15)
    return packer.compress(data) + packer.flush()


def deflate64(data: bytes) -> bytes:
    packer = inflate64.Deflater()
    return packer.deflate(data) + packer.flush()


def findings(store: Store, scan_id: int) -> dict[str, tuple[str, str | None, list[str]]]:
    return {loc.split(LOCATION_SEP)[-1]: (status, reason, sorted({f[0] for f in fs}))
            for loc, _, status, reason, _, _, fs in view(store, scan_id)}


@pytest.mark.parametrize("workers", [0, 2])
def test_one_member_packed_with_implode_does_not_lose_its_siblings(tmp_path, detector, workers):
    big = ("Medarbejder Sofie Nielsen, sofie@nielsen.dk, tlf. 40 50 60 70\n" * 2000).encode()
    root = tmp_path / "share"
    root.mkdir()
    (root / "backup.zip").write_bytes(raw_zip([
        Member("a.txt", 8, deflated(NOTE_A.encode()), NOTE_A.encode()),
        Member("moby.txt", 6, b"\x0b\x02\x06\x24\x11\x00garbled-imploded-data", b"x" * 40),
        Member("stor.txt", 9, deflate64(big), big),
        Member("b.txt", 0, NOTE_B.encode(), NOTE_B.encode())]))
    store = Store(tmp_path / "scan.db")
    scan_id, _ = run_scan(root, store, detector, options=ScanOptions(workers=workers, full=True))
    items = findings(store, scan_id)
    assert items["a.txt"] == (ANALYSED, None, ["DK_PHONE", "EMAIL_ADDRESS", "PERSON"])
    assert items["b.txt"] == (ANALYSED, None, ["DK_PHONE", "EMAIL_ADDRESS", "PERSON"])
    assert items["stor.txt"] == (ANALYSED, None, ["DK_PHONE", "EMAIL_ADDRESS", "PERSON"])
    status, reason, _ = items["moby.txt"]
    assert status == FAILED and "legacy method 'implode'" in reason and "7-Zip" in reason
    assert items["backup.zip"][0] == ANALYSED


def test_a_damaged_deflate64_member_is_could_not_inspect(tmp_path, detector):
    good = NOTE_A.encode()
    packed = bytearray(deflate64(good))
    root = tmp_path / "share"
    root.mkdir()
    (root / "x.zip").write_bytes(raw_zip([Member("a.txt", 9, bytes(packed[:-4]) + b"\xff" * 4, good),
                                          Member("b.txt", 0, NOTE_B.encode(), NOTE_B.encode())]))
    store = Store(tmp_path / "scan.db")
    scan_id, _ = run_scan(root, store, detector, options=ScanOptions(workers=0, full=True))
    items = findings(store, scan_id)
    assert items["a.txt"][0] == FAILED and "damaged zip member" in items["a.txt"][1]
    assert items["b.txt"][0] == ANALYSED and items["b.txt"][2]
