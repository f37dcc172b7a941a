"""A labelled corpus of Danish business text for measuring the recognisers.

`corpus(n_docs, seed)` returns documents, each a text and its gold entities
(type, start, end). The documents are what a company share is full of: e-mails with
signatures, contact tables (as `Header: value` rows, the way datakort extracts them),
HR letters, meeting notes in prose (products, companies named after people, capitalised
words that are not names), invoices and order confirmations with many look-alike numbers (order,
invoice, item, EAN and account numbers, dates, amounts) that must NOT be reported.
Look-alikes are labelled too (type `LOOKALIKE`), so the benchmark can count CPR
numbers reported on them.

Names and streets come from Faker's da_DK provider, which datakort's name lists are
not derived from; CPR, CVR, phone and IBAN numbers are generated valid; addresses use
real postcode/town pairs.
"""
from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date, timedelta

from faker import Faker

from detectors.recognizers.lists import postcodes

CPR_WEIGHTS = (4, 3, 2, 7, 6, 5, 4, 3, 2, 1)
CVR_WEIGHTS = (2, 7, 6, 5, 4, 3, 2, 1)


@dataclass
class Doc:
    """A text being written, with its gold entity spans."""

    kind: str
    text: str = ""
    gold: list[tuple[str, int, int]] = field(default_factory=list)

    def add(self, piece: str, label: str | None = None) -> "Doc":
        if label:
            self.gold.append((label, len(self.text), len(self.text) + len(piece)))
        self.text += piece
        return self

    def line(self, *parts) -> "Doc":
        """Add parts (plain strings or (text, label) pairs) and a newline."""
        for p in parts:
            self.add(*p) if isinstance(p, tuple) else self.add(p)
        return self.add("\n")


class Maker:
    """Random Danish business values, reproducible from a seed."""

    def __init__(self, seed: int):
        self.rng = random.Random(seed)
        self.faker = Faker("da_DK")
        self.faker.seed_instance(seed)
        self.towns = sorted(postcodes().items())

    def name(self) -> str:
        first = self.faker.first_name()
        if self.rng.random() < 0.15:
            first = f"{first}-{self.faker.first_name()}" if self.rng.random() < 0.5 else f"{first} {self.faker.first_name()}"
        last = self.faker.last_name()
        if self.rng.random() < 0.1:
            last = f"{self.faker.last_name()}-{last}"
        return f"{first} {last}"

    def cpr(self, mod11: bool = True) -> str:
        while True:
            born = date(1940, 1, 1) + timedelta(days=self.rng.randrange(0, 365 * 60))
            seventh = self.rng.choice((0, 1, 2, 3)) if born.year < 2000 else self.rng.choice((4, 9))
            digits = f"{born:%d%m%y}{seventh}{self.rng.randrange(1000):03d}"
            if (sum(int(d) * w for d, w in zip(digits, CPR_WEIGHTS)) % 11 == 0) == mod11:
                return self.rng.choice((f"{digits[:6]}-{digits[6:]}", digits, f"{digits[:6]} {digits[6:]}"))

    def cvr(self) -> str:
        while True:
            digits = f"{self.rng.randrange(1, 10)}{self.rng.randrange(10 ** 7):07d}"
            if sum(int(d) * w for d, w in zip(digits, CVR_WEIGHTS)) % 11 == 0:
                return digits

    def phone(self) -> str:
        d = self.rng.choice("2345678") + "".join(str(self.rng.randrange(10)) for _ in range(7))
        return self.rng.choice((f"{d[:2]} {d[2:4]} {d[4:6]} {d[6:]}", d, f"+45 {d[:2]} {d[2:4]} {d[4:6]} {d[6:]}",
                                f"{d[:4]} {d[4:]}", f"+45{d}", f"(+45) {d[:4]} {d[4:]}"))

    def email(self, name: str, domain: str) -> str:
        slug = name.lower().replace("æ", "ae").replace("ø", "oe").replace("å", "aa").replace("-", "")
        first, *_, last = slug.split()
        return self.rng.choice((f"{first}.{last}@{domain}", f"{first[0]}{last[:3]}@{domain}", f"{first}@{domain}"))

    def address(self) -> str:
        code, town = self.rng.choice(self.towns)
        floor = self.rng.choice(("", "", ", 1. th.", ", st. tv.", ", 2. mf.", ", 3."))
        sep = self.rng.choice((", ", "\n"))
        return f"{self.faker.street_name()} {self.rng.randrange(1, 180)}{self.rng.choice(('', '', 'A', 'B'))}{floor}{sep}{code} {town}"

    def iban(self) -> str:
        bban = f"{self.rng.randrange(1000, 9999)}{self.rng.randrange(10 ** 9, 10 ** 10)}"
        check = 98 - int(bban + "1320" + "00") % 97  # "DK00" moved to the end, D=13, K=20
        s = f"DK{check:02d}{bban}"
        return " ".join(s[i:i + 4] for i in range(0, len(s), 4))

    def company(self) -> tuple[str, str]:
        name = f"{self.faker.last_name()} {self.rng.choice(('Bryghus', 'Mejeri', 'Emballage', 'Catering', 'Transport', 'Byg', 'IT'))}"
        return f"{name} {self.rng.choice(('A/S', 'ApS', 'I/S'))}", name.split()[0].lower() + ".dk"

    def digits(self, n: int) -> str:
        return str(self.rng.randrange(10 ** (n - 1), 10 ** n))

    def amount(self) -> str:
        return f"{self.rng.randrange(100, 999999):,}".replace(",", ".") + f",{self.rng.randrange(100):02d}"


