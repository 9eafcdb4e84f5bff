"""Who is due: the framework's window after the last grade, most overdue first, and no window said why."""

from __future__ import annotations

from datetime import date

import lacs
from lacs.domain.councils import resolve_council
from lacs.domain.grades import Grade
from lacs.questions.due import due, due_for
from lacs.store.database import Inspection
from lacs.store.shipped import SHIPPED


def last(grade: Grade | None, end: date = date(2022, 4, 1), framework: str = "ilacs") -> Inspection:
    return Inspection(id=1, gss_code="E08000003", council="Manchester", framework=framework, kind="standard",
                      start=end, end=end, published=end, published_source="report", lead_inspector=None,
                      judgements={"overall_effectiveness": grade} if grade else {})


def test_window_is_six_months_either_side_of_three_years() -> None:
    manchester = resolve_council("manchester")
    d = due_for(manchester, last(Grade.GOOD), date(2025, 1, 1))
    assert (d.rule.kind, d.earliest, d.latest, d.status) == ("short", date(2024, 10, 1), date(2025, 10, 1), "due now")
    assert due_for(manchester, last(Grade.REQUIRES_IMPROVEMENT), date(2026, 1, 1)).status == "overdue by 92 days"
    assert due_for(manchester, last(Grade.GOOD), date(2023, 1, 1)).status == "not due before 2024-10-01"


def test_no_window_is_said_with_its_reason() -> None:
    manchester = resolve_council("manchester")
    inadequate = due_for(manchester, last(Grade.INADEQUATE), date(2025, 1, 1))
    assert inadequate.status == "no window" and "monitoring visits" in inadequate.why_no_window
    ungraded = due_for(manchester, last(None, framework="ilacs_2026"), date(2026, 9, 1))
    assert "gives no overall grade" in ungraded.why_no_window


def test_most_overdue_first_and_every_council_listed() -> None:
    rows = due(lacs.open(SHIPPED), date(2026, 11, 23))
    assert len(rows) == 153
    overdue = [d.overdue_days for d in rows if d.overdue_days is not None]
    assert overdue == sorted(overdue, reverse=True)
    assert all(d.overdue_days is None for d in rows[len(overdue):])


def test_a_window_closing_after_the_records_latest_report_is_beyond_the_record() -> None:
    db = lacs.open(SHIPPED)
    published = db.freshness().latest_published
    rows = due(db, date(2026, 12, 1))
    assert all(d.record_published == published for d in rows)
    beyond = [d for d in rows if d.beyond_record]
    assert beyond and all(d.latest and d.latest > published for d in beyond)
    assert all(not d.beyond_record for d in rows if d.latest and d.latest <= published)
    assert all(not d.beyond_record for d in rows if d.latest is None), "no window: nothing to close"
    overdue_beyond = [d for d in beyond if d.overdue_days and d.overdue_days > 0]
    assert overdue_beyond and overdue_beyond[0].to_json()["beyond_record"] is True


def test_no_window_names_the_framework_in_words() -> None:
    ungraded = due_for(resolve_council("manchester"), last(None, framework="ilacs_2026"), date(2026, 9, 1))
    assert "ILACS from April 2026" in ungraded.why_no_window and "ilacs_2026" not in ungraded.why_no_window
