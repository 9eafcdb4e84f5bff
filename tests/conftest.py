"""Shared fixtures. Tests that need the real report corpus skip when ../shared is absent."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

CORPUS = Path(os.environ.get("LACS_CORPUS", Path(__file__).resolve().parents[2] / "shared" / "ofsted-reports"))


@pytest.fixture(scope="session")
def corpus() -> Path:
    if not CORPUS.is_dir():
        pytest.skip(f"report corpus not found at {CORPUS} (set LACS_CORPUS to its folder)")
    return CORPUS
