"""Zip-based formats other than Office Open XML and OpenDocument, told by the parts inside
them (scanner/extract/__init__.py, `zip_kind`): Excel binary workbooks (.xlsb, pyxlsb), XPS
documents (.xps, .oxps), e-books (.epub) and Visio drawings (.vsdx) are read. Apple iWork files
(.pages, .numbers, .key) are told apart too and, having no extractor, recorded as skipped with
their type, never opened as a plain zip that shows nothing.
"""
from __future__ import annotations

import posixpath
import zipfile
from lxml import etree

from scanner.extract import damaged, extractor
from scanner.extract.bounds import check_document_index
from scanner.extract.ooxml_parts import Package, local
from scanner.extract.encoding import decode_text
from scanner.extract.text import html_to_text, table_rows
from scanner.model import Blob, Content, Segment

MAX_ROWS = 100_000
_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)
# what the parts of a damaged package raise: bad zip, missing part, bad XML, bad binary record
DAMAGED = (zipfile.BadZipFile, KeyError, ValueError, OSError, EOFError, etree.XMLSyntaxError, IndexError)


def _open(blob: Blob, kind: str, read) -> list[Segment]:
    """`read(package)` the zip, refusing a zip bomb by its index; damage is could-not-inspect."""
    try:
        with blob.open() as f, zipfile.ZipFile(f) as archive:
            check_document_index(archive.infolist(), kind)
            return read(archive)
    except DAMAGED as exc:
        article = "an" if kind[0] in "AEIOU" else "a"
        raise damaged(f"{article} {kind}", f"{type(exc).__name__}: {exc}") from exc


@extractor(".xlsb")
def extract_xlsb(blob: Blob) -> Content:
    """Excel binary workbooks: every sheet's cells, named like `Ark1!C7` (pyxlsb)."""
    from openpyxl.utils import get_column_letter
    from pyxlsb import Workbook  # LGPL-3.0-or-later

    def read(archive: zipfile.ZipFile) -> list[Segment]:
        workbook = Workbook(archive)
        segments: list[Segment] = []
        for n, name in enumerate(workbook.sheets, start=1):
            with workbook.get_sheet(n) as sheet:
                rows = ([cell.v for cell in row] for _, row in zip(range(MAX_ROWS), sheet.rows()))
                segments += table_rows(rows, lambda r, c, s=name: f"{s}!{get_column_letter(c)}{r}")
        return segments

    return Content(segments=_open(blob, "Excel binary (.xlsb)", read))


@extractor(".xps", ".oxps")
def extract_xps(blob: Blob) -> Content:
    """XPS documents (Windows' "Microsoft XPS Document Writer"): the text of each page."""
    def read(archive: zipfile.ZipFile) -> list[Segment]:
        package = Package(archive)
        segments = []
        for n, name in enumerate(package.matching(r".*pages/\d+\.fpage"), start=1):
            root = etree.fromstring(package.read(name), _PARSER)
            lines = [el.get("UnicodeString", "") for el in root.iter() if local(el) == "Glyphs"]
            if text := "\n".join(line for line in lines if line.strip()):
                segments.append(Segment(text, f"page {n}"))
        return segments

    return Content(segments=_open(blob, "XPS document", read))


def _spine(package: Package) -> list[str]:
    """An e-book's content documents in reading order (its OPF spine), else in name order."""
    container = package.xml("META-INF/container.xml")
    rootfile = next((el.get("full-path") for el in container.iter() if local(el) == "rootfile"), None) \
        if container is not None else None
    if rootfile and package.has(rootfile):
        opf = package.xml(rootfile)
        folder = posixpath.dirname(rootfile)
        items = {el.get("id"): el.get("href", "") for el in opf.iter() if local(el) == "item"}
        order = [posixpath.normpath(posixpath.join(folder, items.get(el.get("idref"), "")))
                 for el in opf.iter() if local(el) == "itemref"]
        if found := [name for name in order if package.has(name)]:
            return found
    return package.matching(r".*\.(x?html?)")


@extractor(".epub")
def extract_epub(blob: Blob) -> Content:
    """E-books: the text of each chapter (`chapter 3`), in reading order."""
    def read(archive: zipfile.ZipFile) -> list[Segment]:
        package = Package(archive)
        segments = []
        for n, name in enumerate(_spine(package), start=1):
            if text := html_to_text(decode_text(package.read(name))):
                segments.append(Segment(text, f"chapter {n}"))
        return segments

    return Content(segments=_open(blob, "EPUB e-book", read))


@extractor(".vsdx", ".vsdm", ".vstx", ".vstm")
def extract_vsdx(blob: Blob) -> Content:
    """Visio drawings: the text of the shapes on each page (`page 2`)."""
    def read(archive: zipfile.ZipFile) -> list[Segment]:
        package = Package(archive)
        segments = []
        for n, name in enumerate(package.matching(r"visio/pages/page\d+\.xml"), start=1):
            root = package.xml(name)
            texts = [" ".join("".join(el.itertext()).split()) for el in root.iter() if local(el) == "Text"]
            if text := "\n".join(t for t in texts if t):
                segments.append(Segment(text, f"page {n}"))
        return segments

    return Content(segments=_open(blob, "Visio drawing", read))
