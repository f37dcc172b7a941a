"""A scan result the DPO can trust (issue 17): one-line failures with the right exit codes,
coverage (what could not be read is not "fixed"), the store's key, the register stored with
the scan, checked flags and progress that gives a total and the time left.

Commands run in-process through datakort.main.main, or as a child process where signals
and pipes matter."""
from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from datakort.main import build_parser, main
from datakort.scan import Progress
from scanner.sources import local
from scanner.store import Store
from tests.conftest import REPO, SAMPLE_DIR

REGISTER = SAMPLE_DIR / "register.yaml"
# Økonomi declares it does NOT hold contact data: the export below is a contradiction gap.
EXPORT = "Økonomi/Export/debitorer.txt"
NOTE = "Kunder/Vestjysk/noter.txt"


def _share(root: Path) -> Path:
    for rel, text in ((EXPORT, "Debitor: Jens Hansen, jens.hansen@example.dk, tlf. 20 30 40 50\n"),
                      (NOTE, "Kunde Mette Jensen, CPR-nr.: 010203-1234, mette@example.dk\n"),
                      ("Kunder/Vestjysk/tilbud.txt", "Tilbud på 10 paller mælk\n"),
                      ("Fælles/menu.txt", "Fredagsbar kl. 15\n")):
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text(text, encoding="utf-8")
    return root


def _scan(share, db, out, *extra) -> int:
    return main(["scan", str(share), "--register", str(REGISTER), "--db", str(db), "--out", str(out), "--workers", "0",
                 "--as-of", "2026-11-01", "-q", *extra])


def _one_line(err: str) -> str:
    """The stderr of a failed command: exactly one line, no traceback; returns it."""
    lines = [line for line in err.splitlines() if line.strip()]
    assert len(lines) == 1, err
    assert "Traceback" not in err
    return lines[0]


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture(scope="module")
def scanned(tmp_path_factory):
    """A small share scanned once into a store (the base for the failure cases)."""
    work = tmp_path_factory.mktemp("trust")
    share = _share(work / "share")
    db = work / "store.sqlite"
    assert _scan(share, db, work / "out") == 0
    return work, share, db


def _copy_store(scanned, tmp_path) -> Path:
    work, _, db = scanned
    copy = tmp_path / "store.sqlite"
    with closing_store(db) as s:
        s.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    shutil.copy(db, copy)
    return copy


class closing_store:
    def __init__(self, path):
        self.store = Store(path)

    def __enter__(self):
        return self.store

    def __exit__(self, *exc):
        self.store.close()


# -- 1. failures: one line, exit code 2 (the store, --out), 3 (a bug), 130 (Ctrl-C), quiet closed pipes --

