"""Visits between inspections: a letter's own facts, the visits table (official import, letters of
`lacs update`, the upgrade from schema 5), the questions, `lacs visits` and the story's sentence."""

from __future__ import annotations

import json
import re
import sqlite3
from datetime import date
from pathlib import Path

import pytest
from typer.testing import CliRunner

import lacs
from fakesite import FakeCouncil, FakePublication, FakeSite, file_id
from lacs.cli.app import app
from lacs.errors import BadQuestion
from lacs.questions.story import story
from lacs.questions.visits import reach, visits, visits_since
from lacs.reports.visits import VisitFacts, visit_facts
from lacs.site.fetch import Fetcher
from lacs.store import writes as store
from lacs.store.build import build
from lacs.store.reconcile import import_official
from lacs.store.schema import SCHEMA_VERSION, check_lacs_database
from lacs.store.update import update
from odsfiles import write_ods
from pdfs import make_pdf
from samples import reports

runner = CliRunner()

# --- a letter's own text ------------------------------------------------------------------------

FOCUSED = """11 July 2021
Dear Ms Smith
Focused visit to Barnet children’s services
This letter summarises the findings of the focused visit to Barnet children’s services on 8 and
9 June 2021. His Majesty’s Inspectors for this visit were A and B.
Inspectors looked at the local authority’s arrangements for care leavers, including those who
were in care as children in care."""

MONITORING = """Monitoring visit to Birmingham children’s services
This letter summarises the findings of the monitoring visit to Birmingham children’s services
on 31 January and 1 February 2023. This visit was the third monitoring visit since the local
authority was judged inadequate.
Areas covered by the visit
Inspectors reviewed the progress made in the local authority’s arrangements for children in
need, including those subject to a child protection plan."""


@pytest.mark.parametrize("text, expected", [
    (FOCUSED, VisitFacts("focused_visit", date(2021, 6, 8), date(2021, 6, 9), "Care leavers")),
    (MONITORING, VisitFacts("monitoring_visit", date(2023, 1, 31), date(2023, 2, 1),
                            "Children in need/subject to a plan")),
    ("Focused visit to Leeds children's services\nDate of visit: 31 January 2023\nDear Director",
     VisitFacts("focused_visit", date(2023, 1, 31), date(2023, 1, 31), None)),
    ("Monitoring visit of Sandwell children’s services between 30 December and 2 January 2020. Inspectors "
     "evaluated the progress made for children in care.",
     VisitFacts("monitoring_visit", date(2019, 12, 30), date(2020, 1, 2), "Children in care")),
    ("Assurance visit to Kent children’s services on 30 November to 2 December 2020. The visit looked at "
     "children in care.", VisitFacts("focused_visit", date(2020, 11, 30), date(2020, 12, 2), "Assurance visit")),
    ("Focused visit to York children’s services on 4 to 5 May 2022. Inspectors looked at the arrangements for "
     "achieving permanence for children in care.",
     VisitFacts("focused_visit", date(2022, 5, 4), date(2022, 5, 5), "Achieving permanence")),
    ("Joint targeted area inspection of the multi-agency response to children in need in Leeds on 12 to 16 May "
     "2019", VisitFacts("joint_targeted_area_inspection", date(2019, 5, 12), date(2019, 5, 16), None)),
    ("A letter about Barnet, visit on Wednesday 4 May. Nothing else.", VisitFacts(None, None, None, None)),
])
def test_a_letter_states_its_kind_dates_and_theme(text: str, expected: VisitFacts) -> None:
    assert visit_facts([text]) == expected


def test_a_letter_that_does_not_say_gives_none_rather_than_a_guess() -> None:
    facts = visit_facts(["Focused visit to Barnet children’s services. Inspectors looked at the quality of "
                         "practice. The visit on 31 Smarch 2022 went well."])
    assert facts == VisitFacts("focused_visit", None, None, None)


# --- the official import ------------------------------------------------------------------------

COVER = [["Local authority inspection outcomes as at 31 March 2024"], ["Section", "Detail"],
         ["Period covered:", "Inspections as at 31 March 2024, with a report published by 30 June 2024"]]
IN_YEAR_HEADER = ["Web link", "Local authority name", "Region", "Inspection/Visit date", "Inspection/Visit type",
                  "Overall effectiveness", "Visit Theme"]


def release(tmp_path: Path, rows: list[list[str | None]], name: str = "release.ods") -> Path:
    return write_ods(tmp_path / name, {
        "Cover": COVER,
        "Inspections_in_year_2023-24": [["Local authority in-year inspection activity 2023-24"], IN_YEAR_HEADER,
                                        *rows]})


