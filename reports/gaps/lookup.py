"""Where is this person? Look one value (CPR, e-mail, phone, name) up by its keyed hash.

The value is normalised and hashed exactly as the detector hashes what it finds
(detectors/privacy.py `ValueHasher`), with the same secret key, and the store's index on
`findings.value_hash` finds every place holding it. The value itself is never stored,
logged or returned: only its kind, and the masked values and locations of the hits.
"""
from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass

from openpyxl import Workbook

from detectors.privacy import ValueHasher, key_path, normalise
from scanner.store import LookupHit, WorkspaceStore

# what a person can look up -> the entity types the detectors record it as
KINDS: dict[str, tuple[str, ...]] = {"cpr": ("DK_CPR",), "email": ("EMAIL_ADDRESS",), "phone": ("DK_PHONE",),
                                     "name": ("PERSON",)}


class ValueNotUsable(ValueError):
    """The value cannot be looked up as entered; the message says why (without repeating the value)."""


def _check(kind: str, value: str) -> None:
    if kind not in KINDS:
        raise ValueNotUsable(f"unknown kind {kind!r}; choose from {', '.join(KINDS)}")
    text = value.strip()
    if kind == "cpr" and len(normalise("DK_CPR", text)) != 10:
        raise ValueNotUsable("a CPR number has 10 digits (DDMMYY-XXXX)")
    if kind == "phone" and len(re.sub(r"\D", "", text)) < 8:
        raise ValueNotUsable("a Danish phone number has 8 digits")
    if kind == "email" and not re.fullmatch(r"[^@\s]+@[^@\s]+\.[^@\s]+", text):
        raise ValueNotUsable("that is not an e-mail address")
    if kind == "name" and len(text) < 2:
        raise ValueNotUsable("enter a name")


def value_hashes(kind: str, value: str, key: bytes) -> list[str]:
    """The keyed hashes the store would hold for this value (one per entity type of the kind)."""
    _check(kind, value)
    hasher = ValueHasher(key)
    return [hasher(entity_type, value.strip()) for entity_type in KINDS[kind]]


def read_key() -> bytes:
    """The secret key the scans were made with; LookupError when there is none (a lookup never creates one)."""
    path = key_path()
    if not path.exists():
        raise LookupError(f"there is no secret key at {path}: a lookup needs the key the scans were made with "
                          "(set DATAKORT_KEY_FILE)")
    return path.read_bytes().strip()


@dataclass
class Lookup:
    """The answer to one lookup: the kind asked for, the scans searched and every hit."""

    kind: str
    scans: list[int]
    hits: list[LookupHit]

    @property
    def places(self) -> int:
        return len({(h.scan_id, h.location) for h in self.hits})


def look_up(store: WorkspaceStore, kind: str, hashes: list[str], all_scans: bool = False) -> Lookup:
    """Every place holding the value: in the latest scan of every root, or in every scan."""
    scans = store.scan_ids() if all_scans else store.latest_scans()
    return Lookup(kind, scans, store.find_hashes(hashes, scans))


COLUMNS = ("scan", "scan_started", "root", "file", "location", "where", "entity_type", "category", "masked", "owner")


def _rows(lookup: Lookup) -> list[list]:
    return [[h.scan_id, h.scan_started, h.root, h.top or h.location.split(" › ")[0], h.location, h.where,
             h.entity_type, h.category, h.masked, h.owner or ""] for h in lookup.hits]


def lookup_csv(lookup: Lookup) -> bytes:
    """The hits as CSV (UTF-8 with BOM, so spreadsheet programs read the Danish letters)."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(COLUMNS)
    writer.writerows(_rows(lookup))
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def lookup_xlsx(lookup: Lookup) -> bytes:
    """The hits as one XLSX sheet, for a request's case file."""
    book = Workbook()
    sheet = book.active
    sheet.title = "locations"
    sheet.append(COLUMNS)
    for row in _rows(lookup):
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