@pytest.mark.parametrize("damage", ["garbage", "truncated", "foreign", "folder"])
@pytest.mark.parametrize("command", ["scan", "report", "diff", "review list"])
def test_a_store_that_cannot_be_used_is_one_line_and_exit_code_2(scanned, tmp_path, capsys, damage, command):
    work, share, _ = scanned
    db = _copy_store(scanned, tmp_path)
    if damage == "garbage":
        db.write_bytes(b"these are the minutes of the board meeting\n" * 100)
    elif damage == "truncated":
        os.truncate(db, db.stat().st_size // 2)
    elif damage == "foreign":
        db.unlink()
        other = sqlite3.connect(db)
        other.execute("CREATE TABLE photos (id INTEGER PRIMARY KEY, name TEXT)")
        other.commit()
        other.close()
    else:
        db.unlink()
        db.mkdir()
    before = _digest(db) if db.is_file() else None
    capsys.readouterr()
    argv = {"scan": ["scan", str(share), "--register", str(REGISTER), "--workers", "0"], "report": ["report"],
            "diff": ["diff"], "review list": ["review", "list"]}[command]
    code = main([*argv, "--db", str(db)] + (["--out", str(tmp_path / "out")] if command in ("scan", "report") else []))
    line = _one_line(capsys.readouterr().err)
    assert code == 2
    assert str(db) in line
    expected = {"garbage": "not a datakort store", "truncated": "damaged", "foreign": "another program",
                "folder": "is a folder"}[damage]
    assert expected in line
    if before:
        assert _digest(db) == before  # the store is left as it was
    assert not (tmp_path / "out" / "report.html").exists()


@pytest.mark.parametrize("read_only", ["file", "folder"])
@pytest.mark.parametrize("command", ["scan", "report", "diff"])
def test_a_read_only_store_or_folder_is_one_line_for_every_command(scanned, tmp_path, capsys, monkeypatch, read_only,
                                                                   command):
    """Root may write anything, so as root the permission check is told the file or folder is read-only."""
    _, share, _ = scanned
    folder = tmp_path / "ro"
    folder.mkdir()
    db = folder / "store.sqlite"
    shutil.copy(_copy_store(scanned, tmp_path), db)
    before = _digest(db)
    locked = db if read_only == "file" else folder
    if os.geteuid() == 0:
        real = os.access
        monkeypatch.setattr("scanner.store.os.access", lambda path, mode: (
            False if Path(path) == locked and mode & os.W_OK else real(path, mode)))
    else:
        os.chmod(locked, 0o555 if read_only == "folder" else 0o444)
    argv = {"scan": ["scan", str(share), "--register", str(REGISTER), "--workers", "0", "--out", str(tmp_path / "o")],
            "report": ["report", "--out", str(tmp_path / "o")], "diff": ["diff", "1", "1"]}[command]
    capsys.readouterr()
    try:
        code = main([*argv, "--db", str(db)])
    finally:
        os.chmod(locked, 0o755 if read_only == "folder" else 0o644)
    line = _one_line(capsys.readouterr().err)
    assert code == 2
    assert "is read-only" in line and str(db) in line and "writable" in line
    assert _digest(db) == before


def test_a_second_scan_on_a_store_being_written_names_the_pid(scanned, tmp_path, capsys):
    work, share, _ = scanned
    db = _copy_store(scanned, tmp_path)
    holder = Store(db)
    scan_id = holder.begin_scan("/elsewhere", None, None, {})
    holder.lock_for_scan()
    try:
        before = holder.db.execute("SELECT count(*) FROM scans").fetchone()[0]
        capsys.readouterr()
        assert _scan(share, db, tmp_path / "out") == 2
        line = _one_line(capsys.readouterr().err)
        assert f"PID {os.getpid()}" in line and "another scan" in line
        assert holder.db.execute("SELECT count(*) FROM scans").fetchone()[0] == before
    finally:
        holder.drop_scan(scan_id)
        holder.close()
    assert _scan(share, db, tmp_path / "out") == 0  # the lock ends with the scan that held it


def test_an_unwritable_out_is_found_before_the_scan(scanned, tmp_path, capsys):
    work, share, _ = scanned
    db = tmp_path / "new.sqlite"
    out = tmp_path / "report-file"
    out.write_text("not a folder")
    capsys.readouterr()
    started = time.monotonic()
    assert _scan(share, db, out) == 2
    assert "--out" in _one_line(capsys.readouterr().err)
    assert time.monotonic() - started < 5  # said before the detector is even built
    with closing_store(db) as s:
        assert s.scan_ids() == []


def test_an_internal_error_goes_to_a_log_file_with_exit_code_3(scanned, tmp_path, capsys, monkeypatch):
    _, _, db = scanned
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))

    def broken(*args):
        raise ZeroDivisionError("a bug with CPR 010203-1234 in its message")
    monkeypatch.setattr("datakort.diff.diff_scans", broken)
    capsys.readouterr()
    code = main(["diff", "1", "1", "--db", str(db)])
    line = _one_line(capsys.readouterr().err)
    assert code == 3
    assert "internal error (ZeroDivisionError" in line and "010203-1234" not in line
    [log] = (tmp_path / "cache" / "datakort").glob("crash-*.log")
    assert str(log) in line
    text = log.read_text()
    assert log.stat().st_mode & 0o777 == 0o600
    assert "Traceback" in text and "broken" in text and "010203-1234" not in text