MANCHESTER_VISITS = [
    ["Ofsted Local Authority Webpage", "Manchester", "North West", "2023-06-12", "LA Monitoring visit", None,
     "Children in care"],
    ["Ofsted Local Authority Webpage", "Manchester", "North West", "2024-01-22", "LA Monitoring visit", None,
     "Front door"],
    ["Ofsted Local Authority Webpage", "Kent", "South East", "2023-10-02", "ILACS Focused Visit", None,
     "Care leavers"],
]


def built(tmp_path: Path) -> Path:
    """Manchester's 2022 inspection and Kent's 2017 one, then a release listing three visits after them."""
    db = tmp_path / "lacs.db"
    build([reports(tmp_path)], db, workers=1)
    import_official([release(tmp_path, MANCHESTER_VISITS)], db)
    return db


def test_the_import_stores_each_visit_with_its_theme_and_source(tmp_path: Path) -> None:
    record = lacs.open(built(tmp_path))
    found = record.visits()
    assert [(v.council, v.kind, v.start, v.theme, v.source_label) for v in found] == [
        ("Manchester", "monitoring_visit", date(2023, 6, 12), "Children in care", "Ofsted official statistics"),
        ("Kent", "focused_visit", date(2023, 10, 2), "Care leavers", "Ofsted official statistics"),
        ("Manchester", "monitoring_visit", date(2024, 1, 22), "Front door", "Ofsted official statistics")]
    assert found[0].source_ref == "release 2024, sheet Inspections_in_year_2023-24, row 3"
    assert record.visits_reach() == (date(2023, 4, 1), date(2024, 3, 31))


def test_importing_a_release_again_replaces_its_visits_and_a_build_keeps_them(tmp_path: Path) -> None:
    db = built(tmp_path)
    import_official([release(tmp_path, MANCHESTER_VISITS[:1], "changed.ods")], db)
    assert [v.start for v in lacs.open(db).visits()] == [date(2023, 6, 12)]
    build([tmp_path / "reports"], db, workers=1)  # reconciles again: the official visits stay
    assert len(lacs.open(db).visits()) == 1


def test_a_schema_5_database_is_upgraded_with_its_visits_and_an_import_reads_their_themes(tmp_path: Path) -> None:
    db = built(tmp_path)
    with sqlite3.connect(db) as conn:  # as lacs before schema 6 left it
        for table in ("improvement_themes", "themes", "visits", "findings_fts", "findings"):  # schema 6's
            conn.execute(f"DROP TABLE {table}")
        conn.execute("PRAGMA user_version = 5")
    conn.close()
    record = lacs.open(db)  # upgraded in place
    assert check_lacs_database(db).ok and SCHEMA_VERSION == 6
    assert [(v.start, v.theme) for v in record.visits("E08000003")] == [(date(2023, 6, 12), None),
                                                                        (date(2024, 1, 22), None)]
    again = import_official([release(tmp_path, MANCHESTER_VISITS)], db)
    assert again.releases == ["2024"] and again.visits == 3
    assert [v.theme for v in lacs.open(db).visits("E08000003")] == ["Children in care", "Front door"]
    assert import_official([release(tmp_path, MANCHESTER_VISITS)], db).unchanged == ["2024"]


# --- letters from `lacs update` -----------------------------------------------------------------

def letter_site(text: str, published: date) -> list[FakeCouncil]:
    data = make_pdf([text.replace("’", "'")])  # Helvetica in latin-1: the plain apostrophe
    return [FakeCouncil(80429, "Birmingham", [FakePublication("monitoring visit", published, data,
                                                              file_id(data, 80429, 0))])]


def test_a_letter_from_update_is_a_visit_with_the_facts_its_text_states(tmp_path: Path) -> None:
    db = tmp_path / "lacs.db"
    with FakeSite(letter_site(MONITORING, date(2023, 3, 9))) as site:
        fetcher = Fetcher(delay=0)
        update(db, tmp_path / "cache", site.url, fetcher=fetcher, register=1)
        fetcher.close()
    (visit,) = lacs.open(db).visits()
    assert (visit.council, visit.kind, visit.start, visit.end, visit.published, visit.theme, visit.source) == (
        "Birmingham", "monitoring_visit", date(2023, 1, 31), date(2023, 2, 1), date(2023, 3, 9),
        "Children in need/subject to a plan", "letter")
    assert visit.url and visit.url.startswith(site.url)


