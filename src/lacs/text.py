"""Cleaning the ragged text that comes out of report PDFs.

Lines break anywhere, apostrophes come in three shapes, and every page repeats a
running header and footer. These helpers give the extractor text it can match on.
"""

from __future__ import annotations

import re
from collections import Counter

_APOSTROPHES = str.maketrans({"'": "’", "‘": "’", "`": "’", "\u00a0": " "})
_DIGITS = re.compile(r"\d+")


def normalise_page(text: str) -> str:
    """One page's text with Unix line ends and one kind of apostrophe."""
    return text.replace("\r\n", "\n").replace("\r", "\n").translate(_APOSTROPHES)


def flatten(text: str) -> str:
    """Every run of whitespace (line breaks included) as one space."""
    return " ".join(text.split())


def running_lines(pages: list[str]) -> set[str]:
    """Lines that repeat on many pages (headers, footers, page numbers), digits ignored."""
    if len(pages) < 3:
        return set()
    counts: Counter[str] = Counter()
    for page in pages:
        counts.update({_DIGITS.sub("#", line.strip()) for line in page.split("\n") if line.strip()})
    threshold = max(3, len(pages) * 3 // 10)
    return {line for line, n in counts.items() if n >= threshold and len(line) < 160}


def body_lines(pages: list[str]) -> list[str]:
    """All pages' lines in order, without running headers, footers or blank lines."""
    repeated = running_lines(pages)
    lines = []
    for page in pages:
        for line in page.split("\n"):
            stripped = line.strip()
            if stripped and _DIGITS.sub("#", stripped) not in repeated and not stripped.isdigit():
                lines.append(stripped)
    return lines
