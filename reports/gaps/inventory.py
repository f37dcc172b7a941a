"""The inventory (data map): per system, or per folder no system covers, what personal data is held.

For each place: which categories, how many items hold personal data (of how many scanned),
how many findings, and the oldest and newest modification dates of those items — what the
DPO copies into the register.
"""
from __future__ import annotations

import posixpath
from dataclasses import dataclass, field
from datetime import datetime
from typing import Iterable

from reports.gaps.findings import personal_only
from reports.register.model import Register
from scanner.model import ItemResult


@dataclass
class InventoryRow:
    """One place of the data map."""

    place: str                 # the system's name, or the folder no system covers
    system: str | None         # system id; None for an undeclared folder
    items: int = 0             # items scanned there
    items_with_data: int = 0   # of which hold personal data
    findings: int = 0
    categories: dict[str, int] = field(default_factory=dict)  # category -> findings
    declared: list[str] = field(default_factory=list)         # categories the register says it holds
    oldest: datetime | None = None
    newest: datetime | None = None

    def undeclared(self) -> list[str]:
        """Categories found here that the register does not declare for this place."""
        return [c for c in self.categories if c not in self.declared]


def inventory(register: Register, items: Iterable[ItemResult]) -> list[InventoryRow]:
    """The data map of one scan: declared systems first (register order), then undeclared folders."""
    rows: dict[tuple[int, str], InventoryRow] = {}
    order = {s.id: n for n, s in enumerate(register.systems)}
    for item in items:
        item = personal_only(item)  # not CVR numbers
        system = register.system_for(item.path)
        if system is not None:
            key = (order[system.id], system.id)
            row = rows.get(key) or rows.setdefault(key, InventoryRow(system.name, system.id,
                                                                    declared=list(system.holds)))
        else:
            folder = posixpath.dirname(item.path) or "."
            if not item.finding_count():
                continue  # folders outside the register are listed only when they hold personal data
            row = rows.setdefault((len(order), folder), InventoryRow(folder, None))
        row.items += 1
        if not item.finding_count():
            continue
        row.items_with_data += 1
        row.findings += item.finding_count()
        for category in sorted(item.categories()):
            row.categories[category] = row.categories.get(category, 0) + item.finding_count(category)
        if item.mtime:
            row.oldest = min(row.oldest or item.mtime, item.mtime)
            row.newest = max(row.newest or item.mtime, item.mtime)
    return [rows[k] for k in sorted(rows)]
