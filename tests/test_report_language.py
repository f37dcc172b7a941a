"""The Danish report speaks Danish: every word from the catalogue, no English source string, no raw id.

Renders the two-scan sample (HTML, summary, XLSX) in both languages and reads it as a DPO
would: the visible text of the page and every cell of the workbook.
"""
from __future__ import annotations

import html as htmllib
import re
from datetime import date, datetime

from babel.messages.extract import extract_from_file
from babel.messages.pofile import read_po
from openpyxl import load_workbook

from detectors.recognizers import ENTITY_CATEGORY
from reports.gaps.reconcile import GapKind
from reports.gaps.reviews import Reviews
from reports.register.load import load_register
from reports.register.model import CLOCKS
from reports.render import i18n
from reports.render.html import render_html, render_summary
from reports.render.labels import clock_label, reason_text, where_text
from reports.render.report import build_report
from reports.render.xlsx import write_xlsx
from scanner.store import Store
from tests.conftest import REPO, SAMPLE_DIR
from tests.two_scans import two_scans  # noqa: F401  (fixture)

CATALOGUE_SOURCES = sorted((REPO / "reports").rglob("*.py"))


def _visible_text(page: str) -> str:
    """What a reader sees: the body without scripts, tags and tooltips."""
    body = page[page.index("<body>"):]
    body = re.sub(r"<script>.*?</script>", " ", body, flags=re.DOTALL)
    return re.sub(r"\s+", " ", htmllib.unescape(re.sub(r"<[^>]+>", " ", body)))


def _english_sources() -> list[str]:
    """English source strings whose Danish differs (so their presence means a leak); placeholders cut out."""
    out = []
    for english, danish in i18n.catalogue("da").items():
        if english == danish:
            continue
        for piece in re.split(r"\{\w+\}", english):
            piece = piece.strip(" .,:;()“”")
            if len(piece) >= 12 and piece not in danish:
                out.append(piece)
    return out


def _raw_ids(report) -> set[str]:
    """Ids a person should never read as text in the Danish report."""
    ids = set(ENTITY_CATEGORY) | {str(k) for k in GapKind} | {r.id for r in report.register.retention}
    return ids | {"undeclared_location", "personal_details", "could_not_inspect", "not_scannable"}


def test_every_marked_string_has_a_danish_translation():
    """The catalogue is complete: each `_()`/`N_()` string in reports/ has a Danish, non-fuzzy entry."""
    marked = {msg for path in CATALOGUE_SOURCES
              for _, msg, _, _ in extract_from_file("python", str(path), keywords={"_": None, "N_": None})}
    with i18n.po_path("da").open("rb") as f:
        po = read_po(f)
    entries = {m.id: m for m in po if m.id}
    untranslated = sorted(m for m in marked if m not in entries or not entries[m].string or entries[m].fuzzy)
    assert untranslated == []
    assert len(marked) > 200
    for english, entry in entries.items():  # placeholders survive translation
        assert set(re.findall(r"\{\w+\}", english)) == set(re.findall(r"\{\w+\}", entry.string)), english


def _report(two_scans):
    store = Store(two_scans["db"])
    try:
        return build_report(store, 2, load_register(SAMPLE_DIR / "register.yaml"), Reviews(), date(2026, 11, 1))
    finally:
        store.close()


def test_danish_report_has_no_english_and_no_raw_ids(two_scans, tmp_path):
    report = _report(two_scans)
    i18n.MISSING.clear()
    pages = {"report": render_html(report, "da"), "summary": render_summary(report, "da")}
    english, ids = _english_sources(), _raw_ids(report)
    for name, page in pages.items():
        text = _visible_text(page)
        assert [s for s in english if s in text] == [], name
        words = set(re.findall(r"[\w-]+", text))
        assert sorted(ids & words) == [], name
        assert "(no date)" not in text and "line " not in text and "row " not in text
    xlsx = write_xlsx(tmp_path / "da.xlsx", report, "da")
    cells = [str(v) for ws in load_workbook(xlsx, read_only=True).worksheets for row in ws.values for v in row
             if v is not None]
    text = " ".join(cells)
    assert [s for s in english if s in text] == []
    # ids stay in the ID columns only: no cell is a raw kind, severity, entity or category id
    assert not {"undeclared_location", "overdue", "high", "medium", "DK_CPR", "contact", "cpr"} & set(cells)
    assert i18n.MISSING == set()


