"""The store's file handling: the one check that a file is a lacs database of this version,
every table's column list, and nothing unpacked or hashed when lacs is imported."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

import lacs
from lacs.store.schema import (
    APPLICATION_ID,
    COLUMNS,
    SCHEMA_VERSION,
    Verdict,
    check_lacs_database,
    connect,
    create,
)


def lacs_database(path: Path) -> Path:
    conn = connect(path)
    create(conn)
    conn.close()
    return path


def test_a_new_database_is_a_lacs_database_of_this_version(tmp_path: Path) -> None:
    check = check_lacs_database(lacs_database(tmp_path / "lacs.db"))
    assert check.ok and check.verdict is Verdict.CURRENT and check.detail == ""


def test_each_kind_of_file_that_is_not_one_is_told_apart(tmp_path: Path) -> None:
    (tmp_path / "notes.txt").write_text("hello, not a database\n" * 20)
    with sqlite3.connect(tmp_path / "other.db") as conn:
        conn.execute("CREATE TABLE things (name TEXT)")
    older = lacs_database(tmp_path / "older.db")
    with sqlite3.connect(older) as conn:
        conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION - 1}")
    changed = lacs_database(tmp_path / "changed.db")
    with sqlite3.connect(changed) as conn:
        conn.execute("ALTER TABLE inspections ADD COLUMN extra TEXT")
    newer = lacs_database(tmp_path / "newer.db")
    with sqlite3.connect(newer) as conn:
        conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    foreign = lacs_database(tmp_path / "foreign.db")
    with sqlite3.connect(foreign) as conn:
        conn.execute("PRAGMA application_id = 1234")
    (tmp_path / "folder").mkdir()
    (tmp_path / "empty.db").write_bytes(b"")
    found = {name: check_lacs_database(tmp_path / name) for name in
             ("missing.db", "notes.txt", "other.db", "older.db", "changed.db", "newer.db", "foreign.db", "folder",
              "empty.db")}
    found["/dev/null"] = check_lacs_database("/dev/null")
    assert {name: check.verdict for name, check in found.items()} == {
        "missing.db": Verdict.MISSING, "notes.txt": Verdict.NOT_SQLITE, "other.db": Verdict.NOT_LACS,
        "older.db": Verdict.OTHER_VERSION, "changed.db": Verdict.DAMAGED, "newer.db": Verdict.NEWER,
        "foreign.db": Verdict.NOT_LACS, "folder": Verdict.NOT_FILE, "empty.db": Verdict.NOT_SQLITE,
        "/dev/null": Verdict.NOT_FILE}
    assert not any(check.ok for check in found.values())
    assert f"schema {SCHEMA_VERSION - 1}" in found["older.db"].detail and "inspections" in found["changed.db"].detail
    assert "made by a newer lacs" in found["newer.db"].detail


def test_every_new_database_carries_the_lacs_application_id(tmp_path: Path) -> None:
    with sqlite3.connect(lacs_database(tmp_path / "lacs.db")) as conn:
        assert conn.execute("PRAGMA application_id").fetchone() == (APPLICATION_ID,)


def test_opening_a_file_that_is_not_one_says_what_it_is(tmp_path: Path) -> None:
    (tmp_path / "notes.txt").write_text("hello")
    with sqlite3.connect(tmp_path / "other.db") as conn:
        conn.execute("CREATE TABLE things (name TEXT)")
    with pytest.raises(lacs.NoDatabase, match="no lacs database here"):
        lacs.open(tmp_path / "missing.db")
    with pytest.raises(lacs.LacsError, match="not a lacs database .*not a SQLite database"):
        lacs.open(tmp_path / "notes.txt")
    with pytest.raises(lacs.LacsError, match="not a lacs database .*another program"):
        lacs.open(tmp_path / "other.db")


def test_the_column_lists_are_the_schemas(tmp_path: Path) -> None:
    with sqlite3.connect(lacs_database(tmp_path / "lacs.db")) as conn:
        tables = {name for (name,) in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table' "
                                                   "AND name NOT LIKE '%\\_fts%' ESCAPE '\\' "
                                                   "AND name != 'sqlite_sequence'")}
        assert tables == set(COLUMNS)
        for table, columns in COLUMNS.items():
            assert tuple(row[1] for row in conn.execute(f"PRAGMA table_info({table})")) == columns, table


def test_nothing_is_unpacked_at_import(tmp_path: Path) -> None:
    """Importing the reader and the CLI, and `lacs --version`, leave the cache folders empty;
    asking for the shipped dataset fills one (so the folders watched are the ones used)."""
    env = {**os.environ, "XDG_CACHE_HOME": str(tmp_path / "cache"), "TMPDIR": str(tmp_path / "tmp")}
    env.pop("LACS_DB", None)
    (tmp_path / "tmp").mkdir()

    def run(code: str) -> None:
        subprocess.run([sys.executable, "-c", code], env=env, check=True, capture_output=True, timeout=120)

    def files_made() -> list[Path]:
        return [p for p in tmp_path.rglob("*") if p.is_file()]

    run("import lacs.store.database, lacs.store.build, lacs.cli.app, lacs.web.app")
    subprocess.run([sys.executable, "-m", "lacs", "--version"], env=env, check=True, capture_output=True,
                   timeout=120)
    assert files_made() == []
    run("from lacs.store.shipped import shipped_path; assert shipped_path().is_file()")
    assert sorted(p.suffix for p in files_made()) == [".db", ".sha256"]
    assert not (tmp_path / "tmp" / "lacs").exists(), "never the shared temporary folder"


def test_every_write_is_logged_in_the_database_and_freshness_reads_it(tmp_path: Path) -> None:
    from lacs.store.build import build
    from samples import reports

    db = tmp_path / "lacs.db"
    build([reports(tmp_path)], db, workers=1)
    with sqlite3.connect(db) as conn:
        logged = conn.execute("SELECT how, lacs_version FROM writes").fetchall()
    assert logged == [("build", lacs.__version__)]
    copied = tmp_path / "copied.db"
    copied.write_bytes(db.read_bytes())  # a copy keeps the record's own date, not the file's
    os.utime(copied, (0, 0))
    fresh = lacs.open(copied).freshness()
    assert fresh.written_how == "build" and fresh.written_at is not None and fresh.written_at.year > 1970
    assert fresh.latest_published is not None and str(fresh.latest_published) in fresh.sentence()
    assert f"; built on {fresh.written_at.date()} by lacs {lacs.__version__}." in fresh.sentence()


def test_the_shipped_dataset_says_when_it_was_made() -> None:
    from lacs.store.database import Database
    from lacs.store.shipped import shipped_path

    fresh = Database(shipped_path(), shipped=True).freshness()
    assert fresh.shipped and fresh.written_how == "dataset" and fresh.written_at is not None
    assert "the dataset shipped with lacs" in fresh.sentence() and "None" not in fresh.sentence()
