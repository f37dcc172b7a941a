"""The report files a DPO and a scheduler read: JSON, CSV, XLSX, HTML (as text), the inventory, exit codes."""
from __future__ import annotations

import csv
import json
import re
from dataclasses import asdict, replace
from datetime import date, datetime

from openpyxl import load_workbook

from reports.render.html import render_html
from reports.gaps.reconcile import Gap
from datakort.main import main
from scanner.store import Store
from tests.conftest import SAMPLE_DIR
from tests.two_scans import NOTE, two_scans  # noqa: F401  (fixture)


def test_reviewed_gap_moves_out_of_the_open_gaps(two_scans):
    second, cid = two_scans["second"], two_scans["contradiction"]["id"]
    assert cid not in {g["id"] for g in second["gaps"]}
    assert [g["id"] for g in second["reviewed_gaps"]] == [cid]
    [mark] = [m for m in second["review_marks"] if m["id"] == cid]
    assert (mark["status"], mark["effect"], mark["until"]) == ("accepted", "applies", "2027-06-30")


def test_json_holds_findings_inventory_and_the_diff(two_scans):
    second = two_scans["second"]
    assert second["since_previous_scan"]["items"]["removed"] == [two_scans["removed"]]
    cpr = [f for f in second["findings"] if f["location"] == NOTE and f["entity_type"] == "DK_CPR"]
    assert len(cpr) == 1 and cpr[0]["masked"].endswith("xx-xxxx")
    assert two_scans["first"]["since_previous_scan"] is None


def test_inventory_is_the_data_map(two_scans):
    inventory = {row["place"]: row for row in two_scans["second"]["inventory"]}
    customers = inventory["Kundemapper på internt netværk"]
    assert customers["system"] == "kundemapper" and customers["undeclared"] == "cpr"
    assert "contact (" in customers["categories"] and "cpr (2)" in customers["categories"]
    assert customers["oldest"] < "2018" and customers["newest"] > "2026-10"  # 9-year-old former customer … today
    assert customers["items_with_data"] <= customers["items"]
    payroll = inventory["Diverse/Gamle lønlister"]
    assert payroll["system"] == "" and "cpr (" in payroll["categories"]  # and the employees' names (issue 3)
    assert inventory["Økonomisystem"]["undeclared"] == "contact"
    bookkeeping_only = [r for r in inventory.values() if r["system"] == "okonomi"]
    assert bookkeeping_only[0]["items"] > bookkeeping_only[0]["items_with_data"]


def test_csv_files(two_scans):
    out = two_scans["work"] / "report2"
    raw = (out / "gaps.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf") and raw.splitlines()[0].count(b";") == 11  # BOM, `;` for Danish Excel
    gaps = list(csv.DictReader((out / "gaps.csv").open(encoding="utf-8-sig"), delimiter=";"))
    assert {g["id"] for g in gaps} == {g["id"] for g in two_scans["second"]["gaps"] + two_scans["second"]["reviewed_gaps"]}
    assert [g["review"] for g in gaps if g["id"] == two_scans["contradiction"]["id"]] == ["accepted"]
    findings = list(csv.DictReader((out / "findings.csv").open(encoding="utf-8-sig"), delimiter=";"))
    assert len(findings) == len(two_scans["second"]["findings"])
    assert list(csv.reader((out / "inventory.csv").open(encoding="utf-8-sig"), delimiter=";"))[0][:4] == [
        "place", "system", "categories", "undeclared"]


