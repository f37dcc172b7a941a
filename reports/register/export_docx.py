"""Export the register as an Art. 30 Word draft (.docx), with what the scans found per system.

The document is laid out on Art. 30's Danish headings (`HEADINGS` in import_docx.py, the
words `datakort register import` reads), so the DPO can update the company's real register
from it, and `register import` of the export gives back the same register. Next to what the
register declares it shows what the last scan found: per system the categories found (and
which of them the register does not declare), per retention rule how many items are kept too
long, and the folders no system covers. The document is in Danish, like the register it feeds.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import yaml

from detectors.categories import CATEGORIES
from reports.register.import_docx import CLOCK_WORDS, HEADINGS
from reports.register.model import Register

UNITS_DA = {"years": "år", "months": "måneder", "days": "dage"}
SCAN_HEADING = "Fundet ved skanningen (datakort)"
SYSTEM_HEADERS = ("ID", "System", "Mapper på drevet", "Indeholder", "Indeholder ikke", "Kan skannes", "Note",
                  "Fundet ved skanningen", "Fundet, men ikke i fortegnelsen")
RULE_HEADERS = ("ID", "Regel", "Gælder for", "Opbevares", "Regnes fra", "Per mappe", "For længe ved skanningen")


@dataclass
class PlaceFound:
    """What a scan found in one system, or in one folder no system covers."""

    place: str
    system: str | None                                      # system id; None for a folder outside the register
    categories: dict[str, int] = field(default_factory=dict)  # category -> findings
    undeclared: list[str] = field(default_factory=list)
    items: int = 0
    items_with_data: int = 0


@dataclass
class Found:
    """What one scan found, as the export shows it next to the register."""

    scan_id: int
    when: str                                                # the scan's local time, for people
    root: str
    places: list[PlaceFound] = field(default_factory=list)
    overdue: dict[str, int] = field(default_factory=dict)    # retention rule id -> items kept too long


def category_name(category: str) -> str:
    """A category's short Danish name, as the import reads it back: `Kontaktoplysninger`."""
    return CATEGORIES[category][0].split(" (")[0] if category in CATEGORIES else category


def _names(categories) -> str:
    return "; ".join(category_name(c) for c in categories)


def _found_text(place: PlaceFound | None) -> tuple[str, str]:
    if place is None:
        return "ikke skannet", ""
    found = "; ".join(f"{category_name(c)} ({n})" for c, n in sorted(place.categories.items())) or "intet"
    return (f"{found} – {place.items_with_data} af {place.items} elementer med personoplysninger",
            _names(place.undeclared))


def _table(document, headers: tuple[str, ...], rows: list[list[str]]) -> None:
    table = document.add_table(rows=1, cols=len(headers))
    table.style = "Table Grid"
    for cell, text in zip(table.rows[0].cells, headers):
        cell.text = ""
        cell.paragraphs[0].add_run(text).bold = True
    for row in rows:
        for cell, text in zip(table.add_row().cells, row):
            cell.text = text


def _bullets(document, lines: list[str]) -> None:
    for line in lines:
        document.add_paragraph(str(line), style="List Bullet")


def _clock_name(clock: str) -> str:
    return CLOCK_WORDS[clock][0] if clock in CLOCK_WORDS else clock


