"""A second, realistic corpus of Danish business documents, annotated before any detector runs.

Written independently of the generated benchmark corpus (bench/corpus.py) and of the sample
share generator: its own templates, wording and layouts, so a recogniser cannot pass by
fitting one template. Kinds: sick-leave records, emergency-contact tables, contact lists
with a notes column, CVs, payslips, meeting minutes, letters, mail threads, quotes and
order confirmations, an English README, lists of P-numbers and of customer/order numbers.

Every document carries
- gold spans (entity type, start, end) for `DK_CPR`, `DK_PHONE`, `EMAIL_ADDRESS`, `PERSON`
  and `DK_ADDRESS` (street, number, floor/door, postcode and town), put down while the
  text is written (`Ent` pieces), never taken from a detector;
- two document labels: `health` (it holds health data about a person) and `interests`
  (it holds interests or personal details: hobbies, family, relatives);
- its segments, as the extractor would hand them to detection: a table row is one
  segment with its cells written as `header: value` (scanner/extract/text.py
  `table_rows`); a text file, a mail body or a PDF page is one segment.

CPR numbers follow the rules: a real date, the century from the 7th digit, and modulus 11,
or one of cpr.dk's 1 January birth dates issued without modulus 11 (`MOD11_FREE_DATES`).
Postcode/town pairs come from detectors/data/dk_postcodes.tsv (read as data). Everything
is drawn from one `random.Random(seed)`: the same seed gives the same corpus.
"""
from __future__ import annotations

import random
import re
import unicodedata
from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache
from pathlib import Path

POSTCODES_TSV = Path(__file__).resolve().parents[1] / "detectors" / "data" / "dk_postcodes.tsv"
GOLD_TYPES = ("DK_CPR", "DK_PHONE", "EMAIL_ADDRESS", "PERSON", "DK_ADDRESS")
SEGMENT_SEP = "\n"  # between segments in Doc.text (detection reads each segment alone)

# ---------------------------------------------------------------------------------------------
# CPR rules (cpr.dk): date DDMMYY, century from the 7th digit, modulus 11 with these weights,
# except numbers issued for people born on these 1 January dates, which need not pass it.
CPR_WEIGHTS = (4, 3, 2, 7, 6, 5, 4, 3, 2, 1)
MOD11_FREE_DATES = frozenset(date(y, 1, 1) for y in (
    1960, 1964, 1965, 1966, 1969, 1970, 1974, 1980, 1982, 1984, 1985, 1986, 1987, 1988, 1989, 1990, 1991, 1992))


def cpr_birth_date(digits: str) -> date | None:
    """The birth date a 10-digit CPR encodes (day, month, year and the 7th digit's
    century), or None when there is no such date."""
    if not re.fullmatch(r"\d{10}", digits):
        return None
    day, month, yy, seventh = int(digits[:2]), int(digits[2:4]), int(digits[4:6]), int(digits[6])
    if seventh <= 3:
        century = 1900
    elif seventh in (4, 9):
        century = 2000 if yy <= 36 else 1900
    else:
        century = 2000 if yy <= 57 else 1800
    try:
        return date(century + yy, month, day)
    except ValueError:
        return None


def cpr_mod11(digits: str) -> bool:
    return sum(w * int(d) for w, d in zip(CPR_WEIGHTS, digits)) % 11 == 0


def cpr_valid(digits: str, today: date | None = None) -> bool:
    """A CPR number by the rules: a real birth date not in the future, and modulus 11 or a
    modulus-11-free 1 January date."""
    born = cpr_birth_date(digits)
    if born is None or born > (today or date.today()):
        return False
    return cpr_mod11(digits) or born in MOD11_FREE_DATES


def _seventh_digits(year: int) -> list[int]:
    yy = year % 100
    if 1900 <= year <= 1999:
        return [0, 1, 2, 3] + ([4, 9] if yy >= 37 else [])
    if 2000 <= year <= 2036:
        return [4, 9] + ([5, 6, 7, 8] if yy <= 57 else [])
    return [5, 6, 7, 8]


def make_cpr(rng: random.Random, born: date) -> str:
    """A CPR number for someone born on `born` that passes modulus 11."""
    head = born.strftime("%d%m%y")
    while True:
        body = head + str(rng.choice(_seventh_digits(born.year))) + f"{rng.randrange(100):02d}"
        check = -sum(w * int(d) for w, d in zip(CPR_WEIGHTS, body)) % 11
        if check < 10:
            return body + str(check)


def make_mod11_free_cpr(rng: random.Random) -> str:
    """A CPR number born on a modulus-11-free 1 January that fails modulus 11 (as issued)."""
    born = rng.choice(sorted(MOD11_FREE_DATES))
    while True:
        digits = born.strftime("%d%m%y") + str(rng.choice(_seventh_digits(born.year))) + f"{rng.randrange(1000):03d}"
        if not cpr_mod11(digits):
            return digits


# ---------------------------------------------------------------------------------------------
# Names: Danish, other European, Middle-Eastern and Asian. First names that are also Danish
# words (Mark, Bo, Said, Kim, Per, Ib, Sten) and surnames that are words (Skov, Holm, Krogh)
# are in the lists on purpose.
DANISH_FIRST = ("Mette Anne Kirsten Hanne Susanne Lene Camilla Line Louise Sofie Ida Freja Karen Birgitte Tove Inger "
                "Dorthe Lisbeth Pernille Malene Trine Signe Astrid Vibeke Gitte Jytte Jens Peter Lars Søren Niels "
                "Henrik Thomas Rasmus Mads Frederik Kasper Jesper Morten Anders Jakob Tage Bent Svend Poul Mark Bo "
                "Kim Ib Per Finn Sten Ulrik Torben Villads Asger Magnus Emil Oliver Troels Kresten").split()
