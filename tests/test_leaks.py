"""The scanner is not a new leak: after scanning the sample share, no cleartext CPR number, phone
number, e-mail address or name from it is in the store, the log, any report (HTML, XLSX, JSON, CSV)
or the temporary folder; the secret key is created 0600 in a 0700 folder; reports work without it."""
from __future__ import annotations

import os
import stat
import zipfile
from pathlib import Path

import pytest

from datakort.main import main
from tests import hostile_corpus as hc


@pytest.fixture(scope="module")
def leak_scan(sample_share, tmp_path_factory):
    root, written = sample_share
    work = tmp_path_factory.mktemp("leaks")
    tmpdir, keydir = work / "tmp", work / "keys" / "datakort"
    tmpdir.mkdir()
    key = keydir / "secret.key"
    child = hc.scan_in_child(root, work, env={"TMPDIR": str(tmpdir), "DATAKORT_KEY_FILE": str(key)})
    (work / "datakort.log").write_text(child.stderr + child.stdout)
    return {"work": work, "tmpdir": tmpdir, "key": key, "child": child, "written": written}


def _readable_bytes(path: Path) -> list[tuple[str, bytes]]:
    """A file's bytes as a person or program could read them: an XLSX (a zip) is unpacked member by member."""
    if zipfile.is_zipfile(path):
        with zipfile.ZipFile(path) as z:
            return [(f"{path.name}:{m}", z.read(m)) for m in z.namelist()]
    return [(path.name, path.read_bytes())]


def _variants(kind: str, value: str) -> set[str]:
    out = {value, value.replace(" ", ""), value.replace("-", "")}
    if kind == "email":
        out.add(value.lower())
    if kind == "name":
        out |= {value.upper(), value.replace(" ", "\u00a0")}
    return out


def test_scan_succeeds(leak_scan):
    assert leak_scan["child"].code == 0, leak_scan["child"].stderr[-2000:]


def test_no_cleartext_in_store_log_reports_or_temp_files(leak_scan):
    work = leak_scan["work"]
    files = [p for p in work.rglob("*") if p.is_file() and p.name != "secret.key"]
    names = {p.name for p in files}
    assert {"store.sqlite", "datakort.log", "report.html", "report.xlsx", "gaps.json", "findings.csv",
            "gaps.csv", "inventory.csv"} <= names
    contents = [c for p in files for c in _readable_bytes(p)]
    assert any(name.startswith("report.xlsx:xl/") for name, _ in contents), "the XLSX was not unpacked"
    written, leaks = leak_scan["written"], []
    for kind in ("cpr", "phone", "email", "name"):
        assert written[kind], kind
        for value in written[kind]:
            for variant in _variants(kind, value):
                for encoding in ("utf-8", "utf-16-le"):
                    needle = variant.encode(encoding)
                    leaks += [f"{kind} in {name}" for name, data in contents if needle in data]
    assert not leaks, sorted(set(leaks))


def test_the_findings_are_there_masked(leak_scan):
    """The test above would pass on an empty store: the findings must be there, masked."""
    import sqlite3
    db = sqlite3.connect(leak_scan["work"] / "store.sqlite")
    rows = db.execute("SELECT entity_type, masked, value_hash FROM findings").fetchall()
    db.close()
    kinds = {r[0] for r in rows}
    assert {"DK_CPR", "DK_PHONE", "EMAIL_ADDRESS"} <= kinds  # names are checked above, but not yet detected
    assert all(len(h) == 32 for _, _, h in rows)
    assert all(m.endswith("xx-xxxx") for t, m, _ in rows if t == "DK_CPR")


def test_nothing_is_left_in_the_temporary_folder(leak_scan):
    left = [p.relative_to(leak_scan["tmpdir"]) for p in leak_scan["tmpdir"].rglob("*")]
    assert left == []


def test_store_is_created_for_its_owner_only(leak_scan):
    assert stat.S_IMODE(os.stat(leak_scan["work"] / "store.sqlite").st_mode) == 0o600


def test_key_file_is_0600_in_a_0700_folder(leak_scan):
    key = leak_scan["key"]
    assert stat.S_IMODE(os.stat(key).st_mode) == 0o600
    assert stat.S_IMODE(os.stat(key.parent).st_mode) == 0o700
    assert len(key.read_bytes().strip()) >= 32


def test_reports_and_diff_work_without_the_key(leak_scan, tmp_path, monkeypatch, capsys):
    """A DPO's machine never needs the secret: the report is rewritten from the store alone."""
    gone = tmp_path / "no-such-folder" / "secret.key"
    monkeypatch.setenv("DATAKORT_KEY_FILE", str(gone))
    work = leak_scan["work"]
    out = tmp_path / "again"
    code = main(["report", "--db", str(work / "store.sqlite"), "--out", str(out), "--format", "html,json,csv,xlsx"])
    assert code == 0
    assert {p.name for p in out.iterdir()} >= {"report.html", "report.xlsx", "gaps.json", "findings.csv"}
    assert main(["review", "list", "--db", str(work / "store.sqlite")]) == 0
    assert not gone.exists() and not gone.parent.exists()


def test_error_messages_that_quote_content_are_scrubbed(tmp_path, detector, monkeypatch):
    """A parser that quotes what it chokes on must not put a CPR number or e-mail into the store or log."""
    from scanner.run import pipeline
    from scanner.model import Blob

    def choking(blob):
        raise ValueError("could not convert '150685-1234' near jens.hansen@firma.dk in cell B7")

    monkeypatch.setattr(pipeline, "extractor_for", lambda blob: choking)
    path = tmp_path / "x.xlsx"
    path.write_bytes(b"data")
    [result] = pipeline.inspect(Blob("x.xlsx", 4, lambda: open(path, "rb"), path=str(path)), "x.xlsx", detector)
    assert result.status == "could_not_inspect"
    assert "150685" not in result.reason and "jens.hansen" not in result.reason
    assert "xxxxxx-xxxx" in result.reason and "j**********@firma.dk" in result.reason and "cell B7" in result.reason
