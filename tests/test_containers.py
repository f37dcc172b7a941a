"""Zip archives, type sniffing, limits and encryption: exact entities at exact locations,
and a clear could-not-inspect reason wherever the content cannot be read."""
from __future__ import annotations

import io
import zipfile
from datetime import datetime, timezone

import pytest

from scanner.extract import archive
from scanner.model import FAILED, LOCATION_SEP, SKIPPED
from tests.conftest import odf_table
from tests.test_mail import CPR, docx_bytes, scan


def write_zip(path, members: dict[str, bytes], **kwargs):
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, **kwargs) as z:
        for name, data in members.items():
            z.writestr(name, data)


def zip_bytes(members: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    write_zip(out, members)
    return out.getvalue()


def test_zip_of_docx_inside_a_zip(tmp_path, detector):
    inner = zip_bytes({"Kontrakter/ansat.docx": docx_bytes([["Navn", "CPR-nr."], ["Mette Hansen", CPR]]),
                       "noter.txt": "Ring til Mette på 20 12 34 56\n".encode()})
    p = tmp_path / "backup.zip"
    write_zip(p, {"2019/personale.zip": inner, "logo.bin": b"\x00\x01"})
    items, found = scan(p, detector)
    inner_loc = f"backup.zip{LOCATION_SEP}2019/personale.zip"
    assert found[f"{inner_loc}{LOCATION_SEP}Kontrakter/ansat.docx"] == [("DK_CPR", "1503xx-xxxx", "table 1, row 2, cell 2"),
                                                                        ("PERSON", "M**** H*****", "table 1, row 2, cell 1")]
    assert found[f"{inner_loc}{LOCATION_SEP}noter.txt"] == [("DK_PHONE", "xxxxxx56", "line 1"), ("PERSON", "M****", "line 1")]
    assert items[f"backup.zip{LOCATION_SEP}logo.bin"].status == SKIPPED
    assert items[inner_loc].parent == "backup.zip"


def test_suffix_that_lies_is_corrected_by_the_first_bytes(tmp_path, detector):
    p = tmp_path / "regnskab.xlsx"  # really a plain zip
    write_zip(p, {"noter.txt": b"mette@firma.dk\n"})
    _, found = scan(p, detector)
    assert found[f"regnskab.xlsx{LOCATION_SEP}noter.txt"] == [("EMAIL_ADDRESS", "m****@firma.dk", "line 1")]
    q = tmp_path / "brev.docx"  # really a Word file with the wrong suffix is fine; a zip of docx named .doc too
    q.write_bytes(docx_bytes([["Navn", "E-mail"], ["Mette", "mette@firma.dk"]]))
    r = tmp_path / "brev.xlsx"
    r.write_bytes(q.read_bytes())
    _, found = scan(r, detector)
    assert found["brev.xlsx"] == [("EMAIL_ADDRESS", "m****@firma.dk", "table 1, row 2, cell 2"),
                                  ("PERSON", "M****", "table 1, row 2, cell 1")]


def test_zip_bomb_limits(tmp_path, detector, monkeypatch):
    p = tmp_path / "bombe.zip"
    write_zip(p, {"nuller.txt": b"0" * (3 * 1024 * 1024)})
    items, _ = scan(p, detector)
    assert items["bombe.zip"].status == FAILED
    assert "more than the limit of 200:1" in items["bombe.zip"].reason
    many = tmp_path / "mange.zip"
    write_zip(many, {f"{n}.txt": b"x" for n in range(20)})
    monkeypatch.setattr(archive, "MAX_MEMBERS", 10)
    items, _ = scan(many, detector)
    assert items["mange.zip"].reason == "zip has 20 members, more than the limit of 10"
    monkeypatch.setattr(archive, "MAX_MEMBERS", 100)
    monkeypatch.setattr(archive, "MAX_TOTAL_BYTES", 10)
    items, _ = scan(many, detector)
    assert "zip would unpack to" in items["mange.zip"].reason


def test_nesting_deeper_than_the_limit_is_recorded(tmp_path, detector):
    data = b"mette@firma.dk\n"
    name = "bund.txt"
    for level in range(10):
        data, name = zip_bytes({name: data}), f"lag{level}.zip"
    p = tmp_path / "dyb.zip"
    p.write_bytes(data)
    items, _ = scan(p, detector)
    deepest = max(items.values(), key=lambda r: r.location.count(LOCATION_SEP))
    assert deepest.status == FAILED and deepest.reason == "nested more than 8 containers deep"


def test_encrypted_zip_office_and_pdf_say_encrypted(tmp_path, detector):
    z = tmp_path / "hemmelig.zip"
    data = bytearray(zip_bytes({"cpr.txt": b"...."}))
    for signature, offset in ((b"PK\x03\x04", 6), (b"PK\x01\x02", 8)):  # set the "encrypted" flag bit
        data[data.index(signature) + offset] |= 0x1
    z.write_bytes(bytes(data))
    from msoffcrypto.format.ooxml import OOXMLFile
    plain = tmp_path / "plain.docx"
    plain.write_bytes(docx_bytes([["Navn"], ["Mette"]]))
    secret = tmp_path / "løn.docx"
    with open(plain, "rb") as f, open(secret, "wb") as out:
        OOXMLFile(f).encrypt("hemmelig", out)
    from fpdf import FPDF
    pdf = FPDF()
    pdf.set_encryption(owner_password="ejer", user_password="hemmelig")
    pdf.add_page()
    pdf.set_font("Helvetica", size=11)
    pdf.cell(0, 10, "CPR " + CPR)
    pdf_path = tmp_path / "løn.pdf"
    pdf.output(str(pdf_path))
    for path, words in ((z, "encrypted zip"), (secret, "encrypted Word (.docx) file"), (pdf_path, "encrypted PDF")):
        items, _ = scan(path, detector)
        assert items[path.name].status == FAILED, path.name
        assert items[path.name].reason.startswith(words)


def test_encrypted_opendocument_says_encrypted(tmp_path, detector):
    # LibreOffice marks every encrypted part in the manifest with <manifest:encryption-data>
    manifest = ('<?xml version="1.0" encoding="UTF-8"?><manifest:manifest xmlns:manifest='
                '"urn:oasis:names:tc:opendocument:xmlns:manifest:1.0"><manifest:file-entry manifest:full-path='
                '"content.xml" manifest:media-type="text/xml"><manifest:encryption-data manifest:checksum-type="SHA1/1K"'
                ' manifest:checksum="x"/></manifest:file-entry></manifest:manifest>')
    p = tmp_path / "løn.odt"
    write_zip(p, {"mimetype": b"application/vnd.oasis.opendocument.text", "META-INF/manifest.xml": manifest.encode(),
                  "content.xml": bytes(range(256))})
    items, _ = scan(p, detector)
    assert (items["løn.odt"].status, items["løn.odt"].reason) == (
        FAILED, "encrypted OpenDocument file: it needs a password to open")


def test_damaged_zip(tmp_path, detector):
    p = tmp_path / "halv.zip"
    p.write_bytes(zip_bytes({"a.txt": b"hej"})[:-30])
    items, _ = scan(p, detector)
    assert items["halv.zip"].status == FAILED
    assert "damaged or not really a zip file" in items["halv.zip"].reason


@pytest.mark.parametrize("suffix", [".pptx", ".odt", ".rtf", ".html"])
def test_other_formats(tmp_path, detector, suffix):
    p = tmp_path / f"dokument{suffix}"
    expected = {".pptx": "slide 1", ".odt": "paragraph 2", ".rtf": "line 2", ".html": "line 2"}[suffix]
    if suffix == ".pptx":
        import pptx
        deck = pptx.Presentation()
        slide = deck.slides.add_slide(deck.slide_layouts[1])
        slide.shapes.title.text = "Kontakt"
        slide.placeholders[1].text = "Mette: mette@firma.dk"
        deck.save(p)
    elif suffix == ".odt":
        from odf.opendocument import OpenDocumentText
        from odf.text import P
        doc = OpenDocumentText()
        doc.text.addElement(P(text="Kontakt"))
        doc.text.addElement(P(text="Mette: mette@firma.dk"))
        doc.save(str(p))
    elif suffix == ".rtf":
        p.write_bytes(b"{\\rtf1\\ansi\\ansicpg1252 Kontakt\\par Mette: mette@firma.dk\\par}")
    else:
        p.write_text("<html><head><style>p{}</style></head><body><h1>Kontakt</h1>"
                     "<p>Mette: <b>mette@firma.dk</b></p></body></html>", encoding="utf-8")
    _, found = scan(p, detector)
    assert found[p.name] == [("EMAIL_ADDRESS", "m****@firma.dk", expected)]


def png_bytes() -> bytes:
    from PIL import Image as PILImage
    out = io.BytesIO()
    PILImage.new("RGB", (4, 4), (200, 30, 30)).save(out, "PNG")
    return out.getvalue()


def test_docx_comments_text_boxes_properties_and_images(tmp_path, detector):
    import docx
    from docx.oxml import parse_xml
    d = docx.Document()
    para = d.add_paragraph("Referat af møde")
    d.add_comment(para.runs[0], text="Ring til Mette på 20 12 34 56", author="Lene")
    box = d.add_paragraph()._p
    box.append(parse_xml(
        '<w:r xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" '
        'xmlns:v="urn:schemas-microsoft-com:vml"><w:pict><v:shape><v:textbox><w:txbxContent>'
        f'<w:p><w:r><w:t>Kontakt: mette@firma.dk</w:t></w:r></w:p><w:p><w:r><w:t>CPR {CPR}</w:t></w:r></w:p>'
        '</w:txbxContent></v:textbox></v:shape></w:pict></w:r>'))
    picture = tmp_path / "logo.png"
    picture.write_bytes(png_bytes())
    d.add_picture(str(picture))
    d.core_properties.author = "lene@interket.dk"
    d.core_properties.modified = datetime(2020, 5, 6, 7, 8)
    p = tmp_path / "referat.docx"
    d.save(p)
    items, found = scan(p, detector)
    assert found["referat.docx"] == [("DK_CPR", "1503xx-xxxx", "text box 1"),
                                     ("DK_PHONE", "xxxxxx56", "comment 1"),
                                     ("EMAIL_ADDRESS", "l***@interket.dk", "properties (author)"),
                                     ("EMAIL_ADDRESS", "m****@firma.dk", "text box 1"),
                                     ("PERSON", "M****", "comment 1")]
    assert items["referat.docx"].dates["modified"] == datetime(2020, 5, 6, 7, 8, tzinfo=timezone.utc)
    from scanner.extract import extractor_for
    from tests.test_mail import blob_of
    blob = blob_of(p)
    [image] = extractor_for(blob)(blob).images
    assert image.data == picture.read_bytes() and image.where == "embedded image image1.png"


def test_xlsx_column_headers_raise_and_lower_confidence(tmp_path, detector):
    import openpyxl
    from openpyxl.drawing.image import Image as XlImage
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Kunder"
    ws.append(["Kontaktperson", "Telefon", "Varenr.", "CPR"])
    ws.append(["mette@firma.dk", "20123456", "30123456", "1503851004"])
    picture = tmp_path / "foto.png"
    picture.write_bytes(png_bytes())
    ws.add_image(XlImage(str(picture)), "F2")
    p = tmp_path / "kunder.xlsx"
    wb.save(p)
    _, found = scan(p, detector)
    # eight bare digits: a phone under "Telefon", nothing under "Varenr."; ten bare digits under "CPR"
    assert found["kunder.xlsx"] == [("DK_CPR", "1503xx-xxxx", "Kunder!D2"), ("DK_PHONE", "xxxxxx56", "Kunder!B2"),
                                    ("EMAIL_ADDRESS", "m****@firma.dk", "Kunder!A2")]
    from scanner.extract import extractor_for
    from tests.test_mail import blob_of
    blob = blob_of(p)
    assert [i.where for i in extractor_for(blob)(blob).images] == ["embedded image image1.png"]


def test_pdf_pictures_go_to_image_detection(tmp_path, detector):
    from fpdf import FPDF
    picture = tmp_path / "foto.png"
    from PIL import Image as PILImage
    PILImage.new("RGB", (64, 48), (10, 120, 200)).save(picture)
    pdf = FPDF()
    pdf.add_page()
    pdf.set_font("Helvetica", size=11)
    pdf.cell(0, 10, "Medarbejderfoto")
    pdf.add_page()
    pdf.image(str(picture), x=10, y=20, w=40)
    pdf.cell(0, 10, "Tlf. 20 12 34 56")
    p = tmp_path / "foto.pdf"
    pdf.output(str(p))
    from scanner.extract import extractor_for
    from tests.test_mail import blob_of
    blob = blob_of(p)
    content = extractor_for(blob)(blob)
    [image] = content.images
    assert image.where == "page 2, image 1" and not image.needs_ocr
    assert PILImage.open(io.BytesIO(image.data)).size == (64, 48)
    _, found = scan(p, detector)
    assert found["foto.pdf"] == [("DK_PHONE", "xxxxxx56", "page 2")]


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "utf-16", "utf-16-le", "utf-16-be", "iso-8859-1", "cp1252"])
def test_text_in_common_encodings(tmp_path, detector, encoding):
    p = tmp_path / "noter.txt"
    p.write_bytes("Møde med Søren – ring på tlf. 20 12 34 56\n".replace(
        "–", "-" if encoding == "iso-8859-1" else "–").encode(encoding))
    from scanner.extract import extractor_for
    from tests.test_mail import blob_of
    blob = blob_of(p)
    [segment] = extractor_for(blob)(blob).segments
    assert segment.text.startswith("Møde med Søren")
    _, found = scan(p, detector)
    assert found["noter.txt"] == [("DK_PHONE", "xxxxxx56", "line 1"), ("PERSON", "S****", "line 1")]  # Søren, decoded


