"""What every command shares: the options, the output helpers, and the one place errors end.

A command lets lacs's errors go: `Commands.invoke` catches them all, says the message in one
line on stderr, naming parameters as the command line spells them (as_at -> --as-at), and
exits with the code EXIT_CODES gives the error's class (the most specific class listed wins).
Heavy modules (rich, the store) are imported only when a command needs them.
"""

from __future__ import annotations

import json
from datetime import date
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

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

# 1: some files failed (extract, update); 2: asked wrongly or of the wrong file; 3: try again later.
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


class Commands(TyperGroup):
    """The lacs command group: a LacsError from any command is one line on stderr and an exit code."""

    def invoke(self, ctx: Any) -> Any:
        try:
            return super().invoke(ctx)
        except LacsError as error:
            say(f"error: {error.spoken(option)}")
            raise typer.Exit(exit_code(error)) from None


@cache
def stderr() -> Console:
    from rich.console import Console

    return Console(stderr=True, highlight=False, emoji=False)


def say(line: str) -> None:
    """One line to stderr, as is: no wrapping, no markup."""
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


def _console() -> Console:
    """stdout for tables: no emoji codes or highlighting (grades carry their own colour), and
    200 columns when it is not a terminal, so that piped tables are not cut."""
    from rich.console import Console

    out = Console(highlight=False, emoji=False)
    return out if out.is_terminal else Console(width=200, highlight=False, emoji=False)
