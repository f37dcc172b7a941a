"""Text files of any size: plain text, logs, JSON, XML, HTML, CSV and TSV.

They are read as a stream, never whole: the text goes to detection in pieces of about
`PIECE_CHARS` characters, cut at a line end where there is one. Each piece carries
`CONTEXT_CHARS` of its neighbours' text on both sides (`Segment.context`): detection sees an
entity that straddles a cut whole, and only the piece in whose own text it starts reports it,
so nothing is lost at a cut and nothing is counted twice. A CSV is read row by row. Memory
stays flat whatever the size, a 200 MB file of one line included (its cuts fall inside the line).

A big file on disk is also split into byte ranges at line ends (`text_parts`), each read by
its own task (`part_content`), so all workers read one big file together
(scanner/run/runner.py); line and row numbers count from the file's start in every range.
"""
from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass
from html.parser import HTMLParser
from typing import Callable, Iterable, Iterator, Sequence, TextIO

from scanner.extract import CouldNotInspect, damaged, extractor
from scanner.extract.bounds import size_text
from scanner.extract.encoding import sniff_encoding
from scanner.model import Blob, Content, Segment, TableRows, expand

PIECE_CHARS = 1_000_000     # characters of a file's text handed to detection at a time
CONTEXT_CHARS = 2_000       # of the neighbouring pieces' text, on each side of a piece
LINE_CHARS = 1_000_000      # a CSV line longer than this is read as plain text from there on
HEAD_BYTES = 1 << 20        # the encoding is decided on the first MB
READ_CHARS = 1 << 20
SMALL_BYTES = 4 << 20       # a file up to this size gets its segments as a list (callers may index them)
PART_BYTES = 16 << 20       # a bigger file on disk is read in ranges of about this many bytes
SPLIT_SUFFIXES = {".txt", ".log", ".md", ".json", ".jsonl", ".ndjson", ".xml", ".csv", ".tsv"}
TABLE_SUFFIXES = {".csv", ".tsv"}


# --- pieces of a long text ----------------------------------------------------------------

