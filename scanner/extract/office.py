"""Word (.docx), Excel (.xlsx) and PowerPoint (.pptx) documents, and what all Office Open XML
files share: their core properties (author, dates) and the pictures in their media folder."""
from __future__ import annotations

import io
import re
import zipfile
import zlib
from dataclasses import dataclass
from datetime import datetime
from typing import BinaryIO, Callable, Generic, Iterable, Iterator, TypeVar

from scanner.extract import CouldNotInspect, damaged, encrypted, extractor, ooxml_parts
from scanner.extract.bounds import MAX_UNPACKED, check_document_index
from scanner.extract.ooxml_parts import Package
from scanner.extract.encoding import decode_text
from scanner.extract.text import SMALL_BYTES, html_to_text, table_rows, table_segments
from scanner.model import Blob, Content, Image, Segment


MEDIA_FOLDERS = ("word/media/", "xl/media/", "ppt/media/")
# pictures analysed for faces and text; vector pictures (EMF, WMF, SVG), sound and video are not pictures to look at
RASTER_SUFFIXES = (".png", ".jpg", ".jpeg", ".jpe", ".gif", ".bmp", ".tif", ".tiff", ".webp")
EMBEDDINGS_FOLDERS = ("word/embeddings/", "xl/embeddings/", "ppt/embeddings/")
MAX_IMAGE_BYTES = 32 * 1024**2
T = TypeVar("T")


def media_images(package: zipfile.ZipFile) -> list[Image]:
    """The pictures in an open Office Open XML package's media folder, for image detection."""
    images = []
    for info in package.infolist():
        if (info.filename.startswith(MEDIA_FOLDERS) and info.filename.lower().endswith(RASTER_SUFFIXES)
                and 0 < info.file_size <= MAX_IMAGE_BYTES):
            name = info.filename.rsplit("/", 1)[-1]
            images.append(Image(package.read(info), f"embedded image {name}", name))
    return images


def _embedded_members(package: zipfile.ZipFile) -> list[zipfile.ZipInfo]:
    return [info for info in package.infolist() if info.filename.startswith(EMBEDDINGS_FOLDERS) and not info.is_dir()]


def ooxml_embedded(blob: Blob) -> Iterator[Blob]:
    """Files embedded in an Office Open XML file (a spreadsheet pasted into a Word document),
    as children, read lazily; old-style OLE packages (`oleObject1.bin`) are recorded as skipped."""
    from scanner.extract.archive import member_opener

    with blob.open() as f, zipfile.ZipFile(f) as package:
        for info in _embedded_members(package):
            yield Blob(name=f"embedded {info.filename.rsplit('/', 1)[-1]}", size=info.file_size,
                       open=member_opener(package, info), dates=dict(blob.dates))


def properties_segment(props) -> list[Segment]:
    """The people named in the core properties (author, last modified by) as a segment.

    python-docx and python-pptx call them author/last_modified_by, openpyxl creator/lastModifiedBy."""
    author = getattr(props, "author", None) or getattr(props, "creator", None)
    modifier = getattr(props, "last_modified_by", None) or getattr(props, "lastModifiedBy", None)
    pieces = [(f"{label}: {value}", f"properties ({label.lower()})")
              for label, value in (("Author", author), ("Last modified by", modifier)) if value]
    return [Segment.joined(pieces)] if pieces else []


def core_dates(props) -> dict[str, datetime]:
    dates = {}
    for name in ("created", "modified"):
        value = getattr(props, name, None)
        if isinstance(value, datetime):
            dates[name] = value
    return dates


# what a damaged or disguised zip/XML document raises: bad zip, missing part, bad deflate data, bad XML
# (lxml's and ElementTree's parse errors are SyntaxErrors), a value the parser cannot take
DAMAGED = (zipfile.BadZipFile, KeyError, ValueError, OSError, EOFError, zlib.error, SyntaxError)


def office_unreadable(kind: str, exc: Exception, blob: Blob | None = None) -> CouldNotInspect:
    """The reason an Office file cannot be read: `encrypted` when it is, else damaged."""
    if blob is not None and is_encrypted_office(blob):
        return encrypted(f"{kind} file")
    article = "an" if kind[0] in "AEIOU" else "a"
    return damaged(f"{article} {kind}", f"{type(exc).__name__}: {exc}")