DANISH_LAST = ("Jensen Nielsen Hansen Pedersen Andersen Christensen Larsen Sørensen Rasmussen Jørgensen Petersen "
               "Madsen Kristensen Olsen Thomsen Poulsen Johansen Møller Mortensen Knudsen Jakobsen Krogh Lauridsen "
               "Bach Holm Skov Dahl Lund Vestergaard Kjær Bundgaard Thygesen Ravn Friis Juul Brandt Gregersen "
               "Sagild Refsgaard Paulsen Frandsen Overgaard Kirkegaard Damgaard Bech Mikkelsen Winther Iversen").split()
# Other origins as (first names, surnames) of one language, so a name is one a person could have
FOREIGN = {
    "eu": [("Katarzyna Piotr Agnieszka Tomasz Marta", "Kowalski Nowak Wiśniewska Zielińska"),
           ("Klaus Jürgen Ute Sabine Lukas", "Müller Schmidt Becker Fischer"),
           ("Giulia Marco Matteo Elena", "Rossi Bianchi Esposito"),
           ("Ingrid Linnea Olav Sigrid Erik", "Lindqvist Eriksson Haugen Berg"),
           ("Siobhan Declan Aoife", "O'Brien Murphy Byrne"),
           ("Sophie Pierre Camille", "Dubois Lefèvre Moreau"),
           ("Ana João Inês", "Ferreira Santos Oliveira"),
           ("Dmitri Olena Oksana", "Kovalenko Shevchenko Bondarenko")],
    "me": [("Ahmad Mohammed Fatima Leila Yusuf Omar Zainab Hassan Aisha Karim Said Mariam Ali Nour Rania Tarek Samira Bilal",
            "Al-Hassan Haddad Hussein Khalil Nasser Abdullah Jaber Mansour Saleh Aziz"),
           ("Emre Ayşe Mehmet Elif Zeynep", "Demir Yılmaz Öztürk Kaya Çelik"),
           ("Reza Shirin Dariush Leila", "Rahimi Karimi Hosseini Ahmadi")],
    "as": [("Wei Mei Lan Jun", "Chen Wang Zhang Liu"), ("Hiroshi Yuki Kenji Aiko", "Tanaka Sato Suzuki"),
           ("Priya Arjun Ravi Sunita", "Sharma Patel Singh Gupta"), ("Anh Minh Thanh Linh", "Nguyen Tran Le Hoang"),
           ("Ji-woo Min-jun Seo-yeon", "Kim Park Lee Choi"), ("Siti Farhan Nurul", "Rahman Abdullah Hassan")],
}
ORIGIN_WEIGHTS = (("da", 60), ("eu", 15), ("me", 15), ("as", 10))


@dataclass(frozen=True)
class Person:
    first: str
    last: str
    middle: str = ""

    @property
    def full(self) -> str:
        return " ".join(p for p in (self.first, self.middle, self.last) if p)


def make_person(rng: random.Random) -> Person:
    origin = rng.choices([o for o, _ in ORIGIN_WEIGHTS], [w for _, w in ORIGIN_WEIGHTS])[0]
    if origin == "da":
        middle = rng.choice(DANISH_LAST) if rng.random() < 0.15 else ""
        return Person(rng.choice(DANISH_FIRST), rng.choice(DANISH_LAST), middle)
    firsts, lasts = rng.choice(FOREIGN[origin])
    last = rng.choice(DANISH_LAST) if rng.random() < 0.1 else rng.choice(lasts.split())  # married into a Danish name
    return Person(rng.choice(firsts.split()), last)


def ascii_fold(text: str) -> str:
    """Text as it goes into an e-mail address: æ ø å spelt ae oe aa, other accents dropped."""
    text = text.lower().replace("æ", "ae").replace("ø", "oe").replace("å", "aa").replace("ı", "i")
    text = unicodedata.normalize("NFKD", text)
    return re.sub(r"[^a-z0-9.\-]", "", "".join(c for c in text if not unicodedata.combining(c)))


# ---------------------------------------------------------------------------------------------
# Text with gold spans
@dataclass(frozen=True)
class Ent:
    """A piece of text that is a gold entity of `type`."""

    type: str
    text: str


Run = list  # a segment being written: str and Ent pieces


@dataclass(frozen=True)
class Gold:
    type: str
    start: int
    end: int


@dataclass(frozen=True)
class Doc:
    id: str
    kind: str
    layout: str
    text: str
    segments: tuple[tuple[int, int], ...]  # (start, end) of each segment in `text`
    gold: tuple[Gold, ...]
    health: bool
    interests: bool

    def segment_texts(self) -> list[str]:
        return [self.text[s:e] for s, e in self.segments]


def render(doc_id: str, kind: str, layout: str, runs: list[Run], health: bool, interests: bool) -> Doc:
    """A Doc from segments written as runs of text and Ent pieces."""
    text, gold, segments = "", [], []
    for n, run in enumerate(runs):
        if n:
            text += SEGMENT_SEP
        start = len(text)
        for piece in run:
            if isinstance(piece, Ent):
                gold.append(Gold(piece.type, len(text), len(text) + len(piece.text)))
                text += piece.text
            else:
                text += piece
        segments.append((start, len(text)))
    return Doc(doc_id, kind, layout, text, tuple(segments), tuple(gold), health, interests)


def lines(*rows: Run | str) -> Run:
    """Rows joined by line breaks into one run."""
    out: Run = []
    for i, row in enumerate(rows):
        if i:
            out.append("\n")
        out.extend([row] if isinstance(row, str) else row)
    return out


def table_as_extracted(header: list[str], rows: list[list[Run]]) -> list[Run]:
    """Segments for a table as the extractor writes them: the header row, then one segment
    per row with each non-empty cell as `header: value` on its own line."""
    out: list[Run] = [["\n".join(h for h in header if h)]]
    for row in rows:
        run: Run = []
        for name, cell in zip(header, row):
            if cell:
                run.extend(["\n" if run else "", f"{name}: " if name else "", *cell])
        out.append([p for p in run if p != ""])
    return out


