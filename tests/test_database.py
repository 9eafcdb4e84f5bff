"""The read API: lacs.open(), councils by any code or name, inspections with predecessors marked."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

import lacs
from lacs.domain.councils import load_councils, resolve_council
from lacs.errors import AmbiguousCouncil, UnknownCouncil
from lacs.store.build import build
from samples import ILACS_2022, ILACS_2026, ascii_pdf

FORMER = (
    ILACS_2022.replace("Manchester local authority", "Northamptonshire local authority")
    .replace("21 March to 1 April 2022", "5 to 16 November 2019")
    .replace("Overall effectiveness Good", "Overall effectiveness Inadequate")
)


@pytest.fixture
def db(tmp_path: Path) -> lacs.Database:
    folder = tmp_path / "reports"
    files = {
        "80521_manchester/a - 19 may 2022.pdf": ILACS_2022,
        "121939_northamptonshire/b - 20 january 2020.pdf": FORMER,
        "2637539_north northamptonshire/c - 7 july 2026.pdf": ILACS_2026,
    }
    for name, text in files.items():
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / name).write_bytes(ascii_pdf(text))
    build([folder], tmp_path / "lacs.db", workers=1)
    return lacs.open(tmp_path / "lacs.db")


def test_every_council_resolves_by_urn_dfe_gss_and_name() -> None:
    for council in load_councils():
        for key in (council.dfe_code, council.gss_code, council.name, str(council.urn) if council.urn else None):
            if key:
                assert resolve_council(key) == council, key


def test_misspelt_name_gets_a_suggestion() -> None:
    with pytest.raises(UnknownCouncil, match="did you mean 'Manchester'") as caught:
        resolve_council("Manchster")
    assert caught.value.suggestions[0] == "Manchester"


def test_ambiguous_name_lists_the_candidates() -> None:
    with pytest.raises(AmbiguousCouncil) as caught:
        resolve_council("North")
    assert {"North Tyneside", "North Somerset"} <= {c.name for c in caught.value.candidates}


def test_inspections_of_one_council(db: lacs.Database) -> None:
    (inspection,) = db.inspections(council="manchester")
    assert inspection.council == "Manchester" and inspection.framework == "ilacs"
    assert inspection.judgements["overall_effectiveness"] is lacs.Grade.GOOD
    assert (str(inspection.published), inspection.published_source) == ("2022-05-19", "file_name")
    assert len(inspection.improvements) == 2 and not inspection.predecessor


def test_a_successor_shows_its_predecessors_inspections_marked(db: lacs.Database) -> None:
    rows = db.inspections(council="North Northamptonshire")
    assert [(i.council, i.predecessor) for i in rows] == [("Northamptonshire", True), ("North Northamptonshire", False)]
    assert [i.council for i in db.inspections(council="North Northamptonshire", with_predecessors=False)] == [
        "North Northamptonshire"]


def test_filters(db: lacs.Database) -> None:
    assert len(db.inspections()) == 3
    assert [i.framework for i in db.inspections(framework="ilacs_2026")] == ["ilacs_2026"]


def test_no_database_yet(tmp_path: Path) -> None:
    with pytest.raises(lacs.NoDatabase, match="run `lacs build FOLDER` first"):
        lacs.open(tmp_path / "none.db")


def test_a_review_of_the_board_alone_carries_the_boards_recommendations(shipped):
    """Surrey's LSCB review (published August 2015) was a report of its own with 8 recommendations."""
    from lacs.domain.frameworks import REVIEW_KINDS
    reviews = [i for i in shipped.inspections(council="surrey") if i.kind in REVIEW_KINDS]
    assert [(i.published, len(i.improvements)) for i in reviews] == [(date(2015, 8, 3), 8)]
