"""The `lacs` command line: a thin layer over the Python API.

Each command is a few lines that call the library; its docstring carries an example.
"""

from __future__ import annotations

import sys
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

import typer

from lacs import __version__
from lacs.cli.common import (
    AS_AT_HELP,
    BASE_URL_OPTION,
    DB_OPTION,
    JSON_HELP,
    WIDE_OPTION,
    Commands,
    _console,
    _day,
    _open,
    _print_json,
    paragraph,
    paragraphs,
    record_json,
    record_line,
    say,
    show,
)
from lacs.cli.official import official_app
from lacs.cli.publish import publish
from lacs.cli.record import build, extract, status, update
from lacs.cli.visits import visits

if TYPE_CHECKING:
    from rich.console import Console

app = typer.Typer(
    cls=Commands,
    help="lacs: how Ofsted has judged English councils' children's services, read from Ofsted's own reports.\n\n"
         "Tables and paragraphs fit the terminal: $COLUMNS, else the terminal's width, else 80 columns (no "
         "terminal found, as under cron); a table too wide drops or abbreviates columns in the order its "
         "command's help states, and says so under it; --wide shows every column.",
    no_args_is_help=True,
    add_completion=False,
    rich_markup_mode=None,  # plain click help: rich's help formatting costs 150 ms at every --help
)
app.add_typer(official_app, name="official")
for _command in (extract, build, status, update, publish):  # record.py, publish.py: they read or write files
    app.command()(_command)
app.command()(visits)  # in visits.py


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


# --- questions of the record ----------------------------------------------------------------

@app.command()
def council(
    name: str = typer.Argument(..., metavar="NAME",
                               help="A council's name (any common form), URN, DfE code or GSS code."),
    as_at: str | None = typer.Option(None, "--as-at", metavar="DATE", help=AS_AT_HELP),
    as_json: bool = typer.Option(False, "--json", help=JSON_HELP),
    wide: bool = WIDE_OPTION,
    db: Path | None = DB_OPTION,
) -> None:
    """A council's whole history: every inspection and judgement, its predecessors', and the facts.

    To fit the terminal, the table leaves out the lead inspector; then shortens the framework and
    abbreviates grades (with a key); then leaves out the publication date; then shortens the
    fieldwork; then leaves out the areas judged only before 2013; then gives the fieldwork as its
    last month; then leaves out the areas no framework judges today.

    Example:

    \b
        lacs council manchester
    """
    from lacs.questions.history import council_history
    record, day = _open(db), _day(as_at, "as_at")
    history = council_history(record, name, day)
    if as_json:
        _print_json({**history.to_json(), "record": record_json(record)})
        return
    from lacs.cli.render import history_lines, inspections_table
    c = history.council
    out = _console()
    paragraph(out, f"[bold]{c.name}[/]  URN {c.urn or '-'} · DfE {c.dfe_code} · {c.gss_code} · {c.region} · "
                   f"{c.council_type}" + (f" · replaced on {c.end}" if c.end else ""))
    if history.inspections:
        show(out, inspections_table(history.inspections), wide=wide)
    else:
        out.print("No inspections in the record.")
    for line in history_lines(history):
        paragraph(out, line)
    _say_record(out, record_line(record, day))


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
    wide: bool = WIDE_OPTION,
    db: Path | None = DB_OPTION,
) -> None:
    """Each council's latest judgement as at a date, counted by grade, nationally and per group.

    To fit the terminal, the table abbreviates the grades (with a key), then shortens the groups'
    names, then gives the share good or better without its base.

    Example:

    \b
        lacs snapshot --as-at 2024-03-31 --by region
        lacs snapshot --release 2019-08 --by region --regions ofsted
    """
    from lacs.questions.snapshot import snapshot as take_snapshot
    record = _open(db)
    day = _day(as_at, "as_at") or (None if release else date.today())
    snap = take_snapshot(record, day, _day(published_by, "published_by"), by, judgement, release, regions)
    if as_json:
        _print_json({**snap.to_json(), "record": record_json(record)})
        return
    from lacs.cli.render import snapshot_notes, snapshot_table
    out = _console()
    show(out, snapshot_table(snap), wide=wide)
    for note in snapshot_notes(snap):
        paragraph(out, note, markup=False)
    _say_record(out, record_line(record, _day(as_at, "as_at") or (snap.as_at if release else None)))