def test_a_letter_and_a_table_row_of_one_visit_are_one_visit_the_letters_facts_first(tmp_path: Path) -> None:
    db = tmp_path / "lacs.db"
    conn = store.connect(db)
    store.create(conn)
    rows = [("E08000025", "monitoring_visit", "2023-01-31", None, None, "Children in care", "official",
             "release 2023, sheet LA_level_in_year_2022-23, row 9"),
            ("E08000025", "monitoring_visit", None, None, "2023-03-09", None, "letter", "https://x.test/letter"),
            ("E08000025", "monitoring_visit", "2023-06-01", None, None, "Front door", "official",
             "release 2024, sheet S, row 3")]
    conn.executemany("INSERT INTO visits (gss_code, kind, start_date, end_date, published, theme, source, "
                     "source_ref) VALUES (?,?,?,?,?,?,?,?)", rows)
    conn.close()
    found = lacs.open(db).visits()
    # the letter gives no first day, so it is matched by publication only if the row gives one: two visits
    # plus the letter, until the letter's date is known
    assert len(found) == 3
    conn = store.connect(db)
    conn.execute("UPDATE visits SET start_date = '2023-02-01' WHERE source = 'letter'")
    conn.close()
    one, later = lacs.open(db).visits()
    assert (one.source, one.start, one.published, one.theme, one.url) == (
        "letter", date(2023, 2, 1), date(2023, 3, 9), "Children in care", "https://x.test/letter")
    assert one.sources == ("https://x.test/letter", "release 2023, sheet LA_level_in_year_2022-23, row 9")
    assert later.theme == "Front door"


# --- the questions and the command ----------------------------------------------------------------

def test_visits_are_chosen_by_council_dates_and_kind(tmp_path: Path) -> None:
    record = lacs.open(built(tmp_path))
    assert [v.start for v in visits(record, "manchester", start=date(2024, 1, 1))] == [date(2024, 1, 22)]
    assert [v.council for v in visits(record, kind="focused_visit")] == ["Kent"]
    assert [v.start for v in visits_since(record, "E08000003", date(2023, 6, 12))] == [date(2024, 1, 22)]
    assert reach(record, "E08000003").holds(date(2023, 4, 1))
    with pytest.raises(BadQuestion, match="kind 'visit': accepted are focused_visit, monitoring_visit"):
        visits(record, kind="visit")
    with pytest.raises(BadQuestion, match="start 2024-01-01 is after end 2023-01-01"):
        visits(record, start=date(2024, 1, 1), end=date(2023, 1, 1))


def test_lacs_visits_prints_json_a_table_and_one_line_errors(tmp_path: Path) -> None:
    db = str(built(tmp_path))
    result = runner.invoke(app, ["visits", "--council", "manchester", "--json", "--db", db])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert [sorted(v) for v in data["visits"]][0] == sorted(
        ["council", "gss_code", "kind", "date", "start", "end", "published", "theme", "source", "source_ref", "url",
         "sources"])
    assert [(v["council"], v["kind"], v["date"], v["theme"]) for v in data["visits"]] == [
        ("Manchester", "monitoring_visit", "2023-06-12", "Children in care"),
        ("Manchester", "monitoring_visit", "2024-01-22", "Front door")]
    assert data["tables_cover"] == {"from": "2023-04-01", "to": "2024-03-31"}
    table = runner.invoke(app, ["visits", "--from", "2023-10-01", "--to", "2023-12-31", "--db", db])
    assert table.exit_code == 0 and "Kent" in table.stdout and "focused visit" in table.stdout
    assert "Manchester" not in table.stdout and "1 visit." in table.stdout
    bad = runner.invoke(app, ["visits", "--kind", "inspection", "--db", db])
    assert bad.exit_code == 2 and bad.stderr.strip() == (
        "error: --kind 'inspection': accepted are focused_visit, monitoring_visit, joint_targeted_area_inspection")


def test_the_story_says_the_visits_since_the_inspection_and_how_far_the_record_reaches(tmp_path: Path) -> None:
    record = lacs.open(built(tmp_path))
    fact = next(f for f in story(record, "manchester").facts if f.kind == "visits")
    # the inspection ended on 1 April 2022, before the tables' first day: "at least"
    assert fact.text == ("Since its last inspection Ofsted has made at least two monitoring visits (the latest on "
                         "22 January 2024); the record of visits runs from 1 April 2023 to 31 March 2024.")
    assert fact.text in story(record, "manchester").paragraphs[-1]
    kent = next(f for f in story(record, "kent").facts if f.kind == "visits")
    assert kent.text.startswith("Since its last inspection Ofsted has made at least one focused visit "
                                "(on 2 October 2023)")


