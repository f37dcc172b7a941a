"""PDF documents: text per page (PDFium, through pypdfium2), the document's dates, and the
pictures on each page."""
from __future__ import annotations

import io
import re
from datetime import datetime, timedelta, timezone
from typing import Iterable, Iterator

from scanner.extract import CouldNotInspect, damaged, encrypted, extractor
from scanner.extract.bounds import too_large
from scanner.model import Blob, Content, Image, Segment

_PDF_DATE = re.compile(r"D?:?(\d{4})(\d{2})?(\d{2})?(\d{2})?(\d{2})?(\d{2})?([Zz+\-])?(\d{2})?'?(\d{2})?")


def parse_pdf_date(value: object) -> datetime | None:
    """Parse a PDF date string like `D:20190304120100+01'00'`."""
    if isinstance(value, bytes):
        value = value.decode("latin-1", errors="replace")
    if not isinstance(value, str):
        return None
    m = _PDF_DATE.match(value.strip())
    if not m:
        return None
    year, month, day, hour, minute, second = (int(g) if g else d for g, d in zip(m.groups()[:6], (0, 1, 1, 0, 0, 0)))
    tz = timezone.utc
    if m.group(7) in ("+", "-") and m.group(8):
        offset = timedelta(hours=int(m.group(8)), minutes=int(m.group(9) or 0))
        tz = timezone(offset if m.group(7) == "+" else -offset)
    try:
        return datetime(year, month, day, hour, minute, second, tzinfo=tz)
    except ValueError:
        return None


MAX_PAGE_IMAGES = 20          # pictures taken from one page
MIN_IMAGE_PIXELS = 32 * 32    # smaller ones are rules, bullets and logos' specks


def _page_images(pictures: list, page_no: int) -> list[Image]:
    """The pictures placed on a page with a text layer, as PNG, for image detection (faces)."""
    images = []
    for n, obj in enumerate(pictures, start=1):
        if len(images) >= MAX_PAGE_IMAGES:
            break
        try:
            width, height = obj.get_px_size()
            if width * height < MIN_IMAGE_PIXELS:
                continue
            out = io.BytesIO()
            obj.get_bitmap(render=False).to_pil().save(out, "PNG")
        except Exception:  # an image PDFium cannot decode is not worth failing the page for
            continue
        images.append(Image(out.getvalue(), f"page {page_no}, image {n}", f"page{page_no}-image{n}.png"))
    return images


MAX_PDF_BYTES = 512 * 1024 * 1024  # a parser may scan a damaged file byte by byte: bound what it is given
SMALL_PAGES = 50  # a PDF of up to this many pages gets its segments as a list (callers may index them)


@extractor(".pdf")
def extract_pdf(blob: Blob) -> Content:
    """Text per page with pypdfium2 (PDFium), form field values, annotations (comments, notes),
    the author in the metadata, the document's dates, and the pictures on each page; a page with
    no text layer but a picture over most of it (a scan) is rendered for OCR. A PDF that
    PDFium refuses (junk before `%PDF-`, a broken cross-reference table) is read with pdfminer.six.

    The pages are read one at a time as detection asks for them (`_page_segments`), so a PDF of
    thousands of pages is never held whole and each page is a sign of life for the worker's
    time limit. PDFium gets the text about 80 times faster than pdfplumber (bench/pdf_text.py:
    560 against 7 pages/s), with the same words; see docs/formats.md."""
    import pypdfium2 as pdfium

    if blob.size > MAX_PDF_BYTES:
        raise too_large(blob.size, MAX_PDF_BYTES, "the PDF file is",
                        "split it into smaller PDFs (qpdf --split-pages, or print ranges of pages to PDF) and scan those")
    dates: dict[str, datetime] = {}
    f = blob.open()
    try:
        pdf = pdfium.PdfDocument(f, autoclose=True)  # read as needed, not all into memory
    except pdfium.PdfiumError as exc:
        f.close()
        if (refusal := _protected(exc)) is not None:
            raise refusal from exc
        return pdfminer_content(blob)  # PDFium could not open it; pdfminer.six may
    try:
        pdf.init_forms()  # the values typed into its form fields
        metadata = pdf.get_metadata_dict(skip_empty=True)
        for key, name in (("CreationDate", "created"), ("ModDate", "modified")):
            parsed = parse_pdf_date(metadata.get(key))
            if parsed:
                dates[name] = parsed
        children = _attachments(pdf)
        scanned: list[bool] = []  # per page read: a scan to render for OCR, else its placed pictures are taken
        segments: Iterable[Segment] = _page_segments(pdf, metadata, scanned)
        if len(pdf) <= SMALL_PAGES:
            segments = list(segments)
    except CouldNotInspect:
        pdf.close()
        raise
    except pdfium.PdfiumError as exc:
        pdf.close()
        raise CouldNotInspect(f"damaged PDF: PDFium stopped reading it ({exc})") from exc
    return Content(segments=segments, dates=dates, images=_page_pictures(pdf, scanned, blob.name), children=children)


