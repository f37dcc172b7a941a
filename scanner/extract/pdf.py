"""PDF documents: text per page with pdfplumber, and the document's dates."""
from __future__ import annotations

import re
from datetime import datetime, timedelta, timezone

from scanner.extract import CouldNotInspect, extractor
from scanner.model import Blob, Content, Segment

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


def _is_password_error(exc: BaseException | None) -> bool:
    """pdfplumber wraps pdfminer's password errors in its own exception; look down the chain."""
    from pdfminer.pdfdocument import PDFEncryptionError, PDFPasswordIncorrect

    while exc is not None:
        if isinstance(exc, (PDFPasswordIncorrect, PDFEncryptionError)) or any(
                isinstance(a, (PDFPasswordIncorrect, PDFEncryptionError)) for a in getattr(exc, "args", ())):
            return True
        exc = exc.__cause__ or exc.__context__
    return False


@extractor(".pdf")
def extract_pdf(blob: Blob) -> Content:
    import pdfplumber
    from pdfminer.pdfdocument import PDFEncryptionError, PDFPasswordIncorrect

    segments: list[Segment] = []
    dates: dict[str, datetime] = {}
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
    except (PDFPasswordIncorrect, PDFEncryptionError) as exc:
        raise CouldNotInspect("encrypted PDF: it needs a password to open") from exc
    except Exception as exc:  # pdfminer raises many unrelated types on damaged files
        if _is_password_error(exc):
            raise CouldNotInspect("encrypted PDF: it needs a password to open") from exc
        raise CouldNotInspect(f"damaged or not really a PDF file ({type(exc).__name__}: {exc})") from exc
    return Content(segments=segments, dates=dates)
