"""Schema 6: every foreign key names the column it refers to, and `findings` (each report's own
summary and the points it says must improve) with a full-text index kept in step by triggers;
a database of schema 5 is rebuilt to it keeping every row."""

from __future__ import annotations

import re
import shutil
import sqlite3
from pathlib import Path

import pytest

import lacs
from lacs.questions.search import search
from lacs.store import schema
from lacs.store.build import build
from lacs.store.schema import COLUMNS, FINDINGS, SCHEMA, connect, create
from lacs.store.shipped import ORDER, shipped_path, table_rows
from samples import reports

# Schema 5 as it was: the same tables, REFERENCES clauses naming no column, no findings.
SCHEMA_6_TABLES = ("findings", "visits", "themes", "improvement_themes")


def _schema_5() -> str:
    """SCHEMA as schema 5 had it: no findings, visits or themes, and references naming no column."""
    text = SCHEMA.replace(FINDINGS, "")
    start = text.index("CREATE TABLE visits")
    text = text[:start] + text[text.index(");\n", start) + 3:]
    start = text.index("CREATE TABLE themes")
    text = text[:start] + text[text.index(") WITHOUT ROWID;", start) + len(") WITHOUT ROWID;"):]
    return re.sub(r"(REFERENCES \w+) \(\w+\)", r"\1", text)


SCHEMA_5 = _schema_5()


