"""The framework registry, and the next framework change as one registry entry.

A made-up 2027 framework that renames the leadership judgement is added in this test
alone; extraction, the latest export, the council page and `lacs changes` must follow it
with no change anywhere else.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from lacs.domain import frameworks as fw
from lacs.domain.frameworks import Area, AreaInfo, Framework
from lacs.domain.grades import Grade, direction, grade_words
from lacs.questions.changes import changes
from lacs.questions.export import export_table
from lacs.reports.extract import extract_report
from lacs.store.build import build
from lacs.store.database import Database
from lacs.web.app import create_app
from pdfs import make_pdf
from samples import ILACS_2022

RENAMED = "leaders_and_culture"
ILACS_2027 = Framework(
    "ilacs_2027", "ilacs", "ILACS from April 2027 (made up for this test)",
    "Inspection of local authority children’s services", date(2027, 4, 1), None,
    (AreaInfo(RENAMED, "The impact of leaders and culture on practice", "leaders & culture"),
     *(a for a in fw.ILACS_2026.areas if a.key != "leadership")),
    headline=None,
    aliases=((RENAMED, "leadership"),),
    reported_as="ilacs",
    reads=(Area(RENAMED, (r"The impact of leaders and culture on practice",),
                title="The impact of leaders and culture on practice"),),
)

REPORT_2027 = """Inspection of Manchester local authority
children's services
Inspection dates: 10 to 21 May 2027
Lead inspector: Di Example, His Majesty's Inspector
Judgement Grade
The impact of leaders and culture on
practice
Outstanding
The experiences and progress of
children who need help and protection
Good
The experiences and progress of
children in care
Good
The experiences and progress of care
leavers
Good
What needs to improve?
- The quality of supervision.
"""


@pytest.fixture
def ilacs_2027() -> Iterator[Framework]:
    with fw.registered(ILACS_2027, ending="ilacs_2026") as framework:
        yield framework


@pytest.fixture
def record_2027(tmp_path: Path, ilacs_2027: Framework) -> Path:
    """A database of Manchester's 2022 ILACS report and a 2027 one under the made-up framework."""
    folder = tmp_path / "reports" / "80521_manchester"
    folder.mkdir(parents=True)
    (folder / "children's services inspection - 19 may 2022.pdf").write_bytes(
        make_pdf([ILACS_2022.replace("’", "'").replace("●", "-")]))
    (folder / "children's services inspection - 2 july 2027.pdf").write_bytes(make_pdf([REPORT_2027]))
    db = tmp_path / "lacs.db"
    build([tmp_path / "reports"], db, workers=1)
    return db


# --- the registry -----------------------------------------------------------------------------


def test_each_framework_says_its_family_dates_and_headline() -> None:
    assert [f.key for f in fw.frameworks()] == ["pre_sif", "sif", "ilacs", "ilacs_2026"]
    assert fw.framework_for("ilacs_2026").family == "ilacs" and not fw.framework_for("ilacs_2026").has_overall
    assert fw.framework_for("sif").has_overall and fw.framework_for("sif").headline == "overall_effectiveness"
    assert fw.framework_for("pre_sif").separate_inspections and not fw.framework_for("sif").separate_inspections
    assert fw.framework_for("ilacs").applies_on(date(2018, 1, 1))
    assert not fw.framework_for("ilacs").applies_on(date(2026, 4, 1))
    with pytest.raises(fw.UnknownFramework):
        fw.framework_for("ilacs_1999")


def test_the_framework_in_force_by_date() -> None:
    assert [fw.framework_in_force(day).key for day in (date(2012, 5, 1), date(2013, 11, 1), date(2017, 12, 31),
                                                        date(2018, 1, 1), date(2026, 4, 1))] == [
        "pre_sif", "sif", "sif", "ilacs", "ilacs_2026"]
    assert fw.frameworks_in_force(date(2013, 11, 1), date(2017, 3, 31)) == {"sif"}
    assert fw.frameworks_in_force(date(2013, 11, 1), date(2030, 1, 1)) == {"sif", "ilacs", "ilacs_2026"}


def test_a_report_is_read_under_the_framework_its_date_and_judgements_fit() -> None:
    four = {"leadership", "help_and_protection", "children_in_care", "care_leavers"}
    assert fw.framework_of_report("ilacs", date(2026, 5, 11), four).key == "ilacs_2026"
    assert fw.framework_of_report("ilacs", date(2026, 5, 11), four | {"overall_effectiveness"}).key == "ilacs"
    assert fw.framework_of_report("ilacs", date(2025, 5, 11), four).key == "ilacs"
    assert fw.framework_of_report("ilacs", None, four).key == "ilacs"
    assert fw.successor_on("ilacs", date(2026, 4, 1)) == "ilacs_2026" and fw.successor_on("sif", None) == "sif"


