"""Ofsted's official statistics: reading releases, importing them, and matching them to the record."""

from __future__ import annotations

import hashlib
import sqlite3
from datetime import date
from pathlib import Path

import pytest

import lacs
from lacs.errors import BadLayout
from lacs.official.tables import read_release
from lacs.questions.snapshot import snapshot
from lacs.store import writes as store
from lacs.store.reconcile import import_official
from odsfiles import write_ods

COVER = [["Local authority inspection outcomes as at 31 March 2024"], ["Section", "Detail"],
         ["Published on:", "2024-08-30"],
         ["Period covered:", "Inspections as at 31 March 2024, with a report published by 30 June 2024"]]
HEADER = ["Web link", "Local authority name", "Ofsted region", "Inspection date", "Overall effectiveness",
          "Impact of leaders"]


def release_file(tmp_path: Path, header: list[str] = HEADER, name: str = "release.ods") -> Path:
    return write_ods(tmp_path / name, {
        "Cover": COVER,
        "Inspections_31_March_2024": [
            ["Local authority inspection judgements as at 31 March 2024"], header,
            ["Ofsted Local Authority Webpage", "Northamptonshire", "East Midlands", "2019-06-17", "Inadequate",
             "Requires improvement to be good"],
            ["Ofsted Local Authority Webpage", "Manchester", "North West", "2022-07-04", "Good", "Good"]],
        "History": [
            ["ILACS inspections 2018-2024"],
            ["Web link", "Local authority name", "LA region", "First ILACS publication date",
             "First ILACS inspection type", "First ILACS overall effectiveness"],
            [None, "Dorset", "South West", "2021-11-19", "ILACS Standard Inspection", "Good"]],
    })


def empty_database(path: Path) -> Path:
    conn = store.connect(path)
    store.create(conn)
    conn.close()
    return path


def test_a_release_is_read_by_its_content(tmp_path: Path) -> None:
    found = read_release(release_file(tmp_path))
    assert (found.release.key, found.release.as_at, found.release.published_by) == (
        "2024", date(2024, 3, 31), date(2024, 6, 30))
    rows = {(r.council, r.table): r for r in found.rows}
    northants = rows[("Northamptonshire", "latest")]
    assert northants.gss_code == "E10000021" and northants.start == date(2019, 6, 17)
    assert northants.judgements["overall_effectiveness"].value == "inadequate"
    assert northants.source == "release 2024, sheet Inspections_31_March_2024, row 3"
    dorset = rows[("Dorset", "history")]  # the unitary council of 2019, by the date
    assert (dorset.gss_code, dorset.kind, dorset.published) == ("E06000059", "standard", date(2021, 11, 19))


def test_a_renamed_column_is_refused_naming_sheet_and_column_and_the_database_is_unchanged(tmp_path: Path) -> None:
    db = empty_database(tmp_path / "lacs.db")
    before = hashlib.sha256(db.read_bytes()).hexdigest()
    renamed = release_file(tmp_path, [*HEADER[:4], "Overall effectiveness grade", HEADER[5]], "renamed.ods")
    with pytest.raises(BadLayout, match=r"sheet 'Inspections_31_March_2024': column 'Overall effectiveness grade'"):
        import_official([release_file(tmp_path), renamed], db)
    assert hashlib.sha256(db.read_bytes()).hexdigest() == before


def test_importing_fills_gaps_and_importing_again_changes_nothing(tmp_path: Path) -> None:
    db = empty_database(tmp_path / "lacs.db")
    result = import_official([release_file(tmp_path)], db)
    assert result.releases == ["2024"] and result.filled == 3 and result.matched == 0
    record = lacs.open(db)
    northants = record.inspections("Northamptonshire")
    assert [(i.source_label, i.start, i.overall.value) for i in northants] == [
        ("Ofsted official statistics", date(2019, 6, 17), "inadequate")]
    stamp = db.stat().st_mtime_ns
    again = import_official([release_file(tmp_path)], db)
    assert again.unchanged == ["2024"] and again.releases == [] and db.stat().st_mtime_ns == stamp


