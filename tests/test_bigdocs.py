"""Big structured files read in parts: a PDF page by page, a workbook row by row, a big e-mail's
body in pieces and its attachments spooled, a huge message inside an mbox.

The limits that make a file "big" are made small here (monkeypatch), so a file of a few hundred
KB is read the way a file of gigabytes is; what is found must be what reading it whole finds,
every page, cell and line named right. A worker's time limit holds per part: a big file that
reads steadily is not "timed out" however long it takes in all.
"""
from __future__ import annotations

import base64
import io
import time
import zipfile
from collections import Counter
from email.message import EmailMessage

import pytest

from detectors.images.analysis import ImageSettings
from scanner.extract import mail, office, text as text_module
from scanner.extract.mail import extract_eml, extract_mbox
from scanner.extract.office import extract_xlsx
from scanner.extract.pdf import extract_pdf
from scanner.model import ANALYSED, TableRows
from scanner.run import pipeline
from scanner.run.runner import ScanOptions, run_scan
from scanner.sources.local import file_blob
from scanner.store import Store
from tests.conftest import odf_table

PEOPLE = ["Mette Hansen", "Søren Ibsen", "Lene Kjærgaard", "Jens Jensen"]


def found(findings) -> Counter:
    return Counter((f.entity_type, f.masked, f.where) for f in findings)


def write_pdf(path, pages: int) -> None:
    from fpdf import FPDF

    pdf = FPDF()
    pdf.set_font("Helvetica", size=10)
    for n in range(1, pages + 1):
        pdf.add_page()
        for line in range(1, 41):
            pdf.cell(0, 6, f"Side {n} linje {line}: ring til {PEOPLE[line % 4]} tlf. 2{n:03d}{line:04d}",
                     new_x="LMARGIN", new_y="NEXT")
    pdf.output(str(path))


def write_workbook(path, rows: int) -> None:
    """A contact list as Excel writes it (its size stated in the sheet: openpyxl's write-only
    mode leaves that out, and reading such a sheet first goes through it whole to learn it)."""
    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Kunder"
    sheet.append(["Kundenr", "Navn", "Telefon", "E-mail"])
    for i in range(1, rows + 1):
        sheet.append([i, PEOPLE[i % 4], f"2{i:07d}", f"kunde{i}@firma.dk"])
    book.save(path)


def test_a_pdf_is_read_page_by_page(tmp_path, detector):
    """Past SMALL_PAGES the pages are handed out as they are read, not as a list: the first
    page comes before the last is read; every page's findings are named by their page."""
    path = tmp_path / "rapport.pdf"
    write_pdf(path, 70)
    content = extract_pdf(file_blob(str(path)))
    assert not isinstance(content.segments, list)
    segments = iter(content.segments)
    assert next(segments).where == "page 1"
    rest = list(segments)
    result = found(detector.findings_in(rest))
    assert ("DK_PHONE", "xxxxxx40", "page 70") in result
    assert sum(n for (kind, _, _), n in result.items() if kind == "DK_PHONE") == 69 * 40
    assert list(content.images) == []  # no pictures; the document is closed after them


def test_a_workbook_is_read_row_by_row(tmp_path, detector, monkeypatch):
    monkeypatch.setattr(office, "SMALL_BYTES", 0)  # every workbook is streamed
    path = tmp_path / "kunder.xlsx"
    write_workbook(path, 3000)
    content = extract_xlsx(file_blob(str(path)))
    assert not isinstance(content.segments, list)
    result = found(detector.findings_in(content.segments))
    assert ("EMAIL_ADDRESS", "k********@firma.dk", "Kunder!D2998") in result
    assert sum(n for (kind, _, _), n in result.items() if kind == "EMAIL_ADDRESS") == 3000


