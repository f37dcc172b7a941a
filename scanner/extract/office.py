"""Word (.docx), Excel (.xlsx) and PowerPoint (.pptx) documents, and what all Office Open XML
files share: their core properties (author, dates) and the pictures in their media folder."""
from __future__ import annotations

import zipfile
import zlib
from datetime import datetime
from typing import BinaryIO, Callable, Iterable, Iterator, TypeVar

from scanner.extract import CouldNotInspect, damaged, encrypted, extractor
from scanner.extract.bounds import check_document_index
from scanner.extract.text import table_rows
from scanner.model import Blob, Content, Image, Segment


MEDIA_FOLDERS = ("word/media/", "xl/media/", "ppt/media/")
EMBEDDINGS_FOLDERS = ("word/embeddings/", "xl/embeddings/", "ppt/embeddings/")
MAX_IMAGE_BYTES = 32 * 1024**2
T = TypeVar("T")


def media_images(package: zipfile.ZipFile) -> list[Image]:
    """The pictures in an open Office Open XML package's media folder, for image detection."""
    images = []
    for info in package.infolist():
        if info.filename.startswith(MEDIA_FOLDERS) and 0 < info.file_size <= MAX_IMAGE_BYTES:
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


MAX_ROWS = 100_000  # rows per workbook: a bigger sheet is an export or a log, recorded as too large


def _bounded_rows(sheet, budget: int):
    """The sheet's rows, raising "too large" past `budget` rows. A sheet whose stated size
    is over the budget is counted for real: the stated size can be wrong, and openpyxl
    would pad the rows up to it."""
    if isinstance(sheet.max_row, int) and sheet.max_row > budget:
        sheet.reset_dimensions()
    for n, row in enumerate(sheet.iter_rows(values_only=True), start=1):
        if n > budget:
            raise CouldNotInspect(f"too large to read: more than {MAX_ROWS:,} rows (sheet {sheet.title!r}); "
                                  "split the workbook or export it to CSV")
        yield row




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


def read_ooxml(blob: Blob, load: Callable[[BinaryIO], T], kind: str) -> tuple[T, list[Image], Iterable[Blob]]:
    """Open an Office Open XML file once: refuse a zip bomb by its index, `load(file)` it
    (python-docx, python-pptx, openpyxl: whatever reads the file lazily does it inside
    `load`, the file is closed after) and take its pictures. Returns (document, pictures,
    embedded files); the embedded files are read lazily, the zip reopened only when it has some.
    A damaged or encrypted file raises CouldNotInspect."""
    try:
        with blob.open() as f, zipfile.ZipFile(f) as package:
            check_document_index(package.infolist(), kind)
            document = load(f)
            images = media_images(package)
            children = ooxml_embedded(blob) if _embedded_members(package) else []
    except DAMAGED as exc:
        raise office_unreadable(kind, exc, blob) from exc
    return document, images, children


def is_encrypted_office(blob: Blob) -> bool:
    """True for a password-protected Office file (msoffcrypto-tool reads its header)."""
    import msoffcrypto

    try:
        with blob.open() as f:
            return bool(msoffcrypto.OfficeFile(f).is_encrypted())
    except Exception:  # not an Office container at all: damaged, not encrypted
        return False


W_NS = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def _text_boxes(document) -> list[str]:
    """The text of each text box (shapes and VML boxes; python-docx's paragraphs skip them)."""
    boxes = []
    for box in document.element.body.iter(f"{W_NS}txbxContent"):
        text = "\n".join("".join(t.text or "" for t in p.iter(f"{W_NS}t")) for p in box.iter(f"{W_NS}p"))
        if text.strip() and text not in boxes:  # a box is stored twice (drawing and VML fallback)
            boxes.append(text)
    return boxes


