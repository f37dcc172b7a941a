"""The scanner is read-only: contents and mtimes unchanged (a checksum manifest before and after),
access times left alone (O_NOATIME), and no file under the scanned root opened for writing."""
from __future__ import annotations

import builtins
import io
import os
from pathlib import Path

import pytest

from scanner.run.runner import run_scan
from scanner.store import Store
from tests import hostile_corpus as hc


def test_contents_and_mtimes_are_unchanged(hostile_scan):
    before, after = hostile_scan["before"], hostile_scan["after"]
    assert len(before) >= 25
    assert before == after


def _atime_shows_reads(folder: Path) -> bool:
    """Whether this filesystem updates access times on a plain read (not with `noatime`)."""
    probe = folder / "atime-probe"
    probe.write_bytes(b"x")
    st = os.stat(probe)
    os.utime(probe, ns=(st.st_mtime_ns - 86_400 * 10**9, st.st_mtime_ns))
    probe.read_bytes()
    changed = os.stat(probe).st_atime_ns != st.st_mtime_ns - 86_400 * 10**9
    probe.unlink()
    return changed


def test_access_times_are_left_alone(hostile_scan, tmp_path):
    if not _atime_shows_reads(hostile_scan["work"]):
        pytest.skip("this filesystem is mounted without access times (noatime); test_files_are_opened_with_o_noatime "
                    "checks the open flags instead")
    wanted, seen = hostile_scan["atimes"]
    changed = sorted(p for p in wanted if seen[p] != wanted[p])
    assert not changed, f"access time changed by the scan: {changed[:5]}"


@pytest.mark.skipif(not hasattr(os, "O_NOATIME"), reason="this OS has no O_NOATIME")
def test_files_are_opened_with_o_noatime_and_never_for_writing(tmp_path, detector, sample_generator, monkeypatch):
    root = tmp_path / "share"
    root.mkdir()
    line, _ = hc.cpr_line()
    (root / "a.txt").write_text(line)
    (root / "b.csv").write_text("navn;cpr\nJens;" + line.split()[-1])
    sample_generator.write_docx(root / "c.docx", [line], hc.WHEN)
    sample_generator.write_xlsx(root / "d.xlsx", {"Ark1": [["CPR"], [line.split()[-1]]]})
    sample_generator.write_pdf(root / "e.pdf", "Kunde", [line.strip()], hc.WHEN)
    opened: list[tuple[str, int]] = []
    by_path: list[str] = []
    real_os_open, real_open = os.open, builtins.open

    def spy_os_open(path, flags, *args, **kwargs):
        if str(root) in os.fsdecode(path):
            opened.append((os.fsdecode(path), flags))
        return real_os_open(path, flags, *args, **kwargs)

    def spy_open(file, *args, **kwargs):
        if isinstance(file, (str, bytes, os.PathLike)) and str(root) in os.fsdecode(file):
            by_path.append(os.fsdecode(file))
        return real_open(file, *args, **kwargs)

    monkeypatch.setattr(os, "open", spy_os_open)
    monkeypatch.setattr(builtins, "open", spy_open)
    monkeypatch.setattr(io, "open", spy_open)
    store = Store(tmp_path / "store.sqlite")
    _, stats = run_scan(root, store, detector)
    store.close()
    monkeypatch.undo()
    assert stats.analysed == 5 and stats.findings >= 5
    assert {Path(p).name for p, flags in opened if not flags & os.O_DIRECTORY} == {"a.txt", "b.csv", "c.docx", "d.xlsx", "e.pdf"}
    assert any(flags & os.O_DIRECTORY for _, flags in opened), "the folder is listed through an O_NOATIME descriptor"
    for path, flags in opened:
        assert flags & os.O_NOATIME, f"{path} opened without O_NOATIME"
        assert not flags & (os.O_WRONLY | os.O_RDWR | os.O_CREAT | os.O_TRUNC | os.O_APPEND), f"{path} opened to write"
    assert by_path == [], "files opened by path, bypassing open_readonly (no O_NOATIME)"


def test_listing_folders_leaves_their_access_times_alone(tmp_path):
    root = tmp_path / "share"
    (root / "a" / "b").mkdir(parents=True)
    (root / "a" / "b" / "f.txt").write_text("x")
    if not _atime_shows_reads(tmp_path):
        pytest.skip("this filesystem is mounted without access times (noatime)")
    from scanner.sources.local import crawl
    folders = [root, root / "a", root / "a" / "b"]
    old = {}
    for folder in folders:
        st = os.stat(folder)
        os.utime(folder, ns=(st.st_mtime_ns - 86_400 * 10**9, st.st_mtime_ns))
        old[folder] = st.st_mtime_ns - 86_400 * 10**9
    assert [c.location for c in crawl(root)] == ["a/b/f.txt"]
    assert {f: os.stat(f).st_atime_ns for f in folders} == old
