"""Mail on real files written by real libraries: .eml and .mbox (standard library), .msg
(aspose-email-foss). Each test asserts the exact entities at their exact sub-locations,
through the same `inspect` the scan uses, so container levels show in the locations."""
from __future__ import annotations

import dataclasses

import io
import mailbox
from datetime import datetime, timezone
from email.message import EmailMessage
from email.mime.multipart import MIMEMultipart
from email.mime.text import MIMEText

import docx

from detectors.images.analysis import ImageSettings
from scanner.sources.local import file_blob
from scanner.model import ANALYSED, LOCATION_SEP
from scanner.run.pipeline import inspect

CPR = "150385-1004"
# what the message from tilbud_message() holds, in its headers and body
TILBUD_FINDINGS = [("DK_PHONE", "xxxxxx56", "body, line 3"), ("EMAIL_ADDRESS", "l*@interket.dk", "To"),
                   ("EMAIL_ADDRESS", "m****@firma.dk", "From"), ("PERSON", "L***", "body, line 1"),
                   ("PERSON", "L*** K********", "To"), ("PERSON", "M**** H*****", "From")]
# what bilag.docx holds: the table row ["Mette Hansen", CPR]
BILAG_FINDINGS = [("DK_CPR", "1503xx-xxxx", "table 1, row 2, cell 2"), ("PERSON", "M**** H*****", "table 1, row 2, cell 1")]


def blob_of(path):
    """The file as the crawler gives it, with a fixed modification time."""
    return dataclasses.replace(file_blob(str(path)), mtime=datetime(2026, 10, 1, tzinfo=timezone.utc))


def scan(path, detector, images=ImageSettings()):
    """{location: [(entity type, masked value, where)]} for the file and everything inside it."""
    results = inspect(blob_of(path), path.name, detector, images=images)
    return {r.location: r for r in results}, {
        r.location: sorted((f.entity_type, f.masked, f.where) for f in r.findings) for r in results}


def docx_bytes(rows: list[list[str]]) -> bytes:
    d = docx.Document()
    d.add_paragraph("Bilag til tilbud")
    t = d.add_table(rows=len(rows), cols=len(rows[0]))
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            t.cell(r, c).text = value
    out = io.BytesIO()
    d.save(out)
    return out.getvalue()


def tilbud_message() -> EmailMessage:
    m = EmailMessage()
    m["From"] = "Mette Hansen <mette@firma.dk>"
    m["To"] = "Lene Kjærgaard <lk@interket.dk>"
    m["Subject"] = "Tilbud på etiketter"
    m["Date"] = "Mon, 04 Mar 2019 12:01:00 +0000"
    m.set_content("Hej Lene\n\nRing på mobil 20 12 34 56.\n")
    m.add_attachment(docx_bytes([["Navn", "CPR"], ["Mette Hansen", CPR]]), maintype="application",
                     subtype="vnd.openxmlformats-officedocument.wordprocessingml.document", filename="bilag.docx")
    return m


def test_eml_headers_body_and_docx_attachment(tmp_path, detector):
    p = tmp_path / "tilbud.eml"
    p.write_bytes(tilbud_message().as_bytes())
    items, found = scan(p, detector)
    assert found["tilbud.eml"] == TILBUD_FINDINGS
    assert found[f"tilbud.eml{LOCATION_SEP}bilag.docx"] == BILAG_FINDINGS
    assert items["tilbud.eml"].dates["sent"] == datetime(2019, 3, 4, 12, 1, tzinfo=timezone.utc)
    # the attachment's retention clock is the message's sent date
    assert items[f"tilbud.eml{LOCATION_SEP}bilag.docx"].dates["sent"].year == 2019


def test_eml_legacy_charsets_encoded_headers_quoted_printable_and_html(tmp_path, detector):
    m = MIMEMultipart("alternative")
    m["From"] = "=?iso-8859-1?q?S=F8ren_=C6bel=F8?= <soeren@kunde.dk>"
    m["To"] = "salg@interket.dk"
    m["Subject"] = "=?windows-1252?q?Bestilling_=96_s=F8ndag?="
    m["Date"] = "Sun, 10 Feb 2019 08:00:00 +0100"
    m.attach(MIMEText("<html><body><p>Kære Søren</p><p>CPR: " + CPR + "</p></body></html>", "html", "windows-1252"))
    p = tmp_path / "bestilling.eml"
    p.write_bytes(m.as_bytes())
    assert b"quoted-printable" in p.read_bytes() or b"base64" in p.read_bytes()
    items, found = scan(p, detector)
    assert found["bestilling.eml"] == [("DK_CPR", "1503xx-xxxx", "body, line 2"),
                                       ("EMAIL_ADDRESS", "s*****@kunde.dk", "From"),
                                       ("EMAIL_ADDRESS", "s***@interket.dk", "To"),
                                       ("PERSON", "S****", "body, line 1"),  # decoded from windows-1252 HTML
                                       ("PERSON", "S**** Æ****", "From")]  # decoded from an ISO-8859-1 header
    assert items["bestilling.eml"].dates["sent"] == datetime(2019, 2, 10, 7, 0, tzinfo=timezone.utc)


