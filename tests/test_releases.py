"""Ofsted's releases as data, and the default cut-off they give a snapshot (lacs.domain.releases)."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import pytest

from lacs.domain.releases import (
    RELEASES,
    cutoff_for,
    cutoff_reason,
    earliest_as_at,
    release,
    release_on,
    rule_in_force,
)
from lacs.official.tables import read_release

# The table of releases in ../shared/reference/ofsted-official/README.md: (as at, published by).
README_TABLE = [
    (date(2015, 6, 30), date(2015, 6, 30)), (date(2016, 9, 30), date(2016, 10, 31)),
    (date(2017, 3, 31), date(2017, 4, 30)), (date(2017, 10, 31), date(2017, 12, 8)),
    (date(2018, 3, 31), date(2018, 4, 30)), (date(2018, 9, 30), date(2018, 10, 31)),
    (date(2019, 3, 31), date(2019, 4, 30)), (date(2019, 8, 31), date(2019, 9, 30)),
    (date(2020, 3, 31), date(2020, 4, 30)), (date(2021, 3, 31), date(2021, 4, 30)),
    (date(2022, 3, 31), date(2022, 4, 30)), (date(2023, 3, 31), date(2023, 4, 30)),
    (date(2024, 3, 31), date(2024, 6, 30)), (date(2025, 3, 31), date(2025, 6, 30)),
]


def test_every_release_of_the_table_is_an_entry_and_the_old_keys_still_work() -> None:
    assert sorted((r.as_at, r.published_by) for r in RELEASES.values() if r.cutoff_seen) == README_TABLE
    for key in ("2017", "2019", "2019-08", "2022", "2023", "2024", "2025"):
        assert release(key).key == key
    # 2026 exists but its cover sheet is not seen: its cut-off is assumed and sets no rule.
    assert not release("2026").cutoff_seen and release("2026").rule is None


def test_each_cut_off_rule_is_read_from_the_releases_dates() -> None:
    assert release("2019").rule == release("2016-09").rule == "the end of the following month"
    assert release("2024").rule == release("2025").rule == "three months after the as-at date"
    assert release("2015-06").rule is None and release("2017-10").rule is None  # cut-offs of their own


@pytest.mark.parametrize("as_at, cutoff", [
    (date(2019, 3, 31), date(2019, 4, 30)),  # release 2019's own (three months on would be 30 June: 45%)
    (date(2017, 10, 31), date(2017, 12, 8)),  # autumn 2017's own cut-off
    (date(2015, 6, 30), date(2015, 6, 30)),  # the provisional July 2015 data's
    (date(2024, 3, 31), date(2024, 6, 30)),
    (date(2016, 3, 31), date(2016, 4, 30)),  # no release: the end of the following month
    (date(2014, 12, 31), date(2015, 1, 31)),  # before the first release with a rule: its rule
    (date(2023, 9, 30), date(2023, 10, 31)),
    (date(2024, 1, 31), date(2024, 4, 30)),  # from 2024: three months after
    (date(2025, 9, 30), date(2025, 12, 30)),
])
def test_the_default_cut_off_follows_ofsteds_rule_for_the_date_asked(as_at: date, cutoff: date) -> None:
    assert cutoff_for(as_at) == cutoff
    reason = cutoff_reason(as_at)
    assert (release_on(as_at) is not None) == reason.startswith("the cut-off of Ofsted's release")


def test_the_rule_in_force_is_the_newest_ruled_release_of_that_year_or_before() -> None:
    assert rule_in_force(date(2017, 11, 30))[1].key == "2017"  # autumn 2017 sets no rule
    assert rule_in_force(date(2010, 1, 1))[1].key == "2016-09"


@pytest.mark.parametrize("published, placed", [
    (date(2016, 4, 27), date(2016, 3, 1)),  # Northamptonshire's SIF report: cut-off of 1 March is 30 April
    (date(2024, 6, 27), date(2024, 3, 27)),
    (date(2010, 12, 17), date(2010, 11, 1)),
])
def test_an_inspection_with_no_end_of_fieldwork_is_placed_where_its_publication_meets_the_cut_off(
        published: date, placed: date) -> None:
    assert earliest_as_at(published) == placed
    assert cutoff_for(placed) >= published > cutoff_for(placed - timedelta(days=1))


@pytest.mark.parametrize("name", ["Childrens_social_care_in_England_2022_underlying_data.ods",
                                  "Childrens_social_care_in_England_2023_underlying_data.ods",
                                  "LA_Inspection_Outcomes_as_at_31_March_2024.ods",
                                  "LA_Inspection_Outcomes_as_at_31_March_2025.ods"])
def test_entries_match_the_cover_sheets(official: Path, name: str) -> None:
    if not (official / name).is_file():
        pytest.skip(f"{name} is not in {official}")
    cover = read_release(official / name).release
    entry = release(cover.key)
    assert (entry.as_at, entry.published_by) == (cover.as_at, cover.published_by)
    assert cutoff_for(cover.as_at) == cover.published_by


def test_earliest_as_at_is_the_first_day_whose_cut_off_a_publication_meets():
    """Against the plain search, day by day, for every publication day from 2009 to 2026."""
    from datetime import timedelta

    from lacs.domain.releases import cutoff_for, earliest_as_at

    def by_day(published: date) -> date:
        day = published - timedelta(days=93)
        while cutoff_for(day) < published:
            day += timedelta(days=1)
        return day

    day = date(2009, 1, 1)
    while day < date(2027, 1, 1):
        assert earliest_as_at(day) == by_day(day), day
        day += timedelta(days=1)
