"""The dashboard in a real browser (Debian's chromium, driven by Playwright): the map's 153 linked
cells, following one to its council, no failed request, nothing on the console, at desktop and phone
widths; screenshots saved. Skips with a message where chromium or playwright is missing."""

from __future__ import annotations

import shutil
import socket
import threading
import time
from pathlib import Path

import pytest

pytestmark = pytest.mark.browser
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
playwright_api = pytest.importorskip("playwright.sync_api",
                                     reason="playwright is not installed (pip install -e '.[test]')")
if not Path(CHROMIUM).exists():
    pytest.skip("no chromium: install Debian's chromium package (apt-get install chromium)", allow_module_level=True)

SIZES = {"desktop": (1280, 900), "phone": (390, 844)}


@pytest.fixture(scope="module")
def server() -> str:
    import uvicorn

    from lacs.store.shipped import SHIPPED
    from lacs.web.app import create_app

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    config = uvicorn.Config(create_app(SHIPPED), host="127.0.0.1", port=port, log_level="warning")
    running = uvicorn.Server(config)
    thread = threading.Thread(target=running.run, daemon=True)
    thread.start()
    for _ in range(100):
        if running.started:
            break
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    running.should_exit = True
    thread.join(5)


@pytest.fixture(scope="module")
def browser():
    with playwright_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=[
            "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
            "--disable-component-update", "--disable-sync"])
        yield browser
        browser.close()


@pytest.mark.parametrize("size", SIZES)
def test_map_links_to_every_council_and_pages_load_cleanly(browser, server: str, size: str, tmp_path: Path) -> None:
    width, height = SIZES[size]
    page = browser.new_page(viewport={"width": width, "height": height})
    problems: list[str] = []
    page.on("console", lambda m: problems.append(f"console {m.type}: {m.text}"))
    page.on("requestfailed", lambda r: problems.append(f"failed: {r.url} ({r.failure})"))
    page.on("response", lambda r: problems.append(f"{r.status}: {r.url}") if r.status >= 400 else None)
    # Each page is left only once nothing is loading (its favicon included): a request cut short by
    # the test's own next navigation is the browser's doing, not a failure of the server.
    page.goto(f"{server}/?as_at=2024-03-31", wait_until="networkidle")
    cells = page.locator("svg.hexmap a")
    assert cells.count() == 153
    page.screenshot(path=str(tmp_path / f"index-{size}.png"), full_page=True)
    cells.nth(0).click()
    page.wait_for_load_state("networkidle")
    assert "/councils/" in page.url and page.locator("h1").count() == 1
    page.goto(f"{server}/search?q=abuse", wait_until="networkidle")
    assert "<mark>abuse</mark>" in page.content().lower()  # the shipped record's findings
    assert problems == []
    page.close()