@extractor(".docx", ".docm")
def extract_docx(blob: Blob) -> Content:
    """Paragraphs, tables (one segment per row), headers and footers, comments, text boxes,
    core properties (author; created and modified dates) and embedded pictures.

    Read with python-docx set up to parse only these parts (`docx_reader`)."""
    from scanner.extract import docx_reader

    document, images, children = read_ooxml(blob, docx_reader.read_word, "Word (.docx)")
    segments: list[Segment] = []
    paragraphs = [(text, f"paragraph {i}") for i, text in enumerate((p.text for p in document.paragraphs), start=1)
                  if text.strip()]
    if paragraphs:
        segments.append(Segment.joined(paragraphs))
    for t_no, table in enumerate(document.tables, start=1):
        rows = [[cell.text for cell in row.cells] for row in table.rows]
        segments += table_rows(rows, lambda r, c, t=t_no: f"table {t}, row {r}, cell {c}")
    for kind, s_no, part in docx_reader.headers_and_footers(document):
        text = "\n".join(t for t in (p.text for p in part.paragraphs) if t.strip())
        if text:
            segments.append(Segment(text, f"{kind} (section {s_no})"))
    for c_no, comment in enumerate(docx_reader.comments(document), start=1):
        text = "\n".join(p.text for p in comment.paragraphs)
        author = f"{comment.author}: " if comment.author else ""
        if (author + text).strip():
            segments.append(Segment(author + text, f"comment {c_no}"))
    for b_no, text in enumerate(_text_boxes(document), start=1):
        segments.append(Segment(text, f"text box {b_no}"))
    properties = docx_reader.core_properties(document)
    segments += properties_segment(properties)
    return Content(segments=segments, dates=core_dates(properties), images=images, children=children)


@extractor(".xlsx", ".xlsm")
def extract_xlsx(blob: Blob) -> Content:
    """Every sheet, streamed; one segment per row, each cell named like `Ark1!C7`.

    Cells are written as `header: value` (see `table_rows`), so a column header such as
    "Telefon" or "CPR-nr." is context that raises the score of the value below it, and
    one such as "Varenr." or "Ordre" makes the recognisers drop a look-alike number."""
    import openpyxl
    from openpyxl.utils import get_column_letter

    def read(f: BinaryIO) -> tuple[list[Segment], dict[str, datetime]]:
        workbook = openpyxl.load_workbook(f, read_only=True, data_only=True)
        try:
            segments: list[Segment] = []
            for sheet in workbook.worksheets:
                rows = _bounded_rows(sheet, MAX_ROWS - len(segments))
                segments += table_rows(rows, lambda r, c, s=sheet.title: f"{s}!{get_column_letter(c)}{r}")
            return segments + properties_segment(workbook.properties), core_dates(workbook.properties)
        finally:
            workbook.close()

    (segments, dates), images, children = read_ooxml(blob, read, "Excel (.xlsx)")
    return Content(segments=segments, dates=dates, images=images, children=children)


@extractor(".pptx", ".pptm")
def extract_pptx(blob: Blob) -> Content:
    """Text of every shape on every slide (tables by row and cell), and the speaker notes."""
    import pptx  # heavy: imported when the first presentation is read

    deck, images, children = read_ooxml(blob, pptx.Presentation, "PowerPoint (.pptx)")
    segments: list[Segment] = []
    for s_no, slide in enumerate(deck.slides, start=1):
        pieces = []
        for shape in slide.shapes:
            if shape.has_text_frame and shape.text_frame.text.strip():
                pieces.append((shape.text_frame.text, f"slide {s_no}"))
            if getattr(shape, "has_table", False) and shape.has_table:
                rows = [[cell.text for cell in row.cells] for row in shape.table.rows]
                segments += table_rows(rows, lambda r, c, s=s_no: f"slide {s}, table row {r}, cell {c}")
        if pieces:
            segments.append(Segment.joined(pieces))
        if slide.has_notes_slide and slide.notes_slide.notes_text_frame.text.strip():
            segments.append(Segment(slide.notes_slide.notes_text_frame.text, f"slide {s_no} notes"))
    segments += properties_segment(deck.core_properties)
    return Content(segments=segments, dates=core_dates(deck.core_properties), images=images, children=children)