def test_a_workbook_openpyxl_gives_up_on_half_way_is_read_on_from_its_xml(tmp_path, detector, monkeypatch):
    """Row 500 holds a number cell whose value is not a number: openpyxl raises there, after
    499 rows were handed on. The rest is read from the sheet's XML, on from row 500 with the
    same header: no row lost, none read twice."""
    monkeypatch.setattr(office, "SMALL_BYTES", 0)
    good = tmp_path / "good.xlsx"
    write_workbook(good, 1000)
    bad = tmp_path / "bad.xlsx"
    with zipfile.ZipFile(good) as z, zipfile.ZipFile(bad, "w", zipfile.ZIP_DEFLATED) as out:
        for info in z.infolist():
            data = z.read(info)
            if info.filename == "xl/worksheets/sheet1.xml":
                cell = b'<c r="A500" t="n"><v>499</v></c>'
                assert cell in data
                data = data.replace(cell, b'<c r="A500" t="n"><v>x499</v></c>')
            out.writestr(info, data)
    read_whole = found(detector.findings_in(extract_xlsx(file_blob(str(good))).segments))
    content = extract_xlsx(file_blob(str(bad)))
    assert found(detector.findings_in(content.segments)) == read_whole
    assert ("DK_PHONE", "xxxxxx99", "Kunder!C500") in read_whole


def big_mail(body_lines: int) -> EmailMessage:
    """A message whose plain body is long, with an HTML twin, a CSV and a Word-like attachment."""
    message = EmailMessage()
    message["From"] = "Mette Hansen <mette@firma.dk>"
    message["To"] = "Lars Nielsen <lars@firma.dk>"
    message["Subject"] = "Kundeliste"
    message["Date"] = "Thu, 26 Nov 2026 10:00:00 +0100"
    lines = [f"{i}: ring til {PEOPLE[i % 4]} på tlf. 2{i:07d} eller skriv til k{i}@firma.dk ø" for i in range(body_lines)]
    message.set_content("\n".join(lines) + "\n", charset="utf-8", cte="quoted-printable")
    message.add_alternative("<p>" + "</p><p>".join(lines[:50]) + "</p>", subtype="html")
    csv = "Navn;Telefon\n" + "".join(f"{PEOPLE[i % 4]};3{i:07d}\n" for i in range(400))
    message.add_attachment(csv.encode("utf-8"), maintype="text", subtype="csv", filename="kunder.csv")
    message.add_attachment(bytes(range(256)) * 300, maintype="application", subtype="octet-stream",
                           filename="data.bin")
    return message


def test_a_big_mail_is_read_as_a_stream_as_it_is_read_whole(tmp_path, detector, monkeypatch):
    monkeypatch.setattr(text_module, "PIECE_CHARS", 3000)
    monkeypatch.setattr(text_module, "CONTEXT_CHARS", 300)
    path = tmp_path / "stor.eml"
    path.write_bytes(big_mail(3000).as_bytes())
    whole = extract_eml(file_blob(str(path)))
    whole_found = found(detector.findings_in(whole.segments))
    whole_children = {c.name: c.open().read() for c in whole.children}

    monkeypatch.setattr(mail, "STREAM_BYTES", 64 * 1024)  # now it is a big message
    streamed = extract_eml(file_blob(str(path)))
    segments = list(streamed.segments)
    assert len(segments) > 20  # the body in pieces
    assert found(detector.findings_in(segments)) == whole_found
    assert ("DK_PHONE", "xxxxxx99", "body, line 3000") in whole_found
    assert streamed.dates == whole.dates and streamed.dates["sent"].year == 2026
    children = {c.name: c.open().read() for c in streamed.children}
    assert children == whole_children and set(children) == {"kunder.csv", "data.bin"}


def test_a_huge_message_in_an_mbox_goes_to_a_spool_file_not_memory(tmp_path, detector, monkeypatch):
    monkeypatch.setattr(mail, "STREAM_BYTES", 64 * 1024)
    big = big_mail(3000).as_bytes()
    small = b"From: Lene <lene@firma.dk>\nSubject: Kort\n\nRing 31 42 53 64\n"
    path = tmp_path / "arkiv.mbox"
    path.write_bytes(b"From a@b Thu Nov 26 10:00:00 2026\n" + big + b"\n"
                     + b"From c@d Thu Nov 26 11:00:00 2026\n" + small + b"\n")
    first, second = list(extract_mbox(file_blob(str(path))).children)
    assert first.name == '2026-11-26 10:00 "Kundeliste"' and first.size > 64 * 1024
    with first.open() as f:
        assert not isinstance(f, io.BytesIO)  # spooled to a temporary file
        assert f.read() == big + b"\n"
    inner = extract_eml(first)
    assert ("DK_PHONE", "xxxxxx99", "body, line 3000") in found(detector.findings_in(inner.segments))
    assert second.open().read() == small + b"\n"


