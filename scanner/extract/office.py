"""Word (.docx) and Excel (.xlsx) documents."""
from __future__ import annotations

import zipfile
from datetime import datetime

from scanner.extract import CouldNotInspect, extractor
from scanner.extract.text import table_rows
from scanner.model import Blob, Content, Segment


def core_dates(props) -> dict[str, datetime]:
    dates = {}
    for name in ("created", "modified"):
        value = getattr(props, name, None)
        if isinstance(value, datetime):
            dates[name] = value
    return dates


def damaged(kind: str, exc: Exception, blob: Blob | None = None) -> CouldNotInspect:
    """The reason an Office file cannot be read: `encrypted` when it is, else damaged."""
    if blob is not None and is_encrypted_office(blob):
        return CouldNotInspect(f"encrypted {kind} file: it needs a password to open")
    return CouldNotInspect(f"damaged or not really a {kind} file ({type(exc).__name__}: {exc})")


def is_encrypted_office(blob: Blob) -> bool:
    """True for a password-protected Office file (msoffcrypto-tool reads its header)."""
    import msoffcrypto

    try:
        with blob.open() as f:
            return bool(msoffcrypto.OfficeFile(f).is_encrypted())
    except Exception:  # not an Office container at all: damaged, not encrypted
        return False


@extractor(".docx", ".docm")
def extract_docx(blob: Blob) -> Content:
    """Paragraphs, tables (one segment per row), headers and footers, and the document's dates."""
    import docx

    try:
        with blob.open() as f:
            document = docx.Document(f)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError) as exc:
        raise damaged("Word (.docx)", exc, blob) from exc
    segments: list[Segment] = []
    paragraphs = [(p.text, f"paragraph {i}") for i, p in enumerate(document.paragraphs, start=1) if p.text.strip()]
    if paragraphs:
        segments.append(Segment.joined(paragraphs))
    for t_no, table in enumerate(document.tables, start=1):
        rows = [[cell.text for cell in row.cells] for row in table.rows]
        segments += table_rows(rows, lambda r, c, t=t_no: f"table {t}, row {r}, cell {c}")
    for s_no, section in enumerate(document.sections, start=1):
        for kind, part in (("header", section.header), ("footer", section.footer)):
            text = "\n".join(p.text for p in part.paragraphs if p.text.strip())
            if text:
                segments.append(Segment(text, f"{kind} (section {s_no})"))
    return Content(segments=segments, dates=core_dates(document.core_properties))


@extractor(".xlsx", ".xlsm")
def extract_xlsx(blob: Blob) -> Content:
    """Every sheet, streamed; one segment per row, each cell named like `Ark1!C7`."""
    import openpyxl
    from openpyxl.utils import get_column_letter

    try:
        with blob.open() as f:
            workbook = openpyxl.load_workbook(f, read_only=True, data_only=True)
            segments: list[Segment] = []
            for sheet in workbook.worksheets:
                rows = sheet.iter_rows(values_only=True)
                segments += table_rows(rows, lambda r, c, s=sheet.title: f"{s}!{get_column_letter(c)}{r}")
            dates = core_dates(workbook.properties)
            workbook.close()
    except (zipfile.BadZipFile, KeyError, ValueError, OSError) as exc:
        raise damaged("Excel (.xlsx)", exc, blob) from exc
    return Content(segments=segments, dates=dates)
