"""Stories: each fact kind pinned on real councils, positive and negative, and every fact of every
inspection's story checked against the record recomputed another way (plain SQL)."""

from __future__ import annotations

import sqlite3
from datetime import date

import pytest

import lacs
from lacs.domain.frameworks import REVIEW_KINDS
from lacs.errors import NoSuchInspection
from lacs.questions.story import story
from lacs.store.shipped import SHIPPED

RANK = {"outstanding": 1, "good": 2, "requires_improvement": 3, "adequate": 3, "inadequate": 4}


@pytest.fixture(scope="module")
def db() -> lacs.Database:
    return lacs.open(SHIPPED)


def facts(s) -> dict:
    return {f.kind: f for f in s.facts}


def test_manchester_2022(db: lacs.Database) -> None:
    s = story(db, "manchester", date(2022, 5, 19))
    f = facts(s)
    # good overall for the first time, but not in every area: its 2017 leadership and adoption were good
    assert s.headline == "Manchester's children's services judged good overall for the first time"
    assert f["grades"].data["judgements"] == {"leadership": "good", "help_and_protection": "requires_improvement",
                                              "children_in_care": "good", "overall_effectiveness": "good"}
    assert "children who need help and protection: requires improvement" in f["grades"].text
    assert f["change"].data["changes"]["overall_effectiveness"] == "improved"
    assert "inadequate in 2014 and requires improvement in 2017" in f["sequence"].text
    assert f["first_time"].data["first"] is True
    assert f["region"].data["rated_higher"] == [] and "none was rated higher" in f["region"].text
    assert "since_inadequate" in f and f["since_inadequate"].data["last_inadequate"]["end"] == "2014-07-16"


def test_negative_cases(db: lacs.Database) -> None:
    surrey = facts(story(db, "surrey", date(2018, 3, 1)))
    assert surrey["first_time"].data["first"] is False
    assert len(surrey["region"].data["rated_higher"]) == 15
    never = next(c for c in db.councils() if c.end == "" and _never_inadequate(db, c.gss_code))
    assert facts(story(db, never.gss_code))["since_inadequate"].data["last_inadequate"] is None


def test_declined_streak_and_neighbours_on_real_councils(db: lacs.Database) -> None:
    stories = [story(db, i.gss_code, i.start) for i in db.inspections(improvements=False)
               if i.gss_code and i.start and i.kind not in REVIEW_KINDS]
    kinds = [facts(s) for s in stories]
    declined = [f for f in kinds
                if "change" in f and f["change"].data["changes"].get("overall_effectiveness") == "declined"]
    assert declined and all("so it has declined" in f["change"].text for f in declined)
    streaks = [f["streak"] for f in kinds if "streak" in f]
    assert streaks and all(f.data["inspections_in_a_row"] >= 2 for f in streaks)
    ranks = [f["neighbours"].data for f in kinds if "neighbours" in f]
    assert all(d["rank"] == d["rated_higher"] + 1 and 1 <= d["rank"] <= d["of"] for d in ranks)
    assert any(d["rank"] == 1 for d in ranks) and any(d["rank"] > 1 for d in ranks)


def test_an_unknown_date_lists_the_councils_inspections(db: lacs.Database) -> None:
    with pytest.raises(NoSuchInspection, match="no inspection on 2001-01-01; its inspections: .*2013-07-15"):
        story(db, "kent", date(2001, 1, 1))


def _never_inadequate(db: lacs.Database, gss: str) -> bool:
    grades = [i.overall for i in db.inspections(gss, with_predecessors=False, improvements=False)]
    return len(grades) >= 2 and all(g is not None and g.value != "inadequate" for g in grades)


