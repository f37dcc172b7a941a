"""What the store keeps for the reports: gaps and applied marks of earlier scans, and the review
marks themselves.

The store is the one source of truth for review marks: every decision (mark, change, removal) is
appended to its `review_decisions` table with who decided, when and from where, and the latest
decision per gap or finding is the mark in force. `reviews.yaml` is the store's export: it is
rewritten after every decision, and edits made to it by hand are taken into the store the next
time the marks are read (only what changed since the store last wrote the file, so a hand edit
never undoes a decision taken in the browser since). A reviews.yaml that was there before the
store kept marks is taken in whole on first use, once.
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from reports.gaps.reconcile import Gap
from reports.gaps.reviews import AppliedMark, Mark, Reviews, parse_mark
from scanner.store import REMOVED, Decision, Store, WorkspaceStore


def stored_gaps(store: Store, scan_id: int) -> list[Gap]:
    """The gaps saved for a scan (all of them, hidden ones included)."""
    return [Gap.from_dict(data) for data in store.gap_data(scan_id)]


def stored_marks(store: Store, scan_id: int) -> list[AppliedMark]:
    """The review marks that met a gap or finding in a scan, with what each did."""
    return [AppliedMark.from_dict(data) for data in store.review_mark_data(scan_id)]


def save_marks(store: Store, scan_id: int, marks: list[AppliedMark]) -> None:
    store.save_review_marks(scan_id, [m.as_dict() for m in marks])


# -- review marks: the store is the source of truth, reviews.yaml its export --

def _plain(mark: Mark) -> dict:
    """A mark as JSON-ready plain values (what the store and the export compare)."""
    return json.loads(json.dumps(mark.as_dict(), default=str, sort_keys=True))


def mark_of(decision: Decision) -> Mark | None:
    """The mark a decision puts in force (None for a removal)."""
    if decision.status == REMOVED:
        return None
    return parse_mark(decision.data, f"review decision {decision.id}")


def marks_in_store(store: WorkspaceStore) -> Reviews:
    """The review marks in force: the latest decision for every gap and finding."""
    return Reviews([m for m in map(mark_of, store.current_decisions()) if m is not None])


def decide(store: WorkspaceStore, mark: Mark, source: str) -> None:
    """Record one decision (a new or changed mark) with who took it (`mark.by`) and from where."""
    store.add_decision(mark.target, mark.id, mark.status, _plain(mark), mark.by, source)


def remove_mark(store: WorkspaceStore, target: str, target_id: str, by: str, source: str) -> None:
    """Record that a mark was taken away; the audit trail keeps the mark that was there."""
    store.add_decision(target, target_id, REMOVED, {"target": target, "id": target_id}, by, source)


@dataclass
class Sync:
    """What reading the marks did with reviews.yaml: hand edits taken into the store, a first migration."""

    path: Path
    taken: int = 0
    migrated: bool = False

    def note(self) -> str | None:
        """One line for the user when something was taken from the file, else None."""
        if self.migrated:
            return (f"Took {self.taken} review mark(s) from {self.path} into the store (once): the store now keeps "
                    f"the marks and their history; {self.path.name} is its export, rewritten after every decision")
        if self.taken:
            return f"Took {self.taken} hand edit(s) of {self.path} into the store"
        return None


def _key(m: dict) -> tuple[str, str]:
    return (m["target"], m["id"])


def sync_reviews_file(store: WorkspaceStore, path: Path, by: str = "") -> Sync:
    """Take hand edits of `path` into the store, then write it again from the store.

    Only marks that differ from what the store last wrote to the file count as edits; a mark
    deleted from the file is removed. A file the store never wrote is taken in whole (the first
    use of a reviews.yaml from before the store kept marks). A file that cannot be read stops here
    with a ReviewsError, before anything changes."""
    path = Path(path)
    sync = Sync(path)
    if path.exists():
        in_file = {_key(d): d for d in (_plain(m) for m in Reviews.load(path).marks.values())}
        last = store.review_export(str(path.resolve()))
        base = {_key(d): d for d in last or []}
        sync.migrated = last is None and not store.current_decisions()
        current = {_key(d): d for d in (_plain(m) for m in marks_in_store(store).marks.values())}
        for key, data in in_file.items():
            if base.get(key) != data and current.get(key) != data:
                decide(store, parse_mark(data, str(path)), "migrated from reviews.yaml" if sync.migrated
                       else f"edited in {path.name}")
                sync.taken += 1
        for key in base.keys() - in_file.keys():
            if key in current:
                remove_mark(store, *key, by=by, source=f"deleted from {path.name}")
                sync.taken += 1
    if sync.taken or not path.exists() or store.review_export(str(path.resolve())) is None:
        export_reviews(store, path)
    return sync


def export_reviews(store: WorkspaceStore, path: Path) -> Path:
    """Write the marks in force to `path` (reviews.yaml format) and remember what was written."""
    reviews = marks_in_store(store)
    reviews.save(path)
    store.set_review_export(str(Path(path).resolve()), [_plain(m) for m in reviews.marks.values()])
    return Path(path)


def import_reviews(store: WorkspaceStore, path: Path, by: str = "") -> int:
    """Take every mark of a reviews file that differs from the store's into the store; returns how many."""
    current = {_key(d): d for d in (_plain(m) for m in marks_in_store(store).marks.values())}
    taken = 0
    for mark in Reviews.load(path).marks.values():
        if current.get((mark.target, mark.id)) != _plain(mark):
            mark.by = mark.by or by
            decide(store, mark, f"imported from {Path(path).name}")
            taken += 1
    return taken


def new_mark(target: str, target_id: str, status: str, reason: str, until: str | date | None, by: str,
             fingerprint: str | None, label: str, where: str = "the decision") -> Mark:
    """A mark from what a person entered; ReviewsError says what is missing."""
    return parse_mark({"target": target, "id": target_id, "status": status, "reason": reason,
                       "until": until or None, "by": by, "fingerprint": fingerprint, "label": label,
                       "marked": date.today().isoformat()}, where)

