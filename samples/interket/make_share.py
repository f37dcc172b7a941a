"""Generate a small, realistic file share for Interket A/S, with planted situations.

Deterministic: a fixed seed and explicit dates relative to `today`. Every value is
synthetic (Faker da_DK names, generated CPR numbers that pass modulus-11, made-up
companies). What is planted, and what reconciliation must say about it, is listed in
`PLANTED` so tests and the demo can check it:

- Kunder/Aktive/…: active customers' folders (declared: contact details, interests);
  one note there also holds a CPR number (undeclared category in a declared system);
  one .docx is corrupt (could not inspect).
- Kunder/Tidligere/…: former customers; most folders untouched for 6-9 years (overdue
  under the 5-year rule), one touched 2 years ago (not overdue).
- Økonomi/Eksport/: a debtor export with contact persons' e-mails and phones, although
  the register says the finance system holds no contact details (contradiction).
- Økonomi/Bogføring/: postings with no personal data.
- Diverse/Gamle lønlister/: payroll lists with CPR numbers in a folder no system covers
  (undeclared location).
- Kunder/Aktive/Nordic Kosmetik ApS/: an order confirmation copied there a month ago whose
  order date is six years back (overdue by its content date, not by its file date).
- Kunder/Tidligere/Kolding Kapsler ApS/: a former customer's folder whose contact files
  are eight years old, but a complaint was filed there last year: the folder's newest
  activity is recent, so the folder clock says not overdue.
- Kunder/Aktive/Nordic Kosmetik ApS/Visitkort/: a scanned business card with a photo
  (biometric, declared for customer folders) and one without; Indscannet brev.pdf is a
  letter scanned to a PDF with no text layer (its contact details only reachable by OCR).
  The photo is a crop of scikit-image's `astronaut` (NASA, public domain).
- Mail/Indbakke/: an mbox export whose file was changed last week but which holds a
  message sent 6 years ago (overdue under the mail rule, clock `sent`) next to recent
  ones, one with a Word and an Excel attachment; and a recent .eml with an attachment.
- Mail/Tidligere kunder/…: an Outlook .msg from a former customer, sent 8 years ago, with
  an embedded .msg that carries a Word attachment (overdue under both rules).
- Kunder/Aktive/…/Tilbudsarkiv.zip: a zip of Word files (no retention rule applies).
- Arkiv/Varekatalog/: a decoy of look-alike numbers (item, order, batch, EAN numbers,
  amounts, dates) and no personal data: it must give no finding.

Usage: python samples/interket/make_share.py OUT_DIR
"""
from __future__ import annotations

import os
import random
import shutil
import sys
import unicodedata
import zipfile
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

MARKER = ".datakort-sample-share"
SEED = 30_2026

PLANTED = {
    "undeclared_location": ["Diverse/Gamle lønlister"],
    "undeclared_category": [("kundemapper", "cpr")],
    "contradiction": [("okonomi", "contact")],
    "overdue_folders": ["Kunder/Tidligere/Bjerre Emballage ApS", "Kunder/Tidligere/Fjordkøkken AS",
                        "Kunder/Tidligere/Skanderborg Frugt ApS", "Mail/Tidligere kunder"],
    "not_overdue_folders": ["Kunder/Tidligere/Hedegaard Catering", "Kunder/Tidligere/Kolding Kapsler ApS"],
    # overdue gaps by retention rule (register.yaml): former customers' folders by their newest
    # activity; order confirmations by the order date written in them.
    "overdue": {"tidligere-kunder": ["Kunder/Tidligere/Bjerre Emballage ApS", "Kunder/Tidligere/Fjordkøkken AS",
                                     "Kunder/Tidligere/Skanderborg Frugt ApS", "Mail/Tidligere kunder"],
                "mailkorrespondance": ["Mail/Indbakke", "Mail/Tidligere kunder"],
                "ordrebekraeftelser": ["Kunder/Aktive/Nordic Kosmetik ApS", "Kunder/Tidligere/Bjerre Emballage ApS",
                                       "Kunder/Tidligere/Fjordkøkken AS", "Kunder/Tidligere/Skanderborg Frugt ApS"]},
    "mail_overdue_message": ("Mail/Indbakke/Indbakke.mbox", "Reklamation på etiketter"),  # (file, subject)
    "mail_msg": "Mail/Tidligere kunder/Reklamation Fjordkøkken.msg",
    "mail_zip": "Kunder/Aktive/Gudenå Kaffe IS/Tilbudsarkiv.zip",
    "corrupt": ["Kunder/Aktive/Horsens Bryghus ApS/Referat af møde.docx"],
    "decoy_folder": "Arkiv/Varekatalog",
    "business_card_with_photo": "Kunder/Aktive/Nordic Kosmetik ApS/Visitkort/Visitkort 1.jpg",
    "business_card_without_photo": "Kunder/Aktive/Nordic Kosmetik ApS/Visitkort/Visitkort 2.png",
    "scanned_letter": "Kunder/Aktive/Nordic Kosmetik ApS/Indscannet brev.pdf",
}
PORTRAIT = Path(__file__).resolve().parent / "pictures" / "portrait.jpg"
FONT_FILES = ("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
              "/usr/share/fonts/truetype/liberation/LiberationSans-Regular.ttf")