def test_a_report_takes_the_place_of_the_official_row_and_differences_are_kept(tmp_path: Path) -> None:
    db = empty_database(tmp_path / "lacs.db")
    import_official([release_file(tmp_path)], db)
    conn = sqlite3.connect(db)
    with conn:  # a report of Manchester's 2022 inspection arrives, with another grade for leaders
        conn.execute("INSERT INTO inspections (id, gss_code, framework, kind, start_date, end_date, published, "
                     "published_source) VALUES (999, 'E08000003', 'ilacs', 'standard', '2022-07-04', '2022-07-15', "
                     "'2022-08-26', 'report')")
        conn.executemany("INSERT INTO judgements VALUES (999, ?, ?)",
                         [("overall_effectiveness", "good"), ("leadership", "outstanding")])
        from lacs.store.reconcile import reconcile
        reconcile(conn)
    conn.close()
    record = lacs.open(db)
    assert [i.source for i in record.inspections("Manchester")] == ["report"]
    [d] = record.disagreements()
    assert (d.field, d.report_value, d.official_value) == ("leadership", "outstanding", "good")
    assert d.official_source == "release 2024, sheet Inspections_31_March_2024, row 4"


@pytest.mark.parametrize("release, percent, good, graded", [
    ("2017", 29, 37, 127), ("2019", 46, 70, 152), ("2019-08", 49, 73, 149), ("2022", 53, 80, 150)])
def test_ofsteds_published_national_figures(shipped: lacs.Database, release: str, percent: int, good: int,
                                            graded: int) -> None:
    england = snapshot(shipped, release=release).groups[0]
    assert (england.good_or_better_percent, england.counts["outstanding"] + england.counts["good"],
            england.graded) == (percent, good, graded)


@pytest.mark.parametrize("name", ["Childrens_social_care_in_England_2022_underlying_data.ods",
                                  "Childrens_social_care_in_England_2023_underlying_data.ods",
                                  "LA_Inspection_Outcomes_as_at_31_March_2024.ods",
                                  "LA_Inspection_Outcomes_as_at_31_March_2025.ods"])
def test_every_council_has_the_grade_of_ofsteds_as_at_table(shipped: lacs.Database, official: Path,
                                                             name: str) -> None:
    if not (official / name).is_file():
        pytest.skip(f"{name} is not in {official}")
    found = read_release(official / name)
    snap = snapshot(shipped, release=found.release.key)
    ours = {c.council.gss_code: c.grade.value if c.grade else None for c in snap.councils}
    theirs = {r.gss_code: (g.value if (g := r.judgements.get("overall_effectiveness")) else None)
              for r in found.rows if r.table == "latest"}
    assert set(ours) == set(theirs)
    exceptions = [f"{c.council.name}: {e.note}" for c in snap.councils
                  if (e := snap.release.exception_for(c.council.gss_code))]
    print(f"release {found.release.key}: {len(theirs)} councils; explained exceptions: {exceptions or 'none'}")
    assert [g for g in theirs if ours[g] != theirs[g]] == []


def test_a_grade_before_november_2013_is_read_as_adequate(tmp_path: Path) -> None:
    path = write_ods(tmp_path / "history.ods", {
        "Cover": COVER,
        "History": [
            ["LA inspections 2009-2024"],
            ["Local authority name", "LA region",
             "Safeguarding & Looked After Children (SLAC) inspection publication date",
             "SLAC safeguarding overall effectiveness (OE)", "First SIF publication date",
             "First SIF overall judgement (OE)"],
            ["Manchester", "North West", "2010-12-17", "Requires improvement to be good", "2014-09-01",
             "Requires improvement to be good"]]})
    rows = {r.part: r for r in read_release(path).rows}
    # Manchester's own statement calls the 2010 grade adequate; the SIF's third grade is requires improvement.
    assert rows["slac"].judgements["safeguarding_overall_effectiveness"] is lacs.Grade.ADEQUATE
    assert rows["sif"].judgements["overall_effectiveness"] is lacs.Grade.REQUIRES_IMPROVEMENT


