"""The `lacs` command line: a thin layer over the Python API.

Each command is a few lines that call the library; its docstring carries an example.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable, Iterator
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

import typer

from lacs import __version__
from lacs.cli.common import AS_AT_HELP, DB_OPTION, JSON_HELP, Commands, _console, _day, _open, _print_json, say, stderr
from lacs.cli.official import official_app

if TYPE_CHECKING:
    from lacs.errors import ReportError
    from lacs.reports.extract import Record

app = typer.Typer(
    cls=Commands,
    help="lacs: how Ofsted has judged English councils' children's services, read from Ofsted's own reports.",
    no_args_is_help=True,
    add_completion=False,
    rich_markup_mode=None,  # plain click help: rich's help formatting costs 150 ms at every --help
)
app.add_typer(official_app, name="official")


# Processes for extract: far more than any machine's cores, far fewer than would exhaust its processes.
MAX_WORKERS = 1024


def _version(value: bool) -> None:
    if value:
        print(f"lacs {__version__}")
        raise typer.Exit()


@app.callback()
def main(
    version: bool = typer.Option(False, "--version", callback=_version, is_eager=True,
                                 help="Show the version and exit."),
) -> None:
    """lacs: the complete record of Ofsted's children's services judgements."""


@app.command()
def extract(
    paths: list[Path] = typer.Argument(..., help="Report PDFs, or folders to search for them."),
    table: bool = typer.Option(False, "--table", help="Print a readable table instead of JSON lines."),
    pages: bool = typer.Option(False, "--pages", help="Include every page's text in the JSON."),
    workers: int | None = typer.Option(None, "--workers", min=1, max=MAX_WORKERS,
                                       help="Processes to use (default: every core)."),
    summary: bool = typer.Option(True, "--summary/--no-summary", help="Print a summary to stderr at the end."),
) -> None:
    """Read reports and print one JSON object per line per report.

    Problems go to stderr, one line per file; the exit code is 1 if any file failed.

    Example:

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
        from rich.console import Console

        out = Console()
        if not out.is_terminal:
            out = Console(width=200)
        from lacs.cli.render import records_table

        out.print(records_table(rows), soft_wrap=True)
    if summary:
        for line in totals.lines():
            say(line)
    sys.stdout.flush()
    raise typer.Exit(1 if totals.problems else 0)


@app.command()
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


