"""OpenDocument files (.odt, .ods, .odp, .odg and their templates) and OpenOffice 1 files (.sxw,
.sxc, .sxi, .sxd): LibreOffice's and OpenOffice's text, spreadsheets, presentations and drawings.

The XML is read with lxml directly, by element names (OpenOffice 1 used other namespaces for
the same names), never loading a DTD or resolving an entity: OpenOffice 1–3 wrote a DOCTYPE
that points at `office.dtd`, which is not in the file. Read: headings and paragraphs (text
boxes and comments inside them too), table rows, slides and drawing pages, the page styles'
headers and footers, and the author and dates in the metadata.
"""
from __future__ import annotations

import itertools
import zipfile
from datetime import datetime, timezone
from typing import Callable, Iterator

from lxml import etree

from scanner.extract import damaged, encrypted, extractor
from scanner.extract.bounds import check_document_index
from scanner.extract.text import TABLE_BLOCK_ROWS, table_rows, table_segments
from scanner.model import Blob, Content, Segment, TableRows

# content.xml, styles.xml, meta.xml: the parts with text (a template has the same parts)
_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, remove_comments=True,
                          remove_pis=True)
_BLOCKS = {"p", "h"}
_SKIP = {"tracked-changes", "note-citation", "sequence-decls", "forms", "automatic-styles"}
MAX_PART_BYTES = 512 * 1024**2  # one XML part, unpacked


def _name(el) -> str:
    return etree.QName(el).localname if isinstance(el.tag, str) else ""


def _text(el) -> str:
    """The text of an element as a person reads it: `text:s` is spaces, `text:tab` a tab,
    `text:line-break` a new line, nested paragraphs (a text box, a comment) on their own line."""
    pieces: list[str] = [el.text or ""]
    for child in el:
        name = _name(child)
        if name == "s":
            pieces.append(" " * int(child.get(f"{{{etree.QName(child).namespace}}}c", "1") or 1))
        elif name == "tab":
            pieces.append("\t")
        elif name == "line-break":
            pieces.append("\n")
        elif name in _BLOCKS:
            pieces.append("\n" + _text(child) + "\n")
        elif name not in _SKIP:
            pieces.append(_text(child))
        pieces.append(child.tail or "")
    return "".join(pieces)


def _has_ancestor(el, names: set[str], stop) -> bool:
    parent = el.getparent()
    while parent is not None and parent is not stop:
        if _name(parent) in names:
            return True
        parent = parent.getparent()
    return False


def _paragraphs(root, where: str) -> Segment | None:
    """The headings and paragraphs under `root` outside tables, one joined segment."""
    pieces = []
    for el in root.iter():
        if _name(el) in _BLOCKS and not _has_ancestor(el, _BLOCKS | {"table-cell", "annotation"} | _SKIP, root):
            text = _text(el)
            if text.strip():
                pieces.append((text, f"{where} {len(pieces) + 1}" if where == "paragraph" else where))
    return Segment.joined(pieces) if pieces else None


def _tables(root, prefix: str = "") -> list[Segment]:
    """One segment per table row; a cell is named `Ark1, row 3, cell 2`."""
    segments: list[Segment] = []
    for t_no, tbl in enumerate((el for el in root.iter() if _name(el) == "table"), start=1):
        name = next((v for k, v in tbl.attrib.items() if k.endswith("}name")), None) or f"table {t_no}"
        rows = [[_text(cell) for cell in row if _name(cell) in ("table-cell", "covered-table-cell")]
                for row in tbl.iter() if _name(row) == "table-row" and _nearest_table(row) is tbl]
        segments += table_rows(rows, lambda r, c, n=f"{prefix}{name}": f"{n}, row {r}, cell {c}")
    return segments


def _nearest_table(el):
    parent = el.getparent()
    while parent is not None and _name(parent) != "table":
        parent = parent.getparent()
    return parent