def email_doc(m: Maker) -> Doc:
    d = Doc("email")
    sender, recipient = m.name(), m.name()
    company, domain = m.company()
    d.line("Fra: ", (sender, "PERSON"), " <", (m.email(sender, domain), "EMAIL_ADDRESS"), ">")
    d.line("Emne: Vedr. ordre ", (m.digits(6), "LOOKALIKE"))
    d.line()
    d.line(m.rng.choice(("Hej ", "Kære ")), (recipient.split()[0], "PERSON"))
    d.line()
    d.line("Tak for din henvendelse om ordre nr. ", (m.digits(8), "LOOKALIKE"), " af ",
           (f"{m.rng.randrange(1, 29):02d}-{m.rng.randrange(1, 13):02d}-{m.rng.randrange(2015, 2026)}", "LOOKALIKE"), ".")
    d.line("Beløbet på ", (m.amount(), "LOOKALIKE"), " kr. er faktureret på faktura ", (m.digits(10), "LOOKALIKE"), ".")
    if m.rng.random() < 0.5:
        colleague = m.name()
        d.line("Min kollega ", (colleague, "PERSON"), " kan også hjælpe på tlf. ", (m.phone(), "DK_PHONE"), ".")
    d.line()
    d.line(m.rng.choice(("Med venlig hilsen", "Venlig hilsen", "Mvh.", "De bedste hilsner")))
    d.line((sender, "PERSON"))
    d.line(m.rng.choice(("Salgskonsulent", "Økonomichef", "Direktør", "Lagerleder")), ", ", company)
    d.line(m.rng.choice(("Tlf. ", "Direkte: ", "Mobil: ", "Telefon ")), (m.phone(), "DK_PHONE"))
    d.line("CVR-nr. ", (m.cvr(), "DK_CVR"))
    return d


def contact_table_doc(m: Maker) -> Doc:
    d = Doc("contacts")
    company, domain = m.company()
    headers = m.rng.choice((("Navn", "Telefon", "E-mail"), ("Kontaktperson", "Mobil", "Mail"), ("Navn", "Tlf.", "E-mail")))
    for _ in range(m.rng.randrange(3, 8)):
        name = m.name()
        d.line(f"Kundenr.: ", (m.digits(5), "LOOKALIKE"))
        d.line(f"{headers[0]}: ", (name, "PERSON"))
        d.line(f"{headers[1]}: ", (m.phone(), "DK_PHONE"))
        d.line(f"{headers[2]}: ", (m.email(name, domain), "EMAIL_ADDRESS"))
        d.line("Firma: ", company)
        d.line("CVR: ", (m.cvr(), "DK_CVR"))
    return d


