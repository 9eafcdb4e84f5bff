"""Full-text search: the query language, filters, snippets, ranking, and clear errors."""

from __future__ import annotations

import sqlite3
from datetime import date
from pathlib import Path

import pytest

import lacs
from lacs.errors import BadQuery, NoPageText, UnknownCouncil
from lacs.questions.search import Hit, SearchScope, fts_query, search, search_scope
from lacs.store.build import build
from lacs.store.database import Database
from lacs.store.schema import connect, create
from lacs.store.shipped import SHIPPED
from lacs.store.writes import PublicationRow, add_findings
from samples import ILACS_2022, KENT, MANCHESTER, SIF, SIF_BODY, ascii_pdf

MANCHESTER_PAGES = [
    "Domestic abuse is the most common factor in assessments. Domestic abuse services are strong, "
    "and domestic abuse training reaches every team.",
    "Services for 16-17 year olds who are homeless are effective. Staff in children's homes know the children.",
    "Neglect is recognised early. Zebrafinch tracking of the abuse cases is thorough.",
]
KENT_PAGES = [
    "The local authority has a long and detailed strategy for children in need of help and protection, "
    "covering many services, partners and settings. Where there is abuse, workers act promptly, and the "
    "council commissions a domestic violence service that parents value; plans are reviewed with care.",
    "Protective factors are considered. Protectionism is not a word here. Neglect is well understood.",
]
LETTER = ("Focused visit to Kent County Council children's services. Inspectors looked at the response to "
          "domestic abuse at the front door.")


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> Database:
    tmp = tmp_path_factory.mktemp("search")
    folder = tmp / "reports"
    files = {MANCHESTER: [ILACS_2022, *MANCHESTER_PAGES], KENT: [SIF, "Summary.", SIF_BODY, *KENT_PAGES]}
    for name, pages in files.items():
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / name).write_bytes(ascii_pdf(*pages))
    letter = PublicationRow(url="https://example.test/kent-letter", urn=80476, gss_code="E10000016",
                            kind="focused_visit", site_published=date(2019, 5, 1), description="Focused visit",
                            path="letters/kent.pdf", sha256="f" * 64, pages=(LETTER,))
    build([folder], tmp / "lacs.db", workers=1, publications=[letter])
    return lacs.open(tmp / "lacs.db")


def where(hits: list[Hit]) -> list[tuple[str, str, int]]:
    return [(h.council, h.kind, h.page) for h in hits]


def test_plain_words_must_all_appear_in_any_order(db: Database) -> None:
    assert sorted(where(search(db, "abuse domestic"))) == [
        ("Kent", "focused_visit", 1), ("Kent", "report", 4), ("Manchester", "report", 2)]
    assert where(search(db, "zebrafinch neglect")) == [("Manchester", "report", 4)]


def test_a_quoted_phrase_needs_the_words_together(db: Database) -> None:
    assert sorted(where(search(db, '"domestic abuse"'))) == [("Kent", "focused_visit", 1), ("Manchester", "report", 2)]
    assert search(db, '"abuse domestic"') == []


def test_prefix(db: Database) -> None:
    assert {(h.council, h.page) for h in search(db, "protectionis*")} == {("Kent", 5)}
    assert ("Kent", 5) in {(h.council, h.page) for h in search(db, "protect*")}


def test_or_and_not(db: Database) -> None:
    assert sorted(where(search(db, "zebrafinch OR protectionism"))) == [
        ("Kent", "report", 5), ("Manchester", "report", 4)]
    assert where(search(db, "neglect NOT protectionism")) == [("Manchester", "report", 4)]
    assert where(search(db, "neglect AND zebrafinch")) == [("Manchester", "report", 4)]
    assert sorted(where(search(db, "(zebrafinch OR protectionism) AND neglect"))) == [
        ("Kent", "report", 5), ("Manchester", "report", 4)]


def test_council_filter_takes_any_name_or_code(db: Database) -> None:
    assert {h.council for h in search(db, "domestic abuse", council="kent")} == {"Kent"}
    assert {h.council for h in search(db, "domestic abuse", council="E08000003")} == {"Manchester"}
    assert search(db, "domestic abuse", council="Birmingham") == []
    with pytest.raises(UnknownCouncil):
        search(db, "abuse", council="Kentt")


def test_date_filter_uses_the_inspection_end_or_the_letter_date(db: Database) -> None:
    assert where(search(db, "domestic abuse", start=date(2019, 1, 1), end=date(2019, 12, 31))) == [
        ("Kent", "focused_visit", 1)]
    assert where(search(db, "domestic abuse", end=date(2018, 1, 1))) == [("Kent", "report", 4)]
    assert where(search(db, "domestic abuse", start=date(2022, 4, 1))) == [("Manchester", "report", 2)]


