"""Pictures and scanned paper: faces, Danish OCR, business cards, and what happens when OCR cannot run.

The pictures are drawn here with the sample share's own helpers (real JPEG/PNG/TIFF/PDF
files) and read by the real OpenCV cascade and the real tesseract.
"""
from __future__ import annotations

import io

import pytest
from PIL import Image as PILImage

from detectors.images import ocr
from detectors.images.analysis import BUSINESS_CARD_WITH_PHOTO, PHOTO_OF_PERSON, ImageSettings, analyse_image
from scanner.extract import CouldNotInspect, extractor_for
from scanner.model import FAILED, Blob, Image
from scanner.run.pipeline import inspect
from tests.conftest import load_sample_generator

share = load_sample_generator()
PERSON = ["Søren Østergård", "Indkøbschef", "Nordic Kosmetik ApS", "Tlf. 23 45 67 89", "soeren@nordickosmetik.dk"]


def encoded(picture, fmt="PNG", **options) -> bytes:
    out = io.BytesIO()
    picture.save(out, format=fmt, **options)
    return out.getvalue()


def portrait():
    return PILImage.open(share.PORTRAIT)


def blob_of(name: str, data: bytes) -> Blob:
    return Blob(name=name, size=len(data), open=lambda: io.BytesIO(data))


def extract(name: str, data: bytes):
    blob = blob_of(name, data)
    return extractor_for(blob)(blob)


@pytest.fixture(scope="module")
def card_with_photo() -> bytes:
    return encoded(share.draw_business_card(PERSON, portrait()), "JPEG", quality=90)


def test_business_card_with_photo_is_one_biometric_finding(detector, card_with_photo):
    analysis = analyse_image(Image(card_with_photo, "image"), detector)
    cards = [f for f in analysis.findings if f.category == "biometric"]
    assert [(f.entity_type, f.masked, f.where) for f in cards] == [(BUSINESS_CARD_WITH_PHOTO, "1 face", "image")]
    # the card's contact details are read by OCR and found like any other text
    ocr_found = {(f.entity_type, f.masked, f.where) for f in analysis.findings if f.category == "contact"}
    assert ocr_found == {("DK_PHONE", "xxxxxx89", "image (OCR)"), ("EMAIL_ADDRESS", "s*****@nordickosmetik.dk", "image (OCR)"),
                         ("PERSON", "S**** Ø********", "image (OCR)")}  # the name on the card (issue 3)
    assert analysis.problems == []


def test_photo_hash_is_keyed_and_stable(detector, card_with_photo):
    first = analyse_image(Image(card_with_photo, "image"), detector, ImageSettings(ocr=False)).findings[0]
    again = analyse_image(Image(card_with_photo, "x"), detector, ImageSettings(ocr=False)).findings[0]
    assert first.value_hash == again.value_hash and len(first.value_hash) == 32
    assert first.entity_type == PHOTO_OF_PERSON  # without OCR there are no contact details to make it a card


def test_card_without_photo_and_logo_give_no_face(detector):
    no_photo = analyse_image(Image(encoded(share.draw_business_card(PERSON)), "image"), detector)
    assert all(f.category == "contact" for f in no_photo.findings) and no_photo.findings
    logo = PILImage.new("RGB", (400, 160), "white")
    from PIL import ImageDraw
    ImageDraw.Draw(logo).ellipse((20, 20, 140, 140), fill="navy")
    ImageDraw.Draw(logo).text((160, 60), "INTERKET", fill="navy", font=share.font(40))
    assert analyse_image(Image(encoded(logo), "image"), detector).findings == []


def test_tiny_pictures_are_skipped_before_detection(detector):
    icon = portrait().resize((32, 32))
    assert analyse_image(Image(encoded(icon), "image1.png"), detector).findings == []


def test_damaged_embedded_picture_is_a_problem_not_a_crash(detector):
    analysis = analyse_image(Image(b"\x89PNG\r\n\x1a\n garbage", "image3.png"), detector)
    assert analysis.findings == []
    [(where, reason)] = analysis.problems
    assert where == "image3.png" and reason.startswith("damaged or unreadable picture")


