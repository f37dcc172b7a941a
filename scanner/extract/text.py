"""Plain text and CSV."""
from __future__ import annotations

import csv
import io
import re
from html.parser import HTMLParser
from typing import Callable, Iterable, Sequence

from scanner.extract import damaged, extractor
from scanner.extract.bounds import read_bounded
from scanner.model import Blob, Content, Segment

MAX_TEXT_BYTES = 64 * 1024 * 1024


def decode_text(data: bytes) -> str:
    """Decode bytes of unknown encoding: UTF-8 (with or without BOM), UTF-16 (with a BOM, or
    without one when every other byte is NUL, as Windows tools write it), else cp1252 (which
    also reads ISO-8859-1 text)."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16", errors="replace")
    sample = data[:4096]
    if len(sample) >= 4 and sample.count(0) * 3 > len(sample):  # mostly ASCII stored two bytes a character
        odd_nuls = sample[1::2].count(0)
        return data.decode("utf-16-le" if odd_nuls > sample[0::2].count(0) else "utf-16-be", errors="replace")
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


class _HtmlText(HTMLParser):
    """Collects the visible text of an HTML document, one line per block element."""

    BLOCKS = {"p", "div", "br", "tr", "li", "h1", "h2", "h3", "h4", "h5", "h6", "table", "title", "blockquote"}
    HIDDEN = {"script", "style", "head"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.pieces: list[str] = []
        self.hidden = 0

    def handle_starttag(self, tag, attrs):
        if tag == "body":  # whatever was left open before it (a <head> without </head>), the body is shown
            self.hidden = 0
        elif tag in self.HIDDEN:
            self.hidden += 1
        elif tag in ("td", "th"):
            self.pieces.append(" ")
        elif tag in self.BLOCKS:
            self.pieces.append("\n")

    def handle_endtag(self, tag):
        if tag in self.HIDDEN:
            self.hidden = max(self.hidden - 1, 0)
        elif tag in self.BLOCKS:
            self.pieces.append("\n")

    def handle_data(self, data):
        if not self.hidden:
            self.pieces.append(data)


_END_WITH_ATTRIBUTES = re.compile(r"</(script|style)\s[^>]*>", re.IGNORECASE)


def html_to_text(html: str) -> str:
    """The visible text of an HTML page or mail body, with block elements on their own lines.

    A closing tag with attributes (`</script language="js">`, which browsers accept) is read as
    the plain closing tag, so the script does not swallow the body after it."""
    parser = _HtmlText()
    parser.feed(_END_WITH_ATTRIBUTES.sub(r"</\1>", html))
    parser.close()
    lines = (" ".join(line.split()) for line in "".join(parser.pieces).splitlines())
    return "\n".join(line for line in lines if line)


def _read(blob: Blob) -> str:
    """The whole text, or "could not inspect" when it is over MAX_TEXT_BYTES (never read past the limit)."""
    return decode_text(read_bounded(blob, MAX_TEXT_BYTES, "the file is"))


@extractor(".txt", ".log", ".md")
def extract_text(blob: Blob) -> Content:
    return Content(segments=[Segment(_read(blob), numbered_lines=True)])


@extractor(".html", ".htm")
def extract_html(blob: Blob) -> Content:
    """The visible text of a web page (scripts and styles left out), by line."""
    return Content(segments=[Segment(html_to_text(_read(blob)), numbered_lines=True)])


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
    except csv.Error as exc:
        raise damaged("a CSV", str(exc)) from exc
    header = rows[0] if rows else []

    def where(row_no: int, col_no: int) -> str:
        name = header[col_no - 1].strip() if col_no <= len(header) and header[col_no - 1].strip() else str(col_no)
        return f"row {row_no}, column {name}"

    return Content(segments=table_rows(rows, where))