def hr_letter_doc(m: Maker) -> Doc:
    d = Doc("hr")
    name = m.name()
    d.line("Personaleafdelingen, ", m.company()[0])
    d.line((name, "PERSON"))
    d.line((m.address(), "DK_ADDRESS"))
    d.line()
    d.line("Vedr.: ansættelse, medarbejdernr. ", (m.digits(6), "LOOKALIKE"))
    d.line("CPR-nr.: ", (m.cpr(), "DK_CPR"))
    d.line()
    d.line("Kære ", (name.split()[0], "PERSON"))
    d.line()
    d.line("Vi bekræfter hermed din ansættelse fra den ",
           (f"{m.rng.randrange(1, 29)}.{m.rng.randrange(1, 13)}.{m.rng.randrange(2015, 2026)}", "LOOKALIKE"),
           ". Løn udbetales til reg.nr. ", (f"{m.rng.randrange(1000, 9999)} {m.digits(10)}", "DK_BANK_ACCOUNT"), ".")
    if m.rng.random() < 0.5:
        d.line("Din nærmeste leder er ", (m.name(), "PERSON"), ", som du kan ringe til på ", (m.phone(), "DK_PHONE"), ".")
    if m.rng.random() < 0.4:
        d.line("Vi har noteret, at du er ", ("sygemeldt", "DK_HEALTH"), " til og med fredag.")
    d.line("Pårørende: ", (m.name(), "PERSON"), ", telefon ", (m.phone(), "DK_PHONE"))
    d.line()
    d.line("Med venlig hilsen")
    d.line((m.name(), "PERSON"))
    d.line("HR-konsulent")
    return d


def invoice_doc(m: Maker) -> Doc:
    d = Doc("invoice")
    company, domain = m.company()
    buyer = m.name()
    d.line("FAKTURA ", (m.digits(7), "LOOKALIKE"))
    d.line(company, ", CVR ", (m.cvr(), "DK_CVR"))
    d.line("Fakturadato: ", (f"{m.rng.randrange(2015, 2026)}-{m.rng.randrange(1, 13):02d}-{m.rng.randrange(1, 29):02d}", "LOOKALIKE"))
    d.line("Ordrenr.: ", (f"{m.rng.randrange(1, 29):02d}{m.rng.randrange(1, 13):02d}{m.rng.randrange(50, 99)}-{m.digits(4)}", "LOOKALIKE"))
    d.line("Att.: ", (buyer, "PERSON"))
    d.line((m.address(), "DK_ADDRESS"))
    d.line()
    for _ in range(m.rng.randrange(3, 9)):
        d.line("Varenr. ", (m.digits(8), "LOOKALIKE"), "  EAN ", (m.digits(13), "LOOKALIKE"), "  ",
               str(m.rng.randrange(1, 50)), " stk. à ", (m.amount(), "LOOKALIKE"), " kr.")
    d.line("I alt: ", (m.amount(), "LOOKALIKE"), " kr.  Moms: ", (m.amount(), "LOOKALIKE"))
    d.line("Betaling til ", ("IBAN ", None), (m.iban(), "IBAN_CODE"), ", betalingsfrist ", str(m.rng.randrange(8, 31)), " dage.")
    d.line("Spørgsmål: ring på ", (m.phone(), "DK_PHONE"), " eller skriv til ", (m.email(m.name(), domain), "EMAIL_ADDRESS"))
    return d