def _store_has_items(db: Path) -> bool:
    try:
        con = sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=0.1)
        try:
            return con.execute("SELECT count(*) FROM items WHERE parent IS NULL").fetchone()[0] > 0
        finally:
            con.close()
    except sqlite3.Error:
        return False


def test_ctrl_c_stops_workers_quietly_and_says_how_to_resume(sample_share, tmp_path):
    root, _ = sample_share
    db = tmp_path / "store.sqlite"
    child = subprocess.Popen(
        [sys.executable, "-m", "datakort.main", "scan", str(root), "--register", str(REGISTER), "--db", str(db),
         "--out", str(tmp_path / "out"), "--workers", "2", "-q"], cwd=REPO, start_new_session=True,
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env={**os.environ, "PYTHONPATH": str(REPO)})
    deadline = time.monotonic() + 120
    while not _store_has_items(db) and child.poll() is None and time.monotonic() < deadline:
        time.sleep(0.2)
    os.killpg(child.pid, signal.SIGINT)  # what Ctrl-C on a terminal does: the scanner and every worker
    _, err = child.communicate(timeout=120)
    line = _one_line(err)
    assert child.returncode == 130
    assert "interrupted after" in line and "run the same command to resume" in line
    with closing_store(db) as s:
        assert s.scan_ids() == []  # not finished: the next run resumes it


@pytest.mark.parametrize("command", ["register import", "diff"])
def test_output_to_a_closed_pipe_ends_quietly(scanned, command):
    _, _, db = scanned
    argv = {"register import": ["register", "import", str(SAMPLE_DIR / "fortegnelse.docx"), "-o", "-"],
            "diff": ["diff", "1", "1", "--db", str(db), "--format", "json"]}[command]
    child = subprocess.Popen([sys.executable, "-m", "datakort.main", *argv], cwd=REPO, stdout=subprocess.PIPE,
                             stderr=subprocess.PIPE, text=True, env={**os.environ, "PYTHONPATH": str(REPO)})
    child.stdout.close()  # `| head -0`: the reader is gone before anything is written
    err = child.stderr.read()
    child.wait(timeout=120)
    assert "Traceback" not in err and "BrokenPipe" not in err and "Exception ignored" not in err
    assert child.returncode == 141


# -- 2. coverage: nothing seen is refused; what could not be read is not "fixed" --

def test_an_empty_or_unmounted_share_is_refused_and_stores_nothing(scanned, tmp_path, capsys):
    _, _, db_scanned = scanned
    db = _copy_store(scanned, tmp_path)
    empty = tmp_path / "share"
    empty.mkdir()
    with closing_store(db) as s:
        before = s.db.execute("SELECT count(*) FROM scans").fetchone()[0]
    capsys.readouterr()
    assert _scan(empty, db, tmp_path / "out") == 2
    line = _one_line(capsys.readouterr().err)
    assert str(empty) in line and "mounted" in line and "nothing was stored" in line
    with closing_store(db) as s:
        assert s.db.execute("SELECT count(*) FROM scans").fetchone()[0] == before


def test_an_unreadable_share_root_is_refused(scanned, tmp_path, capsys, monkeypatch):
    _, share, _ = scanned
    db = tmp_path / "s.sqlite"
    real = local._list_folder

    def denied(path):
        if os.path.abspath(path) == os.path.abspath(share):
            raise PermissionError(13, "Permission denied")
        return real(path)
    monkeypatch.setattr(local, "_list_folder", denied)
    capsys.readouterr()
    assert _scan(share, db, tmp_path / "out") == 2
    line = _one_line(capsys.readouterr().err)
    assert f"cannot read {share}" in line and "Permission denied" in line and "no permission" in line
    with closing_store(db) as s:
        assert s.db.execute("SELECT count(*) FROM scans").fetchone()[0] == 0


