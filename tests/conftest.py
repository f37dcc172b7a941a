"""Shared fixtures: a private secret key per test session, the detector, the sample share."""
from __future__ import annotations

import importlib.util
from datetime import date
from pathlib import Path

import pytest
from odf.table import Table, TableCell, TableRow
from odf.text import P

REPO = Path(__file__).resolve().parents[1]
SAMPLE_DIR = REPO / "samples" / "interket"
DEMO_DATE = date(2026, 11, 1)


def odf_table(name: str, rows: list[list[str]]) -> Table:
    """An OpenDocument table (odfpy) whose cells hold the texts of `rows`, to add to a document."""
    table = Table(name=name)
    for values in rows:
        row = TableRow()
        for value in values:
            cell = TableCell()
            cell.addElement(P(text=value))
            row.addElement(cell)
        table.addElement(row)
    return table


@pytest.fixture(autouse=True, scope="session")
def _private_key_file(tmp_path_factory):
    """Never touch the user's real key: every test session gets its own key file."""
    path = tmp_path_factory.mktemp("key") / "secret.key"
    mp = pytest.MonkeyPatch()
    mp.setenv("DATAKORT_KEY_FILE", str(path))
    yield path
    mp.undo()


@pytest.fixture(scope="session")
def detector():
    from detectors.detector import Detector
    return Detector(b"k" * 32)


def load_sample_generator():
    spec = importlib.util.spec_from_file_location("sample_share", SAMPLE_DIR / "make_share.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="session")
def sample_generator():
    return load_sample_generator()


@pytest.fixture(scope="session")
def sample_share(tmp_path_factory, sample_generator):
    """The generated Interket share and the personal values written into it."""
    root = tmp_path_factory.mktemp("share") / "share"
    written = sample_generator.make_share(root, DEMO_DATE)
    return root, written


@pytest.fixture(scope="session")
def hostile_scan(tmp_path_factory):
    """The hostile corpus (tests/hostile_corpus.py) scanned once by `datakort scan` in a child process.

    Before the scan every file's access time is set a day before its modification time, so a read
    that updates it shows even on a `relatime` mount."""
    import os
    import sqlite3

    from tests import hostile_corpus as hc
    root = tmp_path_factory.mktemp("hostile") / "share"
    root.mkdir()
    expect = hc.build_corpus(root)
    before = hc.manifest(root)
    atimes = {}
    for path, (_, _, mtime_ns) in before.items():
        os.utime(path, ns=(mtime_ns - 86_400 * 10**9, mtime_ns))
        atimes[path] = mtime_ns - 86_400 * 10**9
    work = tmp_path_factory.mktemp("hostile-scan")
    child = hc.scan_in_child(root, work)
    atimes_after = {path: os.stat(path).st_atime_ns for path in atimes}
    after = hc.manifest(root)
    db = sqlite3.connect(work / "store.sqlite")
    items = {loc: (status, reason, parent) for loc, status, reason, parent in
             db.execute("SELECT location, status, reason, parent FROM items")}
    stats = db.execute("SELECT stats FROM scans").fetchone()[0]
    db.close()
    return {"root": root, "work": work, "expect": expect, "child": child, "items": items, "stats": stats,
            "before": before, "after": after,
            "atimes": (atimes, atimes_after)}
