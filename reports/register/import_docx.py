"""Import a Word register (persondatafortegnelse) into a draft in datakort's register format.

Reads the layouts DPOs have: the seed's table (a label column or two, a value column and an
X column for the data categories), Art. 30's own headings (Danish or English) in one- or
two-column tables or as headings between paragraphs, check boxes (☒/☐, X, "Ja/Nej"), and the
systems as a list or a table (as `datakort register export` writes them, with their folders,
categories and retention rules). It writes YAML a DPO can finish: everything the Word file says
is carried over, what it cannot say (which folders belong to each system, which clock a
retention rule counts from) is marked `# TODO`, and what could not be placed under any field is
listed at the end, marked TODO too. `draft_register` returns the YAML text and the list of
TODOs; `datakort register import` writes one and prints the other.
"""
from __future__ import annotations

import json
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

from detectors.categories import CATEGORIES
from reports.register.model import FORMAT

MARKS = {"x", "☒", "☑", "✓", "✔", "ja", "yes", "[x]"}
NO_MARKS = {"☐", "□", "nej", "no", "[ ]", "-", "–"}
# Field -> a pattern its label matches, Danish (Datatilsynet's template, Art. 30's wording, the
# seed) and English (Art. 30(1)). Checked in this order: the more specific fields first.
FIELDS = tuple((name, re.compile(pattern)) for name, pattern in (
    ("scan", r"\(datakort\)|fundet ved skanning"),  # what `register export` adds from the scans: not register text
    ("joint_controllers", r"fælles dataansvarlig|joint controller"),
    ("representative", r"repræsentant|representative"),
    ("dpo", r"databeskyttelsesrådgiver|data protection officer|\bdpo\b"),
    ("categories", r"oplysninger, som behandles|kategori\w* af personoplysning|typer af personoplysning"
                   r"|categories of personal data|personal data processed|types of personal data"),
    ("data_subjects", r"kategori\w* af (de )?registrerede|registrerede personer|data subjects"),
    ("recipients", r"modtager|recipient"),
    ("third_countries", r"tredjeland|third countr|international"),
    ("deletion", r"sletning|slette|erasure|deletion|retention|tidsfrist|time limit"),
    ("systems", r"^(it-?)?systemer\b|^(it )?systems\b|hvor (opbevares|behandles|ligger)|where (the )?data is (kept|stored)"),
    ("security", r"sikkerhed|security"),
    ("purposes", r"formål|purpose"),
    ("controller", r"dataansvarlig|controller"),
))
# Art. 30's headings in Danish, as `datakort register export` writes them (and this module reads).
HEADINGS = {
    "controller": "Navn og kontaktoplysninger på den dataansvarlige",
    "purposes": "Formålene med behandlingen",
    "data_subjects": "Beskrivelse af kategorierne af registrerede",
    "categories": "Beskrivelse af kategorierne af personoplysninger",
    "recipients": "Kategorier af modtagere",
    "third_countries": "Overførsler til tredjelande eller internationale organisationer",
    "deletion": "Tidsfrister for sletning",
    "security": "Tekniske og organisatoriske sikkerhedsforanstaltninger",
    "systems": "Systemer",
}
# Columns of a systems table and of a retention-rules table: role -> a pattern of its heading.
SYSTEM_COLUMNS = {"id": r"^id$", "name": r"^system|^navn|^name", "paths": r"mappe|sti\b|placering|path|folder",
                  "does_not_hold": r"indeholder ikke|does not hold", "holds": r"indeholder|holds|kategori",
                  "scannable": r"kan skannes|skannbar|scannable", "note": r"note|bemærk"}
RULE_COLUMNS = {"id": r"^id$|regel-id|rule id", "applies": r"gælder|applies", "keep": r"opbevar|keep|periode|period",
                "clock": r"regnes fra|counted from|clock", "folders": r"per mappe|per folder|folders",
                "rule": r"regel|beskrivelse|rule|description"}
# Retention clock -> words of its Danish or English name (the words the export writes first).
CLOCK_WORDS = {"modified": ("ændringsdato", "modification", "modified"),
               "created": ("oprettelsesdato", "creation", "created"),
               "sent": ("afsendelsesdato", "sent"),
               "content": ("dato skrevet i dokumentet", "date written in the document", "content"),
               "folder": ("mappens nyeste aktivitet", "newest activity in the folder", "folder")}