def text_segments(chunks: Iterable[str], first_line: int = 1, before: str = "", after: str = "",
                  where: str = "") -> Iterator[Segment]:
    """The text of `chunks` as numbered-line segments of about PIECE_CHARS, cut at a line end
    when one is near; each has up to CONTEXT_CHARS of the text before and after it as context
    (`before`/`after`: the context beyond the first and the last piece, from the neighbouring
    ranges of the file). `first_line`: the number of the line the text starts on."""
    pending, line = "", first_line
    chunks = iter(chunks)
    more = True
    while more or pending:
        while more and len(pending) < PIECE_CHARS + CONTEXT_CHARS:
            chunk = next(chunks, None)
            if chunk is None:
                more = False
            else:
                pending += chunk
        if more or len(pending) > PIECE_CHARS:
            cut = pending.rfind("\n", PIECE_CHARS // 2, PIECE_CHARS) + 1 or PIECE_CHARS
            own, pending = pending[:cut], pending[cut:]
            following = pending[:CONTEXT_CHARS]
        else:
            own, pending, following = pending, "", after[:CONTEXT_CHARS]
        if own:
            yield Segment(before + own + following, where, numbered_lines=True,
                          first_line=line - before.count("\n"), context=(len(before), len(following)))
            line += own.count("\n")
            before = own[-CONTEXT_CHARS:]


def _read_chunks(stream: TextIO, size: int) -> Iterator[str]:
    """The text in chunks; a chunk mostly of NUL characters stops the reading: that is a sparse
    or binary file named as text (10 GB of nothing would otherwise be searched for hours)."""
    while chunk := stream.read(READ_CHARS):
        if chunk.count("\x00") * 2 > len(chunk):
            raise CouldNotInspect(f"not text: the file ({size_text(size)}) holds long runs of NUL bytes, as a "
                                  "sparse or binary file does; the rest of it is not read")
        yield chunk


class _Window(io.RawIOBase):
    """Bytes `start` to `end` of a seekable binary file, as a file of their own."""

    def __init__(self, f, start: int, end: int | None):
        f.seek(start)
        self.f, self.left = f, (end - start) if end is not None else None

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        view = memoryview(buffer)
        if self.left is not None:
            view = view[:self.left]
        n = self.f.readinto(view) if hasattr(self.f, "readinto") else _copy_into(self.f, view)
        if self.left is not None:
            self.left -= n
        return n


def _copy_into(f, view: memoryview) -> int:
    data = f.read(len(view))
    view[:len(data)] = data
    return len(data)


def _text_stream(f, encoding: str, start: int = 0, end: int | None = None) -> TextIO:
    """Bytes `start`..`end` of `f` decoded (bad bytes replaced), universal newlines kept as they are."""
    return io.TextIOWrapper(io.BufferedReader(_Window(f, start, end), 1 << 20), encoding=encoding,
                            errors="replace", newline="")


@dataclass(frozen=True)
class TextPart:
    """A byte range of a big text file, read by one task: bytes [start, end), beginning at the
    start of line `first_line`; `last` marks the file's final range."""

    start: int
    end: int
    first_line: int
    last: bool


def text_parts(blob: Blob) -> Iterator[TextPart] | None:
    """The ranges to read a big text file on disk in, or None when it is read by one task (small,
    not on disk, an encoding whose line ends are not single bytes, or a type read whole).

    Ranges end at line ends, about PART_BYTES apart; the newlines before each are counted on
    the way (about 1 GB/s), so each range knows its first line number."""
    if blob.path is None or blob.size <= PART_BYTES * 3 // 2 or blob.suffix not in SPLIT_SUFFIXES:
        return None
    try:
        with blob.open() as f:
            if sniff_encoding(f.read(HEAD_BYTES)).startswith("utf-16"):
                return None
    except OSError:
        return None  # one task, whose reading records why the file cannot be read

    def ranges() -> Iterator[TextPart]:
        start, line = 0, 1
        try:
            f = blob.open()
        except OSError:
            yield TextPart(0, blob.size, 1, True)  # its reading records why
            return
        with f:
            while start < blob.size:
                try:
                    f.seek(start)
                    block = f.read(PART_BYTES)
                    tail = f.read(LINE_CHARS)  # the rest of the line the block ends in
                except OSError:  # the rest as one range, whose reading records the reason
                    yield TextPart(start, blob.size, line, True)
                    return
                if start + len(block) >= blob.size or len(block) < PART_BYTES:
                    yield TextPart(start, blob.size, line, True)
                    return
                newline = tail.find(b"\n")
                # a line longer than that (one line of 200 MB) is cut after a space: never inside a
                # character (no byte of a multi-byte UTF-8 character is ASCII); the context covers the cut
                cut = newline + 1 if newline >= 0 else tail.find(b" ") + 1 or len(tail)
                end = start + len(block) + cut
                if end >= blob.size:
                    yield TextPart(start, blob.size, line, True)
                    return
                yield TextPart(start, end, line, False)
                line += block.count(b"\n") + (1 if newline >= 0 else 0)
                start = end
    return ranges()


def _context_around(f, encoding: str, part: TextPart) -> tuple[str, str]:
    """Up to CONTEXT_CHARS of the text just before and just after a range (its neighbours')."""
    before = after = ""
    if part.start > 0:
        at = max(0, part.start - 4 * CONTEXT_CHARS)
        f.seek(at)
        before = f.read(part.start - at).decode(encoding, errors="replace")[-CONTEXT_CHARS:]
    if not part.last:
        f.seek(part.end)
        after = f.read(4 * CONTEXT_CHARS).decode(encoding, errors="replace")[:CONTEXT_CHARS]
    return before, after


def _segments_of(blob: Blob, reader: Callable[[object, str, int], Iterator[Segment]]) -> Content:
    """Content whose segments `reader(file, encoding, size)` yields as the file is read: a list for a
    small file, else a generator that keeps the file open until it is exhausted."""

    def segments() -> Iterator[Segment]:
        with blob.open() as f:
            encoding = sniff_encoding(f.read(HEAD_BYTES))
            f.seek(0)
            yield from reader(f, encoding, blob.size)

    return Content(segments=list(segments()) if 0 <= blob.size <= SMALL_BYTES else segments())


# --- plain text, logs, JSON, XML --------------------------------------------------------

def _plain(f, encoding: str, size: int, part: TextPart | None = None) -> Iterator[Segment]:
    if part is None:
        return text_segments(_read_chunks(_text_stream(f, encoding), size))
    before, after = _context_around(f, encoding, part)
    return text_segments(_read_chunks(_text_stream(f, encoding, part.start, part.end), size),
                         part.first_line, before, after)


@extractor(".txt", ".log", ".md", ".json", ".jsonl", ".ndjson", ".xml")
def extract_text(blob: Blob) -> Content:
    """Text by line (`line N`); JSON and XML as they are written, keys and tags included (they
    are context: `"telefon": "20 12 34 56"`)."""
    return _segments_of(blob, _plain)


# --- HTML -------------------------------------------------------------------------------

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


# A closing tag with attributes (`</script language="js">`, which browsers accept) is read as the
# plain closing tag, so the script does not swallow the body after it.
_END_WITH_ATTRIBUTES = re.compile(r"</(script|style)\s[^>]*>", re.IGNORECASE)


def _tidy(lines: Iterable[str]) -> str:
    """Lines with their whitespace collapsed, empty ones left out, each ending in a newline."""
    return "".join(f"{tidy}\n" for line in lines if (tidy := " ".join(line.split())))


def html_chunks(chunks: Iterable[str]) -> Iterator[str]:
    """The visible text of HTML fed in chunks, as complete lines (see `html_to_text`)."""
    parser = _HtmlText()
    rest = ""
    for chunk in chunks:
        parser.feed(_END_WITH_ATTRIBUTES.sub(r"</\1>", chunk))
        lines = (rest + "".join(parser.pieces)).split("\n")
        parser.pieces.clear()
        rest = lines.pop()
        yield _tidy(lines)
    parser.close()
    yield _tidy((rest + "".join(parser.pieces)).split("\n"))


def html_to_text(html: str) -> str:
    """The visible text of an HTML page or mail body, with block elements on their own lines."""
    return "".join(html_chunks([html])).removesuffix("\n")


@extractor(".html", ".htm")
def extract_html(blob: Blob) -> Content:
    """The visible text of a web page (scripts and styles left out), by line of that text."""
    return _segments_of(blob, lambda f, encoding, size: text_segments(html_chunks(_read_chunks(_text_stream(f, encoding),
                                                                                              size))))


# --- tables: CSV, TSV, and the rows of every other table ---------------------------------

TABLE_BLOCK_ROWS = 500       # rows of a table handed to detection in one TableRows


def table_segments(rows: Iterable[tuple[int, Sequence[object]]], where: Callable[[int, int], str],
                   header: list[str] | None = None) -> Iterator[Segment | TableRows]:
    """A table from (row number, cells): its header row as a Segment, then its data rows as
    TableRows of up to TABLE_BLOCK_ROWS rows (each row stands for its `row_segment`: a cell is
    `header: value`, so the header is context for what follows). The first row is the header
    unless `header` is given (a later range of a big CSV); `where(row_no, col_no)` (1-based)
    names a cell. Rows read before a reader fails are handed on before its error."""
    block: list[tuple[int, list[str]]] = []
    names: tuple[str, ...] = tuple(header) if header is not None else ()
    try:
        for row_no, row in rows:
            cells = ["" if c is None else str(c).strip() for c in row]
            if header is None:
                header, names = cells, tuple(cells)
                if any(cells):
                    yield Segment.joined((c, where(row_no, i + 1)) for i, c in enumerate(cells) if c)
                continue
            block.append((row_no, cells))
            if len(block) >= TABLE_BLOCK_ROWS:
                yield TableRows(names, block, where)
                block = []
    except Exception:
        if block:
            yield TableRows(names, block, where)
        raise
    if block:
        yield TableRows(names, block, where)


def table_rows(rows: Iterable[Sequence[object]], where: Callable[[int, int], str]) -> list[Segment]:
    """The segments of a small table (its header row first), rows numbered from 1."""
    return list(expand(table_segments(enumerate(rows, start=1), where)))


class _LongLine(Exception):
    """A CSV line longer than LINE_CHARS: not a table row."""


def _csv_dialect(f, encoding: str) -> type[csv.Dialect] | csv.Dialect:
    """The delimiter and quoting, guessed from the first 8 KB of lines short enough to be rows."""
    f.seek(0)
    lines = _text_stream(f, encoding).read(1 << 16).splitlines(keepends=True)
    head = "".join(line for line in lines[:-1] or lines if len(line) < 4096)[:8192]
    try:
        return csv.Sniffer().sniff(head, delimiters=",;\t|")
    except csv.Error:
        return csv.excel


def _csv_header(f, encoding: str, dialect) -> list[str]:
    """The first row of a CSV file (its header), read on its own for a later range."""
    f.seek(0)
    lines = _text_stream(f, encoding)
    for row in csv.reader(iter(lambda: lines.readline(LINE_CHARS), ""), dialect):
        return [c.strip() for c in row]
    return []


def _csv(f, encoding: str, size: int, part: TextPart | None = None) -> Iterator[Segment]:
    """A CSV's rows as segments (`row R, column HEADER`, R the line the row starts on). A line
    too long for a row, or a cell the csv module refuses (longer than 128 KB: a quote left
    open), turns the rest into plain text read by line, so nothing is left unread."""
    dialect = _csv_dialect(f, encoding)
    header = _csv_header(f, encoding, dialect) if part and part.start > 0 else None
    names = header
    start, end, first_line = (part.start, part.end, part.first_line) if part else (0, None, 1)
    stream = _text_stream(f, encoding, start, end)
    record: list[str] = []  # the lines of the row being read

    def lines() -> Iterator[str]:
        while line := stream.readline(LINE_CHARS):
            record.append(line)
            if len(line) == LINE_CHARS and not line.endswith(("\n", "\r")):
                raise _LongLine
            yield line

    reader = csv.reader(lines(), dialect)
    state = {"line": first_line}

    def rows() -> Iterator[tuple[int, list[str]]]:
        nonlocal names
        for row in reader:
            row_no = state["line"]
            state["line"] = first_line + reader.line_num
            record.clear()
            if names is None:
                names = [c.strip() for c in row]
            yield row_no, row

    def where(row_no: int, col_no: int) -> str:
        name = names[col_no - 1] if names and col_no <= len(names) and names[col_no - 1] else str(col_no)
        return f"row {row_no}, column {name}"

    try:
        yield from table_segments(rows(), where, header)
    except (_LongLine, csv.Error):
        after = _context_around(f, encoding, part)[1] if part else ""
        rest = ["".join(record)]
        yield from text_segments((c for chunks in (rest, _read_chunks(stream, size)) for c in chunks),
                                 state["line"], after=after)


@extractor(".csv", ".tsv")
def extract_csv(blob: Blob) -> Content:
    """Each data row is a segment; a cell's where is `row R, column HEADER`."""
    try:
        return _segments_of(blob, _csv)
    except csv.Error as exc:
        raise damaged("a CSV", str(exc)) from exc


def part_content(blob: Blob, part: TextPart) -> Content:
    """The segments of one range of a big text file (`text_parts`), read as they are needed."""

    def segments() -> Iterator[Segment]:
        with blob.open() as f:
            encoding = sniff_encoding(f.read(HEAD_BYTES))
            yield from (_csv if blob.suffix in TABLE_SUFFIXES else _plain)(f, encoding, blob.size, part)

    return Content(segments=segments())
