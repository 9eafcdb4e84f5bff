"""Themes of the "what needs to improve" points: the taxonomy, agreement with a hand-labelled
sample, themes_of on made-up sentences, counts over the shipped record, and the themes the
build stores (improvement_themes): the same as matching, and found again when the taxonomy changes."""

from __future__ import annotations

import json
import re
import shutil
import sqlite3
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest

import lacs
from lacs.domain import themes as domain_themes
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
from lacs.store import schema
from lacs.store.build import build
from lacs.store.database import Database
from lacs.store.shipped import SHIPPED, write_compact
from samples import MANCHESTER, reports

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

def test_a_pattern_that_does_not_compile_is_named_when_first_matched() -> None:
    """load_themes leaves the patterns to compile when first matched (a question reading the
    stored themes never waits for them); a bad one is still named then, not a bare re.error."""
    themes = parse_themes('[[theme]]\nkey = "a"\nname = "A"\ndescription = "d"\npatterns = [\'(x\']\n',
                          compile_patterns=False)
    with pytest.raises(BadTaxonomy, match="theme 'a': pattern '\\(x'"):
        themes[0].matches("x")


def test_the_matcher_is_the_domain_s_and_questions_re_export_it() -> None:
    assert themes_of is domain_themes.themes_of and load_themes is domain_themes.load_themes
    assert parse_themes is domain_themes.parse_themes and Theme is domain_themes.Theme


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


# (e) the themes stored with the record

def matched_now(db: Database) -> dict[int, tuple[tuple[str, tuple[str, ...]], ...]]:
    """What Database.point_themes gives, worked out as lacs did before it stored them: each point matched."""
    return {i.id: tuple((p, tuple(themes_of(p))) for p in i.improvements) for i in db.inspections() if i.improvements}


def counts_matched_now(db: Database, as_at: date, by: str | None) -> ThemeCounts:
    """theme_counts as it was before the build stored the themes: every point of each latest inspection matched."""
    keys = [t.key for t in load_themes()]
    latest = db.latest(as_at)
    points = {i.id: i.improvements for i in db.inspections()}
    councils = db.councils(on=as_at)
    names = [ENGLAND] + (sorted({c.region for c in councils}) if by else [])
    groups = {name: dict.fromkeys(keys, 0) for name in names}
    sizes = dict.fromkeys(names, 0)
    unthemed, without = [], []
    for council in councils:
        inspection = latest.get(council.gss_code)
        listed = points.get(inspection.id, ()) if inspection else ()
        if not listed:
            without.append(council.name)
        found: set[str] = set()
        for point in listed:
            found.update(themes_of(point))
            if not themes_of(point):
                unthemed.append((council.name, point))
        for name in (ENGLAND, council.region) if by else (ENGLAND,):
            sizes[name] += 1
            for key in found:
                groups[name][key] += 1
    return ThemeCounts(as_at, by, groups, unthemed, sizes, without)


def over_time_matched_now(db: Database, years: range) -> dict[int, dict[str, int]]:
    counts = {year: dict.fromkeys([t.key for t in load_themes()], 0) for year in years}
    for inspection in db.inspections():
        if inspection.published and inspection.published.year in counts:
            for key in {k for point in inspection.improvements for k in themes_of(point)}:
                counts[inspection.published.year][key] += 1
    return counts


def stored(db: Path, sql: str) -> list[tuple]:
    with sqlite3.connect(db) as conn:
        return conn.execute(sql).fetchall()


def test_the_shipped_record_stores_the_themes_the_matcher_gives(db: Database) -> None:
    assert schema.themes_current(db.conn), "the shipped dataset was themed with another taxonomy: run " \
                                           "scripts/make_dataset.py"
    assert len(db.point_themes()) > 300
    assert db.point_themes() == matched_now(db)


@pytest.mark.parametrize("as_at, by", [(date(2024, 3, 31), "region"), (date(2016, 3, 31), None),
                                       (date(2011, 3, 31), "region"), (date(2026, 3, 31), None)])
def test_counts_from_the_stored_themes_are_those_of_matching_every_point(db: Database, as_at: date,
                                                                         by: str | None) -> None:
    assert theme_counts(db, as_at, by) == counts_matched_now(db, as_at, by)


