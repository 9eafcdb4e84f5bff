"""Themes of the "what needs to improve" points: the taxonomy, agreement with a hand-labelled
sample, themes_of on made-up sentences, and counts over the shipped record."""

from __future__ import annotations

import json
import re
from datetime import date
from pathlib import Path

import pytest

from lacs.errors import BadGrouping, BadTaxonomy
from lacs.questions.themes import (
    ENGLAND,
    Theme,
    ThemeCounts,
    load_themes,
    parse_themes,
    theme_counts,
    themes_of,
    themes_over_time,
)
from lacs.store.database import Database
from lacs.store.shipped import SHIPPED

SAMPLE = Path(__file__).parent / "expected" / "themes_sample.json"

# What the patterns give on the 100 hand-labelled points (tests/expected/themes_sample.json), measured
# when the taxonomy was last tuned: every point gets a theme (coverage 1.00); of 210 themes given,
# 170 agree with the labels (precision 0.810); of 180 labels, 170 are found (recall 0.944).
# Over the whole record, 4,602 of 4,626 points (99.5%) get a theme.
MIN_COVERAGE = 0.90
MIN_PRECISION = 0.78
MIN_RECALL = 0.92

REGIONS = {"East Midlands", "East of England", "London", "North East", "North West", "South East",
           "South West", "West Midlands", "Yorkshire and the Humber"}


@pytest.fixture(scope="module")
def db() -> Database:
    return Database(SHIPPED, shipped=True)


# (a) the taxonomy

def test_taxonomy_loads_with_unique_keys_and_compiling_patterns() -> None:
    themes = load_themes()
    assert len(themes) >= 30
    keys = [t.key for t in themes]
    assert len(set(keys)) == len(keys)
    for theme in themes:
        assert isinstance(theme, Theme)
        assert re.fullmatch(r"[a-z0-9_]+", theme.key), theme.key
        assert theme.name and theme.description and theme.patterns
        assert bool(theme.weak) == bool(theme.context)
        for pattern in theme.patterns + theme.weak + theme.context:
            re.compile(rf"\b(?:{pattern})\b", re.IGNORECASE)


def test_taxonomy_has_the_themes_asked_for() -> None:
    keys = {t.key for t in load_themes()}
    assert {"domestic_abuse", "recording", "diversity_identity", "disabled_children", "exploitation_missing",
            "care_leavers_accommodation", "management_oversight", "workforce", "placement_sufficiency",
            "private_fostering", "homeless_16_17", "early_help", "front_door", "permanence", "health"} <= keys


def test_malformed_taxonomies_are_refused() -> None:
    good = '[[theme]]\nkey = "a"\nname = "A"\ndescription = "d"\npatterns = [\'x\']\n'
    assert parse_themes(good)[0].key == "a"
    with pytest.raises(BadTaxonomy, match="twice"):
        parse_themes(good + good)
    with pytest.raises(BadTaxonomy, match="pattern"):
        parse_themes(good.replace("'x'", "'(x'"))
    with pytest.raises(BadTaxonomy, match="no name"):
        parse_themes(good.replace('name = "A"\n', ""))
    with pytest.raises(BadTaxonomy, match="weak"):
        parse_themes(good + "weak = ['y']\n")
    with pytest.raises(BadTaxonomy, match="no \\[\\[theme\\]\\]"):
        parse_themes("")


# (b) agreement with the hand-labelled sample

def test_sample_is_a_hundred_labelled_points_with_known_keys() -> None:
    sample = json.loads(SAMPLE.read_text(encoding="utf-8"))
    assert "random" in sample["note"] and len(sample["points"]) == 100
    keys = {t.key for t in load_themes()}
    for point in sample["points"]:
        assert point["text"] and set(point["themes"]) <= keys


def test_agreement_with_the_hand_labelled_sample() -> None:
    points = json.loads(SAMPLE.read_text(encoding="utf-8"))["points"]
    agreed = given = labelled = covered = 0
    for point in points:
        found, wanted = set(themes_of(point["text"])), set(point["themes"])
        covered += bool(found)
        agreed += len(found & wanted)
        given += len(found)
        labelled += len(wanted)
    coverage, precision, recall = covered / len(points), agreed / given, agreed / labelled
    assert coverage >= MIN_COVERAGE, coverage
    assert precision >= MIN_PRECISION, precision
    assert recall >= MIN_RECALL, recall


# (c) themes_of on made-up sentences

