"""Reconciliation: hold a scan's items and findings against the register and list the gaps.

Gap kinds (docs/register.md explains each):
- undeclared_location: personal data under a path no system covers (one gap per folder);
- undeclared_category: a category found in a system that does not declare it;
- contradiction: the register says the system does NOT hold the category, yet it does;
- overdue: an item holding personal data is older than the retention rule that applies
  (one gap per rule and folder; the evidence says when each clock started and by how much
  the item is overdue);
- could_not_inspect: an item that should have been read but could not be;
- declared_not_found: a scannable system whose folders hold no file in this scan, or a
  declared category the detectors can find but found nowhere (a stale register?);
- not_scannable: a system the scanner cannot reach (a phone, paper, a cloud ERP) or whose
  folders the register does not name: to be checked by hand;
- not_checked: a declared system or category the scan found nowhere, while folders where it
  may be could not be read this time (reports/gaps/coverage.py): not "declared but not found".

The result depends only on the items and the register, not on the order items arrive in.
"""
from __future__ import annotations

import hashlib
import posixpath
from collections import defaultdict
from dataclasses import dataclass, field, fields
from datetime import date
from enum import StrEnum
from itertools import islice
from typing import Iterable

from detectors.categories import HIGH_RISK_CATEGORIES
from detectors.recognizers import ENTITY_CATEGORY
from reports.gaps.coverage import may_lie_in
from reports.gaps.findings import personal_only
from reports.register.model import Register, RetentionRule, System, as_date
from scanner.model import FAILED, ItemResult



class GapKind(StrEnum):
    """What kind of thing the DPO must act on, in the order reports list them."""

    UNDECLARED_LOCATION = "undeclared_location"
    UNDECLARED_CATEGORY = "undeclared_category"
    CONTRADICTION = "contradiction"
    OVERDUE = "overdue"
    COULD_NOT_INSPECT = "could_not_inspect"
    DECLARED_NOT_FOUND = "declared_not_found"
    NOT_CHECKED = "not_checked"
    NOT_SCANNABLE = "not_scannable"


class Severity(StrEnum):
    HIGH = "high"
    MEDIUM = "medium"
    LOW = "low"


HIGH, MEDIUM, LOW = Severity.HIGH, Severity.MEDIUM, Severity.LOW
SEVERITY_ORDER = {s: n for n, s in enumerate(Severity)}
KIND_ORDER = tuple(GapKind)
# Kinds whose identity is the system and category, not the folder the findings happen to share:
# their Gap.id leaves the location out, so it stays the same when files come and go.
LOCATION_FREE_IDS = frozenset({GapKind.UNDECLARED_CATEGORY, GapKind.CONTRADICTION, GapKind.DECLARED_NOT_FOUND,
                               GapKind.NOT_SCANNABLE, GapKind.NOT_CHECKED})
MAX_EVIDENCE = 50


@dataclass
class Gap:
    """One thing the DPO must act on, with the evidence behind it (masked values only)."""

    kind: GapKind | str
    severity: Severity
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
        # a kind this version does not know (a store written by a newer one) stays as its word
        self.kind = GapKind(self.kind) if self.kind in GapKind._value2member_map_ else self.kind
        self.severity = Severity(self.severity)
        if not self.id:
            location = "" if self.kind in LOCATION_FREE_IDS else self.location
            key = "\x00".join([self.kind, location, self.system or "", self.category or "", self.rule or ""])
            self.id = hashlib.sha256(key.encode()).hexdigest()[:12]


    @classmethod
    def from_dict(cls, data: dict) -> "Gap":
        """A Gap from its stored JSON; fields this version does not know are ignored."""
        known = {f.name for f in fields(cls)}
        return cls(**{k: v for k, v in data.items() if k in known})


def _evidence(items: Iterable[ItemResult], categories: Iterable[str] | None = None) -> list[dict]:
    """The first MAX_EVIDENCE findings of `items` (of these categories) as evidence; no more are made."""
    wanted = set(categories) if categories is not None else None
    return list(islice(({"location": item.location, "where": f.where, "entity_type": f.entity_type,
                         "category": f.category, "masked": f.masked, "score": f.score}
                        for item in items for f in item.findings if wanted is None or f.category in wanted),
                       MAX_EVIDENCE))


def _severity(categories: Iterable[str], otherwise: str) -> str:
    return HIGH if set(categories) & HIGH_RISK_CATEGORIES else otherwise


def _folder(path: str) -> str:
    return posixpath.dirname(path) or "."


