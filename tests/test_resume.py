"""kill -9 in the middle of `datakort scan`, run the same command again: it resumes, and the
findings equal those of a scan that was never interrupted."""
from __future__ import annotations

import os
import re
import signal
import sqlite3
import subprocess
import sys
import time

import pytest

from scanner.run.runner import ScanOptions, run_scan
from scanner.store import Store
from tests.conftest import REPO, SAMPLE_DIR
from tests.scale_helpers import make_text_share, view


def _command(root, db, out):
    return [sys.executable, "-m", "datakort.main", "scan", str(root), "--register", str(SAMPLE_DIR / "register.yaml"),
            "--db", str(db), "--out", str(out), "--as-of", "2026-11-01", "--workers", "1", "-q"]


def _stored_items(db) -> int:
    try:
        con = sqlite3.connect(db, timeout=0.1)
        try:
            return con.execute("SELECT count(*) FROM items").fetchone()[0]
        finally:
            con.close()
    except sqlite3.Error:
        return 0


def _processes_with(text: str) -> list[int]:
    """Ids of running processes whose command line contains `text` (workers are forks of the scan)."""
    found = []
    for pid in filter(str.isdigit, os.listdir("/proc")):
        try:
            with open(f"/proc/{pid}/cmdline", "rb") as f:
                if text.encode() in f.read():
                    with open(f"/proc/{pid}/stat") as stat:
                        if stat.read().rsplit(")", 1)[1].split()[0] != "Z":
                            found.append(int(pid))
        except OSError:
            continue
    return found


def test_killed_scan_resumes_and_ends_with_the_same_findings(tmp_path):
    root = tmp_path / "share"
    make_text_share(root, 600)
    db = tmp_path / "store.sqlite"
    proc = subprocess.Popen(_command(root, db, tmp_path / "out1"), cwd=REPO)
    deadline = time.monotonic() + 60
    while _stored_items(db) < 50:
        assert proc.poll() is None, "the scan ended before it could be killed; make the share bigger"
        assert time.monotonic() < deadline
        time.sleep(0.05)
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    deadline = time.monotonic() + 10
    while _processes_with(str(db)):  # its worker processes do not outlive it
        assert time.monotonic() < deadline, "worker processes stayed behind after the scanner was killed"
        time.sleep(0.1)
    store = Store(db)
    assert store.scan(1).finished is None
    stored_before = _stored_items(db)
    assert 50 <= stored_before < 600

    rerun = subprocess.run(_command(root, db, tmp_path / "out2"), cwd=REPO, capture_output=True, text=True)
    assert rerun.returncode == 0, rerun.stderr
    assert store.db.execute("SELECT count(*) FROM scans").fetchone()[0] == 1  # resumed, not started over
    resumed = store.scan(1)
    assert resumed.finished is not None and resumed.stats["items"] == 600
    assert (tmp_path / "out2" / "gaps.json").exists()

    clean = Store(tmp_path / "clean.sqlite")
    code = subprocess.run(_command(root, tmp_path / "clean.sqlite", tmp_path / "out3"), cwd=REPO).returncode
    assert code == 0
    assert view(store, 1) == view(clean, 1)
    assert resumed.stats["findings"] == clean.scan(1).stats["findings"] == 600 * 3


def test_an_interrupted_scan_resumes_the_next_day_but_not_with_other_reading_options(detector, tmp_path):
    root = tmp_path / "share"
    make_text_share(root, 12)
    store = Store(tmp_path / "store.sqlite")

    def stop_after_five(n, location):
        if n > 5:
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        run_scan(root, store, detector, config={"as_of": "2026-11-01"}, progress=stop_after_five)
    scan_id, stats = run_scan(root, store, detector, config={"as_of": "2026-11-02"})
    assert scan_id == 1 and stats.items == 12 and stats.findings == 36
    assert store.scan(1).config["as_of"] == "2026-11-02"

    with pytest.raises(KeyboardInterrupt):
        run_scan(root, store, detector, progress=stop_after_five, options=ScanOptions(full=True))
    scan_id, stats = run_scan(root, store, detector)  # not --full: a new scan, carrying from scan 1
    assert scan_id == 3 and stats.unchanged == 12