def test_an_unreadable_folder_is_not_checked_never_fixed(tmp_path, capsys, monkeypatch):
    share = _share(tmp_path / "share")
    db = tmp_path / "s.sqlite"
    assert _scan(share, db, tmp_path / "out1") == 0
    first = json.loads((tmp_path / "out1" / "gaps.json").read_text())
    [contradiction] = [g for g in first["gaps"] if g["kind"] == "contradiction"]
    assert contradiction["location"].startswith("Økonomi")

    real = local._list_folder
    monkeypatch.setattr(local, "_list_folder", lambda path: (
        (_ for _ in ()).throw(PermissionError(13, "Permission denied")) if path.endswith("Økonomi") else real(path)))
    capsys.readouterr()
    assert _scan(share, db, tmp_path / "out2") == 0
    err = capsys.readouterr().err
    assert "warning: 1 folder(s) could not be read (Økonomi)" in err
    second = json.loads((tmp_path / "out2" / "gaps.json").read_text())
    kinds = {(g["kind"], g.get("system")) for g in second["gaps"]}
    assert ("not_checked", "okonomi") in kinds and ("declared_not_found", "okonomi") not in kinds
    diff = second["since_previous_scan"]
    assert contradiction["id"] not in {g["id"] for g in diff["gaps"]["fixed"]}
    assert contradiction["id"] in {g["id"] for g in diff["not_checked_this_time"]["gaps"]}
    assert not any(f["location"].startswith("Økonomi") for f in diff["findings"]["gone"])
    assert EXPORT in diff["not_checked_this_time"]["items"] and EXPORT not in diff["items"]["removed"]
    html = (tmp_path / "out2" / "report.html").read_text()  # a Danish report says it in Danish, not in English
    assert "1 mappe(r) kunne ikke læses (Økonomi)" in html and "blev ikke tjekket denne gang" in html
    assert "could not be read" not in html and "was not checked" not in html
    with closing_store(db) as s:
        recorded = s.scan(2).coverage
    assert recorded["unreadable"] == ["Økonomi"] and recorded["systems"]["okonomi"] == "not read this time"
    assert recorded["systems"]["kundemapper"] == "read" and recorded["systems"]["erp"] == "not scannable"

    capsys.readouterr()
    assert main(["diff", "--db", str(db)]) == 0
    text = capsys.readouterr().out
    not_checked_block = text[text.index("Gaps not checked this time"):text.index("Findings not checked")]
    assert f"? [{contradiction['id']}] contradiction" in not_checked_block
    assert "Fixed gaps: 0" in text


def test_a_big_drop_against_the_last_scan_is_a_warning_at_the_top(tmp_path, capsys):
    share = _share(tmp_path / "share")
    for n in range(10):
        (share / "Fælles" / f"referat-{n}.txt").write_text("Møde om lageret\n")
    db = tmp_path / "s.sqlite"
    assert _scan(share, db, tmp_path / "out1") == 0
    shutil.rmtree(share / "Fælles")
    shutil.rmtree(share / "Kunder")
    capsys.readouterr()
    assert _scan(share, db, tmp_path / "out2") == 0
    err = capsys.readouterr().err
    assert "warning: this scan saw much less than scan 1 of the same folder (items 14 → 1" in err
    html = (tmp_path / "out2" / "report.html").read_text()
    summary = html[html.index("id=\"summary\""):]
    assert summary.index("så langt mindre end skanning 1") < summary.index("class=\"cards\"")  # above the numbers
    assert "elementer 14 → 1" in summary and "saw much less" not in html


# -- 3. the key belongs to the store --

