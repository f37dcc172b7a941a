"""Parts and files the real-file corpus (tests/test_real_files.py) has no example of: a workbook
encrypted with Excel's default password, templates, a sheet whose stated size is wrong, grouped
shapes, a mail without a suffix, HTML without </head>, zip-based formats told by their parts, and
repeated log lines."""
from __future__ import annotations

import io
import logging
import re
import zipfile

import docx
import openpyxl
import pptx
from pptx.util import Inches

from scanner.model import ANALYSED, SKIPPED
from scanner.run.quiet import RepeatFilter
from scanner.extract.text import html_to_text
from tests.test_mail import scan

CPR = "150385-1004"


def workbook_bytes() -> bytes:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Ark1"
    sheet.append(["Navn", "Telefon"])
    sheet.append(["Mette Hansen", "20 12 34 56"])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def test_a_workbook_encrypted_with_excels_default_password_is_read(tmp_path, detector):
    from msoffcrypto.format.ooxml import OOXMLFile

    plain = tmp_path / "plain.xlsx"
    plain.write_bytes(workbook_bytes())
    protected = tmp_path / "protect.xlsx"
    with open(plain, "rb") as f, open(protected, "wb") as out:
        OOXMLFile(f).encrypt("VelvetSweatshop", out)
    items, found = scan(protected, detector)
    assert items["protect.xlsx"].status == ANALYSED
    assert ("DK_PHONE", "xxxxxx56", "Ark1!B2") in found["protect.xlsx"]
    other = tmp_path / "hemmelig.xlsx"
    with open(plain, "rb") as f, open(other, "wb") as out:
        OOXMLFile(f).encrypt("hemmelig", out)
    items, _ = scan(other, detector)
    assert items["hemmelig.xlsx"].reason == "encrypted Excel (.xlsx) file: it needs a password to open"


def _as_template(data: bytes, old: str, new: str) -> bytes:
    """The package with its main part's content type changed (a document saved as a template)."""
    source, out = zipfile.ZipFile(io.BytesIO(data)), io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            part = source.read(info)
            if info.filename == "[Content_Types].xml":
                part = part.replace(old.encode(), new.encode())
            target.writestr(info, part)
    return out.getvalue()


def test_word_templates_and_slide_shows_are_read(tmp_path, detector):
    d = docx.Document()
    d.add_paragraph(f"Ansat Mette Hansen, CPR {CPR}")
    out = io.BytesIO()
    d.save(out)
    (tmp_path / "brev.dotx").write_bytes(_as_template(
        out.getvalue(), "wordprocessingml.document.main", "wordprocessingml.template.main"))
    deck = pptx.Presentation()
    slide = deck.slides.add_slide(deck.slide_layouts[6])
    group = slide.shapes.add_group_shape()
    box = group.shapes.add_textbox(Inches(1), Inches(1), Inches(4), Inches(1))
    box.text_frame.text = "Kontakt: mette@firma.dk"
    out = io.BytesIO()
    deck.save(out)
    (tmp_path / "show.ppsm").write_bytes(_as_template(
        out.getvalue(), "application/vnd.openxmlformats-officedocument.presentationml.presentation.main+xml",
        "application/vnd.ms-powerpoint.slideshow.macroEnabled.main+xml"))
    _, found = scan(tmp_path / "brev.dotx", detector)
    assert ("DK_CPR", "1503xx-xxxx", "paragraph 1") in found["brev.dotx"]
    items, found = scan(tmp_path / "show.ppsm", detector)
    assert items["show.ppsm"].status == ANALYSED
    assert ("EMAIL_ADDRESS", "m****@firma.dk", "slide 1") in found["show.ppsm"]  # inside a group


def test_a_sheet_whose_stated_size_is_wrong_is_read_whole(tmp_path, detector):
    source, out = zipfile.ZipFile(io.BytesIO(workbook_bytes())), io.BytesIO()
    with zipfile.ZipFile(out, "w") as target:
        for info in source.infolist():
            part = source.read(info)
            if info.filename == "xl/worksheets/sheet1.xml":
                part = re.sub(rb'<dimension ref="[^"]*"', b'<dimension ref="A1"', part)
            target.writestr(info, part)
    (tmp_path / "bug304.xlsx").write_bytes(out.getvalue())
    _, found = scan(tmp_path / "bug304.xlsx", detector)
    assert ("DK_PHONE", "xxxxxx56", "Ark1!B2") in found["bug304.xlsx"]


