"""Shared fixtures. Tests that need the real report corpus or Ofsted's official spreadsheets (both in
../shared, or $LACS_CORPUS and $LACS_OFFICIAL) skip when they are absent, and are marked `corpus`,
so that the fast loop leaves them out:

    pytest -m "not corpus and not browser" -n 2      # -n: pytest-xdist, one worker a core

Helpers that make test inputs are modules beside this one: samples (made-up reports), pdfs,
odsfiles and fakesite.
"""

from __future__ import annotations

import os
import socket
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from pathlib import Path
from typing import Any

import pytest

import lacs

SHARED = Path(__file__).resolve().parents[2] / "shared"
CORPUS = Path(os.environ.get("LACS_CORPUS", SHARED / "ofsted-reports"))
OFFICIAL = Path(os.environ.get("LACS_OFFICIAL", CORPUS.parent / "reference" / "ofsted-official"))

# A test that uses one of these fixtures, directly or through another fixture, is marked `corpus`.
CORPUS_FIXTURES = {"corpus", "official"}


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if CORPUS_FIXTURES & set(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.corpus)


@pytest.fixture(scope="session")
def corpus() -> Path:
    """The folder of Ofsted's reports."""
    if not CORPUS.is_dir():
        pytest.skip(f"report corpus not found at {CORPUS} (set LACS_CORPUS to its folder)")
    return CORPUS


@pytest.fixture(scope="session")
def official() -> Path:
    """The folder of Ofsted's official statistics releases (.ods)."""
    if not OFFICIAL.is_dir():
        pytest.skip(f"Ofsted's official spreadsheets not found at {OFFICIAL} (set LACS_OFFICIAL to their folder)")
    return OFFICIAL


@pytest.fixture(scope="session")
def shipped() -> lacs.Database:
    """The dataset shipped with lacs, opened read-only."""
    from lacs.store.shipped import SHIPPED

    return lacs.open(SHIPPED)


@contextmanager
def _serving(app: Any) -> Iterator[str]:
    """The app served by uvicorn on a free port of 127.0.0.1 in a thread, for a real browser."""
    import uvicorn

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    running = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=running.run, daemon=True)
    thread.start()
    for _ in range(200):
        if running.started:
            break
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        running.should_exit = True
        thread.join(5)


@pytest.fixture(scope="session")
def serve_locally() -> Callable[[Any], AbstractContextManager[str]]:
    """`with serve_locally(app) as url:` the app on 127.0.0.1 (the browser tests' server)."""
    return _serving