@dataclass
class OoxmlFile(Generic[T]):
    """An Office Open XML file as read: the library's document, its pictures, its embedded
    files (read lazily) and the text of the parts the library does not hand out."""

    document: T
    images: list[Image]
    children: Iterable[Blob]
    more: list[Segment]
    source: Blob  # what was read: the file, or its copy decrypted with Excel's default password


DEFAULT_PASSWORD = "VelvetSweatshop"  # Excel's: a workbook encrypted with it opens without asking
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def with_default_password(blob: Blob) -> Blob | None:
    """The file decrypted in memory when it is encrypted with Excel's default password
    (`protect.xlsx`: "protect workbook structure" without a password to open); else None."""
    import msoffcrypto

    if blob.size > MAX_UNPACKED:
        return None
    with blob.open() as f:
        if f.read(8) != OLE_MAGIC:
            return None
        f.seek(0)
        try:
            office = msoffcrypto.OfficeFile(f)
            if not office.is_encrypted():
                return None
            office.load_key(password=DEFAULT_PASSWORD)
            out = io.BytesIO()
            office.decrypt(out)
        except Exception:  # another password, or not an encrypted Office file: the caller says which
            return None
    data = out.getvalue()
    return Blob(name=blob.name, size=len(data), open=lambda: io.BytesIO(data), mtime=blob.mtime, dates=blob.dates)


def read_ooxml(blob: Blob, load: Callable[[BinaryIO], T], kind: str,
               more: Callable[[Package, T], list[Segment]] | None = None) -> OoxmlFile[T]:
    """Open an Office Open XML file once: refuse a zip bomb by its index, `load(file)` it
    (python-docx, python-pptx, openpyxl: whatever reads the file lazily does it inside
    `load`, the file is closed after), take its pictures and `more(package, document)`: the
    parts the library does not read. The embedded files are read lazily, the zip reopened
    only when it has some. A file encrypted with Excel's default password is decrypted; a
    damaged or otherwise encrypted file raises CouldNotInspect."""
    blob = with_default_password(blob) or blob
    try:
        with blob.open() as f, zipfile.ZipFile(f) as package:
            check_document_index(package.infolist(), kind)
            document = load(f)
            images = media_images(package)
            children = ooxml_embedded(blob) if _embedded_members(package) else []
            extra = more(Package(package), document) if more else []
    except DAMAGED as exc:
        raise office_unreadable(kind, exc, blob) from exc
    return OoxmlFile(document, images, children, extra, blob)


def is_encrypted_office(blob: Blob) -> bool:
    """True for a password-protected Office file (msoffcrypto-tool reads its header)."""
    import msoffcrypto

    try:
        with blob.open() as f:
            return bool(msoffcrypto.OfficeFile(f).is_encrypted())
    except Exception:  # not an Office container at all: damaged, not encrypted
        return False


W_NS = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
R_ID = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"


def _text_boxes(document) -> list[str]:
    """The text of each text box (shapes and VML boxes; python-docx's paragraphs skip them)."""
    boxes = []
    for box in document.element.body.iter(f"{W_NS}txbxContent"):
        text = "\n".join("".join(t.text or "" for t in p.iter(f"{W_NS}t")) for p in box.iter(f"{W_NS}p"))
        if text.strip() and text not in boxes:  # a box is stored twice (drawing and VML fallback)
            boxes.append(text)
    return boxes


def _cell_rows(table) -> list[list[str]]:
    """A Word table's rows as cell texts, read from the XML (a nested table's own rows)."""
    return [[ooxml_parts.paragraphs(tc) for tc in tr if tc.tag == f"{W_NS}tc"]
            for tr in table if tr.tag == f"{W_NS}tr"]


