"""The findings store: one SQLite file holding scans, items, findings and gaps.

It never holds a cleartext personal value: findings carry the masked value and the
keyed hash only (see detectors/privacy.py).
"""
from __future__ import annotations

import fcntl
import json
import os
import sqlite3
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Iterable, Iterator

from scanner.model import Finding, ItemResult

SCHEMA = """
CREATE TABLE IF NOT EXISTS scans (
    id INTEGER PRIMARY KEY,
    started TEXT NOT NULL,
    finished TEXT,
    root TEXT NOT NULL,
    register_file TEXT,
    register_version TEXT,
    config TEXT NOT NULL DEFAULT '{}',
    stats TEXT NOT NULL DEFAULT '{}',
    fingerprint TEXT
);
CREATE TABLE IF NOT EXISTS items (
    id INTEGER PRIMARY KEY,
    scan_id INTEGER NOT NULL REFERENCES scans(id),
    location TEXT NOT NULL,
    parent TEXT,
    size INTEGER,
    mtime TEXT,
    dates TEXT NOT NULL DEFAULT '{}',
    owner TEXT,
    status TEXT NOT NULL,
    reason TEXT,
    top TEXT,
    carried_from INTEGER,
    content_hash TEXT,
    UNIQUE (scan_id, location)
);
CREATE TABLE IF NOT EXISTS findings (
    id INTEGER PRIMARY KEY,
    item_id INTEGER NOT NULL REFERENCES items(id),
    entity_type TEXT NOT NULL,
    category TEXT NOT NULL,
    score REAL NOT NULL,
    masked TEXT NOT NULL,
    value_hash TEXT NOT NULL,
    "where" TEXT NOT NULL DEFAULT ''
);
-- an item still being read (a big text file): the id its item will have, under which its findings
-- are written as they come (Store.add_pending_findings); no item has it until the item is stored
CREATE TABLE IF NOT EXISTS pending_items (
    scan_id INTEGER NOT NULL,
    location TEXT NOT NULL,
    item_id INTEGER NOT NULL,
    PRIMARY KEY (scan_id, location)
);
-- (stores written before pending_items: findings of an item still being read waited here)
CREATE TABLE IF NOT EXISTS pending_findings (
    scan_id INTEGER NOT NULL,
    location TEXT NOT NULL,
    entity_type TEXT NOT NULL,
    category TEXT NOT NULL,
    score REAL NOT NULL,
    masked TEXT NOT NULL,
    value_hash TEXT NOT NULL,
    "where" TEXT NOT NULL DEFAULT ''
);
CREATE TABLE IF NOT EXISTS gaps (
    id INTEGER PRIMARY KEY,
    scan_id INTEGER NOT NULL REFERENCES scans(id),
    gap_id TEXT NOT NULL,
    kind TEXT NOT NULL,
    severity TEXT NOT NULL,
    data TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS review_marks (
    id INTEGER PRIMARY KEY,
    scan_id INTEGER NOT NULL REFERENCES scans(id),
    target TEXT NOT NULL,
    target_id TEXT NOT NULL,
    status TEXT NOT NULL,
    data TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS items_scan ON items(scan_id);
CREATE INDEX IF NOT EXISTS items_scan_top ON items(scan_id, top);
CREATE INDEX IF NOT EXISTS findings_item ON findings(item_id);
CREATE INDEX IF NOT EXISTS gaps_scan ON gaps(scan_id);
CREATE INDEX IF NOT EXISTS pending_findings_item ON pending_findings(scan_id, location);
CREATE INDEX IF NOT EXISTS review_marks_scan ON review_marks(scan_id);
"""


# Columns added after the first release: (table, column, type). Older stores get them on open.
_ADDED_COLUMNS = (("scans", "fingerprint", "TEXT"), ("items", "top", "TEXT"), ("items", "carried_from", "INTEGER"),
                  ("items", "content_hash", "TEXT"),
                  # a trustworthy result (issue 17): who is scanning, what it could read, with which key and register
                  ("scans", "pid", "INTEGER"), ("scans", "coverage", "TEXT"), ("scans", "key_fingerprint", "TEXT"),
                  ("scans", "register_text", "TEXT"))

# The store's own facts (the key it was written with); one row per name.
META_SCHEMA = "CREATE TABLE IF NOT EXISTS store_meta (name TEXT PRIMARY KEY, value TEXT NOT NULL)"
_SQLITE_MAGIC = b"SQLite format 3\x00"


_FINDING_COLUMNS = 'f.entity_type, f.category, f.score, f.masked, f.value_hash, f."where"'  # a Finding's fields
_ITEM_AT = "(SELECT id FROM items WHERE scan_id = ? AND location = ?)"  # the id of the item of a scan at a location

RESERVED_IDS = 1 << 32  # how far above the ids in use an item being read gets its id (add_pending_findings)


class StoreError(Exception):
    """The store cannot be used (damaged, another program's, a folder, read-only, busy); the message says
    what to do."""


