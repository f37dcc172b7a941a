"""Findings as rows a report lists, each with a stable ID that survives from scan to scan.

A finding's identity is its location, entity type and keyed value hash: the same value in
the same file gives the same ID in every scan (with the same key), a changed value a new one.
The same value found twice in one item is one row with several sub-locations (`wheres`): the
first MAX_WHERES of them, and how many more times it was found (a name in 10 000 rows of a
contact list is one row, not a cell of 10 000 row numbers).
"""
from __future__ import annotations

import hashlib
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Iterable

from detectors.categories import PERSONAL_CATEGORIES
from scanner.model import ItemResult

MAX_WHERES = 20  # sub-locations kept per row; further ones are counted (`more`)
# Findings of one item a report or a diff holds in memory and lists; the others they count (the
# store, the workspace and `datakort find` have every one). A document has far fewer; a contact
# list of a million rows has millions, and its report would otherwise need gigabytes.
ITEM_FINDINGS = 20_000


def finding_id(location: str, entity_type: str, value_hash: str) -> str:
    """The stable ID of a finding (16 hex digits)."""
    key = "\x00".join((location, entity_type, value_hash))
    return hashlib.sha256(key.encode()).hexdigest()[:16]


@dataclass
class FindingRow:
    """One distinct value in one item: what the report's findings table and the diff show."""

    id: str
    location: str
    entity_type: str
    category: str
    masked: str
    score: float
    wheres: list[str] = field(default_factory=list)
    modified: datetime | None = None
    more: int = 0  # times the value was found elsewhere in the item beyond `wheres`

    @property
    def where(self) -> str:
        shown = ", ".join(w for w in self.wheres if w)
        return f"{shown} … (+{self.more})" if self.more and shown else shown


def personal_only(item: ItemResult) -> ItemResult:
    """The item with only its findings that are personal data (not e.g. CVR numbers, category `company`),
    those counted beyond its `findings` included."""
    findings = [f for f in item.findings if f.category in PERSONAL_CATEGORIES]
    more = {c: n for c, n in item.more_findings.items() if c in PERSONAL_CATEGORIES}
    if len(findings) == len(item.findings) and len(more) == len(item.more_findings):
        return item
    return replace(item, findings=findings, more_findings=more)


def finding_rows(items: Iterable[ItemResult]) -> list[FindingRow]:
    """Every distinct finding of a scan, in location order."""
    rows: dict[str, FindingRow] = {}
    for item in items:
        for f in item.findings:
            fid = finding_id(item.location, f.entity_type, f.value_hash)
            row = rows.get(fid)
            if row is None:
                row = rows[fid] = FindingRow(fid, item.location, f.entity_type, f.category, f.masked, f.score,
                                             modified=item.mtime)
            row.score = max(row.score, f.score)
            if f.where not in row.wheres:  # (at most MAX_WHERES to look through)
                if len(row.wheres) < MAX_WHERES:
                    row.wheres.append(f.where)
                else:
                    row.more += 1
    return sorted(rows.values(), key=lambda r: (r.location, r.entity_type, r.masked, r.id))
