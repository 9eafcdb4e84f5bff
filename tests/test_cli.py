"""The command line, run in-process: outputs, exit codes, and documentation of every command."""

from __future__ import annotations

import json
import re
from pathlib import Path

from typer.main import get_command
from typer.testing import CliRunner

from lacs.cli.app import app
from pdfs import make_pdf
from samples import ILACS_2022

runner = CliRunner()
README = Path(__file__).resolve().parents[1] / "README.md"


def corpus_like(tmp_path: Path) -> Path:
    folder = tmp_path / "reports" / "80521_manchester"
    folder.mkdir(parents=True)
    (folder / "children's services inspection - 19 may 2022.pdf").write_bytes(
        make_pdf([ILACS_2022.replace("’", "'").replace("●", "-")]))
    (folder / "children's services inspection - 19 october 2012.pdf").write_bytes(b"<html>Service unavailable</html>")
    return tmp_path / "reports"


def test_extract_prints_json_lines_and_problems_on_stderr(tmp_path: Path) -> None:
    result = runner.invoke(app, ["extract", str(corpus_like(tmp_path)), "--no-summary"])
    assert result.exit_code == 1, "a failed file makes the exit code 1"
    lines = result.stdout.strip().splitlines()
    assert len(lines) == 1
    record = json.loads(lines[0])
    for key in ("file", "sha256", "council", "urn", "framework", "title", "kind", "start", "end", "published",
                "lead_inspector", "judgements", "improvements", "missing"):
        assert key in record
    assert record["judgements"]["overall_effectiveness"] == "good"
    problems = result.stderr.strip().splitlines()
    assert len(problems) == 1 and "19 october 2012.pdf: not a PDF: an HTML page" in problems[0]


def test_extract_succeeds_when_every_file_reads(tmp_path: Path) -> None:
    folder = corpus_like(tmp_path)
    next(folder.rglob("*2012.pdf")).unlink()
    result = runner.invoke(app, ["extract", str(folder)])
    assert result.exit_code == 0
    assert "1 reports read, 0 files failed" in result.stderr


def test_extract_table_shows_grades_in_words(tmp_path: Path) -> None:
    result = runner.invoke(app, ["extract", str(corpus_like(tmp_path)), "--table", "--no-summary", "--wide"])
    assert "req. improvement" in result.stdout and "Ann Example" in result.stdout


def test_missing_path_is_one_line_error(tmp_path: Path) -> None:
    result = runner.invoke(app, ["extract", str(tmp_path / "nowhere")])
    assert result.exit_code == 2
    assert result.stderr.strip() == f"error: {tmp_path / 'nowhere'}: no such file or folder"


def test_every_command_is_documented_in_the_readme() -> None:
    readme = README.read_text(encoding="utf-8")
    commands = get_command(app).commands
    assert commands
    for name, command in commands.items():
        assert re.search(rf"lacs {name}\b", readme), f"README has no example of `lacs {name}`"
        assert "Example" in (command.help or ""), f"`lacs {name}` has no example in its help"


def test_every_bad_file_is_reported_and_the_run_carries_on(tmp_path: Path) -> None:
    folder = corpus_like(tmp_path)
    good = make_pdf(["Minutes of a meeting"])
    (folder / "empty.pdf").write_bytes(b"")
    (folder / "cut.pdf").write_bytes(good[:150])
    (folder / "noise.pdf").write_bytes(bytes(range(256)) * 8)
    (folder / "minutes.pdf").write_bytes(good)
    result = runner.invoke(app, ["extract", str(folder), "--workers", "2"])
    assert result.exit_code == 1
    assert len(result.stdout.strip().splitlines()) == 1, "the good report is still read"
    problems = [line for line in result.stderr.splitlines() if line.startswith("problem: ")]
    reasons = " | ".join(problems)
    assert len(problems) == 5
    for words in ("empty file", "truncated PDF", "not a PDF", "HTML page",
                  "not a children's services inspection report"):
        assert words in reasons
    assert "1 reports read, 5 files failed" in result.stderr


def test_build_then_nothing_to_do(tmp_path: Path) -> None:
    db = tmp_path / "lacs.db"
    first = runner.invoke(app, ["build", str(corpus_like(tmp_path)), "--db", str(db), "--workers", "1"])
    assert first.exit_code == 0, first.stderr
    assert "problem: 80521_manchester/children's services inspection - 19 october 2012.pdf: not a PDF" in first.stderr
    assert "updated: 2 files, 2 read, 0 unchanged, 0 removed, 1 problems" in first.stderr
    again = runner.invoke(app, ["build", str(tmp_path / "reports"), "--db", str(db)])
    assert "already up to date: 2 files, 0 read, 2 unchanged" in again.stderr


def test_build_of_a_missing_folder(tmp_path: Path) -> None:
    result = runner.invoke(app, ["build", str(tmp_path / "none"), "--db", str(tmp_path / "x.db")])
    assert result.exit_code == 2 and "no such folder of reports" in result.stderr