@app.command()
def changes(
    start: str | None = typer.Option(None, "--from", metavar="DATE",
                                     help="Count changes whose later inspection ended on or after this date."),
    end: str | None = typer.Option(None, "--to", metavar="DATE",
                                   help="... and on or before this date (default: today)."),
    judgement: str = typer.Option("overall_effectiveness", "--judgement", metavar="AREA", help="The area to compare."),
    as_json: bool = typer.Option(False, "--json", help=JSON_HELP),
    wide: bool = WIDE_OPTION,
    db: Path | None = DB_OPTION,
) -> None:
    """Consecutive inspections of each council: improved, same or declined, and the grade transitions.

    To fit the terminal, the matrix of transitions abbreviates the grades (with a key).

    Example:

    \b
        lacs changes --from 2018-01-01 --to 2024-03-31
    """
    from lacs.questions.changes import changes as find_changes
    record = _open(db)
    result = find_changes(record, _day(start, "start"), _day(end, "end"), judgement)
    if as_json:
        _print_json({**result.to_json(), "record": record_json(record)})
        return
    from lacs.cli.render import changes_tables
    out = _console()
    show(out, *changes_tables(result), wide=wide)
    _say_record(out, record_line(record, _day(end, "end")))


@app.command()
def compare(
    name: str = typer.Argument(..., metavar="NAME", help="A council's name, URN, DfE code or GSS code."),
    with_: str = typer.Option("neighbours", "--with", metavar="neighbours|region|type",
                              help="The group: neighbours, region or type."),
    as_at: str | None = typer.Option(None, "--as-at", metavar="DATE", help=AS_AT_HELP),
    as_json: bool = typer.Option(False, "--json", help=JSON_HELP),
    wide: bool = WIDE_OPTION,
    db: Path | None = DB_OPTION,
) -> None:
    """A council beside its statistical neighbours, region or type: every judgement, latest and over time.

    To fit the terminal, the table of latest grades abbreviates the grades (with a key) and
    shortens the councils' names, then gives the date of inspection as its month, then leaves it out.

    Example:

    \b
        lacs compare manchester --with region
    """
    from lacs.questions.compare import compare as compare_council
    record = _open(db)
    result = compare_council(record, name, with_, _day(as_at, "as_at"))
    if as_json:
        _print_json({**result.to_json(), "record": record_json(record)})
        return
    from lacs.cli.render import comparison_tables
    out = _console()
    show(out, *comparison_tables(result), wide=wide)
    _say_record(out, record_line(record, _day(as_at, "as_at")))


@app.command()
def export(
    what: str = typer.Option("latest", "--what", metavar="latest|history|judgements|visits|improvements|all",
                             help="latest (a row per council), history (a row per inspection), judgements (a row "
                                  "per inspection and area), visits (a row per visit between inspections), "
                                  "improvements (a row per point of what needs to improve), or all of them."),
    fmt: str | None = typer.Option(None, "--format", metavar="csv|xlsx|parquet|json",
                                      help="csv, xlsx, parquet or json (default: the file's extension, else csv)."),
    output: Path | None = typer.Option(None, "--output", "-o",
                                       help="The file to write (csv and json: default stdout); with --what all, "
                                            "the workbook (xlsx) or the folder of files, made if missing."),
    force: bool = typer.Option(False, "--force", help="Overwrite the files if they exist."),
    as_at: str | None = typer.Option(None, "--as-at", metavar="DATE",
                                     help="For --what latest (or all): as at this date (default today)."),
    db: Path | None = DB_OPTION,
) -> None:
    """Export the record for spreadsheets and analysis; a failed export leaves no partial file.

    Every table's columns are fixed and described in the workbook's Notes sheet. --what all
    writes one workbook (xlsx: Notes first, an Excel Table a sheet) or a folder with a file per
    table (csv: each with its Table Schema, history.schema.json, declaring the columns' types).

    Example:

    \b
        lacs export --what latest --format xlsx -o latest.xlsx

        lacs export --what all --format xlsx -o lacs.xlsx
    """
    from lacs.questions.export import ALL, export_table, export_tables, format_for, write_export, write_exports

    record = _open(db)
    day = _day(as_at, "as_at")
    if what == ALL:
        fmt = fmt or (format_for(output, None) if output and output.suffix else "csv")
        tables = export_tables(record, day)
        written = write_exports(tables, fmt, output, force)
        rows = ", ".join(f"{t.what} {len(t.rows)}" for t in tables)
        say(f"{output}: {len(written)} files ({fmt}; rows: {rows})" if fmt != "xlsx"
            else f"{output}: {len(tables)} tables and the notes (rows: {rows})")
        return
    fmt = format_for(output, fmt)
    table = export_table(record, what, day)
    write_export(table, fmt, output, force)
    if output:
        say(f"{output}: {len(table.rows)} rows ({what}, {fmt})")


