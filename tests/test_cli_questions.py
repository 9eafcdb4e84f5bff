"""The question commands (council, snapshot, changes, compare, export) over the shipped dataset."""

from __future__ import annotations

import json

from typer.testing import CliRunner

from lacs.cli.app import app
from lacs.store.shipped import SHIPPED

runner = CliRunner(env={"COLUMNS": "80"})  # not the width of whatever terminal runs the tests
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
    assert {i["source"] for i in data["inspections"]} == {"report", "Ofsted official statistics"}  # 2011, pre-SIF
    assert [(i["end"][:4], i["judgements"]["overall_effectiveness"]) for i in data["inspections"]
            if i["source"] == "report"] == [
        ("2014", "inadequate"), ("2017", "requires_improvement"), ("2022", "good")]


def test_council_table_writes_grades_in_words() -> None:
    code, out, _ = run("council", "E08000003", "--as-at", "2023-01-01", "--wide")
    assert code == 0 and "Manchester" in out
    assert "inadequate" in out and "req. improvement" in out
    code, out, _ = run("council", "E08000003", "--as-at", "2023-01-01")  # 80 columns: abbreviated, with a key
    words = " ".join(out.split())
    assert code == 0 and "RI = requires improvement" in words and "inad. = inadequate" in words
    assert "first time the council has been judged good or better for overall effectiveness in the record" in words


def test_unknown_council_is_a_one_line_error_with_a_suggestion() -> None:
    code, out, err = run("council", "Manchster")
    assert code == 2 and out == ""
    assert err.strip() == ("error: no council called 'Manchster'; "
                           "did you mean 'Manchester' or 'Doncaster' or 'Westminster'?")


def test_bad_date_is_a_one_line_error() -> None:
    code, _, err = run("council", "Kent", "--as-at", "31/03/2024")
    assert code == 2
    assert err.strip() == "error: --as-at '31/03/2024' is not a date; give it as YYYY-MM-DD, e.g. 2024-03-31"


def test_snapshot_json_keeps_its_keys_and_ofsteds_figures() -> None:
    code, out, _ = run("snapshot", "--as-at", "2024-03-31", "--by", "region", "--json")
    data = json.loads(out)
    assert code == 0
    assert (data["as_at"], data["published_by"], data["judgement"]) == (
        "2024-03-31", "2024-06-30", "overall_effectiveness")
    groups = {g["group"]: g for g in data["groups"]}
    assert (groups["England"]["good_or_better_percent"], groups["London"]["good_or_better_percent"]) == (60, 85)
    assert groups["England"]["counts"]["none"] == 2 and groups["England"]["councils"] == 153
    assert {"council", "urn", "grade", "end", "published"} <= set(data["councils"][0])


def test_snapshot_table_names_the_councils_without_a_grade() -> None:
    code, out, _ = run("snapshot", "--as-at", "2024-03-31")
    assert code == 0 and "60% of 151" in out
    assert "Cumberland: no inspection in the record by then" in out


def test_changes_and_compare_print_tables_and_json() -> None:
    code, out, _ = run("changes", "--from", "2018-01-01", "--to", "2024-03-31")
    assert code == 0 and "SIF to ILACS" in out and "improved" in out and "sif" not in out
    code, out, _ = run("changes", "--to", "2023-01-01", "--json")
    assert code == 0 and {"counts", "matrix", "by_frameworks", "changes"} <= set(json.loads(out))
    code, out, _ = run("compare", "manchester", "--with", "region", "--as-at", "2024-03-31")
    assert code == 0 and "Salford" in out and "over time" in out
    code, out, _ = run("compare", "manchester", "--json")
    assert code == 0 and len(json.loads(out)["members"]) == 11


def test_bad_options_are_one_line_errors_with_exit_2() -> None:
    for args, words in ((["snapshot", "--by", "county"], "accepted are region, type"),
                        (["snapshot", "--judgement", "leaders"], "is not an area of the record"),
                        (["changes", "--from", "2024-01-01", "--to", "2023-01-01"], "runs forwards"),
                        (["compare", "Manchster"], "did you mean 'Manchester'"),
                        (["snapshot", "--as-at", "yesterday"], "give it as YYYY-MM-DD")):
        code, out, err = run(*args)
        assert code == 2 and out == "" and len(err.strip().splitlines()) == 1 and words in err, args


def test_a_file_that_is_not_a_lacs_database_is_a_one_line_error(tmp_path) -> None:
    for name, data in (("text.db", b"hello"), ("empty.db", b"")):
        (tmp_path / name).write_bytes(data)
        result = runner.invoke(app, ["snapshot", "--db", str(tmp_path / name)])
        assert result.exit_code == 2 and "not a lacs database" in result.stderr
        assert len(result.stderr.strip().splitlines()) == 1


def test_story_feed_next_and_themes_from_the_command_line() -> None:
    code, out, _ = run("story", "manchester", "--inspection", "2022-05-19", "--json")
    data = json.loads(out)
    assert code == 0 and {"headline", "paragraphs", "facts"} <= set(data)
    assert all({"kind", "text"} <= set(f) for f in data["facts"])
    code, out, _ = run("story", "manchester", "--inspection", "2022-05-19", "--markdown")
    assert code == 0 and out.startswith("## Manchester's children's services judged good overall for the first time")
    code, out, _ = run("feed", "--limit", "2")
    assert code == 0 and out.count("<entry>") == 2
    code, out, _ = run("next", "--as-at", "2026-11-23", "--json")
    assert code == 0 and len(json.loads(out)) == 153
    code, out, _ = run("themes", "--as-at", "2024-03-31", "--json")
    assert code == 0
    england = json.loads(out)["groups"][0]
    assert england == {**england, "name": "England", "councils": 153}


def test_search_answers_on_the_shipped_record_and_says_what_it_searched() -> None:
    code, out, err = run("search", "domestic abuse")
    assert code == 0 and "[domestic] [abuse]" in out.lower() and "None" not in out
    assert "what needs to improve, point" in out or "the report's summary" in out
    assert "searched what inspectors said must improve and each report's summary" in err
    assert "the full text of every page is searched after `lacs build` or `lacs update`" in err