def _page_segments(pdf, metadata: dict, scanned: list[bool]) -> Iterator[Segment]:
    """Each page's text and annotations, one page at a time, noting in `scanned` whether the page
    is a scan; then the form fields' values and the metadata. A page is let go once read."""
    import pypdfium2 as pdfium

    fields: dict[str, str] = {}
    try:
        for page_no in range(1, len(pdf) + 1):
            page = pdf[page_no - 1]
            text = page.get_textpage().get_text_range().replace("\r\n", "\n")
            if text.strip():
                yield Segment(text, f"page {page_no}")
            yield from _annotations(pdf, page, page_no, fields)
            scanned.append(looks_scanned(page, text, _pictures_on(page)))
    except pdfium.PdfiumError as exc:
        raise CouldNotInspect(f"damaged PDF: PDFium stopped reading it ({exc})") from exc
    if fields:
        yield Segment.joined((f"{name}: {value}", f'form field "{name}"') for name, value in fields.items())
    yield from metadata_segments(metadata)


def metadata_segments(metadata: dict) -> list[Segment]:
    """The people in the document information: `metadata: author`, `metadata: subject` …"""
    pieces = [(f"{key}: {metadata[key]}", f"metadata: {key.lower()}") for key in ("Author", "Title", "Subject", "Keywords")
              if isinstance(metadata.get(key), str) and metadata[key].strip()]
    return [Segment.joined(pieces)] if pieces else []


def _protected(exc: Exception) -> CouldNotInspect | None:
    """The reason when PDFium refused the file because it is protected: a password, or a
    rights-management handler such as Microsoft IRM; None for any other refusal."""
    import pypdfium2.raw as pdfium_c

    code = getattr(exc, "err_code", None)
    if code == pdfium_c.FPDF_ERR_PASSWORD or "password" in str(exc).lower():
        return encrypted("PDF")
    if code == pdfium_c.FPDF_ERR_SECURITY or "security" in str(exc).lower():
        return CouldNotInspect("PDF protected with IRM (Microsoft Rights Management) or another security handler "
                               "this version cannot open: open it in an application that has the rights, "
                               "or ask its owner for an unprotected copy")
    return None


def pdfminer_content(blob: Blob) -> Content:
    """Text per page and the author with pdfminer.six, for a PDF PDFium refuses."""
    from pdfminer.high_level import extract_text
    from pdfminer.pdfdocument import PDFDocument, PDFPasswordIncorrect
    from pdfminer.pdfparser import PDFParser
    from pdfminer.psparser import PSException

    with blob.open() as f:
        head = f.read(1024 * 1024)
        if b"%PDF-" not in head:
            raise CouldNotInspect("not really a PDF file (there is no %PDF- header in it)")
        f.seek(0)
        try:
            text = extract_text(f)
            f.seek(0)
            info = PDFDocument(PDFParser(f)).info
        except PDFPasswordIncorrect as exc:
            raise encrypted("PDF") from exc
        except (PSException, ValueError, KeyError, TypeError, AttributeError, IndexError, AssertionError) as exc:
            raise damaged("a PDF", f"neither PDFium nor pdfminer.six can read it: {type(exc).__name__}") from exc
    segments = [Segment(page, f"page {n}") for n, page in enumerate(text.split("\f"), start=1) if page.strip()]
    metadata = {k: (v.decode("utf-8", "replace") if isinstance(v, bytes) else v)
                for d in info for k, v in d.items()}
    dates = {name: parsed for key, name in (("CreationDate", "created"), ("ModDate", "modified"))
             if (parsed := parse_pdf_date(metadata.get(key)))}
    if not segments and not metadata:
        raise damaged("a PDF", "neither PDFium nor pdfminer.six finds anything in it")
    return Content(segments=segments + metadata_segments(metadata), dates=dates)


def _utf16(getter, *args) -> str:
    """A string PDFium hands out as UTF-16 through a buffer (asked twice: the size, then the text)."""
    import ctypes

    size = getter(*args, None, 0)
    if size <= 2:
        return ""
    buffer = ctypes.create_string_buffer(size)
    getter(*args, ctypes.cast(buffer, ctypes.POINTER(ctypes.c_ushort)), size)
    return buffer.raw[:size - 2].decode("utf-16-le", errors="replace")


