"""Scan-to-scan comparison: what is new, what was fixed, what is still open, what was reviewed.

Things are matched by stable IDs: a gap by `Gap.id` (kind, location, system, category,
rule), a finding by location + entity type + keyed value hash (reports/gaps/findings.py), an
item by its location. Both scans must use the same secret key for findings to match.
"""
from __future__ import annotations

from dataclasses import asdict, dataclass, field
from enum import StrEnum

from reports.gaps.findings import FindingRow, finding_rows
from reports.gaps.reconcile import Gap
from reports.gaps.reviews import AppliedMark, Effect, Target, describe_mark
from reports.gaps.stored import stored_gaps, stored_marks
from scanner.store import ScanRecord, Store


class Change(StrEnum):
    """The kinds of change between two scans; each is a list attribute of Diff of the same name."""

    REMOVED_ITEMS = "removed_items"
    ADDED_ITEMS = "added_items"
    NEW_FINDINGS = "new_findings"
    GONE_FINDINGS = "gone_findings"
    NEW_GAPS = "new_gaps"
    FIXED_GAPS = "fixed_gaps"
    OPEN_GAPS = "open_gaps"
    NEW_MARKS = "new_marks"
    LAPSED_MARKS = "lapsed_marks"


@dataclass
class Diff:
    """The difference between an older scan `old` and a newer scan `new` (scan rows from the store)."""

    old: ScanRecord
    new: ScanRecord
    new_gaps: list[Gap] = field(default_factory=list)     # gaps of the newer scan
    fixed_gaps: list[Gap] = field(default_factory=list)   # gaps of the older scan
    open_gaps: list[Gap] = field(default_factory=list)    # gaps of the newer scan
    new_findings: list[FindingRow] = field(default_factory=list)
    gone_findings: list[FindingRow] = field(default_factory=list)
    added_items: list[str] = field(default_factory=list)
    removed_items: list[str] = field(default_factory=list)
    new_marks: list[AppliedMark] = field(default_factory=list)    # marks that hide something now, not before
    lapsed_marks: list[AppliedMark] = field(default_factory=list)  # marks that meet something but no longer hide it

    def changes(self, change: Change) -> list:
        return getattr(self, change.value)

    @property
    def empty(self) -> bool:
        return not any(self.changes(c) for c in Change if c != Change.OPEN_GAPS)

    def as_dict(self) -> dict:
        """The diff for JSON: scan headers, and lists of gaps, findings, items and marks."""
        def rows(findings):
            return [{"id": f.id, "location": f.location, "where": f.where, "entity_type": f.entity_type,
                     "category": f.category, "masked": f.masked} for f in findings]
        def gaps(things):
            return [asdict(g) for g in things]
        return {"old_scan": self.old.head(), "new_scan": self.new.head(),
                "gaps": {"new": gaps(self.new_gaps), "fixed": gaps(self.fixed_gaps), "still_open": gaps(self.open_gaps)},
                "findings": {"new": rows(self.new_findings), "gone": rows(self.gone_findings)},
                "items": {"added": self.added_items, "removed": self.removed_items},
                "review_marks": {"new": [m.as_dict() for m in self.new_marks],
                                 "lapsed": [m.as_dict() for m in self.lapsed_marks]}}


def _by_target(marks: list[AppliedMark]) -> dict[tuple[str, str], AppliedMark]:
    return {(m.target, m.id): m for m in marks}


def _effect(marks: dict[tuple[str, str], AppliedMark], key: tuple[str, str]) -> Effect | None:
    mark = marks.get(key)
    return mark.effect if mark else None


def diff_scans(store: Store, old_id: int, new_id: int) -> Diff:
    """Compare two scans in the store.

    A gap a review mark hides is neither new nor open: a gap hidden since the older scan shows
    under `new_marks`, not as fixed. `lapsed_marks` are marks that met something in the newer scan
    but no longer hide it (expired, data changed, marked fixed yet still found)."""
    old_items, new_items = store.results(old_id), store.results(new_id)
    old_marks, new_marks = _by_target(stored_marks(store, old_id)), _by_target(stored_marks(store, new_id))

    def hidden(marks, gap_id):
        return _effect(marks, (Target.GAP, gap_id)) == Effect.APPLIES

    old_gaps = {g.id: g for g in stored_gaps(store, old_id)}
    new_gaps = {g.id: g for g in stored_gaps(store, new_id)}
    old_findings = {f.id: f for f in finding_rows(old_items)}
    new_findings = {f.id: f for f in finding_rows(new_items)}
    old_locations = {i.location for i in old_items}
    new_locations = {i.location for i in new_items}
    return Diff(
        old=store.scan(old_id), new=store.scan(new_id),
        new_gaps=[g for i, g in new_gaps.items() if i not in old_gaps and not hidden(new_marks, i)],
        fixed_gaps=[g for i, g in old_gaps.items() if i not in new_gaps and not hidden(old_marks, i)],
        open_gaps=[g for i, g in new_gaps.items() if i in old_gaps and not hidden(new_marks, i)],
        new_findings=[f for i, f in new_findings.items() if i not in old_findings],
        gone_findings=[f for i, f in old_findings.items() if i not in new_findings],
        added_items=sorted(new_locations - old_locations),
        removed_items=sorted(old_locations - new_locations),
        new_marks=[m for k, m in new_marks.items()
                   if m.effect == Effect.APPLIES and _effect(old_marks, k) != Effect.APPLIES],
        lapsed_marks=[m for k, m in new_marks.items()
                      if m.effect != Effect.APPLIES and _effect(old_marks, k) != m.effect])


def previous_scan(store: Store, scan_id: int) -> int | None:
    """The finished scan before `scan_id`, if any."""
    earlier = [i for i in store.scan_ids() if i < scan_id]
    return earlier[-1] if earlier else None


def _gap_line(g: Gap) -> str:
    cats = f" ({', '.join(g.categories)})" if g.categories else ""
    return f"[{g.id}] {g.kind} {g.severity}: {g.location}{cats}"


def _finding_line(f: FindingRow) -> str:
    where = f" ({f.where})" if f.where else ""
    return f"{f.entity_type} {f.masked}  {f.location}{where}  [{f.id}]"


def diff_text(d: Diff) -> str:
    """The diff for a terminal: one headed block per kind of change, each thing on its own line."""
    lines = [f"Scan {d.old.id} ({d.old.started[:16]}) -> scan {d.new.id} ({d.new.started[:16]})"]
    if d.old.root != d.new.root:
        lines.append(f"Note: the scans cover different folders ({d.old.root} and {d.new.root}); "
                     "items and findings are compared by their paths relative to each folder")
    blocks = [
        ("Items removed", Change.REMOVED_ITEMS, str, "-"), ("Items added", Change.ADDED_ITEMS, str, "+"),
        ("New findings", Change.NEW_FINDINGS, _finding_line, "+"),
        ("Findings gone", Change.GONE_FINDINGS, _finding_line, "-"),
        ("New gaps", Change.NEW_GAPS, _gap_line, "+"), ("Fixed gaps", Change.FIXED_GAPS, _gap_line, "-"),
        ("New review marks", Change.NEW_MARKS, describe_mark, "*"),
        ("Review marks no longer applying", Change.LAPSED_MARKS, describe_mark, "!"),
    ]
    for title, change, line, sign in blocks:
        things = d.changes(change)
        lines.append(f"{title}: {len(things)}")
        lines.extend(f"  {sign} {line(t)}" for t in things)
    lines.append(f"Still open gaps: {len(d.open_gaps)}")
    if d.empty:
        lines.append("No change.")
    return "\n".join(lines) + "\n"