@pytest.mark.parametrize("point, expected", [
    ("Ensure that children living with domestic violence are protected.", {"domestic_abuse"}),
    ("The response to 16- and 17-year-olds who present as homeless.", {"homeless_16_17"}),
    ("Improve the identification of children in private fostering arrangements.", {"private_fostering"}),
    ("Reduce the caseloads of social workers.", {"workforce"}),
    ("The suitability of accommodation for care leavers.", {"care_leavers", "care_leavers_accommodation"}),
    ("The timeliness of initial health assessments for children in care.", {"health"}),
    ("The use of unregistered children’s homes.", {"placement_sufficiency"}),
    ("Children at risk of criminal exploitation and those who go missing.", {"exploitation_missing"}),
    ("Regular, reflective supervision for all social workers.", {"management_oversight"}),
    ("The timeliness of decisions at the front door.", {"front_door"}),
])
def test_themes_of_finds_the_theme(point: str, expected: set[str]) -> None:
    assert expected <= set(themes_of(point))


def test_themes_of_gives_keys_in_taxonomy_order() -> None:
    order = [t.key for t in load_themes()]
    found = themes_of("Pathway plans and health histories for care leavers, and the virtual school's work.")
    assert found == sorted(found, key=order.index)
    assert {"education", "care_leavers", "pathway_plans", "health"} <= set(found)


def test_a_point_with_no_theme() -> None:
    assert themes_of("The weather was fine and the trains ran on time.") == []
    assert themes_of("") == []


def test_word_boundaries_case_and_typography() -> None:
    assert "youth_justice" not in themes_of("The pace of change.")  # PACE is case-sensitive
    assert "youth_justice" in themes_of("Children detained under PACE.")
    assert "exploitation_missing" not in themes_of("Plans to prevent drift.")  # Prevent, the duty, is not prevent
    assert "adoption" not in themes_of("The council adopted a new strategy.")
    assert "recording" in themes_of("The quality of children\u2019s case records.")
    assert "child_protection" in themes_of("Timely multi\ufffeagency strategy meetings.")


def test_themes_of_returns_a_fresh_list() -> None:
    first = themes_of("Domestic abuse.")
    first.append("spoiled")
    assert themes_of("Domestic abuse.") == ["domestic_abuse"]


# (d) counts over the shipped record

def test_theme_counts_at_31_march_2024(db: Database) -> None:
    counts = theme_counts(db, as_at=date(2024, 3, 31), by="region")
    assert isinstance(counts, ThemeCounts) and counts.as_at == date(2024, 3, 31) and counts.by == "region"
    assert counts.councils[ENGLAND] == 153
    assert set(counts.groups) == {ENGLAND} | REGIONS
    assert sum(counts.councils[r] for r in REGIONS) == 153
    keys = [t.key for t in load_themes()]
    for group, by_theme in counts.groups.items():
        assert list(by_theme) == keys
        assert all(0 <= n <= counts.councils[group] for n in by_theme.values())
    for key in keys:
        assert counts.groups[ENGLAND][key] == sum(counts.groups[r][key] for r in REGIONS)
    assert counts.groups[ENGLAND]["assessment_planning"] > 50
    assert counts.groups[ENGLAND]["private_fostering"] > 0
    assert counts.unthemed and all(council and point and themes_of(point) == []
                                   for council, point in counts.unthemed)
    assert len(counts.without_points) < 10
    data = counts.to_json()
    assert data["as_at"] == "2024-03-31" and data["groups"][0]["name"] == ENGLAND
    assert data["groups"][0]["councils"] == 153 and len(data["themes"]) == len(keys)
    json.dumps(data)


def test_theme_counts_for_england_alone(db: Database) -> None:
    counts = theme_counts(db, as_at=date(2024, 3, 31))
    assert list(counts.groups) == [ENGLAND] and counts.councils == {ENGLAND: 153}
    with pytest.raises(BadGrouping):
        theme_counts(db, as_at=date(2024, 3, 31), by="colour")


def test_themes_over_time(db: Database) -> None:
    years = themes_over_time(db, [2015, 2019, 2030])
    assert list(years) == [2015, 2019, 2030]
    assert years[2030] == dict.fromkeys([t.key for t in load_themes()], 0)
    published_2019 = [i for i in db.inspections() if i.published and i.published.year == 2019 and i.improvements]
    assert 0 < years[2019]["assessment_planning"] <= len(published_2019)
    assert years[2015]["private_fostering"] > 0