def test_manchesters_2010_inspection_is_adequate_in_ofsteds_history_table(official: Path) -> None:
    name = "Childrens_social_care_in_England_2023_underlying_data.ods"
    if not (official / name).is_file():
        pytest.skip(f"{name} is not in {official}")
    rows = read_release(official / name).rows
    slac = next(r for r in rows if r.council == "Manchester" and r.part == "slac")
    assert slac.published == date(2010, 12, 17)
    assert set(slac.judgements.values()) == {lacs.Grade.ADEQUATE}
    pre = [g for r in rows if r.published and r.published.year < 2013 for g in r.judgements.values()]
    assert lacs.Grade.REQUIRES_IMPROVEMENT not in pre and lacs.Grade.ADEQUATE in pre


def test_a_separate_lscb_reviews_grade_filed_under_the_inspection_is_a_filing_note() -> None:
    from lacs.official.match import Review, differences, is_filing_note, review_after
    from lacs.official.tables import OfficialRow

    row = OfficialRow("2023", "LA_inspections_2009-2023", 131, "sif", "history", "Surrey", "E10000030", None,
                      None, "standard", True, None, date(2015, 6, 3),
                      {"overall_effectiveness": lacs.Grade.INADEQUATE, "lscb": lacs.Grade.REQUIRES_IMPROVEMENT})
    review = Review(date(2015, 6, 15), date(2015, 6, 17), date(2015, 8, 3), {"lscb": "requires_improvement"})
    assert review_after(date(2014, 10, 21), [review], None) is review
    assert review_after(date(2014, 10, 21), [review], date(2015, 1, 1)) is None  # after the next inspection
    grades = {"overall_effectiveness": "inadequate"}
    [found] = differences("2014-10-21", "2015-06-03", "report", grades, [row], review)
    assert found[0] == "lscb" and is_filing_note(found) and "separate LSCB review" in found[2]
    # Without the review it is a judgement the report does not give, as before.
    [missing] = differences("2014-10-21", "2015-06-03", "report", grades, [row])
    assert missing[1] is None and not is_filing_note(missing)
    # A review of another grade is a disagreement with the review's record.
    other = Review(review.start, review.end, review.published, {"lscb": "good"})
    [differs] = differences("2014-10-21", "2015-06-03", "report", grades, [row], other)
    assert (differs[1], differs[3]) == ("good", "requires_improvement") and not is_filing_note(differs)


def test_an_in_year_tables_visits_are_read_with_their_theme_and_publication_date(tmp_path: Path) -> None:
    found = read_release(write_ods(tmp_path / "in-year.ods", {
        "Cover": COVER,
        "In-year_inspections": [
            ["Local authority in-year inspection activity 2023-24"],
            ["Web link", "Local authority area code", "Local authority name", "Region", "Inspection/Visit date",
             "Publication date", "Inspection/Visit type", "Overall effectiveness", "Visit Theme"],
            ["Ofsted Local Authority Webpage", "E08000003", "Manchester", "North West", "2023-10-02", "2023-11-07",
             "ILACS Focused Visit", None, "Children in need/subject to a plan"],
            ["Ofsted Local Authority Webpage", "E08000003", "Manchester", "North West", "2024-02-05", "2024-03-12",
             "ILACS Short Inspection", "Good", None]]}))
    visit, inspection = found.rows
    assert (visit.kind, visit.graded, visit.start, visit.published, visit.theme) == (
        "focused_visit", False, date(2023, 10, 2), date(2023, 11, 7), "Children in need/subject to a plan")
    assert (inspection.kind, inspection.graded, inspection.theme) == ("short", True, None)