def test_areas_in_one_display_order_with_titles() -> None:
    assert fw.area_order() == ["overall_effectiveness", "leadership", "help_and_protection", "children_in_care",
                               "care_leavers", "adoption", "lscb"]
    assert fw.current_areas() == ["overall_effectiveness", "leadership", "help_and_protection", "children_in_care",
                                  "care_leavers"]
    assert fw.ordered_areas({"lac_outcomes", "lscb", "overall_effectiveness"}) == [
        "overall_effectiveness", "lscb", "lac_outcomes"]
    assert fw.short_title("help_and_protection") == "help & protection" and fw.short_title("lac_x") == "lac x"
    assert fw.area_title("sif", "leadership") == "Leadership, management and governance"
    assert fw.area_title("ilacs_2026", "children_in_care", {"children_in_care", "care_leavers"}) == (
        "The experiences and progress of children in care")
    assert fw.area_title("ilacs", "children_in_care", {"children_in_care"}) == (
        "The experiences and progress of children in care and care leavers")
    assert fw.area_title("pre_sif", "lac_outcomes") == "Outcomes for looked after children and young people"
    assert fw.area_title(None, "something_else") == "something else"


def test_grade_order_words_and_direction_are_shared() -> None:
    assert grade_words(Grade.REQUIRES_IMPROVEMENT) == "requires improvement" and grade_words(None) == "no grade"
    assert direction(Grade.INADEQUATE, Grade.GOOD) == "improved"
    assert direction(Grade.ADEQUATE, Grade.REQUIRES_IMPROVEMENT) == "same"
    assert direction(Grade.GOOD, Grade.NOT_JUDGED) is None and direction(None, Grade.GOOD) is None


def test_registering_a_framework_lasts_only_while_asked(ilacs_2027: Framework) -> None:
    assert fw.framework_for("ilacs_2027") is ilacs_2027
    assert fw.framework_for("ilacs_2026").ends == date(2027, 3, 31)
    assert fw.same_area("leadership") == ["leadership", RENAMED]
    assert fw.grade_in({RENAMED: Grade.GOOD}, "leadership") is Grade.GOOD


def test_the_registry_is_as_it_was_after_a_test_added_a_framework() -> None:
    assert "ilacs_2027" not in [f.key for f in fw.frameworks()] and fw.framework_for("ilacs_2026").ends is None


# --- the next framework change as one entry ------------------------------------------------------


def test_a_2027_report_is_extracted_with_the_renamed_area(tmp_path: Path, ilacs_2027: Framework) -> None:
    path = tmp_path / "80521_manchester" / "report.pdf"
    path.parent.mkdir()
    path.write_bytes(make_pdf([REPORT_2027]))
    record = extract_report(path)
    assert record.framework == "ilacs_2027" and record.kind == "standard"
    assert record.judgements == {RENAMED: Grade.OUTSTANDING, "help_and_protection": Grade.GOOD,
                                 "children_in_care": Grade.GOOD, "care_leavers": Grade.GOOD}
    assert not {"leadership", RENAMED, "overall_effectiveness"} & set(record.missing)


def test_the_latest_export_has_a_column_for_the_renamed_area(record_2027: Path) -> None:
    table = export_table(Database(record_2027), "latest", as_at=date(2027, 12, 31))
    assert RENAMED in table.columns and "leadership" in table.columns
    manchester = next(r for r in table.rows if r["council"] == "Manchester")
    assert (manchester["framework"], manchester[RENAMED]) == ("ilacs_2027", "outstanding")


def test_the_council_page_shows_the_renamed_area(record_2027: Path) -> None:
    # as at a day the 2027 report is known (a page of today shows only what was published by today)
    page = TestClient(create_app(record_2027)).get("/councils/manchester", params={"as_at": "2027-12-31"})
    # each area by its own framework's name: the renamed one and the one it was before
    assert page.status_code == 200 and "The impact of leaders and culture on practice" in page.text
    assert "The impact of leaders on social work practice" in page.text


def test_changes_compare_the_renamed_area_with_its_predecessor(record_2027: Path) -> None:
    db = Database(record_2027)
    for asked in ("leadership", RENAMED):
        found = changes(db, end=date(2027, 12, 31), judgement=asked)
        pair = [c for c in found.changes if c.council == "Manchester"]
        assert [(c.before.framework, c.after.framework, c.direction) for c in pair] == [
            ("ilacs", "ilacs_2027", "improved")], asked