def store_problem(exc: sqlite3.Error, path: Path) -> str | None:
    """One line for an SQLite error that is about the store file rather than a bug, else None."""
    text = str(exc).lower()
    if "locked" in text or "busy" in text:
        return (f"the store {path} is busy: another datakort is writing to it; wait for it to finish "
                "or give another --db")
    if "readonly" in text or "read-only" in text:
        return (f"the store {path} is read-only (the file or its folder); make both writable for this user "
                "or copy the store to a writable folder")
    if "malformed" in text or "not a database" in text or "disk image" in text or "corrupt" in text:
        return (f"the store {path} is damaged ({exc}); restore it from a backup, or give another --db "
                "to start a new one")
    if "unable to open" in text or "disk i/o" in text:
        return f"cannot open the store {path} ({exc}); check that its folder exists and is writable"
    return None


@dataclass
class ScanRecord:
    """One scan as stored: when, over what, with which register and configuration, and its counts."""

    id: int
    started: str
    finished: str | None
    root: str
    register_file: str | None = None
    register_version: str | None = None
    config: dict = field(default_factory=dict)
    stats: dict = field(default_factory=dict)
    coverage: dict = field(default_factory=dict)  # what could be read: folders, unreadable, systems (runner.py)
    key_fingerprint: str | None = None
    register_text: str | None = None

    def head(self) -> dict:
        """What a JSON export says about the scan."""
        return {"id": self.id, "started": self.started, "root": self.root, "register_version": self.register_version}


def stored_time(value: datetime | None) -> str | None:
    """How the store writes a time (ISO 8601), so callers compare with what it holds."""
    return value.isoformat() if value else None


def _dt(value: str | None) -> datetime | None:
    return datetime.fromisoformat(value) if value else None


def now() -> datetime:
    return datetime.now(timezone.utc)


