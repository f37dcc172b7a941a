"""Plain text and CSV."""
from __future__ import annotations

import csv
import io
from typing import Callable, Iterable, Sequence

from scanner.extract import CouldNotInspect, extractor
from scanner.extract.bounds import too_large
from scanner.model import Blob, Content, Segment

MAX_TEXT_BYTES = 64 * 1024 * 1024


def decode_text(data: bytes) -> str:
    """Decode bytes of unknown encoding: UTF-8 (with or without BOM), UTF-16 with BOM, else cp1252."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16", errors="replace")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")


def table_rows(rows: Iterable[Sequence[object]], where: Callable[[int, int], str]) -> list[Segment]:
    """Segments for a table whose first row is a header: one segment per data row.

    Each cell becomes `header: value` so the header is context for what follows, and
    `where(row_no, col_no)` (both 1-based) names the cell.
    """
    segments: list[Segment] = []
    header: list[str] = []
    for row_no, row in enumerate(rows, start=1):
        cells = ["" if c is None else str(c).strip() for c in row]
        if not header:
            header = cells
            if any(cells):
                segments.append(Segment.joined((c, where(row_no, i + 1)) for i, c in enumerate(cells) if c))
            continue
        pieces = []
        for col_no, cell in enumerate(cells, start=1):
            if cell:
                name = header[col_no - 1] if col_no <= len(header) else ""
                pieces.append((f"{name}: {cell}" if name else cell, where(row_no, col_no)))
        if pieces:
            segments.append(Segment.joined(pieces))
    return segments


def _read(blob: Blob) -> str:
    """The whole text, or "could not inspect" when it is over MAX_TEXT_BYTES (never read past the limit)."""
    if blob.size > MAX_TEXT_BYTES:
        raise too_large(blob.size, MAX_TEXT_BYTES, "the file is")
    with blob.open() as f:
        data = f.read(MAX_TEXT_BYTES + 1)
    if len(data) > MAX_TEXT_BYTES:
        raise too_large(max(blob.size, len(data)), MAX_TEXT_BYTES, "the file is")
    return decode_text(data)


@extractor(".txt", ".log", ".md")
def extract_text(blob: Blob) -> Content:
    return Content(segments=[Segment(_read(blob), numbered_lines=True)])


@extractor(".csv", ".tsv")
def extract_csv(blob: Blob) -> Content:
    """Each data row is a segment; a cell's where is `row R, column HEADER`."""
    text = _read(blob)
    try:
        dialect = csv.Sniffer().sniff(text[:8192], delimiters=",;\t|")
    except csv.Error:
        dialect = csv.excel
    try:
        rows = list(csv.reader(io.StringIO(text, newline=""), dialect))
    except csv.Error as exc:  # a field over csv's size limit, a stray NUL, …
        raise CouldNotInspect(f"not a CSV file this version can read ({exc})") from exc
    header = rows[0] if rows else []

    def where(row_no: int, col_no: int) -> str:
        name = header[col_no - 1].strip() if col_no <= len(header) and header[col_no - 1].strip() else str(col_no)
        return f"row {row_no}, column {name}"

    return Content(segments=table_rows(rows, where))
