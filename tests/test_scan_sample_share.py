"""End to end: `datakort scan` over the generated Interket share, as IT and the DPO would check it."""
from __future__ import annotations

import hashlib
import json
import logging
import os
import sqlite3

import pytest

from datakort.main import main
from tests.conftest import DEMO_DATE, SAMPLE_DIR


def _manifest(root):
    out = {}
    for dirpath, _, files in os.walk(root):
        for name in files:
            p = os.path.join(dirpath, name)
            st = os.stat(p)
            out[p] = (hashlib.sha256(open(p, "rb").read()).hexdigest(), st.st_mtime_ns)
    return out


@pytest.fixture(scope="module")
def scanned(sample_share, tmp_path_factory):
    root, written = sample_share
    work = tmp_path_factory.mktemp("scan")
    log_file = work / "datakort.log"
    handler = logging.FileHandler(log_file)
    logging.getLogger().addHandler(handler)
    before = _manifest(root)
    try:
        code = main(["-v", "scan", str(root), "--register", str(SAMPLE_DIR / "register.yaml"),
                     "--db", str(work / "store.sqlite"), "--out", str(work / "report"), "--as-of", DEMO_DATE.isoformat()])
    finally:
        logging.getLogger().removeHandler(handler)
        handler.close()
    after = _manifest(root)
    report = json.loads((work / "report" / "gaps.json").read_text())
    return {"code": code, "work": work, "gaps": report["gaps"], "report": report, "written": written,
            "before": before, "after": after, "root": root}


def gaps_of(scanned, kind):
    return [g for g in scanned["gaps"] if g["kind"] == kind]


def test_scan_finishes_with_exit_code_0(scanned):
    assert scanned["code"] == 0


def test_undeclared_location_with_cpr_is_high(scanned):
    [gap] = gaps_of(scanned, "undeclared_location")
    assert gap["location"] == "Diverse/Gamle lønlister"
    assert gap["severity"] == "high" and gap["categories"] == ["contact", "cpr"]  # names beside the CPR numbers
    assert gap["items"] == 2
    assert {e["where"] for e in gap["evidence"] if e["location"].endswith(".xlsx")} >= {"Løn!B2", "Løn!B7"}


def test_cpr_in_customer_folder_is_undeclared_category(scanned):
    [gap] = gaps_of(scanned, "undeclared_category")
    assert (gap["system"], gap["category"], gap["severity"]) == ("kundemapper", "cpr", "high")
    assert gap["evidence"][0]["location"] == "Kunder/Aktive/Vestjysk Mejeri AS/Kreditvurdering.txt"
    assert gap["evidence"][0]["where"] == "line 2"


def test_finance_export_contradicts_register(scanned):
    [gap] = gaps_of(scanned, "contradiction")
    assert (gap["system"], gap["category"]) == ("okonomi", "contact")
    assert {e["location"] for e in gap["evidence"]} == {"Økonomi/Eksport/Debitorliste 2026-10.csv"}
    assert {e["entity_type"] for e in gap["evidence"]} == {"EMAIL_ADDRESS", "DK_PHONE", "PERSON"}
    assert gap["findings"] == 24  # 8 debtors, each with a contact person, an e-mail and a phone (CVR is not personal)


def test_overdue_former_customers_and_only_those(scanned, sample_generator):
    overdue = {g["location"] for g in gaps_of(scanned, "overdue") if g["rule"] == "tidligere-kunder"}
    assert overdue == set(sample_generator.PLANTED["overdue_folders"])
    for gap in gaps_of(scanned, "overdue"):
        assert all(e["days_overdue"] > 0 for e in gap["evidence"])


def test_corrupt_docx_could_not_inspect_with_reason(scanned, sample_generator):
    [gap] = gaps_of(scanned, "could_not_inspect")
    assert gap["location"] == sample_generator.PLANTED["corrupt"][0]
    assert "damaged or not really a Word (.docx) file" in gap["detail"]


def test_no_finding_in_decoy_folder(scanned, sample_generator):
    db = sqlite3.connect(scanned["work"] / "store.sqlite")
    decoy = sample_generator.PLANTED["decoy_folder"]
    rows = db.execute("SELECT i.location, f.entity_type FROM findings f JOIN items i ON i.id = f.item_id"
                      " WHERE i.location LIKE ?", (decoy + "/%",)).fetchall()
    analysed = db.execute("SELECT COUNT(*) FROM items WHERE location LIKE ? AND status = 'analysed'",
                          (decoy + "/%",)).fetchone()[0]
    assert analysed == 2 and rows == []