@app.command()
def story(
    name: str = typer.Argument(..., metavar="NAME", help="A council's name, URN, DfE code or GSS code."),
    inspection: str | None = typer.Option(
        None, "--inspection", metavar="DATE",
        help="Any day of its fieldwork, or its publication date (default: the latest)."),
    markdown: bool = typer.Option(False, "--markdown", help="Print Markdown."),
    as_json: bool = typer.Option(False, "--json", help="Print JSON: headline, paragraphs and facts with their data."),
    db: Path | None = DB_OPTION,
) -> None:
    """The facts of one inspection told in words: grades, change, firsts, standing, what must improve.

    The text is wrapped to the terminal's width; Markdown and JSON are not wrapped.

    Example:

    \b
        lacs story manchester --inspection 2022-05-19
    """
    from lacs.questions.story import story as tell

    record, day = _open(db), _day(inspection, "day")
    told = tell(record, name, day)
    if as_json:
        _print_json({**told.to_json(), "record": record_json(record)})
    elif markdown:
        print(told.to_markdown())
    else:
        line = record_line(record, day)
        print(paragraphs(told.to_text() + (f"\n\n{line}" if line else "")))


@app.command()
def feed(
    since: str | None = typer.Option(None, "--since", metavar="DATE",
                                     help="Only inspections published on or after this date."),
    limit: int = typer.Option(20, "--limit", min=1, metavar="N", help="At most this many entries."),
    council: str | None = typer.Option(None, "--council", metavar="NAME", help="Only this council's inspections."),
    region: str | None = typer.Option(None, "--region", metavar="REGION", help="Only this region's inspections."),
    base_url: str | None = BASE_URL_OPTION,
    db: Path | None = DB_OPTION,
) -> None:
    """An Atom feed of the most recent inspections, newest first, each told by its story.

    Example:

    \b
        lacs feed --limit 10 > lacs.atom
        lacs feed --region "North West" --base-url https://example.org/lacs > north-west.atom
    """
    from lacs.questions.feed import atom_feed

    record = _open(db)
    sys.stdout.write(atom_feed(record, _day(since, "since"), limit, council=council, region=region,
                               base_url=base_url))


@app.command(name="next")
def next_due(
    as_at: str | None = typer.Option(None, "--as-at", metavar="DATE", help=AS_AT_HELP),
    as_json: bool = typer.Option(False, "--json", help=JSON_HELP),
    wide: bool = WIDE_OPTION,
    db: Path | None = DB_OPTION,
) -> None:
    """Who is due: each council's last inspection and the window for its next, most overdue first.

    A council whose window closed after the latest report in the record was published is marked *:
    Ofsted may have inspected it since, unknown to the record (in --json: "beyond_record").
    To fit the terminal, the table shortens the kind of the next inspection; then abbreviates the
    grades (with a key) and shortens the councils' names; then gives the window by months; then
    the status; then leaves out the kind; then gives the window's end alone; then leaves out
    the last inspection's date.

    Example:

    \b
        lacs next --as-at 2026-11-23
    """
    from lacs.questions.due import due

    record, day = _open(db), _day(as_at, "as_at")
    rows = due(record, day)
    if as_json:
        freshness = record_json(record)
        _print_json([{**d.to_json(), "record": freshness} for d in rows])
        return
    from lacs.cli.render import due_sentence, due_table
    out = _console()
    sentence = due_sentence(rows, record.freshness().latest_published)
    if sentence:
        paragraph(out, sentence, markup=False)
    show(out, due_table(rows, day or date.today()), wide=wide)
    _say_record(out, record_line(record, day))


