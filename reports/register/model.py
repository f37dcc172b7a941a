"""The register of processing (Art. 30) as the scanner reads it: the model.

The format is documented in docs/register.md; samples/interket/register.yaml is a
complete example. Reading and validating the YAML lives in reports/register/load.py
(`load_register`, `parse_register` are re-exported here).
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import cached_property

FORMAT = "datakort-register/1"
# Retention clocks: the date that starts the count (docs/register.md, "Retention clocks").
CLOCKS: dict[str, str] = {
    "modified": "the file's last modification time",
    "created": "the document's own creation date",
    "sent": "the message's sent date",
    "content": "a date written in the document (Ordredato, Dato, Fakturadato …)",
    "folder": "the newest date of anything in the folder (a customer folder's last activity)",
}


class RegisterError(ValueError):
    """The register file cannot be used; the message says what to fix."""


@dataclass(frozen=True)
class Duration:
    """A retention period: whole years, months or days."""

    amount: int
    unit: str  # "years" | "months" | "days"

    _UNITS = {"y": "years", "year": "years", "years": "years", "år": "years",
              "m": "months", "month": "months", "months": "months", "måned": "months", "måneder": "months",
              "d": "days", "day": "days", "days": "days", "dag": "days", "dage": "days"}

    @classmethod
    def parse(cls, text: str) -> "Duration":
        m = re.fullmatch(r"\s*(\d+)\s*([a-zæøå]+)\s*", str(text).lower())
        if not m or m.group(2) not in cls._UNITS:
            hint = ""
            if m and m.group(2).replace("aa", "å") in cls._UNITS:  # '5 aar' for '5 år'
                hint = f" (did you mean '{m.group(1)} {m.group(2).replace('aa', 'å')}'?)"
            raise RegisterError(f"cannot read the duration {text!r}{hint}: write e.g. '5 years', '5 år', "
                                "'6 months', '6 måneder' or '30 days'")
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

    @cached_property
    def literal(self) -> str:
        """The part before the first wildcard: `Kunder/Tidligere/` for `Kunder/Tidligere/**`."""
        return re.split(r"[*?]", self.text.strip("/"), maxsplit=1)[0]

    @property
    def specificity(self) -> int:
        """Length of the literal part before the first wildcard: longer is more specific."""
        return len(self.literal)

    def example(self) -> str:
        """A path this pattern matches (wildcards replaced by a letter), for overlap checks."""
        return re.sub(r"\*\*|\*|\?", "x", self.text.strip("/"))

    def folder_below(self, path: str) -> str | None:
        """The first folder of `path` below this pattern's literal folder, when `path` lies in one:
        `Kunder/Tidligere/**` gives `Kunder/Tidligere/Bjerre` for `Kunder/Tidligere/Bjerre/a/x.pdf`."""
        base = self.literal.rsplit("/", 1)[0] if "/" in self.literal else ""
        depth = len(base.split("/")) if base else 0
        parts = path.split("/")
        return "/".join(parts[:depth + 1]) if len(parts) > depth + 1 else None

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
    folders: list[PathPattern] = field(default_factory=list)  # clock `folder`: which folders count as one

    def applies_to(self, path: str, system: System | None) -> bool:
        if self.paths:
            return any(p.matches(path) for p in self.paths)
        return system is not None and system.id in self.systems

    def folder_of(self, path: str, system: System | None) -> str | None:
        """For the `folder` clock: the folder whose newest activity starts the count for `path`.

        The first folder matching one of `folders` (e.g. `Kunder/Tidligere/*`); without
        `folders`, the first folder below the literal part of the matching path pattern
        (`Kunder/Tidligere/**` -> `Kunder/Tidligere/<customer>`). None for a file lying
        directly in that folder: its own date counts."""
        parts = path.split("/")
        for pattern in self.folders:
            depth = len(pattern.text.strip("/").split("/"))
            if len(parts) > depth and pattern.matches("/".join(parts[:depth])):
                return "/".join(parts[:depth])
        if self.folders:
            return None
        patterns = self.paths or (system.paths if system else [])
        for pattern in patterns:
            if pattern.matches(path):
                return pattern.folder_below(path)
        return None


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


def as_date(value: datetime | date) -> date:
    return value.date() if isinstance(value, datetime) else value
