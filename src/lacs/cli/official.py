"""`lacs official ...`: Ofsted's official statistics beside the record (see reconcile.py).

Kept apart from app.py so that each file stays one screenful of commands.
"""

from __future__ import annotations

from pathlib import Path

import typer

from lacs.cli.common import DB_OPTION, JSON_HELP, WIDE_OPTION, _console, _open, _print_json, paragraph, say, show

official_app = typer.Typer(
    help="Ofsted's official statistics: import its underlying-data spreadsheets, and check them against the "
         "reports.\n\nExample:\n\n\b\n    lacs official check --council staffordshire",
    no_args_is_help=True,
    rich_markup_mode=None,
)


@official_app.command(name="import")
def import_(
    files: list[Path] = typer.Argument(..., metavar="FILE...", help="Ofsted's underlying-data spreadsheets (.ods)."),
    db: Path | None = typer.Option(None, "--db", help="The database to write (default: $LACS_DB, else the user's)."),
) -> None:
    """Import official releases: keep each row as a source record, fill the inspections no report
    gives, and note where the two disagree. Importing a file again changes nothing.

    Example:

    \b
        lacs official import LA_Inspection_Outcomes_as_at_31_March_2025.ods
    """
    from lacs.store.reconcile import import_official
    from lacs.store.schema import default_db_path

    target = db or default_db_path()
    if not target.is_file():  # before the store's lock file is made beside it (in a folder that may not exist)
        from lacs.errors import NoStore
        raise NoStore(f"{target}: no lacs database here yet; run `lacs build FOLDER` first")
    result = import_official(files, target, on_progress=lambda path: say(f"reading {path}"))
    for key in result.unchanged:
        say(f"release {key}: already imported from the same file; nothing to do")
    if result.releases:
        say(f"{target}: imported release {', '.join(result.releases)} ({result.rows:,} rows); "
            f"{result.matched} inspections of the record matched, {result.filled} filled from the official "
            f"statistics, {result.disagreements} disagreements (see `lacs official check`)")


@official_app.command()
def check(
    council: str | None = typer.Option(None, "--council", metavar="NAME", help="Only this council's."),
    as_json: bool = typer.Option(False, "--json", help=JSON_HELP),
    wide: bool = WIDE_OPTION,
    db: Path | None = DB_OPTION,
) -> None:
    """Every disagreement between a report's record and Ofsted's official tables, with both values
    and where each came from (the report wins in the record), and the inspections filled from them.
    A grade a table files under another inspection than the one whose record holds it (a separate
    LSCB review's grade, filed under the main inspection) is listed apart, as a filing note.
    To fit the terminal, the table abbreviates the grades (with a key) and gives each inspection
    by its framework and month; then wraps the councils, areas, values and sources at spaces;
    then the inspections.

    Example:

    \b
        lacs official check --council staffordshire
    """
    from lacs.cli.render import disagreements_table, filing_notes
    record = _open(db)
    found_council = record.council(council) if council else None
    every = record.disagreements(found_council)
    filed = [d for d in every if d.report_value is not None and d.report_value == d.official_value]
    found = [d for d in every if d not in filed]
    filled = [i for i in record.inspections(found_council, improvements=False) if i.official] if found_council else [
        i for i in record.inspections(improvements=False) if i.official]
    releases = record.official_releases()
    if as_json:
        _print_json({"releases": [{"release": r, "title": t, "file": f} for r, t, f in releases],
                     "disagreements": [d.to_json() for d in found],
                     "filed_elsewhere": [d.to_json() for d in filed],
                     "filled": [{"council": i.council, "gss_code": i.gss_code, "framework": i.framework,
                                 "kind": i.kind, "start": i.start.isoformat() if i.start else None,
                                 "published": i.published.isoformat() if i.published else None,
                                 "source_ref": i.source_ref} for i in filled]})
        return
    if not releases:
        say("no official release in this database; import one with `lacs official import FILE`")
        raise typer.Exit(1)
    out = _console()
    paragraph(out, f"official releases: {', '.join(f'{r} ({f})' for r, _, f in releases)}", markup=False)
    if found:
        show(out, disagreements_table(found), wide=wide)
    else:
        out.print("No disagreements.")
    for note in filing_notes(filed):
        paragraph(out, note, markup=False)
    former = sorted({i.council for i in filled})
    paragraph(out, f"{len(found)} disagreements; {len(filled)} inspections only the official statistics give "
                   f"({', '.join(former[:12])}{' ...' if len(former) > 12 else ''}).", markup=False)
