"""`lacs visits`: the visits Ofsted made between inspections (questions/visits.py)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import typer

from lacs.cli.common import DB_OPTION, JSON_HELP, WIDE_OPTION, _console, _day, _open, _print_json, paragraph, say, show


def visits(
    council: str | None = typer.Option(None, "--council", metavar="NAME",
                                       help="Only this council's (and its predecessors')."),
    start: str | None = typer.Option(None, "--from", metavar="DATE", help="Visits from this date, YYYY-MM-DD."),
    end: str | None = typer.Option(None, "--to", metavar="DATE", help="... to this date."),
    kind: str | None = typer.Option(None, "--kind", metavar="KIND",
                                    help="Only visits of this kind: focused_visit, monitoring_visit or "
                                         "joint_targeted_area_inspection."),
    as_json: bool = typer.Option(False, "--json", help=JSON_HELP),
    wide: bool = WIDE_OPTION,
    db: Path | None = DB_OPTION,
) -> None:
    """Visits between inspections, oldest first: focused and monitoring visits (letters, no grades),
    from Ofsted's in-year tables and the letters `lacs update` fetched, each with its theme.

    To fit the terminal, the table first shortens the source to its release and row, then wraps
    the theme, then shortens the councils' names, then leaves out the source, then the date
    published.

    Example:

    \b
        lacs visits --council manchester
        lacs visits --from 2024-04-01 --kind monitoring_visit --json
    """
    from lacs.questions.visits import visits as find

    record = _open(db)
    found = find(record, council, _day(start, "start"), _day(end, "end"), kind)
    tables = record.visits_reach()  # the years whose every visit the record holds
    if as_json:
        _print_json({"visits": [v.to_json() for v in found],
                     "tables_cover": {"from": _iso(tables[0]), "to": _iso(tables[1])} if tables else None})
        return
    from lacs.cli.grid import Forms, Grid
    from lacs.cli.render import name_forms

    grid = Grid()
    grid.add_column("council", shorten=(3,), wrap=6)
    grid.add_column("kind")
    grid.add_column("date")
    grid.add_column("published", drop=5)
    grid.add_column("theme", wrap=2, least=16)
    grid.add_column("source", shorten=(1,), drop=4, wrap=2, least=16)
    for v in found:
        source = v.url or v.source_ref
        short = source.replace("release ", "").replace(", sheet ", " ").split(" ")
        grid.add_row(name_forms(v.council, ()) if v.council else "-", v.kind_name, _iso(v.date) or "not given",
                     _iso(v.published) or "not given", v.theme or "not given",
                     Forms((source, f"{short[0]}, row {short[-1]}" if v.source == "official" else source)))
    out = _console()
    if found:
        show(out, grid, wide=wide)
    else:
        say("no visits match")
    if tables:
        letters = any(v.source == "letter" for v in record.visits())
        paragraph(out, f"{len(found)} {'visit' if len(found) == 1 else 'visits'}. The record holds every visit "
                       f"that Ofsted's in-year tables list, from {tables[0]} to {tables[1]}"
                       f"{', and the letters `lacs update` fetched' if letters else ''}.", markup=False)


def _iso(day: date | None) -> str | None:
    return day.isoformat() if day else None
