"""Generated bad input thrown at every question command: never a traceback, never a bug's exit
(70), and a non-zero exit for a date, number or database file that is not one.

The commands run in-process (typer's CliRunner) against a small database built here from two
made-up reports, which has page text for search; examples are bounded so the file runs in well
under 30 seconds. Text holds no NUL: no command line can carry one (argv is C strings).
"""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Callable
from datetime import date
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from lacs.cli.app import app
from lacs.store.build import build
from samples import reports

runner = CliRunner()
ALLOWED = {0, 1, 2}  # done; some files or nothing found; asked wrongly. Never 70 (a bug) or a traceback.
EXAMPLES = settings(max_examples=25, deadline=None, derandomize=True,
                    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])

LONG = ["x" * 5000, "é" * 2000, "\u202e" * 100 + "manchester", "9" * 400, "../" * 300 + "etc/passwd"]
text = st.one_of(
    st.text(st.characters(blacklist_characters="\x00", blacklist_categories=["Cs"]), max_size=40),
    st.sampled_from(LONG),
    st.sampled_from(["manchester", "Kent", "E08000003", "80521", "region", "type", "neighbours", "ons",
                     "overall_effectiveness", "2019-08", "latest", "history", "csv", "json", "xlsx", "*", '"']),
)
days = st.one_of(
    st.dates(date(1900, 1, 1), date(2100, 12, 31)).map(date.isoformat),  # good
    st.dates().map(date.isoformat),  # years 1 to 9999: most outside lacs's span
    st.tuples(st.integers(0, 99999), st.integers(-1, 99), st.integers(-1, 99)).map(
        lambda t: f"{t[0]:04d}-{t[1]:02d}-{t[2]:02d}"),
    text,
)
numbers = st.one_of(st.integers(-(10**30), 10**30).map(str), st.integers(0, 2000).map(str), text)


def good_day(value: str) -> bool:
    """The oracle: a YYYY-MM-DD day from 1900 to 2100."""
    if not re.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", value):
        return False
    try:
        return 1900 <= date.fromisoformat(value).year <= 2100
    except ValueError:
        return False


def in_range(value: str, low: int, high: int | None) -> bool:
    return bool(re.fullmatch(r"[0-9]+", value)) and low <= int(value) and (high is None or int(value) <= high)


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    tmp = tmp_path_factory.mktemp("properties")
    build([reports(tmp)], tmp / "lacs.db", workers=1)
    return tmp / "lacs.db"


def run(db: Path, args: list[str], bad: bool) -> None:
    result = runner.invoke(app, [*args, "--db", str(db)] if "--db" not in args else args)
    shown = result.output + (result.stderr or "")
    assert "Traceback" not in shown, (args, shown)
    assert result.exception is None or isinstance(result.exception, SystemExit), (args, repr(result.exception))
    assert result.exit_code in ALLOWED, (args, result.exit_code, shown[-500:])
    if bad:
        assert result.exit_code != 0, (args, shown[-500:])


# Each command: given the generated values, its arguments and whether they are known to be bad.
Draw = Callable[[st.DataObject], tuple[list[str], bool]]


def _council(d: st.DataObject) -> tuple[list[str], bool]:
    day = d.draw(days)
    return ["council", d.draw(text), "--as-at", day], not good_day(day)


def _snapshot(d: st.DataObject) -> tuple[list[str], bool]:
    day, published = d.draw(days), d.draw(days)
    args = ["snapshot", "--as-at", day, "--published-by", published]
    for flag in d.draw(st.sets(st.sampled_from(["--by", "--judgement", "--release", "--regions"]))):
        args += [flag, d.draw(text)]
    return args, not (good_day(day) and good_day(published))


def _changes(d: st.DataObject) -> tuple[list[str], bool]:
    start, end = d.draw(days), d.draw(days)
    args = ["changes", "--from", start, "--to", end, "--judgement", d.draw(text)]
    return args, not (good_day(start) and good_day(end))


def _compare(d: st.DataObject) -> tuple[list[str], bool]:
    day = d.draw(days)
    return ["compare", d.draw(text), "--with", d.draw(text), "--as-at", day], not good_day(day)


def _story(d: st.DataObject) -> tuple[list[str], bool]:
    day = d.draw(days)
    return ["story", d.draw(text), "--inspection", day, *d.draw(st.sampled_from([[], ["--json"], ["--markdown"]]))], \
        not good_day(day)


def _next(d: st.DataObject) -> tuple[list[str], bool]:
    day = d.draw(days)
    return ["next", "--as-at", day, *d.draw(st.sampled_from([[], ["--json"]]))], not good_day(day)


def _search(d: st.DataObject) -> tuple[list[str], bool]:
    limit, start, end = d.draw(numbers), d.draw(days), d.draw(days)
    args = ["search", d.draw(text), "--limit", limit, "--from", start, "--to", end]
    if d.draw(st.booleans()):
        args += ["--council", d.draw(text)]
    return args, not (in_range(limit, 1, 1000) and good_day(start) and good_day(end))


def _themes(d: st.DataObject) -> tuple[list[str], bool]:
    day = d.draw(days)
    args = ["themes", "--as-at", day, *d.draw(st.sampled_from([[], ["--over-time"], ["--json"]]))]
    if d.draw(st.booleans()):
        args += ["--by", d.draw(text)]
    return args, not good_day(day)