def test_another_key_is_refused_naming_both_files_and_new_key_lists_the_marks(tmp_path, capsys, monkeypatch):
    share = _share(tmp_path / "share")
    db = tmp_path / "s.sqlite"
    first_key, other_key = tmp_path / "first.key", tmp_path / "other.key"
    monkeypatch.setenv("DATAKORT_KEY_FILE", str(first_key))
    assert _scan(share, db, tmp_path / "out1") == 0
    first = json.loads((tmp_path / "out1" / "gaps.json").read_text())
    finding = next(f for f in first["findings"] if f["location"] == NOTE)
    assert main(["review", "mark", finding["id"], "--status", "false_positive", "--db", str(db)]) == 0

    monkeypatch.setenv("DATAKORT_KEY_FILE", str(other_key))
    with closing_store(db) as s:
        scans_before = s.db.execute("SELECT count(*) FROM scans").fetchone()[0]
    capsys.readouterr()
    assert _scan(share, db, tmp_path / "out2") == 2
    line = _one_line(capsys.readouterr().err)
    assert str(first_key) in line and str(other_key) in line and "--new-key" in line
    assert not other_key.exists()  # no key made behind the user's back
    with closing_store(db) as s:
        assert s.db.execute("SELECT count(*) FROM scans").fetchone()[0] == scans_before
        assert "first.key" in s.meta("key_file") and first_key.read_bytes() not in s.meta("key_fingerprint").encode()

    assert main(["report", "--db", str(db), "--out", str(tmp_path / "r0"), "-q"]) == 0  # no key here: fine
    other_key.write_text("o" * 64)  # another key: refused
    for argv in (["report", "--db", str(db), "--out", str(tmp_path / "r")], ["diff", "1", "1", "--db", str(db)]):
        capsys.readouterr()
        assert main(argv) == 2
        line = _one_line(capsys.readouterr().err)
        assert str(first_key) in line and str(other_key) in line

    capsys.readouterr()
    assert main(["scan", str(share), "--register", str(REGISTER), "--db", str(db), "--out", str(tmp_path / "out3"),
                 "--workers", "0", "--as-of", "2026-11-01", "--new-key"]) == 0
    out = capsys.readouterr().out
    assert "the secret key changed (--new-key)" in out and "1 review mark(s) no longer match anything" in out
    assert f"! finding {finding['id']}" in out
    html = (tmp_path / "out3" / "report.html").read_text()  # the DPO sees the mark, in Danish, not only the sysadmin
    marks = html[html.index("id='unmatched-marks'"):]
    assert "Vurderinger, der ikke passer på noget i denne skanning (1)" in marks and finding["id"] in marks
    second = json.loads((tmp_path / "out3" / "gaps.json").read_text())
    diff = second["since_previous_scan"]
    assert diff["keys_differ"] and diff["findings"] == {"new": [], "gone": [], "new_not_listed": 0, "gone_not_listed": 0}
    assert main(["diff", "--db", str(db)]) == 0  # the store's key is now the other one


# -- 4. a scan is reproducible --

def test_report_of_an_old_scan_uses_the_register_it_was_made_with(tmp_path, capsys, monkeypatch):
    share = _share(tmp_path / "share")
    register = tmp_path / "register.yaml"
    shutil.copy(REGISTER, register)
    db = tmp_path / "s.sqlite"
    monkeypatch.chdir(tmp_path)
    assert main(["scan", "share", "--register", "register.yaml", "--db", "s.sqlite", "--out", "out1", "-q",
                 "--workers", "0", "--as-of", "2026-11-01"]) == 0
    first = json.loads((tmp_path / "out1" / "gaps.json").read_text())
    text = register.read_text(encoding="utf-8")
    register.write_text(text.replace("does_not_hold: [contact]", "does_not_hold: []"), encoding="utf-8")
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)
    assert main(["report", "1", "--db", str(db), "--out", "again", "-q"]) == 0
    again = json.loads((elsewhere / "again" / "gaps.json").read_text())
    assert [g["id"] for g in again["gaps"]] == [g["id"] for g in first["gaps"]]
    assert any(g["kind"] == "contradiction" for g in again["gaps"])
    with closing_store(db) as s:
        row = s.scan(1)
    assert Path(row.root).is_absolute() and Path(row.register_file).is_absolute()
    assert main(["report", "1", "--db", str(db), "--out", "edited", "-q", "--register", str(register)]) == 0
    edited = json.loads((elsewhere / "edited" / "gaps.json").read_text())
    assert not any(g["kind"] == "contradiction" for g in edited["gaps"])  # --register: the edited one, on purpose


