"""Reconciliation: hold a scan's items and findings against the register and list the gaps.

Gap kinds (docs/register.md explains each):
- undeclared_location: personal data under a path no system covers (one gap per folder);
- undeclared_category: a category found in a system that does not declare it;
- contradiction: the register says the system does NOT hold the category, yet it does;
- overdue: an item holding personal data is older than the retention rule that applies;
- could_not_inspect: an item that should have been read but could not be.

The result depends only on the items and the register, not on the order items arrive in.
"""
from __future__ import annotations

import hashlib
import posixpath
from collections import defaultdict
from dataclasses import dataclass, field, replace
from datetime import date
from typing import Iterable

from detectors.categories import HIGH_RISK_CATEGORIES, PERSONAL_CATEGORIES
from reports.register import Register, RetentionRule, System, as_date
from scanner.model import FAILED, ItemResult

HIGH, MEDIUM, LOW = "high", "medium", "low"
SEVERITY_ORDER = {HIGH: 0, MEDIUM: 1, LOW: 2}
KIND_ORDER = ("undeclared_location", "undeclared_category", "contradiction", "overdue", "could_not_inspect")
MAX_EVIDENCE = 50


@dataclass
class Gap:
    """One thing the DPO must act on, with the evidence behind it (masked values only)."""

    kind: str
    severity: str
    location: str
    detail: str
    system: str | None = None
    category: str | None = None
    categories: list[str] = field(default_factory=list)
    rule: str | None = None
    items: int = 0
    findings: int = 0
    evidence: list[dict] = field(default_factory=list)
    id: str = ""

    def __post_init__(self) -> None:
        if not self.id:
            key = "\x00".join([self.kind, self.location, self.system or "", self.category or "", self.rule or ""])
            self.id = hashlib.sha256(key.encode()).hexdigest()[:12]


def _evidence(item: ItemResult, categories: Iterable[str] | None = None) -> list[dict]:
    wanted = set(categories) if categories is not None else None
    return [{"location": item.location, "where": f.where, "entity_type": f.entity_type, "category": f.category,
             "masked": f.masked, "score": f.score}
            for f in item.findings if wanted is None or f.category in wanted]


def _severity(categories: Iterable[str], otherwise: str) -> str:
    return HIGH if set(categories) & HIGH_RISK_CATEGORIES else otherwise


def _folder(path: str) -> str:
    return posixpath.dirname(path) or "."


def _sorted(gaps: list[Gap]) -> list[Gap]:
    return sorted(gaps, key=lambda g: (SEVERITY_ORDER[g.severity], KIND_ORDER.index(g.kind), g.location,
                                       g.category or "", g.rule or ""))


def _clock_start(item: ItemResult, rule: RetentionRule) -> date | None:
    """The date the rule's clock started for this item: `modified` is the file's (or member's)
    modification time; `created` and `sent` are the document's or message's own dates and
    fall back to the modification time when the item has none."""
    start = item.dates.get(rule.clock) if rule.clock != "modified" else None
    start = start or item.mtime
    return as_date(start) if start else None


def reconcile(register: Register, items: Iterable[ItemResult], as_of: date) -> list[Gap]:
    """All gaps between what a scan found and what the register declares, most severe first."""
    # only personal data counts (a CVR number is found, but is about a company)
    items = sorted((replace(i, findings=[f for f in i.findings if f.category in PERSONAL_CATEGORIES]) for i in items),
                   key=lambda i: i.location)
    gaps: list[Gap] = []
    undeclared_folders: dict[str, list[ItemResult]] = defaultdict(list)
    by_system_category: dict[tuple[str, str], list[ItemResult]] = defaultdict(list)
    overdue: dict[tuple[str, str], list[tuple[ItemResult, date, date]]] = defaultdict(list)
    systems = {s.id: s for s in register.systems}

    for item in items:
        if item.status == FAILED:
            gaps.append(Gap("could_not_inspect", LOW, item.location, item.reason or "unknown reason", items=1))
            continue
        if not item.findings:
            continue
        system = register.system_for(item.path)
        if system is None:
            undeclared_folders[_folder(item.path)].append(item)
        else:
            for category in sorted({f.category for f in item.findings}):
                by_system_category[(system.id, category)].append(item)
        for rule in register.retention:
            if not rule.applies_to(item.path, system):
                continue
            start = _clock_start(item, rule)
            if start is not None and rule.keep.after(start) < as_of:
                overdue[(rule.id, _folder(item.path))].append((item, start, rule.keep.after(start)))

    for folder, folder_items in undeclared_folders.items():
        categories = sorted({f.category for i in folder_items for f in i.findings})
        gaps.append(Gap(
            "undeclared_location", _severity(categories, MEDIUM), folder,
            f"personal data ({', '.join(categories)}) in {len(folder_items)} item(s) under a folder "
            "that no system in the register covers",
            categories=categories, items=len(folder_items), findings=sum(len(i.findings) for i in folder_items),
            evidence=[e for i in folder_items for e in _evidence(i)][:MAX_EVIDENCE]))

    for (system_id, category), cat_items in by_system_category.items():
        system: System = systems[system_id]
        if category in system.does_not_hold:
            kind, detail = "contradiction", (f"the register says {system.name} does not hold {category}, "
                                             f"yet {len(cat_items)} item(s) there do")
            severity = _severity([category], MEDIUM)
        elif category not in system.holds or not register.is_declared(category):
            kind = "undeclared_category"
            why = "is not declared in the register" if not register.is_declared(category) \
                else f"is not declared for {system.name}"
            detail = f"{category} found in {len(cat_items)} item(s) in {system.name}, but {category} {why}"
            severity = _severity([category], MEDIUM)
        else:
            continue
        found = [e for i in cat_items for e in _evidence(i, [category])]
        folder = posixpath.commonpath([i.path for i in cat_items]) if len(cat_items) > 1 else _folder(cat_items[0].path)
        gaps.append(Gap(kind, severity, folder, detail,
                        system=system.id, category=category, categories=[category], items=len(cat_items),
                        findings=len(found), evidence=found[:MAX_EVIDENCE]))

    rules = {r.id: r for r in register.retention}
    for (rule_id, folder), entries in overdue.items():
        rule = rules[rule_id]
        oldest = min(start for _, start, _ in entries)
        evidence = [{"location": i.location, "clock": rule.clock, "clock_started": s.isoformat(),
                     "due": due.isoformat(), "days_overdue": (as_of - due).days,
                     "categories": sorted({f.category for f in i.findings})} for i, s, due in entries]
        categories = sorted({c for e in evidence for c in e["categories"]})
        gaps.append(Gap(
            "overdue", _severity(categories, MEDIUM), folder,
            f"{len(entries)} item(s) kept longer than {rule.keep} (rule {rule.id}); the oldest clock started "
            f"{oldest.isoformat()}", rule=rule.id, categories=categories, items=len(entries),
            findings=sum(len(i.findings) for i, _, _ in entries), evidence=evidence[:MAX_EVIDENCE]))
    return _sorted(gaps)