@dataclass
class _StrictWord:
    """A Word file python-docx does not read (ISO 29500 strict namespaces): its main part's XML."""

    root: object

    @property
    def body(self):
        return next((el for el in self.root if ooxml_parts.local(el) == "body"), self.root)

    def segments(self) -> list[Segment]:
        lines = ooxml_parts.paragraphs(self.body).splitlines()
        return [Segment.joined((line, f"paragraph {n}") for n, line in enumerate(lines, start=1))] if lines else []


def _word_body_extras(package: Package, document) -> list[Segment]:
    """What python-docx's paragraphs and tables do not reach: content controls at body level,
    tables nested in a table's cells, footnotes and endnotes, charts, SmartArt, and HTML
    pasted in as an "altChunk"."""
    if isinstance(document, _StrictWord):
        return _word_notes_and_drawings(package)
    body = document.element.body
    segments: list[Segment] = []
    for n, control in enumerate((el for el in body if el.tag == f"{W_NS}sdt"), start=1):
        if text := ooxml_parts.paragraphs(control):
            segments.append(Segment(text, f"content control {n}"))
    nested = [t for t in body.iter(f"{W_NS}tbl") if any(a.tag == f"{W_NS}tc" for a in t.iterancestors())]
    for n, table in enumerate(nested, start=1):
        segments += table_rows(_cell_rows(table), lambda r, c, n=n: f"nested table {n}, row {r}, cell {c}")
    segments += _word_notes_and_drawings(package)
    for n, chunk in enumerate(body.iter(f"{W_NS}altChunk"), start=1):
        part = package.relationship("word/document.xml", chunk.get(R_ID, ""))
        if part and package.has(part) and part.endswith((".htm", ".html", ".xhtml", ".mht", ".mhtml")):
            if text := html_to_text(decode_text(package.read(part))):
                segments.append(Segment(text, f"pasted HTML {n}", numbered_lines=True))
    return segments


def _word_notes_and_drawings(package: Package) -> list[Segment]:
    return (ooxml_parts.notes(package, "word/footnotes.xml", "footnote")
            + ooxml_parts.notes(package, "word/endnotes.xml", "endnote") + _drawn_parts(package, "word/"))


BIG_BODY_BYTES = 8 * 1024**2  # a Word file whose main part unpacks to more is read as a stream
BODY_PIECE_CHARS = 100_000    # paragraphs of a streamed body handed on together


@extractor(".docx", ".docm", ".dotx", ".dotm")
def extract_docx(blob: Blob) -> Content:
    """Paragraphs, tables (one segment per row), headers and footers, comments, text boxes,
    footnotes, content controls, SmartArt, core properties (author; created and modified dates)
    and embedded pictures.

    Read with python-docx set up to parse only these parts (`docx_reader`); the parts it does
    not hand out with lxml (`ooxml_parts`). A document whose body unpacks to more than
    BIG_BODY_BYTES (a 20 000-page export) is read as a stream instead (`streamed_word`)."""
    from scanner.extract import docx_reader

    if _main_part_size(blob) > BIG_BODY_BYTES:
        return streamed_word(blob)

    def load(f: BinaryIO):
        try:
            return docx_reader.read_word(f)
        except (KeyError, ValueError) as exc:  # not a package python-docx reads (ISO strict): read its XML
            f.seek(0)
            try:
                return _StrictWord(ooxml_parts.main_part(Package(zipfile.ZipFile(f))))
            except KeyError:
                raise exc from None  # no main part at all: python-docx's words say what is missing

    read = read_ooxml(blob, load, "Word (.docx)", _word_body_extras)
    document = read.document
    if isinstance(document, _StrictWord):
        return Content(segments=document.segments() + read.more, images=read.images, children=read.children)
    segments: list[Segment] = []
    paragraphs = [(text, f"paragraph {i}") for i, text in enumerate((p.text for p in document.paragraphs), start=1)
                  if text.strip()]
    if paragraphs:
        segments.append(Segment.joined(paragraphs))
    for t_no, table in enumerate(document.tables, start=1):
        rows = [[cell.text for cell in row.cells] for row in table.rows]
        segments += table_rows(rows, lambda r, c, t=t_no: f"table {t}, row {r}, cell {c}")
    for kind, s_no, part in docx_reader.headers_and_footers(document):
        if text := ooxml_parts.paragraphs(part.part.element):  # its tables and text boxes too
            segments.append(Segment(text, f"{kind} (section {s_no})"))
    for c_no, comment in enumerate(docx_reader.comments(document), start=1):
        text = "\n".join(p.text for p in comment.paragraphs)
        author = f"{comment.author}: " if comment.author else ""
        if (author + text).strip():
            segments.append(Segment(author + text, f"comment {c_no}"))
    for b_no, text in enumerate(_text_boxes(document), start=1):
        segments.append(Segment(text, f"text box {b_no}"))
    properties = docx_reader.core_properties(document)
    segments += read.more + properties_segment(properties)
    return Content(segments=segments, dates=core_dates(properties), images=read.images, children=read.children)


