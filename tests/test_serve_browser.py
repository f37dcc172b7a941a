"""`datakort serve` in a real headless browser (Debian's chromium via selenium), against the real
server in a child process: refused without the token, logged in with it; filter the gaps; accept
a gap and see it move to the reviewed ones (and back after the acceptance expires); look a planted
CPR number up and find it in a .docx, a mail attachment and a zip member; the trend charts render;
no console errors and no request leaving 127.0.0.1; the value never in the server's log.

Screenshots are saved in test-artefacts/ at the repository root.
"""
from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import time
from datetime import date, timedelta
from pathlib import Path

import pytest

from tests.browser import click_and_load, headless_chromium, require_chromium
from tests.browser import screenshot as _screenshot
from tests.conftest import REPO
from tests.serve_share import DOCX, MAIL, ZIP, served_share  # noqa: F401  (fixture)

require_chromium("the workspace browser test")


@pytest.fixture(scope="module")
def server(served_share, tmp_path_factory):
    """`datakort -v serve` on a free port; yields (base URL, login link, log file)."""
    work = tmp_path_factory.mktemp("serve")
    db = work / "store.sqlite"
    shutil.copy(served_share["db"], db)
    log = work / "serve.log"
    with open(log, "wb") as out:
        proc = subprocess.Popen([sys.executable, "-m", "datakort.main", "-v", "serve", "--db", str(db), "--port", "0",
                                 "--user", "DPO"], stdout=out, stderr=subprocess.STDOUT, cwd=REPO,
                                env={**os.environ, "PYTHONPATH": str(REPO), "PYTHONUNBUFFERED": "1"})
    try:
        deadline = time.monotonic() + 60
        while not (match := re.search(r"http://127\.0\.0\.1:\d+/login\?token=\S+", log.read_text())):
            assert proc.poll() is None and time.monotonic() < deadline, log.read_text()
            time.sleep(0.2)
        link = match.group()
        yield {"base": link.split("/login")[0], "link": link, "log": log, "db": db}
    finally:
        proc.terminate()
        proc.wait(timeout=10)


@pytest.fixture(scope="module")
def browser(tmp_path_factory):
    driver = headless_chromium(tmp_path_factory.mktemp("chromium-profile"),
                               "--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE 127.0.0.1")
    yield driver
    driver.quit()


def _no_errors_and_local_only(browser, base: str) -> None:
    errors = [e for e in browser.get_log("browser") if e["level"] == "SEVERE"]
    assert errors == []
    urls = browser.execute_script("return performance.getEntries().map(e => e.name).filter(n => n.includes('//'))")
    assert urls and all(u.startswith(base + "/") for u in urls), urls


def _rows(browser, table: str) -> list[str]:
    return [r.get_attribute("data-id") for r in browser.find_elements("css selector", f"#{table} tbody tr[data-id]")]


def test_refused_without_the_token_then_logged_in_with_it(server, browser):
    browser.get(server["base"] + "/gaps")
    assert "datakort serve" in browser.find_element("id", "login-needed").text
    browser.get(server["base"] + "/login?token=not-the-token")
    assert browser.find_elements("id", "login-needed")
    refused = [e["message"] for e in browser.get_log("browser")]  # read, so the log starts afresh
    assert len(refused) == 2 and all("401" in m for m in refused)
    browser.get(server["link"])
    assert browser.current_url == server["base"] + "/"  # the token left the address bar
    assert browser.find_element("tag name", "h1").text == "Overblik"
    assert len(browser.find_elements("css selector", "#do-first li a")) >= 3
    _no_errors_and_local_only(browser, server["base"])
    assert _screenshot(browser, "serve-overview-da.png").stat().st_size > 10_000


def test_filter_the_gaps(server, browser):
    from selenium.webdriver.support.ui import Select

    browser.get(server["base"] + "/gaps")
    everything = _rows(browser, "gaps-table")
    assert len(everything) >= 3
    Select(browser.find_element("id", "f-kind")).select_by_value("undeclared_location")
    click_and_load(browser, browser.find_element("id", "f-apply"))
    kinds = {r.get_attribute("data-kind") for r in browser.find_elements("css selector", "#gaps-table tbody tr[data-id]")}
    assert kinds == {"undeclared_location"} and "kind=undeclared_location" in browser.current_url
    assert 0 < len(_rows(browser, "gaps-table")) < len(everything)
    _screenshot(browser, "serve-gaps-filtered.png")
    _no_errors_and_local_only(browser, server["base"])


