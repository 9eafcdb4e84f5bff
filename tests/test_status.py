"""`lacs status`: which database answers, what it holds, when it was last written, the shipped dataset's date."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from lacs.cli.app import app
from lacs.store.build import build
from samples import reports

runner = CliRunner()


def test_status_of_a_fresh_install_names_the_shipped_dataset(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("LACS_DB", raising=False)
    monkeypatch.setattr("lacs.store.database.default_db_path", lambda: tmp_path / "not-built.db")
    result = runner.invoke(app, ["status", "--json"])
    assert result.exit_code == 0, result.stderr
    info = json.loads(result.stdout)
    assert info["shipped"] is True and "shipped with lacs" in info["answers_because"]
    assert info["holds"]["councils_with_an_inspection"] == 158 and info["holds"]["official_releases"] > 0
    assert info["last_built_or_updated"] is None
    assert info["shipped_dataset"]["latest_report_published"] == info["holds"]["latest_report_published"]


def test_status_of_a_built_database(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    db = tmp_path / "lacs.db"
    build([reports(tmp_path)], db, workers=1)
    monkeypatch.delenv("LACS_DB", raising=False)
    result = runner.invoke(app, ["status", "--db", str(db)], env={"COLUMNS": "200"})  # a line each, unwrapped
    assert result.exit_code == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0] == f"database: {db} (--db)"
    assert lines[1].startswith("holds: 2 inspections, 2 councils with an inspection, 0 official releases")
    assert lines[2] == "latest report published: 2022-05-19"
    assert lines[3].startswith("last built or updated: 20")
    assert lines[4].startswith("shipped dataset: reports published to 20")
    assert "fewer inspections than the shipped dataset" in result.stderr