def _main_part_size(blob: Blob) -> int:
    """What the main part of a Word file unpacks to, from the zip's index (0 when it cannot
    be told: the reader then says what is wrong)."""
    try:
        with blob.open() as f, zipfile.ZipFile(f) as package:
            name = ooxml_parts.main_part_name(Package(package))
            return package.getinfo(Package(package).names[name.lower()]).file_size
    except (*DAMAGED, RuntimeError):
        return 0


def streamed_word(blob: Blob) -> Content:
    """A big Word file read without holding its body: the body's paragraphs, tables, content
    controls and text boxes as the XML is parsed (`_body_segments`), each element let go once
    read; headers, footers, comments, notes, charts and properties (small parts) from their XML.
    Places are named as for any Word file, headers and footers by their part (`header (header1.xml)`)."""
    def parts_around(package: Package, _document) -> list[Segment]:
        segments = []
        for name in package.matching(r"word/(header|footer)\d*\.xml"):
            if text := ooxml_parts.paragraphs(package.xml(name)):
                part = name.rsplit("/", 1)[-1]
                segments.append(Segment(text, f"{'header' if part.startswith('header') else 'footer'} ({part})"))
        comments = package.xml("word/comments.xml")
        for n, comment in enumerate((c for c in (comments if comments is not None else [])
                                     if ooxml_parts.local(c) == "comment"), start=1):
            author = comment.get(f"{W_NS}author")
            if text := ooxml_parts.paragraphs(comment):
                segments.append(Segment(f"{author}: {text}" if author else text, f"comment {n}"))
        props = ooxml_parts.core_properties(package)
        dates.update(core_dates(props))
        return segments + _word_notes_and_drawings(package) + properties_segment(props)

    dates: dict[str, datetime] = {}
    read = read_ooxml(blob, lambda f: None, "Word (.docx)", parts_around)
    return Content(segments=_body_segments(read.source, read.more), dates=dates, images=read.images,
                   children=read.children)


def _body_segments(blob: Blob, more: list[Segment]) -> Iterator[Segment]:
    """The body of a Word file parsed as a stream: paragraphs (`paragraph N`, handed on in pieces of
    about BODY_PIECE_CHARS), tables by row, nested tables, content controls, text boxes and pasted
    HTML, each body element dropped once read; then `more`."""
    from lxml import etree

    counts = {"paragraph": 0, "table": 0, "nested": 0, "control": 0, "box": 0, "html": 0}
    boxes: set[str] = set()
    pending: list[tuple[str, str]] = []
    size = 0
    try:
        with blob.open() as f, zipfile.ZipFile(f) as package:
            parts = Package(package)
            main = ooxml_parts.main_part_name(parts)
            with package.open(parts.names[main.lower()]) as xml:
                for _, el in etree.iterparse(xml, events=("end",), resolve_entities=False, no_network=True,
                                             load_dtd=False, huge_tree=True):
                    parent = el.getparent()
                    if parent is None or ooxml_parts.local(parent) != "body":
                        continue
                    if el.tag == f"{W_NS}p":
                        lines = [_own_text(el)]
                    elif el.tag.startswith(W_NS):
                        lines = []
                        yield from _body_element(el, counts, parts, main)
                    else:  # ISO strict namespaces: its text by line, as `_StrictWord` reads it
                        lines = [ooxml_parts.texts(el)] if ooxml_parts.local(el) == "p" else \
                            ooxml_parts.paragraphs(el).splitlines()
                    for text in lines:
                        counts["paragraph"] += 1
                        if text.strip():
                            pending.append((text, f"paragraph {counts['paragraph']}"))
                            size += len(text)
                    for box in el.iter(f"{W_NS}txbxContent"):
                        text = ooxml_parts.paragraphs(box)
                        if text.strip() and text not in boxes:  # a box is stored twice (drawing and VML)
                            boxes.add(text)
                            counts["box"] += 1
                            yield Segment(text, f"text box {counts['box']}")
                    el.clear()
                    while el.getprevious() is not None:
                        del parent[0]
                    if size >= BODY_PIECE_CHARS:
                        yield Segment.joined(pending)
                        pending, size = [], 0
    except (*DAMAGED, etree.LxmlError) as exc:
        raise office_unreadable("Word (.docx)", exc, blob) from exc
    if pending:
        yield Segment.joined(pending)
    yield from more


