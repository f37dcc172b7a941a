"""What the workspace's pages show, read from the store: no web framework in here.

Gaps come from the store as reconciliation saved them; the review marks in force (the store's
`review_decisions`) are applied on every request, so a decision shows at once. A scan's parsed
gaps, first-seen dates, owners and register are cached per scan and dropped when its gaps are
saved again.
"""
from __future__ import annotations

import math
import posixpath
import threading
from collections import Counter, defaultdict
from dataclasses import dataclass, field, fields, replace
from datetime import date, datetime
from urllib.parse import urlencode

from detectors.categories import CATEGORIES
from detectors.recognizers import ENTITY_CATEGORY, PICTURE_CATEGORIES
from reports.gaps.findings import finding_id
from reports.gaps.reconcile import SEVERITY_ORDER, Gap, GapKind
from reports.gaps.reviews import AppliedMark, Reviews, Target
from reports.gaps.stored import stored_gaps
from reports.register.load import load_register
from reports.register.model import Register, RegisterError, System
from scanner.store import ScanRecord, WorkspaceStore

SEVERITY_WEIGHT = {"high": 9, "medium": 3, "low": 1}
PAGE = 100
# What to do first about each kind of gap (the words are in texts.py, ACTIONS)
ACTION_OF_KIND = {GapKind.UNDECLARED_LOCATION: "delete_or_register", GapKind.UNDECLARED_CATEGORY: "update_register",
                  GapKind.CONTRADICTION: "update_register_or_delete", GapKind.OVERDUE: "delete_or_ask_owner",
                  GapKind.COULD_NOT_INSPECT: "check_by_hand", GapKind.DECLARED_NOT_FOUND: "update_register",
                  GapKind.NOT_SCANNABLE: "check_by_hand"}


def priority(gap: Gap, age_days: int) -> float:
    """Severity × volume × age: what to do first. Volume counts on a log scale (a folder of 10 000
    files is not 1 000 times as urgent as one of 10); age counts up to two years."""
    volume = math.log2(2 + gap.items + gap.findings)
    return round(SEVERITY_WEIGHT.get(gap.severity, 1) * volume * (1 + min(max(age_days, 0), 730) / 180), 1)


def _days_overdue(gap: Gap) -> int:
    return max((int(e.get("days_overdue") or 0) for e in gap.evidence), default=0)


@dataclass
class GapRow:
    """One gap as the lists show it: with its mark, owners, age and priority."""

    gap: Gap
    system: str | None
    first_seen: str | None
    age_days: int
    owners: list[str]
    new: bool
    mark: AppliedMark | None = None
    priority: float = 0.0

    @property
    def reviewed(self) -> bool:
        """Hidden by a mark that applies (false positive or accepted, not expired, data unchanged)."""
        return self.mark is not None and self.mark.effect == "applies"

    @property
    def action(self) -> str:
        return ACTION_OF_KIND.get(self.gap.kind, "check_by_hand")


@dataclass
class GapFilter:
    """The filters of the gap and finding lists, as the query string carries them (no personal values)."""

    kind: str = ""
    severity: str = ""
    system: str = ""
    folder: str = ""
    category: str = ""
    owner: str = ""
    entity_type: str = ""
    new: str = ""        # "1": only what is new since the previous scan
    state: str = "open"  # open | reviewed | all
    as_of: str = ""      # judge acceptances on this day (YYYY-MM-DD); default today
    page: int = 1

    @classmethod
    def from_args(cls, args) -> "GapFilter":
        values = {f.name: (args.get(f.name) or "").strip() for f in fields(cls) if f.name != "page"}
        try:
            page = max(int(args.get("page") or 1), 1)
        except ValueError:
            page = 1
        if values["state"] not in ("open", "reviewed", "all"):
            values["state"] = "open"
        return cls(**values, page=page)

    def judged_on(self) -> date:
        try:
            return date.fromisoformat(self.as_of) if self.as_of else date.today()
        except ValueError:
            return date.today()

    def query(self, **changes) -> str:
        """The query string for these filters with some changed (empty ones left out)."""
        values = {f.name: getattr(self, f.name) for f in fields(self)}
        values.update(changes)
        if "page" not in changes:
            values["page"] = 1
        return urlencode({k: v for k, v in values.items() if v not in ("", None, 1) and
                          not (k == "state" and v == "open")})

    @property
    def active(self) -> bool:
        return any(getattr(self, n) for n in ("kind", "severity", "system", "folder", "category", "owner",
                                              "entity_type", "new"))


