"""What every command shares: the options, the output helpers, and the one place errors end.

A command lets lacs's errors go: `Commands.invoke` catches them all, says the message in one
line on stderr, naming parameters as the command line spells them (as_at -> --as-at), and
exits with the code EXIT_CODES gives the error's class (the most specific class listed wins).
What the world throws ends there too, one line each and never a traceback: the file system
(OSError, said by its errno, naming the file), SQLite, a number too large, standard output
full, closed or unable to show a character, Ctrl-C; anything else is a bug of lacs, said as
one line (its type and message) with exit 70, its traceback shown only with LACS_DEBUG=1.
Heavy modules (rich, the store) are imported only when a command needs them.
"""

from __future__ import annotations

import contextlib
import errno
import json
import os
import sys
from datetime import date
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn

import typer
from typer.core import TyperGroup

from lacs.errors import (
    BuildLocked,
    ExportError,
    LacsError,
    QuestionError,
    ReportError,
    SiteError,
    SourceError,
    StoreError,
)

if TYPE_CHECKING:
    from rich.console import Console

    from lacs.store.database import Database

DB_OPTION = typer.Option(None, "--db", envvar="LACS_DB",
                         help="The database (default: your built one, else the dataset shipped with lacs).")
AS_AT_HELP = "Answer as at this date, YYYY-MM-DD (default: today)."
JSON_HELP = "Print JSON instead of tables."
BASE_URL_OPTION = typer.Option(None, "--base-url", metavar="URL",
                               help="Where the dashboard is served or published (https://example.org/lacs): "
                                    "the feeds' ids and self links are on it.")
WIDE_OPTION = typer.Option(False, "--wide", help="Show every column of every table, whatever the width.")
# The width of a table or paragraph when no terminal is found (cron, CI, a program's pipe) and
# COLUMNS is not set: the width a terminal opens at, and Python's own fallback.
DEFAULT_WIDTH = 80

# 1: some files failed (extract, update); 2: asked wrongly or of the wrong file; 3: try again later.
# Beyond lacs's own errors (sysexits.h and the shell's conventions): 70 a bug of lacs; 74 reading
# or writing failed (a full disk, an I/O error, standard output); 130 interrupted (Ctrl-C);
# Standard output closed by its reader (`lacs export | head`) is 1 and no line, as rich and click
# themselves end a command whose table or help met a closed pipe.
EXIT_INTERNAL, EXIT_IO, EXIT_INTERRUPTED, EXIT_CLOSED_PIPE = 70, 74, 130, 1
EXIT_CODES: dict[type[LacsError], int] = {
    LacsError: 2,
    ReportError: 1,
    StoreError: 2,
    BuildLocked: 3,
    QuestionError: 2,
    SourceError: 2,
    SiteError: 3,
    ExportError: 2,
}

# The library's parameter names whose options are not simply --name-with-dashes.
OPTIONS = {"start": "--from", "end": "--to", "fmt": "--format", "day": "--inspection", "out": "--output"}


def exit_code(error: LacsError) -> int:
    """The code of the most specific class in EXIT_CODES that the error is an instance of."""
    return next(EXIT_CODES[cls] for cls in type(error).__mro__ if cls in EXIT_CODES)


def option(parameter: str) -> str:
    """The command line's name for a library parameter: as_at -> --as-at, with_ -> --with."""
    return OPTIONS.get(parameter) or "--" + parameter.strip("_").replace("_", "-")


# The file system's reasons in words, by errno; any other is said as the system says it.
REASONS = {
    errno.ENOENT: "no such file or folder",
    errno.ENOTDIR: "a part of the path is not a folder",
    errno.EISDIR: "is a folder, not a file",
    errno.ELOOP: "too many levels of symbolic links (a symlink loop?)",
    errno.ENAMETOOLONG: "the name is too long",
    errno.EACCES: "permission denied",
    errno.EPERM: "operation not permitted",
    errno.EEXIST: "already exists",
    errno.ENOSPC: "no space left on device",
    errno.EDQUOT: "disk quota exceeded",
    errno.EROFS: "read-only file system",
    errno.EIO: "input/output error (the disk or device failed)",
    errno.EMFILE: "too many open files",
    errno.EBADF: "closed",
}
# The errnos of a wrong file or folder given (exit 2); any other is reading or writing that failed (74).
ASKED_WRONGLY = {errno.ENOENT, errno.ENOTDIR, errno.EISDIR, errno.ELOOP, errno.ENAMETOOLONG, errno.EACCES,
                 errno.EPERM, errno.EEXIST, errno.ENXIO, errno.ENODEV}
_WORDS = "lacs.words"  # ctx.meta: the words given to the command, to name its --db in an SQLite error


