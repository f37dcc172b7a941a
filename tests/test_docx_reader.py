"""The fast Word reader (scanner/extract/docx_reader.py) gives the same Content as reading the
whole package with `docx.Document()` did, on the sample share's Word files and on documents
built here with every part the extractor reads; damaged and encrypted files give the same
"could not inspect" reasons. The former extractor is kept below, only as the reference."""
from __future__ import annotations

import functools
import io
import re
import zipfile
from datetime import datetime
from typing import BinaryIO

import docx
import pytest

from scanner.extract import CouldNotInspect, extractor_for, sniffed_suffix
from scanner.extract.bounds import check_document_index
from scanner.extract.office import (DAMAGED, EMBEDDINGS_FOLDERS, MAX_IMAGE_BYTES, MEDIA_FOLDERS, _text_boxes,
                                    core_dates, extract_docx, office_unreadable, properties_segment)
from scanner.extract.text import table_rows
from scanner.model import Blob, Content, Image, Segment
from tests.test_containers import png_bytes
from tests.test_mail import CPR, docx_bytes

W = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'


def check_zip(f: BinaryIO, kind: str) -> None:
    """The bomb check as it was before: a file that is not a zip passes (python-docx then says why)."""
    try:
        with zipfile.ZipFile(f) as z:
            members = z.infolist()
    except (zipfile.BadZipFile, OSError, ValueError, EOFError):
        return
    finally:
        f.seek(0)
    check_document_index(members, kind)


def reference_extract_docx(blob: Blob) -> Content:
    """extract_docx as it was before docx_reader: the whole package through `docx.Document()`,
    the zip opened for the bomb check, the pictures and the embedded files each. (The loops are
    written as comprehensions here, with the same meaning.)"""
    kind = "Word (.docx)"
    try:
        with blob.open() as f:
            check_zip(f, kind)
            document = docx.Document(f)
    except DAMAGED as exc:
        raise office_unreadable(kind, exc, blob) from exc
    segments: list[Segment] = []
    paragraphs = [(p.text, f"paragraph {i}") for i, p in enumerate(document.paragraphs, start=1) if p.text.strip()]
    if paragraphs:
        segments.append(Segment.joined(paragraphs))
    for t_no, table in enumerate(document.tables, start=1):
        rows = [[cell.text for cell in row.cells] for row in table.rows]
        segments += table_rows(rows, lambda r, c, t=t_no: f"table {t}, row {r}, cell {c}")
    for s_no, section in enumerate(document.sections, start=1):
        for kind_, part in (("header", section.header), ("footer", section.footer)):
            text = "\n".join(p.text for p in part.paragraphs if p.text.strip())
            if text:
                segments.append(Segment(text, f"{kind_} (section {s_no})"))
    comments = [((f"{c.author}: " if c.author else "") + "\n".join(p.text for p in c.paragraphs), f"comment {n}")
                for n, c in enumerate(document.comments, start=1)]
    segments += [Segment(text, where) for text, where in comments if text.strip()]
    segments += [Segment(text, f"text box {n}") for n, text in enumerate(_text_boxes(document), start=1)]
    segments += properties_segment(document.core_properties)
    with blob.open() as f, zipfile.ZipFile(f) as package:
        images = [Image(package.read(i), f"embedded image {i.filename.rsplit('/', 1)[-1]}", i.filename.rsplit("/", 1)[-1])
                  for i in package.infolist() if i.filename.startswith(MEDIA_FOLDERS) and 0 < i.file_size <= MAX_IMAGE_BYTES]
        children = [(f"embedded {i.filename.rsplit('/', 1)[-1]}", i.file_size, package.read(i), dict(blob.dates))
                    for i in package.infolist() if i.filename.startswith(EMBEDDINGS_FOLDERS) and not i.is_dir()]
    return Content(segments=segments, dates=core_dates(document.core_properties), images=images, children=children)


def outcome(extract, blob: Blob):
    """Everything a reader gives for `blob`, comparable with ==: the Content, or the error."""
    try:
        content = extract(blob)
    except Exception as exc:  # the reason recorded: could-not-inspect, or an unexpected error
        return type(exc).__name__, str(exc)
    children = [c if isinstance(c, tuple) else (c.name, c.size, c.open().read(), c.dates) for c in content.children]
    return {"segments": [(s.text, s.where, s.parts, s.numbered_lines) for s in content.segments],
            "dates": content.dates, "images": [(i.data, i.where, i.name, i.needs_ocr) for i in content.images],
            "children": children}


