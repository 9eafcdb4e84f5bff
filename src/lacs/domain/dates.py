"""Dates as reports print them: single days and fieldwork ranges.

"22 September 2025 to 3 October 2025", "21 March to 1 April 2022", "9 to 20 May 2022",
"25 June 2014 – 16 July 2014", "9–24 November 2017", "19 November–30 November 2018",
and fieldwork in parts joined by "and".
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from itertools import pairwise

from lacs.errors import BadDate, DateOutOfRange

MONTHS = {m: i for i, m in enumerate(
    ["january", "february", "march", "april", "may", "june",
     "july", "august", "september", "october", "november", "december"], 1)}
MONTHS_BY_ABBREVIATION = {m[:3]: i for m, i in MONTHS.items()}
_MONTH = (r"(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|"
          r"Sep(?:t(?:ember)?)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\b\.?")
DAY_MONTH_YEAR = rf"\d{{1,2}}(?:st|nd|rd|th)?\s+{_MONTH}\s+\d{{4}}"
_DASH = r"(?:\s*[–—‒−─-]\s*|\s+to\s+)"
# One part: day [month [year]] (dash|to) day month year.
_PART_RE = re.compile(
    rf"(?P<d1>\d{{1,2}})(?:st|nd|rd|th)?(?:\s+(?P<m1>{_MONTH}))?(?:\s+(?P<y1>\d{{4}}))?"
    rf"{_DASH}(?P<d2>\d{{1,2}})(?:st|nd|rd|th)?\s+(?P<m2>{_MONTH})\s+(?P<y2>\d{{4}})",
    re.IGNORECASE,
)
_SINGLE_RE = re.compile(rf"(?P<d>\d{{1,2}})(?:st|nd|rd|th)?\s+(?P<m>{_MONTH})\s+(?P<y>\d{{4}})", re.IGNORECASE)


@dataclass(frozen=True)
class Fieldwork:
    """On-site inspection dates: one or more parts, each a (start, end) pair."""

    parts: tuple[tuple[date, date], ...]

    @property
    def start(self) -> date:
        return self.parts[0][0]

    @property
    def end(self) -> date:
        return self.parts[-1][1]

    @property
    def days_on_site(self) -> int:
        """Calendar days covered by the parts, each counted inclusively."""
        return sum((b - a).days + 1 for a, b in self.parts)


def month_number(name: str) -> int:
    """'September', 'Sept', 'sep.' -> 9."""
    return MONTHS_BY_ABBREVIATION[name.lower()[:3]]


def parse_date(text: str) -> date:
    """'3 October 2025' -> date(2025, 10, 3). Raises ValueError if text holds no such date."""
    m = _SINGLE_RE.search(text)
    if not m:
        raise ValueError(f"no date in {text!r}")
    return date(int(m["y"]), month_number(m["m"]), int(m["d"]))


_NUMERIC_RE = re.compile(r"\b(\d{1,2})/(\d{1,2})/(\d{4})\b")
_MONTH_NAMES = {i: m.capitalize() for m, i in MONTHS.items()}
# A date as a report prints it: in words ("10 August 2015") or in figures, day first ("10/08/2015").
PRINTED_DATE = rf"(?:{DAY_MONTH_YEAR}|\d{{1,2}}/\d{{1,2}}/\d{{4}}\b)"


def parse_printed_date(text: str) -> date:
    """Like parse_date, and figures too: '10/08/2015' -> date(2015, 8, 10) (reports are British: day first).
    Raises ValueError if text holds no such date, or a date that does not exist."""
    return parse_date(spell_numeric_dates(text))


# The days a question may name. Ofsted's first inspections of councils' children's services are
# of 2005 or so, so any question of the record lies well inside; and the questions count forward
# from the day (publication cut-offs months after, inspection windows years after, a row per year
# up to it), which near year 9999 leaves Python's calendar: OverflowError, not an answer.
FIRST_DAY, LAST_DAY = date(1900, 1, 1), date(2100, 12, 31)
_SPAN_WHY = "which holds every inspection there is, with room to count years forward from it"


def parse_day(text: str, parameter: str) -> date:
    """A day given as YYYY-MM-DD, and only so (Python alone would take 20240331, and pydantic '0');
    BadDate naming `parameter` otherwise, DateOutOfRange (a BadDate) for a real day outside
    FIRST_DAY to LAST_DAY."""
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text, re.ASCII):
        try:
            day = date.fromisoformat(text)
        except ValueError:
            pass
        else:
            if not FIRST_DAY <= day <= LAST_DAY:
                raise DateOutOfRange(parameter, text, FIRST_DAY, LAST_DAY, _SPAN_WHY)
            return day
    raise BadDate(parameter, text)


def spell_numeric_dates(text: str) -> str:
    """'12/09/2016' -> '12 September 2016' (reports are British: day first)."""
    def spell(m: re.Match[str]) -> str:
        day, month, year = int(m[1]), int(m[2]), m[3]
        return f"{day} {_MONTH_NAMES[month]} {year}" if 1 <= month <= 12 and 1 <= day <= 31 else m[0]
    return _NUMERIC_RE.sub(spell, text)


_SEPARATOR_RE = re.compile(r"^\s*(?:and|&|,|;)\s*$", re.IGNORECASE)


def parse_fieldwork(text: str) -> Fieldwork:
    """Every part of a fieldwork line, in order: ranges or single days joined by "and".

    Reading stops at the first text that does not join two parts ("Date of previous
    inspection ..."). Raises ValueError when no part is found or the parts run backwards.
    """
    text = spell_numeric_dates(text)
    parts: list[tuple[date, date]] = []
    last_end = 0
    for m in _PART_OR_DAY_RE.finditer(text):
        if parts and not _SEPARATOR_RE.match(text[last_end:m.start()]):
            break
        parts.append(_part(m))
        last_end = m.end()
    if not parts:
        raise ValueError(f"no inspection dates in {text!r}")
    for (_, end), (start, _) in pairwise(parts):
        if start < end:
            raise ValueError(f"fieldwork parts out of order in {text!r}")
    return Fieldwork(tuple(parts))


_PART_OR_DAY_RE = re.compile(rf"{_PART_RE.pattern}|{_SINGLE_RE.pattern}", re.IGNORECASE)


def _part(m: re.Match[str]) -> tuple[date, date]:
    if m["d"]:
        day = date(int(m["y"]), month_number(m["m"]), int(m["d"]))
        return day, day
    end = date(int(m["y2"]), month_number(m["m2"]), int(m["d2"]))
    month = month_number(m["m1"] or m["m2"])
    year = int(m["y1"] or m["y2"])
    if not m["y1"] and month > end.month:
        year -= 1  # "15 December to 9 January 2015"
    start = date(year, month, int(m["d1"]))
    if start > end:
        raise ValueError(f"fieldwork ends before it starts: {m.group(0)!r}")
    return start, end
