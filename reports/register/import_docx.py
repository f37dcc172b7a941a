"""Import a Word register (persondatafortegnelse) into a draft in datakort's register format.

Reads the Art. 30 table the way Datatilsynet's template and common variants lay it out
(a label column or two, a value column, and an X column for the data categories; Danish
or English labels) and writes YAML a DPO can finish: everything the Word file says is
carried over, and what it cannot say (which folders belong to each system, which clock a
retention rule counts from) is marked `# TODO`. `draft_register` returns the YAML text
and the list of TODOs; `datakort register import` writes one and prints the other.
"""
from __future__ import annotations

import json
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

from detectors.categories import CATEGORIES
from reports.register.model import FORMAT

MARKS = {"x", "☒", "✓", "✔", "ja", "yes", "[x]"}
# Field -> words its label contains, Danish (Datatilsynet's template and the seed) and English.
# Checked in this order: the more specific fields first.
FIELDS = (
    ("joint_controllers", ("fælles dataansvarlig", "joint controller")),
    ("representative", ("repræsentant", "representative")),
    ("dpo", ("databeskyttelsesrådgiver", "data protection officer")),
    ("categories", ("oplysninger, som behandles", "kategorier af personoplysninger", "typer af personoplysninger",
                    "categories of personal data", "personal data processed", "types of personal data")),
    ("data_subjects", ("kategori af registrerede", "kategorier af registrerede", "registrerede personer",
                       "data subjects")),
    ("recipients", ("modtager", "recipient")),
    ("third_countries", ("tredjeland", "third countr", "international")),
    ("deletion", ("sletning", "slette", "erasure", "deletion", "retention")),
    ("security", ("sikkerhed", "security")),
    ("purposes", ("formål", "purpose")),
    ("controller", ("dataansvarlig", "controller")),
)
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
    """One row of the register table: which field it is, its value lines and its X mark."""

    name: str
    label: str
    lines: list[Line]
    marked: bool


@dataclass
class Draft:
    """The imported register, before it is written out as YAML."""

    processing: str = ""
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


def _clean(text: str) -> str:
    """Text without Word's optional hyphens and with single spaces."""
    return re.sub(r"\s+", " ", text.replace("\u00ad", "")).strip()


def _field_of(labels: list[str]) -> str | None:
    for label in reversed(labels):  # the most specific label (the field column) first
        low = _clean(label).lower()
        for name, words in FIELDS:
            if any(w in low for w in words):
                return name
    return None


def _has_mark_column(rows) -> bool:
    """Whether a table's last column holds the X marks: some X in it, and nothing longer than a mark."""
    last = [cells[-1].text.strip().lower() for cells in rows if len(cells) > 2 and cells[-1]._tc is not cells[-2]._tc]
    return any(t in MARKS for t in last) and all(len(t) <= 3 for t in last)


def read_fields(path: Path) -> list[Field]:
    """The register's rows, from every table in the Word file, with the field each belongs to."""
    import zipfile

    import docx
    from docx.opc.exceptions import PackageNotFoundError

    try:
        document = docx.Document(str(path))
    except (zipfile.BadZipFile, KeyError, ValueError, PackageNotFoundError) as exc:
        raise RegisterImportError(f"{path} is damaged or not a Word (.docx) file "
                                  f"({type(exc).__name__}: {exc})") from exc
    except OSError as exc:
        raise RegisterImportError(f"cannot read {path}: {exc.strerror or exc}") from exc
    fields: list[Field] = []
    title = next((p.text for p in document.paragraphs if p.text.strip()), "")
    if title:  # "… persondatafortegnelse om kundeadministration": the processing it covers
        m = re.search(r"(?:fortegnelse|register|record).*\s(?:om|for|of)\s+(.+)", _clean(title), re.IGNORECASE)
        processing = m.group(1) if m else _clean(title)
        fields.append(Field("processing", "title", [Line(processing[:1].upper() + processing[1:])], False))
    for table in document.tables:
        current = None
        rows = [row.cells for row in table.rows]
        mark_column = _has_mark_column(rows)
        for cells in rows:
            if not cells:
                continue
            value = cells[-2] if mark_column and cells[-1]._tc is not cells[-2]._tc else cells[-1]
            last_is_mark_column = value is not cells[-1]
            marked = last_is_mark_column and cells[-1].text.strip().lower() in MARKS
            labels = []
            for cell in cells[:cells.index(value)]:
                if cell._tc is not value._tc and cell.text.strip() and cell.text not in labels:
                    labels.append(cell.text)
            current = _field_of(labels) or current
            if current is None:
                continue
            lines = [Line(_clean(text), "List" in (p.style.name if p.style is not None else ""))
                     for p in value.paragraphs for text in p.text.split("\n") if text.strip()]
            fields.append(Field(current, _clean(labels[-1]) if labels else "", lines, marked))
    if not [f for f in fields if f.name != "processing"]:
        raise RegisterImportError(f"{path} has no table with register fields (controller, purposes, categories …): "
                           "is it a register of processing?")
    return fields


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


