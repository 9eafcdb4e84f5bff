"""The commands that read reports or change the record: extract, build, status, update.
Registered on the app in app.py; each is a few lines over the store and the report reader."""

from __future__ import annotations

import json
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import typer

from lacs.cli.common import (
    DB_OPTION,
    JSON_HELP,
    WIDE_OPTION,
    _console,
    _open,
    _print_json,
    paragraphs,
    record_json,
    say,
    show,
    stderr,
)

if TYPE_CHECKING:
    from lacs.errors import ReportError
    from lacs.reports.extract import Record


# Processes for extract: far more than any machine's cores, far fewer than would exhaust its processes.
MAX_WORKERS = 1024


def extract(
    paths: list[Path] = typer.Argument(..., help="Report PDFs, or folders to search for them."),
    table: bool = typer.Option(False, "--table", help="Print a readable table instead of JSON lines."),
    pages: bool = typer.Option(False, "--pages", help="Include every page's text in the JSON."),
    workers: int | None = typer.Option(None, "--workers", min=1, max=MAX_WORKERS,
                                       help="Processes to use (default: every core)."),
    summary: bool = typer.Option(True, "--summary/--no-summary", help="Print a summary to stderr at the end."),
    wide: bool = WIDE_OPTION,
) -> None:
    """Read reports and print one JSON object per line per report.

    Problems go to stderr, one line per file; the exit code is 1 if any file failed. To fit the
    terminal, --table leaves out the lead inspector; then abbreviates the grades (with a key) and
    shortens the councils' names; then leaves out the publication date; then gives the fieldwork
    as its last month; then leaves out the kind; then wraps the councils' names.

    Example:

    \b
        lacs extract ../shared/ofsted-reports/80521_manchester > manchester.jsonl
    """
    from lacs.errors import ReportError
    from lacs.reports.corpus import Summary, find_reports
    from lacs.reports.extract import extract_many
    for path in paths:
        path.stat()  # the file system's own reason (a symlink loop, no permission), said by Commands.invoke
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
        from lacs.cli.render import records_table

        show(_console(), records_table(rows), wide=wide)
    if summary:
        for line in totals.lines():
            say(line)
    sys.stdout.flush()
    raise typer.Exit(1 if totals.problems else 0)


def build(
    folders: list[Path] | None = typer.Argument(None, help="Folders of report PDFs (default: lacs's download cache)."),
    db: Path | None = typer.Option(None, "--db", envvar="LACS_DB",
                                   help="The database file (default: your data folder)."),
    workers: int | None = typer.Option(None, "--workers", min=1, help="Processes to use (default: every core)."),
    replace: bool = typer.Option(False, "--replace",
                                 help="Let the database lacs answers from by default become these folders' "
                                      "record alone, dropping what they do not hold."),
) -> None:
    """Read every report in the folders into the database: only new or changed files are read.

    Your database (the one lacs answers from by default) starts as the record shipped with lacs
    and every build adds to it: reports not in these folders are kept, and a build that would
    leave it with less than it had is refused unless --replace. With --db another file, the
    database holds these folders' reports alone. The new database is swapped in only when it
    is whole; files that fail are stored as problems and listed at the end.

    Example:

    \b
        lacs build ../shared/ofsted-reports
    """
    from lacs.store.build import build as run_build
    from lacs.store.schema import default_db_path, default_reports_folder

    folders = folders or [default_reports_folder()]
    for folder in folders:
        if not folder.is_dir():
            say(f"error: {folder}: no such folder of reports")
            raise typer.Exit(2)
    db_path = db or default_db_path()
    with _progress_bar("reading reports") as advance:
        result = run_build(folders, db_path, workers, on_progress=advance, seed_official=True, replace=replace)
    for path, reason in result.problems:
        say(f"problem: {path}: {reason}")
    if result.created:
        say(f"{db_path}: a new database" + (", starting as the record shipped with lacs" if result.users_record
                                             and not replace else ""))
    elif result.upgraded:
        say(f"{db_path}: brought up to this lacs's schema, keeping everything it held")
    state = "updated" if result.changed else "already up to date"
    say(f"{db_path}: {state}: {result.files} files, {result.read} read, {result.skipped} unchanged, "
        f"{result.removed} removed, {len(result.problems)} problems")
    if not result.users_record:
        say(f"{db_path}: holds these folders' reports only (and Ofsted's official rows), not the whole record; "
            f"lacs answers from {default_db_path()} unless given --db")
    elif replace:
        say(f"{db_path}: now these folders' record alone (--replace)")


