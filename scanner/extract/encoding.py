"""Text of unknown encoding: which encoding its first bytes show, and whether bytes of unknown
type are text at all (so a file with no suffix, or one nobody knows, is read when it is text)."""
from __future__ import annotations

import codecs


def decode_text(data: bytes) -> str:
    """Decode bytes of unknown encoding (see `sniff_encoding`)."""
    encoding = sniff_encoding(data)
    if encoding == "utf-8-sig":
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            encoding = "cp1252"
    return data.decode(encoding, errors="replace")


def sniff_encoding(head: bytes) -> str:
    """The encoding of a text from its first bytes: UTF-16 (with a BOM, or without one when
    every other byte is NUL, as Windows tools write it), UTF-8 (with or without BOM) when the
    bytes are valid UTF-8, else cp1252 (which also reads ISO-8859-1 text)."""
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        return "utf-16"
    sample = head[:4096]
    if len(sample) >= 4 and sample.count(0) * 3 > len(sample):  # mostly ASCII stored two bytes a character
        return "utf-16-le" if sample[1::2].count(0) > sample[0::2].count(0) else "utf-16-be"
    try:
        codecs.getincrementaldecoder("utf-8")().decode(head, final=False)  # a character cut at the end is fine
        return "utf-8-sig"
    except UnicodeDecodeError:
        return "cp1252"


def looks_like_text(data: bytes) -> bool:
    """Whether bytes of unknown type read as text: no NUL in their first 4 KB (UTF-16 aside)
    and almost no other control characters once decoded."""
    head = decode_text(data[:4096])
    if not head or "\x00" in head:
        return False
    controls = sum(1 for c in head if c < " " and c not in "\t\n\r\f")
    return controls * 100 < len(head)
