"""Visits between inspections: focused visits, monitoring visits and the like, ungraded letters.

    visits(db, council="manchester", start=date(2021, 4, 1), kind="monitoring_visit")  # -> [Visit]
    visits_since(db, "E08000003", date(2022, 7, 15))   # the council's visits after that day
    reach(db, "E08000003")                              # how far the record of its visits reaches

The record of visits is Ofsted's in-year tables (every focused and monitoring visit of the years
they cover: April 2021 to March 2025 for the releases shipped) and the letters `lacs update`
fetched; `reach` says how far it goes, so that "since" and counts can say so.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from lacs.domain.councils import Council, predecessors
from lacs.domain.report_types import VISIT_KINDS
from lacs.errors import BadQuestion
from lacs.store.database import Database
from lacs.store.visits import Visit

KINDS = tuple(k.key for k in VISIT_KINDS)


@dataclass(frozen=True)
class Reach:
    """The days over which the record holds a council's every visit, as far as lacs knows: the years
    of the in-year tables imported, to the latest of its letters if that is later."""

    first: date | None
    last: date | None

    def holds(self, day: date) -> bool:
        return bool(self.first and self.last and self.first <= day <= self.last)


def visits(db: Database, council: str | Council | None = None, start: date | None = None,
           end: date | None = None, kind: str | None = None) -> list[Visit]:
    """Visits, oldest first: of one council (and its predecessors) or all, whose date (first day,
    else publication) is from `start` to `end`, of one kind. BadQuestion for a kind lacs does not
    know or a range that runs backwards."""
    if kind is not None and kind not in KINDS:
        raise BadQuestion("kind", kind, KINDS)
    if start and end and start > end:
        raise BadQuestion("start", start, None, "{parameter} {value} is after {end} {end_value}; "
                                                "give a range that runs forwards", {"end": end})
    found = None if council is None else council if isinstance(council, Council) else db.council(council)
    if found is None:
        rows = db.visits()
    else:
        codes = [found.gss_code, *(c.gss_code for c in predecessors(found))]
        rows = sorted((v for code in codes for v in db.visits(code)), key=lambda v: (v.date or date.min, v.kind))
    return [v for v in rows if (kind is None or v.kind == kind)
            and (start is None or (v.date and v.date >= start)) and (end is None or (v.date and v.date <= end))]


def visits_since(db: Database, gss_code: str, day: date) -> list[Visit]:
    """The council's own visits after `day` (an inspection's last day, say), oldest first."""
    return [v for v in db.visits(gss_code) if v.date and v.date > day]


def reach(db: Database, gss_code: str | None = None) -> Reach:
    """How far the record of visits reaches (for one council, its letters count too)."""
    tables = db.visits_reach()
    letters = [d for v in db.visits(gss_code) if v.source == "letter" and (d := v.published or v.date)] \
        if gss_code else []
    last = max([*([tables[1]] if tables else []), *letters], default=None)
    return Reach(tables[0] if tables else None, last)
