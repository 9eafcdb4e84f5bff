"""The shipped SQLite file read whole by the real datasette, opened immutable with lacs's
metadata.json: every table's page answers without error (foreign keys datasette can follow),
the metadata names the licence, and every column of the schema is described.

Datasette runs in this process (its own ASGI test client) or as `datasette --get`: no network."""

from __future__ import annotations

import asyncio
import json
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from lacs.store.metadata import LICENSE, LICENSE_URL, TABLES, datasette_metadata
from lacs.store.schema import COLUMNS
from lacs.store.shipped import shipped_path


def test_every_table_and_column_of_the_schema_is_described_and_none_else() -> None:
    assert set(TABLES) == set(COLUMNS)
    for table, (description, columns) in TABLES.items():
        assert description.strip(), table
        assert set(columns) == set(COLUMNS[table]), f"{table}: describe each column, and only the schema's"
        assert all(text.strip() for text in columns.values()), table
    tables = datasette_metadata()["databases"]["lacs"]["tables"]  # type: ignore[index]
    assert list(tables["inspections"]["columns"]) == list(COLUMNS["inspections"])


def test_the_metadata_names_the_licence_and_the_source() -> None:
    meta = datasette_metadata()
    assert meta["license"] == LICENSE == "OGL-UK-3.0" and meta["license_url"] == LICENSE_URL
    assert "Open Government Licence v3.0" in str(meta["description"])
    assert meta["source"] and str(meta["source_url"]).startswith("https://")
    assert json.loads(json.dumps(meta)) == meta  # a JSON file as it is


@pytest.fixture(scope="module")
def release(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """The shipped dataset as a release holds it: lacs.db (datasette names the database by its
    file) and metadata.json beside it."""
    pytest.importorskip("datasette", reason="datasette is not installed (pip install -e '.[test]')")
    folder = tmp_path_factory.mktemp("release")
    db = folder / "lacs.db"
    shutil.copyfile(shipped_path(), db)
    metadata = folder / "metadata.json"
    metadata.write_text(json.dumps(datasette_metadata(), indent=2))
    return db, metadata


def _tables(db: Path) -> list[str]:
    with sqlite3.connect(db) as conn:
        return [name for (name,) in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")]


def _get_all(db: Path, metadata: Path, paths: list[str]) -> dict[str, tuple[int, str]]:
    from datasette.app import Datasette

    ds = Datasette(immutables=[str(db)], metadata=json.loads(metadata.read_text()))

    async def fetch() -> dict[str, tuple[int, str]]:
        await ds.invoke_startup()
        found = {}
        for path in paths:
            response = await ds.client.get(path)
            found[path] = (response.status_code, response.text)
        return found

    return asyncio.run(fetch())


def test_every_table_shows_in_datasette_without_error(release: tuple[Path, Path]) -> None:
    """Each table's HTML page, its JSON, and its JSON with foreign keys expanded to labels: the
    last two failed on every table with a REFERENCES clause that named no column."""
    db, metadata = release
    tables = _tables(db)
    assert set(COLUMNS) <= set(tables)
    paths = [p for t in tables for p in (f"/lacs/{t}", f"/lacs/{t}.json", f"/lacs/{t}.json?_labels=on")]
    found = _get_all(db, metadata, paths)
    failed = {path: status for path, (status, _) in found.items() if status != 200}
    assert not failed
    assert not [path for path, (_, text) in found.items() if "Traceback" in text or '"ok": false' in text]
    labelled = json.loads(found["/lacs/inspections.json?_labels=on"][1])
    assert labelled["rows"][0]["gss_code"]["label"] == "Hartlepool", "the council's name, through its foreign key"


def test_datasette_searches_the_findings_and_shows_the_licence(release: tuple[Path, Path]) -> None:
    db, metadata = release
    found = _get_all(db, metadata, ["/lacs/findings.json?_search=%22domestic+abuse%22&_shape=array&_size=5",
                                    "/-/metadata.json", "/lacs/findings"])
    rows = json.loads(found["/lacs/findings.json?_search=%22domestic+abuse%22&_shape=array&_size=5"][1])
    assert rows and all("domestic abuse" in row["text"].lower() for row in rows)
    assert json.loads(found["/-/metadata.json"][1])["license"] == "OGL-UK-3.0"
    assert "OGL-UK-3.0" in found["/lacs/findings"][1] and "summary (the report" in found["/lacs/findings"][1]


def test_datasette_get_on_the_command_line(release: tuple[Path, Path]) -> None:
    db, metadata = release
    done = subprocess.run([sys.executable, "-m", "datasette", "-i", str(db), "--metadata", str(metadata),
                           "--get", "/lacs/judgements.json?_labels=on&_size=3"],
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["rows"]