class Commands(TyperGroup):
    """The lacs command group: whatever a command raises is one line on stderr and an exit code."""

    def resolve_command(self, ctx: Any, args: list[str]) -> Any:
        ctx.meta[_WORDS] = list(args)
        return super().resolve_command(ctx, args)

    def invoke(self, ctx: Any) -> Any:
        given = sys.stdout
        watched = sys.stdout = _Output(given)
        try:
            try:
                result = super().invoke(ctx)
            except typer.Exit:
                _flush(watched)  # what is not written yet fails here, said, not at exit unsaid
                raise
            _flush(watched)
            return result
        except (typer.Exit, typer.Abort, typer.TyperException):  # typer's own: usage errors, --help, exits
            raise
        except LacsError as error:
            fail(f"error: {error.spoken(option)}", exit_code(error))
        except OSError as error:
            if error is watched.failed:
                _stdout_failed(error, watched)
            fail(f"error: {os_message(error)}", 2 if error.errno in ASKED_WRONGLY else EXIT_IO)
        except OverflowError as error:
            fail(f"error: a number or date out of range: {error}", 2)
        except UnicodeEncodeError as error:
            fail(f"error: {unshowable(error)}", EXIT_IO)
        except KeyboardInterrupt:
            fail("interrupted", EXIT_INTERRUPTED)
        except Exception as error:
            if _from_sqlite(error):
                fail(f"error: {sqlite_message(error, ctx.meta.get(_WORDS, []))}", sqlite_exit_code(error))
            if os.environ.get("LACS_DEBUG") == "1":
                raise
            fail(f"internal error: {type(error).__name__}: {_one_line(str(error))} (a bug in lacs: please "
                 f"report it with the command you ran; LACS_DEBUG=1 shows where it happened)", EXIT_INTERNAL)
        finally:
            if sys.stdout is watched:
                sys.stdout = given


class _Output:
    """Standard output, watched: the error of a write or flush that fails is kept in `failed`, so
    that the handler knows it as standard output's (a file's error may carry no name either). A
    closed standard output (`lacs ... >&-`, None to Python) fails every write instead of losing it."""

    def __init__(self, stream: Any) -> None:
        self.stream = stream
        self.failed: OSError | None = None

    def write(self, text: str) -> int:
        try:
            if self.stream is None:
                raise OSError(errno.EBADF, "closed")
            return self.stream.write(text)
        except OSError as error:
            self.failed = error
            raise

    def flush(self) -> None:
        try:
            if self.stream is not None:
                self.stream.flush()
        except OSError as error:
            self.failed = error
            raise

    def isatty(self) -> bool:
        return self.stream is not None and self.stream.isatty()

    def __getattr__(self, name: str) -> Any:
        if self.stream is None:
            raise AttributeError(name)
        return getattr(self.stream, name)


def _flush(output: _Output) -> None:
    try:
        output.flush()
    except OSError as error:
        _stdout_failed(error, output)


def _stdout_failed(error: OSError, output: _Output) -> NoReturn:
    """Standard output failed: a closed pipe ends quietly (its reader has all it wanted), anything
    else is said; either way, nothing is left to fail again at exit."""
    _forget(output)
    if error.errno == errno.EPIPE:
        raise typer.Exit(EXIT_CLOSED_PIPE) from None
    fail(f"error: standard output: {reason(error)}", EXIT_IO)


def fail(line: str, code: int) -> NoReturn:
    """Say the line on stderr and exit with the code."""
    say(line)
    raise typer.Exit(code) from None


def reason(error: OSError) -> str:
    """The file system's reason in words."""
    if error.errno in REASONS:
        return REASONS[error.errno]
    return _one_line(error.strerror or str(error) or type(error).__name__)


def os_message(error: OSError) -> str:
    """'<file>: <reason>', naming both files of a rename or link, or the reason alone when no file is known."""
    names = [str(n) for n in (error.filename, error.filename2) if n is not None]
    return (" -> ".join(names) + ": " if names else "") + reason(error)


def _forget(output: _Output) -> None:
    """Point standard output at nothing, so that Python's flush at exit cannot fail again and print
    'Exception ignored' after the line already said (Python's documented answer to SIGPIPE)."""
    with contextlib.suppress(OSError, ValueError, AttributeError):  # no file descriptor (a test's runner)
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, output.stream.fileno())
        os.close(devnull)


def _from_sqlite(error: Exception) -> bool:
    """Whether the error is a sqlite3.Error, known without importing sqlite3 (SQL lives in the store)."""
    return any(cls.__module__ == "sqlite3" and cls.__name__ == "Error" for cls in type(error).__mro__)


def sqlite_message(error: Exception, words: list[str]) -> str:
    """'<database>: <SQLite's reason>', the database as given by --db (or $LACS_DB), else 'the database'."""
    return f"{_db_named(words)}: {_one_line(str(error)) or type(error).__name__}"


def sqlite_exit_code(error: Exception) -> int:
    """3 for a database busy with another program, 74 for a full disk or I/O error, else 2."""
    text = str(error).lower()
    if "locked" in text or "busy" in text:
        return 3
    if "disk" in text and ("full" in text or "i/o" in text):
        return EXIT_IO
    return 2


def _db_named(words: list[str]) -> str:
    for i, word in enumerate(words):
        if word == "--db" and i + 1 < len(words):
            return words[i + 1]
        if word.startswith("--db="):
            return word.removeprefix("--db=")
    return os.environ.get("LACS_DB") or "the database"