def _body_segments(content) -> list[Segment]:
    """Text documents and spreadsheets: paragraphs, then tables; presentations and drawings:
    each page (`slide 3`) with its notes."""
    body = next((el for el in content.iter() if _name(el) == "body"), None)
    if body is None:
        return []
    pages = [el for el in body.iter() if _name(el) == "page"]
    segments: list[Segment] = []
    if pages:
        for n, page in enumerate(pages, start=1):
            if (segment := _paragraphs(page, f"slide {n}")) is not None:
                segments.append(segment)
            segments += _tables(page, f"slide {n}, ")
        return segments
    if (segment := _paragraphs(body, "paragraph")) is not None:
        segments.append(segment)
    return segments + _tables(body)


_PAGE_PARTS = {"header": "header", "footer": "footer", "header-left": "left-page header",
               "footer-left": "left-page footer", "header-first": "first-page header",
               "footer-first": "first-page footer"}


def _headers_and_footers(styles) -> list[Segment]:
    """The headers and footers of the page styles (`header (page style Standard)`), each once."""
    segments, seen = [], set()
    for el in styles.iter():
        if (kind := _PAGE_PARTS.get(_name(el))) and _name(el.getparent()) == "master-page":
            text = "\n".join(t for t in (_text(p) for p in el.iter() if _name(p) in _BLOCKS) if t.strip())
            style = next((v for k, v in el.getparent().attrib.items() if k.endswith("}name")), "")
            if text and (kind, text) not in seen:
                seen.add((kind, text))
                segments.append(Segment(text, f"{kind} (page style {style})"))
    return segments


_PEOPLE = {"initial-creator": "Author", "creator": "Last modified by"}
_DATES = {"creation-date": "created", "date": "modified"}


def parse_iso_date(value: str) -> datetime | None:
    """`2019-03-04T12:01:00` (UTC when it names no zone), or None."""
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=timezone.utc)


def _metadata(meta) -> tuple[list[Segment], dict[str, datetime]]:
    pieces, dates = [], {}
    for el in meta.iter():
        name, value = _name(el), (el.text or "").strip()
        if name in _PEOPLE and value:
            pieces.append((f"{_PEOPLE[name]}: {value}", f"properties ({_PEOPLE[name].lower()})"))
        elif name in _DATES and (parsed := parse_iso_date(value)):
            dates[_DATES[name]] = parsed
    return ([Segment.joined(pieces)] if pieces else []), dates


def _part(package: zipfile.ZipFile, name: str):
    """A parsed XML part, or None when the package has no such part."""
    if name not in package.namelist():
        return None
    with package.open(name) as f:
        return etree.fromstring(f.read(MAX_PART_BYTES + 1), _PARSER)


_DAMAGED = (zipfile.BadZipFile, KeyError, ValueError, OSError, EOFError, etree.XMLSyntaxError)
BIG_CONTENT_BYTES = 8 * 1024**2  # a text document or spreadsheet whose content.xml unpacks to more is streamed
PIECE_CHARS = 100_000            # paragraphs of a streamed document handed on together


@extractor(".odt", ".ods", ".odp", ".odg", ".ott", ".ots", ".otp", ".otg", ".sxw", ".sxc", ".sxi", ".sxd",
           ".stw", ".stc", ".sti", ".std")