# Category -> words in the Word register's description of it; checked in this order.
CATEGORY_WORDS = (
    ("cpr", ("cpr", "personnummer", "personal identification number", "national identification")),
    ("criminal", ("strafbar", "straffedom", "lovovertrædelse", "criminal", "offence", "conviction")),
    ("special", ("følsomme", "helbred", "fagforening", "religi", "etnisk", "politisk", "seksuel", "genetisk",
                 "sensitive", "special categor", "health", "trade union")),
    ("biometric", ("biometri", "foto", "billede", "photo", "picture", "biometric")),
    ("financial", ("økonomisk", "konto", "bank", "betaling", "løn", "kreditvurdering", "financial", "account",
                   "payment", "salary")),
    ("personal_details", ("personlige forhold", "personlige oplysninger", "interesse", "familie", "personal details",
                          "interests", "family")),
    ("contact", ("navn", "stilling", "telefon", "e-mail", "adresse", "kontakt", "name", "job title", "phone",
                 "email", "address", "contact")),
)
NOT_SCANNABLE_WORDS = ("mobil", "telefon", "phone", "fysisk", "papir", "paper", "binder", "ringbind", "erp", "cloud",
                       "web", "crm", "saas", "online")
ABBREVIATIONS = {"tidl.": "Tidligere", "tidlig.": "Tidligere"}
NUMBER_WORDS = {"et": 1, "én": 1, "en": 1, "to": 2, "tre": 3, "fire": 4, "fem": 5, "seks": 6, "syv": 7, "otte": 8,
                "ni": 9, "ti": 10, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
                "eight": 8, "nine": 9, "ten": 10}
_RETENTION = re.compile(
    r"(slette|destruere|makulere|delete|erase|destroy|kept|keep|retain|opbevare|gemme)\w*\D{0,40}?\b"
    rf"(\d+|{'|'.join(NUMBER_WORDS)})\s+(år|måneder|mdr\.?|dage|years?|months?|days?)\b", re.IGNORECASE)
_UNIT = {"år": "years", "måneder": "months", "mdr": "months", "mdr.": "months", "dage": "days"}
# Words of a system's name too general to tie a retention sentence to it.
_STOPWORDS = {"system", "systems", "internt", "intern", "ikke", "inde", "låst", "tidligere", "former", "previous"}


class RegisterImportError(ValueError):
    """The Word file cannot be imported; the message says why."""


@dataclass
class Line:
    """One paragraph of a value cell; `item` marks a list item (a bullet)."""

    text: str
    item: bool = False


@dataclass
class Field:
    """One row of the register table (or one heading's text): its field, its value lines and its X mark."""

    name: str
    label: str
    lines: list[Line]
    marked: bool


@dataclass
class Reading:
    """What the Word file says, sorted under the register's fields; tables of systems and rules apart."""

    fields: list[Field] = field(default_factory=list)
    systems: list[dict[str, str]] = field(default_factory=list)   # rows of a systems table: role -> text
    rules: list[dict[str, str]] = field(default_factory=list)     # rows of a retention table: role -> text
    version: str = ""
    unplaced: list[str] = field(default_factory=list)             # text no field could take


@dataclass
class Draft:
    """The imported register, before it is written out as YAML."""

    processing: str = ""
    version: str = ""
    controller: dict[str, str] = field(default_factory=dict)
    purposes: list[str] = field(default_factory=list)
    data_subjects: list[str] = field(default_factory=list)
    recipients: list[str] = field(default_factory=list)
    categories: dict[str, dict] = field(default_factory=dict)
    third_countries: list[str] = field(default_factory=list)
    deletion: list[str] = field(default_factory=list)
    security: list[str] = field(default_factory=list)
    systems: list[dict] = field(default_factory=list)
    retention: list[dict] = field(default_factory=list)
    unmapped: list[str] = field(default_factory=list)  # marked category lines no category matched
    unplaced: list[str] = field(default_factory=list)  # text of the Word file no field could take


def _clean(text: str) -> str:
    """Text without Word's optional hyphens and with single spaces."""
    return re.sub(r"\s+", " ", text.replace("\u00ad", "")).strip()


