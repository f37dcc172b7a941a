"""The review loop: the DPO's marks on gaps and findings, kept in a human-editable `reviews.yaml`.

A mark says a gap or a finding is a *false positive*, *accepted* (with a reason and an
until-date) or *fixed*. Later scans read the file: a false positive or an acceptance hides
the thing from the open gaps; it stops applying when the acceptance expires or, for a gap,
when its data changed since the mark (its fingerprint: the counts and masked evidence). A
finding's ID already contains its keyed value hash, so a changed value is a new finding.
A *fixed* mark hides nothing: if the thing is still found, the report says so.
The format is documented in docs/report.md.
"""
from __future__ import annotations

import hashlib
import json
from dataclasses import asdict, dataclass, fields, replace
from datetime import date
from enum import StrEnum
from pathlib import Path
from typing import Callable, Iterable

import yaml

from reports.gaps.findings import finding_id
from reports.gaps.reconcile import Gap
from scanner.model import Finding, ItemResult

FORMAT = "datakort-reviews/1"


class Status(StrEnum):
    """The DPO's decision about a gap or a finding."""

    FALSE_POSITIVE = "false_positive"
    ACCEPTED = "accepted"
    FIXED = "fixed"


class Target(StrEnum):
    GAP = "gap"
    FINDING = "finding"


class Effect(StrEnum):
    """What a mark did in one scan (recorded in the store, shown in the report and the diff)."""

    APPLIES = "applies"
    EXPIRED = "expired"
    CHANGED = "changed"
    STILL_PRESENT = "still_present"


STATUSES = tuple(Status)
TARGETS = tuple(Target)
APPLIES, EXPIRED, CHANGED, STILL_PRESENT = Effect
VOLATILE_EVIDENCE = ("days_overdue", "score")  # change with --as-of or the model, not with the data

HEADER = """\
# datakort review marks (docs/report.md). Edit by hand or with `datakort review mark`.
# target: gap | finding; id: from the report; status: false_positive | accepted | fixed
# accepted needs `reason` and `until` (YYYY-MM-DD). `fingerprint` is what a gap looked like
# when it was marked: if its data change, the mark stops applying. Leave it as written.
"""


class ReviewsError(ValueError):
    """The reviews file cannot be used; the message says what to fix."""


@dataclass
class Mark:
    """One decision of the DPO about one gap or finding."""

    target: Target
    id: str
    status: Status
    reason: str = ""
    until: date | None = None
    fingerprint: str | None = None
    by: str = ""
    marked: date | None = None
    label: str = ""  # a hint for people reading the file (what was marked); not used for matching

    def __post_init__(self) -> None:
        self.target, self.status = Target(self.target), Status(self.status)

    def expired(self, as_of: date) -> bool:
        return self.status == Status.ACCEPTED and self.until is not None and self.until < as_of

    def applied(self, effect: Effect) -> "AppliedMark":
        return AppliedMark(**{f.name: getattr(self, f.name) for f in fields(Mark)}, effect=effect)

    def as_dict(self) -> dict:
        """The mark as the reviews file and the store write it (empty fields left out)."""
        return {k: v for k, v in asdict(self).items() if v not in (None, "")}


@dataclass
class AppliedMark(Mark):
    """A mark as it met a gap or finding in one scan, with what it did there."""

    effect: Effect = Effect.APPLIES

    def __post_init__(self) -> None:
        super().__post_init__()
        self.effect = Effect(self.effect)

    @classmethod
    def from_dict(cls, data: dict) -> "AppliedMark":
        """An applied mark from the store's JSON; fields this version does not know are ignored."""
        known = {f.name for f in fields(cls)}
        values = {k: v for k, v in data.items() if k in known}
        for key in ("until", "marked"):
            if values.get(key):
                values[key] = date.fromisoformat(str(values[key]))
        return cls(**values)


def describe_mark(mark: AppliedMark, statuses: dict | None = None, effects: dict | None = None) -> str:
    """One line about what a mark did, with optional words for statuses and effects."""
    status = (statuses or {}).get(mark.status, mark.status)
    label = f" {mark.label}" if mark.label else ""
    until = f" → {mark.until}" if mark.until else ""
    reason = f": {mark.reason}" if mark.reason else ""
    effect = (effects or {}).get(mark.effect, mark.effect.replace("_", " "))
    return f"{status} ({mark.target}{label}) [{mark.id}]{until}{reason} – {effect}"


def gap_fingerprint(gap: Gap) -> str:
    """A hash of what a gap holds (counts and masked evidence), not of when it is judged."""
    evidence = sorted(json.dumps({k: v for k, v in e.items() if k not in VOLATILE_EVIDENCE}, sort_keys=True,
                                 default=str) for e in gap.evidence)
    payload = json.dumps([gap.items, gap.findings, gap.categories, evidence], default=str)
    return hashlib.sha256(payload.encode()).hexdigest()[:16]


def _date(value, where: str) -> date | None:
    if value in (None, ""):
        return None
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value))
    except ValueError:
        raise ReviewsError(f"{where}: {value!r} is not a date; write YYYY-MM-DD") from None