def _own_text(paragraph) -> str:
    """A paragraph's own text as python-docx's `Paragraph.text` gives it: its runs (tabs and
    breaks kept), not the text of a text box anchored in it (read as the text box)."""
    shown = {f"{W_NS}t": None, f"{W_NS}tab": "\t", f"{W_NS}br": "\n", f"{W_NS}cr": "\n"}
    return "".join((el.text or "") if shown[el.tag] is None else shown[el.tag] for el in paragraph.iter(*shown)
                   if next(el.iterancestors(f"{W_NS}p"), None) is paragraph)


def _body_element(el, counts: dict[str, int], package: Package, main: str) -> Iterator[Segment]:
    """The segments of one element of a streamed body other than a paragraph."""
    if el.tag == f"{W_NS}tbl":
        counts["table"] += 1
        rows = [["\n".join(_own_text(p) for p in tc if p.tag == f"{W_NS}p") for tc in tr if tc.tag == f"{W_NS}tc"]
                for tr in el if tr.tag == f"{W_NS}tr"]  # a cell's own paragraphs, as python-docx's `cell.text`
        yield from table_rows(rows, lambda r, c, t=counts["table"]: f"table {t}, row {r}, cell {c}")
        for nested in (t for t in el.iter(f"{W_NS}tbl") if t is not el):
            counts["nested"] += 1
            yield from table_rows(_cell_rows(nested), lambda r, c, n=counts["nested"]: f"nested table {n}, row {r}, cell {c}")
    elif el.tag == f"{W_NS}sdt":
        counts["control"] += 1
        if text := ooxml_parts.paragraphs(el):
            yield Segment(text, f"content control {counts['control']}")
    elif el.tag == f"{W_NS}altChunk":
        counts["html"] += 1
        part = package.relationship(main, el.get(R_ID, ""))
        if part and package.has(part) and part.endswith((".htm", ".html", ".xhtml", ".mht", ".mhtml")):
            if text := html_to_text(decode_text(package.read(part))):
                yield Segment(text, f"pasted HTML {counts['html']}", numbered_lines=True)


# what openpyxl raises on a workbook Excel opens: a part it expects missing, a style it does not know
OPENPYXL_REFUSES = (KeyError, TypeError, ValueError, AttributeError, IndexError)


def _raw_workbook(f: BinaryIO) -> list[tuple[str, Iterable[list[str]]]]:
    """(sheet name, rows) read straight from the sheets' XML, for a workbook openpyxl refuses."""
    package = Package(zipfile.ZipFile(f))
    shared = ooxml_parts.shared_strings(package)
    return [(name, ooxml_parts.raw_rows(package, part, shared)) for name, part in ooxml_parts.sheets(package)]


def _sheet_extras(package: Package, _document) -> list[Segment]:
    """Cell comments, text boxes drawn on the sheets, SmartArt."""
    segments: list[Segment] = []
    for name, part in ooxml_parts.sheets(package):
        segments += ooxml_parts.comments(package, name, part) + ooxml_parts.drawing_text(package, name, part)
    return segments + _drawn_parts(package, "xl/")