def test_a_mail_without_a_suffix_is_read_by_its_headers(tmp_path, detector):
    p = tmp_path / "1204680122.V801I880d5M358047.host:2,S"
    p.write_bytes(b"Return-Path: <jens@firma.dk>\nReceived: from mail.firma.dk\n\tby mx; Mon, 4 Mar 2019\n"
                  b"From: Jens Jensen <jens@firma.dk>\nTo: salg@interket.dk\nSubject: Tilbud\n"
                  b"Date: Mon, 04 Mar 2019 12:01:00 +0000\n\nRing til mig paa 31 45 67 89.\n")
    items, found = scan(p, detector)
    assert items[p.name].status == ANALYSED
    assert ("DK_PHONE", "xxxxxx89", "body, line 1") in found[p.name]
    q = tmp_path / "README"
    q.write_text("Name: a tool\nVersion: 2\nKontakt: tlf. 31 45 67 89\n")
    items, found = scan(q, detector)  # headers of no mail: read as plain text, not as a mail
    assert items["README"].status == ANALYSED and ("DK_PHONE", "xxxxxx89", "line 3") in found["README"]


def test_html_keeps_its_body_without_head_end_or_with_a_script_end_with_attributes():
    assert html_to_text("<html><head><title>x</title><body><p>Mette Hansen</p></body></html>") == "Mette Hansen"
    assert html_to_text('<body><script>var a=1;</script language="js"><p>Mette</p></body>') == "Mette"