def test_damaged_member_fails_alone_and_its_siblings_are_read(tmp_path, detector):
    data = bytearray(zip_bytes({"a.txt": b"mette@firma.dk\n" * 50, "b.txt": b"soren@kunde.dk\n"}))
    start = data.index(b"a.txt") + len("a.txt")
    data[start + 5:start + 15] = b"\xff" * 10  # garble a.txt's compressed bytes
    p = tmp_path / "delvis.zip"
    p.write_bytes(bytes(data))
    items, found = scan(p, detector)
    a, b = items[f"delvis.zip{LOCATION_SEP}a.txt"], items[f"delvis.zip{LOCATION_SEP}b.txt"]
    assert a.status == FAILED and a.reason.startswith("damaged zip member")
    assert found[b.location] == [("EMAIL_ADDRESS", "s****@kunde.dk", "line 1")]


def test_container_that_breaks_half_way_keeps_what_was_read(detector):
    from scanner.extract import CouldNotInspect
    from scanner.model import Blob, Content
    from scanner.run.pipeline import inspect

    def members():
        yield Blob("første.txt", 15, open=lambda: io.BytesIO(b"mette@firma.dk\n"))
        raise CouldNotInspect("the index after member 1 is damaged")

    results = inspect(Blob("arkiv", 0, content=lambda: Content(children=members())), "arkiv", detector)
    assert [(r.location, r.status) for r in results] == [
        ("arkiv", "analysed"), (f"arkiv{LOCATION_SEP}første.txt", "analysed"),
        (f"arkiv{LOCATION_SEP}(rest of the contents)", FAILED)]
    assert results[-1].reason == "stopped reading the contents half-way: the index after member 1 is damaged"