def test_xlsx_has_a_cover_all_gaps_a_sheet_per_gap_kind_all_findings_and_the_inventory(two_scans):
    wb = load_workbook(two_scans["work"] / "report2" / "report.xlsx", read_only=True)
    assert wb.sheetnames == ["Forside", "Overblik", "Alle afvigelser", "Placering ikke i fortegnelsen",
                             "Kategori ikke i fortegnelsen", "Slettefrist overskredet",
                             "Kan ikke skannes",  # no "I fortegnelsen, men ikke fundet": Mail/ holds mail since issue 4
                             "Vurderede", "Alle fund", "Datakort"]
    cover = {row[0]: row[1] for row in wb["Forside"].values if row and len(row) > 1}
    assert cover["Drev"].endswith("share") and cover["Fortegnelsens version"] == "2026-01"
    assert cover["Elementer"] > 50 and cover["Kunne ikke undersøges"] == 0 and cover["Skanning"] == 2
    overdue = list(wb["Slettefrist overskredet"].values)
    n_overdue = sum(g["kind"] == "overdue" for g in two_scans["second"]["gaps"])
    assert overdue[0][:3] == ("ID", "Type", "Alvor") and len(overdue) == 1 + n_overdue
    assert {row[1] for row in overdue[1:]} == {"Slettefrist overskredet"} and "5 år" in overdue[1][9]
    everything = list(wb["Alle afvigelser"].values)
    order = {"Høj": 0, "Middel": 1, "Lav": 2}
    severities = [order[row[2]] for row in everything[1:]]
    assert len(everything) == 1 + len(two_scans["second"]["gaps"]) and severities == sorted(severities)
    findings = list(wb["Alle fund"].values)
    assert len(findings) == 1 + len(two_scans["second"]["findings"])
    assert any(row[1] == NOTE and row[3] == "CPR-nummer" and row[4] == "CPR-nummer" for row in findings[1:])
    assert all(isinstance(row[7], datetime) for row in findings[1:] if row[7] is not None)  # real dates
    inventory = list(wb["Datakort"].values)
    assert inventory[0][1:4] == ("I fortegnelsen", "Kategorier", "Kategorier ikke i fortegnelsen")
    assert any(row[3] == "CPR-nummer" for row in inventory[1:])


def test_no_cleartext_in_any_report_file(two_scans):
    values = [two_scans["new_cpr"], two_scans["new_cpr"].replace("-", "")]
    for kind in ("cpr", "phone", "email"):
        values += two_scans["written"][kind]
    files = [p for p in two_scans["work"].rglob("*") if p.is_file() and "share" not in p.parts]
    assert {p.suffix for p in files} >= {".html", ".json", ".csv", ".xlsx", ".sqlite", ".yaml"}
    for path in files:
        data = path.read_bytes()
        if path.suffix == ".xlsx":
            import zipfile
            with zipfile.ZipFile(path) as z:
                data = b"".join(z.read(n) for n in z.namelist())
        for value in values:
            assert value.encode() not in data, f"cleartext value in {path.name}"


def test_fail_on_exit_codes(two_scans, tmp_path, capsys):
    assert two_scans["scan2_code"] == 0  # --fail-on new, and nothing new in scan 2
    db = str(two_scans["db"])
    capsys.readouterr()
    assert main(["report", "--db", db, "--out", str(tmp_path / "r"), "-q", "--fail-on", "special,overdue"]) == 1
    captured = capsys.readouterr()
    assert captured.out == ""  # quiet
    n_overdue = sum(g["kind"] == "overdue" for g in two_scans["second"]["gaps"])
    assert f"datakort: alert: {n_overdue} overdue gap(s)" in captured.err and "CPR, special-category" in captured.err
    assert main(["report", "1", "--db", db, "--out", str(tmp_path / "r1"), "-q", "--fail-on", "new"]) == 1


def test_report_command_rewrites_a_stored_scan_in_english(two_scans, tmp_path, capsys):
    out = tmp_path / "en"
    assert main(["report", "--db", str(two_scans["db"]), "--out", str(out), "--lang", "en",
                 "--format", "html,xlsx"]) == 0
    assert sorted(p.name for p in out.iterdir()) == ["report.html", "report.xlsx", "summary.html"]
    html = (out / "report.html").read_text()
    assert '<html lang="en">' in html and "Kept too long" in html and "Since the previous scan" in html
    assert load_workbook(out / "report.xlsx", read_only=True).sheetnames[:3] == ["Cover", "Summary", "All gaps"]
    assert "Wrote:" in capsys.readouterr().out


