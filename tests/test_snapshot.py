"""Snapshots by the official rule, pinned against Ofsted's published figures where the corpus covers them."""

from __future__ import annotations

from datetime import date

import pytest

import lacs
from lacs.errors import BadQuestion
from lacs.questions.snapshot import snapshot
from lacs.store.shipped import SHIPPED


@pytest.fixture(scope="module")
def db() -> lacs.Database:
    return lacs.open(SHIPPED)


def test_31_march_2024_equals_ofsteds_release(db: lacs.Database) -> None:
    snap = snapshot(db, date(2024, 3, 31), by="region")
    percent = {g.name: g.good_or_better_percent for g in snap.groups}
    assert (percent["England"], percent["London"], percent["North West"]) == (60, 85, 36)


def test_the_default_cut_off_is_three_months_on_and_gives_ofsteds_counts(db: lacs.Database) -> None:
    snap = snapshot(db, date(2024, 3, 31))
    assert snap.published_by == date(2024, 6, 30)
    counts = snap.groups[0].counts
    # Ofsted, LA inspection outcomes as at 31 March 2024 (reports published by 30 June 2024)
    grades = (counts["outstanding"], counts["good"], counts["requires_improvement"], counts["inadequate"])
    assert grades == (30, 61, 43, 17)
    assert snapshot(db, date(2025, 3, 31)).groups[0].good_or_better_percent == 67


def test_every_council_that_existed_is_counted_and_none_is_said(db: lacs.Database) -> None:
    snap = snapshot(db, date(2024, 3, 31))
    england = snap.groups[0]
    assert len(england.councils) == 153 and sum(england.counts.values()) == 153
    assert england.counts["none"] == 2 and england.graded == 151
    assert {c.council.name for c in snap.missing} == {"Cumberland", "Westmorland and Furness"}


def test_former_councils_count_while_they_existed_and_a_missing_record_is_named(db: lacs.Database) -> None:
    snap = snapshot(db, date(2019, 8, 31))
    names = {c.council.name for c in snap.councils}
    assert {"Northamptonshire", "Cumbria", "Bournemouth, Christchurch and Poole"} <= names
    assert "Bournemouth" not in names and "North Northamptonshire" not in names
    # Only the councils formed that April have no inspection yet; the former ones' come from the official statistics.
    assert {c.council.name for c in snap.missing} == {"Bournemouth, Christchurch and Poole", "Dorset"}
    official = {c.council.name for c in snap.councils if c.inspection and c.inspection.official}
    assert {"Northamptonshire", "Cumbria"} <= official


def test_publication_cut_off_leaves_out_reports_not_yet_published(db: lacs.Database) -> None:
    # Manchester's 2022 fieldwork ended on 1 April; the report came out on 19 May.
    def manchester(published_by: date) -> str | None:
        snap = snapshot(db, date(2022, 4, 30), published_by=published_by)
        grade = next(c for c in snap.councils if c.council.name == "Manchester").grade
        return grade.value if grade else None
    assert manchester(date(2022, 4, 30)) == "requires_improvement"
    assert manchester(date(2022, 5, 31)) == "good"


def test_a_review_of_the_safeguarding_board_is_not_the_latest_inspection(db: lacs.Database) -> None:
    # Surrey: SIF inadequate (published June 2015), then an LSCB review alone (August 2015).
    surrey = next(c for c in snapshot(db, date(2016, 3, 31)).councils if c.council.name == "Surrey")
    assert surrey.grade is lacs.Grade.INADEQUATE and surrey.inspection.kind == "standard"
    lscb = next(c for c in snapshot(db, date(2016, 3, 31), judgement="lscb").councils if c.council.name == "Surrey")
    assert lscb.inspection.kind == "lscb_review"


def test_no_overall_grade_after_april_2026_counts_as_none_with_the_reason(db: lacs.Database) -> None:
    snap = snapshot(db, date(2026, 11, 1))
    none = [c for c in snap.councils if c.grade is None and c.inspection is not None]
    assert none and all(c.inspection.framework == "ilacs_2026" for c in none)
    assert "gives no overall effectiveness grade" in none[0].why_none


def test_json_keeps_its_keys(db: lacs.Database) -> None:
    data = snapshot(db, date(2024, 3, 31), by="type").to_json()
    assert {"as_at", "published_by", "judgement", "groups", "councils"} <= set(data)
    group = data["groups"][0]
    assert group["group"] == "England" and {"councils", "counts", "good_or_better_percent"} <= set(group)
    assert "none" in group["counts"]
    assert {"council", "urn", "grade", "end", "published"} <= set(data["councils"][0])


@pytest.mark.parametrize("kwargs, words", [
    ({"by": "county"}, "accepted are region, type"),
    ({"judgement": "leaders"}, "is not an area of the record"),
    ({"published_by": date(2024, 1, 1)}, "is before as at"),
])
def test_bad_questions(db: lacs.Database, kwargs: dict, words: str) -> None:
    with pytest.raises(BadQuestion, match=words):
        snapshot(db, date(2024, 3, 31), **kwargs)


def test_a_county_that_became_unitary_is_counted_before_its_new_code(db: lacs.Database) -> None:
    names = {c.council.name for c in snapshot(db, date(2019, 8, 31)).councils}
    assert {"North Yorkshire", "Somerset", "Buckinghamshire"} <= names
    assert len(names) == 151  # 149 of today's councils, and Northamptonshire and Cumbria


def test_a_former_council_counts_on_its_last_day_and_every_group_has_a_name(db: lacs.Database) -> None:
    snap = snapshot(db, date(2019, 3, 31), by="region")
    assert {"Bournemouth", "Poole", "Dorset County"} <= {c.council.name for c in snap.councils}
    assert "Bournemouth, Christchurch and Poole" not in {c.council.name for c in snap.councils}
    assert all(group.name for group in snap.groups)
    types = {g.name for g in snapshot(db, date(2019, 3, 31), by="type").groups}
    assert types == {"England", "County", "London Borough", "Metropolitan District", "Unitary Authority"}
