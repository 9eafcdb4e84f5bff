"""The shipped dataset: what a build of the corpus gives, compact and canonical, opened when nothing is built."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

import lacs
from lacs.store.build import build
from lacs.store.reconcile import import_official
from lacs.store.shipped import SHIPPED, open_shipped, table_rows, write_compact
from samples import reports


def rows(db: Path) -> dict[str, list[tuple]]:
    with sqlite3.connect(db) as conn:
        return table_rows(conn)


def test_building_the_corpus_reproduces_the_shipped_dataset(tmp_path: Path, corpus: Path, official: Path) -> None:
    build([corpus], tmp_path / "built.db")
    import_official(sorted(official.glob("*.ods")), tmp_path / "built.db")
    compact = write_compact(tmp_path / "built.db", tmp_path / "compact.db")
    with open_shipped() as shipped:
        expected = table_rows(shipped)
    got = rows(compact)
    for table in expected:
        assert got[table] == expected[table], f"{table} differs from the shipped dataset: run scripts/make_dataset.py"


def test_the_compact_copy_has_no_page_text_and_does_not_depend_on_reading_order(tmp_path: Path) -> None:
    folder = reports(tmp_path)
    build([folder], tmp_path / "a.db", workers=1)
    build([folder], tmp_path / "b.db", workers=1)
    with sqlite3.connect(tmp_path / "b.db") as conn:
        conn.execute("UPDATE inspections SET id = 103 - id")  # the same record, numbered the other way round
        for table in ("reports", "judgements", "improvements", "improvement_themes", "findings"):
            conn.execute(f"UPDATE {table} SET inspection_id = 103 - inspection_id")
    a = rows(write_compact(tmp_path / "a.db", tmp_path / "a-compact.db"))
    b = rows(write_compact(tmp_path / "b.db", tmp_path / "b-compact.db"))
    assert a == b
    assert a["pages"] == [] and len(a["inspections"]) == 2
    assert [row[0] for row in a["inspections"]] == [1, 2]


def test_the_shipped_dataset_holds_every_current_council_and_opens_read_only() -> None:
    with open_shipped() as conn:
        assert conn.execute("SELECT count(*) FROM councils WHERE end_date IS NULL").fetchone() == (153,)
        assert conn.execute("SELECT count(DISTINCT gss_code) FROM inspections WHERE source = 'report'"
                            ).fetchone() == (153,)
        # The former councils' record comes from Ofsted's official statistics.
        assert conn.execute("SELECT count(DISTINCT gss_code) FROM inspections").fetchone() == (158,)
        with pytest.raises(sqlite3.OperationalError):
            conn.execute("DELETE FROM councils")


def test_open_falls_back_to_the_shipped_dataset(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("LACS_DB", raising=False)
    monkeypatch.setattr("lacs.store.database.default_db_path", lambda: tmp_path / "not-built.db")
    db = lacs.open()
    assert db.shipped and db.path == SHIPPED
    assert [i.framework for i in db.inspections(council="Manchester")][-1] == "ilacs"


def test_open_prefers_the_built_database(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("LACS_DB", raising=False)
    build([reports(tmp_path)], tmp_path / "lacs.db", workers=1)
    monkeypatch.setattr("lacs.store.database.default_db_path", lambda: tmp_path / "lacs.db")
    db = lacs.open()
    assert not db.shipped and len(db.inspections()) == 2


def test_an_explicit_path_that_is_missing_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(lacs.NoDatabase, match="no lacs database here"):
        lacs.open(tmp_path / "nothing.db")


def test_every_inspection_falls_within_its_councils_life() -> None:
    """A county that became unitary under a new code (North Yorkshire, Somerset) was the same
    children's services authority before: the register must not start it at the new code."""
    db = lacs.open(SHIPPED)
    councils = {c.gss_code: c for c in db.councils()}
    for i in db.inspections(improvements=False):
        council = councils[i.gss_code]
        day = i.placed_on.isoformat()
        assert not council.start or council.start <= day, (council.name, council.start, i.placed_on)
        assert not council.end or day < council.end, (council.name, council.end, i.placed_on)


def test_the_package_carries_the_record_without_its_search_index_and_unpacking_makes_it(tmp_path: Path) -> None:
    import gzip

    from lacs.store.shipped import PACKED

    assert PACKED.stat().st_size < 2_000_000, "the package's dataset stays small: derivable parts are made on unpacking"
    bare = tmp_path / "bare.db"
    bare.write_bytes(gzip.decompress(PACKED.read_bytes()))
    query = "SELECT count(*) FROM findings_fts WHERE findings_fts MATCH 'abuse'"
    with sqlite3.connect(bare) as conn:
        assert conn.execute("SELECT count(*) FROM findings").fetchone()[0] > 4000
        assert conn.execute(query).fetchone() == (0,)
    with open_shipped() as conn:
        assert conn.execute(query).fetchone()[0] > 0
