"""What the world throws at a command ends at Commands.invoke as one line and an exit code, never a
traceback: dates out of span, huge numbers, a full, closed or broken standard output, a symlink
loop, OS and SQLite errors, Ctrl-C, and a bug of lacs itself."""

from __future__ import annotations

import errno
import os
import sqlite3
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest
from typer.testing import CliRunner

import lacs.questions.history
from lacs.cli.app import app
from lacs.domain.dates import parse_day
from lacs.errors import BadDate, DateOutOfRange
from lacs.store.build import build
from lacs.store.shipped import SHIPPED
from samples import reports

runner = CliRunner()
LACS = [sys.executable, "-c", "from lacs.cli import main; main()"]


def one_line(text: str) -> str:
    lines = text.strip().splitlines()
    assert len(lines) == 1, text
    assert "Traceback" not in text
    return lines[0]


def test_a_day_outside_1900_to_2100_is_a_bad_date_naming_the_span() -> None:
    assert parse_day("1900-01-01", "as_at") == date(1900, 1, 1)
    assert parse_day("2100-12-31", "as_at") == date(2100, 12, 31)
    for text in ("1899-12-31", "2101-01-01", "9999-12-31", "0001-01-01"):
        with pytest.raises(DateOutOfRange) as caught:
            parse_day(text, "as_at")
        assert isinstance(caught.value, BadDate)
        assert "from 1900-01-01 to 2100-12-31" in str(caught.value)
    with pytest.raises(BadDate):
        parse_day("２０２４-０３-３１", "as_at")  # full-width digits are digits to \d, not to YYYY-MM-DD


def test_snapshot_as_at_9999_12_31_is_one_line_not_an_overflow() -> None:
    result = runner.invoke(app, ["snapshot", "--as-at", "9999-12-31", "--db", str(SHIPPED)])
    assert result.exit_code == 2 and isinstance(result.exception, SystemExit)
    assert one_line(result.stderr) == (
        "error: --as-at '9999-12-31' is outside the dates lacs answers for: a day from 1900-01-01 to 2100-12-31 "
        "(which holds every inspection there is, with room to count years forward from it)")


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    tmp = tmp_path_factory.mktemp("faults")
    build([reports(tmp)], tmp / "lacs.db", workers=1)
    return tmp / "lacs.db"


def test_search_limit_99999999999999999999_is_a_usage_error_not_an_overflow(built: Path) -> None:
    result = runner.invoke(app, ["search", "children", "--limit", "99999999999999999999", "--db", str(built)])
    assert result.exit_code == 2 and isinstance(result.exception, SystemExit)
    assert "--limit" in result.stderr and "1<=x<=1000" in result.stderr and "Traceback" not in result.stderr
    assert runner.invoke(app, ["search", "children", "--limit", "1000", "--db", str(built)]).exit_code == 0


def test_extract_workers_beyond_any_machine_is_a_usage_error(tmp_path: Path) -> None:
    result = runner.invoke(app, ["extract", str(tmp_path), "--workers", "99999999999999999999"])
    assert result.exit_code == 2 and "--workers" in result.stderr


def test_a_symlink_loop_given_to_extract_is_named_as_one(tmp_path: Path) -> None:
    (tmp_path / "a.pdf").symlink_to(tmp_path / "b.pdf")
    (tmp_path / "b.pdf").symlink_to(tmp_path / "a.pdf")
    result = runner.invoke(app, ["extract", str(tmp_path / "a.pdf")])
    assert result.exit_code == 2
    loop = tmp_path / "a.pdf"
    assert one_line(result.stderr) == f"error: {loop}: too many levels of symbolic links (a symlink loop?)"


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="no /dev/full")
@pytest.mark.parametrize("args", [["export", "--db", str(SHIPPED)], ["council", "manchester", "--db", str(SHIPPED)],
                                  ["--help"], ["--version"], ["council", "--help"]])
def test_a_full_stdout_is_one_line_and_exit_74(args: list[str]) -> None:
    with open("/dev/full", "w") as full:
        done = subprocess.run([*LACS, *args], stdout=full, stderr=subprocess.PIPE, text=True, timeout=60)
    assert one_line(done.stderr) == "error: standard output: no space left on device"
    assert done.returncode == 74


def test_a_pipe_closed_by_its_reader_ends_quietly_and_non_zero() -> None:
    """`lacs export ... | head -c 10`: the reader has what it wanted; no line, no 'Exception ignored'."""
    with subprocess.Popen([*LACS, "export", "--what", "judgements", "--db", str(SHIPPED)],
                          stdout=subprocess.PIPE, stderr=subprocess.PIPE) as child:
        assert child.stdout is not None and child.stderr is not None
        assert len(child.stdout.read(10)) == 10
        child.stdout.close()
        stderr = child.stderr.read().decode()
        code = child.wait(timeout=60)
    assert stderr == ""
    assert code == 1


