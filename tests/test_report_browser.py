"""report.html in a real headless browser (Debian's chromium via selenium): it renders, logs no
console errors, loads nothing from outside, sorts and filters; the scan-to-scan change shows.

Screenshots are saved in test-artefacts/ at the repository root.
"""
from __future__ import annotations

from pathlib import Path

import pytest

from tests.browser import ARTEFACTS, headless_chromium, require_chromium
from tests.browser import screenshot as _screenshot
from tests.two_scans import NOTE, two_scans  # noqa: F401  (fixture)

require_chromium("the report browser test")


@pytest.fixture(scope="module")
def browser(tmp_path_factory):
    driver = headless_chromium(tmp_path_factory.mktemp("chromium-profile"))
    yield driver
    driver.quit()


def _open(browser, path: Path):
    browser.get(path.as_uri())
    assert browser.find_element("tag name", "h1").text
    return browser


def _visible_rows(browser, table_id: str):
    return browser.execute_script(
        f"return Array.from(document.querySelectorAll('#{table_id} > tbody > tr')).filter(r => !r.hidden)"
        ".map(r => [r.dataset.kind, r.dataset.severity, r.textContent])")


def test_report_renders_without_errors_or_network(two_scans, browser):
    b = _open(browser, two_scans["work"] / "report2" / "report.html")
    assert b.title == "datakort – Afvigelsesrapport"
    assert b.find_element("tag name", "h1").text == "Afvigelsesrapport: Interket A/S"
    errors = [e for e in b.get_log("browser") if e["level"] == "SEVERE"]
    assert errors == []
    resources = b.execute_script("return performance.getEntriesByType('resource').map(e => e.name)")
    assert resources == []  # everything is inline: no CSS, script, font or image fetched
    shot = _screenshot(b, "report-da.png")
    assert shot.stat().st_size > 10_000


def test_report_shows_what_changed_since_the_previous_scan(two_scans, browser):
    b = _open(browser, two_scans["work"] / "report2" / "report.html")
    since = b.find_element("id", "since-previous").text
    assert "Fjernede elementer (1)" in since and two_scans["removed"] in since
    assert "Nye fund (1)" in since and f"CPR-nummer {two_scans['new_cpr'][:4]}xx-xxxx {NOTE}" in since
    assert "Nye vurderinger (1)" in since and "Accepteret" in since and two_scans["contradiction"]["id"] in since
    assert "Løste afvigelser (1)" in since and "Kunne ikke undersøges" in since
    trend = b.find_element("css selector", "#summary").text
    assert "Nye fund 1" in trend and "Fjernede elementer 1" in trend
    reviewed = b.find_element("id", "reviewed-table").text
    assert "Modstrid med fortegnelsen" in reviewed and "Accepteret → 2027-06-30: gælder" in reviewed
    assert two_scans["contradiction"]["id"] not in b.find_element("id", "gaps-table").text


def test_gap_filters_and_sorting_work(two_scans, browser):
    from selenium.webdriver.support.ui import Select

    b = _open(browser, two_scans["work"] / "report2" / "report.html")
    everything = _visible_rows(b, "gaps-table")
    assert len(everything) == len(two_scans["second"]["gaps"]) > 5
    Select(b.find_element("id", "kind-filter")).select_by_value("overdue")
    overdue = _visible_rows(b, "gaps-table")
    n_overdue = sum(g["kind"] == "overdue" for g in two_scans["second"]["gaps"])
    assert len(overdue) == n_overdue >= 3 and {kind for kind, _, _ in overdue} == {"overdue"}
    n_all = len(two_scans["second"]["gaps"])
    assert b.find_element("css selector", "[data-table=gaps-table] .count").text == f"{n_overdue} / {n_all} vist"
    Select(b.find_element("id", "kind-filter")).select_by_value("")
    b.find_element("id", "gap-filter").send_keys("lønlister")
    [(kind, severity, _)] = _visible_rows(b, "gaps-table")
    assert (kind, severity) == ("undeclared_location", "high")
    _screenshot(b, "report-da-filtered.png")
    b.find_element("id", "gap-filter").clear()
    b.execute_script("document.getElementById('gap-filter').dispatchEvent(new Event('input'))")
    assert len(_visible_rows(b, "gaps-table")) == n_all
    findings_head = b.find_elements("css selector", "#gaps-table thead th")[6]  # "Fund" (numeric)
    findings_head.click()
    counts = [int(r.find_elements("css selector", ":scope > td")[6].text)
              for r in b.find_elements("css selector", "#gaps-table > tbody > tr")]
    assert counts == sorted(counts)
    findings_head.click()
    counts = [int(r.find_elements("css selector", ":scope > td")[6].text)
              for r in b.find_elements("css selector", "#gaps-table > tbody > tr")]
    assert counts == sorted(counts, reverse=True)


def test_english_report(two_scans, browser, tmp_path):
    from datakort.main import main
    assert main(["report", "--db", str(two_scans["db"]), "--out", str(tmp_path), "--lang", "en", "-q"]) == 0
    b = _open(browser, tmp_path / "report.html")
    assert b.find_element("tag name", "h1").text == "Gap report: Interket A/S"
    assert "New findings (1)" in b.find_element("id", "since-previous").text
    assert [e for e in b.get_log("browser") if e["level"] == "SEVERE"] == []
    _screenshot(b, "report-en.png")


# --- both languages, 1024 and 1920 px, print preview, no untranslated string (issue 19) -------------------