def _field_of(labels: list[str]) -> str | None:
    for label in reversed(labels):  # the most specific label (the field column) first
        low = _clean(label).lower()
        for name, pattern in FIELDS:
            if pattern.search(low):
                return name
    return None


def _role(header: str, columns: dict[str, str]) -> str | None:
    return next((role for role, pattern in columns.items() if re.search(pattern, header)), None)


def _has_mark_column(rows) -> bool:
    """Whether a table's last column holds the X marks: some X in it, and nothing longer than a mark."""
    last = [cells[-1].text.strip().lower() for cells in rows if len(cells) > 2 and cells[-1]._tc is not cells[-2]._tc]
    return any(t in MARKS for t in last) and all(len(t) <= 3 for t in last)


_BULLET = re.compile(r"^\s*[•·▪◦\-–]\s+")
_VERSION = re.compile(r"^(?:version|versionsnummer|versionsnr\.?|register version)\s*:?\s*(\S.*)$", re.IGNORECASE)
_INLINE = re.compile(r"^([^:]{3,80}):\s+(\S.*)$")


def _lines(paragraphs) -> list[Line]:
    """A cell's or a heading's text as lines; bullets (Word's list styles or a typed dash) are list items."""
    out = []
    for p in paragraphs:
        style = p.style.name if p.style is not None else ""
        for text in p.text.split("\n"):
            if text.strip():
                item = "List" in style or "Liste" in style or bool(_BULLET.match(text))
                out.append(Line(_clean(_BULLET.sub("", text)), item))
    return out


def _is_heading(paragraph, text: str) -> bool:
    """A paragraph that heads a field: a heading style, bold all through, or a short line ending in a colon."""
    style = (paragraph.style.name if paragraph.style is not None else "").lower()
    if style.startswith(("heading", "overskrift", "title", "titel")):
        return True
    runs = [r for r in paragraph.runs if r.text.strip()]
    short = len(text) <= 120 and not text.endswith(".")
    return short and ((bool(runs) and all(r.bold for r in runs)) or text.endswith(":"))


class _Walker:
    """Reads the document's paragraphs and tables in order, keeping the field the text is under."""

    def __init__(self, reading: Reading):
        self.reading, self.current, self.started = reading, None, False

    def start(self, name: str | None, heading: str) -> None:
        self.current = name
        if name:
            self.started = True
        elif self.started:
            self.reading.unplaced.append(heading)

    def add(self, name: str | None, label: str, lines: list[Line], marked: bool = False) -> None:
        if not lines:
            return
        if name is None:
            if self.started:
                self.reading.unplaced.extend(f"{label}: {ln.text}" if label else ln.text for ln in lines)
            return
        self.reading.fields.append(Field(name, label, lines, marked))

    def paragraph(self, paragraph) -> None:
        text = _clean(paragraph.text)
        if not text:
            return
        version = _VERSION.match(text)
        if version:
            self.reading.version = version.group(1).strip()
            return
        if _is_heading(paragraph, text):
            self.start(_field_of([text.rstrip(":")]), text.rstrip(":"))
            return
        inline = _INLINE.match(text)
        if inline and self.current != "scan" and _field_of([inline.group(1)]) and len(inline.group(1).split()) <= 6:
            name = _field_of([inline.group(1)])
            self.started = True
            self.add(name, inline.group(1), [Line(inline.group(2))])
            return
        self.add(self.current, "", _lines([paragraph]))

    def table(self, table) -> None:
        rows = [row.cells for row in table.rows]
        if not rows or self.current == "scan":
            return
        headers = [_clean(c.text).lower() for c in rows[0]]
        roles = [_role(h, SYSTEM_COLUMNS) for h in headers]
        if "name" in roles and len(set(filter(None, roles))) >= 2 and self.current in (None, "systems", "security"):
            self.special(rows, roles, self.reading.systems)
            return
        roles = [_role(h, RULE_COLUMNS) for h in headers]
        if "keep" in roles and "rule" in roles:
            self.special(rows, roles, self.reading.rules)
            return
        if all(len({c._tc for c in cells}) == 1 for cells in rows):
            for cells in rows:
                self.cell(cells[0])
            return
        self.field_rows(rows)

    def special(self, rows, roles: list[str | None], out: list[dict[str, str]]) -> None:
        """A systems or retention table: one dict per row, keyed by the role of each column."""
        self.started = True
        for cells in rows[1:]:
            row = {role: "\n".join(ln.text for ln in _lines(cell.paragraphs)) for role, cell in zip(roles, cells)
                   if role}
            if any(row.values()):
                out.append(row)

    def cell(self, cell) -> None:
        """A one-column table's cell: a heading paragraph starts a field, other paragraphs are its text."""
        for paragraph in cell.paragraphs:
            self.paragraph(paragraph)

    def field_rows(self, rows) -> None:
        """The seed's layout: label column(s), a value column and maybe an X column."""
        mark_column = _has_mark_column(rows)
        for cells in rows:
            if not cells:
                continue
            value = cells[-2] if mark_column and cells[-1]._tc is not cells[-2]._tc else cells[-1]
            marked = value is not cells[-1] and cells[-1].text.strip().lower() in MARKS
            labels = []
            for cell in cells[:cells.index(value)]:
                if cell._tc is not value._tc and cell.text.strip() and cell.text not in labels:
                    labels.append(cell.text)
            box = _clean(value.text).lower()
            if labels and self.current == "categories" and box in MARKS | NO_MARKS:
                # a two-column list of categories with a Ja/Nej or X column
                self.add("categories", "", [Line(_clean(labels[-1]))], box in MARKS)
                continue
            name = _field_of(labels)
            if labels and name is None and self.current != "categories":
                self.start(None, _clean(labels[-1]))
            elif name:
                self.start(name, _clean(labels[-1]))
            self.add(self.current, _clean(labels[-1]) if labels else "", _lines(value.paragraphs), marked)