def test_hits_carry_the_inspection_and_a_marked_snippet(db: Database) -> None:
    [hit] = search(db, "zebrafinch")
    assert (hit.council, hit.urn, hit.framework, hit.start, hit.end, hit.kind, hit.page, hit.path) == (
        "Manchester", 80521, "ilacs", date(2022, 3, 21), date(2022, 4, 1), "report", 4, MANCHESTER)
    assert "[Zebrafinch]" in hit.snippet and "\n" not in hit.snippet
    [letter] = search(db, "front door")
    assert (letter.kind, letter.framework, letter.end, letter.published, letter.path) == (
        "focused_visit", None, None, date(2019, 5, 1), "letters/kent.pdf")
    assert "[front] [door]" in letter.snippet
    assert hit.to_json()["end"] == "2022-04-01" and hit.to_json()["snippet"] == hit.snippet


def test_a_page_full_of_the_words_ranks_above_a_passing_mention(db: Database) -> None:
    hits = search(db, "domestic abuse")
    assert where(hits)[0] == ("Manchester", "report", 2)
    assert where(hits)[-1] == ("Kent", "report", 4)
    assert [h.rank for h in hits] == sorted(h.rank for h in hits)
    assert len(search(db, "domestic abuse", limit=1)) == 1


def test_punctuation_is_searched_not_parsed(db: Database) -> None:
    assert where(search(db, "16-17 year olds")) == [("Manchester", "report", 3)]
    assert ("Manchester", "report", 3) in where(search(db, "children's homes"))
    assert where(search(db, '"16-17 year olds" homeless')) == [("Manchester", "report", 3)]
    assert where(search(db, "zebrafinch & - tracking")) == [("Manchester", "report", 4)]
    assert fts_query("children's 16-17 or") == '"children\'s" "16-17" "or"'


@pytest.mark.parametrize("text, reason", [
    ('"unclosed', "quote is not closed"), ("AND", "no word"), ("*", "* must end a word"),
    ("NEAR(", "NEAR"), ("neglect OR", "OR needs a term"), ("NOT abuse", "NOT needs a term"),
    ("(abuse", "( is not closed"), ("abuse)", ")"), ("", "empty"), ("   ", "empty"), ("- &", "no word"),
    ("abuse ()", "could not read"),
])
def test_malformed_queries_say_what_is_wrong_in_one_line(db: Database, text: str, reason: str) -> None:
    with pytest.raises(BadQuery) as caught:
        search(db, text)
    message = str(caught.value)
    assert reason in message and "\n" not in message and "quoted phrases" in message
    assert not isinstance(caught.value.__cause__, sqlite3.Error)


def test_limit_must_be_positive(db: Database) -> None:
    with pytest.raises(BadQuery, match="limit"):
        search(db, "abuse", limit=0)


def test_the_shipped_record_is_searched_at_once_in_what_inspectors_said() -> None:
    """Straight after install (the shipped record, no page text): each report's summary and the
    points it says must improve are searched, and the answer says so."""
    for db in (Database(SHIPPED, shipped=True), lacs.open(SHIPPED)):
        hits = search(db, "domestic abuse")
        assert len(hits) == 20 and [h.rank for h in hits] == sorted(h.rank for h in hits)
        assert {h.found_in for h in hits} <= {"summary", "improvement", "lscb_improvement"}
        assert all(h.page is None and h.position and h.kind == "report" and h.path for h in hits)
        assert all("[domestic] [abuse]" in h.snippet.lower() or "[domestic abuse]" in h.snippet.lower()
                   for h in hits)
        scope = search_scope(db)
        assert scope.searched == ("summaries", "improvements") and scope.page_files == 0
        assert scope.sentence().startswith(
            "searched what inspectors said must improve and each report's summary of its findings (")
        assert scope.sentence().endswith("the full text of every page is searched after `lacs build` or "
                                         "`lacs update`")
        assert hits[0].to_json()["searched"] == ["summaries", "improvements"]
        assert {"council", "page", "snippet", "rank", "path", "found_in", "position"} <= set(hits[0].to_json())
    [blackpool] = search(Database(SHIPPED, shipped=True), '"chronic neglect for long periods"', council="blackpool")
    assert (blackpool.found_in, blackpool.position, blackpool.where) == ("summary", 1, "the report's summary")
    improvement = search(Database(SHIPPED, shipped=True), '"personal education plans"', limit=50)
    assert "what needs to improve, point" in {h.where.rsplit(" ", 1)[0] for h in improvement}