@dataclass
class ScanCache:
    """What is read once per scan and day (until its gaps are saved again): the gaps as rows with
    their owners, age and priority (most urgent first), the register, counts per category and owner."""

    version: tuple
    rows: list[GapRow]
    register: Register | None
    categories: dict[str, int]
    owner_counts: dict[str, int]
    register_view: tuple | None = None  # made on first use


@dataclass
class Page:
    """One page of a list, with the total and the filters that made it."""

    rows: list
    total: int
    filters: GapFilter
    pages: int = 1


@dataclass
class FindingView:
    """One finding of the findings list: masked value only, with its id (for marks) and owner."""

    id: str
    location: str
    entity_type: str
    category: str
    masked: str
    where: str
    score: float
    owner: str | None
    mark: AppliedMark | None = None


@dataclass
class RegisterCell:
    """One system × category of the register view: declared or not, and what the scan found."""

    declared: bool = False
    denied: bool = False      # the register says the system does NOT hold it
    items: int = 0
    findings: int = 0
    folders: Counter = field(default_factory=Counter)

    @property
    def state(self) -> str:
        if self.findings and self.denied:
            return "contradiction"
        if self.findings and not self.declared:
            return "undeclared"
        if self.declared and not self.findings:
            return "not_found"
        return "ok" if self.findings else "empty"


@dataclass
class RegisterRow:
    system: System | None
    place: str
    cells: dict[str, RegisterCell]


