"""Every command's plain output fits the terminal: each command the typer app has (found from it, so
that a new one is covered the day it is added) run at COLUMNS=80 and 120 with arguments that make
it print its main table or answer; the widest line fits, and nothing shows "None", a "?" cell or
an internal name. --wide may be wider. Also: help examples laid out as written, `lacs serve` on a
busy port, and the freshness line and key."""

from __future__ import annotations

import json
import re
import shutil
import socket
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from typer.main import get_command
from typer.testing import CliRunner

from fakesite import FakeSite, small_site
from lacs.cli.app import app
from lacs.store.build import build
from lacs.store.shipped import SHIPPED
from odsfiles import write_ods
from pdfs import make_pdf
from samples import ILACS_2022, reports

runner = CliRunner()
WIDTHS = (80, 120)
# Words no one should read: Python's None, a "?" for a value not known, and lacs's internal names.
FORBIDDEN = re.compile(r"\bNone\b|(?:^|\s)\?(?:\s|$)|pre_sif|ilacs_2026|requires_improvement|not_judged|"
                       r"safeguarding_and_looked_after_children|looked_after_children|re_inspection|lscb_review")
# Outputs that are data formats, not text for people: Atom (XML) is checked for the words only; CSV not at all.
NOT_TEXT = {("feed",): "words", ("export",): "none"}


def commands(group: Any, path: tuple[str, ...] = ()) -> Iterator[tuple[str, ...]]:
    """Every command's words, a group's (`official`) each of its commands' (typer has its own click)."""
    for name, command in group.commands.items():
        if hasattr(command, "commands"):
            yield from commands(command, (*path, name))
        else:
            yield (*path, name)


EVERY = sorted(commands(get_command(app)))