def parse_mark(data: dict, where: str) -> Mark:
    """One mark from its YAML mapping; a clear error when something is missing or wrong."""
    if not isinstance(data, dict):
        raise ReviewsError(f"{where}: expected a mapping with target, id and status")
    target, status, mark_id = data.get("target"), data.get("status"), data.get("id")
    if target not in TARGETS:
        raise ReviewsError(f"{where}: target must be one of {', '.join(TARGETS)}, not {target!r}")
    if status not in STATUSES:
        raise ReviewsError(f"{where}: status must be one of {', '.join(STATUSES)}, not {status!r}")
    if not mark_id:
        raise ReviewsError(f"{where}: the id of the {target} is missing (copy it from the report)")
    until = _date(data.get("until"), where)
    if status == Status.ACCEPTED and (until is None or not data.get("reason")):
        raise ReviewsError(f"{where}: an accepted {target} needs a reason and an until-date (YYYY-MM-DD)")
    unknown = set(data) - {f for f in Mark.__dataclass_fields__}
    if unknown:
        raise ReviewsError(f"{where}: unknown field(s) {', '.join(sorted(unknown))}")
    return Mark(target, str(mark_id), status, str(data.get("reason") or ""), until,
                str(data["fingerprint"]) if data.get("fingerprint") else None, str(data.get("by") or ""),
                _date(data.get("marked"), where), str(data.get("label") or ""))


class Reviews:
    """All marks of a reviews file, by (target, id): the last mark for a thing wins."""

    def __init__(self, marks: list[Mark] | None = None, path: Path | None = None):
        self.path = path
        self.marks: dict[tuple[str, str], Mark] = {}
        for m in marks or []:
            self.marks[(m.target, m.id)] = m

    @classmethod
    def load(cls, path: Path) -> "Reviews":
        """Read a reviews file; a missing file means no marks yet."""
        path = Path(path)
        if not path.exists():
            return cls(path=path)
        try:
            data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
            raise ReviewsError(f"cannot read {path}: {exc}") from None
        if not isinstance(data, dict) or data.get("format") != FORMAT:
            raise ReviewsError(f"{path} is not a datakort reviews file: its first line must be 'format: {FORMAT}'")
        marks = data.get("marks") or []
        if not isinstance(marks, list):
            raise ReviewsError(f"{path}: 'marks' must be a list")
        return cls([parse_mark(m, f"{path}, mark {n}") for n, m in enumerate(marks, start=1)], path)

    def save(self, path: Path | None = None) -> Path:
        """Write the marks back (sorted by target and id, so diffs of the file stay small)."""
        path = Path(path or self.path)
        marks = [{k: str(v) if isinstance(v, StrEnum) else v for k, v in m.as_dict().items()}
                 for _, m in sorted(self.marks.items())]
        body = yaml.safe_dump({"format": FORMAT, "marks": marks}, allow_unicode=True, sort_keys=False)
        path.write_text(HEADER + body, encoding="utf-8")
        return path

    def add(self, mark: Mark) -> None:
        self.marks[(mark.target, mark.id)] = mark

    def effect(self, mark: Mark, as_of: date, fingerprint: str | None = None) -> Effect:
        """What a mark does on `as_of` (to a gap with this fingerprint, when given)."""
        return self._effect(mark, as_of, fingerprint)

    def _effect(self, mark: Mark, as_of: date, fingerprint: str | None = None) -> Effect:
        if mark.status == Status.FIXED:
            return STILL_PRESENT
        if mark.expired(as_of):
            return EXPIRED
        if mark.fingerprint and fingerprint and mark.fingerprint != fingerprint:
            return CHANGED
        return APPLIES

    def filter_findings(self, items: list[ItemResult], as_of: date,
                        beyond: Callable[[ItemResult], Iterable[Finding]] | None = None
                        ) -> tuple[list[ItemResult], list[AppliedMark]]:
        """The items without the findings a mark hides, and the record of every mark that met a finding.

        Hidden findings are left out of reconciliation, so a gap made only of false positives goes away.
        An item read with a cap (`ItemResult.more_findings`) has the findings it only counts read one at
        a time from `beyond(item)`, when there are finding marks at all; the hidden ones leave its counts."""
        records: dict[str, AppliedMark] = {}
        out = []
        any_marks = any(target == Target.FINDING for target, _ in self.marks)
        for item in items:
            kept = [f for f in item.findings if not self._hides(item, f, as_of, records)]
            more = item.more_findings
            if any_marks and beyond is not None and item.more_findings:
                more = dict(more)
                for f in beyond(item):
                    if self._hides(item, f, as_of, records):
                        more[f.category] -= 1
            if len(kept) != len(item.findings) or more != item.more_findings:
                item = replace(item, findings=kept, more_findings=more)
            out.append(item)
        return out, list(records.values())

    def _hides(self, item: ItemResult, f: Finding, as_of: date, records: dict[str, AppliedMark]) -> bool:
        """Whether a mark hides this finding (what the mark did is recorded in `records`)."""
        fid = finding_id(item.location, f.entity_type, f.value_hash)
        mark = self.marks.get((Target.FINDING, fid))
        effect = self._effect(mark, as_of) if mark else None
        if effect:
            records[fid] = mark.applied(effect)
        return effect == APPLIES

    def split_gaps(self, gaps: list[Gap], as_of: date) -> tuple[list[Gap], list[Gap], list[AppliedMark]]:
        """(open gaps, gaps a mark hides, the record of every mark that met a gap)."""
        open_gaps, hidden, records = [], [], []
        for gap in gaps:
            mark = self.marks.get((Target.GAP, gap.id))
            effect = self._effect(mark, as_of, gap_fingerprint(gap)) if mark else None
            if effect:
                records.append(mark.applied(effect))
            (hidden if effect == APPLIES else open_gaps).append(gap)
        return open_gaps, hidden, records