def foreign_keys(conn: sqlite3.Connection) -> dict[str, list[tuple[str, str, str | None]]]:
    """table -> (column, the table it refers to, the column it refers to) of each foreign key."""
    tables = [name for (name,) in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
    return {table: [(row[3], row[2], row[4]) for row in conn.execute(f"PRAGMA foreign_key_list({table})")]
            for table in tables}


def test_every_foreign_key_names_the_column_it_refers_to(tmp_path: Path) -> None:
    conn = connect(tmp_path / "lacs.db")
    create(conn)
    found = foreign_keys(conn)
    assert all(to for keys in found.values() for _, _, to in keys), found
    assert ("inspection_id", "inspections", "id") in found["findings"]
    assert ("gss_code", "councils", "gss_code") in found["inspections"]
    assert ("release", "official_releases", "release") in found["official_rows"]


def test_the_shipped_dataset_keeps_its_foreign_keys_and_its_findings(tmp_path: Path) -> None:
    copy = tmp_path / "lacs.db"
    shutil.copyfile(shipped_path(), copy)  # FTS5's integrity check writes
    conn = sqlite3.connect(copy)
    assert conn.execute("PRAGMA foreign_key_check").fetchall() == []
    assert all(to for keys in foreign_keys(conn).values() for _, _, to in keys)
    kinds = dict(conn.execute("SELECT kind, count(*) FROM findings GROUP BY kind").fetchall())
    assert kinds["improvement"] + kinds["lscb_improvement"] == conn.execute(
        "SELECT count(*) FROM improvements").fetchone()[0]
    summarised = conn.execute("SELECT count(DISTINCT inspection_id) FROM findings WHERE kind = 'summary'").fetchone()[0]
    read = conn.execute("SELECT count(DISTINCT inspection_id) FROM reports WHERE status = 'ok'").fetchone()[0]
    assert summarised >= read * 0.95
    conn.execute("INSERT INTO findings_fts (findings_fts) VALUES ('integrity-check')")  # raises if out of step


def test_the_full_text_index_follows_the_findings_as_reports_come_and_go(tmp_path: Path) -> None:
    db = tmp_path / "lacs.db"
    folder = reports(tmp_path)
    build([folder], db, workers=1)
    conn = connect(db)
    assert conn.execute("SELECT kind, text FROM findings WHERE kind = 'summary'").fetchall() == [
        ("summary", "Leaders have made progress.")]
    assert conn.execute("SELECT count(*) FROM findings_fts WHERE findings_fts MATCH 'disabled'").fetchone() == (1,)
    conn.close()
    next(folder.rglob("*manchester*/*.pdf")).unlink()
    build([folder], db, workers=1)
    conn = connect(db)
    assert conn.execute("SELECT count(*) FROM findings_fts WHERE findings_fts MATCH 'disabled'").fetchone() == (0,)
    assert conn.execute("SELECT count(*) FROM findings_fts WHERE findings_fts MATCH 'specific'").fetchone() == (1,)
    conn.execute("INSERT INTO findings_fts (findings_fts) VALUES ('integrity-check')")


def as_schema_5(built: Path, out: Path) -> Path:
    """A database made with schema 5's own statements, holding every row of `built`."""
    conn = sqlite3.connect(out)
    conn.executescript(SCHEMA_5)
    conn.execute("PRAGMA user_version = 5")
    conn.execute(f"PRAGMA application_id = {schema.APPLICATION_ID}")
    conn.execute("ATTACH DATABASE ? AS built", (str(built),))
    for table in COLUMNS:
        if table not in SCHEMA_6_TABLES:
            conn.execute(f"INSERT INTO {table} SELECT * FROM built.{table}")
    conn.execute("INSERT INTO pages_fts (rowid, text) SELECT id, text FROM pages")
    conn.execute("UPDATE reports SET extractor_version = '2'")  # read by schema 5's lacs
    conn.commit()
    conn.execute("DETACH DATABASE built")
    conn.close()
    return out


def test_a_schema_5_database_is_rebuilt_with_named_foreign_keys_keeping_every_row(tmp_path: Path) -> None:
    built = tmp_path / "built.db"
    build([reports(tmp_path)], built, workers=1)
    with sqlite3.connect(built) as conn:
        conn.execute("INSERT INTO official_releases (release, sha256) VALUES ('2024', 'x')")
        conn.execute("INSERT INTO official_rows (release, sheet, row, part, tbl, gss_code, graded, judgements, "
                     "inspection_id) VALUES ('2024', 's', 7, '', 'latest', 'E08000003', 1, '{}', 1)")
        conn.execute("INSERT INTO publications (url, gss_code, kind) VALUES ('https://example/x', 'E10000016', "
                     "'focused_visit')")
    old = as_schema_5(built, tmp_path / "lacs.db")
    with sqlite3.connect(old) as conn:
        assert {to for keys in foreign_keys(conn).values() for _, _, to in keys} == {None}, "as schema 5 had them"
        before = {table: conn.execute(f"SELECT * FROM {table} ORDER BY {order}").fetchall()
                  for table, order in ORDER.items() if table not in SCHEMA_6_TABLES}
        points = conn.execute("SELECT * FROM improvements ORDER BY inspection_id, list, position").fetchall()
    assert schema.check_lacs_database(old).migratable
    db = lacs.open(old)  # reading migrates it, in place
    assert schema.check_lacs_database(old).ok
    with sqlite3.connect(old) as conn:
        assert all(to for keys in foreign_keys(conn).values() for _, _, to in keys)
        assert conn.execute("PRAGMA foreign_key_check").fetchall() == []
        assert {table: rows for table, rows in table_rows(conn).items() if table not in SCHEMA_6_TABLES} == before
        assert conn.execute("SELECT name FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL "
                            "ORDER BY name").fetchall() == [("inspections_dates",), ("reports_sha256",)]
        found = conn.execute("SELECT inspection_id, kind, position, text FROM findings ORDER BY 1, 2, 3").fetchall()
        assert found == [(i, "improvement" if lst == "council" else "lscb_improvement", n, text)
                         for i, lst, n, text in points]
        conn.execute("INSERT INTO findings_fts (findings_fts) VALUES ('integrity-check')")
        assert conn.execute("SELECT how FROM writes").fetchall()[-1] == ("upgrade",)
    assert [h.where for h in search(db, "disabled")] == ["page 1"], "its findings: on its pages"
    assert build([reports(tmp_path)], old, workers=1).read == 3, "read again: the extractor gives summaries now"
    with sqlite3.connect(old) as conn:
        assert conn.execute("SELECT count(*) FROM findings WHERE kind = 'summary'").fetchone() == (1,)


def test_a_schema_5_database_with_a_broken_reference_is_left_as_it_was(tmp_path: Path) -> None:
    """The rebuild checks every reference before it commits: a row that refers to nothing stops
    it in one line, and the file is not changed."""
    built = tmp_path / "built.db"
    build([reports(tmp_path)], built, workers=1)
    old = as_schema_5(built, tmp_path / "lacs.db")
    with sqlite3.connect(old) as conn:  # foreign keys off: as a file another tool wrote might be
        conn.execute("INSERT INTO judgements VALUES (999, 'leadership', 'good')")
    before = old.read_bytes()
    with pytest.raises(lacs.LacsError, match="could not write the database .*rows refer to rows that are not there"):
        lacs.open(old)
    assert old.read_bytes() == before
