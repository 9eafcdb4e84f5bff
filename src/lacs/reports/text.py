"""Cleaning the ragged text that comes out of report PDFs.

Lines break anywhere, apostrophes come in three shapes, and every page repeats a
running header and footer. These helpers give the extractor text it can match on.
"""

from __future__ import annotations

import re
from collections import Counter

_REPLACEMENTS = (("\r\n", "\n"), ("\r", "\n"), ("'", "’"), ("‘", "’"), ("`", "’"), ("\u00a0", " "))
_DIGITS = re.compile(r"\d+")
EDGE_LINES = 3  # where running headers and footers sit on a page


def normalise_page(text: str) -> str:
    """One page's text with Unix line ends and one kind of apostrophe."""
    for old, new in _REPLACEMENTS:  # str.replace is many times faster than str.translate here
        if old in text:
            text = text.replace(old, new)
    return text


def flatten(text: str) -> str:
    """Every run of whitespace (line breaks included) as one space."""
    return " ".join(text.split())


def body_lines(pages: list[str]) -> list[str]:
    """All pages' lines in order, without running headers, footers, page numbers or blank lines.

    A running line sits among the first or last few lines of a page and repeats there,
    digits aside, on many pages.
    """
    return [line for page in body_pages(pages) for line in page]


def body_pages(pages: list[str]) -> list[list[str]]:
    """Each page's body lines (as body_lines gives them, page by page)."""
    split = [[line for line in map(str.strip, page.split("\n")) if line] for page in pages]
    edges = [{n: _DIGITS.sub("#", page[n]) for n in (*range(min(EDGE_LINES, len(page))),
                                                     *range(max(0, len(page) - EDGE_LINES), len(page)))}
             for page in split]
    repeated: set[str] = set()
    if len(pages) >= 3:
        counts = Counter(key for page in edges for key in set(page.values()))
        threshold = max(3, len(pages) * 3 // 10)
        repeated = {k for k, n in counts.items() if n >= threshold and len(k) < 160}
    return [[line for n, line in enumerate(page) if not line.isdigit() and edge.get(n) not in repeated]
            for page, edge in zip(split, edges, strict=True)]


def page_ends(pages: list[list[str]]) -> frozenset[int]:
    """Where each page's last body line sits in the lines of all pages (body_lines' indices)."""
    ends, at = set(), -1
    for page in pages:
        at += len(page)
        if page:
            ends.add(at)
    return frozenset(ends)
