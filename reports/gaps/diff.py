"""Scan-to-scan comparison: what is new, what was fixed, what is still open, what was reviewed.

Things are matched by stable IDs: a gap by `Gap.id` (kind, location, system, category,
rule), a finding by location + entity type + keyed value hash (reports/gaps/findings.py), an
item by its location. Both scans must use the same secret key for findings to match: when
their keys differ (`datakort scan --new-key`) findings are not compared, and review marks that
met something before and nothing now are listed as no longer matching.

What lies under a folder the newer scan could not read was not checked: an older gap, finding
or item there that the newer scan lacks is "not checked this time", never fixed or gone.
"""
from __future__ import annotations

from dataclasses import asdict, dataclass, field
from enum import StrEnum

from reports.gaps.coverage import not_checked, unreadable
from reports.gaps.findings import ITEM_FINDINGS, FindingRow, finding_id, finding_rows
from reports.gaps.reconcile import Gap, GapKind
from reports.gaps.reviews import AppliedMark, Effect, Target, describe_mark
from reports.gaps.stored import stored_gaps, stored_marks
from scanner.model import ItemResult
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
    UNMATCHED_MARKS = "unmatched_marks"
    NOT_CHECKED_GAPS = "not_checked_gaps"
    NOT_CHECKED_FINDINGS = "not_checked_findings"
    NOT_CHECKED_ITEMS = "not_checked_items"


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
    unmatched_marks: list[AppliedMark] = field(default_factory=list)  # marks that met something before, nothing now
    not_checked_gaps: list[Gap] = field(default_factory=list)       # older gaps under folders not read this time
    not_checked_findings: list[FindingRow] = field(default_factory=list)
    # new and gone findings of items with more than ITEM_FINDINGS, beyond those listed (counted, not listed)
    new_findings_not_listed: int = 0
    gone_findings_not_listed: int = 0
    not_checked_items: list[str] = field(default_factory=list)
    keys_differ: bool = False  # the scans used different secret keys: findings are not compared

    def changes(self, change: Change) -> list:
        return getattr(self, change.value)

    def count(self, change: Change) -> int:
        """How many changes of a kind, those counted but not listed (findings of very big items) included."""
        more = {Change.NEW_FINDINGS: self.new_findings_not_listed, Change.GONE_FINDINGS: self.gone_findings_not_listed}
        return len(self.changes(change)) + more.get(change, 0)

    @property
    def empty(self) -> bool:
        return not any(self.changes(c) for c in Change if c != Change.OPEN_GAPS) and not self.keys_differ

    def as_dict(self) -> dict:
        """The diff for JSON: scan headers, and lists of gaps, findings, items and marks."""
        def rows(findings):
            return [{"id": f.id, "location": f.location, "where": f.where, "entity_type": f.entity_type,
                     "category": f.category, "masked": f.masked} for f in findings]
        def gaps(things):
            return [asdict(g) for g in things]
        return {"old_scan": self.old.head(), "new_scan": self.new.head(),
                "gaps": {"new": gaps(self.new_gaps), "fixed": gaps(self.fixed_gaps), "still_open": gaps(self.open_gaps)},
                "findings": {"new": rows(self.new_findings), "gone": rows(self.gone_findings),
                             "new_not_listed": self.new_findings_not_listed,
                             "gone_not_listed": self.gone_findings_not_listed},
                "items": {"added": self.added_items, "removed": self.removed_items},
                "review_marks": {"new": [m.as_dict() for m in self.new_marks],
                                 "lapsed": [m.as_dict() for m in self.lapsed_marks],
                                 "no_longer_matching": [m.as_dict() for m in self.unmatched_marks]},
                "not_checked_this_time": {"gaps": gaps(self.not_checked_gaps), "findings": rows(self.not_checked_findings),
                                          "items": self.not_checked_items},
                "keys_differ": self.keys_differ}


def _by_target(marks: list[AppliedMark]) -> dict[tuple[str, str], AppliedMark]:
    return {(m.target, m.id): m for m in marks}