ACTIVE = ["Horsens Bryghus ApS", "Vestjysk Mejeri A/S", "Nordic Kosmetik ApS", "Gudenå Kaffe I/S"]
FORMER = {  # company -> years since the folder was last touched
    "Bjerre Emballage ApS": 7, "Fjordkøkken A/S": 9, "Skanderborg Frugt ApS": 6, "Hedegaard Catering": 2}
STAFF = [("Lene", "Kjærgaard", "Kundeservice"), ("Thomas", "Bach", "Salgskonsulent")]
TITLES = ["Indkøber", "Indkøbschef", "Produktchef", "Marketingkoordinator", "Direktør", "Kvalitetsansvarlig"]
INTERESTS = ["spiller golf i weekenden", "har lige fået barnebarn", "er passioneret lystfisker",
             "løber maraton og træner til Berlin", "samler på gamle etiketter", "har to døtre på efterskole"]
PRODUCTS = ["Selvklæbende etiket 100x50 mm", "Flaskeetiket m. guldfolie", "Termoetiket 58x40", "Krympesleeve 0,5 l"]


# --- identifiers -----------------------------------------------------------------------

def cpr_number(rng: random.Random, born: date) -> str:
    """A CPR number for `born` that passes modulus-11, formatted DDMMYY-SSSS."""
    weights = (4, 3, 2, 7, 6, 5, 4, 3, 2, 1)
    century_digits = {1900: (0, 1, 2, 3), 2000: (4, 9) if born.year % 100 <= 36 else (5, 6, 7, 8)}
    while True:
        seventh = rng.choice(century_digits[1900 if born.year < 2000 else 2000])
        digits = f"{born:%d%m%y}{seventh}{rng.randrange(0, 1000):03d}"
        if sum(int(d) * w for d, w in zip(digits, weights)) % 11 == 0:
            return f"{digits[:6]}-{digits[6:]}"


def cvr_number(rng: random.Random) -> str:
    """An 8-digit CVR number that passes the CVR modulus-11 check."""
    weights = (2, 7, 6, 5, 4, 3, 2, 1)
    while True:
        digits = f"{rng.randrange(1, 10)}{rng.randrange(0, 10_000_000):07d}"
        if sum(int(d) * w for d, w in zip(digits, weights)) % 11 == 0:
            return digits


def phone_number(rng: random.Random) -> str:
    """A Danish 8-digit number with a valid first digit, written in pairs."""
    first = rng.choice("2345678")
    digits = first + "".join(str(rng.randrange(10)) for _ in range(7))
    return " ".join(digits[i:i + 2] for i in range(0, 8, 2))


def ascii_slug(text: str) -> str:
    text = text.lower().replace("æ", "ae").replace("ø", "oe").replace("å", "aa")
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return "".join(ch for ch in text if ch.isalnum() or ch in ".-")