def table_as_text(header: list[str], rows: list[list[Run]], sep: str) -> Run:
    """A table as delimited text (a .txt export, a table pasted into a mail or a PDF page)."""
    quote = sep.strip() == ","  # a CSV writer quotes a cell that holds its separator
    out: Run = [sep.join(header)]
    for row in rows:
        out.append("\n")
        for i, cell in enumerate(row):
            if i:
                out.append(sep)
            quoted = quote and any("," in (p.text if isinstance(p, Ent) else p) for p in cell)
            out.extend(['"', *cell, '"'] if quoted else cell)
    return out


# ---------------------------------------------------------------------------------------------
# Values
@lru_cache(maxsize=1)
def towns() -> dict[str, list[str]]:
    """Town -> its postcodes, from the bundled list."""
    out: dict[str, list[str]] = {}
    for line in POSTCODES_TSV.read_text(encoding="utf-8").splitlines():
        if line and not line.startswith("#"):
            code, town = line.split("\t")
            out.setdefault(town, []).append(code)
    return out


def postcode_pairs() -> list[tuple[str, str]]:
    return sorted((code, town) for town, codes in towns().items() for code in codes)


STREETS = ("Vestergade Østergade Nørregade Søndergade Algade Jernbanegade Skolevej Kirkevej Møllevej Bakkevej "
           "Birkevej Egevej Lærkevej Rosenvænget Strandvejen Havnegade Industrivej Fabriksvej Åboulevarden "
           "Pilestræde Bredgade Sølvgade Ryesgade Absalonsgade Tagensvej Blegdamsvej Vesterbrogade Nørrebrogade "
           "Amagerbrogade Grønnegade Tordenskjoldsgade Engvej Mosevej Kløvervej Granvej Ahornvej Slotsgade "
           "Torvegade Hovedgaden Stationsvej Markvej Violvej").split() + [
    "H.C. Andersens Boulevard", "Niels Bohrs Allé", "Frederiksberg Allé", "Gammel Kongevej", "Sankt Mortens Gade",
    "Dronning Olgas Vej", "Peter Bangs Vej", "Ole Rømers Gade", "Kong Christians Allé", "Carl Nielsens Vej",
    "Hans Tavsens Gade", "Niels Juels Gade", "Jens Baggesens Vej", "Ved Stranden", "Gl. Køge Landevej",
    "Lille Strandstræde", "Store Kongensgade", "Ny Østergade"]
FLOORS = ("", "", "", ", 1. th.", ", 2. tv.", ", st. tv.", ", st. th.", ", 3. sal", ", 1. sal", ", 2. mf.", " 4. tv",
          ", kl.", ", st.", ", 4.", " 2 th")


def make_address(rng: random.Random, two_lines: bool = False) -> str:
    """A Danish address: street, number (maybe a letter), floor/door, postcode and a town
    of that postcode (sometimes without its district letter)."""
    if rng.random() < 0.5:  # a town, then one of its postcodes: villages as often as cities
        town = rng.choice(sorted(towns()))
        code = rng.choice(towns()[town])
    else:  # a postcode: the cities with many postcodes as often as they have them
        code, town = rng.choice(postcode_pairs())
    if re.search(r" [A-ZØ]$", town) and rng.random() < 0.25:
        town = town[:-2]
    number = str(rng.randint(1, 180)) + (rng.choice("ABC") if rng.random() < 0.1 else "")
    floor = rng.choice(FLOORS) if rng.random() < 0.6 else ""
    street = f"{rng.choice(STREETS)} {number}{floor}"
    prefix = "DK-" if rng.random() < 0.05 else ""
    if two_lines:
        return f"{street}\n{prefix}{code} {town}"
    return f"{street}{rng.choices([', ', ' ', ' - '], [80, 15, 5])[0]}{prefix}{code} {town}"


def make_phone(rng: random.Random) -> str:
    first = rng.choice("2345678992")
    d = first + "".join(rng.choice("0123456789") for _ in range(7))
    form = rng.randrange(9)
    return [f"{d[:2]} {d[2:4]} {d[4:6]} {d[6:]}", d, f"{d[:4]} {d[4:]}", f"+45 {d[:2]} {d[2:4]} {d[4:6]} {d[6:]}",
            f"+45{d}", f"(+45) {d[:4]} {d[4:]}", f"0045 {d}", f"{d[:2]}-{d[2:4]}-{d[4:6]}-{d[6:]}",
            f"+45 {d[:4]} {d[4:]}"][form]


def make_email(rng: random.Random, p: Person, domain: str) -> str:
    f, l = ascii_fold(p.first), ascii_fold(p.last.split("-")[-1])
    return rng.choice([f"{f}.{l}", f"{f[0]}{l[:3]}", f, f"{f}{l[0]}", f"{f[:2]}{l[:2]}"]) + "@" + domain


def format_cpr(rng: random.Random, digits: str) -> str:
    return rng.choices([f"{digits[:6]}-{digits[6:]}", digits, f"{digits[:6]} {digits[6:]}", f"{digits[:6]}\t{digits[6:]}"],
                       [60, 25, 12, 3])[0]


def make_born(rng: random.Random, oldest: int = 1948, youngest: int = 2004) -> date:
    return date(oldest, 1, 1) + timedelta(days=rng.randrange((date(youngest, 12, 31) - date(oldest, 1, 1)).days))


def person_cpr(rng: random.Random) -> str:
    return make_mod11_free_cpr(rng) if rng.random() < 0.06 else make_cpr(rng, make_born(rng))


MONTHS = "januar februar marts april maj juni juli august september oktober november december".split()


def a_date(rng: random.Random) -> str:
    d = date(2024, 1, 1) + timedelta(days=rng.randrange(800))
    return rng.choice([f"{d.day}. {MONTHS[d.month - 1]} {d.year}", d.strftime("%d.%m.%Y"), d.strftime("%Y-%m-%d"),
                       f"{d.day}/{d.month}-{d.year}"])