def test_unknown_format_is_a_clear_error(tmp_path, capsys):
    try:
        main(["scan", str(tmp_path), "--register", str(SAMPLE_DIR / "register.yaml"), "--format", "pdf"])
    except SystemExit as exc:
        assert exc.code == 2
    assert "unknown format pdf; choose from html, json, csv, xlsx" in capsys.readouterr().err


def test_a_new_gap_kind_is_rendered_with_a_fallback_label(two_scans):
    from reports.render.report import build_report
    from reports.register.load import load_register
    from reports.gaps.reviews import Reviews
    store = Store(two_scans["db"])
    try:
        report = build_report(store, 2, load_register(SAMPLE_DIR / "register.yaml"), Reviews(), date(2026, 11, 1))
    finally:
        store.close()
    report.gaps.append(replace(Gap("retention_unknown", "medium", "Arkiv", "no rule says how long"), id="x1"))
    html = render_html(report, "en")
    assert "Retention unknown" in html and "no rule says how long" in html
    assert json.dumps(asdict(report.scan))  # the scan row stays plain data


def test_html_evidence_has_masked_values_sub_locations_and_dates(two_scans):
    html = (two_scans["work"] / "report2" / "report.html").read_text()
    gaps = html[html.index("id='gaps-table'"):html.index('id="reviewed"')]
    assert "<th class=''>Ændret</th>" in gaps and "<th class=''>Fristen regnes fra</th>" in gaps
    assert "Løn!B2" in gaps and "xx-xxxx" in gaps
    assert "2016-" in gaps  # the old payroll list's modification date


def test_danish_report_describes_gaps_in_danish(two_scans):
    html = (two_scans["work"] / "report2" / "report.html").read_text()
    assert "CPR-nummer fundet i 2 element(er) i Kundemapper på internt netværk" in html
    assert "opbevaret længere end 5 år efter reglen »Tidligere og tabte kunders kundemapper på netværket og " \
           "Outlook slettes efter 5 år.«, regnet fra mappens nyeste aktivitet; det ældste fra 2017-10-04" in html
    assert "kept longer than" not in html  # reconciliation's English detail is for --lang en


def test_heat_map_of_30_folders_is_sorted_naturally_and_capped(two_scans):
    """A 30-copy share: the riskiest places are kept, shown copy2 before copy10, and the rest counted."""
    from reports.gaps.inventory import InventoryRow
    from reports.register.load import load_register
    from reports.render.html import MAX_HEAT_PLACES, _heatmap
    from reports.render.report import build_report
    from reports.gaps.reviews import Reviews
    store = Store(two_scans["db"])
    try:
        report = build_report(store, 2, load_register(SAMPLE_DIR / "register.yaml"), Reviews(), date(2026, 11, 1))
    finally:
        store.close()
    report.inventory = [InventoryRow(f"Arkiv/copy{n}", None, items=3, items_with_data=3, findings=n,
                                     categories={"contact": n}) for n in range(1, 31)]
    heat = _heatmap(report, "da")
    places = re.findall(r"<tr><td>(Arkiv/copy\d+)", heat)
    assert len(places) == MAX_HEAT_PLACES == 15
    assert places == sorted(places, key=lambda p: int(p[len("Arkiv/copy"):]))  # copy16 … copy30, naturally
    assert places[0] == "Arkiv/copy16"  # the ones with most findings outside the register are kept
    assert "15 placeringer mere: se datakortet" in heat
    assert heat.count("data-risk='red'") == 15  # outside the register: red, whatever the volume


def test_header_counts_match_the_lists(two_scans):
    """The header's number of findings is the number of rows the findings list holds (issue 19: 293 vs 287)."""
    html = (two_scans["work"] / "report2" / "report.html").read_text()
    n = len(two_scans["second"]["findings"])
    assert f"<b>{n}</b><span>Fund</span>" in html and f"Alle fund ({n})" in html and f", {n} fund, " in html
    assert html.count("<tr><td class='id'><code>") == n  # one row per finding in the table
    n_gaps = len(two_scans["second"]["gaps"])
    assert f"<b>{n_gaps}</b><span>Afvigelser</span>" in html and f"Afvigelser ({n_gaps})" in html