def read_document(path: Path) -> Reading:
    """What the Word file says, read in document order (paragraphs and tables) under the register's fields."""
    import zipfile

    import docx  # python-docx: only this command reads Word files' structure
    from docx.opc.exceptions import PackageNotFoundError
    from docx.table import Table

    try:
        document = docx.Document(str(path))
    except (zipfile.BadZipFile, KeyError, ValueError, PackageNotFoundError) as exc:
        raise RegisterImportError(f"{path} is damaged or not a Word (.docx) file "
                                  f"({type(exc).__name__}: {exc})") from exc
    except OSError as exc:
        raise RegisterImportError(f"cannot read {path}: {exc.strerror or exc}") from exc
    reading = Reading()
    walker = _Walker(reading)
    title = next((p for p in document.paragraphs if p.text.strip()), None)
    if title is not None and _field_of([title.text]) is None:  # "… fortegnelse om kundeadministration"
        text = _clean(title.text)
        m = re.search(r"\s[–—-]\s+(.+)$", text) or \
            re.search(r"(?:fortegnelse|register|record).*\s(?:om|for|of)\s+(.+)", text, re.IGNORECASE)
        processing = m.group(1) if m else text
        reading.fields.append(Field("processing", "title", [Line(processing[:1].upper() + processing[1:])], False))
    for block in document.iter_inner_content():
        if isinstance(block, Table):
            walker.table(block)
        elif title is None or block._p is not title._p:
            walker.paragraph(block)
    if not [f for f in reading.fields if f.name != "processing"] and not reading.systems:
        raise RegisterImportError(f"{path} has no table with register fields (controller, purposes, categories …): "
                                  "is it a register of processing?")
    return reading


def read_fields(path: Path) -> list[Field]:
    """The register's fields, from the tables and headed paragraphs of the Word file."""
    return read_document(path).fields


def category_of(text: str) -> str | None:
    """The data category a line of the Word register describes, or None."""
    low = text.lower()
    for category, words in CATEGORY_WORDS:
        if any(w in low for w in words):
            return category
    return None