def test_findings_are_searched_only_where_an_inspections_pages_are_not(tmp_path: Path) -> None:
    """A record of built reports and of inspections without their pages (as a user's, seeded
    with the shipped record, is after `lacs update`): the pages where they are stored, the
    findings elsewhere, never both for one inspection."""
    folder = tmp_path / "reports"
    (folder / MANCHESTER).parent.mkdir(parents=True)
    (folder / MANCHESTER).write_bytes(ascii_pdf(ILACS_2022, *MANCHESTER_PAGES))
    db_path = tmp_path / "lacs.db"
    build([folder], db_path, workers=1)
    conn = connect(db_path)
    conn.execute("INSERT INTO inspections (id, gss_code, framework, end_date) "
                 "VALUES (900, 'E08000025', 'ilacs', '2023-02-10')")
    add_findings(conn, 900, ["Zebrafinch counts are kept in Birmingham."], ["The response to zebrafinch."], [])
    conn.close()
    db = lacs.open(db_path)
    assert sorted((h.council, h.found_in, h.where) for h in search(db, "zebrafinch")) == [
        ("Birmingham", "improvement", "what needs to improve, point 1"),
        ("Birmingham", "summary", "the report's summary"),
        ("Manchester", "page", "page 4")]
    assert [h.where for h in search(db, "progress leaders")] == ["page 1"], "Manchester's summary: on its page"
    assert search(db, "zebrafinch", council="birmingham", end=date(2023, 1, 1)) == []
    assert search_scope(db).sentence() == (
        "searched every page of 1 report or letter stored, and, where an inspection's pages are not stored, "
        "what inspectors said must improve and each report's summary of its findings (1 inspection)")


def test_the_sentence_says_how_much_of_each_text_was_searched() -> None:
    assert SearchScope(0, 493, 493).sentence() == (
        "searched what inspectors said must improve and each report's summary of its findings (493 inspections); "
        "the full text of every page is searched after `lacs build` or `lacs update`")
    assert SearchScope(0, 493, 0).searched == ("improvements",)
    assert SearchScope(0, 493, 0).sentence().startswith("searched what inspectors said must improve (493 inspections);")
    assert "(2 inspections; 1 with a summary)" in SearchScope(5, 2, 1).sentence()
    assert SearchScope(5, 0, 0).sentence() == "searched every page of 5 reports and letters stored"
    assert SearchScope(0, 0, 0).searched == ()


def test_a_record_with_no_text_at_all_says_so(tmp_path: Path) -> None:
    conn = connect(tmp_path / "lacs.db")
    create(conn)
    conn.close()
    with pytest.raises(NoPageText, match="no text to search.*lacs build FOLDER"):
        search(lacs.open(tmp_path / "lacs.db"), "domestic abuse")


@pytest.fixture(scope="module")
def corpus_db(corpus: Path, tmp_path_factory: pytest.TempPathFactory) -> Database:
    path = tmp_path_factory.mktemp("corpus") / "lacs.db"
    build([corpus], path)
    return lacs.open(path)


def test_domestic_abuse_across_the_corpus(corpus_db: Database) -> None:
    hits = search(corpus_db, "domestic abuse", limit=300)
    assert len({h.council for h in hits}) >= 50
    assert [h.rank for h in hits] == sorted(h.rank for h in hits)
    for hit in hits:
        [(text,)] = corpus_db.conn.execute(
            "SELECT p.text FROM pages p JOIN reports r USING (sha256) WHERE r.path = ? AND p.page = ?",
            (hit.path, hit.page)).fetchall()
        assert "domestic" in text.lower() and "abuse" in text.lower(), (hit.path, hit.page)
        assert "[" in hit.snippet
    assert len({(h.path, h.page) for h in hits}) == len(hits)
    kent = search(corpus_db, '"domestic abuse"', council="kent", start=date(2015, 1, 1))
    assert kent and all(h.council == "Kent" and h.end and h.end >= date(2015, 1, 1) for h in kent)


def test_a_search_with_a_control_character_is_a_bad_query_not_a_server_error() -> None:
    """Found by the API's schema test: a NUL in the query made FTS5 fail (500)."""
    import pytest
    from fastapi.testclient import TestClient

    from lacs.errors import BadQuery
    from lacs.questions.search import fts_query
    from lacs.store.shipped import shipped_path
    from lacs.web.app import create_app

    with pytest.raises(BadQuery, match="control character"):
        fts_query("Ù\x00À")
    answer = TestClient(create_app(shipped_path())).get("/api/v1/search", params={"q": "Ù\x00À\x8c"})
    assert answer.status_code == 422 and "control character" in answer.text