def write_register_docx(register: Register, path: Path, found: Found | None = None,
                        made: date | None = None) -> Path:
    """Write the Art. 30 draft of `register` (read again from its YAML for the fields the model leaves out)."""
    import docx  # python-docx: only this command writes Word files

    raw = yaml.safe_load(Path(register.source).read_text(encoding="utf-8")) if register.source else {}
    raw = raw if isinstance(raw, dict) else {}
    controller = raw.get("controller") if isinstance(raw.get("controller"), dict) else {"name": register.controller}
    categories = raw.get("categories") if isinstance(raw.get("categories"), dict) else {}
    document = docx.Document()
    document.add_heading(f"Fortegnelse over behandlingsaktiviteter – {raw.get('processing') or 'behandlingen'}", 0)
    document.add_paragraph(f"Version: {register.version}")
    made_by = f"Udkast lavet af datakort {(made or date.today()).isoformat()} fra {Path(register.source).name}"
    if found:
        made_by += f" og skanning {found.scan_id} af {found.root} ({found.when})"
    document.add_paragraph(made_by + ". Ret udkastet til, og overfør det til virksomhedens fortegnelse.")

    document.add_heading(HEADINGS["controller"], 1)
    document.add_paragraph(str(controller.get("name", register.controller)))
    if controller.get("address"):
        document.add_paragraph(str(controller["address"]))
    for key, label in (("cvr", "CVR-nr."), ("email", "E-mail"), ("phone", "Telefon"), ("website", "Hjemmeside")):
        if controller.get(key):
            document.add_paragraph(f"{label}: {controller[key]}")
    for key, heading in (("representative", "Den dataansvarliges repræsentant"),
                         ("joint_controllers", "Fælles dataansvarlige"), ("dpo", "Databeskyttelsesrådgiver")):
        if controller.get(key):
            document.add_heading(heading, 2)
            document.add_paragraph(str(controller[key]))

    for key in ("purposes", "data_subjects"):
        document.add_heading(HEADINGS[key], 1)
        _bullets(document, getattr(register, key))

    document.add_heading(HEADINGS["categories"], 1)
    for category in CATEGORIES:
        spec = categories.get(category) if isinstance(categories.get(category), dict) else {}
        text = f": {spec['text']}" if spec.get("text") else ""
        box = "☒" if register.is_declared(category) else "☐"
        document.add_paragraph(f"{box} {category_name(category)}{text}")

    document.add_heading(HEADINGS["recipients"], 1)
    _bullets(document, list(raw.get("recipients") or []))
    document.add_heading(HEADINGS["third_countries"], 1)
    _bullets(document, list(raw.get("third_countries") or []))

    document.add_heading(HEADINGS["deletion"], 1)
    if raw.get("deletion"):
        document.add_paragraph(str(raw["deletion"]))
    rows = []
    for r in register.retention:
        applies = []
        if r.systems:
            applies.append("systemer: " + ", ".join(r.systems))
        if r.paths:
            applies.append("mapper: " + ", ".join(p.text for p in r.paths))
        overdue = "ikke skannet" if found is None else f"{found.overdue.get(r.id, 0)} elementer"
        rows.append([r.id, r.rule, "\n".join(applies), f"{r.keep.amount} {UNITS_DA[r.keep.unit]}",
                     _clock_name(r.clock), "\n".join(p.text for p in r.folders), overdue])
    if rows:
        _table(document, RULE_HEADERS, rows)

    document.add_heading(HEADINGS["security"], 1)
    if raw.get("security"):
        document.add_paragraph(str(raw["security"]))

    document.add_heading(HEADINGS["systems"], 1)
    by_system = {p.system: p for p in found.places if p.system} if found else {}
    rows = []
    for s in register.systems:
        place = by_system.get(s.id) if found else None
        found_text, undeclared = _found_text(place) if s.scannable and found else ("", "")
        rows.append([s.id, s.name, "\n".join(p.text for p in s.paths), _names(s.holds), _names(s.does_not_hold),
                     "ja" if s.scannable else "nej", s.note, found_text, undeclared])
    _table(document, SYSTEM_HEADERS, rows)

    if found:
        document.add_heading(SCAN_HEADING, 1)
        outside = [p for p in found.places if p.system is None]
        document.add_paragraph(f"Skanning {found.scan_id} af {found.root} ({found.when}). Tallene er fund. "
                               "Mapper med personoplysninger, som intet system i fortegnelsen dækker:"
                               if outside else f"Skanning {found.scan_id} af {found.root} ({found.when}). "
                               "Alle fund lå i systemer, som fortegnelsen nævner.")
        if outside:
            _table(document, ("Mappe", "Fundet ved skanningen", "Ikke i fortegnelsen"),
                   [[p.place, *_found_text(p)] for p in outside])
        overdue = sum(found.overdue.values())
        document.add_paragraph(f"I alt er {overdue} elementer opbevaret længere end fortegnelsens tidsfrister.")
    document.save(str(path))
    return path