def make_cvr(rng: random.Random) -> str:
    while True:
        body = str(rng.randint(1, 9)) + "".join(rng.choice("0123456789") for _ in range(6))
        check = -sum(w * int(x) for w, x in zip((2, 7, 6, 5, 4, 3, 2), body)) % 11
        if check < 10:
            return body + str(check)


COMPANY_WORDS = ("Nordlys Vestkyst Fjordbyen Kattegat Bøgely Havblik Granly Solsikke Egetræ Lyngholm Stjerneborg "
                 "Møllebakken Klitgården Skovbrynet Østerled").split()
TRADES = ("Ventilation VVS Elektro Tømrer Rengøring Revision Logistik Maskinfabrik Tryk Catering IT Emballage "
          "Anlægsgartner Kontorforsyning Køleteknik").split()


def make_company(rng: random.Random) -> tuple[str, str]:
    """A company name and its mail domain."""
    word, trade = rng.choice(COMPANY_WORDS), rng.choice(TRADES)
    name = f"{word} {trade} {rng.choice(['ApS', 'A/S', 'I/S', 'ApS', 'A/S'])}"
    return name, ascii_fold(f"{word}-{trade}") + rng.choice([".dk", ".dk", ".com", ".eu"])


def p_number(rng: random.Random) -> str:
    """A production-unit number (P-nummer) as issued: ten digits from 1 000 000 000 up."""
    return str(rng.randint(1_000_000_000, 1_032_999_999))


def look_alike_number(rng: random.Random, digits: int = 10) -> str:
    return str(rng.randint(10 ** (digits - 1), 10 ** digits - 1))


# ---------------------------------------------------------------------------------------------
# Health, interests and personal details, and remarks that are neither
HEALTH_CONDITIONS = ["diskusprolaps", "stress", "en depression", "en brækket ankel", "lungebetændelse",
                     "brystkræft", "en hjernerystelse", "en knæoperation", "migræne", "long covid", "angst",
                     "piskesmæld", "en fødselsdepression", "bækkenløsning", "kroniske rygsmerter", "en blodprop i hjertet"]
HEALTH_NOTES = ["diabetiker, husk frugt til møder", "nøddeallergi", "går med krykker efter knæoperation",
                "sygemeldt til 1/4", "gravid, termin i august", "hørehæmmet, tal tydeligt", "i kemobehandling",
                "har epilepsi", "genoptræning efter hofteoperation", "glutenallergi", "nyopereret i skulderen"]
INTEREST_NOTES = ["løber maraton", "går på jagt", "spiller golf", "sejler om sommeren", "fan af Brøndby",
                  "strikker", "fisker laks i Norge", "spiller padel", "træner datterens håndboldhold", "har en hest",
                  "dyrker yoga", "samler på vin", "rejser til Thailand hvert år", "går til dans med sin mand",
                  "har tre børn", "nybagt farfar", "skal giftes i juni", "fylder 50 i maj", "bor med to katte",
                  "spiller i et coverband", "cykler Mallorca hvert forår"]
BUSINESS_NOTES = ["ring før kl. 12", "foretrækker mail", "ny kontaktperson fra 1/9", "beslutningstager",
                  "sender altid PO-nummer", "ikke kunde længere", "afventer tilbud", "har fået 10 % rabat",
                  "faktura til bogholderiet", "kun leverancer om tirsdagen", "ringede om reklamation", ""]
RELATIONS = ["Søster", "Bror", "Mor", "Far", "Ægtefælle", "Samlever", "Kone", "Mand", "Datter", "Søn", "Kæreste"]
JOBS = ["Kontorassistent", "Lagermedarbejder", "Bogholder", "Salgskonsulent", "Chauffør", "Projektleder",
        "Tekniker", "Økonomichef", "Receptionist", "Servicemedarbejder", "Indkøber", "Smed", "Elektriker"]


# ---------------------------------------------------------------------------------------------
# Document kinds: each returns (layout, runs, health, interests)
def sick_leave(rng: random.Random):
    p, boss = make_person(rng), make_person(rng)
    cond = rng.choice(HEALTH_CONDITIONS)
    cpr = person_cpr(rng)
    style = rng.randrange(4)
    if style == 3:  # a register of sick days, one row an employee
        rows = []
        for _ in range(rng.randint(3, 8)):
            x = make_person(rng)
            rows.append([[Ent("PERSON", x.full)], [str(rng.randint(1, 40))],
                         [re.sub(r"^en ", "", rng.choice(HEALTH_CONDITIONS + ["influenza", "corona", "sygdom"]))],
                         [rng.choice(["ja", "nej", "§ 56", "delvis raskmeldt"])]])
        header = rng.choice([["Medarbejder", "Sygedage", "Årsag", "Lægeerklæring"],
                             ["Navn", "Fraværsdage", "Bemærkning", "Status"]])
        title = ["Sygefravær " + rng.choice(["1. kvartal", "2025", "uge 10-14", "pr. afdeling"])]
        if rng.random() < 0.5:
            return "table rows", [title, *table_as_extracted(header, rows)], True, False
        return "delimited", [lines(title, table_as_text(header, rows, rng.choice(["\t", ";"])))], True, False
    if style == 0:  # a form, one field a line
        run = lines(
            "Sygefraværsregistrering",
            ["Medarbejder: ", Ent("PERSON", p.full)],
            [rng.choice(["CPR-nr.: ", "CPR: ", "Personnummer: ", "Cpr.nr. "]), Ent("DK_CPR", format_cpr(rng, cpr))],
            f"Afdeling: {rng.choice(['Lager', 'Økonomi', 'Salg', 'Produktion', 'Kundeservice'])}",
            f"Første fraværsdag: {a_date(rng)}",
            f"Fraværsårsag: {cond}" if rng.random() < 0.5 else f"Diagnose: {cond}",
            f"Lægeerklæring modtaget: {rng.choice(['ja', 'ja, ' + a_date(rng), 'afventer'])}",
            f"Forventet tilbage: {rng.choice(['uvist', a_date(rng), 'om ca. 3 uger'])}",
            ["Registreret af: ", Ent("PERSON", boss.full)])
        return "form", [run], True, False
    if style == 1:  # a note in prose
        pronoun = rng.choice(["Hun", "Han"])
        run = lines(
            [f"Notat {a_date(rng)}: ", Ent("PERSON", p.full), f" ({rng.choice(JOBS).lower()}) er sygemeldt med {cond}."],
            f"{pronoun} har afleveret lægeerklæring, og vi har aftalt en sygefraværssamtale om to uger. "
            f"{pronoun} forventer " + rng.choice(["delvis raskmelding med 20 timer om ugen", "at starte på nedsat tid",
                                                   "genoptræning hos fysioterapeut først"]) + ".",
            ["Kontakt under sygdom: ", Ent("DK_PHONE", make_phone(rng))],
            ["/", Ent("PERSON", boss.first)])
        return "note", [run], True, False
    run = lines(  # a letter to the employee
        [Ent("PERSON", p.full)],
        [Ent("DK_ADDRESS", make_address(rng, two_lines=True))],
        "",
        f"{a_date(rng)}",
        "",
        "Indkaldelse til sygefraværssamtale",
        "",
        ["Kære ", Ent("PERSON", p.first)],
        "",
        f"Du har nu været sygemeldt siden {a_date(rng)} på grund af {cond}. Vi vil gerne høre, hvordan det går, "
        "og om der er noget, vi kan gøre for at hjælpe dig tilbage. Tag gerne din seneste lægeerklæring med.",
        "",
        "Med venlig hilsen",
        [Ent("PERSON", boss.full)],
        ["HR, direkte ", Ent("DK_PHONE", make_phone(rng))])
    return "letter", [run], True, False