def test_mbox_each_message_is_an_item_named_by_date_and_subject(tmp_path, detector):
    p = tmp_path / "arkiv.mbox"
    box = mailbox.mbox(str(p))
    box.add(tilbud_message())
    second = EmailMessage()
    second["From"] = "kunde@bryghus.dk"
    second["Subject"] = "From the brewery"
    second["Date"] = "Tue, 05 Mar 2019 09:30:00 +0000"
    second.set_content("From now on call 20 12 34 99\nthanks\n")  # a body line starting with From is quoted
    box.add(second)
    box.flush()
    box.close()
    items, found = scan(p, detector)
    first = f'arkiv.mbox{LOCATION_SEP}2019-03-04 12:01 "Tilbud på etiketter"'
    other = f'arkiv.mbox{LOCATION_SEP}2019-03-05 09:30 "From the brewery"'
    assert set(items) == {"arkiv.mbox", first, f"{first}{LOCATION_SEP}bilag.docx", other}
    assert found[f"{first}{LOCATION_SEP}bilag.docx"] == BILAG_FINDINGS
    assert found[other] == [("DK_PHONE", "xxxxxx99", "body, line 1"), ("EMAIL_ADDRESS", "k****@bryghus.dk", "From")]
    assert items[other].dates["sent"] == datetime(2019, 3, 5, 9, 30, tzinfo=timezone.utc)
    assert items[other].mtime == datetime(2026, 10, 1, tzinfo=timezone.utc)  # the file's, kept as fallback


def test_msg_with_nested_msg_and_attachments(tmp_path, detector):
    from aspose.email_foss.msg import MapiMessage

    inner = EmailMessage()
    inner["From"] = "Søren Ibsen <soren@kunde.dk>"
    inner["To"] = "lk@interket.dk"
    inner["Subject"] = "Kopi af ordre"
    inner["Date"] = "Fri, 01 Mar 2019 10:00:00 +0000"
    inner.set_content(f"Mit CPR-nr. er {CPR}\n")
    inner.add_attachment(b"Navn;Telefon\nSoeren;20123477\n", maintype="text", subtype="csv", filename="liste.csv")
    outer = tilbud_message()
    outer.add_attachment(inner)
    p = tmp_path / "tilbud.msg"
    MapiMessage.from_email_message(outer).save(p)
    items, found = scan(p, detector)
    assert found["tilbud.msg"] == TILBUD_FINDINGS
    assert items["tilbud.msg"].dates["sent"] == datetime(2019, 3, 4, 12, 1, tzinfo=timezone.utc)
    assert found[f"tilbud.msg{LOCATION_SEP}bilag.docx"] == BILAG_FINDINGS
    embedded = next(loc for loc in items if loc.count(LOCATION_SEP) == 1 and loc.endswith('"Kopi af ordre"'))
    assert ("DK_CPR", "1503xx-xxxx", "body, line 1") in found[embedded]
    assert ("EMAIL_ADDRESS", "s****@kunde.dk", "From") in found[embedded]
    assert found[f"{embedded}{LOCATION_SEP}liste.csv"] == [("DK_PHONE", "xxxxxx77", "row 2, column Telefon"),
                                                          ("PERSON", "S*****", "row 2, column Navn")]
    assert all(r.status == ANALYSED for r in items.values())


def test_damaged_msg_and_mbox_are_recorded_not_raised(tmp_path, detector):
    bad = tmp_path / "kaput.msg"
    bad.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100)
    items, _ = scan(bad, detector)
    assert items["kaput.msg"].status == "could_not_inspect"
    assert "msg" in items["kaput.msg"].reason.lower()


def test_msg_contact_fields_and_photo(tmp_path, detector):
    import uuid

    from aspose.email_foss.msg import MapiMessage, MapiNamedProperty, PropertyTypeCode

    contact = MapiMessage.create(subject="Mette Hansen")
    contact.message_class = "IPM.Contact"
    for tag, value in ((0x3001, "Mette Hansen"), (0x3A16, "Firma ApS"), (0x3A17, "Indkøber"),
                       (0x3A08, "20 12 34 56"), (0x3A1C, "+45 31 22 33 44")):
        contact.set_property(tag, PropertyTypeCode.PTYP_STRING, value)
    email1 = MapiNamedProperty.numeric(0x8083, uuid.UUID("00062004-0000-0000-C000-000000000046"))
    contact.set_named_property(email1, PropertyTypeCode.PTYP_STRING, "mette@firma.dk")
    from PIL import Image as PILImage
    jpeg = io.BytesIO()
    PILImage.new("RGB", (48, 64), (180, 150, 120)).save(jpeg, "JPEG")
    photo = contact.add_attachment("ContactPicture.jpg", jpeg.getvalue(), mime_type="image/jpeg")
    photo.set_property(0x7FFF, PropertyTypeCode.PTYP_BOOLEAN, True)  # PR_ATTACHMENT_CONTACTPHOTO
    p = tmp_path / "Mette Hansen.msg"
    contact.save(p)
    items, found = scan(p, detector)
    assert found["Mette Hansen.msg"] == [("DK_PHONE", "xxxxxx44", "Mobile phone"),
                                         ("DK_PHONE", "xxxxxx56", "Business phone"),
                                         ("EMAIL_ADDRESS", "m****@firma.dk", "E-mail"),
                                         ("PERSON", "M**** H*****", "Name")]
    assert list(items) == ["Mette Hansen.msg"]  # the photo is a picture of the contact, not an attachment
    from scanner.extract import extractor_for
    blob = blob_of(p)
    [image] = extractor_for(blob)(blob).images
    assert (image.where, image.data) == ("contact photo", jpeg.getvalue())