def test_every_inspection_has_a_story_whose_facts_hold(db: lacs.Database) -> None:
    """The claims about a council's past, recomputed in plain SQL over every source and every
    overall-effectiveness judgement (a framework's headline and a pre-2013 inspection's own)."""
    conn = sqlite3.connect(f"file:{SHIPPED}?immutable=1", uri=True)
    rows = conn.execute(
        "SELECT i.id, i.gss_code, i.start_date, i.end_date, i.published, i.kind, j.grade FROM inspections i "
        "LEFT JOIN judgements j ON j.inspection_id = i.id AND j.area = 'overall_effectiveness' "
        "WHERE i.source = 'report' ORDER BY i.gss_code, i.end_date").fetchall()
    overall = conn.execute(
        "SELECT i.id, i.gss_code, coalesce(i.end_date, i.published, i.start_date), j.grade FROM inspections i "
        "JOIN judgements j ON j.inspection_id = i.id WHERE j.area = 'overall_effectiveness' "
        "OR (i.framework = 'pre_sif' AND j.area LIKE '%\\_overall\\_effectiveness' ESCAPE '\\') "
        "ORDER BY coalesce(i.end_date, i.published, i.start_date), i.start_date, i.id").fetchall()
    told = 0
    for _, gss, start, end, published, kind, grade in rows:
        if kind in REVIEW_KINDS:
            continue
        s = story(db, gss, date.fromisoformat(start))
        told += 1
        assert s.headline and s.paragraphs
        earlier = [r for r in rows if r[1] == gss and r[3] < end and r[5] not in REVIEW_KINDS]
        graded = [r[6] for r in earlier if r[6] in RANK]
        before = [r for r in overall if r[1] == gss and r[2] < end and r[3] in RANK]
        f = facts(s)
        if grade in RANK and before:
            first = (all(RANK[r[3]] > RANK[grade] for r in before) or all(RANK[r[3]] < RANK[grade] for r in before))
            got = f["first_time"].data
            assert (got["first"] and got["scope"]["since"] is None) == first, (gss, end)
        if grade in RANK and grade != "inadequate":
            bad = [r[2] for r in before if r[3] == "inadequate"]
            last = f["since_inadequate"].data["last_inadequate"]
            assert ((last["end"] or last["published"]) if last else None) == (bad[-1] if bad else None), (gss, end)
        if grade in RANK:
            run, groups = 1, {}
            for r in before:
                groups.setdefault(r[0], []).append(RANK[r[3]])
            for ranks in reversed(list(groups.values())):
                if any(x != RANK[grade] for x in ranks):
                    break
                run += 1
            assert (f["streak"].data["inspections_in_a_row"] if "streak" in f else 1) == run, (gss, end)
        if grade in RANK and graded:
            previous = graded[-1]
            expected = ("improved" if RANK[grade] < RANK[previous] else "declined" if RANK[grade] > RANK[previous]
                        else "same")
            assert f["change"].data["changes"]["overall_effectiveness"] == expected, (gss, end)
        if "region" in f:
            in_region = _graded_in_region(conn, gss, published or end, start)
            assert sum(f["region"].data["counts"].values()) == in_region, gss
    assert told > 480


def _graded_in_region(conn: sqlite3.Connection, gss: str, day: str, start: str) -> int:
    """Councils of the region whose latest non-review inspection published by `day` has an overall grade
    (the council itself counted with the inspection told)."""
    region = conn.execute("SELECT region FROM councils WHERE gss_code = ?", (gss,)).fetchone()[0]
    n = 0
    for (other,) in conn.execute("SELECT gss_code FROM councils WHERE region = ? AND (start_date IS NULL OR "
                                 "start_date <= ?) AND (end_date IS NULL OR ? < end_date)", (region, day, day)):
        if other == gss:
            n += 1
            continue
        row = conn.execute("SELECT j.grade FROM inspections i LEFT JOIN judgements j ON j.inspection_id = i.id AND "
                           "j.area = 'overall_effectiveness' WHERE i.gss_code = ? AND "
                           "coalesce(i.end_date, i.published) <= ? AND i.published <= ? AND "
                           "i.kind IS NOT 'lscb_review' "
                           "ORDER BY coalesce(i.end_date, i.published) DESC LIMIT 1",
                           (other, day, day)).fetchone()
        n += bool(row and row[0] in RANK)
    return n


def test_a_run_of_the_same_grade_is_said_once_with_its_years():
    from lacs.questions.story import grades_by_year
    assert grades_by_year([("inadequate", 2015), ("requires improvement", 2017), ("requires improvement", 2022)]) == [
        "inadequate in 2015", "requires improvement in 2017 and 2022"]
    assert grades_by_year([("good", 2010, " (x)"), ("good", 2014, "")]) == ["good in 2010 (x)", "good in 2014"]


def test_a_story_as_at_a_date_tells_the_latest_inspection_known_that_day(db: lacs.Database) -> None:
    then = story(db, "manchester", as_at=date(2016, 1, 1))
    assert (then.inspection.end, then.inspection.published) == (date(2014, 7, 16), date(2014, 9, 1))
    assert then.headline == "Manchester's children's services judged inadequate"
    # published on 21 December 2017: not known on the 20th, told on the 21st
    assert story(db, "manchester", as_at=date(2017, 12, 20)).inspection.end == date(2014, 7, 16)
    assert story(db, "manchester", as_at=date(2017, 12, 21)).inspection.end == date(2017, 11, 2)
    assert story(db, "manchester").inspection == story(db, "manchester", as_at=date(2030, 1, 1)).inspection


def test_a_story_as_at_a_day_before_any_inspection_says_so(db: lacs.Database) -> None:
    with pytest.raises(NoSuchInspection, match="no inspection in the record as at 2010-06-01"):
        story(db, "manchester", as_at=date(2010, 6, 1))  # its first, from Ofsted's tables, was published in December
    with pytest.raises(NoSuchInspection):
        story(db, "manchester", date(2022, 5, 19), as_at=date(2020, 1, 1))  # asked for one not known yet
