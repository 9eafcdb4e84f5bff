"""Reading a visit's letter: its kind, dates and theme, as the letter's own text states them.

    facts = visit_facts(pages)   # VisitFacts(kind="focused_visit", start=..., end=..., theme="Care leavers")

A letter of a focused or monitoring visit is headed by its kind ("Focused visit to Barnet
children's services", lacs.domain.report_types.LETTER_HEADINGS), states its dates in its first
sentence ("This letter summarises the findings of the focused visit to Barnet children's
services on 8 and 9 June 2021") or a line of their own ("Dates of visit: 8 to 9 June 2021"),
and says what inspectors looked at ("Inspectors looked at the local authority's arrangements
for care leavers"): that statement gives the theme, in the words of Ofsted's in-year tables
(VISIT_THEMES). What a letter does not state is None, never guessed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from lacs.domain.dates import month_number
from lacs.domain.report_types import LETTER_HEADINGS, VISIT_THEMES, VisitKind
from lacs.reports.text import flatten, normalise_page

HEAD_CHARS = 3000  # the heading, the first sentence and the statement of what was looked at lie here

_DAY = r"(?P<{0}>\d{{1,2}})(?:st|nd|rd|th)?"
_MONTH = r"(?P<{0}>[A-Z][a-z]{{2,8}}\.?)"
_RANGE = re.compile(
    rf"{_DAY.format('d1')}(?:\s+{_MONTH.format('m1')})?(?:\s+(?P<y1>\d{{4}}))?"
    rf"\s*(?:and|to|until|–|—|-)\s*{_DAY.format('d2')}\s+{_MONTH.format('m2')}\s+(?P<y2>\d{{4}})"
    rf"|{_DAY.format('d')}\s+{_MONTH.format('m')}\s+(?P<y>\d{{4}})")
# Where a letter states its dates: after these words, the dates come at once.
_DATES_AT = re.compile(r"\bDates? of (?:the )?(?:visit|inspection):?\s*"
                       r"|\b(?:visit|inspection)\b[^.]{0,160}?\b(?:on|between|from)\s+(?=\d)", re.IGNORECASE)
# Where a letter says what inspectors looked at; the statement runs to the end of its sentence.
_STATEMENT_AT = re.compile(
    r"\b(?:Inspectors|The visit|This visit|The inspection)\s+(?:looked at|evaluated|reviewed|considered|"
    r"focused (?:up)?on|examined)\b|\bAreas covered by the visit\b|\bthe visit focused on\b", re.IGNORECASE)
STATEMENT_CHARS = 400


@dataclass(frozen=True)
class VisitFacts:
    """What a letter states of its visit; None where it does not say."""

    kind: str | None  # a VisitKind key
    start: date | None
    end: date | None
    theme: str | None


def visit_facts(pages: list[str] | tuple[str, ...]) -> VisitFacts:
    """The kind, first and last day and theme of the visit a letter reports (see the module's docstring)."""
    text = flatten(normalise_page(" ".join(pages)))[:HEAD_CHARS]
    kind = letter_kind(text)
    start, end = letter_dates(text)
    theme = kind.theme if kind and kind.theme else (letter_theme(text) if kind is None or kind.themed else None)
    return VisitFacts(kind.key if kind else None, start, end, theme)


def letter_kind(text: str) -> VisitKind | None:
    """The kind of visit whose heading comes first in the text."""
    found = [(m.start(), n, kind) for n, kind in enumerate(LETTER_HEADINGS) for pattern in kind.letter_titles
             if (m := re.search(pattern, text, re.IGNORECASE))]
    return min(found, key=lambda f: f[:2])[2] if found else None


def letter_dates(text: str) -> tuple[date | None, date | None]:
    """(first, last day) of the visit as the letter states them; (None, None) if it does not."""
    for anchor in _DATES_AT.finditer(text):
        m = _RANGE.match(text, anchor.end())
        if m is None:
            continue
        try:
            return _span(m)
        except (KeyError, ValueError):  # not a month's name, or not a day of it
            continue
    return None, None


def letter_theme(text: str) -> str | None:
    """The theme (VISIT_THEMES) of the first statement of what inspectors looked at that names one."""
    for anchor in _STATEMENT_AT.finditer(text):
        sentence = text[anchor.end():anchor.end() + STATEMENT_CHARS]
        stop = re.search(r"[.;](?:\s|$)", sentence)
        statement = sentence[:stop.start()] if stop else sentence
        for theme, patterns in VISIT_THEMES:
            if any(re.search(p, statement, re.IGNORECASE) for p in patterns):
                return theme
    return None


def _span(m: re.Match[str]) -> tuple[date, date]:
    if m["d"]:
        day = date(int(m["y"]), month_number(m["m"]), int(m["d"]))
        return day, day
    end = date(int(m["y2"]), month_number(m["m2"]), int(m["d2"]))
    month = month_number(m["m1"]) if m["m1"] else end.month
    year = int(m["y1"]) if m["y1"] else end.year - (1 if month > end.month else 0)
    start = date(year, month, int(m["d1"]))
    if start > end:
        raise ValueError(f"the visit ends before it starts: {m.group(0)!r}")
    return start, end
