"""Worker processes: the same findings as a sequential scan, and a file that hangs, eats memory or
crashes its reader becomes "could not inspect" while the scan goes on."""
from __future__ import annotations

import os
import time

import pytest

from scanner.extract import extractor, supported_suffixes
from scanner.model import ANALYSED, FAILED, Content, Image, Segment
from scanner.run.runner import ScanOptions, run_scan
from scanner.store import Store
from scanner.run.workers import resident_mb
from tests.scale_helpers import make_text_share, view

supported_suffixes()  # load the real extractors first, then add the pathological ones below


@extractor(".hang")
def _hang(blob):
    time.sleep(120)
    return Content()


@extractor(".hog")
def _hog(blob):
    hoard = []
    for _ in range(400):  # up to 4 GB, 10 MB at a time, each page touched
        hoard.append(bytearray(b"x" * (10 * 2**20)))
        time.sleep(0.01)
    return Content()


@extractor(".crash")
def _crash(blob):
    os._exit(3)


@extractor(".ok")
def _ok(blob):
    return Content(segments=[Segment(blob.open().read().decode())])


def test_parallel_scan_equals_sequential_scan(sample_share, detector, tmp_path):
    root, _ = sample_share
    store = Store(tmp_path / "store.sqlite")
    sequential, s_stats = run_scan(root, store, detector, options=ScanOptions(workers=0, full=True))
    parallel, p_stats = run_scan(root, store, detector, options=ScanOptions(workers=2, full=True))
    assert view(store, parallel) == view(store, sequential)
    assert p_stats.findings == s_stats.findings > 0
    assert p_stats.items == s_stats.items


def test_pathological_files_become_could_not_inspect_and_the_scan_goes_on(detector, tmp_path):
    root = tmp_path / "share"
    make_text_share(root, 6)
    (root / "stuck.hang").write_text("x")
    (root / "huge.hog").write_text("x")
    (root / "bad.crash").write_text("x")
    (root / "later.ok").write_text("CPR-nr.: 020290-1231")
    store = Store(tmp_path / "store.sqlite")
    limit = resident_mb(os.getpid()) + 400
    started = time.monotonic()
    scan_id, stats = run_scan(root, store, detector,
                              options=ScanOptions(workers=2, time_limit=3, memory_limit_mb=limit))
    assert time.monotonic() - started < 60
    by_location = {r.location: r for r in store.results(scan_id)}
    assert by_location["stuck.hang"].status == FAILED
    assert by_location["stuck.hang"].reason.startswith("timed out after 3 s")
    assert by_location["huge.hog"].status == FAILED
    assert by_location["huge.hog"].reason.startswith("too much memory")
    assert by_location["bad.crash"].status == FAILED and "crashed" in by_location["bad.crash"].reason
    assert by_location["later.ok"].status == ANALYSED
    assert [f.entity_type for f in by_location["later.ok"].findings] == ["DK_CPR"]
    assert stats.analysed == 7 and stats.could_not_inspect == 3
    assert stats.findings == 6 * 3 + 1


@extractor(".slow")
def _slow(blob):
    time.sleep(0.25)
    return Content(segments=[Segment(blob.open().read().decode())])


def test_a_container_read_steadily_is_not_timed_out_but_an_item_that_hangs_inside_it_is(detector, tmp_path):
    """The time limit is per item: a worker that keeps handing on results is not stuck, however
    long the whole file takes; one that stops is, and what it read of the file before is kept."""
    import zipfile

    root = tmp_path / "share"
    root.mkdir()
    with zipfile.ZipFile(root / "steady.zip", "w") as z:  # 16 x 0.25 s: twice the time limit in all
        for i in range(16):
            z.writestr(f"note{i:02d}.slow", f"tlf. 20 12 {i:02d} 56")
    with zipfile.ZipFile(root / "stuck.zip", "w") as z:
        z.writestr("a.slow", "CPR-nr.: 020290-1231")
        z.writestr("b.hang", "x")
    store = Store(tmp_path / "store.sqlite")
    scan_id, stats = run_scan(root, store, detector, options=ScanOptions(workers=2, time_limit=2))
    by_location = {r.location: r for r in store.results(scan_id)}
    assert by_location["steady.zip"].status == ANALYSED
    assert sum(len(r.findings) for r in by_location.values() if r.parent == "steady.zip") == 16
    assert by_location["stuck.zip"].status == FAILED
    assert by_location["stuck.zip"].reason.startswith("timed out after 2 s")
    assert [f.entity_type for f in by_location["stuck.zip › a.slow"].findings] == ["DK_CPR"]  # read before it hung


@extractor(".testpages")  # a made-up type: real suffixes belong to real readers
def _pages(blob):
    from tests.test_containers import png_bytes
    return Content(images=[Image(png_bytes(), f"page {n}") for n in range(1, 9)])


def test_a_slow_step_inside_one_item_shows_the_worker_is_alive(detector, tmp_path, monkeypatch):
    """A scanned PDF of many pages is one item; each page OCR'd is a step. Eight pictures of
    0.4 s each take more than the 1.5 s limit together, but the worker signs life after each."""
    import scanner.run.pipeline as pipeline

    analyse = pipeline.analyse_image

    def slow_analysis(*args, **kwargs):
        time.sleep(0.4)
        return analyse(*args, **kwargs)

    monkeypatch.setattr(pipeline, "analyse_image", slow_analysis)  # the workers are forked after this
    root = tmp_path / "share"
    root.mkdir()
    (root / "scan.testpages").write_text("x")
    store = Store(tmp_path / "store.sqlite")
    scan_id, stats = run_scan(root, store, detector, options=ScanOptions(workers=1, time_limit=1.5))
    [result] = store.results(scan_id)
    assert (result.location, result.status, result.reason) == ("scan.testpages", ANALYSED, None)