def test_no_visit_after_the_inspection_is_no_sentence(tmp_path: Path) -> None:
    db = tmp_path / "lacs.db"
    build([reports(tmp_path)], db, workers=1)
    assert not [f for f in story(lacs.open(db), "manchester").facts if f.kind == "visits"]


# --- against Ofsted's own spreadsheets ----------------------------------------------------------

def spreadsheet_visits(folder: Path, first: date, last: date) -> dict[str, int]:
    """Focused and monitoring visits that Ofsted's in-year tables list with a date from first to last,
    counted from the cells themselves (each visit once, however many releases list it)."""
    from lacs.official.ods import read_ods

    words = {"ilacs focused visit": "focused_visit", "la monitoring visit": "monitoring_visit"}
    seen: set[tuple[str, str, str]] = set()
    for path in sorted(folder.glob("*.ods")):
        for sheet in read_ods(path).values():
            title = (sheet[0][0] or "") if sheet and sheet[0] else ""
            header = next((row for row in sheet[:10] if "Inspection/Visit type" in row), None)
            if header is None or not re.search(r"in[ -]year", title, re.IGNORECASE):
                continue
            name, day, kind = (header.index(c) for c in ("Local authority name", "Inspection/Visit date",
                                                         "Inspection/Visit type"))
            for row in sheet[sheet.index(header) + 1:]:
                if len(row) > kind and (row[kind] or "").strip().lower() in words and \
                        first <= date.fromisoformat(row[day][:10]) <= last:
                    seen.add((row[name], row[day][:10], words[row[kind].strip().lower()]))
    return {k: sum(1 for *_, kind in seen if kind == k) for k in words.values()}


def test_lacs_visits_lists_every_visit_of_ofsteds_in_year_tables(official: Path) -> None:
    from lacs.store.shipped import SHIPPED

    expected = spreadsheet_visits(official, date(2021, 4, 1), date(2025, 3, 31))
    result = runner.invoke(app, ["visits", "--from", "2021-04-01", "--to", "2025-03-31", "--json", "--db",
                                 str(SHIPPED)])
    assert result.exit_code == 0, result.output
    listed = json.loads(result.stdout)["visits"]
    got = {k: sum(1 for v in listed if v["kind"] == k) for k in expected}
    assert got == expected and expected["focused_visit"] > 150 and expected["monitoring_visit"] > 100
    assert all(v["theme"] for v in listed)


def test_the_shipped_record_tells_the_isles_of_scillys_two_monitoring_visits(shipped: lacs.Database) -> None:
    fact = next(f for f in story(shipped, "isles of scilly").facts if f.kind == "visits")
    assert fact.text == ("Since its last inspection Ofsted has made two monitoring visits (the latest on "
                         "11 February 2025); the record of visits runs from 1 April 2021 to 31 March 2025.")
    assert [v["theme"] for v in fact.data["visits"]] == ["Children in need/subject to a plan"] * 2


def test_a_council_page_lists_the_visits_of_ofsteds_tables_with_their_themes(shipped: lacs.Database) -> None:
    from fastapi.testclient import TestClient

    from lacs.web.app import create_app

    page = TestClient(create_app(shipped.path)).get("/councils/isles-of-scilly").text
    assert ("11 February 2025: monitoring visit (Children in need/subject to a plan), "
            "from Ofsted's in-year tables") in page
    assert "?" not in page.split("visits-title")[1].split("</section>")[0]


def test_with_letters_alone_the_story_says_how_far_the_letters_reach(tmp_path: Path) -> None:
    db = tmp_path / "lacs.db"
    build([reports(tmp_path)], db, workers=1)
    conn = store.connect(db)
    conn.execute("INSERT INTO visits (gss_code, kind, start_date, published, source, source_ref) VALUES "
                 "('E08000003', 'focused_visit', '2023-01-31', '2023-03-02', 'letter', 'https://x.test/a')")
    conn.close()
    fact = next(f for f in story(lacs.open(db), "manchester").facts if f.kind == "visits")
    assert fact.text == ("Since its last inspection Ofsted has made a focused visit (on 31 January 2023); the record "
                         "of visits (the letters fetched from Ofsted's site) reaches 2 March 2023.")