def test_zip_names_from_danish_windows_are_decoded(tmp_path, detector):
    # Explorer writes names in the DOS code page without the UTF-8 flag: put cp850 bytes in
    # place of an ASCII placeholder of the same length
    data = zip_bytes({"M#de.txt": b"mette@firma.dk\n"}).replace(b"M#de.txt", "Møde.txt".encode("cp850"))
    p = tmp_path / "windows.zip"
    p.write_bytes(data)
    _, found = scan(p, detector)
    assert found[f"windows.zip{LOCATION_SEP}Møde.txt"] == [("EMAIL_ADDRESS", "m****@firma.dk", "line 1")]


def test_ods_cells_by_sheet_row_and_cell(tmp_path, detector):
    from odf.opendocument import OpenDocumentSpreadsheet
    doc = OpenDocumentSpreadsheet()
    doc.spreadsheet.addElement(odf_table("Kunder", [["Navn", "Telefon"], ["Mette", "20123456"]]))
    p = tmp_path / "kunder.ods"
    doc.save(str(p))
    _, found = scan(p, detector)
    assert found["kunder.ods"] == [("DK_PHONE", "xxxxxx56", "Kunder, row 2, cell 2"), ("PERSON", "M****", "Kunder, row 2, cell 1")]


def test_files_embedded_in_word_and_attached_to_pdf_are_children(tmp_path, detector):
    import openpyxl
    wb = openpyxl.Workbook()
    wb.active.title = "Ark1"
    wb.active.append(["Navn", "Telefon"])
    wb.active.append(["Mette", "20123456"])
    sheet = io.BytesIO()
    wb.save(sheet)
    word = tmp_path / "notat.docx"
    word.write_bytes(docx_bytes([["Navn"], ["Mette"]]))
    with zipfile.ZipFile(word, "a") as package:  # where Word keeps a pasted spreadsheet
        package.writestr("word/embeddings/Microsoft_Excel_Worksheet.xlsx", sheet.getvalue())
    _, found = scan(word, detector)
    assert found[f"notat.docx{LOCATION_SEP}embedded Microsoft_Excel_Worksheet.xlsx"] == [
        ("DK_PHONE", "xxxxxx56", "Ark1!B2"), ("PERSON", "M****", "Ark1!A2")]

    from fpdf import FPDF
    attached = tmp_path / "kunder.csv"
    attached.write_text("Navn;E-mail\nMette;mette@firma.dk\n", encoding="utf-8")
    pdf = FPDF()
    pdf.add_page()
    pdf.set_font("Helvetica", size=11)
    pdf.cell(0, 10, "Faktura med bilag")
    pdf.embed_file(str(attached))
    p = tmp_path / "faktura.pdf"
    pdf.output(str(p))
    _, found = scan(p, detector)
    assert found[f"faktura.pdf{LOCATION_SEP}kunder.csv"] == [("EMAIL_ADDRESS", "m****@firma.dk", "row 2, column E-mail"),
                                                          ("PERSON", "M****", "row 2, column Navn")]