@app.command()
def status(
    db: Path | None = DB_OPTION,
    as_json: bool = typer.Option(False, "--json", help=JSON_HELP),
) -> None:
    """Which database answers, what it holds, when it was last built or updated, and the shipped dataset's date.

    Example:

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
           else "the dataset shipped with lacs (nothing built yet)" if record.shipped
           else "your database (the default)")
    built = (None if record.shipped else
             datetime.fromtimestamp(record.path.stat().st_mtime).astimezone().isoformat(timespec="seconds"))
    holds = record.holds()
    shipped_date = shipped.holds()["latest report published"]
    info = {"database": str(record.path), "answers_because": why, "shipped": record.shipped,
            "holds": {key.replace(" ", "_"): value for key, value in holds.items()},
            "last_built_or_updated": built, "shipped_dataset": {"path": str(shipped.path),
                                                               "latest_report_published": shipped_date},
            "default_database": str(default_db_path())}
    if as_json:
        _print_json(info)
        return
    print(f"database: {record.path} ({why})")
    print(f"holds: {holds['inspections']} inspections, {holds['councils with an inspection']} councils with an "
          f"inspection, {holds['official releases']} official releases, {holds['publications']} publications, "
          f"{holds['reports read']} reports read" + ("" if holds["page text"] else " (no page text)"))
    print(f"latest report published: {holds['latest report published'] or '-'}")
    print(f"last built or updated: {built or '- (shipped with lacs)'}")
    print(f"shipped dataset: reports published to {shipped_date or '-'}")
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


# --- questions of the record ----------------------------------------------------------------

@app.command()
def council(
    name: str = typer.Argument(..., help="A council's name (any common form), URN, DfE code or GSS code."),
    as_at: str | None = typer.Option(None, "--as-at", metavar="DATE", help=AS_AT_HELP),
    as_json: bool = typer.Option(False, "--json", help=JSON_HELP),
    db: Path | None = DB_OPTION,
) -> None:
    """A council's whole history: every inspection and judgement, its predecessors', and the facts.

    Example:

        lacs council manchester
    """
    from lacs.questions.history import council_history
    history = council_history(_open(db), name, _day(as_at, "as_at"))
    if as_json:
        _print_json(history.to_json())
        return
    from lacs.cli.render import history_lines, inspections_table
    c = history.council
    out = _console()
    out.print(f"[bold]{c.name}[/]  URN {c.urn or '-'} · DfE {c.dfe_code} · {c.gss_code} · {c.region} · "
              f"{c.council_type}" + (f" · replaced on {c.end}" if c.end else ""))
    out.print(inspections_table(history.inspections) if history.inspections else "No inspections in the record.",
              soft_wrap=True)
    for line in history_lines(history):
        out.print(line, soft_wrap=True)


@app.command()
def snapshot(
    as_at: str | None = typer.Option(None, "--as-at", metavar="DATE", help=AS_AT_HELP),
    published_by: str | None = typer.Option(
        None, "--published-by", metavar="DATE",
        help="Count only reports published by this date. Default: Ofsted's rule for the date asked: a "
             "release's own as-at date gets that release's cut-off (31 March 2019: 30 April 2019); any other "
             "date the rule in force then: the end of the following month before 2024, three months after "
             "the as-at date from 2024."),
    by: str | None = typer.Option(None, "--by", metavar="region|type", help="Also count per group: region or type."),
    judgement: str = typer.Option("overall_effectiveness", "--judgement", metavar="AREA", help="The area to count."),
    release: str | None = typer.Option(
        None, "--release", metavar="YEAR",
        help="Apply an official release's rule: 2015-06, 2016-09, 2017, 2017-10, 2018, 2018-09, 2019, "
             "2019-08, 2020 to 2025, 2026 (its cut-off assumed)."),
    regions: str | None = typer.Option(
        None, "--regions", metavar="ons|ofsted",
        help="ONS's nine regions, or Ofsted's eight (default: the release's)."),
    as_json: bool = typer.Option(False, "--json", help=JSON_HELP),
    db: Path | None = DB_OPTION,
) -> None:
    """Each council's latest judgement as at a date, counted by grade, nationally and per group.

    Example:

        lacs snapshot --as-at 2024-03-31 --by region
        lacs snapshot --release 2019-08 --by region --regions ofsted
    """
    from lacs.questions.snapshot import snapshot as take_snapshot
    record = _open(db)
    day = _day(as_at, "as_at") or (None if release else date.today())
    snap = take_snapshot(record, day, _day(published_by, "published_by"), by, judgement, release, regions)
    if as_json:
        _print_json(snap.to_json())
        return
    from lacs.cli.render import snapshot_notes, snapshot_table
    out = _console()
    out.print(snapshot_table(snap), soft_wrap=True)
    notes = snapshot_notes(snap)
    if notes:
        out.print("\n".join(notes), markup=False)


@app.command()
def changes(
    start: str | None = typer.Option(None, "--from", metavar="DATE",
                                     help="Count changes whose later inspection ended on or after this date."),
    end: str | None = typer.Option(None, "--to", metavar="DATE",
                                   help="... and on or before this date (default: today)."),
    judgement: str = typer.Option("overall_effectiveness", "--judgement", metavar="AREA", help="The area to compare."),
    as_json: bool = typer.Option(False, "--json", help=JSON_HELP),
    db: Path | None = DB_OPTION,
) -> None:
    """Consecutive inspections of each council: improved, same or declined, and the grade transitions.

    Example:

        lacs changes --from 2018-01-01 --to 2024-03-31
    """
    from lacs.questions.changes import changes as find_changes
    record = _open(db)
    result = find_changes(record, _day(start, "start"), _day(end, "end"), judgement)
    if as_json:
        _print_json(result.to_json())
        return
    from lacs.cli.render import changes_tables
    out = _console()
    for table in changes_tables(result):
        out.print(table, soft_wrap=True)


@app.command()
def compare(
    name: str = typer.Argument(..., help="A council's name, URN, DfE code or GSS code."),
    with_: str = typer.Option("neighbours", "--with", metavar="neighbours|region|type",
                              help="The group: neighbours, region or type."),
    as_at: str | None = typer.Option(None, "--as-at", metavar="DATE", help=AS_AT_HELP),
    as_json: bool = typer.Option(False, "--json", help=JSON_HELP),
    db: Path | None = DB_OPTION,
) -> None:
    """A council beside its statistical neighbours, region or type: every judgement, latest and over time.

    Example:

        lacs compare manchester --with region
    """
    from lacs.questions.compare import compare as compare_council
    record = _open(db)
    result = compare_council(record, name, with_, _day(as_at, "as_at"))
    if as_json:
        _print_json(result.to_json())
        return
    from lacs.cli.render import comparison_tables
    out = _console()
    for table in comparison_tables(result):
        out.print(table, soft_wrap=True)


@app.command()
def export(
    what: str = typer.Option("latest", "--what", metavar="latest|history|judgements",
                             help="latest (a row per council), history (a row per "
                                  "inspection) or judgements (a row per inspection and area)."),
    fmt: str | None = typer.Option(None, "--format", metavar="csv|xlsx|parquet|json",
                                      help="csv, xlsx, parquet or json (default: the file's extension, else csv)."),
    output: Path | None = typer.Option(None, "--output", "-o",
                                       help="The file to write (csv and json: default stdout)."),
    force: bool = typer.Option(False, "--force", help="Overwrite the file if it exists."),
    as_at: str | None = typer.Option(None, "--as-at", metavar="DATE",
                                     help="For --what latest: as at this date (default today)."),
    db: Path | None = DB_OPTION,
) -> None:
    """Export the record for spreadsheets and analysis; a failed export leaves no partial file.

    Example:

        lacs export --what latest --format xlsx -o latest.xlsx
    """
    from lacs.questions.export import export_table, format_for, write_export

    fmt = format_for(output, fmt)
    record = _open(db)
    table = export_table(record, what, _day(as_at, "as_at"))
    write_export(table, fmt, output, force)
    if output:
        say(f"{output}: {len(table.rows)} rows ({what}, {fmt})")


@app.command()
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
) -> None:
    """Fetch the reports and letters Ofsted has published since the last update, and build them in.

    Failures are listed with their URL and reason and change nothing; a publication lacs cannot
    read (no date, an unknown kind) is listed as pending on every run; a listing that gives
    fewer councils than it says, or than the register's 153, is named. The exit code is 1 if
    any of these happened (what was fetched whole is built first). Downloads are kept in the
    cache folder ($LACS_REPORTS), by site, each database with its own record of them.

    Example:

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
    for publication in result.new if dry_run else []:
        print(f"{publication.published or '?'}  {publication.kind:32}  {publication.url}")
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


