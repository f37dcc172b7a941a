"""Unpacking zip members packed with "implode" (method 6), what PKZIP 1.x wrote in the late 1980s
and early 1990s: old archives on shares still hold them, and no library on PyPI unpacks them.

Written from PKWARE's APPNOTE.TXT (section 5.4, "Imploding"): a sliding window of 4 or 8 KB and
two or three Shannon-Fano trees (literals, lengths, distances) stored at the start of the data.
Imploded members are small by nature (that era's disks), so a member is unpacked in memory.
"""
from __future__ import annotations

LITERALS, LENGTHS, DISTANCES = 256, 64, 64


class ImplodeError(ValueError):
    """The imploded data is damaged."""


class _Bits:
    """The packed bytes as a stream of bits, least significant bit of each byte first."""

    def __init__(self, data: bytes, start: int):
        self.data, self.pos = data, start
        self.buffer = self.count = 0

    def _fill(self, n: int) -> None:
        if self.count < n:  # four bytes at a time; past the end come zeros (a code may end early)
            if self.pos > len(self.data) + 8:
                raise ImplodeError("the imploded data ends early")
            self.buffer |= int.from_bytes(self.data[self.pos:self.pos + 4].ljust(4, b"\0"), "little") << self.count
            self.pos += 4
            self.count += 32

    def take(self, n: int) -> int:
        self._fill(n)
        value = self.buffer & ((1 << n) - 1)
        self.buffer >>= n
        self.count -= n
        return value

    def decode(self, tree: "_Tree") -> int:
        self._fill(tree.longest)
        value, length = tree.table[self.buffer & tree.mask]
        self.buffer >>= length
        self.count -= length
        return value


class _Tree:
    """One Shannon-Fano tree, as a table indexed by the next `longest` bits of the stream."""

    def __init__(self, lengths: list[int]):
        order = sorted(range(len(lengths)), key=lengths.__getitem__)  # stable: equal lengths keep their order
        codes = [0] * len(lengths)
        code = step = last = 0
        for value in reversed(order):  # APPNOTE 5.4: the longest codes first, counting up from 0
            code += step
            if lengths[value] != last:
                last = lengths[value]
                step = 1 << (16 - last)
            codes[value] = code
        if code >= 1 << 16:
            raise ImplodeError("an over-full Shannon-Fano tree")
        self.longest = max(lengths)
        self.mask = (1 << self.longest) - 1
        self.table: list[tuple[int, int]] = [(0, self.longest)] * (1 << self.longest)
        for value, length in enumerate(lengths):
            bits = (codes[value] >> (16 - length)) & ((1 << length) - 1)
            first_bit_low = int(format(bits, f"0{length}b")[::-1], 2)  # the first bit read is the code's top bit
            self.table[first_bit_low::1 << length] = [(value, length)] * (1 << (self.longest - length))


def _read_tree(data: bytes, pos: int, count: int) -> tuple[_Tree, int]:
    """A tree stored as (count-1, length-1) nibble pairs, one byte per run of equal lengths."""
    if pos >= len(data):
        raise ImplodeError("the imploded data ends in its trees")
    size = data[pos] + 1
    runs = data[pos + 1:pos + 1 + size]
    lengths = [length for byte in runs for length in [(byte & 0x0F) + 1] * ((byte >> 4) + 1)]
    if len(runs) != size or len(lengths) != count:
        raise ImplodeError("a damaged Shannon-Fano tree")
    return _Tree(lengths), pos + 1 + size


def explode(packed: bytes, size: int, big_window: bool, literal_tree: bool) -> bytes:
    """The `size` bytes an imploded member holds. `big_window`: an 8 KB window (flag bit 1);
    `literal_tree`: literals are coded too, and matches are at least 3 long (flag bit 2)."""
    pos = 0
    literals = None
    if literal_tree:
        literals, pos = _read_tree(packed, pos, LITERALS)
    lengths, pos = _read_tree(packed, pos, LENGTHS)
    distances, pos = _read_tree(packed, pos, DISTANCES)
    low_bits = 7 if big_window else 6
    shortest = 3 if literal_tree else 2
    bits, out = _Bits(packed, pos), bytearray()
    while len(out) < size:
        if bits.take(1):
            out.append(bits.decode(literals) if literals else bits.take(8))
            continue
        low = bits.take(low_bits)
        distance = (bits.decode(distances) << low_bits | low) + 1
        length = bits.decode(lengths)
        if length == LENGTHS - 1:
            length += bits.take(8)
        length += shortest
        start = len(out) - distance
        if start >= 0 and distance >= length:
            out += out[start:start + length]
        else:  # overlapping, or reaching before the start (zeros there)
            for i in range(start, start + length):
                out.append(out[i] if i >= 0 else 0)
    return bytes(out[:size])