def test_a_closed_stdout_is_one_line_not_a_silent_success() -> None:
    done = subprocess.run([*LACS, "council", "manchester", "--db", str(SHIPPED)], stderr=subprocess.PIPE,
                          text=True, timeout=60, preexec_fn=lambda: os.close(1))
    assert one_line(done.stderr) == "error: standard output: closed"
    assert done.returncode == 74


def raising(monkeypatch: pytest.MonkeyPatch, error: BaseException) -> None:
    def fail(*args: object, **kwargs: object) -> None:
        raise error
    monkeypatch.setattr(lacs.questions.history, "council_history", fail)


@pytest.mark.parametrize(("error", "line", "code"), [
    (OSError(errno.ENOSPC, "No space left on device", "out.csv"), "error: out.csv: no space left on device", 74),
    (PermissionError(errno.EACCES, "Permission denied", "/root/x"), "error: /root/x: permission denied", 2),
    (IsADirectoryError(errno.EISDIR, "Is a directory", "reports"), "error: reports: is a folder, not a file", 2),
    (OSError(errno.ELOOP, "Too many levels", "a"), "error: a: too many levels of symbolic links (a symlink loop?)", 2),
    (OSError(errno.EXDEV, "Invalid cross-device link", "a", None, "b"), "error: a -> b: Invalid cross-device link", 74),
    (sqlite3.OperationalError("database is locked"), "error: {db}: database is locked", 3),
    (sqlite3.DatabaseError("database disk image is malformed"), "error: {db}: database disk image is malformed", 2),
    (OverflowError("Python int too large to convert to SQLite INTEGER"),
     "error: a number or date out of range: Python int too large to convert to SQLite INTEGER", 2),
    (UnicodeEncodeError("ascii", "Café", 3, 4, "ordinal not in range(128)"),
     "error: cannot write 'é' in the ascii encoding; set PYTHONIOENCODING=utf-8 (or a UTF-8 locale) to have it "
     "written", 74),
    (KeyboardInterrupt(), "interrupted", 130),
    (RuntimeError("boom\nsecond line"), "internal error: RuntimeError: boom second line (a bug in lacs: please report "
                                       "it with the command you ran; LACS_DEBUG=1 shows where it happened)", 70),
])
def test_what_the_world_throws_is_one_line_and_an_exit_code(
        monkeypatch: pytest.MonkeyPatch, error: BaseException, line: str, code: int) -> None:
    raising(monkeypatch, error)
    monkeypatch.delenv("LACS_DEBUG", raising=False)
    result = runner.invoke(app, ["council", "manchester", "--db", str(SHIPPED)])
    assert isinstance(result.exception, SystemExit), repr(result.exception)
    assert one_line(result.stderr) == line.format(db=SHIPPED)
    assert result.exit_code == code


def test_lacs_debug_shows_a_bugs_traceback(monkeypatch: pytest.MonkeyPatch) -> None:
    raising(monkeypatch, RuntimeError("boom"))
    monkeypatch.setenv("LACS_DEBUG", "1")
    result = runner.invoke(app, ["council", "manchester", "--db", str(SHIPPED)])
    assert isinstance(result.exception, RuntimeError)


def test_a_sqlite_error_names_the_database_from_lacs_db(monkeypatch: pytest.MonkeyPatch) -> None:
    raising(monkeypatch, sqlite3.OperationalError("disk I/O error"))
    monkeypatch.setenv("LACS_DB", str(SHIPPED))
    result = runner.invoke(app, ["council", "manchester"])
    assert one_line(result.stderr) == f"error: {SHIPPED}: disk I/O error"
    assert result.exit_code == 74


def test_official_import_into_a_database_in_a_missing_folder_names_the_database(tmp_path: Path) -> None:
    (tmp_path / "x.ods").write_bytes(b"not a spreadsheet")
    target = tmp_path / "missing" / "x.db"
    result = runner.invoke(app, ["official", "import", str(tmp_path / "x.ods"), "--db", str(target)])
    assert result.exit_code == 2
    assert one_line(result.stderr) == f"error: {target}: no lacs database here yet; run `lacs build FOLDER` first"
    assert not (tmp_path / "missing").exists()


@pytest.mark.parametrize(("make", "reason"), [
    (lambda p: p.mkdir(), "a folder"),
    (lambda p: (p.symlink_to(p.with_name("loop-2")), p.with_name("loop-2").symlink_to(p)), "symbolic links"),
])
def test_a_question_given_a_db_that_is_no_file_names_the_real_reason(tmp_path, make, reason) -> None:
    path = tmp_path / "x.db"
    make(path)
    result = CliRunner().invoke(app, ["council", "manchester", "--db", str(path)])
    assert result.exit_code == 2 and reason in result.stderr and "no lacs database here yet" not in result.stderr