@app.command()
def story(
    name: str = typer.Argument(..., help="A council's name, URN, DfE code or GSS code."),
    inspection: str | None = typer.Option(
        None, "--inspection", metavar="DATE",
        help="Any day of its fieldwork, or its publication date (default: the latest)."),
    markdown: bool = typer.Option(False, "--markdown", help="Print Markdown."),
    as_json: bool = typer.Option(False, "--json", help="Print JSON: headline, paragraphs and facts with their data."),
    db: Path | None = DB_OPTION,
) -> None:
    """The facts of one inspection told in words: grades, change, firsts, standing, what must improve.

    Example:

        lacs story manchester --inspection 2022-05-19
    """
    from lacs.questions.story import story as tell

    record = _open(db)
    told = tell(record, name, _day(inspection, "day"))
    if as_json:
        _print_json(told.to_json())
    else:
        print(told.to_markdown() if markdown else told.to_text())


@app.command()
def feed(
    since: str | None = typer.Option(None, "--since", metavar="DATE",
                                     help="Only inspections published on or after this date."),
    limit: int = typer.Option(20, "--limit", min=1, metavar="N", help="At most this many entries."),
    db: Path | None = DB_OPTION,
) -> None:
    """An Atom feed of the most recent inspections, newest first, each told by its story.

    Example:

        lacs feed --limit 10 > lacs.atom
    """
    from lacs.questions.feed import atom_feed

    record = _open(db)
    sys.stdout.write(atom_feed(record, _day(since, "since"), limit))


@app.command(name="next")
def next_due(
    as_at: str | None = typer.Option(None, "--as-at", metavar="DATE", help=AS_AT_HELP),
    as_json: bool = typer.Option(False, "--json", help=JSON_HELP),
    db: Path | None = DB_OPTION,
) -> None:
    """Who is due: each council's last inspection and the window for its next, most overdue first.

    Example:

        lacs next --as-at 2026-11-23
    """
    from lacs.cli.grid import Grid
    from lacs.questions.due import due

    record = _open(db)
    rows = due(record, _day(as_at, "as_at"))
    if as_json:
        _print_json([d.to_json() for d in rows])
        return
    from lacs.cli.render import grade_cell
    grid = Grid(title=f"Next inspections as at {rows[0].as_at if rows else date.today()}")
    for name in ("council", "last inspected", "grade", "next", "window", "status"):
        grid.add_column(name)
    for d in rows:
        grid.add_row(d.council.name, str(d.last.end) if d.last else "-",
                     grade_cell(d.last.overall if d.last else None, short=True), d.rule.kind if d.rule else "-",
                     f"{d.earliest} to {d.latest}" if d.earliest else "-", d.status)
    _console().print(grid, soft_wrap=True)