def test_a_base64_body_is_decoded_across_its_blocks(tmp_path, detector, monkeypatch):
    monkeypatch.setattr(mail, "STREAM_BYTES", 0)
    monkeypatch.setattr(mail, "LINE_BYTES", 1000)  # blocks of about 1000 bytes: cuts inside the base64 text
    body = "".join(f"linje {i}: CPR-nr. 150385-1004, tlf. 2{i:07d}\n" for i in range(500))
    encoded = base64.encodebytes(body.encode("utf-8"))
    path = tmp_path / "b64.eml"
    path.write_bytes(b"From: a@firma.dk\nSubject: x\nContent-Type: text/plain; charset=utf-8\n"
                     b"Content-Transfer-Encoding: base64\n\n" + encoded)
    text = "".join(s.text for s in extract_eml(file_blob(str(path))).segments)
    assert body.strip() in text


@pytest.mark.parametrize("kind", ["pdf", "xlsx"])
def test_a_big_document_read_steadily_is_not_timed_out(kind, tmp_path, detector, monkeypatch):
    """One PDF or workbook whose reading takes several times the time limit: each page or row
    read is a sign of life, so the worker is not killed; it is analysed whole."""
    monkeypatch.setattr(pipeline, "BATCH_CHARS", 5_000)  # the workers are forked after this
    monkeypatch.setattr(office, "SMALL_BYTES", 0)
    root = tmp_path / "share"
    root.mkdir()
    if kind == "pdf":
        write_pdf(root / "rapport.pdf", 300)
        name, last = "rapport.pdf", ("DK_PHONE", "xxxxxx40", "page 300")
    else:
        write_workbook(root / "kunder.xlsx", 6000)
        name, last = "kunder.xlsx", ("EMAIL_ADDRESS", "k********@firma.dk", "Kunder!D6001")
    reading = pipeline.beating
    pause = 9.0 / (300 if kind == "pdf" else 6000)  # a slow reader: 9 s in all, however fast this machine is

    def slow_reading(segments, heartbeat):
        for segment in reading(segments, heartbeat):
            time.sleep(pause * (len(segment.rows) if isinstance(segment, TableRows) else 1))  # per row
            yield segment

    monkeypatch.setattr(pipeline, "beating", slow_reading)
    limit = 2.0
    store = Store(tmp_path / "store.sqlite")
    started = time.monotonic()
    scan_id, _ = run_scan(root, store, detector, images=ImageSettings(ocr=False),
                          options=ScanOptions(workers=1, time_limit=limit))
    took = time.monotonic() - started
    [result] = store.results(scan_id)
    assert (result.location, result.status, result.reason) == (name, ANALYSED, None)
    assert last in found(result.findings)
    assert took > 3 * limit  # else this test shows nothing: make the file bigger


def test_a_workbook_over_the_row_limit_is_refused_before_it_is_read_saying_what_to_do(tmp_path, monkeypatch):
    from scanner.extract import CouldNotInspect

    monkeypatch.setattr(office, "MAX_ROWS", 500)
    path = tmp_path / "eksport.xlsx"
    write_workbook(path, 1000)
    with pytest.raises(CouldNotInspect) as refused:
        list(extract_xlsx(file_blob(str(path))).segments)
    assert "too large to read: sheet 'Kunder' has 1,001 rows, more than the limit of 500 rows" in str(refused.value)
    assert "export it to CSV" in str(refused.value)