def status(
    db: Path | None = DB_OPTION,
    as_json: bool = typer.Option(False, "--json", help=JSON_HELP),
) -> None:
    """Which database answers, what it holds, when it was last built or updated, and the shipped dataset's date.

    Example:

    \b
        lacs status
    """
    import os
    from datetime import datetime

    from lacs.store.database import Database
    from lacs.store.schema import default_db_path
    from lacs.store.shipped import shipped_path

    record = _open(db)
    shipped = Database(shipped_path(), shipped=True)
    env = os.environ.get("LACS_DB")
    why = ("--db" if db and (not env or Path(env) != db) else "$LACS_DB" if env
           else "the dataset shipped with lacs: nothing built yet" if record.shipped
           else "your database, the default")
    built = (None if record.shipped else
             datetime.fromtimestamp(record.path.stat().st_mtime).astimezone().isoformat(timespec="seconds"))
    holds = record.holds()
    shipped_date = shipped.holds()["latest report published"]
    info = {"database": str(record.path), "answers_because": why, "shipped": record.shipped,
            "holds": {key.replace(" ", "_"): value for key, value in holds.items()},
            "last_built_or_updated": built, "shipped_dataset": {"path": str(shipped.path),
                                                               "latest_report_published": shipped_date},
            "default_database": str(default_db_path()), "record": record_json(record)}
    if as_json:
        _print_json(info)
        return
    print(paragraphs(f"database: {record.path} ({why})"))
    print(paragraphs(f"holds: {holds['inspections']} inspections, {holds['councils with an inspection']} councils "
                     f"with an inspection, {holds['official releases']} official releases, {holds['publications']} "
                     f"publications, {holds['reports read']} reports read"
                     + ("" if holds["page text"] else " (no page text)")))
    print(f"latest report published: {holds['latest report published'] or '-'}")
    print(f"last built or updated: {built or '- (shipped with lacs)'}")
    print(f"shipped dataset: reports published to {shipped_date or '-'}")
    print(paragraphs(record.freshness().sentence()))
    if not record.shipped and holds["inspections"] < shipped.holds()["inspections"]:  # type: ignore[operator]
        say(f"note: {record.path} holds fewer inspections than the shipped dataset; `lacs build FOLDER` "
            "of the whole corpus, or a new database, gives the whole record")


class _progress_bar:
    """A rich progress bar on stderr when it is a terminal; yields a callback (done, total)."""

    def __init__(self, label: str) -> None:
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

        self.progress = Progress(TextColumn(label), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                                 console=stderr(), transient=True) if stderr().is_terminal else None

    def __enter__(self) -> Callable[[int, int], None] | None:
        if self.progress is None:
            return None
        progress = self.progress
        progress.start()
        task = progress.add_task("", total=None)
        return lambda done, total: progress.update(task, completed=done, total=total)

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


def update(
    dry_run: bool = typer.Option(False, "--dry-run", help="List what would be fetched; fetch nothing."),
    council_name: str | None = typer.Option(None, "--council", metavar="NAME", help="Only this council."),
    site: str = typer.Option("https://reports.ofsted.gov.uk", "--site", metavar="URL",
                             help="The site to read (another copy of Ofsted's)."),
    delay: float = typer.Option(1.0, "--delay", min=0, metavar="SECONDS", help="Pause between requests."),
    budget: float | None = typer.Option(None, "--budget", min=1, metavar="SECONDS",
                                           help="Give up after this long in all."),
    db: Path | None = typer.Option(None, "--db", envvar="LACS_DB",
                                   help="The database file (default: your data folder)."),
    wide: bool = WIDE_OPTION,
) -> None:
    """Fetch the reports and letters Ofsted has published since the last update, and build them in.

    Failures are listed with their URL and reason and change nothing; a publication lacs cannot
    read (no date, an unknown kind) is listed as pending on every run; a listing that gives
    fewer councils than it says, or than the register's 153, is named. The exit code is 1 if
    any of these happened (what was fetched whole is built first). Downloads are kept in the
    cache folder ($LACS_REPORTS), by site, each database with its own record of them. To fit the
    terminal, --dry-run's list wraps the kinds, then the addresses, at spaces and slashes.

    Example:

    \b
        lacs update --dry-run
    """
    from lacs.domain.councils import resolve_council
    from lacs.site.fetch import Fetcher
    from lacs.site.listing import check_site
    from lacs.store.schema import default_db_path, default_reports_folder
    from lacs.store.update import update as run_update

    site = check_site(site)  # before anything else: one line and exit 2, no request
    chosen = resolve_council(council_name) if council_name else None
    cache = default_reports_folder()
    fetcher = Fetcher(delay=delay, budget=budget, cache=cache / "pages")
    try:
        with _progress_bar("fetching") as advance:
            result = run_update(db or default_db_path(), cache, site, chosen, dry_run, fetcher,
                                on_progress=(lambda _, done, total: advance(done, total)) if advance else None)
    finally:
        fetcher.close()
    if dry_run and result.new:
        from lacs.cli.grid import Grid

        listing = Grid()
        listing.add_column("published")
        listing.add_column("kind", wrap=1)
        listing.add_column("address", wrap=2)
        for publication in result.new:
            listing.add_row(str(publication.published or "date not given"), publication.kind.replace("_", " "),
                            publication.url)
        show(_console(), listing, wide=wide)
    for url, reason in result.failures:
        say(f"failed: {url}: {reason}")
    for publication, reason in result.pending:
        say(f"pending: {publication.url}: {reason}")
    if result.shortfall:
        say(f"listing: {result.shortfall}")
    verb = "would fetch" if dry_run else "fetched"
    count = len(result.new) if dry_run else len(result.fetched)
    say(f"{result.providers} councils, {len(result.new)} new publications, {verb} {count}, "
        f"{result.built} reports built, {len(result.failures)} failures, {len(result.pending)} pending, "
        f"{fetcher.requests} requests")
    raise typer.Exit(0 if result.ok else 1)