@pytest.mark.parametrize("name, data, reason", [
    ("tom.msg", b"", None),  # an empty file on the share holds nothing: analysed, no gap (tests/test_hostile.py)
    ("støj.csv", b"a;b\r\n\"x\ry\"\r\n" + bytes(range(256)), None),  # stray CRs: read, not a crash
    ("tom.xlsx", b"not a zip", "damaged or not really an Excel (.xlsx) file (BadZipFile: File is not a zip file)"),
])
def test_empty_and_garbled_files_get_a_plain_reason(tmp_path, detector, name, data, reason):
    p = tmp_path / name
    p.write_bytes(data)
    items, _ = scan(p, detector)
    assert (items[name].status, items[name].reason) == (("could_not_inspect", reason) if reason else ("analysed", None))


def test_nested_zips_share_one_budget_per_file(tmp_path, detector, monkeypatch):
    from scanner.run import pipeline
    inner = zip_bytes({f"{n}.txt": b"mette@firma.dk\n" for n in range(3)})
    p = tmp_path / "lag.zip"
    write_zip(p, {f"del{n}.zip": inner for n in range(3)})  # 3 zips of 3 files: 12 nested items
    monkeypatch.setattr(pipeline, "MAX_NESTED_ITEMS", 6)
    items, _ = scan(p, detector)
    stopped = [r for r in items.values() if r.status == FAILED]
    assert [(r.location, r.reason) for r in stopped] == [
        (f"lag.zip{LOCATION_SEP}del1.zip{LOCATION_SEP}(rest of the contents)",
         "more than 6 items inside one file; the rest is not read")]
    assert len(items) == 1 + 6 + 1  # the file, the six nested items read before the limit, the record
