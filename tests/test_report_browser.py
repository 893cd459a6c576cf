"""The audit page in a real browser: headless Chromium driven by Selenium.

Uses Debian's ``chromium`` and ``chromium-driver`` (``.ci/run`` installs them when it can);
the driver path is passed explicitly, so Selenium Manager never runs and nothing is
downloaded. Every test here skips, with the reason, where no browser is installed. One
browser session serves the whole module.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from _report_page import examples_audit, examples_page

CHROMIUM = os.environ.get("CUSTFOCUS_CHROMIUM") or shutil.which("chromium")
DRIVER = os.environ.get("CUSTFOCUS_CHROMEDRIVER") or shutil.which("chromedriver")


@pytest.fixture(scope="module")
def browser(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    webdriver = pytest.importorskip("selenium.webdriver", reason="selenium is not installed")
    if not CHROMIUM or not DRIVER:
        pytest.skip("no browser: install Debian's chromium and chromium-driver")
    from selenium.webdriver.chrome.service import Service
    from selenium.webdriver.common.selenium_manager import SeleniumManager

    def refuse(*_: object) -> None:
        raise AssertionError("Selenium Manager must not run (it downloads drivers)")

    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                 "--hide-scrollbars", "--disable-extensions", "--no-first-run"):  # fmt: skip
        options.add_argument(flag)
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(SeleniumManager, "binary_paths", refuse)
        try:
            driver = webdriver.Chrome(service=Service(executable_path=DRIVER), options=options)
        except Exception as exc:  # a broken browser install: say so, do not fail CI
            pytest.skip(f"chromium did not start: {type(exc).__name__}: {exc}")
    folder = tmp_path_factory.mktemp("report")
    page = folder / "audit.html"
    page.write_text(examples_page(), encoding="utf-8")
    notebook = folder / "notebook.html"
    notebook.write_text(
        "<!DOCTYPE html><meta charset='utf-8'>" + examples_audit()._repr_html_(), encoding="utf-8"
    )
    driver.cf_pages = {"audit": page.as_uri(), "notebook": notebook.as_uri()}
    try:
        yield driver
    finally:
        driver.quit()


def _open(driver: Any, name: str = "audit", width: int = 1400) -> None:
    driver.set_window_size(width, 900)
    driver.get(driver.cf_pages[name])
    inner = driver.execute_script("return window.innerWidth")
    if inner != width:  # window decorations: size the viewport itself
        driver.set_window_size(2 * width - inner, 900)
        driver.get(driver.cf_pages[name])


def _click(driver: Any, element: Any) -> None:
    """Click as a person does: with the element in view, not under the sticky navigation."""
    driver.execute_script("arguments[0].scrollIntoView({block: 'center'})", element)
    element.click()


def _overflow(driver: Any) -> tuple[int, int]:
    return tuple(
        driver.execute_script(
            "var e = document.documentElement; return [e.scrollWidth, e.clientWidth];"
        )
    )


def test_no_horizontal_scroll_at_375px(browser: Any) -> None:
    _open(browser, width=375)
    assert browser.execute_script("return window.innerWidth") == 375
    for _ in range(2):  # closed, then with every text open
        scroll, client = _overflow(browser)
        assert scroll <= client, (scroll, client)
        browser.execute_script("document.querySelectorAll('details').forEach(d => d.open = true)")


def test_no_horizontal_scroll_at_1400px(browser: Any) -> None:
    _open(browser, width=1400)
    scroll, client = _overflow(browser)
    assert scroll <= client, (scroll, client)


def _column(driver: Any, col: int, table: str = "table.cf-sortable") -> list[str]:
    return driver.execute_script(
        f"return Array.from(document.querySelector('{table}').tBodies[0].rows)"
        f".filter(r => !r.hidden).map(r => r.cells[{col}].getAttribute('data-v'))"
    )


def _scores(values: list[str]) -> list[float]:
    return [float(v) for v in values if v]


def test_clicking_a_header_sorts_the_table(browser: Any) -> None:
    from selenium.webdriver.common.by import By

    _open(browser)
    before = _scores(_column(browser, 1))
    assert before == sorted(before)  # worst first on arrival
    score = browser.find_element(By.CSS_SELECTOR, "th[data-key=score] button")
    score.click()
    score.click()
    after = _scores(_column(browser, 1))
    assert after == sorted(before, reverse=True)
    head = browser.find_element(By.CSS_SELECTOR, "th[data-key=score]")
    assert head.get_attribute("aria-sort") == "descending"
    assert _column(browser, 1)[-1] == ""  # files without a score stay last
    browser.find_element(By.CSS_SELECTOR, "th[data-key=file] button").click()
    names = _column(browser, 0)
    assert names == sorted(names)


def test_sorting_works_from_the_keyboard(browser: Any) -> None:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys

    _open(browser)
    button = browser.find_element(By.CSS_SELECTOR, "th[data-key=words] button")
    browser.execute_script("arguments[0].focus()", button)
    assert browser.switch_to.active_element == button
    button.send_keys(Keys.ENTER)
    words = _scores(_column(browser, 6))
    assert words == sorted(words) and words != _scores(
        [str(r.words) if r.words else "" for r in examples_audit().rows]
    )


def test_links_land_on_their_sections(browser: Any) -> None:
    from selenium.webdriver.common.by import By

    _open(browser)
    links = browser.find_elements(By.CSS_SELECTOR, "#summary ol a, nav a, #files td a")
    assert len(links) > 10
    for href in [link.get_attribute("href") for link in links][:14]:
        target = href.split("#", 1)[1]
        _click(browser, browser.find_element(By.CSS_SELECTOR, f"a[href='#{target}']"))
        top = browser.execute_script(
            "var el = document.getElementById(arguments[0]);"
            "return el ? el.getBoundingClientRect().top : null;",
            target,
        )
        assert top is not None, target
        at_end = browser.execute_script(
            "return Math.ceil(window.scrollY + window.innerHeight) >= "
            "document.documentElement.scrollHeight"
        )
        assert 0 <= top < 120 or at_end, (target, top)
        assert browser.execute_script("return location.hash") == f"#{target}"


def test_details_open_by_click_and_by_keyboard(browser: Any) -> None:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys

    _open(browser)
    details = browser.find_elements(By.CSS_SELECTOR, "details.cf-full")
    assert len(details) == 8 and not any(d.get_attribute("open") for d in details)
    summary = details[0].find_element(By.TAG_NAME, "summary")
    _click(browser, summary)
    assert details[0].get_attribute("open") is not None
    sentence = details[0].find_element(By.CSS_SELECTOR, "span.s")
    assert sentence.is_displayed()
    second = details[1].find_element(By.TAG_NAME, "summary")
    browser.execute_script("arguments[0].focus()", second)
    second.send_keys(Keys.ENTER)
    assert details[1].get_attribute("open") is not None


def test_printing_opens_every_text(browser: Any) -> None:
    _open(browser)
    browser.execute_script("window.dispatchEvent(new Event('beforeprint'))")
    closed = browser.execute_script(
        "return Array.from(document.querySelectorAll('details')).filter(d => !d.open).length"
    )
    assert closed == 0


def test_filters_show_only_the_chosen_band(browser: Any) -> None:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import Select

    _open(browser)
    Select(browser.find_element(By.CSS_SELECTOR, "select[data-filter=band]")).select_by_value(
        "self-centred"
    )
    shown = browser.execute_script(
        "return Array.from(document.querySelectorAll('[data-band]')).filter(e => !e.hidden)"
        ".map(e => e.getAttribute('data-band'))"
    )
    expected = sum(r.band == "self-centred" for r in examples_audit().rows)
    assert shown and set(shown) == {"self-centred"} and len(shown) == 2 * expected  # rows, cards
    assert browser.find_element(By.ID, "cf-shown").text == f"{expected} of 9 files"


def test_the_notebook_table_sorts_in_a_browser(browser: Any) -> None:
    from selenium.webdriver.common.by import By

    _open(browser, "notebook")
    before = _scores(_column(browser, 1))
    browser.find_element(By.CSS_SELECTOR, "th[data-key=score] button").click()
    browser.find_element(By.CSS_SELECTOR, "th[data-key=score] button").click()
    assert _scores(_column(browser, 1)) == sorted(before, reverse=True)


def test_the_page_requests_nothing_but_itself(browser: Any) -> None:
    _open(browser)
    urls = browser.execute_script(
        "return performance.getEntriesByType('resource').map(e => e.name)"
    )
    assert urls == [], urls
    assert Path(browser.cf_pages["audit"].removeprefix("file://")).is_file()


def test_printed_the_page_has_no_navigation_and_shows_every_text(browser: Any) -> None:
    import base64

    _open(browser)
    browser.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": "print"})
    try:
        nav = browser.execute_script(
            "return getComputedStyle(document.querySelector('nav')).display"
        )
        hidden = browser.execute_script(
            "return Array.from(document.querySelectorAll('details:not([open]) span.s'))"
            ".filter(s => s.getBoundingClientRect().height === 0).length"
        )
        total = browser.execute_script("return document.querySelectorAll('details span.s').length")
        assert nav == "none" and total > 50 and hidden == 0
    finally:
        browser.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": ""})
    pdf = base64.b64decode(browser.execute_cdp_cmd("Page.printToPDF", {})["data"])
    assert pdf.startswith(b"%PDF") and len(pdf) > 50_000