def leave_record(rng: random.Random):
    """An absence record that holds no health data (holiday, care days, courses)."""
    rows = []
    for _ in range(rng.randint(4, 9)):
        p = make_person(rng)
        rows.append([[Ent("PERSON", p.full)], [rng.choice(["Ferie", "Omsorgsdag", "Kursus", "Afspadsering", "Seniordag"])],
                     [a_date(rng)], [str(rng.randint(1, 10))]])
    header = ["Medarbejder", "Fraværstype", "Fra", "Dage"]
    if rng.random() < 0.5:
        return "table rows", table_as_extracted(header, rows), False, False
    return "delimited", [table_as_text(header, rows, rng.choice([";", "\t", ", "]))], False, False


def emergency_contacts(rng: random.Random):
    rows = []
    for _ in range(rng.randint(4, 10)):
        p, rel = make_person(rng), make_person(rng)
        rows.append([[Ent("PERSON", p.full)], [Ent("DK_CPR", format_cpr(rng, person_cpr(rng)))],
                     [Ent("PERSON", rel.full)], [rng.choice(RELATIONS)], [Ent("DK_PHONE", make_phone(rng))],
                     [Ent("DK_ADDRESS", make_address(rng))]])
    header = rng.choice([["Navn", "CPR", "Pårørende", "Relation", "Telefon"],
                         ["Medarbejder", "CPR-nr.", "Nærmeste pårørende", "Relation", "Tlf.", "Adresse"],
                         ["Name", "Personnummer", "Kontaktperson", "Relation", "Mobil", "Pårørendes adresse"]])
    rows = [row[:len(header)] for row in rows]
    layout = rng.randrange(3)
    if layout == 0:
        return "table rows", [["Pårørendeliste – fortrolig"], *table_as_extracted(header, rows)], False, True
    if layout == 1:  # a PDF table as its text layer gives it: cells separated by spaces
        return "pdf lines", [lines("Liste over pårørende", table_as_text(header, rows, " "))], False, True
    return "delimited", [table_as_text(header, rows, rng.choice([";", "\t", ","]))], False, True


def contact_list(rng: random.Random):
    rows, health, interests = [], False, False
    for _ in range(rng.randint(5, 12)):
        p = make_person(rng)
        company, domain = make_company(rng)
        roll = rng.random()
        if roll < 0.18:
            note = rng.choice(HEALTH_NOTES)
            health = True
        elif roll < 0.45:
            note = rng.choice(INTEREST_NOTES)
            interests = True
        else:
            note = rng.choice(BUSINESS_NOTES)
        rows.append([[Ent("PERSON", p.full)], [company], [Ent("DK_PHONE", make_phone(rng))],
                     [Ent("EMAIL_ADDRESS", make_email(rng, p, domain))], [note] if note else []])
    header = rng.choice([["Navn", "Firma", "Telefon", "E-mail", "Noter"],
                         ["Kontaktperson", "Virksomhed", "Tlf", "Mail", "Bemærkninger"],
                         ["Name", "Company", "Phone", "Email", "Notes"]])
    layout = rng.randrange(3)
    if layout == 0:
        return "table rows", table_as_extracted(header, rows), health, interests
    if layout == 1:
        return "delimited", [table_as_text(header, rows, rng.choice([";", "\t", ","]))], health, interests
    return "pdf lines", [lines("Kontaktliste", table_as_text(header, rows, " "))], health, interests