def test_danish_vocabulary_and_the_overdue_text(two_scans):
    text = _visible_text(render_html(_report(two_scans), "da"))
    assert "Placering ikke i fortegnelsen" in text and "Anmeldt" not in text and "anmeldt" not in text
    assert re.search(r"opbevaret længere end 5 år efter reglen »Tidligere og tabte kunders kundemapper .*?«, "
                     r"regnet fra mappens nyeste aktivitet; det ældste fra 2017-10-04, \d+ dage for sent", text)
    assert re.search(r"\d{4}-\d\d-\d\d \d\d:\d\d (CET|CEST)", text)  # local time with its zone


def test_english_report_is_english(two_scans):
    report = _report(two_scans)
    text = _visible_text(render_html(report, "en"))
    assert "Kept too long" in text and "Location not in the register" in text
    assert "5 years under the rule “Former and" not in text  # the rule's own (Danish) wording is quoted
    assert re.search(r"kept longer than 5 years under the rule “Tidligere og tabte", text)


def test_values_the_scanner_records_in_english_are_translated():
    assert where_text("table 1, row 3, cell 2", "da") == "tabel 1, række 3, celle 2"
    assert where_text("row 2, column Kontaktperson", "da") == "række 2, kolonne Kontaktperson"
    assert where_text("From, body, line 5", "da") == "Fra, brødtekst, linje 5"
    assert where_text("page 1 (OCR)", "da") == "side 1 (OCR)" and where_text("Ark1!C7", "da") == "Ark1!C7"
    text, technical = reason_text("damaged or not really a Word (.docx) file (BadZipFile: File is not a zip file)",
                                  "da")
    assert text == "filen er beskadiget eller ikke en rigtig Word (.docx)-fil"
    assert technical == "BadZipFile: File is not a zip file"
    assert reason_text("something new went wrong", "da") == ("kunne ikke læses", "something new went wrong")
    assert all(clock_label(c, "da") not in (c, clock_label(c, "en")) for c in CLOCKS)  # every clock has a name


def test_local_time_carries_its_zone(monkeypatch):
    from reports.render.labels import local_time
    assert local_time("2026-07-01T10:00:00+00:00") == "2026-07-01 12:00 CEST"
    assert local_time(datetime(2026, 1, 1, 10, 0)) == "2026-01-01 11:00 CET"
    monkeypatch.setenv("DATAKORT_TZ", "UTC")
    assert local_time("2026-07-01T10:00:00+00:00") == "2026-07-01 10:00 UTC"


def test_the_leak_check_sees_english(two_scans):
    """The check above is not empty: on the English report it finds many source strings."""
    text = _visible_text(render_html(_report(two_scans), "en"))
    assert len([s for s in _english_sources() if s in text]) > 30


def test_a_value_found_in_thousands_of_rows_is_one_row_with_its_first_places_and_a_count():
    """A contact list names the same person in many rows: the report lists the value once, with
    its first MAX_WHERES places and how many times more it was found (read in Danish too)."""
    from reports.gaps.findings import MAX_WHERES, finding_rows
    from scanner.model import Finding, ItemResult

    rows = 5000
    item = ItemResult("Kunder/kontakter.csv", None, 1, None, findings=[
        Finding("PERSON", "contact", 0.85, "J*** H*****", "aa" * 16, f"row {n}, column Navn") for n in range(2, rows + 2)])
    [row] = finding_rows([item])
    assert len(row.wheres) == MAX_WHERES and row.more == rows - MAX_WHERES
    assert row.where.startswith("row 2, column Navn, row 3, column Navn") and row.where.endswith(f" … (+{rows - MAX_WHERES})")
    danish = where_text(row.where, "da")
    assert danish.startswith("række 2, kolonne Navn, række 3") and danish.endswith(f"kolonne Navn … (+{rows - MAX_WHERES})")