def test_accept_a_gap_it_moves_to_reviewed_and_back_after_expiry(server, browser):
    browser.get(server["base"] + "/gaps")
    gap_id = _rows(browser, "gaps-table")[0]
    click_and_load(browser, browser.find_element("css selector", f"#gaps-table tr[data-id='{gap_id}'] a"))
    form = browser.find_element("id", f"decide-gap-{gap_id}")
    from selenium.webdriver.support.ui import Select
    Select(form.find_element("css selector", ".d-status")).select_by_value("accepted")
    form.find_element("css selector", ".d-reason").send_keys("Aftalt med HR; slettes ved årsskiftet")
    until = date.today() + timedelta(days=20)
    browser.execute_script("arguments[0].value = arguments[1]", form.find_element("css selector", ".d-until"),
                           until.isoformat())
    form.find_element("css selector", ".d-save").click()
    from selenium.common.exceptions import NoSuchElementException, StaleElementReferenceException
    from selenium.webdriver.support.ui import WebDriverWait
    WebDriverWait(browser, 20, ignored_exceptions=(NoSuchElementException, StaleElementReferenceException)).until(lambda b: "Accepteret" in b.find_element("id", "current-mark").text)  # the page after the post
    assert "DPO" in browser.find_element("id", "history").text
    _screenshot(browser, "serve-gap-accepted.png")
    browser.get(server["base"] + "/gaps")
    assert gap_id not in _rows(browser, "gaps-table")
    browser.get(server["base"] + "/gaps?state=reviewed")
    assert gap_id in _rows(browser, "gaps-table")
    browser.get(server["base"] + f"/gaps?as_of={(until + timedelta(days=1)).isoformat()}")
    assert gap_id in _rows(browser, "gaps-table")  # expired: open again
    assert "udløbet" in browser.find_element("css selector", f"#gaps-table tr[data-id='{gap_id}']").text
    _no_errors_and_local_only(browser, server["base"])


def test_person_lookup_finds_the_planted_cpr_in_three_places(server, browser, served_share):
    from selenium.webdriver.support.ui import Select

    cpr = served_share["cpr"]
    browser.get(server["base"] + "/lookup")
    Select(browser.find_element("id", "l-kind")).select_by_value("cpr")
    browser.find_element("id", "l-value").send_keys(cpr)
    click_and_load(browser, browser.find_element("id", "l-search"))
    assert browser.current_url == server["base"] + "/lookup"  # POST: the value is in no address
    assert "3 fund på 3 steder" in browser.find_element("id", "lookup-summary").text
    table = browser.find_element("id", "lookup-table").text
    assert DOCX in table and MAIL in table and "oplysninger.txt" in table and ZIP in table
    assert f"{cpr[:4]}xx-xxxx" in table
    source = browser.page_source
    assert cpr not in source and cpr.replace("-", "") not in source and cpr[7:] not in source
    assert browser.find_element("id", "l-value").get_attribute("value") == ""
    _screenshot(browser, "serve-lookup.png")
    _no_errors_and_local_only(browser, server["base"])
    log = server["log"].read_text()
    assert "POST /lookup 200" in log and cpr not in log and cpr.replace("-", "") not in log
    requests = [line for line in log.splitlines() if re.search(r" INFO (GET|POST) ", line)]
    assert any(" GET /login 303" in line for line in requests)
    assert not any("?" in line or "token" in line for line in requests)  # logged without query strings
    for path in server["db"].parent.iterdir():
        if path.is_file() and path.name != "serve.log":
            assert cpr.replace("-", "").encode() not in path.read_bytes() and cpr.encode() not in path.read_bytes()


def test_trend_charts_render_and_english(server, browser):
    browser.get(server["base"] + "/trends")
    chart = browser.find_element("id", "chart-gaps")
    assert chart.size["width"] > 400 and len(chart.find_elements("css selector", "circle")) >= 6
    assert browser.find_element("id", "chart-findings").find_elements("css selector", "polyline")
    _screenshot(browser, "serve-trends.png")
    click_and_load(browser, browser.find_element("id", "lang-switch"))
    assert browser.find_element("tag name", "h1").text == "Trends"
    browser.get(server["base"] + "/register")
    assert browser.find_element("id", "register-table").find_elements("css selector", "td.cell")
    _screenshot(browser, "serve-register-en.png")
    _no_errors_and_local_only(browser, server["base"])