def test_counts_over_time_from_the_stored_themes_are_those_of_matching_every_point(db: Database) -> None:
    years = range(2009, 2027)
    assert themes_over_time(db, years) == over_time_matched_now(db, years)


@pytest.fixture
def renamed_theme(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[str]:
    """data/themes.toml edited: "assessment_planning" is now "assessments_and_plans"."""
    folder = tmp_path / "data"
    folder.mkdir()
    text = (domain_themes.DATA_FOLDER / "themes.toml").read_text(encoding="utf-8")
    (folder / "themes.toml").write_text(text.replace('key = "assessment_planning"', 'key = "assessments_and_plans"'),
                                        encoding="utf-8")
    with monkeypatch.context() as edited:
        edited.setattr(domain_themes, "DATA_FOLDER", folder)
        domain_themes.load_themes.cache_clear()
        domain_themes._themes_of.cache_clear()
        yield "assessments_and_plans"
    domain_themes.load_themes.cache_clear()
    domain_themes._themes_of.cache_clear()


@pytest.fixture
def built(tmp_path: Path) -> Path:
    db = tmp_path / "lacs.db"
    build([reports(tmp_path)], db, workers=1)
    return db


def test_a_build_stores_each_point_s_themes(built: Path) -> None:
    themes = stored(built, "SELECT theme FROM improvement_themes")
    assert ("assessment_planning",) in themes
    opened = lacs.open(built)
    assert opened.point_themes() == matched_now(opened) and schema.themes_current(opened.conn)


def test_a_changed_taxonomy_leaves_no_stale_theme(built: Path, renamed_theme: str) -> None:
    opened = lacs.open(built)  # before any build: the answer is the new taxonomy's, matched now
    assert not schema.themes_current(opened.conn)
    assert opened.point_themes() == matched_now(opened)
    assert any(renamed_theme in keys for points in opened.point_themes().values() for _, keys in points)
    result = build([built.parent / "reports"], built, workers=1)
    assert result.read == 0 and result.rethemed and result.changed, "nothing read again; the themes found again"
    keys = {key for (key,) in stored(built, "SELECT theme FROM improvement_themes")}
    assert renamed_theme in keys and "assessment_planning" not in keys
    assert ("assessment_planning",) not in stored(built, "SELECT key FROM themes")
    opened = lacs.open(built)
    assert schema.themes_current(opened.conn) and opened.point_themes() == matched_now(opened)
    again = build([built.parent / "reports"], built, workers=1)
    assert not again.changed and not again.rethemed, "themes found once, not at every build"


def test_the_compact_copy_of_a_database_themed_with_another_taxonomy_is_themed_again(built: Path,
                                                                                     renamed_theme: str) -> None:
    compact = write_compact(built, built.with_name("compact.db"))
    assert renamed_theme in {key for (key,) in stored(compact, "SELECT theme FROM improvement_themes")}
    assert schema.themes_current(lacs.open(compact).conn)


def test_a_database_of_schema_5_is_given_its_themes_when_migrated(built: Path) -> None:
    before = stored(built, "SELECT * FROM improvement_themes ORDER BY 1, 2, 3, 4")
    with sqlite3.connect(built) as conn:
        for table in ("improvement_themes", "themes", "visits", "findings_fts", "findings"):  # schema 6's
            conn.execute(f"DROP TABLE {table}")
        conn.execute("PRAGMA user_version = 5")
    assert schema.check_lacs_database(built).migratable
    opened = lacs.open(built)  # reading migrates it
    assert schema.check_lacs_database(built).ok
    assert before and stored(built, "SELECT * FROM improvement_themes ORDER BY 1, 2, 3, 4") == before
    assert opened.point_themes() == matched_now(opened)


def test_a_report_removed_takes_its_points_themes_with_it(built: Path, tmp_path: Path) -> None:
    folder = tmp_path / "reports"
    kept = tmp_path / "kept"
    shutil.copytree(folder, kept)
    (kept / MANCHESTER).unlink()
    build([kept], built, workers=1)
    assert stored(built, "SELECT count(*) FROM improvement_themes t LEFT JOIN improvements p "
                         "USING (inspection_id, list, position) WHERE p.text IS NULL") == [(0,)]
    assert stored(built, "SELECT count(DISTINCT inspection_id) FROM improvement_themes") == [(1,)]