def _controller(lines: list[str]) -> dict[str, str]:
    text = " ".join(lines)
    out = {"name": lines[0] if lines else ""}
    if len(lines) == 1:  # all on one line: the name ends with the company form
        m = re.match(r"(.*?\b(?:A/S|ApS|I/S|IVS|K/S|P/S|AMBA|Ltd\.?|Inc\.?|GmbH))\b", text)
        out["name"] = m.group(1) if m else text
    patterns = {"cvr": r"(?:cvr|cvr-nr|company reg\w*)\.?\s*(?:nr\.?|no\.?)?:?\s*(\d{8})",
                "website": r"\b((?:https?://)?www\.[\w.-]+)", "email": r"([\w.+-]+@[\w-]+\.[\w.-]+)",
                "phone": r"(?:telefon\w*|tlf\.?|phone)\s*:?\s*(\+?[\d ]{8,})"}
    address = [ln for ln in lines[1:] if not re.search(r":|@|www\.", ln)]
    if address:
        out["address"] = ", ".join(address)
    for key, pattern in patterns.items():
        m = re.search(pattern, text, re.IGNORECASE)
        if m:
            out[key] = m.group(1).strip()
    return out


def _slug(text: str) -> str:
    text = text.lower().replace("æ", "ae").replace("ø", "o").replace("å", "a")
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return "_".join(re.findall(r"[a-z0-9]+", text)[:3]) or "system"


def _system(text: str, declared: list[str]) -> dict:
    note = text  # the Word register's own wording, kept when it says more than the name
    m = re.match(r"(.*?)\s*\((.*)\)\s*$", text)
    name, remark = (m.group(1), m.group(2)) if m else (text, "")
    for short, full in ABBREVIATIONS.items():
        name = re.sub(rf"(?i)\b{re.escape(short)}(?=\s|$)", full, name)
    name = re.sub(r"\s*/\s*", " / ", name).strip()
    not_held = []
    if re.search(r"\b(ikke|not|except|undtagen)\b", remark, re.IGNORECASE):
        not_held = [c for c in [category_of(remark)] if c]
    words = name.lower()
    system = {"id": _slug(name), "name": name, "holds": [c for c in declared if c not in not_held],
              "does_not_hold": not_held, "note": note if remark else ""}
    system["scannable"] = not any(w in words for w in NOT_SCANNABLE_WORDS)
    return system


def _keywords(name: str) -> set[str]:
    return {w for w in re.findall(r"[\wæøå-]+", name.lower()) if len(w) >= 4 and w not in _STOPWORDS}


def _rule(sentence: str, systems: list[dict], n: int) -> dict:
    m = _RETENTION.search(sentence)
    amount = int(m.group(2)) if m.group(2).isdigit() else NUMBER_WORDS[m.group(2).lower()]
    unit = _UNIT.get(m.group(3).lower(), m.group(3).lower().rstrip("s") + "s")
    words = re.findall(r"[\wæøå-]+", sentence.lower())
    hits = [s["id"] for s in systems if any(w.startswith(k) or (k.startswith(w) and len(w) >= 5)
                                            for k in _keywords(s["name"]) for w in words)]
    if not hits and re.search(r"\bmail|korrespondance|correspondence", sentence, re.IGNORECASE):
        hits = [s["id"] for s in systems if re.search(r"outlook|mail|exchange", s["name"], re.IGNORECASE)]
    low = sentence.lower()
    clock = ("sent" if re.search(r"mail|korrespondance|correspondence", low) and "mapper" not in low
             else "folder" if re.search(r"kundemappe|tidligere|former|tabte", low)
             else "content" if re.search(r"ordre|faktura|bilag|regnskab|order|invoice", low) else "modified")
    return {"id": f"{n}-{_slug(sentence).replace('_', '-')}", "rule": sentence, "systems": hits,
            "keep": f"{amount} {unit}", "clock": clock}


def _sentences(lines: list[str]) -> list[str]:
    return [s.strip() for line in lines for s in re.split(r"(?<=[.!?])\s+(?=[A-ZÆØÅ])", line) if s.strip()]


_BOX_BEFORE = re.compile(r"^\s*(☒|☑|☐|□|\[[ xX]\]|[xX](?=\s+[A-ZÆØÅ]))\s*(.*)$")
_BOX_AFTER = re.compile(r"^(.*?)\s*(?:[:\-–]\s*|\(\s*)(ja|nej|yes|no|x)\)?\s*$", re.IGNORECASE)


