"""The register of processing (Art. 30) as the scanner reads it: model and YAML loader.

The format is documented in docs/register.md; samples/interket/register.yaml is a
complete example.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import cached_property
from pathlib import Path

import yaml

from detectors.categories import CATEGORIES

FORMAT = "datakort-register/1"
CLOCKS = ("modified", "created", "sent")  # modified: file mtime; created/sent: the document's or message's own date


class RegisterError(ValueError):
    """The register file cannot be used; the message says what to fix."""


@dataclass(frozen=True)
class Duration:
    """A retention period: whole years, months or days."""

    amount: int
    unit: str  # "years" | "months" | "days"

    _UNITS = {"y": "years", "year": "years", "years": "years", "år": "years", "aar": "years",
              "m": "months", "month": "months", "months": "months", "måned": "months", "måneder": "months",
              "d": "days", "day": "days", "days": "days", "dag": "days", "dage": "days"}

    @classmethod
    def parse(cls, text: str) -> "Duration":
        m = re.fullmatch(r"\s*(\d+)\s*([a-zæøå]+)\s*", str(text).lower())
        if not m or m.group(2) not in cls._UNITS:
            raise RegisterError(f"cannot read the duration {text!r}: write e.g. '5 years', '6 months' or '30 days'")
        return cls(int(m.group(1)), cls._UNITS[m.group(2)])

    def after(self, start: date) -> date:
        """The date this long after `start` (29 February rolls to 28 February)."""
        if self.unit == "days":
            return date.fromordinal(start.toordinal() + self.amount)
        months = start.month - 1 + self.amount * (12 if self.unit == "years" else 1)
        year, month = start.year + months // 12, months % 12 + 1
        for day in (start.day, 30, 29, 28):
            try:
                return date(year, month, day)
            except ValueError:
                continue
        raise AssertionError("unreachable")

    def __str__(self) -> str:
        return f"{self.amount} {self.unit}"


def _glob_regex(pattern: str) -> re.Pattern:
    """A path glob as a regex: `**` spans folders, `*` and `?` stay within one name."""
    out, i = [], 0
    while i < len(pattern):
        if pattern.startswith("**/", i):
            out.append("(?:.*/)?")
            i += 3
        elif pattern.startswith("**", i):
            out.append(".*")
            i += 2
        elif pattern[i] == "*":
            out.append("[^/]*")
            i += 1
        elif pattern[i] == "?":
            out.append("[^/]")
            i += 1
        else:
            out.append(re.escape(pattern[i]))
            i += 1
    return re.compile("".join(out), re.IGNORECASE)


@dataclass(frozen=True)
class PathPattern:
    """A path pattern like `Kunder/**`, matched case-insensitively against share paths."""

    text: str

    @cached_property
    def regex(self) -> re.Pattern:
        return _glob_regex(self.text.strip("/"))

    @property
    def specificity(self) -> int:
        """Length of the literal part before the first wildcard: longer is more specific."""
        return len(re.split(r"[*?]", self.text, maxsplit=1)[0])

    def matches(self, path: str) -> bool:
        return bool(self.regex.fullmatch(path))


@dataclass
class System:
    """A system or location the register names, and the share paths that belong to it."""

    id: str
    name: str
    paths: list[PathPattern] = field(default_factory=list)
    holds: list[str] = field(default_factory=list)
    does_not_hold: list[str] = field(default_factory=list)
    scannable: bool = True
    note: str = ""


@dataclass
class RetentionRule:
    """How long data may be kept, counted from which date, for which systems or paths."""

    id: str
    keep: Duration
    clock: str
    systems: list[str] = field(default_factory=list)
    paths: list[PathPattern] = field(default_factory=list)
    rule: str = ""

    def applies_to(self, path: str, system: System | None) -> bool:
        if self.paths:
            return any(p.matches(path) for p in self.paths)
        return system is not None and system.id in self.systems


@dataclass
class Register:
    """A company's register of processing as far as reconciliation needs it."""

    controller: str
    version: str
    declared: dict[str, bool]
    systems: list[System]
    retention: list[RetentionRule]
    purposes: list[str] = field(default_factory=list)
    data_subjects: list[str] = field(default_factory=list)
    source: str = ""

    def system_for(self, path: str) -> System | None:
        """The system whose most specific path pattern covers `path`, or None."""
        best, best_specificity = None, -1
        for system in self.systems:
            for pattern in system.paths:
                if pattern.specificity > best_specificity and pattern.matches(path):
                    best, best_specificity = system, pattern.specificity
        return best

    def is_declared(self, category: str) -> bool:
        return self.declared.get(category, False)


