"""What a council's page shows, all of it as at one day: the record known that day (history's
rule: reports published by then), the story of the latest inspection known that day and what it
said must improve, the region's and the neighbours' latest grades that day, the visits made by
then. Without a date the day is today, and the page says so.

    view = council_view(db, council, date(2016, 1, 1))
    view.columns[0].year          # '2014': the newest inspection first
    view.rows[0].label            # 'Overall effectiveness'
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from pathlib import PurePosixPath

from lacs.domain.councils import Council, council_by_dfe_code, predecessors
from lacs.domain.frameworks import HEADLINE, ordered_areas
from lacs.errors import NoSuchInspection
from lacs.questions.export import report_url
from lacs.questions.history import CouncilHistory, council_history
from lacs.questions.story import Story, story
from lacs.questions.wording import day_words, when_words
from lacs.store.database import Database, Inspection
from lacs.store.visits import Visit
from lacs.web.words import (
    NOT_PART,
    area_label,
    day_or_unknown,
    framework_name,
    kind_words,
    missing_words,
    no_overall_words,
    short_label,
)


@dataclass(frozen=True)
class Column:
    """One inspection of the grid, and what the list of inspections says of it."""

    inspection: Inspection
    anchor: str
    year: str
    framework: str
    kind: str
    when: str
    lead_inspector: str | None
    official: str  # '' for one read from its report; else where in Ofsted's tables it comes from
    predecessor: str | None  # the former council's name, for a predecessor's inspection
    files: tuple[str, ...]  # the report files it was read from (their names)
    reports_page: str | None  # Ofsted's page of the inspected council's reports
    reports_of: str


@dataclass(frozen=True)
class Cell:
    grade: str | None  # the grade's value; None: no grade, `note` says why
    note: str = ""
    shown: str = "—"  # what the cell shows where it has no grade


@dataclass(frozen=True)
class Row:
    key: str
    label: str
    short: str  # the registry's short title, for a narrow screen
    cells: list[Cell]


@dataclass(frozen=True)
class CouncilView:
    council: Council
    day: date  # the day the page is of
    given: bool  # True: ?as_at= asked for it; False: today
    history: CouncilHistory
    story: Story | None
    columns: list[Column]
    rows: list[Row]
    visits: list[Visit]
    visits_undated: int  # visits the record holds no date for, left out of a page as at a date
    formed: str | None  # the council did not exist yet on that day: when it was formed, and from what
    replaced: str | None  # a former council: when it was replaced
    reports_page: str | None  # Ofsted's page of the council's reports
    successors: list[Council] = field(default_factory=list)  # the councils that took over from a former one
    improvements: dict[str, list[str]] = field(default_factory=dict)


def council_view(db: Database, council: Council, as_at: date | None) -> CouncilView:
    day = as_at or date.today()
    history = council_history(db, council, day)
    try:
        told = story(db, council, as_at=day) if history.inspections else None
    except NoSuchInspection:  # only a predecessor's inspections known that day
        told = None
    newest_first = list(reversed(history.inspections))
    columns = [_column(db, i, n) for n, i in enumerate(newest_first)]
    visits = db.visits(council.gss_code)
    dated = [v for v in visits if v.date is not None and v.date <= day] if as_at else visits
    improvements: dict[str, list[str]] = next(
        (f.data["by_theme"] for f in told.facts if f.kind == "improvements"), {}) if told else {}
    replaced = f"a former council, replaced on {day_words(date.fromisoformat(council.end))}" if council.end else None
    return CouncilView(council, day, as_at is not None, history, told, columns, _rows(newest_first), dated,
                       sum(1 for v in visits if v.date is None) if as_at else 0, _formed(council, day), replaced,
                       report_url(council.urn), [c for code in council.successors
                                                 if (c := council_by_dfe_code(code)) is not None], improvements)


def _column(db: Database, i: Inspection, n: int) -> Column:
    inspected = _council_of(db, i)
    return Column(
        inspection=i, anchor=f"inspection-{n + 1}",
        year=str(i.placed_on.year) if i.placed_on else "date not in the record",
        framework=framework_name(i.framework), kind=kind_words(i.framework, i.kind), when=when_words(i),
        lead_inspector=i.lead_inspector or None,
        official=f"from Ofsted's official statistics ({_cited(i.source_ref)})" if i.official and i.source_ref else
        "from Ofsted's official statistics" if i.official else "",
        predecessor=i.council if i.predecessor else None,
        files=tuple(PurePosixPath(path).name for path in i.reports),
        reports_page=report_url(inspected.urn) if inspected else None,
        reports_of=inspected.name if inspected else i.council)


def _council_of(db: Database, i: Inspection) -> Council | None:
    return next((c for c in db.councils() if c.gss_code == i.gss_code), None)


def _rows(inspections: list[Inspection]) -> list[Row]:
    """One row per area any of the inspections judged (the overall grade first); the label is the
    newest framework's name for it among them."""
    keys = ordered_areas({a for i in inspections for a in i.judgements})
    if any(no_overall_words(i.framework) for i in inspections) and HEADLINE not in keys:
        keys.insert(0, HEADLINE)
    rows = []
    for key in keys:
        newest = next((i for i in inspections if key in i.judgements), None)
        label = area_label(key, newest.framework, set(newest.judgements)) if newest else area_label(key)
        rows.append(Row(key, label, short_label(key) or label, [_cell(i, key) for i in inspections]))
    return rows


def _cell(i: Inspection, key: str) -> Cell:
    grade = i.judgements.get(key)
    if grade is not None:
        return Cell(grade.value)
    words = missing_words(i, key)
    return Cell(None, words, "—" if words == NOT_PART else words)


def _formed(council: Council, day: date) -> str | None:
    """'North Northamptonshire was formed on 1 April 2021, from Northamptonshire.' for a day before it existed."""
    if not council.start or council.start <= day.isoformat():
        return None
    older = [c.name for c in predecessors(council)]
    start = date.fromisoformat(council.start)
    return (f"{council.name} was formed on {day_or_unknown(start)}"
            + (f", from {' and '.join(older)}" if older else "") + ".")


def _cited(source_ref: str) -> str:
    """Where in Ofsted's tables an inspection comes from, without lacs's own names of their column
    groups: 'release 2022, sheet LA_inspections_2009-2022, row 83'."""
    return re.sub(r" \([a-z_]+\)", "", source_ref)