def test_counts_add_up(scanned):
    stats = scanned["report"]["scan"]["stats"]
    assert stats["items"] == stats["analysed"] + stats["skipped"] + stats["could_not_inspect"]
    db = sqlite3.connect(scanned["work"] / "store.sqlite")
    [(files,)] = db.execute("SELECT COUNT(*) FROM items WHERE parent IS NULL").fetchall()
    assert files == len(scanned["before"])  # items also counts messages, attachments and zip members
    assert stats["items"] == db.execute("SELECT COUNT(*) FROM items").fetchone()[0] > files


def test_mail_retention_uses_the_message_date_not_the_file_date(scanned, sample_generator):
    mbox, subject = sample_generator.PLANTED["mail_overdue_message"]
    [gap] = [g for g in gaps_of(scanned, "overdue") if g["location"] == "Mail/Indbakke"]
    assert gap["rule"] == "mailkorrespondance" and gap["items"] == 1
    [evidence] = gap["evidence"]
    assert evidence["location"].startswith(f"{mbox} › ") and evidence["location"].endswith(f'"{subject}"')
    assert evidence["clock"] == "sent" and evidence["clock_started"] < "2021-01-01"
    assert os.stat(scanned["root"] / mbox).st_mtime > 1_790_000_000  # the file itself changed last week


def test_findings_walk_through_every_container_level(scanned, sample_generator):
    db = sqlite3.connect(scanned["work"] / "store.sqlite")
    rows = db.execute('SELECT i.location, f.entity_type, f."where" FROM findings f JOIN items i ON i.id = f.item_id'
                      " WHERE i.location LIKE '%›%'").fetchall()
    msg, archive = sample_generator.PLANTED["mail_msg"], sample_generator.PLANTED["mail_zip"]
    nested_docx = [(loc, t, w) for loc, t, w in rows if loc.startswith(msg) and loc.endswith("Ordrehistorik.docx")]
    assert sorted((loc.count(" › "), t, w) for loc, t, w in nested_docx) == [
        (2, "DK_PHONE", "table 1, row 2, cell 2"), (2, "PERSON", "table 1, row 2, cell 1")]
    assert {(loc.split(" › ")[1], w) for loc, t, w in rows if loc.startswith(archive)} == {
        ("Tilbud 2026/Tilbud 1.docx", "paragraph 2"), ("Tilbud 2025/Tilbud 2.docx", "paragraph 2")}
    assert any(loc.endswith("Kontaktliste.xlsx") and w == "Kontakter!C2" for loc, _, w in rows)


def test_no_cleartext_personal_data_anywhere(scanned):
    work = scanned["work"]
    blobs = {p: p.read_bytes() for p in work.rglob("*") if p.is_file()}
    assert {p.name for p in blobs} >= {"store.sqlite", "gaps.json", "report.html", "datakort.log"}
    written = scanned["written"]
    assert all(written[k] for k in ("cpr", "phone", "email", "name"))
    for kind in ("cpr", "phone", "email", "name"):
        for value in written[kind]:
            variants = {value, value.replace(" ", ""), value.replace("-", "")}
            for path, data in blobs.items():
                for v in variants:
                    assert v.encode() not in data, f"cleartext {kind} in {path.name}"


def test_scan_is_read_only(scanned):
    assert scanned["before"] == scanned["after"]


def test_report_html_names_every_gap_kind(scanned):
    html = (scanned["work"] / "report" / "report.html").read_text()
    for label in ("Placering ikke i fortegnelsen", "Kategori ikke i fortegnelsen", "Modstrid med fortegnelsen",
                  "Slettefrist overskredet", "Kunne ikke undersøges"):
        assert label in html


def _findings_at(scanned, location):
    db = sqlite3.connect(scanned["work"] / "store.sqlite")
    return db.execute("SELECT f.entity_type, f.category, f.masked, f.\"where\" FROM findings f"
                      " JOIN items i ON i.id = f.item_id WHERE i.location = ?", (location,)).fetchall()


def test_business_card_with_photo_is_biometric_and_declared(scanned, sample_generator):
    planted = sample_generator.PLANTED
    card = [f for f in _findings_at(scanned, planted["business_card_with_photo"]) if f[1] == "biometric"]
    assert card == [("BUSINESS_CARD_WITH_PHOTO", "biometric", "1 face", "image")]
    without = _findings_at(scanned, planted["business_card_without_photo"])
    assert {f[1] for f in without} == {"contact"}  # its phone and e-mail, read by OCR; no face
    # customer folders declare biometric data (cards with photo): no gap for it
    assert not [g for g in scanned["gaps"] if g.get("category") == "biometric"]


def test_scanned_letter_is_read_by_ocr(scanned, sample_generator):
    found = {(f[0], f[3]) for f in _findings_at(scanned, sample_generator.PLANTED["scanned_letter"])}
    assert found == {("DK_PHONE", "page 1 (OCR)"), ("EMAIL_ADDRESS", "page 1 (OCR)"), ("PERSON", "page 1 (OCR)")}