def _report_in(two_scans, tmp_path_factory, lang: str) -> Path:
    if lang == "da":
        return two_scans["work"] / "report2" / "report.html"
    from datakort.main import main
    out = tmp_path_factory.mktemp(f"report-{lang}")
    assert main(["report", "--db", str(two_scans["db"]), "--out", str(out), "--lang", lang, "-q"]) == 0
    return out / "report.html"


def _page_overflow(b) -> int:
    return b.execute_script("return document.documentElement.scrollWidth - document.documentElement.clientWidth")


@pytest.mark.parametrize("lang", ["da", "en"])
@pytest.mark.parametrize("width", [1024, 1920])
def test_layout_holds_and_ids_stay_in_view(two_scans, browser, tmp_path_factory, lang, width):
    b = _open(browser, _report_in(two_scans, tmp_path_factory, lang))
    b.set_window_size(width, 1000)
    assert _page_overflow(b) == 0  # wide tables scroll inside their own box, not the page
    view = b.execute_script("return document.documentElement.clientWidth")
    for table in ("gaps-table", "findings-table"):
        left, right = b.execute_script(f"var r = document.querySelector('#{table} td.id').getBoundingClientRect();"
                                       "return [r.left, r.right]")
        assert 0 <= left and right <= view, table  # the ID column is on screen …
    selected = b.execute_script("var c = document.querySelector('#gaps-table td.id code');"
                                "return getComputedStyle(c).userSelect")
    assert selected == "all"  # … and one click selects the whole ID for copying
    gaps_right = b.execute_script("return document.getElementById('gaps-table').getBoundingClientRect().right")
    b.find_element("css selector", "#gaps-table label.toggle").click()  # open the first gap's evidence
    assert b.find_element("css selector", "#gaps-table .evidence").is_displayed()
    assert _page_overflow(b) == 0
    assert b.execute_script("return document.getElementById('gaps-table').getBoundingClientRect().right") \
        == pytest.approx(gaps_right, abs=2)  # the evidence does not push the table wider
    height = b.execute_script("return document.documentElement.scrollHeight")
    b.set_window_size(width, min(height + 100, 6000))
    ARTEFACTS.mkdir(exist_ok=True)
    b.save_screenshot(str(ARTEFACTS / f"report-{lang}-{width}.png"))
    b.set_window_size(1400, 1000)


def test_danish_page_shows_no_untranslated_string(two_scans, browser):
    from tests.test_report_language import _english_sources
    b = _open(browser, two_scans["work"] / "report2" / "report.html")
    for box in b.find_elements("css selector", "label.toggle"):  # every evidence table open
        b.execute_script("arguments[0].click()", box)
    text = b.execute_script("return document.body.innerText")
    assert [s for s in _english_sources() if s in text] == []
    for raw in ("DK_CPR", "undeclared_location", "contact", "ordrebekraeftelser", "(no date)"):
        assert raw not in text


def test_heat_map_is_coloured_by_risk(two_scans, browser):
    b = _open(browser, two_scans["work"] / "report2" / "report.html")
    rows = b.execute_script("return Array.from(document.querySelectorAll('#heatmap tbody tr')).map(r => "
                            "[r.cells[0].textContent, Array.from(r.cells).slice(1).map(c => c.dataset.risk || '')])")
    risks = {place.split(" ")[0]: cells for place, cells in rows}
    assert "red" in risks["Diverse/Gamle"]  # payroll lists outside the register
    assert "red" in risks["Økonomisystem"]  # the contradiction
    customers = risks["Kundemapper"]
    assert customers.count("red") == 1 and "grey" in customers  # CPR undeclared; contact declared, not dark


def test_print_preview_gives_the_summary_and_open_gaps_with_evidence_on_few_pages(two_scans, browser):
    import base64
    b = _open(browser, two_scans["work"] / "report2" / "report.html")
    b.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": "print"})
    try:
        shown = b.execute_script("""
            var vis = s => Array.from(document.querySelectorAll(s)).some(e => getComputedStyle(e).display !== 'none');
            return {filters: vis('.filters'), nav: vis('nav'), findings: vis('#findings'), gaps: vis('#gaps'),
                    summary: vis('#summary'), evidence: vis('#gaps-table .evidence'),
                    arrows: getComputedStyle(document.querySelector('#gaps-table th'), '::after').content}""")
        assert shown == {"filters": False, "nav": False, "findings": False, "gaps": True, "summary": True,
                         "evidence": True, "arrows": "none"}
        height = b.execute_script("return document.documentElement.scrollHeight")
        b.set_window_size(1123, min(height + 100, 6000))
        ARTEFACTS.mkdir(exist_ok=True)
        b.save_screenshot(str(ARTEFACTS / "report-da-print-preview.png"))
    finally:
        b.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": ""})
        b.set_window_size(1400, 1000)
    pdf = base64.b64decode(b.execute_cdp_cmd("Page.printToPDF", {"printBackground": True,
                                                                  "preferCSSPageSize": True})["data"])
    (ARTEFACTS / "report-da-print.pdf").write_bytes(pdf)
    pages = pdf.count(b"/Type /Page") - pdf.count(b"/Type /Pages")
    assert 1 <= pages <= 6
    b.get((two_scans["work"] / "report2" / "summary.html").as_uri())
    summary = base64.b64decode(b.execute_cdp_cmd("Page.printToPDF", {"printBackground": True,
                                                                      "preferCSSPageSize": True})["data"])
    (ARTEFACTS / "summary-da.pdf").write_bytes(summary)
    assert summary.count(b"/Type /Page") - summary.count(b"/Type /Pages") == 1  # one page for the board
