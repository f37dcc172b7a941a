"""Gaps and review marks of earlier scans, read back from the store as typed records."""
from __future__ import annotations

from reports.gaps.reconcile import Gap
from reports.gaps.reviews import AppliedMark
from scanner.store import Store


def stored_gaps(store: Store, scan_id: int) -> list[Gap]:
    """The gaps saved for a scan (all of them, hidden ones included)."""
    return [Gap.from_dict(data) for data in store.gap_data(scan_id)]


def stored_marks(store: Store, scan_id: int) -> list[AppliedMark]:
    """The review marks that met a gap or finding in a scan, with what each did."""
    return [AppliedMark.from_dict(data) for data in store.review_mark_data(scan_id)]


def save_marks(store: Store, scan_id: int, marks: list[AppliedMark]) -> None:
    store.save_review_marks(scan_id, [m.as_dict() for m in marks])
