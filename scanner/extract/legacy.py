"""Other formats people keep: PowerPoint (.pptx), OpenDocument (.odt/.ods/.odp), RTF,
old Excel (.xls), and old Word (.doc) through LibreOffice or antiword when installed.
"""
from __future__ import annotations

import shutil
import subprocess
import tempfile
import zipfile
from pathlib import Path

from scanner.extract import CouldNotInspect, damaged, encrypted, extractor
from scanner.extract.text import decode_text, table_rows
from scanner.model import Blob, Content, Segment

CONVERT_SECONDS = 120  # LibreOffice or antiword, for one old Word file


def rtf_to_text(rtf: str) -> str:
    """The text of an RTF document (also Outlook's RTF message bodies)."""
    from striprtf.striprtf import rtf_to_text as strip

    return strip(rtf, errors="ignore")


@extractor(".rtf")
def extract_rtf(blob: Blob) -> Content:
    with blob.open() as f:
        return Content(segments=[Segment(rtf_to_text(decode_text(f.read())), numbered_lines=True)])


@extractor(".pptx", ".pptm")
def extract_pptx(blob: Blob) -> Content:
    """Text of every shape on every slide (tables by row and cell), and the speaker notes."""
    import pptx
    from scanner.extract.office import core_dates, properties_segment, read_ooxml

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


@extractor(".odt", ".ods", ".odp")
def extract_odf(blob: Blob) -> Content:
    """OpenDocument text, spreadsheets and presentations: paragraphs and table rows."""
    from odf import opendocument, table, text
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


@extractor(".xls")
def extract_xls(blob: Blob) -> Content:
    """Old Excel workbooks (97–2003) with xlrd; cells named like `Ark1!C7`."""
    import xlrd
    from openpyxl.utils import get_column_letter

    with blob.open() as f:
        data = f.read()
    if not data:
        raise CouldNotInspect("empty file (0 bytes)")
    try:
        book = xlrd.open_workbook(file_contents=data)
    except Exception as exc:  # xlrd raises XLRDError, BadZipFile, struct and index errors on garbage
        if "encrypt" in str(exc).lower():
            raise encrypted("Excel (.xls) file") from exc
        raise damaged("an Excel (.xls)", str(exc)) from exc
    segments: list[Segment] = []
    for sheet in book.sheets():
        rows = (sheet.row_values(r) for r in range(sheet.nrows))
        segments += table_rows(rows, lambda r, c, s=sheet.name: f"{s}!{get_column_letter(c)}{r}")
    return Content(segments=segments)


def _doc_to_text_with_libreoffice(office: str, source: Path) -> str:
    tmp = source.parent
    subprocess.run([office, "--headless", f"-env:UserInstallation=file://{tmp}/profile", "--convert-to",
                    "txt:Text (encoded):UTF8", "--outdir", str(tmp), str(source)],
                   capture_output=True, timeout=CONVERT_SECONDS, check=True)
    return (tmp / "document.txt").read_text(encoding="utf-8-sig")


def _doc_to_text_with_antiword(antiword: str, source: Path) -> str:
    run = subprocess.run([antiword, "-m", "UTF-8.txt", "-w", "0", str(source)],
                         capture_output=True, timeout=CONVERT_SECONDS, check=True)
    return run.stdout.decode("utf-8", errors="replace")


@extractor(".doc")
def extract_doc(blob: Blob) -> Content:
    """Old Word documents (97–2003) as text: LibreOffice headless when installed, else antiword."""
    office = shutil.which("soffice") or shutil.which("libreoffice")
    antiword = shutil.which("antiword")
    if office is None and antiword is None:
        raise CouldNotInspect("old Word (.doc) files need LibreOffice or antiword "
                              "(apt-get install antiword, or libreoffice-writer-nogui)")
    tool = "LibreOffice" if office else "antiword"
    with tempfile.TemporaryDirectory(prefix="datakort-") as tmp:
        source = Path(tmp) / "document.doc"
        with blob.open() as f:
            source.write_bytes(f.read())
        try:
            text = (_doc_to_text_with_libreoffice(office, source) if office
                    else _doc_to_text_with_antiword(antiword, source))
        except subprocess.TimeoutExpired as exc:
            raise CouldNotInspect(f"{tool} took more than {CONVERT_SECONDS} s to read it") from exc
        except subprocess.CalledProcessError as exc:
            said = (exc.stderr or b"").decode("utf-8", errors="replace").replace(str(source), blob.name)
            reason = said.strip().splitlines()[-1] if said.strip() else f"exit code {exc.returncode}"
            if "encrypt" in reason.lower() or "password" in reason.lower():
                raise encrypted("Word (.doc) file") from exc
            raise CouldNotInspect(f"{tool} could not read it (damaged?): {reason}") from exc
        except OSError as exc:
            raise CouldNotInspect(f"{tool} could not read it: {exc}") from exc
    return Content(segments=[Segment(text, numbered_lines=True)])
