"""What a scan could read, and what that means for its gaps: a folder that could not be listed
this time was not checked, so nothing under it is "fixed", "gone" or "declared but not found".

A scan records its coverage (scanner/run/runner.py): the folders it listed and the locations of
those it could not list ("." is the share's top folder). A big drop in items or folders against
the last scan of the same share (a folder unmounted, permissions changed) is a warning at the
top of the summary and the report.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable

from reports.register.model import Register, System
from scanner.store import ScanRecord, Store

DROP = 0.5  # a scan that sees less than half the items or folders of the last one is warned about


def under(location: str, folder: str) -> bool:
    """Whether `location` is `folder` or lies inside it ("." holds everything)."""
    return folder == "." or location == folder or location.startswith(folder.rstrip("/") + "/")


def not_checked(locations: Iterable[str], unreadable: Iterable[str]) -> bool:
    """Whether something at these locations may lie in (or contain) a folder that could not be read."""
    unreadable = list(unreadable)
    return any(under(loc, u) or under(u, loc) for loc in locations for u in unreadable)


def may_lie_in(system: System, folders: Iterable[str]) -> bool:
    """Whether some of a system's folders lie in (or contain) one of these folders."""
    for folder in folders:
        for pattern in system.paths:
            if under(pattern.literal.strip("/"), folder) or pattern.matches(f"{folder}/x"):
                return True
    return False


READ, NOT_READ, NOT_SCANNABLE = "read", "not read this time", "not scannable"


def system_coverage(register: Register, folders_not_read: Iterable[str]) -> dict[str, str]:
    """For each system of the register: read, not read this time (a folder of it could not be
    listed), or not scannable (out of reach, or no folders named)."""
    folders_not_read = list(folders_not_read)
    return {s.id: NOT_SCANNABLE if not s.scannable or not s.paths
            else NOT_READ if may_lie_in(s, folders_not_read) else READ for s in register.systems}


def unreadable(scan: ScanRecord) -> list[str]:
    """The folders a scan could not list (empty for scans stored before coverage was recorded)."""
    return list(scan.coverage.get("unreadable", []))


@dataclass(frozen=True)
class Drop:
    """Much less seen than last time: `what` ("items" or "readable folders"), before and now."""

    what: str
    before: int
    now: int


@dataclass(frozen=True)
class CoverageWarning:
    """Why a scan may not have seen the whole share: it saw much less than the last scan of the same
    share (`drops` against scan `last_scan`), or some folders could not be listed (`unreadable`).
    The words are the renderer's (reports/render/labels.py `coverage_warning_text`)."""

    last_scan: int | None
    drops: tuple[Drop, ...]
    unreadable: tuple[str, ...]


def coverage_warning(store: Store, scan: ScanRecord) -> CoverageWarning | None:
    """A warning when this scan saw much less than the last scan of the same share, or could not
    read some folders; None when it looks complete."""
    drops: list[Drop] = []
    last = store.last_finished_scan(scan.root, before=scan.id)
    if last is not None:
        now = (scan.stats.get("items", 0), scan.coverage.get("folders"))
        before = (last.stats.get("items", 0), last.coverage.get("folders"))
        drops = [Drop(what, b, n) for what, n, b in zip(("items", "readable folders"), now, before)
                 if n is not None and b and n < b * DROP]
    missing = unreadable(scan)
    if not drops and not missing:
        return None
    return CoverageWarning(last.id if drops else None, tuple(drops), tuple(missing))


def key_change_note(unmatched_marks: list) -> str:
    """What a scan with --new-key did to the review marks of the last scan (`Report.unmatched_marks`:
    the AppliedMarks that meet nothing any more)."""
    lines = [f"the secret key changed (--new-key): findings cannot be compared with earlier scans; "
             f"{len(unmatched_marks)} review mark(s) no longer match anything:"]
    lines += [f"    ! {m.target} {m.id} {m.label}".rstrip() for m in unmatched_marks]
    return "\n".join(lines)
