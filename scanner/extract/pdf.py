"""PDF documents: text per page with pdfplumber, and the document's dates."""
from __future__ import annotations

import io
import re
from datetime import datetime, timedelta, timezone

from scanner.extract import CouldNotInspect, extractor
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


MAX_PDF_BYTES = 512 * 1024 * 1024  # pdfminer may scan a damaged file byte by byte: bound what it is given


@extractor(".pdf")
def extract_pdf(blob: Blob) -> Content:
    import pdfplumber
    from pdfminer.pdfdocument import PDFEncryptionError, PDFPasswordIncorrect

    if blob.size > MAX_PDF_BYTES:
        raise too_large(blob.size, MAX_PDF_BYTES, "the PDF file is")
    with blob.open() as f:
        if b"%PDF-" not in f.read(1024):
            raise CouldNotInspect("not really a PDF file (it does not start with %PDF-)")

    segments: list[Segment] = []
    dates: dict[str, datetime] = {}
    scanned: list[int] = []
    try:
        with blob.open() as f, pdfplumber.open(f) as pdf:
            for key, name in (("CreationDate", "created"), ("ModDate", "modified")):
                parsed = parse_pdf_date(pdf.metadata.get(key))
                if parsed:
                    dates[name] = parsed
            for page_no, page in enumerate(pdf.pages, start=1):
                text = page.extract_text() or ""
                if text.strip():
                    segments.append(Segment(text, f"page {page_no}"))
                if looks_scanned(page, text):
                    scanned.append(page_no)
    except (PDFPasswordIncorrect, PDFEncryptionError) as exc:
        raise CouldNotInspect("encrypted PDF: it needs a password to open") from exc
    except Exception as exc:  # pdfminer raises many unrelated types on damaged files
        raise CouldNotInspect(f"damaged or not really a PDF file ({type(exc).__name__}: {exc})") from exc
    return Content(segments=segments, dates=dates, images=scanned_pages(blob, scanned))


SCAN_DPI = 300
SCAN_MAX_SIDE = 5000  # px: a larger page (a poster, a drawing) is rendered at a lower resolution
SCAN_MAX_CHARS = 80   # a scan may carry a short stamped line ("Scannet 04-03-2024 Xerox")
SCAN_MIN_COVER = 0.5  # share of the page its pictures cover


def looks_scanned(page, text: str) -> bool:
    """A page whose text exists only as pixels: pictures over most of it and (almost) no text layer."""
    if len("".join(text.split())) > SCAN_MAX_CHARS or not page.images:
        return False
    covered = sum(abs(float(im["x1"]) - float(im["x0"])) * abs(float(im["bottom"]) - float(im["top"])) for im in page.images)
    return covered >= SCAN_MIN_COVER * float(page.width) * float(page.height)


def scanned_pages(blob: Blob, page_numbers: list[int]) -> list[Image]:
    """Render PDF pages that have pictures but no text layer (scans) for OCR, with pypdfium2."""
    if not page_numbers:
        return []
    import pypdfium2

    images = []
    try:
        with blob.open() as f:
            document = pypdfium2.PdfDocument(f.read())
    except pypdfium2.PdfiumError as exc:
        raise CouldNotInspect(f"its scanned pages could not be rendered for OCR ({exc})") from exc
    try:
        for page_no in page_numbers:
            page = document[page_no - 1]
            scale = min(SCAN_DPI / 72, SCAN_MAX_SIDE / max(page.get_size()))
            bitmap = page.render(scale=scale, grayscale=True)
            out = io.BytesIO()
            bitmap.to_pil().save(out, format="PNG")
            images.append(Image(out.getvalue(), f"page {page_no}", blob.name, needs_ocr=True))
    finally:
        document.close()
    return images
