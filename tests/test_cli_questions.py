"""The question commands (council, snapshot, changes, compare, export) over the shipped dataset."""

from __future__ import annotations

import json

from typer.testing import CliRunner

from lacs.cli import app
from lacs.dataset import SHIPPED

runner = CliRunner()
DB = ["--db", str(SHIPPED)]


def run(*args: str) -> tuple[int, str, str]:
    result = runner.invoke(app, [*args, *DB])
    return result.exit_code, result.stdout, result.stderr


def test_council_json_keeps_its_keys() -> None:
    code, out, _ = run("council", "Manchester", "--json", "--as-at", "2023-01-01")
    data = json.loads(out)
    assert code == 0
    assert (data["council"], data["urn"], data["region"]) == ("Manchester", 80521, "North West")
    first = data["inspections"][0]
    assert {"start", "end", "published", "framework", "judgements", "predecessor"} <= set(first)
    assert [(i["end"][:4], i["judgements"]["overall_effectiveness"]) for i in data["inspections"]] == [
        ("2014", "inadequate"), ("2017", "requires_improvement"), ("2022", "good")]


def test_council_table_writes_grades_in_words() -> None:
    code, out, _ = run("council", "E08000003", "--as-at", "2023-01-01")
    assert code == 0 and "Manchester" in out
    assert "inadequate" in out and "req. improvement" in out
    assert "first time this council has been judged good" in out


def test_unknown_council_is_a_one_line_error_with_a_suggestion() -> None:
    code, out, err = run("council", "Manchster")
    assert code == 2 and out == ""
    assert err.strip() == "error: no council called 'Manchster'; did you mean 'Manchester' or 'Doncaster' or 'Westminster'?"


def test_bad_date_is_a_one_line_error() -> None:
    code, _, err = run("council", "Kent", "--as-at", "31/03/2024")
    assert code == 2 and err.strip() == "error: --as-at '31/03/2024' is not a date; give it as YYYY-MM-DD, e.g. 2024-03-31"