def check_box(text: str) -> tuple[str, bool | None]:
    """A line's text without its check box, and whether the box is ticked (None: no box).

    `☒ CPR-nummer`, `[x] CPR-nummer`, `X CPR-nummer`, `CPR-nummer: Ja`, `CPR-nummer – Nej`."""
    m = _BOX_BEFORE.match(text)
    if m:
        return m.group(2).strip(), m.group(1).lower() in {"☒", "☑", "[x]", "x"}
    m = _BOX_AFTER.match(text)
    if m and m.group(1):
        return m.group(1).strip(), m.group(2).lower() in MARKS
    return text, None


def _category_by_name(name: str) -> str | None:
    """The category whose id or name (either language, with or without its explanation) is `name`."""
    low = name.strip().lower()
    for category, (danish, english) in CATEGORIES.items():
        if low in {category, danish.lower(), english.lower(), danish.split(" (")[0].lower(),
                   english.split(" (")[0].lower()}:
            return category
    return None


def category_named(text: str) -> str | None:
    """The category a cell names: its id, its name in either language (as the export writes it), or its words."""
    return _category_by_name(text) or _category_by_name(text.split(":")[0]) or category_of(text)


def _category_text(text: str) -> str:
    """The register's own words about a category: `Kontaktoplysninger: Navn, stilling` -> `Navn, stilling`."""
    if _category_by_name(text):
        return ""
    head, _, rest = text.partition(":")
    return rest.strip() if rest and _category_by_name(head) else text


def _pieces(text: str) -> list[str]:
    return [p.strip() for p in re.split(r"[\n;]", text or "") if p.strip()]


def _categories_in(text: str) -> list[str]:
    found = [category_named(p) for p in _pieces(text)]
    return [c for c in CATEGORIES if c in found]


def _clock_named(text: str) -> str | None:
    low = text.lower()
    return next((clock for clock, words in CLOCK_WORDS.items() if any(w in low for w in words)), None)


def _table_system(row: dict[str, str], declared: list[str]) -> dict:
    """A system from a row of a systems table (the export's layout): everything explicit."""
    name = row.get("name", "").strip()
    scannable_cell = row.get("scannable", "").strip().lower()
    paths = [p for p in re.split(r"[\n,;]\s*", row.get("paths", "")) if p.strip() and p.strip() not in "–-"]
    system = {"id": row.get("id", "").strip() or _slug(name), "name": name, "paths": paths,
              "holds": _categories_in(row.get("holds", "")) if "holds" in row else list(declared),
              "does_not_hold": _categories_in(row.get("does_not_hold", "")), "note": row.get("note", "").strip(),
              "explicit": True}
    system["scannable"] = (scannable_cell not in {"nej", "no", "false"} if scannable_cell
                           else bool(paths) or not any(w in name.lower() for w in NOT_SCANNABLE_WORDS))
    return system


def _table_rule(row: dict[str, str], systems: list[dict], n: int) -> dict | None:
    """A retention rule from a row of a retention table (the export's layout)."""
    keep = re.search(rf"(\d+|{'|'.join(NUMBER_WORDS)})\s+(år|måneder|mdr\.?|dage|years?|months?|days?)\b",
                     row.get("keep", ""), re.IGNORECASE)
    if not keep:
        return None
    amount = int(keep.group(1)) if keep.group(1).isdigit() else NUMBER_WORDS[keep.group(1).lower()]
    unit = _UNIT.get(keep.group(2).lower(), keep.group(2).lower().rstrip("s") + "s")
    by_name = {s["name"].lower(): s["id"] for s in systems} | {s["id"].lower(): s["id"] for s in systems}
    applies: dict[str, list[str]] = {"systems": [], "paths": []}
    for piece in _pieces(row.get("applies", "")):
        m = re.match(r"(systemer|systems|mapper|folders|paths)\s*:\s*(.*)", piece, re.IGNORECASE)
        key = "systems" if m and m.group(1).lower() in ("systemer", "systems") else "paths" if m else None
        for value in (p.strip() for p in (m.group(2) if m else piece).split(",")):
            if not value:
                continue
            if key == "paths" or (key is None and ("/" in value or "*" in value)):
                applies["paths"].append(value)
            else:
                applies["systems"].append(by_name.get(value.lower(), _slug(value)))
    rule_text = row.get("rule", "").strip()
    return {"id": row.get("id", "").strip() or f"{n}-{_slug(rule_text).replace('_', '-')}", "rule": rule_text,
            "systems": applies["systems"], "paths": applies["paths"], "keep": f"{amount} {unit}",
            "clock": _clock_named(row.get("clock", "")) or "modified", "clock_given": bool(_clock_named(
                row.get("clock", ""))), "folders": [p for p in _pieces(row.get("folders", "")) if p not in "–-"],
            "explicit": True}