def cv(rng: random.Random):
    p = make_person(rng)
    interests = rng.random() < 0.75
    domain = rng.choice(["gmail.com", "hotmail.com", "outlook.dk", "live.dk", "mail.dk"])
    born = make_born(rng, 1965, 2000)
    jobs = rng.sample(JOBS, 3)
    title = [rng.choice(["CURRICULUM VITAE", "CV", "Ansøgning og CV"])]
    if rng.random() < 0.4:  # the personal data as a two-column table under a title row, as the extractor reads it
        head = [title, *table_as_extracted(["Personlige oplysninger", ""], [
            [["Navn"], [Ent("PERSON", p.full)]], [["Adresse"], [Ent("DK_ADDRESS", make_address(rng))]],
            [["Mobil"], [Ent("DK_PHONE", make_phone(rng))]], [["E-mail"], [Ent("EMAIL_ADDRESS", make_email(rng, p, domain))]],
            [["Fødselsdato"], [born.strftime("%d-%m-%Y")]]])]
    else:
        head = [lines(
            title,
            [Ent("PERSON", p.full)],
            [Ent("DK_ADDRESS", make_address(rng))],
            [rng.choice(["Mobil: ", "Tlf. ", "Telefon: "]), Ent("DK_PHONE", make_phone(rng)),
             rng.choice([" · ", " | ", "\n"]), Ent("EMAIL_ADDRESS", make_email(rng, p, domain))],
            f"Født: {born.day}. {MONTHS[born.month - 1]} {born.year}")]
    run = lines(
        "Erhvervserfaring",
        f"{rng.randint(2015, 2021)}–nu: {jobs[0]}, {make_company(rng)[0]}",
        f"{rng.randint(2008, 2014)}–{rng.randint(2015, 2020)}: {jobs[1]}, {make_company(rng)[0]}",
        "",
        "Uddannelse",
        rng.choice(["HHX, Vejle Handelsskole", "Kontoruddannelse, EUC Syd", "Cand.merc., Aarhus Universitet",
                    "Smed, Tradium", "Datamatiker, Erhvervsakademi Aarhus"]),
        "",
        ["Reference: ", Ent("PERSON", make_person(rng).full), ", ", Ent("DK_PHONE", make_phone(rng))])
    if interests:
        partner = make_person(rng).first
        run += ["\n\n", rng.choice(["Fritid: ", "Fritidsinteresser: ", "Personligt: "]), *rng.choice([
            ["Jeg løber maraton og går på jagt med min far."], ["Gift, to børn. Spiller golf og dyrker yoga."],
            ["Jeg spiller håndbold og synger i kor."], ["Jeg er frivillig træner i den lokale fodboldklub."],
            ["Samlever med ", Ent("PERSON", partner), ", en datter på 4 år. Sejler i weekenderne."]])]
    return "cv", [*head, run], False, interests


def payslip(rng: random.Random):
    p = make_person(rng)
    sick = rng.random() < 0.25
    salary = rng.randint(24, 48) * 1000
    run = lines(
        make_company(rng)[0],
        f"LØNSEDDEL {MONTHS[rng.randrange(12)]} {rng.choice([2024, 2025])}",
        "",
        [Ent("PERSON", p.full)],
        [Ent("DK_ADDRESS", make_address(rng, two_lines=True))],
        "",
        [rng.choice(["CPR-nr. ", "Cpr: ", "CPR "]), Ent("DK_CPR", format_cpr(rng, person_cpr(rng))),
         f"    Medarbejdernr. {rng.randint(100, 9999)}"],
        f"Reg.nr. {rng.randint(1000, 9999)}  Kontonr. {look_alike_number(rng)}",
        "",
        f"Månedsløn                 {salary:>10,}".replace(",", "."),
        f"Pension, eget bidrag 4 %  {-salary * 0.04:>10.2f}".replace(".", ","),
        f"AM-bidrag 8 %             {-salary * 0.08:>10.2f}".replace(".", ","),
        f"A-skat                    {-salary * 0.3:>10.2f}".replace(".", ","),
        *([f"Sygedage i perioden: {rng.randint(1, 6)} (sygdom)"] if sick else [f"Feriedage optjent: 2,08"]),
        f"Udbetalt {a_date(rng)}")
    return "payslip", [run], sick, False


def minutes(rng: random.Random):
    people = [make_person(rng) for _ in range(rng.randint(3, 6))]
    health = rng.random() < 0.3
    interests = rng.random() < 0.3
    absent = make_person(rng)
    absent_why = rng.choice(["", "", " (ferie)", " (kursus)", " (syg)", " (sygemeldt)"])
    health = health or "syg" in absent_why
    items: list[Run] = [
        [rng.choice(["Referat af afdelingsmøde", "Referat – driftsmøde", "Mødereferat, ledergruppen"]), f" {a_date(rng)}"],
        [rng.choice(["Deltagere: ", "Til stede: ", "Mødedeltagere: "]),
         *sum(([Ent("PERSON", x.full), rng.choice([", ", ", ", "; "])] for x in people[:-1]), []),
         Ent("PERSON", people[-1].full)],
        ["Afbud: ", Ent("PERSON", absent.full), absent_why],
        ["Referent: ", Ent("PERSON", people[0].first + " " + people[0].last)],
        "1. Godkendelse af dagsorden: godkendt.",
        f"2. Status på ordrer: {rng.randint(12, 90)} åbne ordrer, leveringstid {rng.randint(2, 6)} uger.",
        "3. Ny politik for sygefravær og trivsel drøftes på næste møde." if rng.random() < 0.4
        else "3. Arbejdsmiljø: nye stole bestilt til kundeservice.",
    ]
    if health and "syg" not in absent_why:
        x = people[rng.randrange(1, len(people))]
        items.append(["4. Bemanding: ", Ent("PERSON", x.first), rng.choice([
            f" er sygemeldt med {rng.choice(HEALTH_CONDITIONS)} de næste uger; ",
            " er indlagt efter en operation; ",
            " har brækket benet og arbejder hjemmefra; ",
            " er startet på nedsat tid efter sin kræftbehandling; ",
            " er gået ned med stress og er sygemeldt; "]), Ent("PERSON", people[0].first), " overtager hendes/hans opgaver."])
    if interests:
        x = people[rng.randrange(len(people))]
        items.append(rng.choice([
            ["5. Eventuelt: Tillykke til ", Ent("PERSON", x.first), rng.choice([
                " med det nye barnebarn.", " der blev gift i weekenden.", " som har gennemført Berlin Marathon.",
                " med 50-års fødselsdagen på fredag."])],
            ["5. Eventuelt: ", Ent("PERSON", x.first), rng.choice([
                " fortalte om sin tur til Kilimanjaro.", " har fået en lille pige.",
                " og familien har købt hus i Vejle.", " stiller op i ironman i Kalmar i august."])]]))
    else:
        items.append("5. Eventuelt: intet.")
    items.append(["Næste møde: ", a_date(rng), ", mødelokale 2. Spørgsmål til ",
                  Ent("EMAIL_ADDRESS", make_email(rng, people[0], make_company(rng)[1]))])
    return "minutes", [lines(*items)], health, interests