@app.command()
def search(
    text: str = typer.Argument(..., help='Words (all must appear), "a phrase", prefix*, OR, NOT.'),
    council_name: str | None = typer.Option(None, "--council", metavar="NAME", help="Only this council's reports."),
    start: str | None = typer.Option(None, "--from", metavar="DATE", help="Inspections ending on or after this date."),
    end: str | None = typer.Option(None, "--to", metavar="DATE", help="... and on or before this date."),
    limit: int = typer.Option(20, "--limit", min=1, max=1000, metavar="N", help="At most this many hits (1 to 1000)."),
    as_json: bool = typer.Option(False, "--json", help=JSON_HELP),
    db: Path | None = DB_OPTION,
) -> None:
    """Full-text search of the reports, best matches first, with highlighted snippets: every page
    after `lacs build` or `lacs update`; on the shipped record, each report's summary of its
    findings and what it says must improve. It says which text it searched.

    Example:

    \b
        lacs search "domestic abuse" --council manchester
    """
    from lacs.questions.search import search as find
    from lacs.questions.search import search_scope

    record = _open(db)
    hits = find(record, text, council_name, _day(start, "start"), _day(end, "end"), limit)
    if as_json:
        _print_json([h.to_json() for h in hits])
        return
    from lacs.cli.render import framework_label
    for hit in hits:
        when = hit.published or hit.end
        what = f"{framework_label(hit.framework)} {hit.kind}" if hit.framework else hit.kind.replace("_", " ")
        print(paragraphs(f"{hit.council} · {what} · {when} · {hit.where}"))
        print(paragraphs("  " + hit.snippet))  # matches are marked [like this]
    if not hits:
        say("nothing matches")
    say(search_scope(record).sentence())


@app.command()
def themes(
    as_at: str | None = typer.Option(None, "--as-at", metavar="DATE", help=AS_AT_HELP),
    by: str | None = typer.Option(None, "--by", metavar="region", help="Also count per region."),
    over_time: bool = typer.Option(False, "--over-time", help="Count inspections raising each theme, year by year."),
    as_json: bool = typer.Option(False, "--json", help=JSON_HELP),
    wide: bool = WIDE_OPTION,
    db: Path | None = DB_OPTION,
) -> None:
    """What needs to improve, by theme: councils whose latest inspection raised each theme.

    To fit the terminal, the table gives the regions by their initials (with a key), then wraps
    the themes' names; --over-time wraps the names, then leaves out the earliest years first.

    Example:

    \b
        lacs themes --as-at 2024-03-31 --by region
    """
    from lacs.cli.grid import Grid
    from lacs.questions.themes import load_themes, theme_counts, themes_over_time

    record, day = _open(db), _day(as_at, "as_at")
    names = {t.key: t.name for t in load_themes()}
    if over_time:
        years = themes_over_time(record, range(2012, (day or date.today()).year + 1))
        if as_json:
            _print_json(years)
            return
        table = Grid(title="Inspections published each year raising each theme")
        table.add_column("theme", wrap=1, least=24)
        for n, year in enumerate(years):
            table.add_column(str(year), justify="right", drop=2 + n)
        for key, name in names.items():
            table.add_row(name, *(str(years[y][key]) for y in years))
        out = _console()
        show(out, table, wide=wide)
        _say_record(out, record_line(record, day))
        return
    counts = theme_counts(record, day, by)
    if as_json:
        _print_json({**counts.to_json(), "record": record_json(record)})
        return
    from lacs.cli.render import region_forms
    grid = Grid(title=f"Councils whose latest inspection (as at {counts.as_at}) raised each theme")
    grid.add_column("theme", wrap=2, least=20)
    groups = list(counts.groups)
    for group in groups:
        grid.add_column(region_forms(group), justify="right", shorten=(1,))
    for key, name in names.items():
        grid.add_row(name, *(str(counts.groups[g].get(key, 0)) for g in groups))
    out = _console()
    show(out, grid, wide=wide)
    paragraph(out, f"{len(counts.unthemed)} points matched no theme (see --json for them).")
    _say_record(out, record_line(record, day))


@app.command()
def serve(
    host: str = typer.Option("127.0.0.1", "--host", help="The address to listen on (default: this machine only)."),
    port: int = typer.Option(8000, "--port", min=1, max=65535, help="The port."),
    base_url: str | None = BASE_URL_OPTION,
    db: Path | None = DB_OPTION,
) -> None:
    """The web dashboard and the HTTP API (/api/v1/, docs at /api/docs).

    Example:

    \b
        lacs serve --port 8000
    """
    from lacs.cli.common import check_port
    from lacs.web.app import create_app
    from lacs.web.serving import serve as run

    check_port(host, port)
    application = create_app(db)
    application.state.base_url = base_url
    say(f"lacs: serving on http://{host}:{port}/ (Ctrl-C to stop)")
    run(application, host, port)


def _say_record(out: Console, line: str | None) -> None:
    """The record's date, after an answer that depends on "now" (see common.record_line)."""
    if line:
        paragraph(out, line, markup=False)

