"""Word (.docx) and Excel (.xlsx) documents."""
from __future__ import annotations

import zipfile
import zlib
from datetime import datetime

from scanner.extract import CouldNotInspect, extractor
from scanner.extract.bounds import check_zip
from scanner.extract.text import table_rows
from scanner.model import Blob, Content, Segment


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


def _core_dates(props) -> dict[str, datetime]:
    dates = {}
    for name in ("created", "modified"):
        value = getattr(props, name, None)
        if isinstance(value, datetime):
            dates[name] = value
    return dates


# what a damaged or disguised zip/XML document raises: bad zip, missing part, bad deflate data, bad XML
# (lxml's and ElementTree's parse errors are SyntaxErrors), a value the parser cannot take
DAMAGED = (zipfile.BadZipFile, KeyError, ValueError, OSError, EOFError, zlib.error, SyntaxError)


def _damaged(kind: str, exc: Exception) -> CouldNotInspect:
    return CouldNotInspect(f"damaged or not really {kind} file ({type(exc).__name__}: {exc})")


@extractor(".docx", ".docm")
def extract_docx(blob: Blob) -> Content:
    """Paragraphs, tables (one segment per row), headers and footers, and the document's dates."""
    import docx

    try:
        with blob.open() as f:
            check_zip(f, "Word (.docx)")
            document = docx.Document(f)
    except DAMAGED as exc:
        raise _damaged("a Word (.docx)", exc) from exc
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
    return Content(segments=segments, dates=_core_dates(document.core_properties))


@extractor(".xlsx", ".xlsm")
def extract_xlsx(blob: Blob) -> Content:
    """Every sheet, streamed; one segment per row, each cell named like `Ark1!C7`."""
    import openpyxl
    from openpyxl.utils import get_column_letter

    try:
        with blob.open() as f:
            check_zip(f, "Excel (.xlsx)")
            workbook = openpyxl.load_workbook(f, read_only=True, data_only=True)
            segments: list[Segment] = []
            for sheet in workbook.worksheets:
                rows = _bounded_rows(sheet, MAX_ROWS - len(segments))
                segments += table_rows(rows, lambda r, c, s=sheet.title: f"{s}!{get_column_letter(c)}{r}")
            dates = _core_dates(workbook.properties)
            workbook.close()
    except DAMAGED as exc:
        raise _damaged("an Excel (.xlsx)", exc) from exc
    return Content(segments=segments, dates=dates)