def _feed(d: st.DataObject) -> tuple[list[str], bool]:
    since, limit = d.draw(days), d.draw(numbers)
    return ["feed", "--since", since, "--limit", limit], not (good_day(since) and in_range(limit, 1, None))


def _official_check(d: st.DataObject) -> tuple[list[str], bool]:
    return ["official", "check", "--council", d.draw(text), *d.draw(st.sampled_from([[], ["--json"]]))], False


def _export(d: st.DataObject) -> tuple[list[str], bool]:
    day = d.draw(days)
    args = ["export", "--what", d.draw(text), "--as-at", day]
    if d.draw(st.booleans()):
        args += ["--format", d.draw(text)]
    return args, not good_day(day)


COMMANDS: dict[str, Draw] = {
    "council": _council, "snapshot": _snapshot, "changes": _changes, "compare": _compare, "story": _story,
    "next": _next, "search": _search, "themes": _themes, "feed": _feed, "official check": _official_check,
    "export": _export,
}


@pytest.mark.parametrize("command", COMMANDS)
@EXAMPLES
@given(data=st.data())
def test_no_traceback_and_a_non_zero_exit_for_bad_input(db: Path, command: str, data: st.DataObject) -> None:
    args, bad = COMMANDS[command](data)
    run(db, args, bad)


# --- files: every question command given a --db that is no lacs database ----------------------

def _other_database(path: Path) -> None:
    with sqlite3.connect(path) as conn:
        conn.executescript("create table t(x); insert into t values(1)")
    conn.close()


FILES = {
    "random bytes": lambda p: p.write_bytes(bytes(range(256)) * 4),
    "empty": lambda p: p.write_bytes(b""),
    "text": lambda p: p.write_text("council,urn\nManchester,80521\n"),
    "a folder": lambda p: p.mkdir(),
    "missing": lambda p: None,
    "in a missing folder": lambda p: None,
    "a symlink loop": lambda p: (p.symlink_to(p.with_name(p.name + "-2")), p.with_name(p.name + "-2").symlink_to(p)),
    "another program's database": lambda p: _other_database(p),
    "half a database": lambda p: p.write_bytes(b"SQLite format 3\x00" + bytes(200)),
}


@EXAMPLES
@given(kind=st.sampled_from(sorted(FILES)), command=st.sampled_from(sorted(COMMANDS)), data=st.data())
def test_a_db_that_is_not_a_lacs_database_is_a_non_zero_exit(
        db: Path, tmp_path_factory: pytest.TempPathFactory, kind: str, command: str, data: st.DataObject) -> None:
    path = tmp_path_factory.mktemp("db") / ("missing" if kind == "in a missing folder" else "") / "x.db"
    FILES[kind](path)
    args, _ = COMMANDS[command](data)
    run(db, [*args, "--db", str(path)], bad=True)


@EXAMPLES
@given(content=st.one_of(st.binary(max_size=600), st.sampled_from([b"%PDF-1.4\n", b"%PDF-1.4\n" + bytes(300), b""])),
       workers=numbers)
def test_extract_of_generated_files_is_one_problem_each_never_a_traceback(
        tmp_path_factory: pytest.TempPathFactory, content: bytes, workers: str) -> None:
    folder = tmp_path_factory.mktemp("extract")
    (folder / "report.pdf").write_bytes(content)
    result = runner.invoke(app, ["extract", str(folder / "report.pdf"), "--workers", workers, "--no-summary"])
    assert "Traceback" not in result.output + result.stderr
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    assert result.exit_code in {1, 2}, (result.exit_code, result.stderr)  # none of these is a report


# --- the commands that write: every file that is no lacs database is refused and left as it was ---

def _contents(path: Path) -> bytes | str | None:
    if path.is_symlink():
        return f"link to {path.readlink()}"
    if path.is_dir():
        return "folder"
    return path.read_bytes() if path.exists() else None


@EXAMPLES
@given(kind=st.sampled_from(sorted(set(FILES) - {"missing", "in a missing folder"})),
       command=st.sampled_from(["build", "official import", "status"]))
def test_a_writing_command_given_a_db_that_is_no_lacs_database_refuses_and_leaves_it(
        db: Path, tmp_path_factory: pytest.TempPathFactory, kind: str, command: str) -> None:
    tmp = tmp_path_factory.mktemp("write")
    path = tmp / "x.db"
    FILES[kind](path)
    before = _contents(path)
    spreadsheet = tmp / "release.ods"
    spreadsheet.write_bytes(b"PK\x03\x04 not really")
    args = {"build": ["build", str(reports(tmp))], "official import": ["official", "import", str(spreadsheet)],
            "status": ["status"]}[command]
    run(db, [*args, "--db", str(path)], bad=True)
    assert _contents(path) == before


@EXAMPLES
@given(content=st.one_of(st.binary(max_size=400), st.sampled_from([b"", b"PK\x03\x04", b"PK\x05\x06" + bytes(18)])))
def test_official_import_of_generated_files_is_one_line_never_a_traceback(
        db: Path, tmp_path_factory: pytest.TempPathFactory, content: bytes) -> None:
    tmp = tmp_path_factory.mktemp("ods")
    (tmp / "release.ods").write_bytes(content)
    target = tmp / "lacs.db"
    target.write_bytes(db.read_bytes())
    run(db, ["official", "import", str(tmp / "release.ods"), "--db", str(target)], bad=True)
    assert target.read_bytes() == db.read_bytes()
