"""One scan's report, assembled once and written in every format the user asks for.

`build_report` is the step after a scan: apply the review marks, reconcile with the register,
save the gaps and the marks that applied, and gather the inventory, the findings and the
diff with the previous scan. reports/render/write.py writes it as HTML, JSON, CSV and/or XLSX.
"""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime

from detectors.categories import HIGH_RISK_CATEGORIES
from reports.gaps.coverage import CoverageWarning, coverage_warning, unreadable
from reports.gaps.diff import Diff, diff_scans, previous_scan
from reports.gaps.findings import ITEM_FINDINGS, FindingRow, finding_rows
from reports.gaps.inventory import InventoryRow, inventory
from reports.gaps.reconcile import Gap, GapKind, reconcile
from reports.gaps.reviews import AppliedMark, Mark, Reviews, Target
from reports.gaps.stored import save_marks
from reports.register.model import Register
from scanner.store import ScanRecord, Store

FAIL_ON = ("new", "overdue", "special")


@dataclass
class Report:
    """Everything the report files show about one scan."""

    scan: ScanRecord
    register: Register
    as_of: date
    gaps: list[Gap]                     # open gaps, most severe first
    hidden: list[Gap]                   # gaps a review mark hides
    marks: list[AppliedMark]            # what every review mark did in this scan
    findings: list[FindingRow]
    inventory: list[InventoryRow]
    diff: Diff | None = None
    modified: dict[str, datetime] = field(default_factory=dict)  # item location -> modification time
    coverage_warning: CoverageWarning | None = None  # said at the top: folders not read, or much less seen than last time
    unmatched_marks: list[Mark] = field(default_factory=list)  # review marks that met nothing in this scan
    not_listed: dict[str, int] = field(default_factory=dict)  # item location -> its distinct values not in `findings`
    marks_by_target: dict[tuple[str, str], AppliedMark] = field(init=False)

    def __post_init__(self) -> None:
        self.marks_by_target = {(m.target, m.id): m for m in self.marks}

    @property
    def finding_total(self) -> int:
        """The distinct findings of the scan (a value in an item counts once): listed or not."""
        return len(self.findings) + sum(self.not_listed.values())

    def mark(self, target: Target, thing_id: str) -> AppliedMark | None:
        """The review mark that met this gap or finding in this scan, if any."""
        return self.marks_by_target.get((target, thing_id))

    def alerts(self, fail_on: list[str]) -> list[str]:
        """Why a scheduler should be alerted: one line per `--fail-on` condition that holds."""
        out = []
        if "new" in fail_on:
            new = self.diff.new_gaps if self.diff else self.gaps
            if new:
                out.append(f"{len(new)} new gap(s) since the previous scan")
        if "overdue" in fail_on:
            overdue = [g for g in self.gaps if g.kind == GapKind.OVERDUE]
            if overdue:
                out.append(f"{len(overdue)} overdue gap(s)")
        if "special" in fail_on:
            special = [g for g in self.gaps if set(g.categories) & HIGH_RISK_CATEGORIES]
            if special:
                out.append(f"{len(special)} gap(s) with CPR, special-category or criminal-offence data")
        return out


def build_report(store: Store, scan_id: int, register: Register, reviews: Reviews, as_of: date) -> Report:
    """Reconcile a stored scan with the register under the review marks; save gaps and marks."""
    items = store.results(scan_id, cap=ITEM_FINDINGS)
    scan = store.scan(scan_id)
    kept, finding_marks = reviews.filter_findings(
        items, as_of, beyond=lambda item: store.findings_beyond(scan_id, item.location, ITEM_FINDINGS))
    gaps = reconcile(register, kept, as_of, unreadable(scan))
    open_gaps, hidden, gap_marks = reviews.split_gaps(gaps, as_of)
    store.save_gaps(scan_id, gaps)
    save_marks(store, scan_id, finding_marks + gap_marks)
    previous = previous_scan(store, scan_id)
    met = {(a.target, a.id) for a in finding_marks + gap_marks}
    rows = finding_rows(items)
    listed = Counter(row.location for row in rows)
    not_listed = {i.location: store.distinct_value_count(scan_id, i.location) - listed[i.location]
                  for i in items if i.more_findings}
    return Report(scan=scan, register=register, as_of=as_of, gaps=open_gaps, hidden=hidden,
                  marks=finding_marks + gap_marks, findings=rows,
                  inventory=inventory(register, kept),
                  diff=diff_scans(store, previous, scan_id, items) if previous is not None else None,
                  modified={i.location: i.mtime for i in items if i.mtime},
                  coverage_warning=coverage_warning(store, scan),
                  unmatched_marks=[m for key, m in sorted(reviews.marks.items()) if key not in met],
                  not_listed=not_listed)
