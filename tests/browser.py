"""Debian's chromium, headless, for the browser tests (the report and the workspace): found or
skipped (an error under CI, which installs it), started without background networking, and a
screenshot of the whole page saved in test-artefacts/ at the repository root."""
from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from tests.conftest import REPO

CHROMIUM, CHROMEDRIVER = shutil.which("chromium"), shutil.which("chromedriver")
ARTEFACTS = REPO / "test-artefacts"
WIDTH, HEIGHT = 1400, 1000


def require_chromium(what: str) -> None:
    """Skip the calling test module when chromium is missing; under CI that is an error."""
    if CHROMIUM and CHROMEDRIVER:
        return
    if os.environ.get("CI"):
        raise RuntimeError(f"chromium and chromedriver are needed for {what}: "
                           "apt-get install chromium chromium-driver (.ci/run does)")
    pytest.skip("chromium / chromedriver not installed (apt-get install chromium chromium-driver)",
                allow_module_level=True)


def headless_chromium(profile: Path, *extra_args: str):
    """A chromium driver with a fresh profile, its console log kept, no network of its own."""
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for arg in ("--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--no-first-run", f"--window-size={WIDTH},{HEIGHT}",
                *extra_args, f"--user-data-dir={profile}"):
        options.add_argument(arg)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    return webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)


def screenshot(browser, name: str) -> Path:
    """The whole page (up to 6 000 px high) from its top, saved as test-artefacts/<name>."""
    ARTEFACTS.mkdir(exist_ok=True)
    height = browser.execute_script("return document.documentElement.scrollHeight")
    browser.set_window_size(WIDTH, min(height + 100, 6000))
    browser.execute_script("window.scrollTo(0, 0)")
    path = ARTEFACTS / name
    browser.save_screenshot(str(path))
    browser.set_window_size(WIDTH, HEIGHT)
    return path


def click_and_load(browser, element, timeout: float = 30) -> None:
    """Click something that loads a new page and wait until the new page has replaced the old one,
    so the next look at the page does not race the navigation."""
    from selenium.webdriver.support import expected_conditions
    from selenium.webdriver.support.ui import WebDriverWait

    old_page = browser.find_element("tag name", "html")
    element.click()
    WebDriverWait(browser, timeout).until(expected_conditions.staleness_of(old_page))
    WebDriverWait(browser, timeout).until(lambda b: b.execute_script("return document.readyState") == "complete")