def folder_name(company: str) -> str:
    """A company name as a folder name: 'Fjordkøkken A/S' -> 'Fjordkøkken AS'."""
    return company.replace("/", "")


def company_domain(company: str) -> str:
    base = company.replace(" ApS", "").replace(" A/S", "").replace(" I/S", "")
    return ascii_slug(base.replace(" ", "")) + ".dk"


# --- people ----------------------------------------------------------------------------

class People:
    """Synthetic Danish contact persons (Faker da_DK names, our own phones and e-mails)."""

    def __init__(self, rng: random.Random):
        from faker import Faker
        self.rng = rng
        self.faker = Faker("da_DK")
        self.faker.seed_instance(rng.randrange(1 << 30))
        self.written: dict[str, set[str]] = {"name": set(), "phone": set(), "email": set(), "cpr": set()}

    def remember(self, person: dict) -> dict:
        for kind, values in self.written.items():
            if kind in person:
                values.add(person[kind])
        return person

    def contact(self, company: str) -> dict:
        first, last = self.faker.first_name(), self.faker.last_name()
        return self.remember({
            "name": f"{first} {last}", "first": first, "title": self.rng.choice(TITLES),
            "phone": phone_number(self.rng), "email": f"{ascii_slug(first)}.{ascii_slug(last)}@{company_domain(company)}",
            "interest": self.rng.choice(INTERESTS)})

    def employee(self) -> dict:
        first, last = self.faker.first_name(), self.faker.last_name()
        born = date(1960, 1, 1) + timedelta(days=self.rng.randrange(0, 365 * 40))
        return self.remember({"name": f"{first} {last}", "cpr": cpr_number(self.rng, born),
                               "address": self.faker.street_address(), "salary": self.rng.randrange(28_000, 52_000, 250)})


# --- writers ---------------------------------------------------------------------------

def _stamp(path: Path, when: datetime) -> None:
    ts = when.timestamp()
    os.utime(path, (ts, ts))


def write_docx(path: Path, paragraphs: list[str], when: datetime, table: list[list[str]] | None = None) -> None:
    import docx
    document = docx.Document()
    for text in paragraphs:
        document.add_paragraph(text)
    if table:
        t = document.add_table(rows=0, cols=len(table[0]))
        for row in table:
            cells = t.add_row().cells
            for cell, value in zip(cells, row):
                cell.text = value
    document.core_properties.author = "Interket A/S"
    document.core_properties.created = when.replace(tzinfo=None)
    document.core_properties.modified = when.replace(tzinfo=None)
    document.save(path)


def write_xlsx(path: Path, sheets: dict[str, list[list[object]]]) -> None:
    import openpyxl
    workbook = openpyxl.Workbook()
    workbook.remove(workbook.active)
    for title, rows in sheets.items():
        sheet = workbook.create_sheet(title)
        for row in rows:
            sheet.append(row)
    workbook.save(path)