@extractor(".xlsx", ".xlsm", ".xltx", ".xltm")
def extract_xlsx(blob: Blob) -> Content:
    """Every sheet, streamed row by row (openpyxl's read-only mode), so a workbook of a million
    rows is never held whole; one segment per row, each cell named like `Ark1!C7`; cell
    comments (`comment on Ark1!C7`), text boxes and SmartArt.

    Cells are written as `header: value` (see `table_segments`), so a column header such as
    "Telefon" or "CPR-nr." is context that raises the score of the value below it, and
    one such as "Varenr." or "Ordre" makes the recognisers drop a look-alike number.
    A workbook openpyxl refuses (a part it expects is missing, a style it does not know)
    is read from its sheets' XML, from where openpyxl stopped."""
    read_file = read_ooxml(blob, lambda f: None, "Excel (.xlsx)", _sheet_extras)
    dates: dict[str, datetime] = {}
    segments: Iterable[Segment] = _workbook_segments(read_file.source, dates, read_file.more)
    if blob.size <= SMALL_BYTES:
        segments = list(segments)
    return Content(segments=segments, dates=dates, images=read_file.images, children=read_file.children)


MAX_ROWS = 2_100_000  # rows per workbook (two full Excel sheets): read on one core at about 2 000 a second


_ROW = re.compile(rb"<(?:[\w.-]+:)?row[\s>/]")  # a row element in a sheet's XML, with or without a prefix


def _rows_in(package: zipfile.ZipFile, member: str) -> int:
    """The row elements in a sheet's XML, counted in one pass over its bytes (a second or two
    for a million rows, against minutes to read them): the size a sheet states can be wrong or
    missing. Blocks are cut before their last `<`, so no tag is split."""
    count, rest = 0, b""
    with package.open(member) as f:
        while block := f.read(1 << 20):
            data = rest + block
            cut = data.rfind(b"<")
            count += len(_ROW.findall(data, 0, cut))
            rest = data[cut:]
    return count + len(_ROW.findall(rest + b" "))


def _too_many_rows(title: str, rows: int | None = None) -> CouldNotInspect:
    said = f"sheet {title!r} has {rows:,} rows" if rows else f"more than {MAX_ROWS:,} rows (sheet {title!r})"
    return CouldNotInspect(f"too large to read: {said}, more than the limit of {MAX_ROWS:,} rows for a workbook "
                           "(read on one core, about 2 000 rows a second); export it to CSV, which all workers "
                           "read together with no row limit")


def _workbook_segments(blob: Blob, dates: dict[str, datetime], more: list[Segment]) -> Iterator[Segment]:
    """The rows of every sheet as segments, read as they are asked for, then the core properties
    (their dates go to `dates`) and `more`. Where openpyxl gives up, the rest (the sheet it
    stopped in, from the row it stopped at, and the sheets after) is read from the XML.

    A workbook of more than MAX_ROWS rows is refused before its first row (its rows counted in
    the XML), or, with empty rows openpyxl fills in, when the rows read reach the limit (the
    findings so far are kept)."""
    import openpyxl
    from openpyxl.utils import get_column_letter

    def where(title: str) -> Callable[[int, int], str]:
        return lambda r, c: f"{title}!{get_column_letter(c)}{r}"

    done, read, total = 0, [0], [0]  # sheets read whole; rows of the sheet being read; rows in all

    def counted(rows: Iterable[tuple[int, object]], title: str) -> Iterator[tuple[int, object]]:
        for n, row in rows:
            total[0] += 1
            if total[0] > MAX_ROWS:
                raise _too_many_rows(title)
            yield n, row
            read[0] = n  # asked for the next row: this one is read
        read[0] = 0

    try:
        with blob.open() as f:
            with zipfile.ZipFile(f) as package:  # refused before the first row when it holds too many
                index = Package(package)
                for title, part in ooxml_parts.sheets(index):
                    if (rows := _rows_in(package, index.names[part])) > MAX_ROWS:
                        raise _too_many_rows(title, rows)
            f.seek(0)
            try:
                workbook = openpyxl.load_workbook(f, read_only=True, data_only=True)
            except OPENPYXL_REFUSES:
                workbook = None
            if workbook is not None:
                try:
                    dates.update(core_dates(workbook.properties))
                    for sheet in workbook.worksheets:
                        sheet.reset_dimensions()  # the stated size can be wrong (bug304.xlsx: 1 of 392 cells)
                        rows = enumerate(sheet.iter_rows(values_only=True), start=1)
                        yield from table_segments(counted(rows, sheet.title), where(sheet.title))
                        done += 1
                    yield from properties_segment(workbook.properties) + more
                    return
                except OPENPYXL_REFUSES:
                    f.seek(0)
                finally:
                    workbook.close()
            for n, (title, rows) in enumerate(_raw_workbook(f)[done:]):
                rows = enumerate(rows, start=1)
                header = None
                if n == 0 and read[0]:  # openpyxl stopped inside this sheet: on from its next row
                    header = ["" if c is None else str(c).strip() for c in next(rows, (1, []))[1]]
                    rows = ((r, cells) for r, cells in rows if r > read[0])
                yield from table_segments(counted(rows, title), where(title), header)
            yield from more
    except DAMAGED as exc:
        raise office_unreadable("Excel (.xlsx)", exc, blob) from exc