class Workspace:
    """The workspace over one store file: opens a connection per request, caches per scan."""

    def __init__(self, db_path):
        self.db_path = db_path
        self._lock = threading.Lock()
        self._building = threading.Lock()
        self._cache: dict[int, ScanCache] = {}

    def open(self) -> WorkspaceStore:
        return WorkspaceStore(self.db_path)

    # -- scans --

    def scan_id(self, store: WorkspaceStore, wanted: str | None = None) -> int | None:
        ids = store.scan_ids()
        if wanted and wanted.isdigit() and int(wanted) in ids:
            return int(wanted)
        return ids[-1] if ids else None

    def previous(self, store: WorkspaceStore, scan_id: int) -> int | None:
        earlier = [i for i in store.scan_ids() if i < scan_id]
        return earlier[-1] if earlier else None

    def cached(self, store: WorkspaceStore, scan_id: int) -> ScanCache:
        version = (*store.gaps_version(scan_id), date.today())
        with self._lock:
            hit = self._cache.get(scan_id)
            if hit and hit.version == version:
                return hit
        with self._building:  # one build at a time: a request during the start-up warm-up waits for it
            with self._lock:
                hit = self._cache.get(scan_id)
                if hit and hit.version == version:
                    return hit
            return self._build(store, scan_id, version)

    def _build(self, store: WorkspaceStore, scan_id: int, version: tuple) -> ScanCache:
        record = store.scan(scan_id)
        register = _register(record)
        previous = self.previous(store, scan_id)
        previous_ids = store.gap_ids(previous) if previous else set()
        first_seen, owners, today = store.gap_first_seen(), store.owners(scan_id), date.today()
        rows = []
        for gap in stored_gaps(store, scan_id):
            first = first_seen.get(gap.id)
            age = (today - datetime.fromisoformat(first).date()).days if first else 0
            age += _days_overdue(gap) if gap.kind == GapKind.OVERDUE else 0
            rows.append(GapRow(gap, gap.system or _system_of(register, gap.location), first, age,
                               sorted({owners[e["location"]] for e in gap.evidence if e.get("location") in owners}),
                               bool(previous_ids) and gap.id not in previous_ids, None, priority(gap, age)))
        rows.sort(key=lambda r: (-r.priority, SEVERITY_ORDER[r.gap.severity], r.gap.location))
        entry = ScanCache(version, rows, register, _category_counts(store, record), store.owner_counts(scan_id))
        with self._lock:
            self._cache[scan_id] = entry
        return entry

    # -- gaps --

    def gap_rows(self, store: WorkspaceStore, scan_id: int, reviews: Reviews, as_of: date) -> list[GapRow]:
        """Every gap of a scan with its mark in force, owners, age and priority; most urgent first."""
        rows = self.cached(store, scan_id).rows
        marked = {thing_id for target, thing_id in reviews.marks if target == Target.GAP}
        if not marked:
            return rows
        _, _, records = reviews.split_gaps([r.gap for r in rows if r.gap.id in marked], as_of)
        marks = {m.id: m for m in records}
        return [replace(r, mark=marks[r.gap.id]) if r.gap.id in marks else r for r in rows]

    def gap_page(self, store: WorkspaceStore, scan_id: int, reviews: Reviews, filters: GapFilter) -> Page:
        rows = self.gap_rows(store, scan_id, reviews, filters.judged_on())
        for test in _tests(filters):
            rows = [r for r in rows if test(r)]
        start = (filters.page - 1) * PAGE
        return Page(rows[start:start + PAGE], len(rows), filters, max(1, math.ceil(len(rows) / PAGE)))

    def gap(self, store: WorkspaceStore, scan_id: int, reviews: Reviews, gap_id: str, as_of: date) -> GapRow | None:
        return next((r for r in self.gap_rows(store, scan_id, reviews, as_of) if r.gap.id == gap_id), None)

    # -- findings --

    def finding_page(self, store: WorkspaceStore, scan_id: int, reviews: Reviews, filters: GapFilter) -> Page:
        """One page of a scan's findings, filtered in SQL (the store may hold millions)."""
        where, args = [], []
        if filters.category:
            where.append("f.category = ?"), args.append(filters.category)
        if filters.entity_type:
            where.append("f.entity_type = ?"), args.append(filters.entity_type)
        if filters.owner:
            where.append("i.owner = ?"), args.append(filters.owner)
        if filters.folder:
            where.append("(i.top = ? OR i.top LIKE ? ESCAPE '\\')")
            args += [filters.folder, _like_prefix(filters.folder)]
        if filters.system:
            system = self.system(store, scan_id, filters.system)
            prefixes = [p.literal for p in system.paths] if system else []
            where.append("(" + (" OR ".join("i.top LIKE ? ESCAPE '\\'" for _ in prefixes) or "0") + ")")
            args += [_like_prefix(p.rstrip("/")) for p in prefixes]
        previous = self.previous(store, scan_id)
        if filters.new and previous:
            where.append("NOT EXISTS (SELECT 1 FROM items pi JOIN findings pf ON pf.item_id = pi.id"
                         " WHERE pi.scan_id = ? AND pi.location = i.location AND pf.value_hash = f.value_hash"
                         " AND pf.entity_type = f.entity_type)")
            args.append(previous)
        condition = "".join(f" AND {w}" for w in where)
        stored_total = sum((store.scan(scan_id).stats.get("by_entity") or {}).values()) if not where else 0
        total = stored_total or store.finding_total(scan_id, condition, tuple(args))
        rows = []
        for location, entity_type, category, masked, value_hash, where_in, score, owner, _ in store.finding_page(
                scan_id, condition, tuple(args), PAGE, (filters.page - 1) * PAGE):
            fid = finding_id(location, entity_type, value_hash)
            mark = reviews.marks.get((Target.FINDING, fid))
            rows.append(FindingView(fid, location, entity_type, category, masked, where_in, score, owner,
                                    mark.applied(reviews.effect(mark, filters.judged_on())) if mark else None))
        return Page(rows, total, filters, max(1, math.ceil(total / PAGE)))

    def system(self, store: WorkspaceStore, scan_id: int, system_id: str) -> System | None:
        register = self.cached(store, scan_id).register
        return next((s for s in register.systems if s.id == system_id), None) if register else None

    # -- owners --

    def owner_tasks(self, store: WorkspaceStore, scan_id: int, reviews: Reviews, as_of: date
                    ) -> dict[str, list[GapRow]]:
        """Open gaps per owner of the files behind them (a gap can be on several owners' lists)."""
        tasks: dict[str, list[GapRow]] = defaultdict(list)
        for row in self.gap_rows(store, scan_id, reviews, as_of):
            if not row.reviewed:
                for owner in row.owners:
                    tasks[owner].append(row)
        return dict(sorted(tasks.items()))

    # -- the register view --

    def register_view(self, store: WorkspaceStore, scan_id: int) -> tuple[list[RegisterRow], list[str]] | None:
        """Declared vs found per system × category, with the folders behind each cell (None without a register)."""
        cache = self.cached(store, scan_id)
        if cache.register is None:
            return None
        if cache.register_view is None:
            cache.register_view = self._register_view(store, scan_id, cache.register)
        return cache.register_view

    def _register_view(self, store: WorkspaceStore, scan_id: int, register: Register
                       ) -> tuple[list[RegisterRow], list[str]]:
        categories = list(CATEGORIES)
        rows = {s.id: RegisterRow(s, s.name, {c: RegisterCell(c in s.holds, c in s.does_not_hold)
                                              for c in categories}) for s in register.systems}
        outside = RegisterRow(None, "", {c: RegisterCell() for c in categories})
        systems: dict[str, System | None] = {}
        for top, category, items, findings in store.found_by_top(scan_id):
            if category not in CATEGORIES or not top:
                continue
            system = systems.get(top) if top in systems else systems.setdefault(top, register.system_for(top))
            cell = (rows[system.id] if system else outside).cells[category]
            cell.items += items
            cell.findings += findings
            cell.folders[posixpath.dirname(top) or "."] += findings
        out = list(rows.values()) + ([outside] if any(c.findings for c in outside.cells.values()) else [])
        return out, categories

    # -- trends --

    def trends(self, store: WorkspaceStore) -> tuple[list[ScanRecord], dict[str, list[int]], dict[str, list[int]]]:
        """Per finished scan: open gaps by severity (saved gaps less those a mark hid then) and findings
        by category (from the scan's counts)."""
        scans = [store.scan(i) for i in store.scan_ids()]
        saved, hidden = store.gap_severity_counts(), store.hidden_gap_counts()
        by_severity = {s: [saved.get(r.id, {}).get(s, 0) - hidden.get(r.id, {}).get(s, 0) for r in scans]
                       for s in SEVERITY_WEIGHT}
        categories: dict[str, list[int]] = {c: [0] * len(scans) for c in CATEGORIES}
        for n, record in enumerate(scans):
            counts = _category_counts(store, record)
            for category in categories:
                categories[category][n] = counts.get(category, 0)
        return scans, by_severity, {c: v for c, v in categories.items() if any(v)}