def write_pdf(path: Path, title: str, lines: list[str], when: datetime) -> None:
    from fpdf import FPDF
    pdf = FPDF()
    pdf.set_creation_date(when)
    pdf.add_page()
    pdf.set_font("Helvetica", "B", 14)
    pdf.cell(0, 10, title, new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("Helvetica", size=10)
    for line in lines:
        pdf.cell(0, 6, line, new_x="LMARGIN", new_y="NEXT")
    pdf.output(str(path))


def write_text(path: Path, text: str, encoding: str = "utf-8") -> None:
    path.write_text(text, encoding=encoding)


def font(size: int):
    """DejaVu Sans (Debian's fonts-dejavu-core) or Liberation Sans at `size` px, else Pillow's own."""
    from PIL import ImageFont
    for name in FONT_FILES:
        if Path(name).exists():
            return ImageFont.truetype(name, size)
    return ImageFont.load_default(size)


def draw_business_card(lines: list[str], portrait=None, dpi: int = 300):
    """A business card (85 x 55 mm) as a picture: text lines, and a photo on the left if given."""
    from PIL import Image as PILImage, ImageDraw
    width, height = round(85 / 25.4 * dpi), round(55 / 25.4 * dpi)
    card = PILImage.new("RGB", (width, height), "white")
    left = round(height * 0.1)
    if portrait is not None:
        scale = min(width * 0.28 / portrait.width, height * 0.75 / portrait.height)
        photo = portrait.convert("RGB").resize((round(portrait.width * scale), round(portrait.height * scale)))
        card.paste(photo, (left, (height - photo.height) // 2))
        left += photo.width + round(height * 0.08)
    draw = ImageDraw.Draw(card)
    size = round(dpi * 8 / 72)  # 8 pt
    y = round(height * 0.18)
    for i, line in enumerate(lines):
        draw.text((left, y), line, fill="black", font=font(round(size * 1.4) if i == 0 else size))
        y += round(size * (2.0 if i == 0 else 1.45))
    return card


def draw_scanned_page(lines: list[str], dpi: int = 200, size_mm: tuple[int, int] = (148, 210)):
    """A page of typed text as a scanner sees it (grey-scale picture, 11 pt, at `dpi`)."""
    from PIL import Image as PILImage, ImageDraw
    width, height = round(size_mm[0] / 25.4 * dpi), round(size_mm[1] / 25.4 * dpi)
    page = PILImage.new("L", (width, height), 255)
    draw = ImageDraw.Draw(page)
    size, margin = round(11 / 72 * dpi), round(15 / 25.4 * dpi)
    y = margin
    for line in lines:
        draw.text((margin, y), line, fill=25, font=font(size))
        y += round(size * 1.5)
    return page


def write_scanned_pdf(path: Path, pages: list, dpi: int, when: datetime) -> None:
    """A PDF made of page pictures only (no text layer), as a scanner writes it."""
    from fpdf import FPDF
    pdf = FPDF(unit="mm")
    pdf.set_creation_date(when)
    for page in pages:
        w, h = page.width / dpi * 25.4, page.height / dpi * 25.4
        pdf.add_page(format=(w, h))
        pdf.image(page, x=0, y=0, w=w, h=h)
    pdf.output(str(path))


# --- the share -------------------------------------------------------------------------

class ShareBuilder:
    """Writes the share and sets every file's modification time explicitly."""

    def __init__(self, root: Path, today: date):
        self.root = root
        self.today = datetime(today.year, today.month, today.day, 10, 0, tzinfo=timezone.utc)
        self.rng = random.Random(SEED)
        self.people = People(self.rng)
        self.staff = [self.people.remember({
            "name": f"{f} {l}", "title": t, "email": f"{ascii_slug(f)[0]}{ascii_slug(l)[:2]}@interket.dk",
            "phone": phone_number(self.rng)}) for f, l, t in STAFF]
        self.stamps: list[tuple[Path, datetime]] = []

    def path(self, relative: str) -> Path:
        path = self.root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        return path

    def ago(self, days: int) -> datetime:
        return self.today - timedelta(days=days, hours=self.rng.randrange(0, 8))

    def stamped(self, relative: str, when: datetime) -> Path:
        path = self.path(relative)
        self.stamps.append((path, when))
        return path

    def signature(self) -> list[str]:
        s = self.rng.choice(self.staff)
        return ["Med venlig hilsen", s["name"], f"{s['title']}, Interket A/S", f"Direkte tlf. {s['phone']}",
                f"E-mail: {s['email']}", "Uraniavej 4, 8700 Horsens"]

    def customer_folder(self, base: str, company: str, newest: datetime) -> None:
        base = f"{base}/{folder_name(company)}"
        contacts = [self.people.contact(company) for _ in range(self.rng.randrange(2, 4))]
        main = contacts[0]
        cvr = cvr_number(self.rng)
        order_no = self.rng.randrange(400_000, 499_999)
        write_xlsx(self.stamped(f"{base}/Kontaktpersoner.xlsx", newest - timedelta(days=40)), {"Kontakter": [
            ["Navn", "Stilling", "Telefon", "E-mail"],
            *[[c["name"], c["title"], c["phone"], c["email"]] for c in contacts]]})
        write_docx(self.stamped(f"{base}/Tilbud {newest.year}-{order_no % 1000:03d}.docx", newest - timedelta(days=20)), [
            company, f"Att.: {main['name']}, {main['title']}", "",
            f"Kære {main['first']}",
            f"Tak for en god snak. Hermed tilbud på {self.rng.choice(PRODUCTS).lower()} i 25.000 stk.",
            f"Pris pr. 1.000 stk.: {self.rng.randrange(180, 900)},00 kr. ekskl. moms. Levering uge {self.rng.randrange(2, 50)}.",
            "Tilbuddet gælder i 30 dage.", "", *self.signature()], newest - timedelta(days=20))
        write_pdf(self.stamped(f"{base}/Ordrebekræftelse {order_no}.pdf", newest), "Ordrebekræftelse", [
            f"Ordrenr.: {order_no}    Dato: {newest:%d-%m-%Y}",
            f"Kunde: {company}, CVR {cvr}",
            f"Kontaktperson: {main['name']}, {main['email']}",
            f"Varenr. {self.rng.randrange(10000, 99999)}  {self.rng.choice(PRODUCTS)}  25.000 stk.",
            f"I alt: {self.rng.randrange(5_000, 40_000)}.{self.rng.randrange(100, 999)},00 kr.",
            "Betaling: netto 30 dage. Bank: se faktura."], newest)
        write_text(self.stamped(f"{base}/Noter.txt", newest - timedelta(days=5)), "\n".join([
            f"Møde med {main['name']} ({main['title']}) {newest - timedelta(days=30):%d.%m.%Y}.",
            f"{main['first']} {main['interest']}.",
            f"Ring på mobil {main['phone']} hvis levering slipper op.", ""]))

    def build(self) -> None:
        self.root.mkdir(parents=True, exist_ok=True)
        (self.root / MARKER).write_text("Generated by datakort's sample generator; safe to delete.\n")
        for i, company in enumerate(ACTIVE):
            self.customer_folder("Kunder/Aktive", company, self.ago(10 + 25 * i))
        # Undeclared category: a CPR number noted in an active customer's folder.
        buyer = self.people.employee()
        write_text(self.stamped("Kunder/Aktive/Vestjysk Mejeri AS/Kreditvurdering.txt", self.ago(60)),
                   f"Kreditvurdering af indehaver {buyer['name']}\nCPR-nr.: {buyer['cpr']}\n"
                   "Vurdering: OK, kreditgrænse 50.000 kr.\n")
        # Corrupt Word file: a zip header followed by garbage.
        corrupt = self.stamped(PLANTED["corrupt"][0], self.ago(30))
        corrupt.write_bytes(b"PK\x03\x04" + bytes(self.rng.randrange(256) for _ in range(2000)))
        for company, years in FORMER.items():
            self.customer_folder("Kunder/Tidligere", company, self.ago(365 * years + 30))
        self.finance()
        self.payroll()
        self.decoy()
        self.retention_clocks()
        self.pictures()
        self.mail()
        for path, when in self.stamps:
            _stamp(path, when)

    def finance(self) -> None:
        rows = ["Kundenr;Firma;CVR;Kontaktperson;E-mail;Telefon;Saldo"]
        for company in ACTIVE + list(FORMER):
            c = self.people.contact(company)
            rows.append(f"{self.rng.randrange(10000, 20000)};{company};{cvr_number(self.rng)};{c['name']};"
                        f"{c['email']};{c['phone']};{self.rng.randrange(0, 90000)},{self.rng.randrange(10, 99)}")
        write_text(self.stamped("Økonomi/Eksport/Debitorliste 2026-10.csv", self.ago(25)), "\n".join(rows) + "\n",
                   encoding="cp1252")
        postings = [["Bilag", "Dato", "Konto", "Tekst", "Beløb"]]
        for n in range(40):
            day = self.ago(300 - 7 * n)
            postings.append([20260000 + n * 13, day.strftime("%d-%m-%Y"), self.rng.choice([1010, 2210, 5510, 6100]),
                             self.rng.choice(["Salg etiketter", "Fragt", "Husleje", "Folie"]),
                             round(self.rng.uniform(-50_000, 120_000), 2)])
        write_xlsx(self.stamped("Økonomi/Bogføring/Posteringer 2026.xlsx", self.ago(3)), {"Posteringer": postings})

    def payroll(self) -> None:
        staff = [self.people.employee() for _ in range(6)]
        rows = [["Navn", "CPR-nr.", "Adresse", "Månedsløn"]] + [[e["name"], e["cpr"], e["address"], e["salary"]] for e in staff]
        write_xlsx(self.stamped("Diverse/Gamle lønlister/Lønliste 2016.xlsx", self.ago(365 * 10)), {"Løn": rows})
        write_text(self.stamped("Diverse/Gamle lønlister/Lønsedler til revisor.txt", self.ago(365 * 10 - 20)),
                   "\n".join(f"{e['name']} – personnummer {e['cpr']} – udbetalt {e['salary']} kr." for e in staff) + "\n")

    def decoy(self) -> None:
        """Numbers that look like CPR, phone or CVR numbers but are item, order and batch numbers."""
        lines = ["Varekatalog – intern prisliste", ""]
        rows = ["Varenr;EAN;Beskrivelse;Pris;Sidst ændret"]
        for n in range(30):
            ean = f"57{self.rng.randrange(10**10, 10**11)}"
            rows.append(f"{self.rng.randrange(10000, 99999)};{ean};{self.rng.choice(PRODUCTS)};"
                        f"{self.rng.randrange(100, 9000)},{self.rng.randrange(10, 99)};{self.ago(n * 11):%d-%m-%Y}")
        for n in range(20):
            batch = self._failing_cpr_lookalike()
            lines.append(f"Ordrenr. {self.rng.randrange(10**7, 10**8)}  Batch {batch}  Lot {self.rng.randrange(10**7, 10**8)}"
                         f"  Bilag {self.rng.randrange(20190000, 20269999)}  Beløb {self.rng.randrange(1000, 99999)}.{self.rng.randrange(100, 999)},00 kr.")
        write_text(self.stamped("Arkiv/Varekatalog/Varekatalog.csv", self.ago(100)), "\n".join(rows) + "\n")
        write_text(self.stamped("Arkiv/Varekatalog/Ordreoversigt.txt", self.ago(90)), "\n".join(lines) + "\n")

    def retention_clocks(self) -> None:
        """Plants for the content-date and folder clocks, with their own random source."""
        rng = random.Random(SEED + 6)
        people = People(rng)
        company = "Nordic Kosmetik ApS"
        buyer, ordered = people.contact(company), self.today - timedelta(days=365 * 6 + 40)
        order_no = rng.randrange(300_000, 399_999)
        write_pdf(self.stamped(f"Kunder/Aktive/{folder_name(company)}/Ordrebekræftelse {order_no}.pdf",
                               self.today - timedelta(days=30)), "Ordrebekræftelse", [
            f"Ordrenr.: {order_no}    Ordredato: {ordered:%d-%m-%Y}",
            f"Kunde: {company}, CVR {cvr_number(rng)}",
            f"Kontaktperson: {buyer['name']}, {buyer['email']}",
            f"Varenr. {rng.randrange(10000, 99999)}  {rng.choice(PRODUCTS)}  10.000 stk."], ordered)
        company = "Kolding Kapsler ApS"
        base = f"Kunder/Tidligere/{folder_name(company)}"
        contacts = [people.contact(company) for _ in range(2)]
        old = self.today - timedelta(days=365 * 8)
        write_xlsx(self.stamped(f"{base}/Kontaktpersoner.xlsx", old), {"Kontakter": [
            ["Navn", "Stilling", "Telefon", "E-mail"], *[[c["name"], c["title"], c["phone"], c["email"]] for c in contacts]]})
        write_text(self.stamped(f"{base}/Noter.txt", old + timedelta(days=3)),
                   f"Ring til {contacts[0]['name']} på {contacts[0]['phone']} om kapsler.\n")
        write_text(self.stamped(f"{base}/Reklamation.txt", self.today - timedelta(days=300)),
                   "Reklamation over levering af kapsler (parti 7). Sag afsluttet med kreditnota.\n")
        for kind, values in people.written.items():
            self.people.written[kind] |= values

    def pictures(self) -> None:
        """Business cards (with and without photo) and a scanned letter, with their own random
        numbers so the rest of the share does not change."""
        from PIL import Image as PILImage
        rng = random.Random(SEED + 5)
        people = People(rng)
        company = "Nordic Kosmetik ApS"
        with_photo, without_photo, writer = (people.contact(company) for _ in range(3))
        for kind, values in people.written.items():
            self.people.written[kind] |= values
        when = self.today - timedelta(days=45, hours=rng.randrange(0, 8))

        def card(p: dict) -> list[str]:
            return [p["name"], p["title"], company, f"Tlf. {p['phone']}", p["email"]]

        draw_business_card(card(with_photo), PILImage.open(PORTRAIT)).save(
            self.stamped(PLANTED["business_card_with_photo"], when), quality=90)
        draw_business_card(card(without_photo)).save(self.stamped(PLANTED["business_card_without_photo"], when))
        letter = draw_scanned_page([
            company, "Att.: Indkøbsafdelingen", "", "Vedrørende levering af æsker til sæbe",
            "", "Kære Interket", "", "Vi bekræfter hermed ordren på 20.000 etiketter,",
            "som aftalt på mødet i sidste uge. Kontakt os gerne,", "hvis der er spørgsmål til tryk eller farver.",
            "", "Med venlig hilsen", writer["name"], f"Telefon {writer['phone']}", f"E-mail {writer['email']}"])
        write_scanned_pdf(self.stamped(PLANTED["scanned_letter"], when), [letter], 200, when)

    def mail(self) -> None:
        """Mailbox exports and an Outlook item: message dates, not file dates, start the mail clock.

        Uses its own random generator so the values planted before it do not change."""
        from email.message import EmailMessage

        from aspose.email_foss.msg import MapiMessage

        rng = random.Random(SEED + 4)
        people = People(rng)
        staff = self.staff[0]

        def message(sender: dict, subject: str, sent: datetime, body: list[str]) -> EmailMessage:
            m = EmailMessage()
            m["From"] = f"{sender['name']} <{sender['email']}>"
            m["To"] = f"{staff['name']} <{staff['email']}>"
            m["Subject"] = subject
            m["Date"] = sent.strftime("%a, %d %b %Y %H:%M:%S +0000")
            m.set_content("\n".join([f"Hej {staff['name'].split()[0]}", "", *body, "", "Venlig hilsen",
                                      sender["name"], f"Tlf. {sender['phone']}", ""]))
            return m

        def attach(m: EmailMessage, path: Path, name: str) -> None:
            m.add_attachment(path.read_bytes(), maintype="application", subtype="octet-stream", filename=name)

        def office_file(name: str, write) -> Path:
            path = self.root / ".mail-tmp" / name
            path.parent.mkdir(parents=True, exist_ok=True)
            write(path)
            return path

        def sent_ago(days: int) -> datetime:
            return self.today - timedelta(days=days, hours=rng.randrange(1, 9), minutes=rng.randrange(60))

        active = [people.contact(c) for c in ACTIVE]
        old_sent = sent_ago(365 * 6 + 40)
        mbox, old_subject = PLANTED["mail_overdue_message"]
        box = [message(active[0], old_subject, old_sent,
                       ["Etiketterne fra sidste levering slipper flasken.", "Kan I ringe mig op?"])]
        order = message(active[1], "Bestilling og kontaktliste", sent_ago(20),
                        ["Hermed vores bestilling og en opdateret kontaktliste."])
        attach(order, office_file("bestilling.docx", lambda p: write_docx(p, [
            "Bestilling", f"Kontakt: {active[1]['name']}, {active[1]['email']}"], sent_ago(21))), "Bestilling.docx")
        attach(order, office_file("kontakter.xlsx", lambda p: write_xlsx(p, {"Kontakter": [
            ["Navn", "Telefon", "E-mail"], *[[c["name"], c["phone"], c["email"]] for c in active[1:3]]]})),
               "Kontaktliste.xlsx")
        box.append(order)
        box.append(message(active[2], "Prøvetryk", sent_ago(8), ["Prøvetrykket ser fint ud."]))
        with open(self.stamped(mbox, self.today - timedelta(days=6)), "wb") as f:
            for m in box:
                f.write(f"From {m['From'].addresses[0].addr_spec} {m['Date']}\n".encode())
                f.write(m.as_bytes().replace(b"\nFrom ", b"\n>From ") + b"\n")
        recent = message(active[3], "Nyt tilbud ønskes", sent_ago(3), ["Kan I give tilbud på 10.000 etiketter?"])
        attach(recent, office_file("krav.docx", lambda p: write_docx(p, [
            "Kravspecifikation", f"Spørgsmål til {active[3]['email']}"], sent_ago(4))), "Kravspecifikation.docx")
        self.stamped("Mail/Indbakke/Nyt tilbud ønskes.eml", self.today - timedelta(days=3)).write_bytes(recent.as_bytes())

        former = people.contact("Fjordkøkken A/S")
        msg_sent = sent_ago(365 * 8)
        inner = message(former, "Videresendt: ordrehistorik", msg_sent - timedelta(days=2),
                        ["Se vedhæftede ordrehistorik."])
        attach(inner, office_file("historik.docx", lambda p: write_docx(p, ["Ordrehistorik"], msg_sent, table=[
            ["Kontaktperson", "Telefon"], [former["name"], former["phone"]]])), "Ordrehistorik.docx")
        outer = message(former, "Reklamation", msg_sent, ["Vi reklamerer over levering.", "Se min tidligere mail."])
        outer.add_attachment(inner)
        msg_path = self.stamped(PLANTED["mail_msg"], msg_sent)
        MapiMessage.from_email_message(outer).save(msg_path)

        archive = self.stamped(PLANTED["mail_zip"], self.today - timedelta(days=15))
        with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as z:
            for n, contact in enumerate(people.contact("Gudenå Kaffe I/S") for _ in range(2)):
                docx_path = office_file(f"tilbud{n}.docx", lambda p, c=contact: write_docx(p, [
                    "Gudenå Kaffe I/S", f"Att.: {c['email']}", "Tilbud på kaffeposer med etiket."], sent_ago(30)))
                info = zipfile.ZipInfo(f"Tilbud {2026 - n}/Tilbud {n + 1}.docx", (self.today - timedelta(days=30 + n)).timetuple()[:6])
                z.writestr(info, docx_path.read_bytes(), zipfile.ZIP_DEFLATED)
        shutil.rmtree(self.root / ".mail-tmp")
        for kind, values in people.written.items():
            self.people.written[kind] |= values

    def _failing_cpr_lookalike(self) -> str:
        """DDMMYY-SSSS with a real date that fails modulus-11 and is no 1 January exception date."""
        while True:
            born = date(1970, 1, 2) + timedelta(days=self.rng.randrange(0, 365 * 30))
            digits = f"{born:%d%m%y}{self.rng.randrange(0, 4)}{self.rng.randrange(0, 1000):03d}"
            if sum(int(d) * w for d, w in zip(digits, (4, 3, 2, 7, 6, 5, 4, 3, 2, 1))) % 11:
                return f"{digits[:6]}-{digits[6:]}"


def make_share(root: str | Path, today: date) -> dict[str, set[str]]:
    """Write the sample share under `root` with dates relative to `today`.

    Returns the personal values written, by kind (name, phone, email, cpr), so a test can
    check that none of them leaks into what the scanner writes."""
    builder = ShareBuilder(Path(root), today)
    builder.build()
    return builder.people.written


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit(__doc__.rsplit("Usage: ", 1)[1])
    make_share(sys.argv[1], date(2026, 11, 1))
    print(sys.argv[1])
