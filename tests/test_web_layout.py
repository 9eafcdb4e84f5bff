"""The shell's pages in a real browser (Debian's chromium through Playwright): no page scrolls
sideways from 320 to 1280 px, and axe-core finds no serious or critical violation at phone and
desktop widths. Skips with a message where chromium, playwright or axe-playwright-python is missing."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

pytestmark = pytest.mark.browser
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
playwright_api = pytest.importorskip("playwright.sync_api",
                                     reason="playwright is not installed (pip install -e '.[test]')")
if not Path(CHROMIUM).exists():
    pytest.skip("no chromium: install Debian's chromium package (apt-get install chromium)", allow_module_level=True)

PAGES = ["/", "/?judgement=leadership", "/?as_at=2014-06-01", "/councils", "/councils?name=north", "/regions",
         "/data", "/nope", "/councils/manchster", "/?as_at=2024-13-01"]


@pytest.fixture(scope="module")
def server(serve_locally: Any) -> Iterator[str]:
    from lacs.store.shipped import SHIPPED
    from lacs.web.app import create_app

    with serve_locally(create_app(SHIPPED)) as url:
        yield url


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    with playwright_api.sync_playwright() as p:
        launched = p.chromium.launch(executable_path=CHROMIUM, args=[
            "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
            "--disable-component-update", "--disable-sync"])
        yield launched
        launched.close()


@pytest.mark.parametrize("width", [320, 390, 1280])
def test_no_page_scrolls_sideways(browser: Any, server: str, width: int) -> None:
    page = browser.new_page(viewport={"width": width, "height": 800})
    wide = []
    for url in PAGES:
        page.goto(server + url, wait_until="load")
        scroll, inner = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
        if scroll > inner:
            wide.append(f"{url}: {scroll} px at {inner}")
    page.close()
    assert wide == []


@pytest.mark.parametrize("width", [390, 1280])
def test_axe_finds_no_serious_or_critical_violation(browser: Any, server: str, width: int) -> None:
    axe_api = pytest.importorskip("axe_playwright_python.sync_playwright",
                                  reason="axe-playwright-python is not installed (pip install -e '.[test]')")
    axe = axe_api.Axe()
    page = browser.new_page(viewport={"width": width, "height": 800})
    found = []
    for url in PAGES:
        page.goto(server + url, wait_until="load")
        results = axe.run(page)
        for violation in results.response["violations"]:
            if violation["impact"] in ("serious", "critical"):
                found.append(f"{url}: {violation['id']} ({violation['impact']}): "
                             f"{[n['target'] for n in violation['nodes']][:3]}")
    page.close()
    assert found == []


def test_the_keyboard_meets_the_header_then_the_page_and_focus_is_visible(browser: Any, server: str) -> None:
    page = browser.new_page(viewport={"width": 1280, "height": 800})
    page.goto(server + "/", wait_until="load")
    seen = []
    for _ in range(14):
        page.keyboard.press("Tab")
        seen.append(page.evaluate("document.activeElement.textContent.trim() || document.activeElement.id"))
    assert seen[:3] == ["Skip to main content", "lacs", "Map"] and seen[3:12] == [
        "Councils", "Regions", "Compare", "Changes", "Themes", "Who is due", "Search", "Data and downloads", "API"]
    page.keyboard.press("Tab")
    style = page.evaluate("getComputedStyle(document.activeElement).backgroundColor")
    assert style == "rgb(255, 221, 0)"  # the focused link: a yellow block
    page.close()
