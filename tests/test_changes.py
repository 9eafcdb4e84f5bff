"""Changes between consecutive inspections, and comparisons with a council's group."""

from __future__ import annotations

from datetime import date

import pytest

import lacs
from lacs.errors import BadQuestion
from lacs.questions.changes import changes
from lacs.questions.compare import compare
from lacs.store.shipped import SHIPPED


@pytest.fixture(scope="module")
def db() -> lacs.Database:
    return lacs.open(SHIPPED)


def test_manchester_improved_twice(db: lacs.Database) -> None:
    result = changes(db, end=date(2023, 1, 1))
    mine = [(c.before.placed_on.year, c.after.placed_on.year, c.direction) for c in result.changes
            if c.council == "Manchester"]
    assert mine == [(2014, 2017, "improved"), (2017, 2022, "improved")]


def test_counts_matrix_and_framework_pairs_agree(db: lacs.Database) -> None:
    result = changes(db, start=date(2018, 1, 1), end=date(2024, 3, 31))
    total = len(result.changes)
    assert sum(result.counts.values()) == total == sum(result.matrix.values())
    assert sum(sum(c.values()) for c in result.by_frameworks.values()) == total
    assert result.matrix[("inadequate", "good")] == sum(
        1 for c in result.changes if [g.value for g in c.grades] == ["inadequate", "good"])
    assert all(c.after.placed_on >= date(2018, 1, 1) for c in result.changes)


def test_a_pair_without_an_overall_grade_is_not_comparable_and_still_counted(db: lacs.Database) -> None:
    result = changes(db, start=date(2026, 4, 1), end=date(2026, 11, 1))
    assert result.counts["not_comparable"] >= 1
    assert all(c.after.framework == "ilacs_2026" for c in result.changes if c.direction == "not_comparable")


def test_changes_refuse_a_backwards_range(db: lacs.Database) -> None:
    with pytest.raises(BadQuestion, match="runs forwards"):
        changes(db, start=date(2024, 1, 1), end=date(2023, 1, 1))


def test_compare_with_neighbours_and_region(db: lacs.Database) -> None:
    result = compare(db, "manchester", "neighbours", date(2024, 3, 31))
    assert result.members[0].council.name == "Manchester" and result.members[0].is_subject
    assert len(result.members) == 11
    region = compare(db, "manchester", "region", date(2024, 3, 31))
    assert len(region.members) == 24
    last = region.over_time[-1]
    assert (last.day, last.grade, last.england_percent) == (date(2024, 3, 31), lacs.Grade.GOOD, 60)
    assert last.group_percent == 33  # 7 of the other 21 graded North West councils


def test_compare_refuses_an_unknown_group(db: lacs.Database) -> None:
    with pytest.raises(BadQuestion, match="accepted are neighbours, region, type"):
        compare(db, "kent", "friends")