def test_a_scan_killed_while_reading_a_big_container_resumes_with_the_same_findings(detector, tmp_path, monkeypatch):
    """A big zip is stored in parts as it is read; killed after one part is committed, the
    resumed scan drops that part and reads the zip again: nothing twice, nothing lost."""
    import zipfile

    import scanner.run.runner as runner
    import scanner.run.tasks as tasks
    from scanner.run.tasks import PART_ITEMS

    root = tmp_path / "share"
    make_text_share(root, 4)
    with zipfile.ZipFile(root / "arkiv.zip", "w") as z:
        for i in range(PART_ITEMS + 200):
            z.writestr(f"kunder/kunde{i:04d}.txt", f"Kunde {i}, CPR-nr.: 020290-1231, tlf. 20 12 {i % 100:02d} 56\n")
    clean = Store(tmp_path / "clean.sqlite")
    clean_id, clean_stats = run_scan(root, clean, detector)

    whole_parts = runner.inspect_parts

    def killed_after_one_part_of_the_zip(task, detector):
        for part, last in whole_parts(task, detector):
            yield part, last
            if task.location == "arkiv.zip":
                raise KeyboardInterrupt  # as if killed: what was committed stays, the rest is lost

    monkeypatch.setattr(runner, "COMMIT_SECONDS", 0.0)  # commit after every part
    monkeypatch.setattr(tasks, "PART_SECONDS", 3600.0)  # parts by count, however slow this machine is today
    monkeypatch.setattr(runner, "inspect_parts", killed_after_one_part_of_the_zip)
    store = Store(tmp_path / "store.sqlite")
    with pytest.raises(KeyboardInterrupt):
        run_scan(root, store, detector)
    store.close()
    killed = sqlite3.connect(tmp_path / "store.sqlite")
    inside, tops = killed.execute("SELECT count(*) FILTER (WHERE parent IS NOT NULL),"
                                  " count(*) FILTER (WHERE location = 'arkiv.zip') FROM items").fetchone()
    killed.close()
    assert inside >= PART_ITEMS - 1 and tops == 0  # a part of the zip stored, the zip itself not

    monkeypatch.setattr(runner, "inspect_parts", whole_parts)
    store = Store(tmp_path / "store.sqlite")
    scan_id, stats = run_scan(root, store, detector)
    assert scan_id == 1  # resumed, not a new scan
    assert view(store, scan_id) == view(clean, clean_id)
    assert stats.items == clean_stats.items == 4 + 1 + PART_ITEMS + 200
    assert stats.findings == clean_stats.findings


def test_progress_shows_a_big_container_being_read(detector, tmp_path):
    import zipfile

    import scanner.run.runner as runner
    from scanner.run.tasks import PART_ITEMS

    root = tmp_path / "share"
    root.mkdir()
    with zipfile.ZipFile(root / "arkiv.zip", "w") as z:
        for i in range(PART_ITEMS + 10):
            z.writestr(f"kunde{i:04d}.txt", f"tlf. 20 12 {i % 100:02d} 56\n")
    seen: list[tuple[int, str]] = []
    run_scan(root, Store(tmp_path / "store.sqlite"), detector, progress=lambda n, where: seen.append((n, where)))
    assert seen[0] == (1, "arkiv.zip")
    inside = [where for _, where in seen[1:]]
    assert inside and all(re.fullmatch(r"arkiv\.zip \([\d,]+ items read inside\)", where) for where in inside)


def test_findings_of_an_item_still_being_read_show_only_once_it_is_stored(tmp_path):
    """A big file's findings are stored as they come, but belong to no item (and show nowhere)
    until the file's item is stored; a killed scan's are dropped when it resumes."""
    from scanner.model import ANALYSED, Finding, ItemResult

    store = Store(tmp_path / "store.sqlite")
    scan_id = store.begin_scan("/share", None, None, {})
    phone = Finding("DK_PHONE", "kontakt", 0.85, "xxxxxx50", "a" * 32, "row 2, column Telefon")
    mail = Finding("EMAIL_ADDRESS", "kontakt", 1.0, "m****@firma.dk", "b" * 32, "row 3, column E-mail")
    store.add_pending_findings(scan_id, "kunder.csv", [phone])
    store.add_pending_findings(scan_id, "kunder.csv", [mail])
    store.add_pending_findings(scan_id, "stopped.csv", [phone])
    store.commit()
    assert store.results(scan_id) == []
    assert store.db.execute("SELECT count(*) FROM findings f JOIN items i ON i.id = f.item_id").fetchone()[0] == 0
    store.add_results(scan_id, [ItemResult("Andet/noter.txt", None, 10, None, status=ANALYSED)])  # meanwhile
    store.add_results(scan_id, [ItemResult("kunder.csv", None, 100, None, status=ANALYSED)])
    store.add_results(scan_id, [ItemResult("Andet/mere.txt", None, 10, None, status=ANALYSED)])
    store.commit()
    item = {r.location: r for r in store.results(scan_id)}["kunder.csv"]
    assert item.findings == [phone, mail]  # in the order they came
    assert len(store.results(scan_id)) == 3 and sum(len(r.findings) for r in store.results(scan_id)) == 2
    store.drop_unfinished_files(scan_id)  # what a resumed scan does first
    assert store.db.execute("SELECT count(*) FROM findings").fetchone()[0] == 2
    assert store.db.execute("SELECT count(*) FROM pending_items").fetchone()[0] == 0