@app.command()
def search(
    text: str = typer.Argument(..., help='Words (all must appear), "a phrase", prefix*, OR, NOT.'),
    council_name: str | None = typer.Option(None, "--council", metavar="NAME", help="Only this council's reports."),
    start: str | None = typer.Option(None, "--from", metavar="DATE", help="Inspections ending on or after this date."),
    end: str | None = typer.Option(None, "--to", metavar="DATE", help="... and on or before this date."),
    limit: int = typer.Option(20, "--limit", min=1, max=1000, metavar="N", help="At most this many pages (1 to 1000)."),
    as_json: bool = typer.Option(False, "--json", help=JSON_HELP),
    db: Path | None = DB_OPTION,
) -> None:
    """Full-text search of every report's pages, best matches first, with highlighted snippets.

    Example:

        lacs search "domestic abuse" --council manchester
    """
    from lacs.questions.search import search as find

    record = _open(db)
    hits = find(record, text, council_name, _day(start, "start"), _day(end, "end"), limit)
    if as_json:
        _print_json([h.to_json() for h in hits])
        return
    out = _console()
    for hit in hits:
        when = hit.published or hit.end
        out.print(f"{hit.council} · {hit.kind.replace('_', ' ')} · {when} · page {hit.page}", markup=False,
                  soft_wrap=True)
        out.print("  " + hit.snippet, markup=False, soft_wrap=True)  # matches are marked [like this]
    if not hits:
        say("no pages match")


@app.command()
def themes(
    as_at: str | None = typer.Option(None, "--as-at", metavar="DATE", help=AS_AT_HELP),
    by: str | None = typer.Option(None, "--by", metavar="region", help="Also count per region."),
    over_time: bool = typer.Option(False, "--over-time", help="Count inspections raising each theme, year by year."),
    as_json: bool = typer.Option(False, "--json", help=JSON_HELP),
    db: Path | None = DB_OPTION,
) -> None:
    """What needs to improve, by theme: councils whose latest inspection raised each theme.

    Example:

        lacs themes --as-at 2024-03-31 --by region
    """
    from lacs.cli.grid import Grid
    from lacs.questions.themes import load_themes, theme_counts, themes_over_time

    record = _open(db)
    names = {t.key: t.name for t in load_themes()}
    if over_time:
        years = themes_over_time(record, range(2012, (_day(as_at, "as_at") or date.today()).year + 1))
        if as_json:
            _print_json(years)
            return
        table = Grid(title="Inspections published each year raising each theme")
        table.add_column("theme")
        for year in years:
            table.add_column(str(year), justify="right")
        for key, name in names.items():
            table.add_row(name, *(str(years[y][key]) for y in years))
        _console().print(table, soft_wrap=True)
        return
    counts = theme_counts(record, _day(as_at, "as_at"), by)
    if as_json:
        _print_json(counts.to_json())
        return
    grid = Grid(title=f"Councils whose latest inspection (as at {counts.as_at}) raised each theme")
    grid.add_column("theme")
    groups = list(counts.groups)
    for group in groups:
        grid.add_column(group, justify="right")
    for key, name in names.items():
        grid.add_row(name, *(str(counts.groups[g].get(key, 0)) for g in groups))
    out = _console()
    out.print(grid, soft_wrap=True)
    out.print(f"{len(counts.unthemed)} points matched no theme (see --json for them).", soft_wrap=True)


@app.command()
def serve(
    host: str = typer.Option("127.0.0.1", "--host", help="The address to listen on (default: this machine only)."),
    port: int = typer.Option(8000, "--port", min=1, max=65535, help="The port."),
    db: Path | None = DB_OPTION,
) -> None:
    """The web dashboard and the HTTP API (/api/v1/, docs at /api/docs).

    Example:

        lacs serve --port 8000
    """
    from lacs.web.app import create_app
    from lacs.web.serving import serve as run

    application = create_app(db)
    say(f"lacs: serving on http://{host}:{port}/ (Ctrl-C to stop)")
    run(application, host, port)

