"""Rescans: unchanged files are carried forward with their findings, changed ones are read again,
and a new detector configuration or `--full` reads everything."""
from __future__ import annotations

import os
import sqlite3

from detectors.detector import Detector
from scanner.run.runner import ScanOptions, scan_fingerprint, run_scan
from scanner.store import Store
from tests.scale_helpers import make_text_share, view


def _without_sizes_and_times(rows):
    return [(loc, parent, status, reason, findings) for loc, parent, status, reason, _s, _m, findings in rows]


def test_rescan_carries_unchanged_files_forward_and_reads_changed_ones(detector, tmp_path):
    root = tmp_path / "share"
    files = make_text_share(root, 40)
    store = Store(tmp_path / "store.sqlite")
    first, stats1 = run_scan(root, store, detector)
    assert stats1.unchanged == 0 and stats1.findings == 40 * 3

    second, stats2 = run_scan(root, store, detector)
    assert stats2.unchanged == 40
    assert view(store, second) == view(store, first)
    assert stats2.findings == stats1.findings and stats2.by_entity == stats1.by_entity

    changed = files[7]
    changed.write_text("Ny tekst uden personoplysninger\n", encoding="utf-8")
    os.utime(changed, (1_700_000_000, 1_700_000_000))
    (root / "ny.txt").write_text("CPR-nr.: 020290-1231\n", encoding="utf-8")
    files[3].unlink()
    third, stats3 = run_scan(root, store, detector)
    assert stats3.unchanged == 38
    results = {r.location: r for r in store.results(third)}
    assert results["afd000/kunde00007.txt"].findings == []
    assert [f.entity_type for f in results["ny.txt"].findings] == ["DK_CPR"]
    assert "afd000/kunde00003.txt" not in results
    assert stats3.findings == 38 * 3 + 1


def test_full_and_a_new_detector_configuration_read_everything_again(detector, tmp_path):
    root = tmp_path / "share"
    make_text_share(root, 10)
    store = Store(tmp_path / "store.sqlite")
    first, _ = run_scan(root, store, detector)
    _, full = run_scan(root, store, detector, options=ScanOptions(full=True))
    assert full.unchanged == 0
    # another secret key gives other hashes: carrying old findings forward would mix them
    other = Detector(b"o" * 32)
    assert scan_fingerprint(other) != scan_fingerprint(detector)
    third, stats = run_scan(root, store, other)
    assert stats.unchanged == 0
    assert _without_sizes_and_times(view(store, third)) != _without_sizes_and_times(view(store, first))
    _, again = run_scan(root, store, other)
    assert again.unchanged == 10


def test_a_store_from_before_rescans_gets_the_new_columns(detector, tmp_path):
    path = tmp_path / "old.sqlite"
    db = sqlite3.connect(path)
    db.executescript("""
        CREATE TABLE scans (id INTEGER PRIMARY KEY, started TEXT NOT NULL, finished TEXT, root TEXT NOT NULL,
            register_file TEXT, register_version TEXT, config TEXT NOT NULL DEFAULT '{}',
            stats TEXT NOT NULL DEFAULT '{}');
        CREATE TABLE items (id INTEGER PRIMARY KEY, scan_id INTEGER NOT NULL, location TEXT NOT NULL, parent TEXT,
            size INTEGER, mtime TEXT, dates TEXT NOT NULL DEFAULT '{}', owner TEXT, status TEXT NOT NULL,
            reason TEXT, UNIQUE (scan_id, location));
        INSERT INTO scans (started, finished, root) VALUES ('2026-01-01', '2026-01-01', 'x');
    """)
    db.close()
    root = tmp_path / "share"
    make_text_share(root, 2)
    store = Store(path)
    scan_id, stats = run_scan(root, store, detector)
    assert stats.findings == 6 and store.scan(1).root == "x"


def test_content_hash_catches_a_change_that_keeps_size_and_mtime(detector, tmp_path):
    root = tmp_path / "share"
    files = make_text_share(root, 5)
    store = Store(tmp_path / "store.sqlite")
    hashed = ScanOptions(content_hash=True)
    run_scan(root, store, detector, options=hashed)
    target = files[2]
    st = target.stat()
    text = target.read_text(encoding="utf-8")
    target.write_text(text.replace("020290-1231", "xxxxxx-xxxx"), encoding="utf-8")  # same length
    os.utime(target, ns=(st.st_atime_ns, st.st_mtime_ns))
    _, plain = run_scan(root, store, detector)  # size + mtime only: fooled, carries the old finding
    assert plain.unchanged == 5 and plain.findings == 15
    scan_id, stats = run_scan(root, store, detector, options=hashed)
    assert stats.unchanged == 4 and stats.findings == 14
    assert "DK_CPR" not in {f.entity_type for r in store.results(scan_id) if r.location.endswith("kunde00002.txt")
                            for f in r.findings}
