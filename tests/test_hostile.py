"""Hostile and broken input (tests/hostile_corpus.py): each case is read or recorded with a clear reason,
the scan finishes with exit code 0, and its memory stays bounded."""
from __future__ import annotations

import json
import os
import pwd
import shutil
import sqlite3
import stat
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

from tests import hostile_corpus as hc

MAX_RSS_MB = 1500  # the scan of the corpus peaks at about 250 MB; a 10 GB file read whole would blow this
MAX_SECONDS = 120


def test_scan_of_the_corpus_finishes_with_exit_code_0(hostile_scan):
    child = hostile_scan["child"]
    assert child.code == 0, child.stderr[-2000:]
    assert "Traceback" not in child.stderr


def test_memory_and_time_stay_bounded(hostile_scan):
    child = hostile_scan["child"]
    print(f"hostile corpus scan: {child.seconds:.1f} s, peak RSS {child.rss_mb:.0f} MB")
    assert child.rss_mb < MAX_RSS_MB
    assert child.seconds < MAX_SECONDS


def test_every_case_is_read_or_recorded_as_expected(hostile_scan):
    items, wrong = hostile_scan["items"], []
    for location, (statuses, words) in sorted(hostile_scan["expect"].items()):
        if location not in items:
            wrong.append(f"{location}: not in the store")
            continue
        status, reason, _ = items[location]
        if status not in statuses:
            wrong.append(f"{location}: {status} ({reason}), expected {' or '.join(statuses)}")
        elif status != hc.ANALYSED and not reason:
            wrong.append(f"{location}: {status} without a reason")
        elif status != hc.ANALYSED and not all(w.lower() in reason.lower() for w in words):
            wrong.append(f"{location}: reason {reason!r} does not say {words}")
    assert not wrong, "\n".join(wrong)


def test_no_reason_is_an_unexpected_error(hostile_scan):
    """A reason the tool did not foresee ("unexpected error while reading") is a bug to fix."""
    unexpected = {loc: r for loc, (_, r, _) in hostile_scan["items"].items() if r and "unexpected error" in r}
    assert not unexpected


def _findings(work: Path, location: str) -> list[tuple[str, str]]:
    db = sqlite3.connect(work / "store.sqlite")
    try:
        return db.execute("SELECT f.entity_type, f.masked FROM findings f JOIN items i ON i.id = f.item_id"
                          " WHERE i.location = ?", (location,)).fetchall()
    finally:
        db.close()


@pytest.mark.parametrize("where", ["deep", "long", "not utf-8"])
def test_cpr_is_found_in_deep_long_and_non_utf8_paths(hostile_scan, where):
    locations = {"deep": "/".join(["dyb"] * hc.DEEP) + "/kunder.txt",
                 "long": next(loc for loc in hostile_scan["expect"] if loc.startswith("Kunder med")),
                 "not utf-8": "Navne/M\\xf8der/kunde \\xe6\\xf8\\xe5.txt"}
    location = locations[where]
    if where == "long":
        assert len(str(hostile_scan["root"] / location)) > 260
    assert ("DK_CPR", hc.cpr_line()[1][:4] + "xx-xxxx") in _findings(hostile_scan["work"], location)


@pytest.mark.parametrize("location", ["Forkert/faktura.docx", "Forkert/billede.jpg",
                                      "Forkert/arkiv.xlsx › kunder.txt"])
def test_files_with_a_lying_suffix_are_read_as_what_they_are(hostile_scan, location):
    assert ("DK_CPR", hc.cpr_line()[1][:4] + "xx-xxxx") in _findings(hostile_scan["work"], location)


def test_folders_past_path_max_are_recorded_not_lost(hostile_scan):
    deeper = [(loc, r) for loc, (status, r, _) in hostile_scan["items"].items() if loc.startswith("Dybere/")]
    assert len(deeper) == 1
    location, reason = deeper[0]
    assert "File name too long" in reason
    assert hostile_scan["items"][location][0] == hc.FAILED


def test_non_utf8_names_reach_every_report_as_valid_text(hostile_scan):
    """The \\xNN form of a Latin-1 name is in the store, JSON and HTML, all valid UTF-8."""
    report = hostile_scan["work"] / "report"
    for name in ("report.html", "gaps.json", "inventory.csv", "findings.csv"):
        text = (report / name).read_bytes().decode("utf-8")  # raises on invalid UTF-8
        assert "M\\xf8der" in text or "M\\\\xf8der" in text, name
    json.loads((report / "gaps.json").read_text())


def test_reports_of_the_corpus_list_what_could_not_be_inspected(hostile_scan):
    gaps = json.loads((hostile_scan["work"] / "report" / "gaps.json").read_text())["gaps"]
    recorded = {g["location"] for g in gaps if g["kind"] == "could_not_inspect"}
    assert any("Bomber" in loc for loc in recorded) and any("Stor" in loc for loc in recorded)


def _nobody() -> str | None:
    """'nobody' when this test can drop to it: root, setpriv, and the checkout and Python readable by nobody."""
    try:
        account = pwd.getpwnam("nobody")
    except KeyError:
        return None
    if os.geteuid() != 0 or not shutil.which("setpriv"):
        return None
    probe = subprocess.run(["setpriv", f"--reuid={account.pw_uid}", f"--regid={account.pw_gid}", "--clear-groups", "--",
                            sys.executable, "-c", "import datakort.main"], cwd=hc.REPO, capture_output=True, timeout=60)
    return "nobody" if probe.returncode == 0 else None


@pytest.mark.skipif(_nobody() is None, reason="needs root, setpriv, a 'nobody' user, and the checkout readable by "
                                                "nobody, to drop privileges (permissions do not stop root)")
def test_unreadable_file_and_folder_are_recorded_as_not_readable():
    """As root, chmod 000 stops nothing: the scan runs as `nobody`, the way a service account would."""
    line, _ = hc.cpr_line()
    base = Path(tempfile.mkdtemp(prefix="datakort-perm-"))
    try:
        os.chmod(base, 0o755)
        share, work = base / "share", base / "work"
        (share / "Lukket").mkdir(parents=True)
        (share / "Lukket" / "hemmelig.txt").write_text(line)
        (share / "åben.txt").write_text(line)
        (share / "lukket.txt").write_text(line)
        (share / "lukket.txt").chmod(0)
        (share / "Lukket").chmod(0)
        work.mkdir()
        subprocess.run(["chown", "nobody", str(work)], check=True)
        child = hc.scan_in_child(share, work, env={"DATAKORT_KEY_FILE": str(work / "secret.key"), "HOME": str(work)},
                                 user="nobody")
        assert child.code == 0, child.stderr[-2000:]
        db = sqlite3.connect(work / "store.sqlite")
        items = {loc: (status, reason) for loc, status, reason in db.execute("SELECT location, status, reason FROM items")}
        db.close()
        assert items["åben.txt"][0] == hc.ANALYSED
        assert items["lukket.txt"] == (hc.FAILED, "the scanning account may not read it (Permission denied)")
        assert items["Lukket"][0] == hc.FAILED and "cannot be listed: Permission denied" in items["Lukket"][1]
        assert stat.S_IMODE(os.stat(work / "secret.key").st_mode) == 0o600
    finally:
        (base / "share" / "Lukket").chmod(0o755) if (base / "share" / "Lukket").exists() else None
        shutil.rmtree(base, ignore_errors=True)