def _effect(marks: dict[tuple[str, str], AppliedMark], key: tuple[str, str]) -> Effect | None:
    mark = marks.get(key)
    return mark.effect if mark else None


def diff_scans(store: Store, old_id: int, new_id: int, new_items: list[ItemResult] | None = None) -> Diff:
    """Compare two scans in the store (`new_items`: the newer scan's items as `store.results(new_id,
    cap=ITEM_FINDINGS)` gives them, when the caller has read them already).

    A gap a review mark hides is neither new nor open: a gap hidden since the older scan shows
    under `new_marks`, not as fixed. `lapsed_marks` are marks that met something in the newer scan
    but no longer hide it (expired, data changed, marked fixed yet still found)."""
    old_items = store.results(old_id, cap=ITEM_FINDINGS)
    if new_items is None:
        new_items = store.results(new_id, cap=ITEM_FINDINGS)
    big = {i.location for i in old_items + new_items if i.more_findings}  # compared in the store, a value at a time
    old_marks, new_marks = _by_target(stored_marks(store, old_id)), _by_target(stored_marks(store, new_id))

    def hidden(marks, gap_id):
        return _effect(marks, (Target.GAP, gap_id)) == Effect.APPLIES

    old_scan, new_scan = store.scan(old_id), store.scan(new_id)
    unread = unreadable(new_scan)
    keys_differ = bool(old_scan.key_fingerprint and new_scan.key_fingerprint
                       and old_scan.key_fingerprint != new_scan.key_fingerprint)
    old_gaps = {g.id: g for g in stored_gaps(store, old_id)}
    new_gaps = {g.id: g for g in stored_gaps(store, new_id)}
    old_findings = {f.id: f for f in finding_rows(i for i in old_items if i.location not in big)}
    new_findings = {f.id: f for f in finding_rows(i for i in new_items if i.location not in big)}
    big_new, big_gone, new_more, gone_more = _big_item_changes(store, old_id, new_id, sorted(big))
    old_locations = {i.location for i in old_items}
    new_locations = {i.location for i in new_items}
    unchecked_about = {(g.system, g.category) for g in new_gaps.values() if g.kind == GapKind.NOT_CHECKED}

    def gap_unchecked(g: Gap) -> bool:
        where = [g.location, *(e.get("location", "") for e in g.evidence)]
        return not_checked(where, unread) or (g.system, g.category) in unchecked_about

    gone_gaps = [g for i, g in old_gaps.items() if i not in new_gaps and not hidden(old_marks, i)]
    gone_findings = [f for i, f in old_findings.items() if i not in new_findings] + big_gone
    removed = sorted(old_locations - new_locations)
    return Diff(
        old=old_scan, new=new_scan,
        new_gaps=[g for i, g in new_gaps.items() if i not in old_gaps and not hidden(new_marks, i)],
        fixed_gaps=[g for g in gone_gaps if not gap_unchecked(g)],
        open_gaps=[g for i, g in new_gaps.items() if i in old_gaps and not hidden(new_marks, i)],
        new_findings=[] if keys_differ else [f for i, f in new_findings.items() if i not in old_findings] + big_new,
        gone_findings=[] if keys_differ else [f for f in gone_findings if not not_checked([f.location], unread)],
        added_items=sorted(new_locations - old_locations),
        removed_items=[loc for loc in removed if not not_checked([loc], unread)],
        new_marks=[m for k, m in new_marks.items()
                   if m.effect == Effect.APPLIES and _effect(old_marks, k) != Effect.APPLIES],
        lapsed_marks=[m for k, m in new_marks.items()
                      if m.effect != Effect.APPLIES and _effect(old_marks, k) != m.effect],
        unmatched_marks=[m for k, m in old_marks.items() if k not in new_marks and m.effect == Effect.APPLIES],
        not_checked_gaps=[g for g in gone_gaps if gap_unchecked(g)],
        not_checked_findings=[f for f in gone_findings if not_checked([f.location], unread)],
        not_checked_items=[loc for loc in removed if not_checked([loc], unread)],
        keys_differ=keys_differ, new_findings_not_listed=0 if keys_differ else new_more,
        gone_findings_not_listed=0 if keys_differ else sum(n for location, n in gone_more.items()
                                                          if not not_checked([location], unread)))


