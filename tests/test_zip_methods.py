"""Zip members packed with methods the standard library cannot unpack: Deflate64 (Windows'
Explorer, big zips) is read through inflate64, implode (PKZIP 1.x) by scanner/extract/implode.py;
a method nothing here unpacks (shrink), or a damaged member, is one could-not-inspect member,
and the members beside it are read, with and without worker processes.

The imploded members here are written by a small encoder of the tests' own (uniform code trees,
greedy matches), and Info-ZIP's unzip, an independent implementation, checks them first: a
member it does not unpack to the same bytes fails the test before our reader is asked."""
from __future__ import annotations

import os
import random
import shutil
import struct
import subprocess
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
    method: int      # 0 stored, 8 deflate, 9 Deflate64, 6 implode, 1 shrink
    packed: bytes
    unpacked: bytes
    flags: int = 0   # general purpose bits; for implode bit 1: 8 KB window, bit 2: literals coded


def raw_zip(members: list[Member]) -> bytes:
    """A zip written field by field (APPNOTE 4.3), so any compression method can be stored."""
    out, central = bytearray(), bytearray()
    for m in members:
        name, crc = m.name.encode(), zlib.crc32(m.unpacked)
        fields = (20, m.flags, m.method, 0, 0x21, crc, len(m.packed), len(m.unpacked), len(name), 0)
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


class _BitWriter:
    """Bits, least significant first in each byte, as implode stores them."""

    def __init__(self):
        self.out, self.acc, self.n = bytearray(), 0, 0

    def raw(self, value: int, count: int) -> None:  # a plain field: low bit first
        self.acc |= value << self.n
        self.n += count
        while self.n >= 8:
            self.out.append(self.acc & 0xFF)
            self.acc >>= 8
            self.n -= 8

    def code(self, value: int, count: int) -> None:  # a tree code: top bit first
        for i in reversed(range(count)):
            self.raw(value >> i & 1, 1)

    def bytes(self) -> bytes:
        return bytes(self.out) + (bytes([self.acc]) if self.n else b"")


def imploded(data: bytes, big_window: bool, literal_tree: bool) -> bytes:
    """`data` imploded with uniform trees (every length 6 bits, literals 8 bits): with all codes
    the same length, APPNOTE's Shannon-Fano rule gives value v the code (count - 1 - v)."""
    trees = (b"\x0f" + b"\xf7" * 16 if literal_tree else b"") + (b"\x03" + b"\xf5" * 4) * 2
    low_bits, shortest = (7 if big_window else 6), (3 if literal_tree else 2)
    window = 8192 if big_window else 4096
    bits, i = _BitWriter(), 0
    while i < len(data):
        best, distance = 0, 0
        for start in range(max(0, i - window), i):
            n = 0
            while i + n < len(data) and data[start + n] == data[i + n] and n < shortest + 63 + 255:
                n += 1
            if n > best:
                best, distance = n, i - start
        if best >= shortest and (distance - 1) >> low_bits < 64:
            bits.raw(0, 1)
            bits.raw((distance - 1) & ((1 << low_bits) - 1), low_bits)
            bits.code(63 - ((distance - 1) >> low_bits), 6)
            length = best - shortest
            bits.code(63 - min(length, 63), 6)
            if length >= 63:
                bits.raw(length - 63, 8)
            i += best
        else:
            bits.raw(1, 1)
            if literal_tree:
                bits.code(255 - data[i], 8)
            else:
                bits.raw(data[i], 8)
            i += 1
    return trees + bits.bytes()


@pytest.mark.parametrize("big_window,literal_tree", [(False, False), (True, True), (False, True), (True, False)])
def test_imploded_members_are_unpacked_as_info_zip_unpacks_them(tmp_path, detector, big_window, literal_tree):
    rng = random.Random(6)
    lines = [f"Kunde {rng.choice(['Mette', 'Jens', 'Sofie'])} Hansen, tlf. {rng.randint(20, 99)} "
             f"{rng.randint(10, 99)} {rng.randint(10, 99)} {rng.randint(10, 99)}, kunde{n}@firma.dk\n" for n in range(60)]
    text = ("".join(lines) + "x" * 400).encode()  # a long run: lengths past 63 + the minimum
    flags = (2 if big_window else 0) | (4 if literal_tree else 0)
    root = tmp_path / "share"
    root.mkdir()
    archive = root / "gammel.zip"
    archive.write_bytes(raw_zip([Member("kunder.txt", 6, imploded(text, big_window, literal_tree), text, flags),
                                 Member("b.txt", 0, NOTE_B.encode(), NOTE_B.encode())]))
    unzip = shutil.which("unzip")
    assert unzip or not os.environ.get("CI"), "Debian's unzip is needed here (make test installs it)"
    if unzip:  # the independent check (Debian's unzip: make test and .ci/run install it)
        assert subprocess.run([unzip, "-p", str(archive), "kunder.txt"], capture_output=True).stdout == text
    store = Store(tmp_path / "scan.db")
    scan_id, _ = run_scan(root, store, detector, options=ScanOptions(workers=0, full=True))
    items = findings(store, scan_id)
    assert items["kunder.txt"] == (ANALYSED, None, ["DK_PHONE", "EMAIL_ADDRESS", "PERSON"])
    assert items["b.txt"][0] == ANALYSED


def findings(store: Store, scan_id: int) -> dict[str, tuple[str, str | None, list[str]]]:
    return {loc.split(LOCATION_SEP)[-1]: (status, reason, sorted({f[0] for f in fs}))
            for loc, _, status, reason, _, _, fs in view(store, scan_id)}


@pytest.mark.parametrize("workers", [0, 2])
def test_a_member_that_cannot_be_unpacked_does_not_lose_its_siblings(tmp_path, detector, workers):
    big = ("Medarbejder Sofie Nielsen, sofie@nielsen.dk, tlf. 40 50 60 70\n" * 2000).encode()
    root = tmp_path / "share"
    root.mkdir()
    (root / "backup.zip").write_bytes(raw_zip([
        Member("a.txt", 8, deflated(NOTE_A.encode()), NOTE_A.encode()),
        Member("moby.txt", 1, b"\x0b\x02\x06\x24\x11\x00shrunk-data", b"x" * 40),
        Member("kapitel.122", 1, b"\x0b\x02\x06\x24\x11\x00shrunk-data", b"x" * 40),  # no reader for .122 either
        Member("broken.txt", 6, b"\x0b\x02\x06\x24\x11\x00garbled-imploded-data", b"x" * 40),
        Member("stor.txt", 9, deflate64(big), big),
        Member("b.txt", 0, NOTE_B.encode(), NOTE_B.encode())]))
    store = Store(tmp_path / "scan.db")
    scan_id, _ = run_scan(root, store, detector, options=ScanOptions(workers=workers, full=True))
    items = findings(store, scan_id)
    assert items["a.txt"] == (ANALYSED, None, ["DK_PHONE", "EMAIL_ADDRESS", "PERSON"])
    assert items["b.txt"] == (ANALYSED, None, ["DK_PHONE", "EMAIL_ADDRESS", "PERSON"])
    assert items["stor.txt"] == (ANALYSED, None, ["DK_PHONE", "EMAIL_ADDRESS", "PERSON"])
    status, reason, _ = items["moby.txt"]
    assert status == FAILED and "legacy method 'shrink'" in reason and "7-Zip" in reason
    status, reason, _ = items["kapitel.122"]  # why it was not read: the method, not "type .122 is not read"
    assert status == FAILED and "legacy method 'shrink'" in reason
    status, reason, _ = items["broken.txt"]
    assert status == FAILED and reason.startswith("damaged zip member")
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