def _annotations(pdf, page, page_no: int, fields: dict[str, str]) -> list[Segment]:
    """The comments and notes on a page (`annotation p. 2`); form fields' values go to `fields`."""
    import pypdfium2.raw as pdfium_c

    pieces = []
    for n in range(pdfium_c.FPDFPage_GetAnnotCount(page.raw)):
        annot = pdfium_c.FPDFPage_GetAnnot(page.raw, n)
        if not annot:
            continue
        try:
            if pdfium_c.FPDFAnnot_GetSubtype(annot) == pdfium_c.FPDF_ANNOT_WIDGET:
                if pdf.formenv is not None:
                    name = _utf16(pdfium_c.FPDFAnnot_GetFormFieldName, pdf.formenv.raw, annot)
                    value = _utf16(pdfium_c.FPDFAnnot_GetFormFieldValue, pdf.formenv.raw, annot)
                    if name and value.strip() and value not in ("Off",):
                        fields.setdefault(name, value)
                continue
            text = _utf16(pdfium_c.FPDFAnnot_GetStringValue, annot, b"Contents")
            author = _utf16(pdfium_c.FPDFAnnot_GetStringValue, annot, b"T")
            if text.strip():
                pieces.append((f"{author}: {text}" if author else text, f"annotation p. {page_no}"))
        finally:
            pdfium_c.FPDFPage_CloseAnnot(annot)
    return [Segment.joined(pieces)] if pieces else []


def _pictures_on(page) -> list:
    import pypdfium2.raw as pdfium_c

    return list(page.get_objects(filter=[pdfium_c.FPDF_PAGEOBJ_IMAGE], max_depth=2))


def _page_pictures(pdf, scanned: list[bool], name: str) -> Iterator[Image]:
    """The pictures to analyse, page by page as they are asked for, so a scan of 400 pages is
    rendered and held one page at a time; the document is closed at the end. Whether a page is
    a scan is known from reading its text (`scanned`), or judged here for a page not read yet. A page's picture
    objects are listed again here rather than kept from the first pass: keeping them would keep
    every page loaded."""
    import pypdfium2 as pdfium

    try:
        for page_no in range(1, len(pdf) + 1):
            page = pdf[page_no - 1]
            is_scan = scanned[page_no - 1] if page_no <= len(scanned) else \
                looks_scanned(page, page.get_textpage().get_text_range(), _pictures_on(page))
            if is_scan:
                yield rendered_for_ocr(page, page_no, name)
            else:
                yield from _page_images(_pictures_on(page), page_no)
    except pdfium.PdfiumError as exc:
        raise CouldNotInspect(f"damaged PDF: PDFium stopped reading its pictures ({exc})") from exc
    finally:
        pdf.close()


def _attachments(pdf) -> list[Blob]:
    """Files attached to the PDF (an invoice's XML, a form's data), as children."""
    children = []
    for n in range(pdf.count_attachments()):
        attachment = pdf.get_attachment(n)
        data = bytes(attachment.get_data() or b"")
        children.append(Blob(name=attachment.get_name() or f"attachment {n + 1}", size=len(data),
                             open=lambda d=data: io.BytesIO(d)))
    return children


SCAN_DPI = 300
SCAN_MAX_SIDE = 5000  # px: a larger page (a poster, a drawing) is rendered at a lower resolution
SCAN_MAX_CHARS = 80   # a scan may carry a short stamped line ("Scannet 04-03-2024 Xerox")
SCAN_MIN_COVER = 0.5  # share of the page its pictures cover


def looks_scanned(page, text: str, pictures: list) -> bool:
    """A page whose text exists only as pixels: pictures over most of it and (almost) no text layer."""
    if len("".join(text.split())) > SCAN_MAX_CHARS or not pictures:
        return False
    covered = 0.0
    for picture in pictures:
        left, bottom, right, top = picture.get_bounds()
        covered += abs(right - left) * abs(top - bottom)
    width, height = page.get_size()
    return covered >= SCAN_MIN_COVER * width * height


def rendered_for_ocr(page, page_no: int, name: str) -> Image:
    """A page that has pictures but no text layer (a scan), rendered in grey for OCR, as PGM
    (lossless, and written in milliseconds where PNG takes up to a second for a noisy scan)."""
    scale = min(SCAN_DPI / 72, SCAN_MAX_SIDE / max(page.get_size()))
    out = io.BytesIO()
    page.render(scale=scale, grayscale=True).to_pil().save(out, format="PPM")
    return Image(out.getvalue(), f"page {page_no}", name, needs_ocr=True)