# -- 5. flags --

@pytest.mark.parametrize("argv, message", [
    (["scan", "x", "--register", "r", "--workers", "-1"], "'-1' is not a number of workers from 0 to"),
    (["scan", "x", "--register", "r", "--workers", "1000"], "'1000' is not a number of workers from 0 to"),
    (["scan", "x", "--register", "r", "--as-of", "2026-13-01"], "'2026-13-01' is not a date; write YYYY-MM-DD"),
    (["report", "--as-of", "1.2.2026"], "'1.2.2026' is not a date; write YYYY-MM-DD"),
    (["review", "mark", "abc", "--status", "accepted", "--reason", "x", "--until", "2020-01-01"],
     "2020-01-01 is in the past"),
])
def test_bad_flags_are_refused_with_a_human_message(argv, message, capsys):
    with pytest.raises(SystemExit) as exit_:
        main(argv)
    assert exit_.value.code == 2
    line = _one_line(capsys.readouterr().err)
    assert message in line and "fromisoformat" not in line and "--help" in line


def test_verbosity_flags_are_accepted_before_and_after_the_command():
    parser = build_parser()
    for argv in (["-v", "diff"], ["diff", "-v"], ["-q", "report"], ["report", "--quiet"]):
        args = parser.parse_args(argv)
        assert args.verbose == ("-v" in argv) and args.quiet == ("-v" not in argv)


def test_version_and_defaults_in_every_help(capsys):
    with pytest.raises(SystemExit):
        main(["--version"])
    assert capsys.readouterr().out.startswith("datakort ")
    for argv in (["scan"], ["report"], ["diff"], ["review", "mark"], ["register", "import"], ["demo"]):
        with pytest.raises(SystemExit):
            main([*argv, "--help"])
        out = capsys.readouterr().out
        assert "default" in out, argv
    with pytest.raises(SystemExit):
        main(["scan", "--help"])
    out = " ".join(capsys.readouterr().out.split())
    assert "(default: datakort.sqlite)" in out and "(default 300)" in out and "(default: da)" in out


def test_the_readme_option_list_matches_scan_help(capsys):
    with pytest.raises(SystemExit):
        main(["scan", "--help"])
    in_help = set(re.findall(r"--[a-z][a-z-]+", capsys.readouterr().out)) - {"--help"}
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    section = readme[readme.index("<!-- scan options -->"):readme.index("<!-- /scan options -->")]
    listed = set(re.findall(r"--[a-z][a-z-]+", section)) - {"--help", "--version"}
    assert in_help == listed, (in_help - listed, listed - in_help)


# -- 6. progress --

def test_progress_shows_the_share_done_mb_per_second_and_the_time_left(monkeypatch):
    progress = Progress(enabled=True, terminal=False)
    progress.expect(200, 400 * 2**20)
    progress.read(100 * 2**20)
    line = progress.line(50, progress.started + 10)
    assert "50/~200 files" in line and "25%" in line and "10.0 MB/s" in line and "30 s left" in line
    first = Progress(enabled=True, terminal=False)
    assert "no total yet" in first.line(7, first.started + 1)


def test_a_rescan_expects_as_many_files_as_the_last_scan(tmp_path, detector):
    from scanner.run.runner import run_scan

    share = _share(tmp_path / "share")
    store = Store(tmp_path / "s.sqlite")
    seen = []

    class Recorder:
        def __call__(self, n, location):
            pass

        def expect(self, items, size):
            seen.append((items, size))

        def read(self, size):
            pass
    run_scan(share, store, detector, progress=Recorder())
    run_scan(share, store, detector, progress=Recorder())
    total = sum(p.stat().st_size for p in share.rglob("*") if p.is_file())
    assert seen == [(4, total), (4, total)]  # counted first, then taken from the last scan