def _shape_texts(shapes, where: str, segments: list[Segment]) -> list[tuple[str, str]]:
    """The text of each shape, inside groups too; tables become row segments."""
    pieces = []
    for shape in shapes:
        if getattr(shape, "shape_type", None) is not None and shape.shape_type == 6:  # MSO_SHAPE_TYPE.GROUP
            pieces += _shape_texts(shape.shapes, where, segments)
            continue
        if shape.has_text_frame and shape.text_frame.text.strip():
            pieces.append((shape.text_frame.text, where))
        if getattr(shape, "has_table", False) and shape.has_table:
            rows = [[cell.text for cell in row.cells] for row in shape.table.rows]
            segments += table_rows(rows, lambda r, c, w=where: f"{w}, table row {r}, cell {c}")
    return pieces


def _drawn_parts(package: Package, folder: str) -> list[Segment]:
    """The text typed into charts and SmartArt diagrams."""
    return ooxml_parts.charts(package, folder) + ooxml_parts.smartart(package, folder)


def _presentation(f: BinaryIO):
    """A presentation, a template (.potx/.potm) or a slide show (.ppsx/.ppsm): python-pptx reads
    them all once their main part's content type is known to it (its `PartFactory` table)."""
    from pptx.opc.package import PartFactory
    from pptx.package import Package as PptxPackage
    from pptx.parts.presentation import PresentationPart

    for content_type in ("application/vnd.ms-powerpoint.template.macroEnabled.main+xml",
                         "application/vnd.ms-powerpoint.slideshow.macroEnabled.main+xml"):
        PartFactory.part_type_for.setdefault(content_type, PresentationPart)
    part = PptxPackage.open(f).main_document_part
    if not isinstance(part, PresentationPart):
        raise ValueError(f"not a PowerPoint file, its main part is {part.content_type!r}")
    return part.presentation


@extractor(".pptx", ".pptm", ".potx", ".potm", ".ppsx", ".ppsm")
def extract_pptx(blob: Blob) -> Content:
    """Text of every shape on every slide (inside groups too; tables by row and cell), the
    speaker notes, charts and SmartArt."""
    read = read_ooxml(blob, _presentation, "PowerPoint (.pptx)", lambda package, _: _drawn_parts(package, "ppt/"))
    deck = read.document
    segments: list[Segment] = []
    for s_no, slide in enumerate(deck.slides, start=1):
        pieces = _shape_texts(slide.shapes, f"slide {s_no}", segments)
        if pieces:
            segments.append(Segment.joined(pieces))
        if slide.has_notes_slide and slide.notes_slide.notes_text_frame is not None \
                and slide.notes_slide.notes_text_frame.text.strip():
            segments.append(Segment(slide.notes_slide.notes_text_frame.text, f"slide {s_no} notes"))
    segments += read.more + properties_segment(deck.core_properties)
    return Content(segments=segments, dates=core_dates(deck.core_properties), images=read.images,
                   children=read.children)