def _sorted(gaps: list[Gap]) -> list[Gap]:
    return sorted(gaps, key=lambda g: (SEVERITY_ORDER[g.severity], KIND_ORDER.index(g.kind), g.location,
                                       g.system or "", g.category or "", g.rule or ""))


def _newest(item: ItemResult) -> date | None:
    """The item's last activity: its modification time, sent date or content date, whichever is newest.

    A document's own created/modified properties are left out: they travel with copies and
    templates, and some writers stamp them with the time of saving."""
    dates = [as_date(d) for d in (item.mtime, item.dates.get("sent"), item.dates.get("content")) if d]
    return max(dates) if dates else None


def _clock_start(item: ItemResult, rule: RetentionRule) -> tuple[date, str] | None:
    """When the rule's clock started for this item, and from which date.

    `modified` is the file's (or member's) modification time; `created`, `sent` and
    `content` are the item's own dates and fall back to the modification time when the
    item has none (the evidence then says so)."""
    if rule.clock != "modified" and item.dates.get(rule.clock):
        return as_date(item.dates[rule.clock]), rule.clock
    if item.mtime:
        why = {"modified": "", "folder": " (the file is not inside a folder of its own)"}.get(
            rule.clock, f" (no {rule.clock} date)")
        return as_date(item.mtime), f"modified{why}"
    return None


def _folder_activity(register: Register, items: list[ItemResult], system_of: dict[str, System | None]
                     ) -> dict[tuple[str, str], tuple[date, str]]:
    """For every `folder`-clock rule: each folder's newest date of anything in it, and the item it comes from."""
    newest: dict[tuple[str, str], tuple[date, str]] = {}
    rules = [r for r in register.retention if r.clock == "folder"]
    for item in items if rules else ():
        when = _newest(item)
        system = system_of[item.path]
        for rule in rules:
            folder = rule.folder_of(item.path, system) if rule.applies_to(item.path, system) else None
            key = (rule.id, folder)
            if folder and when and (key not in newest or when > newest[key][0]):
                newest[key] = (when, item.location)
    return newest


def _register_gaps(register: Register, items: list[ItemResult], system_of: dict[str, System | None],
                   unreadable: list[str]) -> list[Gap]:
    """What the register declares that the scan could not see: stale entries and unreachable systems,
    or, where folders could not be read this time, things not checked."""
    seen_systems = {s.id for s in system_of.values() if s}
    found = {c for i in items for c in i.categories()}
    gaps = []
    for system in register.systems:
        if not system.scannable or not system.paths:
            why = ("the scanner cannot reach it" if not system.scannable
                   else "the register names no folders (paths) for it")
            gaps.append(Gap(GapKind.NOT_SCANNABLE, LOW, system.name, f"{system.name}: {why}; check it by hand "
                            f"(declared to hold: {', '.join(system.holds) or 'nothing'})", system=system.id,
                            categories=list(system.holds)))
        elif system.id not in seen_systems:
            where = ", ".join(p.text for p in system.paths)
            if may_lie_in(system, unreadable):
                gaps.append(Gap(GapKind.NOT_CHECKED, LOW, where, f"{system.name} ({where}) was not checked this "
                                "time: folders there could not be read", system=system.id,
                                categories=list(system.holds)))
                continue
            gaps.append(Gap(GapKind.DECLARED_NOT_FOUND, LOW, where, f"the register places {system.name} at {where}, but "
                            "the scan found no file there: the folder may have moved, or the register is stale",
                            system=system.id, categories=list(system.holds)))
    detectable = set(ENTITY_CATEGORY.values())
    for category in sorted(c for c, declared in register.declared.items() if declared and c in detectable):
        if category not in found:
            if unreadable:
                gaps.append(Gap(GapKind.NOT_CHECKED, LOW, ".", f"the register declares {category}; the scan found "
                                f"none in what it could read, but {len(unreadable)} folder(s) could not be read",
                                category=category, categories=[category]))
                continue
            gaps.append(Gap(GapKind.DECLARED_NOT_FOUND, LOW, ".", f"the register declares {category}, but the scan found "
                            "none anywhere: is the register stale, or is the data kept somewhere not scanned?",
                            category=category, categories=[category]))
    return gaps