@pytest.fixture(scope="module")
def setup(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """A small built database (with page text, for search), a report PDF, a release and a site."""
    tmp = tmp_path_factory.mktemp("widths")
    folder = reports(tmp)
    built = tmp / "built.db"
    build([folder], built, workers=1)
    pdf = tmp / "manchester.pdf"
    pdf.write_bytes(make_pdf([ILACS_2022.replace("’", "'").replace("●", "-")]))
    release = write_ods(tmp / "release.ods", {
        "Cover": [["Local authority inspection outcomes as at 31 March 2024"], ["Section", "Detail"],
                  ["Published on:", "2024-08-30"],
                  ["Period covered:", "Inspections as at 31 March 2024, with a report published by 30 June 2024"]],
        "Inspections_31_March_2024": [
            ["Local authority inspection judgements as at 31 March 2024"],
            ["Web link", "Local authority name", "Ofsted region", "Inspection date", "Overall effectiveness"],
            ["Ofsted Local Authority Webpage", "Manchester", "North West", "2022-03-21", "Good"]]})
    return {"tmp": str(tmp), "built": str(built), "folder": str(folder), "pdf": str(pdf), "release": str(release)}


def arguments(command: tuple[str, ...], setup: dict[str, str], site: str) -> list[str]:
    """The words that make a command print its main answer; a command not listed runs with none
    (so a new command is run as it is, and this list is where to give it its arguments)."""
    tmp = Path(setup["tmp"])
    scratch = tmp / f"{'-'.join(command)}.db"
    if command == ("official", "import"):
        shutil.copy(setup["built"], scratch)
    return {
        ("council",): ["council", "manchester"],
        ("snapshot",): ["snapshot", "--by", "region"],
        ("changes",): ["changes"],
        ("compare",): ["compare", "manchester", "--with", "region"],
        ("export",): ["export", "--what", "latest"],
        ("story",): ["story", "manchester"],
        ("feed",): ["feed", "--limit", "2"],
        ("next",): ["next"],
        ("search",): ["search", "children", "--db", setup["built"]],
        ("themes",): ["themes", "--by", "region"],
        ("status",): ["status"],
        ("extract",): ["extract", setup["pdf"], "--table"],
        ("build",): ["build", setup["folder"], "--db", str(scratch), "--workers", "1"],
        ("update",): ["update", "--dry-run", "--site", site, "--delay", "0", "--db", str(scratch)],
        ("serve",): ["serve", "--port", site.split(":")[-1]],  # the fake site's port: busy, so a line, no server
        ("publish",): ["publish", _not_lacss(tmp), "--db", setup["built"]],  # refused in a line: a whole site is slow
        ("official", "check"): ["official", "check"],
        ("official", "import"): ["official", "import", setup["release"], "--db", str(scratch)],
    }.get(command, list(command))


def _not_lacss(tmp: Path) -> str:
    """A folder holding a file lacs did not make: `lacs publish` refuses it."""
    folder = tmp / "not-a-site"
    folder.mkdir(exist_ok=True)
    (folder / "notes.txt").write_text("mine")
    return str(folder)


def run(words: list[str], columns: int, setup: dict[str, str]) -> tuple[int, str, str]:
    env = {"COLUMNS": str(columns), "LACS_DB": str(SHIPPED), "LACS_REPORTS": str(Path(setup["tmp"]) / "cache")}
    result = runner.invoke(app, words, env=env)
    return result.exit_code, result.stdout, result.stderr


def widest(text: str) -> int:
    return max((len(line) for line in text.splitlines()), default=0)


@pytest.mark.parametrize("columns", WIDTHS)
@pytest.mark.parametrize("command", EVERY, ids="-".join)
def test_every_command_fits_the_width_and_says_no_internal_name(
        command: tuple[str, ...], columns: int, setup: dict[str, str]) -> None:
    with FakeSite(small_site()) as site:
        words = arguments(command, setup, site.url)
        code, out, err = run(words, columns, setup)
    if command == ("serve",):
        assert code == 2 and out == "" and "choose another with --port" in err
        return
    if command == ("publish",):  # tests/test_publish.py publishes whole sites; here, the one line of a refusal
        assert code == 2 and out == "" and err.count("\n") == 1 and "lacs did not publish" in err
        return
    # update: the small fake site lists 3 councils, not the register's 153, which it names (exit 1)
    assert code == (1 if command == ("update",) else 0), (words, err)
    check = NOT_TEXT.get(command, "all")
    if check == "all":
        assert out.strip() or err.strip(), f"`lacs {' '.join(words)}` printed nothing"  # build: stderr only
        assert widest(out) <= columns, f"`lacs {' '.join(words)}` at {columns} columns:\n{out}"
    if check != "none":
        found = FORBIDDEN.search(out + err)
        assert found is None, f"`lacs {' '.join(words)}` says {found.group()!r}:\n{out}{err}"


@pytest.mark.parametrize("words", [["council", "manchester"], ["next"], ["themes", "--by", "region"],
                                   ["official", "check"]], ids=" ".join)
def test_wide_shows_every_column_whatever_the_width(words: list[str], setup: dict[str, str]) -> None:
    _, narrow, _ = run(words, 80, setup)
    _, wide, _ = run([*words, "--wide"], 80, setup)
    assert widest(narrow) <= 80 < widest(wide)
    assert "Left out to fit" not in wide and "Key:" not in wide


def test_council_rows_of_ofsteds_tables_are_compact_and_named() -> None:
    result = runner.invoke(app, ["council", "manchester", "--db", str(SHIPPED)], env={"COLUMNS": "120"})
    out = result.stdout
    assert result.exit_code == 0
    first = out.splitlines()[4]
    assert re.match(r" 2010 +before SIF \(tables\)", first), out
    assert "? to ?" not in out and "(official statistics)" not in out
    assert "(tables) = from Ofsted's official tables" in " ".join(out.split())
    assert "2010: looked after children: overall effectiveness adequate" in " ".join(out.split())


def test_story_paragraphs_are_wrapped_to_the_width() -> None:
    result = runner.invoke(app, ["story", "manchester", "--db", str(SHIPPED)], env={"COLUMNS": "80"})
    assert result.exit_code == 0 and widest(result.stdout) <= 80
    assert len(result.stdout.splitlines()) > 10


def test_each_commands_help_shows_its_example_lines_unfolded() -> None:
    for command in EVERY:
        result = runner.invoke(app, [*command, "--help"], env={"COLUMNS": "80"})
        assert result.exit_code == 0
        help_text = result.stdout
        source = get_command(app)
        for name in command:
            source = source.commands[name]  # type: ignore[attr-defined]
        examples = [line.strip() for line in (source.help or "").split("Example:")[-1].splitlines()
                    if line.strip().startswith("lacs ")]
        assert examples, f"`lacs {' '.join(command)}` has no example"
        for line in examples:
            assert re.search(rf"^ +{re.escape(line)}$", help_text, re.M), (
                f"`lacs {' '.join(command)} --help` folds its example {line!r}:\n{help_text}")


def test_serve_on_a_busy_port_says_so_in_one_line_and_serves_nothing() -> None:
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        result = runner.invoke(app, ["serve", "--port", str(port), "--db", str(SHIPPED)])
    assert result.exit_code == 2 and result.stdout == ""
    assert result.stderr.strip() == (f"error: port {port} on 127.0.0.1 is already in use; "
                                     "choose another with --port")


def test_answers_that_depend_on_now_say_the_records_date() -> None:
    for words in (["council", "manchester"], ["snapshot"], ["next"], ["story", "manchester"], ["themes"],
                  ["compare", "manchester"], ["changes"], ["status"]):
        result = runner.invoke(app, [*words, "--db", str(SHIPPED)], env={"COLUMNS": "80"})
        assert "The record holds reports published up to" in " ".join(result.stdout.split()), words
    result = runner.invoke(app, ["snapshot", "--as-at", "2019-03-31", "--db", str(SHIPPED)])
    assert "The record holds" not in result.stdout, "a day the record reaches beyond does not depend on now"
    for words in (["council", "manchester"], ["snapshot"], ["compare", "manchester"], ["changes"], ["themes"],
                  ["story", "manchester"], ["status"]):
        data = json.loads(runner.invoke(app, [*words, "--json", "--db", str(SHIPPED)]).stdout)
        assert set(data["record"]) == {"latest_published", "written_at", "written_how", "shipped"}, words
    rows = json.loads(runner.invoke(app, ["next", "--json", "--db", str(SHIPPED)]).stdout)
    assert {"record", "beyond_record"} <= set(rows[0])


def test_next_marks_the_councils_that_may_only_look_overdue() -> None:
    result = runner.invoke(app, ["next", "--as-at", "2026-12-01", "--db", str(SHIPPED)], env={"COLUMNS": "120"})
    text = " ".join(result.stdout.split())
    assert "that look overdue (marked *) had windows closing after that" in text
    assert "* its window closed after the latest report in the record was published (2026-08-20)" in text
    marked = [line for line in result.stdout.splitlines() if line.endswith(" *")]
    assert marked and all("overdue by" in line for line in marked)
