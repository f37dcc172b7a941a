"""The index on the findings' keyed hashes (the workspace's person lookups) is left out while a scan
writes, and built once when it is done: kept up to date, it made writing a big table 4 times slower."""
from __future__ import annotations

import pytest

from detectors.images.analysis import ImageSettings
from scanner.run.runner import run_scan
from scanner.store import Store, WorkspaceStore


def _has_index(store: Store) -> bool:
    return store.db.execute("SELECT 1 FROM sqlite_master WHERE name = 'findings_value_hash'").fetchone() is not None


def _share(root):
    root.mkdir()
    for n in range(3):
        (root / f"kunde{n}.txt").write_text(f"Kunde {n}: kunde{n}@firma.dk, tlf. 20 30 40 5{n}\n", encoding="utf-8")
    return root


def test_a_scan_writes_without_the_index_and_builds_it_when_done(tmp_path, detector):
    share, db = _share(tmp_path / "share"), tmp_path / "store.sqlite"
    store = WorkspaceStore(db)
    assert _has_index(store)
    during = []
    scan_id, _ = run_scan(share, store, detector, images=ImageSettings(ocr=False),
                          progress=lambda n, location: during.append(_has_index(store)))
    assert during and not any(during) and _has_index(store)
    hash_, location = store.db.execute("SELECT f.value_hash, i.location FROM findings f JOIN items i ON i.id = f.item_id"
                                       " WHERE f.entity_type = 'EMAIL_ADDRESS' ORDER BY f.id").fetchone()
    assert [hit.location for hit in store.find_hashes([hash_], [scan_id])] == [location]
    plan = " ".join(str(r) for r in store.db.execute(
        "EXPLAIN QUERY PLAN SELECT item_id FROM findings WHERE value_hash = ?", (hash_,)))
    assert "findings_value_hash" in plan  # the lookup goes through the index, not through every finding


def test_a_scan_stopped_early_leaves_the_index_to_the_next_workspace_store(tmp_path, detector):
    share, db = _share(tmp_path / "share"), tmp_path / "store.sqlite"
    store = WorkspaceStore(db)

    def stop(n, location):
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        run_scan(share, store, detector, images=ImageSettings(ocr=False), progress=stop)
    assert not _has_index(store)  # not built on the way out of a Ctrl-C
    store.close()
    assert _has_index(WorkspaceStore(db))


def test_the_workspace_does_not_build_the_index_while_a_scan_writes(tmp_path, detector):
    """The workspace opens the store for every request: building the index then would hold up the
    scan's writes (for minutes on a big store) until SQLite gave up on them."""
    db = tmp_path / "store.sqlite"
    scanning = WorkspaceStore(db)
    scanning.db.execute("DROP INDEX findings_value_hash")  # as `without_value_index` leaves it mid-scan
    scanning.db.commit()
    scanning.lock_for_scan()
    assert not _has_index(WorkspaceStore(db)) and WorkspaceStore(db).scan_running()
    scanning.close()
    workspace = WorkspaceStore(db)
    assert _has_index(workspace) and not workspace.scan_running()


def test_a_store_file_shorter_than_its_header_says_is_whole_when_a_write_ahead_log_is_beside_it(tmp_path):
    """A checkpoint held back by a reader copies the first page (with the new page count) before the
    pages still only in the log: a scan opening the store then must not call it cut short."""
    from scanner.store import StoreError, _check_file
    db = tmp_path / "store.sqlite"
    store = WorkspaceStore(db)
    store.db.executemany("INSERT INTO audit_events (at, who, action) VALUES ('x', 'y', ?)",
                         [("z" * 500,) for _ in range(200)])
    store.db.commit()
    store.close()
    os_size = db.stat().st_size
    with open(db, "r+b") as f:
        f.truncate(os_size // 2)
    with pytest.raises(StoreError, match="cut short"):
        _check_file(db)
    (tmp_path / "store.sqlite-wal").write_bytes(b"\x37\x7f\x06\x82" + b"\0" * 28)  # a log's header: frames follow
    _check_file(db)