class Store:
    """Read and write scans in one SQLite file."""

    def __init__(self, path: str | Path):
        self.path = Path(path)
        self._lock_fd: int | None = None
        self._pending: dict[tuple[int, str], int] = {}  # the ids reserved for items being read (add_pending_findings)
        _check_file(self.path)
        if not self.path.exists():  # a new store is for its owner only (docs/security.md); SQLite's journals follow
            try:
                self.path.parent.mkdir(parents=True, exist_ok=True)
                os.close(os.open(self.path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
            except OSError as exc:
                raise StoreError(f"cannot create the store {self.path}: {exc.strerror or exc}; "
                                 "give --db a file in a folder you can write to") from None
        try:
            self.db = sqlite3.connect(self.path)
            self._check_kind()
            # WAL: a killed scan leaves the store consistent, and commits per item stay cheap.
            self.db.execute("PRAGMA journal_mode=WAL")
            self.db.execute("PRAGMA synchronous=NORMAL")
            self._add_missing_columns()
            self.db.executescript(SCHEMA)
            self._add_missing_columns()  # a new store: the columns added since the first release
            self.db.execute(META_SCHEMA)
        except sqlite3.Error as exc:
            raise StoreError(store_problem(exc, self.path) or f"cannot use the store {self.path}: {exc}") from None

    def _check_kind(self) -> None:
        """Refuse an SQLite file of another program before adding datakort's tables to it."""
        tables = {r[0] for r in self.db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        columns = {r[1] for r in self.db.execute("PRAGMA table_info(scans)")}
        if tables and not {"root", "started"} <= columns:
            self.db.close()
            raise StoreError(f"{self.path} is an SQLite file of another program (it has no datakort scans); "
                             "give --db a datakort store or a new file name")

    def _add_missing_columns(self) -> None:
        """Bring a store written by an older datakort up to the current schema (adds columns only)."""
        for table, column, kind in _ADDED_COLUMNS:
            existing = {row[1] for row in self.db.execute(f"PRAGMA table_info({table})")}
            if existing and column not in existing:
                self.db.execute(f"ALTER TABLE {table} ADD COLUMN {column} {kind}")

    def close(self) -> None:
        self.db.close()
        if self._lock_fd is not None:
            os.close(self._lock_fd)
            self._lock_fd = None

    def begin_scan(self, root: str, register_file: str | None, register_version: str | None, config: dict,
                   fingerprint: str | None = None) -> int:
        cur = self.db.execute(
            "INSERT INTO scans (started, root, register_file, register_version, config, fingerprint, pid)"
            " VALUES (?, ?, ?, ?, ?, ?, ?)",
            (stored_time(now()), root, register_file, register_version, json.dumps(config, sort_keys=True), fingerprint,
             os.getpid()))
        self.db.commit()
        return cur.lastrowid

    def add_results(self, scan_id: int, results: Iterable[ItemResult], content_hash: str | None = None,
                    commit: bool = True) -> None:
        """Write items: a file's top-level item and/or items inside it; `content_hash` belongs to
        the top-level item. With `commit=False` they join the open transaction (the runner
        commits every half second; a file's top-level item is written last, see
        `drop_unfinished_files`). An item whose findings came before it (`add_pending_findings`)
        gets the id they were written under, and they are its own from then on."""
        for r in results:
            reserved = self._pending.pop((scan_id, r.location), None)
            cur = self.db.execute(
                "INSERT INTO items (id, scan_id, location, parent, size, mtime, dates, owner, status, reason, top,"
                " content_hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (reserved, scan_id, r.location, r.parent, r.size, stored_time(r.mtime),
                 json.dumps({k: stored_time(v) for k, v in r.dates.items()}), r.owner, r.status, r.reason, r.path,
                 content_hash if r.parent is None else None))
            if reserved is not None:
                self.db.execute("DELETE FROM pending_items WHERE scan_id = ? AND location = ?", (scan_id, r.location))
            self._add_findings(cur.lastrowid, r.findings)
        if commit:
            self.db.commit()

    def add_pending_findings(self, scan_id: int, location: str, findings: list[Finding]) -> None:
        """Keep findings of an item still being read until the item is stored: a big file's findings
        go to disk as they come, not into memory, each written once, to `findings`, under the id
        its item will have (`pending_items`). That id is RESERVED_IDS above every id in use or
        reserved, so the items stored meanwhile (ids count up from the highest) never reach it,
        and nothing shows the findings before their item is stored."""
        key = (scan_id, location)
        item_id = self._pending.get(key)
        if item_id is None:
            highest = self.db.execute("SELECT max(m) FROM (SELECT max(id) AS m FROM items"
                                      " UNION ALL SELECT max(item_id) FROM pending_items)").fetchone()[0] or 0
            item_id = self._pending[key] = highest + RESERVED_IDS
            self.db.execute("INSERT INTO pending_items (scan_id, location, item_id) VALUES (?, ?, ?)", (*key, item_id))
        self._add_findings(item_id, findings)

    def _add_findings(self, item_id: int, findings: list[Finding]) -> None:
        self.db.executemany(
            'INSERT INTO findings (item_id, entity_type, category, score, masked, value_hash, "where")'
            " VALUES (?, ?, ?, ?, ?, ?, ?)",
            [(item_id, f.entity_type, f.category, f.score, f.masked, f.value_hash, f.where) for f in findings])

    def commit(self) -> None:
        """Make the items written with `add_results(..., commit=False)` durable."""
        self.db.commit()

    @contextmanager
    def without_value_index(self) -> Iterator[None]:
        """Write a scan with no index on the findings' keyed hashes, and build it again (if the store had
        it) when the scan is done; a scan that stops early (Ctrl-C, an error, kill -9) leaves it to the
        next WorkspaceStore to build (`datakort scan`, `report`, `serve`, `find` all open one)."""
        had = self.db.execute("SELECT 1 FROM sqlite_master WHERE type = 'index' AND name = 'findings_value_hash'"
                              ).fetchone() is not None
        if had:
            self.db.execute("DROP INDEX findings_value_hash")
            self.db.commit()
        yield
        if had:
            self.db.execute(VALUE_INDEX)
            self.db.commit()

    # -- incremental and resumable scans (scanner/run/runner.py) --

    def unfinished_scan(self, root: str, fingerprint: str, same: dict) -> int | None:
        """The scan to resume: the latest scan of `root`, if it never finished, ran with the same
        detector fingerprint and has the `same` values in its config."""
        row = self.db.execute("SELECT id, finished, fingerprint, config FROM scans WHERE root = ?"
                              " ORDER BY id DESC LIMIT 1", (root,)).fetchone()
        if row and row[1] is None and row[2] == fingerprint:
            config = json.loads(row[3])
            if all(config.get(k) == v for k, v in same.items()):
                return row[0]
        return None

    def set_config(self, scan_id: int, config: dict) -> None:
        self.db.execute("UPDATE scans SET config = ? WHERE id = ?", (json.dumps(config, sort_keys=True), scan_id))
        self.db.commit()

    def previous_scan(self, root: str, fingerprint: str, before: int) -> int | None:
        """The latest finished scan of `root` with the same detector fingerprint, before scan `before`."""
        row = self.db.execute("SELECT max(id) FROM scans WHERE root = ? AND fingerprint = ? AND finished IS NOT NULL"
                              " AND id < ?", (root, fingerprint, before)).fetchone()
        return row[0]

    def top_states(self, scan_id: int) -> dict[str, tuple[int, str | None, str | None]]:
        """(size, mtime, content hash) of each top-level item of a scan, by location."""
        return {loc: (size, mtime, digest) for loc, size, mtime, digest in self.db.execute(
            "SELECT location, size, mtime, content_hash FROM items WHERE scan_id = ? AND parent IS NULL", (scan_id,))}

    def drop_unfinished_files(self, scan_id: int) -> None:
        """Delete what a killed scan stored of the files it was still reading: items inside a file
        whose own top-level item was never stored (the runner stores it last), and findings
        still pending."""
        unfinished = ("SELECT id FROM items WHERE scan_id = ? AND parent IS NOT NULL AND top NOT IN"
                      " (SELECT location FROM items WHERE scan_id = ? AND parent IS NULL)")
        self.db.execute(f"DELETE FROM findings WHERE item_id IN ({unfinished})", (scan_id, scan_id))
        self.db.execute(f"DELETE FROM items WHERE id IN ({unfinished})", (scan_id, scan_id))
        self.db.execute("DELETE FROM findings WHERE item_id IN (SELECT item_id FROM pending_items WHERE scan_id = ?)",
                        (scan_id,))
        self.db.execute("DELETE FROM pending_items WHERE scan_id = ?", (scan_id,))
        self.db.execute("DELETE FROM pending_findings WHERE scan_id = ?", (scan_id,))
        self._pending.clear()
        self.db.commit()

    def carry_forward(self, scan_id: int, previous: int, locations: list[str]) -> None:
        """Copy unchanged top-level items, what they contain and their findings from scan `previous`."""
        db = self.db
        db.execute("CREATE TEMP TABLE IF NOT EXISTS carry (location TEXT PRIMARY KEY)")
        db.execute("DELETE FROM carry")
        db.executemany("INSERT OR IGNORE INTO carry VALUES (?)", [(loc,) for loc in locations])
        first_new = db.execute("SELECT coalesce(max(id), 0) FROM items").fetchone()[0]
        db.execute(
            "INSERT INTO items (scan_id, location, parent, size, mtime, dates, owner, status, reason, top, carried_from,"
            " content_hash) SELECT ?, location, parent, size, mtime, dates, owner, status, reason, top, id,"
            " content_hash FROM items"
            " WHERE scan_id = ? AND top IN (SELECT location FROM carry) ORDER BY id", (scan_id, previous))
        db.execute(
            'INSERT INTO findings (item_id, entity_type, category, score, masked, value_hash, "where")'
            f" SELECT i.id, {_FINDING_COLUMNS}"
            " FROM items i JOIN findings f ON f.item_id = i.carried_from WHERE i.id > ? AND i.scan_id = ?"
            " ORDER BY f.id", (first_new, scan_id))
        db.commit()

    def scan_counts(self, scan_id: int) -> dict:
        """Counts of a scan's items and findings, from what is stored (so resumed scans add up)."""
        statuses = dict(self.db.execute("SELECT status, count(*) FROM items WHERE scan_id = ? GROUP BY status",
                                        (scan_id,)).fetchall())
        top = self.db.execute("SELECT coalesce(sum(size), 0), count(carried_from) FROM items"
                              " WHERE scan_id = ? AND parent IS NULL", (scan_id,)).fetchone()
        by_entity = dict(self.db.execute(
            "SELECT f.entity_type, count(*) FROM findings f JOIN items i ON i.id = f.item_id"
            " WHERE i.scan_id = ? GROUP BY f.entity_type ORDER BY f.entity_type", (scan_id,)).fetchall())
        return {"statuses": statuses, "bytes": top[0], "unchanged": top[1], "by_entity": by_entity}

    def finish_scan(self, scan_id: int, stats: dict) -> None:
        self.db.execute("UPDATE scans SET finished = ?, stats = ? WHERE id = ?",
                        (stored_time(now()), json.dumps(stats, sort_keys=True), scan_id))
        self.db.commit()

    def scan(self, scan_id: int) -> ScanRecord:
        row = self.db.execute(
            "SELECT id, started, finished, root, register_file, register_version, config, stats, coverage,"
            " key_fingerprint, register_text FROM scans WHERE id = ?", (scan_id,)).fetchone()
        if row is None:
            raise KeyError(f"no scan {scan_id} in {self.path}")
        *head, config, stats, coverage, key, register_text = row
        return ScanRecord(*head, config=json.loads(config), stats=json.loads(stats),
                          coverage=json.loads(coverage or "{}"), key_fingerprint=key, register_text=register_text)

    def results(self, scan_id: int, cap: int | None = None) -> list[ItemResult]:
        """Every item of a scan with its findings, in location order. With `cap`, an item with more
        findings holds its first `cap` of them, and the number of the others by category in
        `more_findings` (a report's memory then does not grow with a million-row table)."""
        columns = f"f.item_id, {_FINDING_COLUMNS}"
        capped = {} if cap is None else dict(self.db.execute(
            "SELECT f.item_id, count(*) AS n FROM findings f JOIN items i ON i.id = f.item_id WHERE i.scan_id = ?"
            " GROUP BY f.item_id HAVING n > ?", (scan_id, cap)))
        findings: dict[int, list[Finding]] = {}
        more: dict[int, dict[str, int]] = {}
        for item_id, *values in self.db.execute(
                f"SELECT {columns} FROM findings f JOIN items i ON i.id = f.item_id WHERE i.scan_id = ?"
                f" AND f.item_id NOT IN ({','.join(map(str, capped))}) ORDER BY f.id", (scan_id,)):
            findings.setdefault(item_id, []).append(Finding(*values))
        for item_id in capped:
            findings[item_id] = [Finding(*values) for _, *values in self.db.execute(
                f"SELECT {columns} FROM findings f WHERE f.item_id = ? ORDER BY f.id LIMIT ?", (item_id, cap))]
            more[item_id] = dict(self.db.execute(
                "SELECT category, count(*) FROM (SELECT category FROM findings WHERE item_id = ? ORDER BY id"
                " LIMIT -1 OFFSET ?) GROUP BY category", (item_id, cap)))
        out = []
        for (item_id, location, parent, size, mtime, dates, owner, status, reason) in self.db.execute(
                "SELECT id, location, parent, size, mtime, dates, owner, status, reason FROM items"
                " WHERE scan_id = ? ORDER BY location", (scan_id,)):
            out.append(ItemResult(location=location, parent=parent, size=size, mtime=_dt(mtime),
                                  dates={k: _dt(v) for k, v in json.loads(dates).items()},
                                  findings=findings.get(item_id, []), status=status, reason=reason, owner=owner,
                                  more_findings=more.get(item_id, {})))
        return out

    def distinct_values(self, scan_id: int, location: str) -> Iterable[tuple[str, str, str, str, float, str]]:
        """(entity type, value hash, category, masked, score, where) of each distinct value found in an
        item, where it was first found, ordered by entity type and hash, one at a time (a diff of
        two million-row tables walks two of these side by side)."""
        for *row, _ in self.db.execute(  # (SQLite takes the other columns from the row of min(id))
                'SELECT f.entity_type, f.value_hash, f.category, f.masked, f.score, f."where", min(f.id) FROM findings f'
                f" WHERE f.item_id = {_ITEM_AT}"
                " GROUP BY f.entity_type, f.value_hash ORDER BY f.entity_type, f.value_hash", (scan_id, location)):
            yield tuple(row)

    def distinct_value_count(self, scan_id: int, location: str) -> int:
        """How many distinct values (entity type and hash) were found in an item (GROUP BY sorts: twice
        as fast as DISTINCT's b-tree on a table of 2.3 million findings, 6 s against 13)."""
        return self.db.execute(
            f"SELECT count(*) FROM (SELECT 1 FROM findings WHERE item_id = {_ITEM_AT}"
            " GROUP BY entity_type, value_hash)", (scan_id, location)).fetchone()[0]

    def finding_values(self, scan_id: int) -> Iterable[tuple[str, str, str, str]]:
        """(location, entity type, masked, value hash) of every finding of a scan, one at a time."""
        yield from self.db.execute("SELECT i.location, f.entity_type, f.masked, f.value_hash FROM findings f"
                                   " JOIN items i ON i.id = f.item_id WHERE i.scan_id = ?", (scan_id,))

    def findings_beyond(self, scan_id: int, location: str, cap: int) -> Iterable[Finding]:
        """The findings of an item after its first `cap` (those `results(scan_id, cap)` only counts), one at a time."""
        for values in self.db.execute(
                f"SELECT {_FINDING_COLUMNS} FROM findings f WHERE f.item_id = {_ITEM_AT}"
                " ORDER BY f.id LIMIT -1 OFFSET ?", (scan_id, location, cap)):
            yield Finding(*values)

    def save_gaps(self, scan_id: int, gaps: Iterable) -> None:
        """Keep a scan's gaps (reports/gaps/reconcile.py's Gap records) as JSON; `gap_data` gives them back."""
        self.db.execute("DELETE FROM gaps WHERE scan_id = ?", (scan_id,))
        self.db.executemany(
            "INSERT INTO gaps (scan_id, gap_id, kind, severity, data) VALUES (?, ?, ?, ?, ?)",
            [(scan_id, g.id, str(g.kind), str(g.severity), json.dumps(asdict(g), default=str)) for g in gaps])
        self.db.commit()

    def scan_ids(self) -> list[int]:
        """Every finished scan's id, oldest first."""
        return [r[0] for r in self.db.execute("SELECT id FROM scans WHERE finished IS NOT NULL ORDER BY id")]

    def gap_data(self, scan_id: int) -> list[dict]:
        """The gaps saved for a scan, as the JSON `save_gaps` stored (reports/gaps/stored.py makes them Gaps)."""
        return [json.loads(data) for (data,) in
                self.db.execute("SELECT data FROM gaps WHERE scan_id = ? ORDER BY id", (scan_id,))]

    def save_review_marks(self, scan_id: int, applied: Iterable[dict]) -> None:
        """Record which review marks applied in a scan (reports/gaps/reviews.py's AppliedMark as JSON)."""
        self.db.execute("DELETE FROM review_marks WHERE scan_id = ?", (scan_id,))
        self.db.executemany(
            "INSERT INTO review_marks (scan_id, target, target_id, status, data) VALUES (?, ?, ?, ?, ?)",
            [(scan_id, m["target"], m["id"], m["status"], json.dumps(m, default=str, sort_keys=True))
             for m in applied])
        self.db.commit()

    def review_mark_data(self, scan_id: int) -> list[dict]:
        """The review marks that applied in a scan, as stored (reports/gaps/stored.py makes them AppliedMarks)."""
        return [json.loads(data) for (data,) in
                self.db.execute("SELECT data FROM review_marks WHERE scan_id = ? ORDER BY id", (scan_id,))]

    # -- a trustworthy result (issue 17): one scan at a time, coverage, the key, the register --

    def lock_for_scan(self) -> None:
        """Hold the store for this scan (released on close or when the process dies); StoreError naming
        the PID of the scan that holds it."""
        fd = os.open(self.path, os.O_RDONLY)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            os.close(fd)
            row = self.db.execute("SELECT pid, root FROM scans WHERE finished IS NULL AND pid IS NOT NULL"
                                  " ORDER BY id DESC LIMIT 1").fetchone()
            who = f"another scan (PID {row[0]}, of {row[1]})" if row else "another scan"
            raise StoreError(f"{who} is writing to the store {self.path}; wait for it to finish, "
                             "or give another --db") from None
        self._lock_fd = fd

    def scan_running(self) -> bool:
        """Whether a scan holds the store (`lock_for_scan`): in another process, or through another handle."""
        fd = os.open(self.path, os.O_RDONLY)
        try:
            fcntl.flock(fd, fcntl.LOCK_SH | fcntl.LOCK_NB)  # (a scan's hold is exclusive; closing lets this go)
        except OSError:
            return True
        finally:
            os.close(fd)
        return False

    def set_pid(self, scan_id: int) -> None:
        """Record that this process now runs the scan (a resumed scan)."""
        self.db.execute("UPDATE scans SET pid = ? WHERE id = ?", (os.getpid(), scan_id))
        self.db.commit()

    def set_scan_facts(self, scan_id: int, *, coverage: dict | None = None, key_fingerprint: str | None = None,
                       register_text: str | None = None) -> None:
        """Record what a scan could read, its key's fingerprint and its register's text (given values only)."""
        for column, value in (("coverage", json.dumps(coverage, sort_keys=True) if coverage is not None else None),
                              ("key_fingerprint", key_fingerprint), ("register_text", register_text)):
            if value is not None:
                self.db.execute(f"UPDATE scans SET {column} = ? WHERE id = ?", (value, scan_id))
        self.db.commit()

    def drop_scan(self, scan_id: int) -> None:
        """Delete a scan that must not count (it saw nothing), with its items, findings, gaps and marks."""
        items = "SELECT id FROM items WHERE scan_id = ?"
        self.db.execute(f"DELETE FROM findings WHERE item_id IN ({items})", (scan_id,))
        for table in ("items", "gaps", "review_marks"):
            self.db.execute(f"DELETE FROM {table} WHERE scan_id = ?", (scan_id,))
        self.db.execute("DELETE FROM scans WHERE id = ?", (scan_id,))
        self.db.commit()

    def last_finished_scan(self, root: str, before: int | None = None) -> ScanRecord | None:
        """The latest finished scan of `root` (before scan `before`), whatever its fingerprint."""
        row = self.db.execute("SELECT max(id) FROM scans WHERE root = ? AND finished IS NOT NULL AND id < ?",
                              (root, before if before is not None else 1 << 62)).fetchone()
        return self.scan(row[0]) if row[0] is not None else None

    def meta(self, name: str) -> str | None:
        row = self.db.execute("SELECT value FROM store_meta WHERE name = ?", (name,)).fetchone()
        return row[0] if row else None

    def set_meta(self, name: str, value: str) -> None:
        self.db.execute("INSERT OR REPLACE INTO store_meta (name, value) VALUES (?, ?)", (name, value))
        self.db.commit()


def _check_file(path: Path) -> None:
    """Problems with the store file that SQLite reports badly or late: a folder, a read-only file or folder,
    a file that is not SQLite, a truncated file."""
    if path.is_dir():
        raise StoreError(f"--db {path} is a folder; give a file in it, e.g. --db {path / 'datakort.sqlite'}")
    folder = path.parent if str(path.parent) else Path(".")
    if not path.exists():
        if folder.exists() and not os.access(folder, os.W_OK | os.X_OK):
            raise StoreError(f"cannot create the store {path}: the folder {folder} is read-only; "
                             "give --db a file in a folder you can write to")
        return
    if not os.access(path, os.R_OK):
        raise StoreError(f"cannot read the store {path} (permission denied); run as its owner or fix its permissions")
    if not os.access(path, os.W_OK) or not os.access(folder, os.W_OK | os.X_OK):
        raise StoreError(f"the store {path} is read-only (the file or its folder {folder}: SQLite writes a journal "
                         "beside it); make both writable for this user or copy the store to a writable folder")
    size = path.stat().st_size
    if size == 0:
        return
    with open(path, "rb") as f:
        header = f.read(100)
    if not header.startswith(_SQLITE_MAGIC):
        raise StoreError(f"{path} is not a datakort store (not an SQLite file, or damaged); "
                         "restore it from a backup, or give another --db to start a new one")
    page_size = int.from_bytes(header[16:18], "big")
    page_size = 65536 if page_size == 1 else page_size
    pages = int.from_bytes(header[28:32], "big")
    counted = header[92:96] == header[24:28]  # the page count is valid (SQLite >= 3.7.0 wrote it)
    # With a write-ahead log beside it the file may be short and whole: a checkpoint held back by a reader
    # copies the first page (and its page count) before the pages that are still only in the log.
    log = Path(f"{path}-wal")
    in_log = log.exists() and log.stat().st_size > 0
    if len(header) == 100 and counted and size < page_size * pages and not in_log:
        raise StoreError(f"the store {path} is damaged: cut short ({size:,} of {page_size * pages:,} bytes; "
                         "a full disk or an interrupted copy?); restore it from a backup, or give another --db")


# -- The DPO's workspace (datakort serve / find / review): review decisions, the audit trail, owners
# -- and person lookups. Tables of their own, added beside the scan tables; nothing above is changed.

# The workspace's person lookups go through this index. A scan goes without it (`Store.without_value_index`):
# kept up to date, a random insert per finding made writing 4 times slower (31 µs a finding against 7,
# 3 million findings: bench/bench_store_writer.py); built once at the end, 1.4 µs a finding of the store.
VALUE_INDEX = "CREATE INDEX IF NOT EXISTS findings_value_hash ON findings(value_hash)"

WORKSPACE_SCHEMA = """
CREATE TABLE IF NOT EXISTS review_decisions (
    id INTEGER PRIMARY KEY,
    decided TEXT NOT NULL,
    target TEXT NOT NULL,
    target_id TEXT NOT NULL,
    status TEXT NOT NULL,
    data TEXT NOT NULL,
    by TEXT NOT NULL DEFAULT '',
    source TEXT NOT NULL DEFAULT ''
);
CREATE TABLE IF NOT EXISTS review_exports (
    path TEXT PRIMARY KEY,
    written TEXT NOT NULL,
    data TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS audit_events (
    id INTEGER PRIMARY KEY,
    at TEXT NOT NULL,
    who TEXT NOT NULL,
    action TEXT NOT NULL,
    detail TEXT NOT NULL DEFAULT ''
);
CREATE INDEX IF NOT EXISTS review_decisions_target ON review_decisions(target, target_id);
CREATE INDEX IF NOT EXISTS items_scan_owner ON items(scan_id, owner);
CREATE INDEX IF NOT EXISTS gaps_gap_id ON gaps(gap_id);
"""

REMOVED = "removed"  # the status of a decision that takes a mark away (`review unmark`)


@dataclass
class Decision:
    """One review decision as the store keeps it: appended, never changed (the audit trail)."""

    id: int
    decided: str
    target: str
    target_id: str
    status: str
    data: dict
    by: str = ""
    source: str = ""


@dataclass
class AuditEvent:
    """Something done in the workspace that is not a review decision: a person lookup, a login, an export."""

    id: int
    at: str
    who: str
    action: str
    detail: str = ""


@dataclass
class LookupHit:
    """One place a looked-up value was found: masked value and where, never the value."""

    scan_id: int
    scan_started: str
    root: str
    location: str
    top: str | None
    where: str
    entity_type: str
    category: str
    masked: str
    owner: str | None


class WorkspaceStore(Store):
    """The store with the workspace's tables: review decisions, exports of them, the audit trail."""

    def __init__(self, path: str | Path):
        super().__init__(path)
        self.db.executescript(WORKSPACE_SCHEMA)
        if not self.scan_running():  # (a scan builds it when done: building it now would hold up its writes)
            self.db.execute(VALUE_INDEX)  # built again when a killed scan left it out

    def add_decision(self, target: str, target_id: str, status: str, data: dict, by: str, source: str) -> int:
        """Append one decision (a mark, or REMOVED); the latest per target is the mark in force."""
        cur = self.db.execute(
            "INSERT INTO review_decisions (decided, target, target_id, status, data, by, source)"
            " VALUES (?, ?, ?, ?, ?, ?, ?)",
            (stored_time(now()), target, target_id, status, json.dumps(data, sort_keys=True, default=str), by, source))
        self.db.commit()
        return cur.lastrowid

    def _decisions(self, where: str = "", args: tuple = ()) -> list[Decision]:
        return [Decision(i, d, t, tid, s, json.loads(data), by, src) for i, d, t, tid, s, data, by, src in self.db.execute(
            "SELECT id, decided, target, target_id, status, data, by, source FROM review_decisions"
            f" {where} ORDER BY id", args)]

    def decisions(self, target_id: str | None = None) -> list[Decision]:
        """Every decision, oldest first (for one gap or finding when `target_id` is given)."""
        return self._decisions("WHERE target_id = ?", (target_id,)) if target_id else self._decisions()

    def current_decisions(self) -> list[Decision]:
        """The latest decision for every gap and finding (REMOVED ones included)."""
        return self._decisions("WHERE id IN (SELECT max(id) FROM review_decisions GROUP BY target, target_id)")

    def decisions_version(self) -> tuple[int, int | None]:
        """Changes with every decision (a cache key)."""
        return tuple(self.db.execute("SELECT count(*), max(id) FROM review_decisions").fetchone())

    def review_export(self, path: str) -> list[dict] | None:
        """The marks last exported to `path` (what the file said when the store wrote it), if any."""
        row = self.db.execute("SELECT data FROM review_exports WHERE path = ?", (path,)).fetchone()
        return json.loads(row[0]) if row else None

    def set_review_export(self, path: str, marks: list[dict]) -> None:
        self.db.execute("INSERT OR REPLACE INTO review_exports (path, written, data) VALUES (?, ?, ?)",
                        (path, stored_time(now()), json.dumps(marks, sort_keys=True, default=str)))
        self.db.commit()

    def audit(self, who: str, action: str, detail: str = "") -> None:
        """Record a workspace event; `detail` names kinds and counts, never a looked-up value."""
        self.db.execute("INSERT INTO audit_events (at, who, action, detail) VALUES (?, ?, ?, ?)",
                        (stored_time(now()), who, action, detail))
        self.db.commit()

    def audit_events(self, limit: int = 500) -> list[AuditEvent]:
        return [AuditEvent(*row) for row in self.db.execute(
            "SELECT id, at, who, action, detail FROM audit_events ORDER BY id DESC LIMIT ?", (limit,))]

    def latest_scans(self) -> list[int]:
        """The latest finished scan of every root (what is held now), newest first."""
        return [r[0] for r in self.db.execute(
            "SELECT max(id) FROM scans WHERE finished IS NOT NULL GROUP BY root ORDER BY max(id) DESC")]

    def find_hashes(self, hashes: list[str], scan_ids: list[int]) -> list[LookupHit]:
        """Every finding with one of these keyed hashes in these scans (through the value_hash index)."""
        if not hashes or not scan_ids:
            return []
        marks_h, marks_s = ",".join("?" * len(hashes)), ",".join("?" * len(scan_ids))
        return [LookupHit(*row) for row in self.db.execute(
            'SELECT s.id, s.started, s.root, i.location, i.top, f."where", f.entity_type, f.category, f.masked,'
            " i.owner FROM findings f JOIN items i ON i.id = f.item_id JOIN scans s ON s.id = i.scan_id"
            f" WHERE f.value_hash IN ({marks_h}) AND i.scan_id IN ({marks_s})"
            " ORDER BY s.id DESC, i.location, f.id", (*hashes, *scan_ids))]

    def owners(self, scan_id: int, locations: Iterable[str] | None = None) -> dict[str, str]:
        """The owner of each item of a scan (of these locations only, when given), where known."""
        if locations is None:
            return dict(self.db.execute("SELECT location, owner FROM items WHERE scan_id = ? AND owner IS NOT NULL"
                                        " AND owner != ''", (scan_id,)))
        out: dict[str, str] = {}
        wanted = list(dict.fromkeys(locations))
        for start in range(0, len(wanted), 500):
            part = wanted[start:start + 500]
            out.update(self.db.execute(
                f"SELECT location, owner FROM items WHERE scan_id = ? AND location IN ({','.join('?' * len(part))})"
                " AND owner IS NOT NULL AND owner != ''", (scan_id, *part)))
        return out

    def owner_counts(self, scan_id: int) -> dict[str, int]:
        """Items holding findings, per owner, in a scan."""
        return dict(self.db.execute(
            "SELECT owner, count(*) FROM items i WHERE scan_id = ? AND owner IS NOT NULL AND owner != ''"
            " AND EXISTS (SELECT 1 FROM findings f WHERE f.item_id = i.id) GROUP BY owner ORDER BY owner", (scan_id,)))

    def locations_of_owner(self, scan_id: int, owner: str) -> set[str]:
        return {r[0] for r in self.db.execute("SELECT location FROM items WHERE scan_id = ? AND owner = ?",
                                              (scan_id, owner))}

    def gap_ids(self, scan_id: int) -> set[str]:
        return {r[0] for r in self.db.execute("SELECT gap_id FROM gaps WHERE scan_id = ?", (scan_id,))}

    def gap_first_seen(self) -> dict[str, str]:
        """When each gap id was first saved: the start of the earliest scan that had it."""
        return dict(self.db.execute("SELECT g.gap_id, min(s.started) FROM gaps g JOIN scans s ON s.id = g.scan_id"
                                    " GROUP BY g.gap_id"))

    def gaps_version(self, scan_id: int) -> tuple[int, int | None]:
        """Changes whenever a scan's gaps are saved again (a cache key)."""
        return tuple(self.db.execute("SELECT count(*), max(id) FROM gaps WHERE scan_id = ?", (scan_id,)).fetchone())

    def gap_severity_counts(self) -> dict[int, dict[str, int]]:
        """Per finished scan: saved gaps by severity."""
        out: dict[int, dict[str, int]] = {}
        for scan_id, severity, n in self.db.execute(
                "SELECT scan_id, severity, count(*) FROM gaps WHERE scan_id IN"
                " (SELECT id FROM scans WHERE finished IS NOT NULL) GROUP BY scan_id, severity"):
            out.setdefault(scan_id, {})[severity] = n
        return out

    def hidden_gap_counts(self) -> dict[int, dict[str, int]]:
        """Per scan: gaps a review mark hid, by severity (the marks recorded as applying to a gap)."""
        out: dict[int, dict[str, int]] = {}
        for scan_id, severity, n in self.db.execute(
                "SELECT m.scan_id, g.severity, count(*) FROM review_marks m JOIN gaps g"
                " ON g.scan_id = m.scan_id AND g.gap_id = m.target_id"
                " WHERE m.target = 'gap' AND json_extract(m.data, '$.effect') = 'applies'"
                " GROUP BY m.scan_id, g.severity"):
            out.setdefault(scan_id, {})[severity] = n
        return out

    def category_counts(self, scan_id: int) -> dict[str, int]:
        """Findings per category in one scan."""
        return dict(self.db.execute(
            "SELECT f.category, count(*) FROM findings f JOIN items i ON i.id = f.item_id WHERE i.scan_id = ?"
            " GROUP BY f.category", (scan_id,)))

    def found_by_top(self, scan_id: int) -> list[tuple[str, str, int, int]]:
        """(top-level file, category, items, findings) of a scan: what the register view sums up."""
        return list(self.db.execute(
            "SELECT i.top, f.category, count(DISTINCT i.id), count(*) FROM findings f JOIN items i ON i.id = f.item_id"
            " WHERE i.scan_id = ? GROUP BY i.top, f.category", (scan_id,)))

    def finding_page(self, scan_id: int, where: str, args: tuple, limit: int, offset: int) -> list[tuple]:
        """One page of a scan's findings under an SQL condition on `f` (findings) and `i` (items)."""
        return list(self.db.execute(
            'SELECT i.location, f.entity_type, f.category, f.masked, f.value_hash, f."where", f.score, i.owner, i.mtime'
            f" FROM findings f JOIN items i ON i.id = f.item_id WHERE i.scan_id = ? {where}"
            " ORDER BY i.location, f.id LIMIT ? OFFSET ?", (scan_id, *args, limit, offset)))

    def finding_total(self, scan_id: int, where: str, args: tuple) -> int:
        return self.db.execute(f"SELECT count(*) FROM findings f JOIN items i ON i.id = f.item_id"
                               f" WHERE i.scan_id = ? {where}", (scan_id, *args)).fetchone()[0]