def _list(value, what: str) -> list:
    if value is None:
        return []
    if not isinstance(value, list):
        raise RegisterError(f"{what} must be a list")
    return value


def _categories(values, where: str) -> list[str]:
    values = _list(values, where)
    for v in values:
        if v not in CATEGORIES:
            raise RegisterError(f"{where}: unknown data category {v!r}; known: {', '.join(CATEGORIES)}")
    return list(values)


def parse_register(data: dict, source: str = "") -> Register:
    """Build a Register from the parsed YAML, with clear errors for what is missing or wrong."""
    if not isinstance(data, dict):
        raise RegisterError("the register must be a YAML mapping (see docs/register.md)")
    if data.get("format") != FORMAT:
        raise RegisterError(f"unknown register format {data.get('format')!r}; expected {FORMAT!r}")
    categories = data.get("categories") or {}
    declared = {}
    for cat, spec in categories.items():
        if cat not in CATEGORIES:
            raise RegisterError(f"categories: unknown data category {cat!r}; known: {', '.join(CATEGORIES)}")
        declared[cat] = bool((spec or {}).get("declared", False))
    systems = []
    for n, s in enumerate(_list(data.get("systems"), "systems"), start=1):
        if not s.get("id"):
            raise RegisterError(f"systems: entry {n} has no id")
        systems.append(System(
            id=s["id"], name=s.get("name", s["id"]),
            paths=[PathPattern(p) for p in _list(s.get("paths"), f"system {s['id']}: paths")],
            holds=_categories(s.get("holds"), f"system {s['id']}: holds"),
            does_not_hold=_categories(s.get("does_not_hold"), f"system {s['id']}: does_not_hold"),
            scannable=bool(s.get("scannable", True)), note=s.get("note", "")))
    system_ids = {s.id for s in systems}
    rules = []
    for n, r in enumerate(_list(data.get("retention"), "retention"), start=1):
        rid = r.get("id") or f"rule {n}"
        if r.get("clock") not in CLOCKS:
            raise RegisterError(f"retention {rid}: clock must be one of {', '.join(CLOCKS)}, not {r.get('clock')!r}")
        scope = r.get("applies_to") or {}
        unknown = set(_list(scope.get("systems"), f"retention {rid}: applies_to.systems")) - system_ids
        if unknown:
            raise RegisterError(f"retention {rid}: unknown system(s) {', '.join(sorted(unknown))}")
        rules.append(RetentionRule(
            id=rid, keep=Duration.parse(r.get("keep", "")), clock=r["clock"],
            systems=list(scope.get("systems") or []),
            paths=[PathPattern(p) for p in _list(scope.get("paths"), f"retention {rid}: applies_to.paths")],
            rule=r.get("rule", "")))
    controller = data.get("controller") or {}
    return Register(controller=controller.get("name", "") if isinstance(controller, dict) else str(controller),
                    version=str(data.get("version", "")), declared=declared, systems=systems, retention=rules,
                    purposes=_list(data.get("purposes"), "purposes"),
                    data_subjects=_list(data.get("data_subjects"), "data_subjects"), source=source)


def load_register(path: str | Path) -> Register:
    """Read a register YAML file."""
    path = Path(path)
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise RegisterError(f"cannot read the register {path}: {exc.strerror or exc}") from exc
    except yaml.YAMLError as exc:
        raise RegisterError(f"{path} is not valid YAML: {exc}") from exc
    try:
        return parse_register(data, str(path))
    except RegisterError as exc:
        raise RegisterError(f"{path}: {exc}") from exc


def as_date(value: datetime | date) -> date:
    return value.date() if isinstance(value, datetime) else value