def _zip(members: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        for name, data in members.items():
            z.writestr(name, data)
    return out.getvalue()


def test_zip_based_formats_are_told_by_their_parts(tmp_path, detector):
    page = (b'<FixedPage xmlns="http://schemas.microsoft.com/xps/2005/06"><Glyphs UnicodeString="Mette Hansen '
            b'mette@firma.dk"/></FixedPage>')
    (tmp_path / "udskrift").write_bytes(_zip({"FixedDocumentSequence.fdseq": b"<x/>",
                                              "Documents/1/Pages/1.fpage": page}))
    visio = (b'<PageContents xmlns="http://schemas.microsoft.com/office/visio/2012/main"><Shapes><Shape>'
             b'<Text>Leder: mette@firma.dk</Text></Shape></Shapes></PageContents>')
    (tmp_path / "organisation.vsdx").write_bytes(_zip({"visio/document.xml": b"<x/>",
                                                       "visio/pages/page1.xml": visio}))
    (tmp_path / "tal.numbers").write_bytes(_zip({"Index/Document.iwa": b"\x00"}))
    _, found = scan(tmp_path / "udskrift", detector)
    assert ("EMAIL_ADDRESS", "m****@firma.dk", "page 1") in found["udskrift"]
    _, found = scan(tmp_path / "organisation.vsdx", detector)
    assert ("EMAIL_ADDRESS", "m****@firma.dk", "page 1") in found["organisation.vsdx"]
    items, _ = scan(tmp_path / "tal.numbers", detector)
    assert (items["tal.numbers"].status, items["tal.numbers"].reason) == (
        SKIPPED, "file type .numbers is not read by this version")  # not a zip listing its parts


def test_a_log_line_said_again_and_again_is_shown_with_its_count():
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.addFilter(RepeatFilter())
    logger = logging.getLogger("test.repeats")
    logger.addHandler(handler)
    logger.propagate = False
    try:
        for _ in range(150):
            logger.warning("Recognizer not added to registry")
        logger.warning("another line")
    finally:
        logger.removeHandler(handler)
    assert stream.getvalue().splitlines() == [
        "Recognizer not added to registry", "Recognizer not added to registry (said 10 times)",
        "Recognizer not added to registry (said 100 times)", "another line"]


def test_an_empty_workbook_in_a_zip_is_empty_as_on_disk(tmp_path, detector):
    (tmp_path / "tom.xlsx").write_bytes(b"")
    (tmp_path / "arkiv.zip").write_bytes(_zip({"tom.xlsx": b""}))
    on_disk, _ = scan(tmp_path / "tom.xlsx", detector)
    in_zip, _ = scan(tmp_path / "arkiv.zip", detector)
    assert on_disk["tom.xlsx"].status == in_zip["arkiv.zip › tom.xlsx"].status == ANALYSED


def test_an_opendocument_file_with_openoffice_1s_doctype_is_read_without_fetching_it(tmp_path, detector):
    content = (b'<?xml version="1.0" encoding="UTF-8"?>\n<!DOCTYPE office:document-content PUBLIC '
               b'"-//OpenOffice.org//DTD OfficeDocument 1.0//EN" "office.dtd">\n'
               b'<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
               b'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"><office:body><office:text>'
               b'<text:h>Personale</text:h><text:p>Mette Hansen, CPR 150385-1004</text:p>'
               b'</office:text></office:body></office:document-content>')
    (tmp_path / "gammel.odt").write_bytes(_zip({"mimetype": b"application/vnd.oasis.opendocument.text",
                                                "content.xml": content}))
    items, found = scan(tmp_path / "gammel.odt", detector)
    assert items["gammel.odt"].status == ANALYSED
    assert ("DK_CPR", "1503xx-xxxx", "paragraph 2") in found["gammel.odt"]


def test_a_pdf_with_junk_before_its_header_is_read(tmp_path, detector):
    from fpdf import FPDF

    pdf = FPDF()
    pdf.add_page()
    pdf.set_font("helvetica", size=12)
    pdf.cell(text="Kontakt: mette.hansen@firma.dk")
    (tmp_path / "bug.pdf").write_bytes(b"\x00" * 2000 + bytes(pdf.output()))
    items, found = scan(tmp_path / "bug.pdf", detector)
    assert items["bug.pdf"].status == ANALYSED
    assert ("EMAIL_ADDRESS", "m***********@firma.dk", "page 1") in found["bug.pdf"]


def test_word_content_controls_and_pasted_html_are_read(tmp_path, detector):
    d = docx.Document()
    d.add_paragraph("Skabelon")
    out = io.BytesIO()
    d.save(out)
    w = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
    source, result = zipfile.ZipFile(io.BytesIO(out.getvalue())), io.BytesIO()
    control = (f'<w:sdt xmlns:w="{w}"><w:sdtContent><w:p><w:r><w:t>Medarbejder: Mette Hansen, tlf. 20 12 34 56'
               f'</w:t></w:r></w:p></w:sdtContent></w:sdt>'
               f'<w:altChunk xmlns:w="{w}" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/'
               f'relationships" r:id="rIdHtml1"/>')
    with zipfile.ZipFile(result, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            part = source.read(info)
            if info.filename == "word/document.xml":
                part = part.replace(b"<w:sectPr", control.encode() + b"<w:sectPr", 1)
            elif info.filename == "word/_rels/document.xml.rels":
                part = part.replace(b"</Relationships>", b'<Relationship Id="rIdHtml1" Type="http://schemas.'
                                    b'openxmlformats.org/officeDocument/2006/relationships/aFChunk" '
                                    b'Target="chunk1.html"/></Relationships>')
            elif info.filename == "[Content_Types].xml":
                part = part.replace(b"</Types>", b'<Default Extension="html" ContentType="text/html"/></Types>')
            target.writestr(info, part)
        target.writestr("word/chunk1.html", "<html><body><p>Ring til Jens på 31 45 67 89</p></body></html>")
    (tmp_path / "skabelon.docx").write_bytes(result.getvalue())
    items, found = scan(tmp_path / "skabelon.docx", detector)
    assert items["skabelon.docx"].status == ANALYSED
    assert ("DK_PHONE", "xxxxxx56", "content control 1") in found["skabelon.docx"]
    assert ("DK_PHONE", "xxxxxx89", "pasted HTML 1, line 1") in found["skabelon.docx"]