def test_a_big_word_body_is_read_as_a_stream_as_python_docx_reads_it(tmp_path, detector, monkeypatch):
    """Paragraphs, a table with a table nested in a cell, a text box-free body, the author: the
    streamed reading finds what python-docx's finds, in the same places, the body in pieces."""
    import docx

    document = docx.Document()
    document.core_properties.author = "Lene Kjærgaard"
    for i in range(400):
        document.add_paragraph(f"Afsnit {i}: ring til {PEOPLE[i % 4]} på tlf. 2{i:07d}")
        if i % 100 == 50:
            document.add_paragraph("")
    table = document.add_table(rows=3, cols=2)
    for r in range(3):
        table.cell(r, 0).text, table.cell(r, 1).text = PEOPLE[r], f"k{r}@firma.dk"
    table.cell(2, 1).add_table(rows=1, cols=1).cell(0, 0).text = "CPR-nr. 150385-1004"
    document.add_paragraph("Sidste afsnit: mette@firma.dk")
    path = tmp_path / "notat.docx"
    document.save(path)

    whole = found(detector.findings_in(office.extract_docx(file_blob(str(path))).segments))
    monkeypatch.setattr(office, "BIG_BODY_BYTES", 0)
    monkeypatch.setattr(office, "BODY_PIECE_CHARS", 2000)
    content = office.extract_docx(file_blob(str(path)))
    segments = list(content.segments)
    assert sum(1 for s in segments if s.where.startswith("paragraph")) > 5  # the paragraphs in pieces
    assert found(detector.findings_in(segments)) == whole
    assert ("DK_PHONE", "xxxxxx99", "paragraph 404") in whole
    assert ("DK_CPR", "1503xx-xxxx", "nested table 1, row 1, cell 1") in whole
    assert ("EMAIL_ADDRESS", "m****@firma.dk", "paragraph 405") in whole
    assert any(kind == "PERSON" and where == "properties (author)" for kind, _, where in whole)


def test_a_long_body_handed_out_whole_goes_to_detection_in_pieces(detector, monkeypatch):
    """Outlook's libraries (.msg, .pst) hand a body out whole: it is cut into pieces with context,
    numbered lines kept, nothing lost or counted twice."""
    from detectors.types import Segment

    monkeypatch.setattr(mail, "LINE_BYTES", 1000)
    monkeypatch.setattr(text_module, "PIECE_CHARS", 2000)
    monkeypatch.setattr(text_module, "CONTEXT_CHARS", 200)
    body = "".join(f"{i}: ring til {PEOPLE[i % 4]} på tlf. 2{i:07d}\n" for i in range(600))
    content = mail.message_content([("From", "Mette Hansen <mette@firma.dk>")], "Liste", body, None)
    segments = list(content.segments)
    assert len(segments) > 10
    whole = detector.findings_in([segments[0], Segment(body, "body", numbered_lines=True)])
    assert found(detector.findings_in(segments)) == found(whole)
    assert ("DK_PHONE", "xxxxxx99", "body, line 600") in found(whole)


@pytest.mark.parametrize("kind", ["ods", "odt"])
def test_a_big_opendocument_file_is_read_as_a_stream_as_it_is_read_whole(kind, tmp_path, detector, monkeypatch):
    """A LibreOffice spreadsheet of 1 500 rows, or a text document of paragraphs around a table:
    the streamed reading finds what the whole reading finds, in the same places."""
    from odf.opendocument import OpenDocumentSpreadsheet, OpenDocumentText
    from odf.text import P

    from scanner.extract import opendocument

    doc = OpenDocumentSpreadsheet() if kind == "ods" else OpenDocumentText()
    body = doc.spreadsheet if kind == "ods" else doc.text
    if kind == "odt":
        for i in range(300):
            body.addElement(P(text=f"Afsnit {i}: ring til {PEOPLE[i % 4]} på tlf. 2{i:07d}"))
    body.addElement(odf_table("Kunder", [["Navn", "Telefon", "E-mail"]] + [
        [PEOPLE[i % 4], f"3{i:07d}", f"k{i}@firma.dk"] for i in range(1500 if kind == "ods" else 20)]))
    if kind == "odt":
        body.addElement(P(text="Sidste afsnit: mette@firma.dk"))
    path = tmp_path / f"eksport.{kind}"
    doc.save(str(path))

    whole = found(detector.findings_in(opendocument.extract_odf(file_blob(str(path))).segments))
    monkeypatch.setattr(opendocument, "BIG_CONTENT_BYTES", 0)
    monkeypatch.setattr(opendocument, "PIECE_CHARS", 2000)
    content = opendocument.extract_odf(file_blob(str(path)))
    assert not isinstance(content.segments, list)
    assert found(detector.findings_in(content.segments)) == whole
    last = ("EMAIL_ADDRESS", "k****@firma.dk", "Kunder, row 1501, cell 3") if kind == "ods" else \
        ("EMAIL_ADDRESS", "m****@firma.dk", "paragraph 301")
    assert last in whole