def order_confirmation_doc(m: Maker) -> Doc:
    d = Doc("order")
    d.line("Ordrebekræftelse ", (m.digits(6), "LOOKALIKE"), " – sag ", (f"{m.digits(6)}-{m.digits(4)}", "LOOKALIKE"))
    d.line("Lot ", (m.digits(10), "LOOKALIKE"), "  Batch ", (f"{m.digits(6)} {m.digits(4)}", "LOOKALIKE"))
    d.line("Kundenummer ", (m.digits(8), "LOOKALIKE"), ", konto ", (m.digits(8), "LOOKALIKE"))
    d.line("Leveringsdato ", (f"{m.rng.randrange(1, 29):02d}.{m.rng.randrange(1, 13):02d}.{m.rng.randrange(2015, 2026)}", "LOOKALIKE"),
           ", tracking ", (m.digits(10), "LOOKALIKE"))
    d.line("Kontakt hos os: ", (m.name(), "PERSON"), ", direkte ", (m.phone(), "DK_PHONE"))
    d.line("Leveres til: ", (m.address(), "DK_ADDRESS"))
    d.line("Pris i alt ", (m.amount(), "LOOKALIKE"), " kr. (", (m.digits(8), "LOOKALIKE"), " point)")
    return d


PRODUCTS = ("Kaffe Mørk Rist 500 g", "Pakke Stor Hvid", "Emballage Type Nord", "Bakke Grøn 40x60",
            "Flaske Klar 33 cl", "Låg Sort", "Kasse Brun Standard", "Etiket Guld")
OPENERS = ("Vi har", "Derfor har", "Som aftalt har", "Her er", "Bemærk at", "Desuden har", "Endelig har")


def notes_doc(m: Maker) -> Doc:
    """Meeting notes in running prose: capitalised non-names, companies named after people,
    products, bare numbers, and personal details about a named person."""
    d = Doc("notes")
    company, _ = m.company()
    person, other = m.name(), m.name()
    d.line("Referat af møde ", (f"{m.rng.randrange(1, 29)}.{m.rng.randrange(1, 13)}.{m.rng.randrange(2019, 2026)}", "LOOKALIKE"))
    d.line(m.rng.choice(OPENERS), " talt med ", (person, "PERSON"), " fra ", company, " om varen ",
           m.rng.choice(PRODUCTS), ", varenummer ", (m.digits(8), "LOOKALIKE"), ".")
    d.line(f"{m.faker.last_name()}s Bageri og {m.faker.last_name()} & Søn ApS har bestilt ",
           str(m.rng.randrange(2, 90)), " stk. af ", m.rng.choice(PRODUCTS), ".")
    d.line("Ring til ", (other.split()[0], "PERSON"), " på ", (m.phone(), "DK_PHONE"), " hvis lageret (",
           (m.digits(8), "LOOKALIKE"), ") løber tør.")
    choice = m.rng.randrange(4)
    if choice == 0:
        d.line((person.split()[0], "PERSON"), " fortalte, at hun er ", ("gift med", "DK_PERSONAL_DETAILS"), " en kollega.")
    elif choice == 1:
        d.line("Medarbejderen har fremvist ", ("straffeattest", "DK_CRIMINAL"), " uden anmærkninger.")
    elif choice == 2:
        d.line("Han er ", ("tillidsrepræsentant", "DK_TRADE_UNION"), " og deltager derfor i mødet.")
    else:
        d.line("Næste møde holdes i ", m.rng.choice(("Horsens", "Aarhus", "Vejle", "København")), " hos ", company, ".")
    d.line("Personnummer ", (m.cpr(), "DK_CPR"), " er rettet i lønsystemet.") if m.rng.random() < 0.3 else None
    d.line("Ordre ", (m.cpr(), "LOOKALIKE"), " og ", (m.digits(10), "LOOKALIKE"), " er sendt.")
    return d


KINDS = (email_doc, contact_table_doc, hr_letter_doc, invoice_doc, order_confirmation_doc, notes_doc)


def corpus(n_docs: int = 500, seed: int = 7) -> list[Doc]:
    """`n_docs` labelled documents, the kinds in turn."""
    m = Maker(seed)
    return [KINDS[i % len(KINDS)](m) for i in range(n_docs)]


if __name__ == "__main__":
    for doc in corpus(5):
        print(f"--- {doc.kind}\n{doc.text}")
        print([(t, doc.text[s:e]) for t, s, e in doc.gold if t != "LOOKALIKE"])