def unshowable(error: UnicodeEncodeError) -> str:
    """What a character that the output's encoding cannot hold is, and what to do."""
    bad = error.object[error.start:error.end]
    return (f"cannot write {bad!r} in the {error.encoding} encoding; set PYTHONIOENCODING=utf-8 "
            f"(or a UTF-8 locale) to have it written")


def _one_line(text: str) -> str:
    return " ".join(text.split())


@cache
def stderr() -> Console:
    from rich.console import Console

    return Console(stderr=True, highlight=False, emoji=False)


def say(line: str) -> None:
    """One line to stderr, as is: no wrapping, no markup. With stderr closed or full there is
    nowhere left to say it; the exit code still does."""
    with contextlib.suppress(OSError, ValueError):
        stderr().print(line, markup=False, soft_wrap=True)


def _open(db: Path | None) -> Database:
    from lacs.store.database import open_database

    return open_database(db)


def _day(value: str | None, parameter: str) -> date | None:
    """A YYYY-MM-DD option given for the library's `parameter`, or None if it was not given."""
    if value is None:
        return None
    from lacs.domain.dates import parse_day

    return parse_day(value, parameter)


def _print_json(data: object) -> None:
    print(json.dumps(data, ensure_ascii=False, indent=2))


def width() -> int:
    """The width lacs writes for: $COLUMNS if it is set, else the terminal's (standard output's,
    else standard input's or error's, as rich finds it, so that `lacs ... | less` fits the
    terminal), else DEFAULT_WIDTH. Tables fit it by the steps their command's help states;
    --wide prints them whole."""
    columns = os.environ.get("COLUMNS", "").strip()
    if columns.isdigit() and int(columns) > 0:
        return int(columns)
    for descriptor in (1, 0, 2):
        with contextlib.suppress(OSError, ValueError):
            found = os.get_terminal_size(descriptor).columns
            if found > 0:
                return found
    return DEFAULT_WIDTH


def _console() -> Console:
    """stdout for tables and paragraphs, `width()` columns wide: no emoji codes or highlighting
    (grades carry their own colour); colour only on a terminal."""
    from rich.console import Console

    return Console(width=width(), highlight=False, emoji=False)


def show(out: Console, *tables: Any, wide: bool = False) -> None:
    """Print Grids, fitted to the console's width unless `wide`."""
    for table in tables:
        table.wide = wide
        out.print(table, soft_wrap=True)


def paragraph(out: Console, line: str, markup: bool = True) -> None:
    """A sentence or paragraph, wrapped at spaces to the console's width (no space left at a line's end)."""
    from rich.text import Text

    from lacs.cli.grid import wrapped

    out.print(wrapped(line if markup else Text(line), out.width), soft_wrap=True)


def record_json(db: Database) -> dict[str, Any]:
    """The `record` key of a JSON answer that depends on "now": how current the record is."""
    f = db.freshness()
    return {"latest_published": f.latest_published.isoformat() if f.latest_published else None,
            "written_at": f.written_at.isoformat(timespec="seconds") if f.written_at else None,
            "written_how": f.written_how, "shipped": f.shipped}


def record_line(db: Database, as_at: date | None) -> str | None:
    """The record's date, said after an answer that depends on "now": one asked of today, or of
    a day after the latest report the record holds was published. None for an answer about a
    day the record reaches beyond."""
    f = db.freshness()
    if as_at is not None and f.latest_published is not None and as_at <= f.latest_published:
        return None
    return f.sentence()


def paragraphs(text: str, columns: int | None = None) -> str:
    """Plain text wrapped at spaces to the width, line by line (an indented line keeps its indent);
    blank lines and short lines as they are. Without rich, for the commands that print text alone."""
    import textwrap

    columns = columns or width()
    out = []
    for line in text.split("\n"):
        if len(line) <= columns:
            out.append(line)
            continue
        indent = line[:len(line) - len(line.lstrip())]
        out.append(textwrap.fill(line.strip(), columns, initial_indent=indent, subsequent_indent=indent,
                                 break_long_words=False, break_on_hyphens=False))
    return "\n".join(out)


def check_port(host: str, port: int) -> None:
    """Fail in one line, before anything is served or said, if the address cannot be listened on:
    a port in use, an address not of this machine, a port the user may not open."""
    import socket

    try:
        family, kind, proto, _, address = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)[0]
    except (socket.gaierror, UnicodeError):
        fail(f"error: --host {host}: no such address or host name", 2)
    with socket.socket(family, kind, proto) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as uvicorn binds
        try:
            probe.bind(address)
        except OSError as error:
            if error.errno == errno.EADDRINUSE:
                fail(f"error: port {port} on {host} is already in use; choose another with --port", 2)
            if error.errno == errno.EADDRNOTAVAIL:
                fail(f"error: --host {host}: not an address of this machine", 2)
            if error.errno == errno.EACCES:
                fail(f"error: port {port} on {host}: permission denied (ports below 1024 need privileges); "
                     "choose another with --port", 2)
            raise