def _category_counts(store: WorkspaceStore, record: ScanRecord) -> dict[str, int]:
    """Findings per category of a scan: from its stored counts, else counted in the store."""
    by_entity = record.stats.get("by_entity")
    if by_entity is None:
        return store.category_counts(record.id)
    kinds, counts = {**ENTITY_CATEGORY, **PICTURE_CATEGORIES}, Counter()
    for entity, count in by_entity.items():
        counts[kinds.get(entity, "")] += count
    counts.pop("", None)
    return dict(counts)


def _register(record: ScanRecord) -> Register | None:
    if not record.register_file:
        return None
    try:
        return load_register(record.register_file)
    except (RegisterError, OSError):
        return None


def _system_of(register: Register | None, location: str) -> str | None:
    system = register.system_for(location) if register else None
    return system.id if system else None


def _like_prefix(folder: str) -> str:
    escaped = folder.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"{escaped}/%"


def _under(location: str, folder: str) -> bool:
    folder = folder.strip("/")
    return location == folder or location.startswith(folder + "/")


def _tests(f: GapFilter) -> list:
    """One test per filter that is set (the lists check only those)."""
    tests = []
    if f.kind:
        tests.append(lambda r: r.gap.kind == f.kind)
    if f.severity:
        tests.append(lambda r: r.gap.severity == f.severity)
    if f.system:
        tests.append(lambda r: r.system == f.system)
    if f.folder:
        tests.append(lambda r: _under(r.gap.location, f.folder))
    if f.category:
        tests.append(lambda r: f.category in r.gap.categories or r.gap.category == f.category)
    if f.owner:
        tests.append(lambda r: f.owner in r.owners)
    if f.new:
        tests.append(lambda r: r.new)
    if f.state != "all":
        reviewed = f.state == "reviewed"
        tests.append(lambda r: (r.mark is not None and r.mark.effect == "applies") == reviewed)
    return tests