def letter(rng: random.Random):
    to, sender = make_person(rng), make_person(rng)
    company, domain = make_company(rng)
    topic = rng.randrange(3)
    body = [
        "Tak for din henvendelse om reklamationen. Vi har undersøgt sagen og krediterer beløbet på den vedlagte faktura.",
        "Vi bekræfter hermed din ansættelse som " + rng.choice(JOBS).lower() + " fra den 1. i næste måned. "
        "Kontrakten er vedlagt i to eksemplarer.",
        "Vi sender hermed tilbud på serviceaftale for jeres anlæg. Prisen gælder i 30 dage.",
    ][topic]
    run = lines(
        company,
        [Ent("DK_ADDRESS", make_address(rng))],
        f"CVR-nr. {make_cvr(rng)}",
        "",
        [rng.choice(["", "Att.: ", "Att. "]), Ent("PERSON", to.full)],
        [Ent("DK_ADDRESS", make_address(rng, two_lines=True))],
        "",
        rng.choice(["Odense", "Aarhus", "Kolding", "Herning", "Roskilde"]) + ", " + a_date(rng),
        "",
        [rng.choice(["Kære ", "Hej ", "Til "]), Ent("PERSON", to.first if rng.random() < 0.6 else to.full)],
        "",
        body,
        "",
        rng.choice(["Med venlig hilsen", "Venlig hilsen", "Mvh."]),
        [Ent("PERSON", sender.full)],
        rng.choice(JOBS),
        [rng.choice(["Tlf. ", "T: ", "Direkte: "]), Ent("DK_PHONE", make_phone(rng)), " · ",
         Ent("EMAIL_ADDRESS", make_email(rng, sender, domain))])
    return "letter", [run], False, False


def mail_thread(rng: random.Random):
    a, b = make_person(rng), make_person(rng)
    (ca, da), (cb, db) = make_company(rng), make_company(rng)
    ea, eb = make_email(rng, a, da), make_email(rng, b, db)
    health = rng.random() < 0.25
    interests = not health and rng.random() < 0.3
    reply = (rng.choice(["Jeg er desværre sygemeldt resten af ugen med "
                         + rng.choice(["influenza", "lumbago", "en hjernerystelse"]),
                         "Jeg skal opereres i knæet på torsdag og er væk en uge",
                         "Min søn er indlagt med lungebetændelse, så jeg arbejder hjemmefra"]) + ", så " if health
             else rng.choice(["Jeg er på ferie med familien i uge 30, så ",
                              "Vi ses til DHL-stafetten, jeg løber 5 km. Ellers "])
             if interests else "Tak, ")
    subject = (rng.choice(["Levering", "Tilbud på service", "Faktura", "Mødetid", "Reklamation"])
               + f" ordre {rng.randint(100000, 999999)}")
    english = rng.random() < 0.3  # Outlook set to English
    head: list[Run] = [
        [("From: " if english else "Fra: "), Ent("PERSON", b.full), " <", Ent("EMAIL_ADDRESS", eb), ">"],
        [("To: " if english else "Til: "), Ent("EMAIL_ADDRESS", ea)],
        f"{'Sent' if english else 'Sendt'}: {a_date(rng)} {rng.randint(7, 17)}:{rng.randint(0, 59):02d}",
        f"{'Subject: RE' if english else 'Emne: SV'}: {subject}",
    ]
    if rng.random() < 0.3:
        quoted_head: list[Run] = [[f"Den {a_date(rng)} kl. {rng.randint(7, 17)}.{rng.randint(0, 59):02d} skrev ",
                                   Ent("PERSON", a.full), " <", Ent("EMAIL_ADDRESS", ea), ">:"]]
    else:
        quoted_head = [["-----Oprindelig meddelelse-----"],
                       ["Fra: ", Ent("PERSON", a.full), " [mailto:", Ent("EMAIL_ADDRESS", ea), "]"],
                       ["Til: ", Ent("PERSON", b.full)]]
    run = lines(
        *head,
        "",
        [rng.choice(["Hej ", "Hej ", "Kære ", "Hi "]), Ent("PERSON", a.first)],
        "",
        reply + rng.choice(["min kollega tager over.", "vi tager den når jeg er tilbage.",
                            "det passer fint med levering fredag."]),
        *(["Vi er i sommerhus på Fanø med børnene, og jeg skal ud og fiske hver morgen."]
          if interests and reply.startswith("Jeg er på ferie") else []),
        "",
        [rng.choice(["Mvh ", "Hilsen ", "Venlig hilsen\n", "/"]), Ent("PERSON", b.first)],
        [cb, rng.choice([" · Mobil ", "\nM: ", " | Tlf. "]), Ent("DK_PHONE", make_phone(rng))],
        "",
        *quoted_head,
        "",
        ["> Hej ", Ent("PERSON", b.first), ", kan I levere til ", Ent("DK_ADDRESS", make_address(rng)), " i næste uge?"],
        ["> Hilsen ", Ent("PERSON", a.full), ", ", ca, ", tlf. ", Ent("DK_PHONE", make_phone(rng))])
    return "mail", [run], health, interests


