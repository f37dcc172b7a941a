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