def reconcile(register: Register, items: Iterable[ItemResult], as_of: date, unreadable: Iterable[str] = ()) -> list[Gap]:
    """All gaps between what a scan found and what the register declares, most severe first.
    `unreadable`: the folders the scan could not list (what lies there was not checked)."""
    # only personal data counts (a CVR number is found, but is about a company)
    items = sorted((personal_only(i) for i in items), key=lambda i: i.location)
    system_of = {path: register.system_for(path) for path in {i.path for i in items}}
    gaps: list[Gap] = _register_gaps(register, items, system_of, list(unreadable))
    undeclared_folders: dict[str, list[ItemResult]] = defaultdict(list)
    by_system_category: dict[tuple[str, str], list[ItemResult]] = defaultdict(list)
    overdue: dict[tuple[str, str], list[tuple[ItemResult, date, str]]] = defaultdict(list)
    systems = {s.id: s for s in register.systems}
    activity = _folder_activity(register, items, system_of)

    for item in items:
        if item.status == FAILED:
            gaps.append(Gap(GapKind.COULD_NOT_INSPECT, LOW, item.location, item.reason or "unknown reason", items=1))
            continue
        if not item.finding_count():
            continue
        system = system_of[item.path]
        if system is None:
            undeclared_folders[_folder(item.path)].append(item)
        else:
            for category in sorted(item.categories()):
                by_system_category[(system.id, category)].append(item)
        for rule in register.retention:
            if not rule.applies_to(item.path, system):
                continue
            folder = rule.folder_of(item.path, system) if rule.clock == "folder" else None
            if (rule.id, folder) in activity:
                start, newest_item = activity[(rule.id, folder)]
                source = f"newest activity in the folder: {newest_item}"
            else:
                folder = None
                started = _clock_start(item, rule)
                if started is None:
                    continue
                start, source = started
            if rule.keep.after(start) < as_of:
                overdue[(rule.id, folder or _folder(item.path))].append((item, start, source))

    for folder, folder_items in undeclared_folders.items():
        categories = sorted({c for i in folder_items for c in i.categories()})
        gaps.append(Gap(
            GapKind.UNDECLARED_LOCATION, _severity(categories, MEDIUM), folder,
            f"personal data ({', '.join(categories)}) in {len(folder_items)} item(s) under a folder "
            "that no system in the register covers",
            categories=categories, items=len(folder_items), findings=sum(i.finding_count() for i in folder_items),
            evidence=_evidence(folder_items)))

    for (system_id, category), cat_items in by_system_category.items():
        system: System = systems[system_id]
        if category in system.does_not_hold:
            kind, detail = GapKind.CONTRADICTION, (f"the register says {system.name} does not hold {category}, "
                                             f"yet {len(cat_items)} item(s) there do")
            severity = _severity([category], MEDIUM)
        elif category not in system.holds or not register.is_declared(category):
            kind = GapKind.UNDECLARED_CATEGORY
            why = "is not declared in the register" if not register.is_declared(category) \
                else f"is not declared for {system.name}"
            detail = f"{category} found in {len(cat_items)} item(s) in {system.name}, but {category} {why}"
            severity = _severity([category], MEDIUM)
        else:
            continue
        folder = posixpath.commonpath([i.path for i in cat_items]) if len(cat_items) > 1 else _folder(cat_items[0].path)
        gaps.append(Gap(kind, severity, folder, detail,
                        system=system.id, category=category, categories=[category], items=len(cat_items),
                        findings=sum(i.finding_count(category) for i in cat_items),
                        evidence=_evidence(cat_items, [category])))

    rules = {r.id: r for r in register.retention}
    for (rule_id, folder), entries in overdue.items():
        rule = rules[rule_id]
        evidence = [{"location": i.location, "clock": rule.clock, "clock_source": source,
                     "clock_started": start.isoformat(), "due": rule.keep.after(start).isoformat(),
                     "days_overdue": (as_of - rule.keep.after(start)).days,
                     "categories": sorted(i.categories())} for i, start, source in entries]
        oldest = min(evidence, key=lambda e: e["clock_started"])
        categories = sorted({c for e in evidence for c in e["categories"]})
        gaps.append(Gap(
            GapKind.OVERDUE, _severity(categories, MEDIUM), folder,
            f"{len(entries)} item(s) kept longer than {rule.keep} (rule {rule.id}, counted from {rule.clock}); "
            f"the oldest clock started {oldest['clock_started']}, {oldest['days_overdue']} days overdue",
            rule=rule.id, categories=categories, items=len(entries),
            findings=sum(i.finding_count() for i, _, _ in entries), evidence=evidence[:MAX_EVIDENCE]))
    return _sorted(gaps)