def test_image_files_of_every_suffix_are_read(card_with_photo):
    picture = PILImage.open(io.BytesIO(card_with_photo))
    for suffix, fmt in ((".jpg", "JPEG"), (".png", "PNG"), (".bmp", "BMP"), (".gif", "GIF"), (".webp", "WEBP"), (".tif", "TIFF")):
        content = extract(f"kort{suffix}", encoded(picture, fmt))
        assert [(i.where, i.needs_ocr) for i in content.images] == [("image", False)], suffix


def test_multipage_tiff_gives_one_page_each():
    pages = [share.draw_scanned_page(["Side én"], dpi=100), share.draw_scanned_page(["Side to"], dpi=100)]
    data = encoded(pages[0], "TIFF", save_all=True, append_images=pages[1:])
    content = extract("scanning.tiff", data)
    assert [(i.where, i.needs_ocr) for i in content.images] == [("page 1", True), ("page 2", True)]


def test_damaged_image_file_could_not_inspect():
    with pytest.raises(CouldNotInspect, match="not really a picture"):
        extract("foto.jpg", b"this is not a jpeg")
    with pytest.raises(CouldNotInspect, match="damaged picture file"):
        extract("foto.png", encoded(portrait())[:200])


def scanned_pdf(tmp_path, lines, dpi=200) -> bytes:
    path = tmp_path / "scan.pdf"
    from datetime import datetime, timezone
    share.write_scanned_pdf(path, [share.draw_scanned_page(lines, dpi=dpi)], dpi, datetime(2024, 5, 1, tzinfo=timezone.utc))
    return path.read_bytes()


LETTER = ["Kære Interket", "Vi bekræfter ordren på æsker og søm.", "Med venlig hilsen", "Åse Bøgh",
          "Telefon 31 42 53 64", "E-mail aase@boegh.dk"]


def test_scanned_pdf_page_is_ocrd_in_danish(tmp_path, detector):
    data = scanned_pdf(tmp_path, LETTER)
    content = extract("scan.pdf", data)
    assert content.segments == []  # no text layer
    [page] = content.images
    assert (page.where, page.needs_ocr) == ("page 1", True)
    text = ocr.read_text(page.data)
    assert "bekræfter ordren på æsker og søm" in text and "Åse Bøgh" in text
    [result] = inspect(blob_of("scan.pdf", data), "Kunder/scan.pdf", detector)
    assert {(f.entity_type, f.where) for f in result.findings} == {("DK_PHONE", "page 1 (OCR)"), ("EMAIL_ADDRESS", "page 1 (OCR)"),
                                                                  ("PERSON", "page 1 (OCR)")}  # names (issue 3)


def test_pdf_with_text_layer_is_not_rendered(tmp_path):
    path = tmp_path / "brev.pdf"
    share.write_pdf(path, "Brev", ["Telefon 31 42 53 64"], __import__("datetime").datetime(2024, 1, 1))
    assert list(extract("brev.pdf", path.read_bytes()).images) == []


def test_ocr_too_slow_is_recorded_and_the_item_keeps_its_faces(detector, card_with_photo):
    results = inspect(blob_of("kort.jpg", card_with_photo), "Kunder/kort.jpg", detector,
                      images=ImageSettings(ocr_seconds=0.001))
    item, page = results
    assert [f.entity_type for f in item.findings] == [PHOTO_OF_PERSON]
    assert (page.location, page.parent, page.status) == ("Kunder/kort.jpg › image (OCR)", "Kunder/kort.jpg", FAILED)
    assert page.reason.startswith("not OCR'd: took longer than 0.001 s")


def test_ocr_missing_says_what_to_install(detector, card_with_photo, monkeypatch):
    monkeypatch.setattr(ocr, "_tesseract", lambda: None)
    item, page = inspect(blob_of("kort.jpg", card_with_photo), "kort.jpg", detector)
    assert page.reason == "OCR not available: install tesseract-ocr and tesseract-ocr-dan (or scan with --no-ocr)"
    assert item.findings[0].entity_type == PHOTO_OF_PERSON