def blob(data: bytes, name: str = "dokument.docx") -> Blob:
    return Blob(name=name, size=len(data), open=lambda: io.BytesIO(data), dates={"sent": datetime(2019, 3, 4)})


def saved(document) -> bytes:
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def rewritten(data: bytes, replace: dict[str, bytes | None]) -> bytes:
    """The zip `data` with members replaced (None: removed) or added."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            if info.filename not in replace:
                dst.writestr(info, src.read(info))
        for name, content in replace.items():
            if content is not None:
                dst.writestr(name, content)
    return out.getvalue()


def commented_boxed_and_pictured() -> bytes:
    from docx.oxml import parse_xml
    d = docx.Document()
    para = d.add_paragraph("Referat af møde")
    d.add_comment(para.runs[0], text="Ring til Mette på 20 12 34 56", author="Lene")
    d.add_comment(para.runs[0], text="Aftalt", author="")
    box = d.add_paragraph()._p
    box.append(parse_xml(
        f'<w:r {W} xmlns:v="urn:schemas-microsoft-com:vml"><w:pict><v:shape><v:textbox><w:txbxContent>'
        f'<w:p><w:r><w:t>Kontakt: mette@firma.dk</w:t></w:r></w:p><w:p><w:r><w:t>CPR {CPR}</w:t></w:r></w:p>'
        '</w:txbxContent></v:textbox></v:shape></w:pict></w:r>'))
    d.add_paragraph("Tab\tog linjeskift").add_run().add_break()
    d.add_picture(io.BytesIO(png_bytes()))
    d.core_properties.author = "lene@interket.dk"
    d.core_properties.last_modified_by = "Mette Hansen"
    d.core_properties.created = datetime(2019, 3, 4, 12, 1)
    d.core_properties.modified = datetime(2020, 5, 6, 7, 8)
    return saved(d)


def sections_with_headers() -> bytes:
    """Four sections: the first has no header but a footer, the second its own header, the third
    none (it shows the second's), the fourth its own header and footer."""
    d = docx.Document()
    d.add_paragraph("Side 1")
    d.sections[0].footer.paragraphs[0].text = "Interket A/S, tlf. 70221071"
    d.sections[0].footer.add_paragraph("   ")
    for n, header in ((2, "Fortroligt: Mette Hansen"), (3, None), (4, "Bilag")):
        section = d.add_section()
        d.add_paragraph(f"Side {n}")
        if header:
            section.header.is_linked_to_previous = False
            section.header.paragraphs[0].text = header
    d.sections[3].footer.is_linked_to_previous = False
    d.sections[3].footer.paragraphs[0].text = "Sidefod 4"
    table = d.add_table(rows=2, cols=3)
    for r, row in enumerate((["Navn", "CPR-nr.", ""], ["Mette Hansen", CPR, "ok"])):
        for c, value in enumerate(row):
            table.cell(r, c).text = value
    table.cell(1, 1).merge(table.cell(1, 2))
    return saved(d)


def with_embedded_spreadsheet() -> bytes:
    import openpyxl
    wb = openpyxl.Workbook()
    wb.active.append(["Navn", "Telefon"])
    wb.active.append(["Mette", "20123456"])
    sheet = io.BytesIO()
    wb.save(sheet)
    return rewritten(docx_bytes([["Navn"], ["Mette"]]), {"word/embeddings/Microsoft_Excel_Worksheet.xlsx": sheet.getvalue(),
                                                        "word/embeddings/oleObject1.bin": b"\xd0\xcf\x11\xe0 ole"})


def encrypted() -> bytes:
    from msoffcrypto.format.ooxml import OOXMLFile
    out = io.BytesIO()
    OOXMLFile(io.BytesIO(docx_bytes([["Navn"], ["Mette"]]))).encrypt("hemmelig", out)
    return out.getvalue()


def zip_bomb() -> bytes:
    return rewritten(docx_bytes([["Navn"], ["Mette"]]), {"word/media/image9.png": b"\0" * (12 * 1024**2)})


def dangling_header() -> bytes:
    """A section that names a header part the package does not have."""
    data = docx_bytes([["Navn"], ["Mette"]])
    xml = zipfile.ZipFile(io.BytesIO(data)).read("word/document.xml")
    xml = re.sub(rb"(<w:sectPr[^>]*>)", rb'\1<w:headerReference w:type="default" r:id="rId99"/>', xml, count=1)
    return rewritten(data, {"word/document.xml": xml})


@functools.cache
def built() -> dict[str, bytes]:
    """Documents with every part the extractor reads, and damaged ones."""
    plain = docx_bytes([["Navn", "E-mail"], ["Mette", "mette@firma.dk"]])
    return {
        "comments, text boxes, picture, properties": commented_boxed_and_pictured(),
        "headers and footers over four sections": sections_with_headers(),
        "no header, footer or comments": plain,
        "embedded files": with_embedded_spreadsheet(),
        "unreferenced picture": rewritten(plain, {"word/media/extra.png": png_bytes(), "word/media/empty.png": b""}),
        "half a file": plain[: len(plain) // 2],
        "zip header and garbage": b"PK\x03\x04" + b"\x00garbage" * 100,
        "not a zip": b"noise " * 500,
        "no document part": rewritten(plain, {"word/document.xml": None}),
        "bad XML in the body": rewritten(plain, {"word/document.xml": b"<w:document " + W.encode() + b"><w:body>"}),
        "encrypted": encrypted(),
        "zip bomb": zip_bomb(),
        "header part missing": dangling_header(),
    }


@pytest.mark.parametrize("name", list(built()))
def test_same_content_as_the_whole_package_read(name):
    data = built()[name]
    expected = outcome(reference_extract_docx, blob(data))
    assert outcome(extract_docx, blob(data)) == expected


def test_the_built_documents_hold_what_the_comparison_is_about():
    """The comparison above is only worth something if the documents hold the hard parts."""
    def wheres(name):
        content = extract_docx(blob(built()[name]))
        return [part for s in content.segments for part in ([w for _, w in s.parts] or [s.where])], content

    found, content = wheres("comments, text boxes, picture, properties")
    assert {"comment 1", "text box 1", "properties (author)", "properties (last modified by)"} <= set(found)
    assert len(content.images) == 1 and content.dates["modified"].year == 2020
    found, _ = wheres("headers and footers over four sections")
    assert [w for w in found if w.startswith(("header", "footer"))] == [
        "footer (section 1)", "header (section 2)", "footer (section 2)", "header (section 3)", "footer (section 3)",
        "header (section 4)", "footer (section 4)"]
    assert [c.name for c in extract_docx(blob(built()["embedded files"])).children] == [
        "embedded Microsoft_Excel_Worksheet.xlsx", "embedded oleObject1.bin"]
    reasons = {name: outcome(extract_docx, blob(built()[name])) for name in ("encrypted", "zip bomb", "half a file")}
    assert reasons["encrypted"] == ("CouldNotInspect", "encrypted Word (.docx) file: it needs a password to open")
    assert "zip bomb" in reasons["zip bomb"][1] and "damaged" in reasons["half a file"][1]


def _docx_in(b: Blob, location: str, out: dict[str, Blob]) -> None:
    """Every Word file in `b` (itself, or inside a zip, mail or Outlook item), read into memory."""
    if sniffed_suffix(b) in (".docx", ".docm"):
        with b.open() as f:
            out[location] = blob(f.read(), b.name)
        return
    if b.suffix not in (".zip", ".eml", ".mbox", ".msg", ".pst") and b.content is None:
        return
    try:
        content = extractor_for(b)(b)
    except CouldNotInspect:
        return
    for child in content.children:
        _docx_in(child, f"{location} › {child.name}", out)


def test_same_content_on_the_sample_share(sample_share):
    from scanner.sources.local import file_blob
    root, _ = sample_share
    found: dict[str, Blob] = {}
    for path in sorted(root.rglob("*")):
        if path.is_file():
            _docx_in(file_blob(str(path)), str(path.relative_to(root)), found)
    assert len(found) >= 10 and any(" › " in location for location in found)  # on the share and inside mail
    outcomes = {location: outcome(extract_docx, b) for location, b in found.items()}
    for location, b in found.items():
        assert outcomes[location] == outcome(reference_extract_docx, b), location
    assert any(isinstance(o, tuple) and o[0] == "CouldNotInspect" for o in outcomes.values())  # the corrupt one


def test_what_reads_better_than_before():
    """Three documents the whole-package read got wrong: a package without core properties got
    python-docx's made-up ones (modified now, last modified by "python-docx"), a .docm (a Word
    file with macros) was "not a Word file", and one whose styles (never read) are damaged was
    not read at all: its text is now read."""
    plain = docx_bytes([["Navn"], ["Mette"]])
    bad_styles = rewritten(plain, {"word/styles.xml": b"<w:styles>broken"})
    with pytest.raises(CouldNotInspect, match="damaged or not really a Word"):
        reference_extract_docx(blob(bad_styles))
    assert extract_docx(blob(bad_styles)).segments == extract_docx(blob(plain)).segments

    rels = zipfile.ZipFile(io.BytesIO(plain)).read("_rels/.rels").decode()
    core_rel = next(r for r in rels.split("<Relationship ")[1:] if "core-properties" in r)
    no_core = rewritten(plain, {"docProps/core.xml": None, "_rels/.rels": rels.replace("<Relationship " + core_rel, "").encode()})
    old = reference_extract_docx(blob(no_core))
    assert old.segments[-1].text == "Last modified by: python-docx" and "modified" in old.dates
    new = extract_docx(blob(no_core))
    assert new.dates == {} and new.segments == old.segments[:-1]

    types = zipfile.ZipFile(io.BytesIO(plain)).read("[Content_Types].xml")
    docm = rewritten(plain, {"[Content_Types].xml": types.replace(
        b"application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml",
        b"application/vnd.ms-word.document.macroEnabled.main+xml")})
    with pytest.raises(CouldNotInspect, match="not a Word file"):
        reference_extract_docx(blob(docm, "makro.docm"))
    assert extract_docx(blob(docm, "makro.docm")).segments == extract_docx(blob(plain)).segments


def test_first_page_and_even_page_headers_are_read():
    """A letter's first page often has its own header (the sender's name and phone): the
    whole-package read never looked at first-page or even-page headers and footers."""
    d = docx.Document()
    d.add_paragraph("Kære Mette")
    section = d.sections[0]
    section.different_first_page_header_footer = True
    section.first_page_header.paragraphs[0].text = "Lene Kjærgaard, tlf. 70 22 10 71"
    section.even_page_footer.paragraphs[0].text = "Side 2: Mette Hansen"
    section.header.paragraphs[0].text = "Interket A/S"
    data = saved(d)
    segments = {s.where: s.text for s in extract_docx(blob(data)).segments}
    assert segments["first-page header (section 1)"] == "Lene Kjærgaard, tlf. 70 22 10 71"
    assert segments["even-page footer (section 1)"] == "Side 2: Mette Hansen"
    assert segments["header (section 1)"] == "Interket A/S"
    assert "first-page header (section 1)" not in {s.where for s in reference_extract_docx(blob(data)).segments}


def test_python_docx_still_writes_and_reads_whole_documents_in_the_same_process(tmp_path, sample_generator):
    """The reader's choice of parts is its own: after it, python-docx still builds every part
    (styles included) for everyone else, and the sample generator writes Word files."""
    from docx.opc.constants import CONTENT_TYPE as CT
    from docx.opc.part import PartFactory
    from docx.parts.styles import StylesPart

    extract_docx(blob(commented_boxed_and_pictured()))
    assert PartFactory.part_type_for[CT.WML_STYLES] is StylesPart and PartFactory.part_class_selector is not None
    path = tmp_path / "tilbud.docx"
    sample_generator.write_docx(path, ["Tilbud", "Kontakt: Mette Hansen"], datetime(2024, 1, 2), table=[["Navn"], ["Mette"]])
    document = docx.Document(str(path))
    assert isinstance(document.part.part_related_by("http://schemas.openxmlformats.org/officeDocument/2006/"
                                                    "relationships/styles"), StylesPart)
    document.add_paragraph("Overskrift", style="Heading 1")
    document.add_picture(io.BytesIO(png_bytes()))
    document.save(path)
    again = docx.Document(str(path))
    assert [p.style.name for p in again.paragraphs][-2] == "Heading 1"
    assert extract_docx(blob(path.read_bytes())).segments[0].text == "Tilbud\nKontakt: Mette Hansen\nOverskrift"
