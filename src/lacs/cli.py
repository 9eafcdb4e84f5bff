"""The `lacs` command line: a thin layer over the Python API.

Each command is a few lines that call the library; its docstring carries an example.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Callable, Iterator, Optional

import typer
from rich import box
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from . import __version__
from .build import build as run_build
from .corpus import Summary, find_reports
from .errors import LacsError, ReportError
from .store import default_db_path, default_reports_folder
from .extract import Record, extract_many

app = typer.Typer(
    help="lacs: how Ofsted has judged English councils' children's services, read from Ofsted's own reports.",
    no_args_is_help=True,
    add_completion=False,
)
stderr = Console(stderr=True, highlight=False)


def say(line: str) -> None:
    """One line to stderr, as is: no wrapping, no markup."""
    stderr.print(line, markup=False, soft_wrap=True)


def _version(value: bool) -> None:
    if value:
        print(f"lacs {__version__}")
        raise typer.Exit()


@app.callback()
def main(
    version: bool = typer.Option(False, "--version", callback=_version, is_eager=True, help="Show the version and exit."),
) -> None:
    """lacs: the complete record of Ofsted's children's services judgements."""


@app.command()
def extract(
    paths: list[Path] = typer.Argument(..., help="Report PDFs, or folders to search for them."),
    table: bool = typer.Option(False, "--table", help="Print a readable table instead of JSON lines."),
    pages: bool = typer.Option(False, "--pages", help="Include every page's text in the JSON."),
    workers: Optional[int] = typer.Option(None, "--workers", min=1, help="Processes to use (default: every core)."),
    summary: bool = typer.Option(True, "--summary/--no-summary", help="Print a summary to stderr at the end."),
) -> None:
    """Read reports and print one JSON object per line per report.

    Problems go to stderr, one line per file; the exit code is 1 if any file failed.

    Example:

        lacs extract ../shared/ofsted-reports/80521_manchester > manchester.jsonl
    """
    try:
        files = find_reports(paths)
    except FileNotFoundError as exc:
        say(f"error: {exc}")
        raise typer.Exit(2) from None
    if not files:
        say(f"error: no .pdf files in {', '.join(map(str, paths))}")
        raise typer.Exit(2)
    totals = Summary()
    rows: list[Record] = []
    for result in _with_progress(extract_many(files, workers, keep_pages=pages), len(files)):
        totals.add(result)
        if isinstance(result, ReportError):
            say(f"problem: {result}")
        elif table:
            rows.append(result)
        else:
            print(json.dumps(result.to_json(pages=pages), ensure_ascii=False), flush=False)
    if table:
        out = Console()
        if not out.is_terminal:
            out = Console(width=200)
        out.print(records_table(rows))
    if summary:
        for line in totals.lines():
            say(line)
    sys.stdout.flush()
    raise typer.Exit(1 if totals.problems else 0)


@app.command()
def build(
    folders: Optional[list[Path]] = typer.Argument(None, help="Folders of report PDFs (default: lacs's download cache)."),
    db: Optional[Path] = typer.Option(None, "--db", envvar="LACS_DB", help="The database file (default: your data folder)."),
    workers: Optional[int] = typer.Option(None, "--workers", min=1, help="Processes to use (default: every core)."),
) -> None:
    """Read every report in the folders into the database: only new or changed files are read.

    The new database is swapped in only when it is whole; files that fail are stored as
    problems and listed at the end.

    Example:

        lacs build ../shared/ofsted-reports
    """
    folders = folders or [default_reports_folder()]
    for folder in folders:
        if not folder.is_dir():
            say(f"error: {folder}: no such folder of reports")
            raise typer.Exit(2)
    db_path = db or default_db_path()
    try:
        with _progress_bar("reading reports") as advance:
            result = run_build(folders, db_path, workers, on_progress=advance)
    except LacsError as exc:
        say(f"error: {exc}")
        raise typer.Exit(3) from None
    for path, reason in result.problems:
        say(f"problem: {path}: {reason}")
    state = "updated" if result.changed else "already up to date"
    say(f"{db_path}: {state}: {result.files} files, {result.read} read, {result.skipped} unchanged, "
        f"{result.removed} removed, {len(result.problems)} problems")


class _progress_bar:
    """A rich progress bar on stderr when it is a terminal; yields a callback (done, total)."""

    def __init__(self, label: str) -> None:
        self.progress = Progress(TextColumn(label), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                                 console=stderr, transient=True) if stderr.is_terminal else None

    def __enter__(self) -> Callable[[int, int], None] | None:
        if self.progress is None:
            return None
        self.progress.start()
        task = self.progress.add_task("", total=None)
        return lambda done, total: self.progress.update(task, completed=done, total=total)

    def __exit__(self, *exc: object) -> None:
        if self.progress is not None:
            self.progress.stop()


def _with_progress(results: Iterator[tuple[str, Record | ReportError]], total: int) -> Iterator[Record | ReportError]:
    """Yield the results, drawing the progress bar as they come."""
    with _progress_bar("reading reports") as advance:
        for done, (_, result) in enumerate(results, 1):
            if advance:
                advance(done, total)
            yield result


GRADE_STYLES = {
    "outstanding": "bold green", "good": "green", "requires_improvement": "yellow",
    "adequate": "yellow", "inadequate": "bold red", "not_judged": "dim",
}
TABLE_AREAS = {
    "overall_effectiveness": "overall", "help_and_protection": "help & protection",
    "children_in_care": "in care", "care_leavers": "care leavers", "leadership": "leaders",
}


def records_table(records: list[Record]) -> Table:
    """A readable table: one row per report, grades in words (colour only adds to them)."""
    table = Table(box=box.SIMPLE_HEAD, pad_edge=False)
    for name in ("council", "framework", "kind", "fieldwork", "published", "lead inspector"):
        table.add_column(name, no_wrap=name != "council", overflow="fold")
    for title in TABLE_AREAS.values():
        table.add_column(title, no_wrap=True)
    for record in sorted(records, key=lambda r: (r.urn or 0, str(r.start or r.end or r.published or ""))):
        grades = record.to_json()["judgements"]
        table.add_row(
            record.council or "?", record.framework or "?", record.kind or "?",
            f"{record.start or '?'} to {record.end or '?'}", str(record.published or "-"),
            record.lead_inspector or "-",
            *(_grade_cell(grades.get(area)) for area in TABLE_AREAS),
        )
    return table


def _grade_cell(grade: str | None) -> str:
    if grade is None:
        return "-"
    words = "req. improvement" if grade == "requires_improvement" else grade.replace("_", " ")
    return f"[{GRADE_STYLES[grade]}]{words}[/]"