def build_draft(reading: Reading | list[Field]) -> Draft:
    """Map what the Word file says onto datakort's register fields."""
    if isinstance(reading, list):
        reading = Reading(fields=reading)
    draft = Draft(version=reading.version, unplaced=list(reading.unplaced))
    by_name: dict[str, list[Field]] = {}
    for f in reading.fields:
        by_name.setdefault(f.name, []).append(f)

    def texts(name: str) -> list[str]:
        """The field's lines; lines with an unticked box are left out, boxes taken off the rest."""
        out = []
        for line in (line for f in by_name.get(name, []) for line in f.lines):
            text, ticked = check_box(line.text) if name != "controller" else (line.text, None)
            if ticked is not False:
                out.append(text)
        return out

    draft.processing = " ".join(texts("processing"))
    draft.controller = _controller(texts("controller"))
    if texts("representative"):
        draft.controller["representative"] = " ".join(texts("representative"))
    for name in ("joint_controllers", "dpo"):
        if texts(name):
            draft.controller[name] = " ".join(texts(name))
    draft.purposes, draft.data_subjects, draft.recipients = texts("purposes"), texts("data_subjects"), \
        texts("recipients")
    draft.third_countries, draft.deletion = texts("third_countries"), texts("deletion")
    category_lines = [(check_box(line.text), f.marked) for f in by_name.get("categories", []) for line in f.lines]
    any_marks = any(marked or ticked is not None for (_, ticked), marked in category_lines)
    for (text, ticked), marked in category_lines:
        marked = ticked if ticked is not None else marked if any_marks else True  # a plain list declares
        category = category_named(text)
        if category is None:
            if marked and any_marks:
                draft.unmapped.append(text)
            elif not any_marks:
                draft.unplaced.append(text)
            continue
        entry = draft.categories.setdefault(category, {"declared": False, "text": []})
        entry["declared"] = entry["declared"] or marked
        if _category_text(text):
            entry["text"].append(_category_text(text))
    declared = [c for c in CATEGORIES if draft.categories.get(c, {}).get("declared")]
    security = [line for f in by_name.get("security", []) for line in f.lines]
    system_lines = [line for f in by_name.get("systems", []) for line in f.lines]
    if reading.systems:
        draft.security = [line.text for line in security]
        draft.systems = [_table_system(row, declared) for row in reading.systems if row.get("name")]
        draft.unplaced += [line.text for line in system_lines]
    elif system_lines:
        draft.security = [line.text for line in security]
        draft.systems = [_system(line.text, declared) for line in system_lines]
    else:
        draft.security = [line.text for line in security if not line.item]
        draft.systems = [_system(line.text, declared) for line in security if line.item]
    if reading.rules:
        rules = [_table_rule(row, draft.systems, n) for n, row in enumerate(reading.rules, start=1)]
        draft.retention = [r for r in rules if r]
        draft.unplaced += [" | ".join(row.values()) for row, r in zip(reading.rules, rules) if r is None]
    else:
        sentences = [s for s in _sentences(draft.deletion + draft.security) if _RETENTION.search(s)]
        draft.retention = [_rule(s, draft.systems, n) for n, s in enumerate(sentences, start=1)]
    return draft


# --- writing the YAML ------------------------------------------------------------------

def _q(value: str) -> str:
    """A YAML scalar: JSON's double-quoted strings are valid YAML."""
    return json.dumps(value, ensure_ascii=False)


def _flow(values: list[str]) -> str:
    return "[" + ", ".join(values) + "]"


