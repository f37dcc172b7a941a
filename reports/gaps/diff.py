"""Scan-to-scan comparison: what is new, what was fixed, what is still open, what was reviewed.

Things are matched by stable IDs: a gap by `Gap.id` (kind, location, system, category,
rule), a finding by location + entity type + keyed value hash (reports/findings.py), an
item by its location. Both scans must use the same secret key for findings to match.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from reports.gaps.findings import FindingRow, finding_rows
from reports.gaps.reviews import describe_mark
from scanner.store import Store


@dataclass
class Diff:
    """The difference between an older scan `old` and a newer scan `new` (scan rows from the store)."""

    old: dict
    new: dict
    new_gaps: list[dict] = field(default_factory=list)     # gap dicts of the newer scan
    fixed_gaps: list[dict] = field(default_factory=list)   # gap dicts of the older scan
    open_gaps: list[dict] = field(default_factory=list)    # gap dicts of the newer scan
    new_findings: list[FindingRow] = field(default_factory=list)
    gone_findings: list[FindingRow] = field(default_factory=list)
    added_items: list[str] = field(default_factory=list)
    removed_items: list[str] = field(default_factory=list)
    new_marks: list[dict] = field(default_factory=list)    # review marks that hide something now, not before
    lapsed_marks: list[dict] = field(default_factory=list)  # marks that meet something but no longer hide it

    @property
    def empty(self) -> bool:
        return not any((self.new_gaps, self.fixed_gaps, self.new_findings, self.gone_findings,
                        self.added_items, self.removed_items, self.new_marks, self.lapsed_marks))

    def as_dict(self) -> dict:
        """The diff for JSON: scan headers, and lists of gaps, findings, items and marks."""
        def rows(findings):
            return [{"id": f.id, "location": f.location, "where": f.where, "entity_type": f.entity_type,
                     "category": f.category, "masked": f.masked} for f in findings]
        return {"old_scan": _scan_head(self.old), "new_scan": _scan_head(self.new),
                "gaps": {"new": self.new_gaps, "fixed": self.fixed_gaps, "still_open": self.open_gaps},
                "findings": {"new": rows(self.new_findings), "gone": rows(self.gone_findings)},
                "items": {"added": self.added_items, "removed": self.removed_items},
                "review_marks": {"new": self.new_marks, "lapsed": self.lapsed_marks}}


def _scan_head(scan: dict) -> dict:
    return {k: scan[k] for k in ("id", "started", "root", "register_version")}


def _by_target(marks: list[dict]) -> dict[tuple[str, str], dict]:
    return {(m["target"], m["id"]): m for m in marks}


def diff_scans(store: Store, old_id: int, new_id: int) -> Diff:
    """Compare two scans in the store.

    A gap a review mark hides is neither new nor open: a gap hidden since the older scan shows
    under `new_marks`, not as fixed. `lapsed_marks` are marks that met something in the newer scan
    but no longer hide it (expired, data changed, marked fixed yet still found)."""
    old_items, new_items = store.results(old_id), store.results(new_id)
    old_marks, new_marks = _by_target(store.review_marks(old_id)), _by_target(store.review_marks(new_id))

    def hidden(marks, gap_id):
        mark = marks.get(("gap", gap_id))
        return mark is not None and mark["effect"] == "applies"

    old_gaps = {g["id"]: g for g in store.gaps(old_id)}
    new_gaps = {g["id"]: g for g in store.gaps(new_id)}
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
                   if m["effect"] == "applies" and old_marks.get(k, {}).get("effect") != "applies"],
        lapsed_marks=[m for k, m in new_marks.items()
                      if m["effect"] != "applies" and old_marks.get(k, {}).get("effect") != m["effect"]])


def previous_scan(store: Store, scan_id: int) -> int | None:
    """The finished scan before `scan_id`, if any."""
    earlier = [i for i in store.scan_ids() if i < scan_id]
    return earlier[-1] if earlier else None


def _gap_line(g: dict) -> str:
    cats = f" ({', '.join(g.get('categories') or [])})" if g.get("categories") else ""
    return f"[{g['id']}] {g['kind']} {g['severity']}: {g['location']}{cats}"


def _finding_line(f: FindingRow) -> str:
    where = f" ({f.where})" if f.where else ""
    return f"{f.entity_type} {f.masked}  {f.location}{where}  [{f.id}]"


def diff_text(d: Diff) -> str:
    """The diff for a terminal: one headed block per kind of change, each thing on its own line."""
    lines = [f"Scan {d.old['id']} ({d.old['started'][:16]}) -> scan {d.new['id']} ({d.new['started'][:16]})"]
    if d.old["root"] != d.new["root"]:
        lines.append(f"Note: the scans cover different folders ({d.old['root']} and {d.new['root']}); "
                     "items and findings are compared by their paths relative to each folder")
    blocks = [
        ("Items removed", d.removed_items, str, "-"), ("Items added", d.added_items, str, "+"),
        ("New findings", d.new_findings, _finding_line, "+"), ("Findings gone", d.gone_findings, _finding_line, "-"),
        ("New gaps", d.new_gaps, _gap_line, "+"), ("Fixed gaps", d.fixed_gaps, _gap_line, "-"),
        ("New review marks", d.new_marks, describe_mark, "*"), ("Review marks no longer applying", d.lapsed_marks,
                                                             describe_mark, "!"),
    ]
    for title, things, line, sign in blocks:
        lines.append(f"{title}: {len(things)}")
        lines.extend(f"  {sign} {line(t)}" for t in things)
    lines.append(f"Still open gaps: {len(d.open_gaps)}")
    if d.empty:
        lines.append("No change.")
    return "\n".join(lines) + "\n"
