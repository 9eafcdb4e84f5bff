"""One council's record and the reporter's facts, pinned against the shipped dataset."""

from __future__ import annotations

from datetime import date

import lacs
from lacs.domain.grades import Grade
from lacs.questions.history import council_history, facts_about
from lacs.store.database import Inspection

GOOD, RI, INADEQUATE, OUTSTANDING = Grade.GOOD, Grade.REQUIRES_IMPROVEMENT, Grade.INADEQUATE, Grade.OUTSTANDING


def test_manchester_inadequate_2014_requires_improvement_2017_good_2022(shipped: lacs.Database) -> None:
    history = council_history(shipped, "manchester", as_at=date(2022, 12, 31))
    got = [(i.end.year, i.framework, {a: g.value for a, g in i.judgements.items()}) for i in history.inspections
           if not i.official]
    assert got == [
        (2014, "sif", {"overall_effectiveness": "inadequate", "help_and_protection": "inadequate",
                       "children_in_care": "requires_improvement", "adoption": "inadequate",
                       "care_leavers": "requires_improvement", "leadership": "inadequate", "lscb": "inadequate"}),
        (2017, "sif", {"overall_effectiveness": "requires_improvement", "help_and_protection": "requires_improvement",
                       "children_in_care": "requires_improvement", "adoption": "good",
                       "care_leavers": "requires_improvement", "leadership": "good"}),
        (2022, "ilacs", {"overall_effectiveness": "good", "help_and_protection": "requires_improvement",
                         "children_in_care": "good", "leadership": "good"}),
    ]
    facts = history.facts
    assert (facts.grade, facts.previous_grade, facts.change, facts.first_time_at_grade) == (GOOD, RI, "improved", True)
    assert facts.last_inadequate == date(2014, 7, 16) and facts.years_since_inadequate == 8.5


def test_as_at_leaves_out_what_was_not_yet_published(shipped: lacs.Database) -> None:
    history = council_history(shipped, "manchester", as_at=date(2022, 5, 18))  # fieldwork over, report not out
    assert [i.end.year for i in history.inspections if not i.official] == [2014, 2017]


def test_neighbours_and_region_are_listed_with_their_latest_grades(shipped: lacs.Database) -> None:
    history = council_history(shipped, "manchester", as_at=date(2024, 3, 31))
    assert len(history.neighbours) == 10 and "Salford" in {s.council.name for s in history.neighbours}
    assert len(history.region) == 24 and all(s.council.region == "North West" for s in history.region)


def inspection(end: date, grade: Grade | None, predecessor: bool = False) -> Inspection:
    return Inspection(id=0, gss_code="E1", council="X", framework="ilacs", kind=None, start=end, end=end,
                      published=end, published_source="report", lead_inspector=None,
                      judgements={"overall_effectiveness": grade} if grade else {}, predecessor=predecessor)


def test_facts_same_grade_again_is_not_a_first() -> None:
    facts = facts_about([inspection(date(2018, 1, 1), GOOD), inspection(date(2021, 1, 1), RI),
                         inspection(date(2024, 1, 1), GOOD)], date(2025, 1, 1))
    assert (facts.change, facts.first_time_at_grade, facts.last_inadequate) == ("improved", False, None)


def test_facts_declined_and_inadequate_now() -> None:
    facts = facts_about([inspection(date(2018, 1, 1), OUTSTANDING), inspection(date(2024, 1, 1), INADEQUATE)],
                        date(2025, 1, 1))
    assert (facts.change, facts.first_time_at_grade, facts.years_since_inadequate) == ("declined", True, 1.0)


def test_facts_about_a_first_inspection_compare_with_nothing() -> None:
    facts = facts_about([inspection(date(2018, 1, 1), OUTSTANDING, predecessor=True),
                         inspection(date(2024, 1, 1), GOOD)], date(2025, 1, 1))
    assert (facts.grade, facts.change, facts.first_time_at_grade) == (GOOD, None, None)
    assert "no earlier overall effectiveness grade" in facts.notes[0]


def test_facts_say_why_when_the_latest_has_no_overall_grade() -> None:
    facts = facts_about([inspection(date(2022, 1, 1), GOOD), inspection(date(2026, 6, 1), None)], date(2026, 7, 1))
    assert facts.grade is None and facts.change is None
    assert "gives no overall effectiveness grade" in facts.notes[0]