def test_no_ocr_records_scanned_pages_as_not_read(tmp_path, detector):
    data = scanned_pdf(tmp_path, LETTER, dpi=100)
    item, page = inspect(blob_of("scan.pdf", data), "scan.pdf", detector, images=ImageSettings(ocr=False))
    assert item.findings == []
    assert (page.location, page.status) == ("scan.pdf › page 1 (OCR)", FAILED)
    assert "turned off (--no-ocr)" in page.reason


@pytest.mark.parametrize("read, expected", [
    ("E-mail aase&boegh.dk", "E-mail aase@boegh.dk"),
    ("mie.thomsen©nordic-kosmetik.co.uk", "mie.thomsen@nordic-kosmetik.co.uk"),
    ("Jensen & Søn ApS", "Jensen & Søn ApS"),
    ("R&D-afdelingen", "R&D-afdelingen"),
])
def test_ocr_repairs_misread_at_only_inside_addresses(read, expected):
    assert ocr.repair(read) == expected


def test_cli_no_ocr_reaches_the_scan(tmp_path):
    import json

    from datakort.main import main
    from tests.conftest import SAMPLE_DIR
    folder = tmp_path / "share" / "Kunder"
    folder.mkdir(parents=True)
    (folder / "scan.pdf").write_bytes(scanned_pdf(tmp_path, LETTER, dpi=100))
    out = tmp_path / "report"
    code = main(["scan", "-q", str(tmp_path / "share"), "--register", str(SAMPLE_DIR / "register.yaml"),
                 "--db", str(tmp_path / "s.sqlite"), "--out", str(out), "--no-ocr"])
    report = json.loads((out / "gaps.json").read_text())
    assert code == 0
    [gap] = [g for g in report["gaps"] if g["kind"] == "could_not_inspect"]
    assert gap["location"] == "Kunder/scan.pdf › page 1 (OCR)" and "--no-ocr" in gap["detail"]


def test_card_where_register_declares_no_biometric_data_is_a_gap(tmp_path, card_with_photo):
    import json

    from datakort.main import main
    from tests.conftest import SAMPLE_DIR
    folder = tmp_path / "share" / "Økonomi" / "Bilag"
    folder.mkdir(parents=True)
    (folder / "visitkort.jpg").write_bytes(card_with_photo)
    out = tmp_path / "report"
    assert main(["scan", "-q", str(tmp_path / "share"), "--register", str(SAMPLE_DIR / "register.yaml"),
                 "--db", str(tmp_path / "s.sqlite"), "--out", str(out)]) == 0
    gaps = json.loads((out / "gaps.json").read_text())["gaps"]
    biometric = [g for g in gaps if g.get("category") == "biometric"]
    assert [(g["kind"], g["system"]) for g in biometric] == [("undeclared_category", "okonomi")]
    assert [(e["entity_type"], e["masked"], e["where"]) for e in biometric[0]["evidence"]] == [
        ("BUSINESS_CARD_WITH_PHOTO", "1 face", "image")]


def test_pages_not_ocrd_for_one_reason_are_one_record(detector):
    pages = [share.draw_scanned_page([f"Side {n}"], dpi=60) for n in range(3)]
    data = encoded(pages[0], "TIFF", save_all=True, append_images=pages[1:])
    item, record = inspect(blob_of("scan.tif", data), "scan.tif", detector, images=ImageSettings(ocr=False))
    assert record.location == "scan.tif › page 1 (OCR) … page 3 (OCR) (3 pictures)"
    assert record.reason == "not OCR'd: OCR was turned off (--no-ocr)"


def _pdf(tmp_path, picture, picture_mm: tuple[float, float], text: str) -> bytes:
    from fpdf import FPDF
    pdf = FPDF(unit="mm")
    pdf.add_page()
    pdf.image(picture, x=0, y=0, w=picture_mm[0], h=picture_mm[1])
    pdf.set_font("Helvetica", size=8)
    pdf.set_xy(10, 285)
    pdf.cell(0, 5, text)
    path = tmp_path / "p.pdf"
    pdf.output(str(path))
    return path.read_bytes()


