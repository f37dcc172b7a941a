"""OpenDocument files (.odt, .ods, .odp): LibreOffice's and OpenOffice's text, spreadsheets
and presentations."""
from __future__ import annotations

import zipfile

from scanner.extract import damaged, encrypted, extractor
from scanner.extract.text import table_rows
from scanner.model import Blob, Content, Segment


@extractor(".odt", ".ods", ".odp")
def extract_odf(blob: Blob) -> Content:
    """OpenDocument text, spreadsheets and presentations: paragraphs and table rows."""
    from odf import opendocument, table, text  # heavy: imported when the first OpenDocument file is read
    from odf.element import Element

    def plain(node: Element) -> str:
        if node.nodeType == node.TEXT_NODE:
            return str(node.data)
        return "".join(plain(child) for child in node.childNodes)

    try:
        with blob.open() as f:
            with zipfile.ZipFile(f) as package:
                if b"encryption-data" in package.read("META-INF/manifest.xml"):
                    raise encrypted("OpenDocument file")
            f.seek(0)
            doc = opendocument.load(f)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError) as exc:
        raise damaged("an OpenDocument", f"{type(exc).__name__}: {exc}") from exc
    cells = {id(p) for cell in doc.body.getElementsByType(table.TableCell) for p in cell.getElementsByType(text.P)}
    paragraphs = [p for p in doc.body.getElementsByType(text.P) if id(p) not in cells]  # cells are read by row
    pieces = [(t, f"paragraph {i}") for i, t in enumerate((plain(p) for p in paragraphs), start=1) if t.strip()]
    segments = [Segment.joined(pieces)] if pieces else []
    for t_no, tbl in enumerate(doc.body.getElementsByType(table.Table), start=1):
        name = tbl.getAttribute("name") or f"table {t_no}"
        rows = [[plain(cell) for cell in row.getElementsByType(table.TableCell)]
                for row in tbl.getElementsByType(table.TableRow)]
        segments += table_rows(rows, lambda r, c, n=name: f"{n}, row {r}, cell {c}")
    return Content(segments=segments)