def quote(rng: random.Random):
    seller, seller_domain = make_company(rng)
    buyer = make_company(rng)[0]
    contact, own = make_person(rng), make_person(rng)
    order = rng.choice(["Ordrebekræftelse", "Tilbud", "TILBUD", "Ordrebekræftelse nr."])
    goods = ["Filter F7", "Ventil DN25", "Kabel 3x1,5", "Palle A4-papir", "Service, 2 timer", "Termostat", "Pumpe UPS 25-60"]
    items = [f"{look_alike_number(rng, rng.choice([6, 8, 10]))}  {rng.choice(goods)}"
             f"  {rng.randint(1, 40)} stk  {rng.randint(50, 9000)},00" for _ in range(rng.randint(3, 8))]
    run = lines(
        f"{seller}  ·  CVR {make_cvr(rng)}",
        [Ent("DK_ADDRESS", make_address(rng))],
        "",
        f"{order} {look_alike_number(rng, rng.choice([8, 10]))}",
        f"Kundenr.: {look_alike_number(rng, rng.choice([6, 10]))}",
        f"Dato: {a_date(rng)}",
        "",
        buyer,
        ["Att.: ", Ent("PERSON", contact.full)],
        ["Leveringsadresse: ", Ent("DK_ADDRESS", make_address(rng))],
        "",
        "Varenr.  Tekst  Antal  Pris",
        *items,
        "",
        f"EAN-lokationsnr. 57{look_alike_number(rng, 11)}",
        "Betaling: netto 30 dage. Priser ekskl. moms.",
        ["Din kontakt: ", Ent("PERSON", own.full), ", ", Ent("DK_PHONE", make_phone(rng)), ", ",
         Ent("EMAIL_ADDRESS", make_email(rng, own, seller_domain))])
    return "quote", [run], False, False


def readme(rng: random.Random):
    maint = [Person(*n.split()) for n in rng.sample(
        ["Mark Chen", "Grace Holloway", "Will Turner", "Amelia Brooks", "Rosa Lindgren", "Bo Thygesen", "Frank Osei",
         "Hope Mitchell", "Miles Okafor", "Dawn Kessler"], 2)]
    tool = rng.choice(["invoice-sync", "hr-export", "lagerstatus", "route-planner", "pdf-stamper"])
    run = lines(
        f"# {tool}",
        "",
        f"{tool} reads the nightly export and uploads it to the ERP system. Will it run on Windows? Yes, "
        "with Python 3.11 or newer.",
        "",
        "## Install",
        "",
        f"    pip install {tool}",
        "",
        "## Usage",
        "",
        f"Run `{tool} --config settings.toml`. Mark the folder read-only first. May and June exports are larger; "
        "Grant the service account write access to the output folder.",
        "",
        "## Maintainers",
        "",
        ["- ", Ent("PERSON", maint[0].full), " (", Ent("EMAIL_ADDRESS", make_email(rng, maint[0], "nordlys-it.dk")), ")"],
        ["- ", Ent("PERSON", maint[1].full)],
        "",
        "Bug reports: open an issue. Support hours: 9-15 on weekdays. Licence: GPL-3.0.")
    return "readme", [run], False, False


def p_number_list(rng: random.Random):
    rows = []
    for _ in range(rng.randint(15, 40)):
        rows.append([[p_number(rng)], [f"{rng.choice(COMPANY_WORDS)} {rng.choice(TRADES)}"],
                     [Ent("DK_ADDRESS", make_address(rng))]])
    style = rng.randrange(3)
    if style == 0:
        return "table rows", table_as_extracted([rng.choice(["P-nummer", "P-nr.", "Produktionsenhed"]),
                                                 rng.choice(["Enhedsnavn", "Navn", "Virksomhed"]), "Adresse"],
                                                rows), False, False
    if style == 1:
        run = lines(rng.choice(["Vores produktionsenheder (P-numre):", "P-numre til indberetning", "Afdelinger"]),
                    *[" ".join(str(c[0]) for c in r[:1]) for r in rows])
        return "plain list", [run], False, False
    return "delimited", [table_as_text(["Pnr", "Enhed", "Adresse"], rows, rng.choice([";", "\t"]))], False, False


def number_list(rng: random.Random):
    rows = []
    for _ in range(rng.randint(15, 40)):
        rows.append([[look_alike_number(rng, 10)], [look_alike_number(rng, rng.choice([8, 10]))],
                     [make_company(rng)[0]], [f"{rng.randint(100, 99999)},{rng.randint(0, 99):02d}"]])
    header = rng.choice([["Kundenr.", "Ordrenr.", "Kunde", "Beløb"], ["Kunde", "Ordre", "Navn", "Total"],
                         ["Customer no", "Order number", "Customer", "Amount"]])
    if rng.random() < 0.5:
        return "table rows", table_as_extracted(header, rows), False, False
    return "delimited", [table_as_text(header, rows, rng.choice([";", "\t", ","]))], False, False


KINDS = {  # kind -> (writer, share of the corpus)
    "sick_leave": (sick_leave, 12), "leave_record": (leave_record, 5), "emergency_contacts": (emergency_contacts, 10),
    "contact_list": (contact_list, 14), "cv": (cv, 10), "payslip": (payslip, 8), "minutes": (minutes, 10),
    "letter": (letter, 9), "mail": (mail_thread, 10), "quote": (quote, 8), "readme": (readme, 3),
    "p_numbers": (p_number_list, 5), "number_list": (number_list, 5),
}


def corpus(n_docs: int = 300, seed: int = 14) -> list[Doc]:
    """`n_docs` documents; every kind is represented in proportion to its share."""
    rng = random.Random(seed)
    total = sum(share for _, share in KINDS.values())
    counts = {kind: max(1, round(n_docs * share / total)) for kind, (_, share) in KINDS.items()}
    docs = []
    for kind, (writer, _) in KINDS.items():
        for n in range(counts[kind]):
            layout, runs, health, interests = writer(rng)
            docs.append(render(f"{kind}-{n + 1:03d}", kind, layout, runs, health, interests))
    return docs


if __name__ == "__main__":
    import sys

    for doc in corpus(int(sys.argv[1]) if len(sys.argv) > 1 else 300)[:: max(1, len(sys.argv) > 2 and int(sys.argv[2]) or 15)]:
        print(f"===== {doc.id} ({doc.layout}; health={doc.health}, interests={doc.interests})")
        print(doc.text)
        print("gold:", [(g.type, doc.text[g.start:g.end]) for g in doc.gold])
