"""Extractors on real files written by the real libraries: text and exact sub-locations."""
from __future__ import annotations

import io
from datetime import datetime

import pytest

from scanner.sources.local import file_blob
from scanner.extract import CouldNotInspect, extractor_for
from scanner.model import Blob, expand


def extract(path):
    blob = file_blob(str(path))
    return extractor_for(blob)(blob)


def where_of(content, needle):
    for seg in expand(content.segments):
        at = seg.text.find(needle)
        if at >= 0:
            return seg.where_at(at)
    raise AssertionError(f"{needle!r} not extracted")


def test_txt_in_cp1252_with_line_numbers(tmp_path):
    p = tmp_path / "noter.txt"
    p.write_bytes("Første linje\nMøde med Søren\n".encode("cp1252"))
    content = extract(p)
    assert where_of(content, "Søren") == "line 2"


def test_line_numbers_at_every_offset_of_a_long_text():
    from scanner.model import Segment
    text = "første\n\nanden linje\r\n" * 300 + "sidste uden linjeskift"
    segment = Segment(text, "log.txt", numbered_lines=True)
    for offset in range(0, len(text) + 1, 7):
        assert segment.where_at(offset) == f"log.txt, line {text.count(chr(10), 0, offset) + 1}"
    assert Segment("a\nb", numbered_lines=True).where_at(2) == "line 2"


def test_csv_semicolon_cells_named_by_header(tmp_path):
    p = tmp_path / "eksport.csv"
    p.write_text("Navn;E-mail;Telefon\nMette;m@x.dk;20123456\n", encoding="utf-8")
    content = extract(p)
    assert where_of(content, "20123456") == "row 2, column Telefon"
    assert "Telefon: 20123456" in list(expand(content.segments))[1].text  # the header is context for the value


def test_docx_paragraphs_tables_and_dates(tmp_path):
    import docx
    d = docx.Document()
    d.add_paragraph("Indledning")
    d.add_paragraph("Kære Mette")
    t = d.add_table(rows=2, cols=2)
    t.cell(0, 0).text, t.cell(0, 1).text = "Navn", "Telefon"
    t.cell(1, 0).text, t.cell(1, 1).text = "Mette", "20 12 34 56"
    d.sections[0].footer.paragraphs[0].text = "Interket A/S, tlf. 70221071"
    d.core_properties.created = datetime(2019, 3, 4, 12, 1)
    p = tmp_path / "tilbud.docx"
    d.save(p)
    content = extract(p)
    assert where_of(content, "Kære Mette") == "paragraph 2"
    assert where_of(content, "20 12 34 56") == "table 1, row 2, cell 2"
    assert where_of(content, "70221071") == "footer (section 1)"
    assert content.dates["created"].year == 2019


def test_xlsx_cells_by_coordinate(tmp_path):
    import openpyxl
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Ark1"
    ws.append(["Navn", "Telefon"])
    ws.append(["Mette", "20 12 34 56"])
    ws["C7"] = "mette@firma.dk"
    p = tmp_path / "kontakter.xlsx"
    wb.save(p)
    content = extract(p)
    assert where_of(content, "20 12 34 56") == "Ark1!B2"
    assert where_of(content, "mette@firma.dk") == "Ark1!C7"


def test_pdf_text_per_page_and_creation_date(tmp_path):
    from fpdf import FPDF
    pdf = FPDF()
    pdf.set_creation_date(datetime(2018, 5, 1, 9, 0))
    for text in ("Side et", "Kontakt: mette@firma.dk"):
        pdf.add_page()
        pdf.set_font("Helvetica", size=11)
        pdf.cell(0, 10, text)
    p = tmp_path / "ordre.pdf"
    pdf.output(str(p))
    content = extract(p)
    assert where_of(content, "mette@firma.dk") == "page 2"
    assert content.dates["created"].year == 2018


@pytest.mark.parametrize("name, data", [
    ("beskadiget.docx", b"PK\x03\x04" + b"\x00garbage" * 100),
    ("ikke-excel.xlsx", b"just text"),
    ("halv.pdf", b"%PDF-1.4\n1 0 obj <<"),
])
def test_damaged_files_raise_could_not_inspect_with_reason(tmp_path, name, data):
    p = tmp_path / name
    p.write_bytes(data)
    with pytest.raises(CouldNotInspect, match="damaged or not really"):
        extract(p)


def test_unknown_type_has_no_extractor():
    assert extractor_for(Blob("x.exe", 1, lambda: io.BytesIO(b""))) is None


@pytest.mark.parametrize("name", ["README", "kunder.dat", "kapitel.10", "eksport.csv.bak", "Indbakke.old"])
def test_a_file_of_no_known_type_is_read_when_its_bytes_are_text(tmp_path, name):
    p = tmp_path / name
    p.write_bytes("Kontaktperson: Søren Østergaard\nTlf. 20 30 40 50\n".encode("cp1252"))
    assert where_of(extract(p), "Søren") == "line 1"


@pytest.mark.parametrize("data", [bytes(range(256)) * 8, b"MZ\x90\x00\x03" + b"\x00" * 500, "ab\x01\x02\x03".encode() * 80])
def test_a_file_of_no_known_type_that_is_not_text_is_not_read(tmp_path, data):
    p = tmp_path / "program.bin"
    p.write_bytes(data)
    assert extractor_for(file_blob(str(p))) is None


def test_ppt_text_atoms_in_containers_each_text_once():
    """[MS-PPT] records: a container (version 0xF) holds child records; a slide's text is in a
    TextCharsAtom (UTF-16) or TextBytesAtom (8-bit), and PowerPoint stores it twice (slide list
    and drawing): each text is given once, in stream order, other records skipped."""
    import struct

    from scanner.extract.legacy import ppt_texts

    def record(kind: int, body: bytes, container: bool = False) -> bytes:
        return struct.pack("<HHI", 0x000F if container else 0, kind, len(body)) + body

    slide = record(0x0FA0, "Kontakt: Mette Hansen\rtlf. 20 12 34 56".encode("utf-16-le"))
    note = record(0x0FA8, "Søren Ibsen ringer tilbage".encode("cp1252"))
    other = record(0x0FBA, "Arial".encode("utf-16-le"))  # a CString (a font name): not text of the slides
    stream = record(0x03E8, slide + note + other, container=True) + record(0x03EE, slide, container=True)
    assert ppt_texts(stream) == ["Kontakt: Mette Hansen\ntlf. 20 12 34 56", "Søren Ibsen ringer tilbage"]