def build_draft(fields: list[Field]) -> Draft:
    """Map the register's rows onto datakort's register fields."""
    draft = Draft()
    by_name: dict[str, list[Field]] = {}
    for f in fields:
        by_name.setdefault(f.name, []).append(f)

    def texts(name: str) -> list[str]:
        return [line.text for f in by_name.get(name, []) for line in f.lines]

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
    for f in by_name.get("categories", []):
        for line in f.lines:
            box = re.match(r"^\s*(☒|☐|\[[ xX]\])\s*(.*)", line.text)
            text, marked = (box.group(2), box.group(1) in ("☒", "[x]", "[X]")) if box else (line.text, f.marked)
            category = category_of(text)
            if category is None:
                if marked:
                    draft.unmapped.append(text)
                continue
            entry = draft.categories.setdefault(category, {"declared": False, "text": []})
            entry["declared"] = entry["declared"] or marked
            entry["text"].append(text)
    declared = [c for c in CATEGORIES if draft.categories.get(c, {}).get("declared")]
    security = [line for f in by_name.get("security", []) for line in f.lines]
    draft.security = [line.text for line in security if not line.item]
    draft.systems = [_system(line.text, declared) for line in security if line.item]
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
        text = f", text: {_q('; '.join(entry['text']))}" if entry else ""
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
        put(f"  - id: {s['id']}")
        put(f"    name: {_q(s['name'])}")
        if s["scannable"]:
            put("    paths: []", f"the share folders that belong to {s['name']}, as globs like \"Folder/**\" "
                                 "(or `scannable: false` if the scanner cannot reach it)")
        else:
            put("    scannable: false", f"guessed from the name that the scanner cannot reach {s['name']}: check")
        put(f"    holds: {_flow(s['holds'])}", f"check which categories {s['name']} holds")
        if s["does_not_hold"]:
            put(f"    does_not_hold: {_flow(s['does_not_hold'])}")
        if s["note"]:
            put(f"    note: {_q(s['note'])}")
    put("retention:" if draft.retention else "retention: []")
    for r in draft.retention:
        put(f"  - id: {r['id']}")
        put(f"    rule: {_q(r['rule'])}")
        put("    applies_to:")
        if r["systems"]:
            put(f"      systems: {_flow(r['systems'])}", f"check the systems rule {r['id']} applies to; "
                "use `paths:` instead when it covers only some folders")
        else:
            put("      paths: []", f"the folders rule {r['id']} applies to")
        put(f"    keep: {r['keep']}")
        put(f"    clock: {r['clock']}", "guessed from the wording: check which date starts the count "
                                        "(modified, created, sent, content or folder)")
    return "\n".join(out) + "\n", todos


def draft_register(docx_path: str | Path) -> tuple[str, list[tuple[int, str]]]:
    """Read a Word register; return the draft YAML and the TODOs a person must still do."""
    path = Path(docx_path)
    return render_yaml(build_draft(read_fields(path)), str(path))
