"""Reports of a scan with a very big table: the report holds the first ITEM_FINDINGS findings of an
item in memory and counts the others, yet every count, gap, review mark and diff is as if it held
them all (a contact list of a million rows would otherwise need gigabytes to report)."""
from __future__ import annotations

from datetime import date

from detectors.detector import Detector
from detectors.images.analysis import ImageSettings
from reports.gaps import diff as diff_module
from reports.gaps.diff import Change, diff_scans, diff_text
from reports.gaps.findings import ITEM_FINDINGS, finding_id
from reports.gaps.reviews import Mark, Reviews
from reports.register.load import load_register
from reports.render.export import json_payload
from reports.render.html import render_html
from scanner.run.runner import ScanOptions, run_scan
from scanner.store import Store
from tests.conftest import SAMPLE_DIR

ROWS = 7100  # three findings a row (name, phone, e-mail): more than ITEM_FINDINGS in one file
CPR_ROW = ROWS - 10  # its CPR number lies beyond the first ITEM_FINDINGS findings
LOCATION = "Eksport/kunder.csv"  # a folder the register does not cover
NAMES = [f"{first} {last}" for first in ("Mette", "Søren", "Lene", "Jens") for last in ("Holm", "Vestergaard", "Bach")]


def _write(share, skip: int | None = None, extra: bool = False) -> None:
    lines = ["Kundenr;Navn;Telefon;E-mail;Bemærkning"]
    for i in range(1, ROWS + 1):
        if i != skip:
            note = "CPR-nr. 020290-1231" if i == CPR_ROW else ""
            phone = f"{30000000 + i * 7:08d}"
            lines.append(f"{i};{NAMES[i % len(NAMES)]};{phone[:2]} {phone[2:4]} {phone[4:6]} {phone[6:]};"
                         f"kunde{i}@firma.dk;{note}")
    if extra:
        lines.append(f"{ROWS + 1};{NAMES[0]};71 23 45 67;ny.kunde@firma.dk;")
    (share / "Eksport").mkdir(parents=True, exist_ok=True)
    (share / LOCATION).write_text("\n".join(lines) + "\n", encoding="utf-8")


def _gaps_about(report, category: str) -> list:
    return [g for g in report.gaps if category in g.categories and g.location.startswith("Eksport")]


def test_a_report_counts_what_it_does_not_list_and_a_diff_compares_every_value(tmp_path, monkeypatch):
    from reports.render.report import build_report
    share, register = tmp_path / "share", load_register(SAMPLE_DIR / "register.yaml")
    _write(share)
    store, detector = Store(tmp_path / "store.sqlite"), Detector(b"k" * 32)
    try:
        first, stats = run_scan(share, store, detector, images=ImageSettings(ocr=False), options=ScanOptions())
        total = sum(stats.by_entity.values())
        assert total > ITEM_FINDINGS and stats.by_entity["DK_CPR"] == 1
        report = build_report(store, first, register, Reviews(), date(2026, 11, 1))

        # listed: the first ITEM_FINDINGS; counted: all of them, the CPR number beyond the listed ones too
        distinct = store.db.execute("SELECT count(DISTINCT entity_type || value_hash) FROM findings").fetchone()[0]
        assert report.not_listed == {LOCATION: distinct - len(report.findings)} and report.finding_total == distinct
        assert "DK_CPR" not in {f.entity_type for f in report.findings}
        [gap] = _gaps_about(report, "cpr")
        assert gap.findings == total and gap.severity == "high"
        [row] = [r for r in report.inventory if r.place == "Eksport"]
        assert row.findings == total and row.categories["cpr"] == 1
        assert json_payload(report)["findings_not_listed"] == report.not_listed
        assert f"{distinct - len(report.findings)} more are counted above but not listed" in render_html(report, "en")

        # a false-positive mark on a finding the report does not list still takes it out of the counts
        [value_hash] = store.db.execute("SELECT value_hash FROM findings WHERE entity_type = 'DK_CPR'").fetchone()
        mark = Mark("finding", finding_id(LOCATION, "DK_CPR", value_hash), "false_positive")
        marked = build_report(store, first, register, Reviews([mark]), date(2026, 11, 1))
        assert _gaps_about(marked, "cpr") == [] and [m.effect for m in marked.marks] == ["applies"]
        [gap] = _gaps_about(marked, "contact")
        assert gap.findings == total - 1

        # the next scan: a row gone near the top (every later finding moves up), one added at the end
        _write(share, skip=10, extra=True)
        second, _ = run_scan(share, store, detector, images=ImageSettings(ocr=False), options=ScanOptions())
        diff = diff_scans(store, first, second)
        assert sorted(f.masked for f in diff.new_findings) == ["n*******@firma.dk", "xxxxxx67"]
        assert sorted(f.masked for f in diff.gone_findings) == ["k******@firma.dk", "xxxxxx70"]
        assert diff.new_findings_not_listed == diff.gone_findings_not_listed == 0
        assert "New findings: 2" in diff_text(diff) and diff.count(Change.GONE_FINDINGS) == 2
        # the next scan: the whole list replaced by new customers: more new and gone values than are listed
        lines = (share / LOCATION).read_text(encoding="utf-8").replace("@firma.dk", "@nyt-firma.dk")
        (share / LOCATION).write_text(lines, encoding="utf-8")
        third, _ = run_scan(share, store, detector, images=ImageSettings(ocr=False), options=ScanOptions())
        monkeypatch.setattr(diff_module, "ITEM_FINDINGS", 1000)  # the first 1 000 of each kind listed
        diff = diff_scans(store, second, third)
        assert len(diff.new_findings) == len(diff.gone_findings) == 1000
        assert diff.count(Change.NEW_FINDINGS) == diff.count(Change.GONE_FINDINGS) == ROWS
        assert f"New findings: {ROWS}" in diff_text(diff) and "… and" in diff_text(diff)
    finally:
        store.close()


def test_a_sheet_with_more_rows_than_excel_opens_ends_with_a_row_saying_how_many_more(tmp_path, monkeypatch):
    from openpyxl import Workbook, load_workbook

    from reports.render import xlsx
    monkeypatch.setattr(xlsx, "SHEET_ROWS", 10)
    wb = Workbook(write_only=True)
    xlsx._fill(wb, "Fund", ["id", "location"], [[f"f{n}", "a.csv"] for n in range(25)], "da", set())
    wb.save(tmp_path / "r.xlsx")
    rows = list(load_workbook(tmp_path / "r.xlsx").worksheets[0].values)
    assert len(rows) == 10 and rows[8] == ("f7", "a.csv") and rows[9][0] == "… +17 (findings.csv)"