def render_yaml(draft: Draft, source: str) -> tuple[str, list[tuple[int, str]]]:
    """The draft as register YAML with `# TODO` marks, and the TODOs as (line number, what to do)."""
    out: list[str] = []
    todos: list[tuple[int, str]] = []

    def put(line: str, todo: str = "") -> None:
        out.append(f"{line}  # TODO: {todo}" if todo else line)
        if todo:
            todos.append((len(out), todo))

    put(f"# Draft made by `datakort register import` from {Path(source).name}.")
    put("# Finish every line marked TODO, then run `datakort register check` on this file.")
    put(f"format: {FORMAT}")
    if draft.version:
        put(f"version: {_q(draft.version)}")
    else:
        put('version: "draft"', "the register's own version, e.g. \"2026-01\"")
    if draft.processing:
        put(f"processing: {_q(draft.processing)}")
    put("controller:")
    for key, value in draft.controller.items():
        if value:
            put(f"  {key}: {_q(value)}")
    if not draft.controller.get("name"):
        put('  name: ""', "the controller's name (not found in the Word file)")
    for key in ("purposes", "data_subjects", "recipients", "third_countries"):
        values = getattr(draft, key)
        put(f"{key}:" if values else f"{key}: []")
        for value in values:
            put(f"  - {_q(value)}")
    put("categories:")
    for category in CATEGORIES:
        entry = draft.categories.get(category)
        text = f", text: {_q('; '.join(entry['text']))}" if entry and entry["text"] else ""
        put(f"  {category}: {{declared: {'true' if entry and entry['declared'] else 'false'}{text}}}")
    for text in draft.unmapped:
        general = re.search(r"almindelig|general|ordinary", text, re.IGNORECASE)
        put(f"  # marked in the Word file: {_q(text)}",
            "set `declared: true` on the general categories it covers (contact, personal_details, financial)"
            if general else "add it to the category it belongs to")
    if draft.deletion:
        put(f"deletion: {_q(' '.join(draft.deletion))}")
    if draft.security:
        put(f"security: {_q(' '.join(draft.security))}")
    put("systems:" if draft.systems else "systems: []", "" if draft.systems else "no list of systems found: add them")
    for s in draft.systems:
        explicit = s.get("explicit", False)
        put(f"  - id: {s['id']}")
        put(f"    name: {_q(s['name'])}")
        if s.get("paths"):
            put(f"    paths: {_flow([_q(p) for p in s['paths']])}")
        if not s["scannable"]:
            put("    scannable: false", "" if explicit else
                f"guessed from the name that the scanner cannot reach {s['name']}: check")
        elif not s.get("paths"):
            put("    paths: []", f"the share folders that belong to {s['name']}, as globs like \"Folder/**\" "
                                 "(or `scannable: false` if the scanner cannot reach it)")
        put(f"    holds: {_flow(s['holds'])}", "" if explicit else f"check which categories {s['name']} holds")
        if s["does_not_hold"]:
            put(f"    does_not_hold: {_flow(s['does_not_hold'])}")
        if s["note"]:
            put(f"    note: {_q(s['note'])}")
    put("retention:" if draft.retention else "retention: []")
    for r in draft.retention:
        put(f"  - id: {r['id']}")
        put(f"    rule: {_q(r['rule'])}")
        explicit = r.get("explicit", False)
        put("    applies_to:")
        if r.get("paths"):
            put(f"      paths: {_flow([_q(p) for p in r['paths']])}")
        if r["systems"]:
            put(f"      systems: {_flow(r['systems'])}", "" if explicit else
                f"check the systems rule {r['id']} applies to; use `paths:` instead when it covers only some folders")
        elif not r.get("paths"):
            put("      paths: []", f"the folders rule {r['id']} applies to")
        put(f"    keep: {r['keep']}")
        put(f"    clock: {r['clock']}", "" if r.get("clock_given") else "guessed from the wording: check which date "
                                        "starts the count (modified, created, sent, content or folder)")
        if r.get("folders"):
            put(f"    folders: {_flow([_q(p) for p in r['folders']])}")
    if draft.unplaced:
        put("# Text of the Word file no field could take (not read into this draft):")
    for text in draft.unplaced:
        put(f"#   {_q(text)}", "place it in the right field above, or leave it out")
    return "\n".join(out) + "\n", todos


def draft_register(docx_path: str | Path) -> tuple[str, list[tuple[int, str]]]:
    """Read a Word register; return the draft YAML and the TODOs a person must still do."""
    path = Path(docx_path)
    return render_yaml(build_draft(read_document(path)), str(path))
