"""The findings store: one SQLite file holding scans, items, findings and gaps.

It never holds a cleartext personal value: findings carry the masked value and the
keyed hash only (see detectors/privacy.py).
"""
from __future__ import annotations

import json
import os
import sqlite3
from dataclasses import asdict
from datetime import datetime, timezone
from pathlib import Path
from typing import Iterable

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
    stats TEXT NOT NULL DEFAULT '{}'
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
CREATE INDEX IF NOT EXISTS findings_item ON findings(item_id);
CREATE INDEX IF NOT EXISTS gaps_scan ON gaps(scan_id);
CREATE INDEX IF NOT EXISTS review_marks_scan ON review_marks(scan_id);
"""


def _iso(value: datetime | None) -> str | None:
    return value.isoformat() if value else None


def _dt(value: str | None) -> datetime | None:
    return datetime.fromisoformat(value) if value else None


def now() -> datetime:
    return datetime.now(timezone.utc)


class Store:
    """Read and write scans in one SQLite file."""

    def __init__(self, path: str | Path):
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        if not self.path.exists():  # a new store is for its owner only (docs/security.md); SQLite's journals follow
            os.close(os.open(self.path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
        self.db = sqlite3.connect(self.path)
        self.db.executescript(SCHEMA)

    def close(self) -> None:
        self.db.close()

    def begin_scan(self, root: str, register_file: str | None, register_version: str | None, config: dict) -> int:
        cur = self.db.execute(
            "INSERT INTO scans (started, root, register_file, register_version, config) VALUES (?, ?, ?, ?, ?)",
            (_iso(now()), root, register_file, register_version, json.dumps(config, sort_keys=True)))
        self.db.commit()
        return cur.lastrowid

    def add_results(self, scan_id: int, results: Iterable[ItemResult]) -> None:
        for r in results:
            cur = self.db.execute(
                "INSERT INTO items (scan_id, location, parent, size, mtime, dates, owner, status, reason)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (scan_id, r.location, r.parent, r.size, _iso(r.mtime),
                 json.dumps({k: _iso(v) for k, v in r.dates.items()}), r.owner, r.status, r.reason))
            self.db.executemany(
                'INSERT INTO findings (item_id, entity_type, category, score, masked, value_hash, "where")'
                " VALUES (?, ?, ?, ?, ?, ?, ?)",
                [(cur.lastrowid, f.entity_type, f.category, f.score, f.masked, f.value_hash, f.where)
                 for f in r.findings])
        self.db.commit()

    def finish_scan(self, scan_id: int, stats: dict) -> None:
        self.db.execute("UPDATE scans SET finished = ?, stats = ? WHERE id = ?",
                        (_iso(now()), json.dumps(stats, sort_keys=True), scan_id))
        self.db.commit()

    def scan(self, scan_id: int) -> dict:
        row = self.db.execute(
            "SELECT id, started, finished, root, register_file, register_version, config, stats FROM scans WHERE id = ?",
            (scan_id,)).fetchone()
        if row is None:
            raise KeyError(f"no scan {scan_id} in {self.path}")
        keys = ("id", "started", "finished", "root", "register_file", "register_version", "config", "stats")
        scan = dict(zip(keys, row))
        scan["config"], scan["stats"] = json.loads(scan["config"]), json.loads(scan["stats"])
        return scan

    def results(self, scan_id: int) -> list[ItemResult]:
        """Every item of a scan with its findings, in location order."""
        findings: dict[int, list[Finding]] = {}
        for item_id, *values in self.db.execute(
                'SELECT f.item_id, f.entity_type, f.category, f.score, f.masked, f.value_hash, f."where"'
                " FROM findings f JOIN items i ON i.id = f.item_id WHERE i.scan_id = ? ORDER BY f.id", (scan_id,)):
            findings.setdefault(item_id, []).append(Finding(*values))
        out = []
        for (item_id, location, parent, size, mtime, dates, owner, status, reason) in self.db.execute(
                "SELECT id, location, parent, size, mtime, dates, owner, status, reason FROM items"
                " WHERE scan_id = ? ORDER BY location", (scan_id,)):
            out.append(ItemResult(location=location, parent=parent, size=size, mtime=_dt(mtime),
                                  dates={k: _dt(v) for k, v in json.loads(dates).items()},
                                  findings=findings.get(item_id, []), status=status, reason=reason, owner=owner))
        return out

    def save_gaps(self, scan_id: int, gaps: Iterable) -> None:
        self.db.execute("DELETE FROM gaps WHERE scan_id = ?", (scan_id,))
        self.db.executemany(
            "INSERT INTO gaps (scan_id, gap_id, kind, severity, data) VALUES (?, ?, ?, ?, ?)",
            [(scan_id, g.id, g.kind, g.severity, json.dumps(asdict(g), default=str)) for g in gaps])
        self.db.commit()

    def scan_ids(self) -> list[int]:
        """Every finished scan's id, oldest first."""
        return [r[0] for r in self.db.execute("SELECT id FROM scans WHERE finished IS NOT NULL ORDER BY id")]

    def gaps(self, scan_id: int) -> list[dict]:
        """The gaps saved for a scan, as the dicts `save_gaps` stored (Gap fields)."""
        return [json.loads(data) for (data,) in
                self.db.execute("SELECT data FROM gaps WHERE scan_id = ? ORDER BY id", (scan_id,))]

    def save_review_marks(self, scan_id: int, applied: Iterable[dict]) -> None:
        """Record which review marks applied in a scan (dicts with `target`, `id`, `status`, …)."""
        self.db.execute("DELETE FROM review_marks WHERE scan_id = ?", (scan_id,))
        self.db.executemany(
            "INSERT INTO review_marks (scan_id, target, target_id, status, data) VALUES (?, ?, ?, ?, ?)",
            [(scan_id, m["target"], m["id"], m["status"], json.dumps(m, default=str, sort_keys=True))
             for m in applied])
        self.db.commit()

    def review_marks(self, scan_id: int) -> list[dict]:
        """The review marks that applied in a scan."""
        return [json.loads(data) for (data,) in
                self.db.execute("SELECT data FROM review_marks WHERE scan_id = ? ORDER BY id", (scan_id,))]