def test_mailbox_and_outlook_item_without_a_telling_name(tmp_path, detector):
    from aspose.email_foss.msg import MapiMessage

    inbox = tmp_path / "Inbox"  # Thunderbird keeps each folder as an mbox file with no suffix
    box = mailbox.mbox(str(inbox))
    box.add(tilbud_message())
    box.close()
    items, found = scan(inbox, detector)
    assert found[f'Inbox{LOCATION_SEP}2019-03-04 12:01 "Tilbud på etiketter"'][0] == ("DK_PHONE", "xxxxxx56",
                                                                                       "body, line 3")
    renamed = tmp_path / "Kopi af tilbud.doc"  # an Outlook item saved under a Word name
    MapiMessage.from_email_message(tilbud_message()).save(renamed)
    items, found = scan(renamed, detector)
    assert ("EMAIL_ADDRESS", "m****@firma.dk", "From") in found[renamed.name]
    assert items[f"{renamed.name}{LOCATION_SEP}bilag.docx"].status == ANALYSED


def test_personal_data_in_subjects_and_attachment_names_is_masked_in_locations(tmp_path, detector):
    m = tilbud_message()
    m.replace_header("Subject", f"Lønseddel til Mette Hansen, CPR {CPR}")
    m.add_attachment(b"hej", maintype="text", subtype="plain", filename="Tlf 20 12 34 56.txt")
    m.add_attachment(b"hej", maintype="text", subtype="plain", filename="CV Lars Nielsen.txt")
    p = tmp_path / "løn.mbox"
    box = mailbox.mbox(str(p))
    box.add(m)
    box.close()
    items, _ = scan(p, detector)
    message = f'løn.mbox{LOCATION_SEP}2019-03-04 12:01 "Lønseddel til M**** H*****, CPR 1503xx-xxxx"'
    assert set(items) == {"løn.mbox", message, f"{message}{LOCATION_SEP}bilag.docx",
                          f"{message}{LOCATION_SEP}Tlf xxxxxx56.txt", f"{message}{LOCATION_SEP}CV L*** N******.txt"}


def test_msg_with_only_an_html_body(tmp_path, detector):
    from aspose.email_foss.msg import MapiMessage

    m = EmailMessage()
    m["From"] = "salg@interket.dk"
    m["Subject"] = "Nyhedsbrev"
    m["Date"] = "Mon, 04 Mar 2019 12:01:00 +0000"
    m.set_content("<html><body><h1>Nyt fra Interket</h1><p>Ring på <b>20 12 34 56</b></p></body></html>",
                  subtype="html")
    p = tmp_path / "nyhedsbrev.msg"
    MapiMessage.from_email_message(m).save(p)
    _, found = scan(p, detector)
    assert ("DK_PHONE", "xxxxxx56", "body, line 2") in found["nyhedsbrev.msg"]


def test_outlook_attachment_names_are_cleaned_before_the_type_is_chosen(tmp_path, detector):
    """Outlook writes an attachment's long file name as a C string, its NUL kept
    (`cpr.txt\\x00`); others leave trailing spaces or control characters. The name is cleaned,
    so the type is .txt and the CPR number inside is found, in ANSI and in Unicode .msg files."""
    from aspose.email_foss.msg import MapiMessage

    for unicode_strings, raw_name in ((False, "cpr-nummer.txt\x00"), (True, "kunder\x07.csv \x00\x00")):
        mail = tilbud_message()
        message = MapiMessage.from_email_message(mail, unicode_strings=unicode_strings)
        message.add_attachment(raw_name, f"Navn;CPR\nMette Hansen;{CPR}\n".encode("cp1252"))
        p = tmp_path / f"bilag-{unicode_strings}.msg"
        message.save(p)
        items, found = scan(p, detector)
        name = raw_name.split("\x00")[0].replace("\x07", "").strip()
        attachment = f"{p.name}{LOCATION_SEP}{name}"
        assert items[attachment].status == ANALYSED, items[attachment].reason
        assert any(t == "DK_CPR" and m == "1503xx-xxxx" for t, m, _ in found[attachment]), found[attachment]