def extract_odf(blob: Blob) -> Content:
    """OpenDocument and OpenOffice 1 files: headings, paragraphs, tables, slides, headers and
    footers, and the author in the metadata. A text document or spreadsheet whose content.xml
    unpacks to more than BIG_CONTENT_BYTES (a LibreOffice export of 300 000 rows) is read as a
    stream (`_streamed_body`)."""
    try:
        with blob.open() as f, zipfile.ZipFile(f) as package:
            check_document_index(package.infolist(), "OpenDocument")
            manifest = "META-INF/manifest.xml"
            if manifest in package.namelist() and b"encryption-data" in package.read(manifest):
                raise encrypted("OpenDocument file")
            if "content.xml" not in package.namelist():
                raise KeyError("there is no content.xml in it")
            kind = package.read("mimetype")[:100] if "mimetype" in package.namelist() else b""
            streamed = (package.getinfo("content.xml").file_size > BIG_CONTENT_BYTES
                        and not any(word in kind for word in (b"presentation", b"graphics", b"impress", b"draw")))
            content = None if streamed else _part(package, "content.xml")
            styles, meta = _part(package, "styles.xml"), _part(package, "meta.xml")
    except _DAMAGED as exc:
        raise damaged("an OpenDocument", f"{type(exc).__name__}: {exc}") from exc
    around = _headers_and_footers(styles) if styles is not None else []
    properties, dates = _metadata(meta) if meta is not None else ([], {})
    if streamed:
        return Content(segments=itertools.chain(_streamed_body(blob), around, properties), dates=dates)
    return Content(segments=_body_segments(content) + around + properties, dates=dates)


def _streamed_body(blob: Blob) -> Iterator[Segment | TableRows]:
    """The paragraphs and table rows of a big content.xml as it is parsed, each let go once read:
    paragraphs handed on in pieces of about PIECE_CHARS (`paragraph N`), a table's rows some
    hundred at a time (`Ark1, row 3, cell 2`, the first row its header), named as when the file
    is read whole."""
    pending: list[tuple[str, str]] = []
    size = paragraphs = tables = row_no = 0
    header: list[str] | None = None
    rows: list[tuple[int, list[str]]] = []  # rows of the table being read, not handed on yet
    where: Callable[[int, int], str] = str

    def rows_read() -> Iterator[Segment | TableRows]:
        nonlocal header, rows
        if rows:
            yield from table_segments(rows, where, header)
            header = header if header is not None else [c.strip() for c in rows[0][1]]
            rows = []

    try:
        with blob.open() as f, zipfile.ZipFile(f) as package, package.open("content.xml") as xml:
            for event, el in etree.iterparse(xml, events=("start", "end"), resolve_entities=False, no_network=True,
                                             load_dtd=False, huge_tree=True, remove_comments=True, remove_pis=True):
                name = _name(el)
                if event == "start":
                    if name == "table" and _nearest_table(el) is None:
                        yield from rows_read()
                        tables += 1
                        table_name = next((v for k, v in el.attrib.items() if k.endswith("}name")), None) \
                            or f"table {tables}"
                        row_no, header = 0, None
                        where = lambda r, c, n=table_name: f"{n}, row {r}, cell {c}"  # noqa: E731
                    continue
                if name in _BLOCKS and not _has_ancestor(el, _BLOCKS | {"table-cell", "annotation"} | _SKIP, None):
                    if (text := _text(el)).strip():
                        paragraphs += 1
                        pending.append((text, f"paragraph {paragraphs}"))
                        size += len(text)
                    _let_go(el)
                elif name == "table-row" and (table := _nearest_table(el)) is not None and _nearest_table(table) is None:
                    row_no += 1
                    rows.append((row_no, [_text(cell) for cell in el if _name(cell) in ("table-cell", "covered-table-cell")]))
                    _let_go(el)
                    if len(rows) >= TABLE_BLOCK_ROWS:
                        yield from rows_read()
                if size >= PIECE_CHARS:
                    yield from rows_read()
                    yield Segment.joined(pending)
                    pending, size = [], 0
    except _DAMAGED as exc:
        yield from rows_read()  # the rows read before the damage are read
        raise damaged("an OpenDocument", f"{type(exc).__name__}: {exc}") from exc
    yield from rows_read()
    if pending:
        yield Segment.joined(pending)


def _let_go(el) -> None:
    """Free a read element and the siblings read before it."""
    el.clear()
    parent = el.getparent()
    while parent is not None and el.getprevious() is not None:
        del parent[0]