def test_scan_with_a_stamped_line_is_still_ocrd_but_a_letter_with_a_logo_is_not(tmp_path):
    page = share.draw_scanned_page(LETTER, dpi=100, size_mm=(210, 280))
    stamped = extract("scan.pdf", _pdf(tmp_path, page, (210, 280), "Scannet 04-03-2024 Xerox WorkCentre"))
    assert [i.where for i in stamped.images] == ["page 1"]
    letter = extract("brev.pdf", _pdf(tmp_path, portrait(), (30, 33), "Telefon 31 42 53 64 " * 6))
    # the logo is handed on for face detection (issue 4), but the page is not rendered for OCR
    assert not [i for i in letter.images if i.needs_ocr] and "31 42 53 64" in letter.segments[0].text


def test_picture_over_the_pixel_limit_is_refused_with_its_size(detector):
    huge = encoded(PILImage.new("1", (8000, 8000), 1))  # 64 megapixels, a few kB as PNG
    [(where, reason)] = analyse_image(Image(huge, "image"), detector).problems
    assert reason == "picture too large to analyse (8000x8000 pixels; the limit is 60 megapixels)"


def test_phone_photo_stored_sideways_is_turned_upright(detector, card_with_photo):
    sideways = PILImage.open(io.BytesIO(card_with_photo)).rotate(90, expand=True)
    exif = PILImage.Exif()
    exif[0x0112] = 6  # Orientation: "rotate 90° clockwise to show"
    data = encoded(sideways, "JPEG", exif=exif.tobytes(), quality=90)
    findings = analyse_image(Image(data, "image"), detector, ImageSettings(ocr=False)).findings
    assert [f.entity_type for f in findings] == [PHOTO_OF_PERSON]


def test_pictures_that_fail_half_way_are_recorded_and_the_text_findings_kept(detector, monkeypatch):
    """A document whose pictures are read lazily (a scanned PDF's pages) and break after the
    first: the item stays analysed with its text findings; the pictures get their own record."""
    import scanner.run.pipeline as pipeline
    from scanner.model import ANALYSED, Content, Segment

    def pictures():
        out = io.BytesIO()
        PILImage.new("L", (64, 64), 200).save(out, "PNG")
        yield Image(out.getvalue(), "page 1")
        raise CouldNotInspect("damaged PDF: PDFium stopped reading its pictures (page 2)")

    def half_read(blob):
        return Content(segments=[Segment("CPR-nr.: 020290-1231", "page 1")], images=pictures())

    monkeypatch.setattr(pipeline, "extractor_for", lambda blob: half_read)
    blob = Blob(name="bilag.pdf", size=3, open=lambda: io.BytesIO(b"abc"))
    results = {r.location: r for r in inspect(blob, "bilag.pdf", detector, images=ImageSettings(ocr=False))}
    assert results["bilag.pdf"].status == ANALYSED
    assert [f.entity_type for f in results["bilag.pdf"].findings] == ["DK_CPR"]
    problem = results["bilag.pdf › (pictures)"]
    assert problem.status == FAILED and "stopped reading its pictures" in problem.reason


def test_every_picture_format_pillow_writes_is_read(card_with_photo):
    """Each suffix the image extractor takes, in a format Pillow can also write (.ico, .pcx,
    .tga, .jp2, .psd is read-only …), gives the picture; a "picture" that is text says so."""
    from scanner.extract.image import picture_suffixes

    PILImage.init()
    picture = PILImage.open(io.BytesIO(card_with_photo)).convert("RGB").resize((64, 40))
    read = []
    for suffix in picture_suffixes():
        fmt = PILImage.registered_extensions()[suffix]
        if fmt not in PILImage.SAVE:
            continue
        try:
            data = encoded(picture if fmt not in ("XBM",) else picture.convert("1"), fmt)
        except (OSError, ValueError, KeyError):  # this format cannot hold such a picture (a writer's limit)
            continue
        content = extract(f"kort{suffix}", data)
        assert len(content.images) == 1, suffix
        read.append(suffix)
    assert {".ico", ".pcx", ".tga", ".jp2", ".ppm", ".dib", ".sgi", ".qoi"} <= set(read), read
    with pytest.raises(CouldNotInspect, match="not really a picture: the .gif file holds 42 bytes of text"):
        extract("image001.gif", b"Attachment C:\\Data\\image001.gif not found!")