def _big_item_changes(store: Store, old_id: int, new_id: int, locations: list[str]
                      ) -> tuple[list[FindingRow], list[FindingRow], int, dict[str, int]]:
    """New and gone findings of items with more than ITEM_FINDINGS: the distinct values of each item in
    both scans walked side by side in hash order (memory does not grow with the item); the first
    ITEM_FINDINGS of each kind per item listed, the others counted (those gone, by item)."""
    new_rows: list[FindingRow] = []
    gone_rows: list[FindingRow] = []
    new_more, gone_more = 0, {}
    for location in locations:
        olds, news = store.distinct_values(old_id, location), store.distinct_values(new_id, location)
        old, new = next(olds, None), next(news, None)
        listed_new = listed_gone = 0
        while old is not None or new is not None:
            if new is None or (old is not None and old[:2] < new[:2]):
                if listed_gone < ITEM_FINDINGS:
                    gone_rows.append(_row(location, old))
                    listed_gone += 1
                else:
                    gone_more[location] = gone_more.get(location, 0) + 1
                old = next(olds, None)
            elif old is None or new[:2] < old[:2]:
                if listed_new < ITEM_FINDINGS:
                    new_rows.append(_row(location, new))
                    listed_new += 1
                else:
                    new_more += 1
                new = next(news, None)
            else:
                old, new = next(olds, None), next(news, None)
    return new_rows, gone_rows, new_more, gone_more


def _row(location: str, value: tuple[str, str, str, str, float, str]) -> FindingRow:
    entity_type, value_hash, category, masked, score, where = value
    return FindingRow(finding_id(location, entity_type, value_hash), location, entity_type, category, masked, score,
                      wheres=[where])


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
    if d.keys_differ:
        lines.append("Note: the scans used different secret keys (--new-key): findings cannot be compared, and "
                     "review marks on findings no longer match")
    if unread := unreadable(d.new):
        lines.append(f"Note: scan {d.new.id} could not read {len(unread)} folder(s): "
                     f"{', '.join(unread[:5])}{' …' if len(unread) > 5 else ''}; what lies there was not checked")
    blocks = [
        ("Items removed", Change.REMOVED_ITEMS, str, "-"), ("Items added", Change.ADDED_ITEMS, str, "+"),
        ("New findings", Change.NEW_FINDINGS, _finding_line, "+"),
        ("Findings gone", Change.GONE_FINDINGS, _finding_line, "-"),
        ("New gaps", Change.NEW_GAPS, _gap_line, "+"), ("Fixed gaps", Change.FIXED_GAPS, _gap_line, "-"),
        ("New review marks", Change.NEW_MARKS, describe_mark, "*"),
        ("Review marks no longer applying", Change.LAPSED_MARKS, describe_mark, "!"),
        ("Review marks no longer matching anything", Change.UNMATCHED_MARKS, describe_mark, "!"),
        ("Gaps not checked this time (their folders could not be read)", Change.NOT_CHECKED_GAPS, _gap_line, "?"),
        ("Findings not checked this time", Change.NOT_CHECKED_FINDINGS, _finding_line, "?"),
        ("Items not checked this time", Change.NOT_CHECKED_ITEMS, str, "?"),
    ]
    for title, change, line, sign in blocks:
        things = d.changes(change)
        more = d.count(change) - len(things)
        lines.append(f"{title}: {d.count(change)}")
        lines.extend(f"  {sign} {line(t)}" for t in things)
        if more:
            lines.append(f"  {sign} … and {more} more in big files (not listed; `datakort serve` lists them)")
    lines.append(f"Still open gaps: {len(d.open_gaps)}")
    if d.empty:
        lines.append("No change.")
    return "\n".join(lines) + "\n"
