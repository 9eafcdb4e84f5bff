"""Snapshots by the official rule, pinned against Ofsted's published figures where the corpus covers them."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

import lacs
from lacs.domain.releases import release
from lacs.errors import BadQuestion
from lacs.official.tables import read_release
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


def test_31_march_2019_with_no_cut_off_given_is_ofsteds_46_percent(db: lacs.Database) -> None:
    # Children's social care data in England 2019: "as at 31 March 2019, and published by 30 April 2019".
    snap = snapshot(db, date(2019, 3, 31))
    assert snap.published_by == date(2019, 4, 30) and snap.cutoff_rule == "the cut-off of Ofsted's release 2019"
    assert snap.groups[0].good_or_better_percent == 46
    assert snapshot(db, date(2019, 3, 31), published_by=date(2019, 6, 30)).groups[0].good_or_better_percent == 45
    assert snapshot(db, date(2019, 3, 31), published_by=date(2019, 6, 30)).cutoff_rule == "given"


def test_another_date_gets_the_rule_in_force_then(db: lacs.Database) -> None:
    assert snapshot(db, date(2016, 3, 31)).published_by == date(2016, 4, 30)
    assert snapshot(db, date(2024, 9, 30)).published_by == date(2024, 12, 30)
    assert "rule in force then" in snapshot(db, date(2016, 3, 31)).cutoff_rule


def test_a_release_date_takes_the_councils_its_notes_counted_late(db: lacs.Database) -> None:
    # 2023, note 4: South Tyneside's report came out on 10 May 2023 and was counted; Ofsted's figure is 59%.
    snap = snapshot(db, date(2023, 3, 31))
    tyneside = next(c for c in snap.councils if c.council.name == "South Tyneside")
    assert tyneside.inspection and tyneside.inspection.published == date(2023, 5, 10)
    assert snap.groups[0].good_or_better_percent == 59


def test_an_inspection_with_no_fieldwork_dates_is_placed_by_the_rule_and_marked(db: lacs.Database) -> None:
    # Northamptonshire's SIF inspection is known only from Ofsted's tables: published 27 April 2016.
    snap = snapshot(db, date(2016, 3, 31))
    north = next(c for c in snap.councils if c.council.name == "Northamptonshire")
    assert north.inspection and north.inspection.placed_by_rule and north.grade is lacs.Grade.REQUIRES_IMPROVEMENT
    assert north.inspection.placed_on == date(2016, 3, 1)
    row = north.to_json()
    assert (row["placed_on"], row["placed_by_rule"], row["end"]) == ("2016-03-01", True, None)
    # Not before its report could have counted: as at 29 February 2016 the cut-off is 31 March.
    earlier = next(c for c in snapshot(db, date(2016, 2, 29)).councils if c.council.name == "Northamptonshire")
    assert earlier.inspection is None or earlier.inspection.id != north.inspection.id
    reported = next(c for c in snap.councils if c.council.name == "Manchester")
    assert reported.inspection and not reported.inspection.placed_by_rule


@pytest.mark.parametrize("name", ["Childrens_social_care_in_England_2022_underlying_data.ods",
                                  "Childrens_social_care_in_England_2023_underlying_data.ods",
                                  "LA_Inspection_Outcomes_as_at_31_March_2024.ods",
                                  "LA_Inspection_Outcomes_as_at_31_March_2025.ods"])
def test_with_no_cut_off_given_a_release_date_gives_ofsteds_figures_nationally_and_by_region(
        shipped: lacs.Database, official: Path, name: str) -> None:
    if not (official / name).is_file():
        pytest.skip(f"{name} is not in {official}")
    found = read_release(official / name)
    snap = snapshot(shipped, found.release.as_at)  # no release, no cut-off: the default
    grade = {c.council.gss_code: c.grade for c in snap.councils}
    regions: dict[str, list[str]] = {}
    for row in found.rows:
        if row.table == "latest" and row.gss_code and row.region:
            regions.setdefault("England", []).append(row.gss_code)
            regions.setdefault(row.region, []).append(row.gss_code)

    def percent(codes: list[str], grades: dict) -> int:
        ranked = [g.rank for c in codes if (g := grades.get(c)) is not None and g.rank is not None]
        return round(100 * sum(r <= 2 for r in ranked) / len(ranked))

    theirs = {r.gss_code: r.judgements.get("overall_effectiveness") for r in found.rows if r.table == "latest"}
    for region, codes in regions.items():
        assert percent(codes, grade) == percent(codes, theirs), region
    ours = {g.name: g.good_or_better_percent for g in snapshot(shipped, found.release.as_at, by="region",
                                                               regions=release(found.release.key).regions).groups}
    assert ours["England"] == percent(regions["England"], theirs)
