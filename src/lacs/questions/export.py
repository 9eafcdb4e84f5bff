"""Exports: the record as tables for spreadsheets and analysis tools.

    import lacs
    from lacs.questions.export import export_table, export_tables, write_export, write_exports
    db = lacs.open()
    table = export_table(db, "latest", as_at=date(2024, 3, 31))  # one row per council that day
    write_export(table, "xlsx", Path("latest.xlsx"))            # or csv, parquet, json
    write_export(export_table(db, "history"), "csv", None)      # csv and json can go to stdout
    write_exports(export_tables(db), "xlsx", Path("lacs.xlsx"))  # every table: one workbook, with notes
    write_exports(export_tables(db), "csv", Path("lacs-csv"))    # every table: a folder of files

Five tables: `latest` (each council's latest inspection, the layout of the ADCS summary),
`history` (one row per inspection), `judgements` (one row per inspection and area), `visits`
(one row per visit between inspections) and `improvements` (one row per point of what needs to
improve). Their columns are fixed and documented in lacs.questions.columns (EXPORT_COLUMNS):
no column appears or vanishes with the data. A file is written whole or not at all: to a
temporary file beside it, then moved into place; a folder of files, every file or none.
"""

from __future__ import annotations

import csv
import json
import os
import sys
import tempfile
from collections import defaultdict
from collections.abc import Callable
from contextlib import suppress
from datetime import date
from functools import lru_cache, partial
from pathlib import Path
from typing import Any

from lacs.domain.councils import Council, load_councils
from lacs.domain.frameworks import current_areas
from lacs.errors import BadQuestion, ExportError, literal
from lacs.questions.columns import (
    EXPORT_COLUMNS,
    GRADE_ORDER,
    GRADE_ORDER_NOTE,
    WHATS,
    ExportTable,
    column_names,
    every_area,
    needs,
    table_schema,
)
from lacs.store.database import Database, Inspection

ALL = "all"  # every table: one workbook (xlsx) or a folder of files
FORMATS = ("csv", "xlsx", "parquet", "json")

REPORTS_URL = "https://reports.ofsted.gov.uk/provider/44/{urn}"  # Ofsted's page of a council's reports

_INSPECTION = ["framework", "kind", "start", "end", "published", "published_source", "lead_inspector", "source"]


def format_for(out: Path | None, fmt: str | None) -> str:
    """The format asked for, else the one the file's extension names, else csv."""
    if fmt:
        return fmt
    suffix = out.suffix.lower().lstrip(".") if out else ""
    return suffix if suffix in FORMATS else "csv"


def export_table(db: Database, what: str, as_at: date | None = None) -> ExportTable:
    """The table `what` (one of WHATS); `as_at` is the day of the `latest` snapshot (default today)."""
    if as_at is not None and what != "latest":
        raise BadQuestion("as_at", as_at, "only with what latest",
                          "{parameter} applies to {what} latest only; {what_value} exports every inspection",
                          {"what": what})
    if what not in _TABLES:
        raise BadQuestion("what", what, WHATS)
    rows = _TABLES[what](db, as_at or date.today()) if what == "latest" else _TABLES[what](db)
    columns = column_names(what)
    return ExportTable(what, columns, [{c: r.get(c) for c in columns} for r in rows], db.freshness(),
                       tuple(title for _, title, _ in db.official_releases()),
                       (as_at or date.today()) if what == "latest" else None)


def export_tables(db: Database, as_at: date | None = None) -> list[ExportTable]:
    """Every table, in WHATS's order; `as_at` is the day of the `latest` one (default today)."""
    return [export_table(db, what, as_at if what == "latest" else None) for what in WHATS]


def report_url(urn: int | None) -> str | None:
    """Ofsted's page listing a council's inspection reports."""
    return REPORTS_URL.format(urn=urn) if urn else None


def latest_columns() -> list[str]:
    """The latest export's columns: one per area of the current frameworks (from the registry)."""
    return column_names("latest")


# --- the tables ---------------------------------------------------------------------------------

Row = dict[str, object]


def _latest(db: Database, as_at: date) -> list[Row]:
    latest = db.latest(as_at)
    own: dict[str, list[Inspection]] = defaultdict(list)
    for each in db.inspections(improvements=False):
        own[each.gss_code or ""].append(each)
    rows = []
    areas = current_areas()
    for council in db.councils(on=as_at):
        inspection = latest.get(council.gss_code)
        row: Row = {**_council_fields(council), "council_type": council.council_type}
        row |= _inspection_fields(inspection)
        for area in areas:
            row[area] = _grade(inspection, area)
        previous = _previous_overall(own[council.gss_code], inspection)
        row["previous_overall_effectiveness"] = _grade(previous, "overall_effectiveness")
        row["previous_end"] = previous.end if previous else None
        row["report_url"] = report_url(council.urn)
        rows.append(row)
    return rows


def _history(db: Database) -> list[Row]:
    """One row per inspection, a column per area of every_area(); an area outside it (a database
    written by another lacs) is in the judgements table only."""
    areas = every_area()
    rows = []
    for inspection in db.inspections():
        row = {**_council_fields(_register(inspection), inspection), **_inspection_fields(inspection)}
        row |= {area: _grade(inspection, area) for area in areas}
        row["improvements_count"] = len(inspection.improvements)
        row["report_url"] = report_url(row["urn"])  # type: ignore[arg-type]
        row["source_files"] = " | ".join(inspection.reports) or None
        row["source_ref"] = inspection.source_ref
        rows.append(row)
    return rows


def _judgements(db: Database) -> list[Row]:
    rows = []
    order = {area: n for n, area in enumerate(every_area())}
    for inspection in db.inspections(improvements=False):
        base = {**_council_fields(_register(inspection), inspection), **_inspection_fields(inspection)}
        for area in sorted(inspection.judgements, key=lambda a: (order.get(a, len(order)), a)):
            grade = inspection.judgements[area]
            rows.append({**base, "area": area, "grade": grade.value, "grade_rank": grade.rank})
    return rows


def _visits(db: Database) -> list[Row]:
    """Every visit between inspections (focused and monitoring visits...), oldest first."""
    found = sorted(db.visits(), key=lambda v: (v.date or date.min, v.council, v.kind))
    return [{"council": v.council, "gss_code": v.gss_code, "kind": v.kind, "date": v.start, "end": v.end,
             "published": v.published, "theme": v.theme, "source": v.source, "source_ref": v.source_ref}
            for v in found]


def _improvements(db: Database) -> list[Row]:
    """Every point of what needs to improve, of the council's list and the safeguarding board's,
    in the order of the inspections (oldest first), then list and position."""
    inspections = db.inspections(improvements=False)
    place = {i.id: n for n, i in enumerate(inspections)}
    by_id = {i.id: i for i in inspections}
    points = sorted((p for p in db.improvement_points() if p[0] in by_id), key=lambda p: (place[p[0]], p[1], p[2]))
    return [{"council": by_id[i].council, "gss_code": by_id[i].gss_code, "framework": by_id[i].framework,
             "start": by_id[i].start, "end": by_id[i].end, "published": by_id[i].published,
             "list": listed, "position": position, "text": text} for i, listed, position, text in points]


_TABLES: dict[str, Callable[..., list[Row]]] = {
    "latest": _latest, "history": _history, "judgements": _judgements, "visits": _visits,
    "improvements": _improvements,
}

def _register(inspection: Inspection) -> Council | None:
    return _by_gss_code().get(inspection.gss_code or "")


@lru_cache(maxsize=1)
def _by_gss_code() -> dict[str, Council]:
    return {c.gss_code: c for c in load_councils()}


def _council_fields(council: Council | None, inspection: Inspection | None = None) -> dict[str, object]:
    """The council's columns; the inspection's name and code where the register lacks the council."""
    if council is None:
        return {"council": inspection.council if inspection else None, "urn": None, "dfe_code": None,
                "gss_code": inspection.gss_code if inspection else None, "region": None}
    return {"council": inspection.council if inspection else council.name, "urn": council.urn,
            "dfe_code": council.dfe_code or None, "gss_code": council.gss_code, "region": council.region or None}


def _inspection_fields(inspection: Inspection | None) -> dict[str, object]:
    """The inspection's own columns; `source` says "report" or "Ofsted official statistics"."""
    fields = {name: getattr(inspection, name) if inspection else None for name in _INSPECTION}
    fields["source"] = inspection.source_label if inspection else None
    return fields


def _grade(inspection: Inspection | None, area: str) -> str | None:
    grade = inspection.judgements.get(area) if inspection else None
    return grade.value if grade else None


def _previous_overall(own: list[Inspection], latest: Inspection | None) -> Inspection | None:
    """The council's last inspection before `latest` that has an overall grade."""
    if latest is None:
        return None
    before = own[:next(n for n, i in enumerate(own) if i.id == latest.id)]
    return next((i for i in reversed(before) if i.overall is not None), None)


# --- writing ------------------------------------------------------------------------------------

def write_export(table: ExportTable, fmt: str, out: Path | None, force: bool = False) -> None:
    """Write `table` as `fmt` (one of FORMATS) to `out`; csv and json go to stdout when `out` is None.
    An xlsx workbook has the Notes sheet first (lacs.questions.workbook)."""
    if fmt not in _WRITERS:
        raise BadQuestion("fmt", fmt, FORMATS)
    if out is None:
        if fmt not in ("csv", "json"):
            raise BadQuestion("out", out, "a file to write to",
                              "{fmt_value}: a binary format needs a file to write to; give one with {parameter}",
                              {"fmt": fmt})
        _WRITERS[fmt](table, sys.stdout)
        return
    _check_target(Path(out), force)
    _write_atomically([(Path(out), lambda path: _write_file(table, fmt, path))])


def write_exports(tables: list[ExportTable], fmt: str, out: Path | None, force: bool = False) -> list[Path]:
    """Write every table: xlsx as one workbook `out` (Notes first, a sheet each); csv, json and
    parquet as a folder `out` of files named for the tables (made if missing; its parent must
    exist), a csv with its Table Schema beside it (`history.schema.json`). Returns the files written;
    without `force`, any of them that exists already is refused and nothing is written."""
    if fmt not in _WRITERS:
        raise BadQuestion("fmt", fmt, FORMATS)
    if out is None:
        raise BadQuestion("out", out, "a file or folder to write to",
                          "{what} {what_value}: every table needs a file (xlsx) or a folder to write to; give it with "
                          "{parameter}", {"what": ALL})
    out = Path(out)
    if fmt == "xlsx":
        from lacs.questions.workbook import write_workbook

        _check_target(out, force)
        _write_atomically([(out, lambda path: write_workbook(tables, path))])
        return [out]
    made = _folder(out)
    files = _folder_files(tables, fmt, out)
    try:
        for target, _ in files:
            _check_target(target, force)
        _write_atomically(files)
    except BaseException:
        if made:
            with suppress(OSError):  # not empty: some file was moved in before the failure
                out.rmdir()
        raise
    return [target for target, _ in files]


def _folder(out: Path) -> bool:
    """Make the folder if it is not there (True: made now); refuse anything else that is not a folder."""
    if out.is_dir() and not out.is_symlink():
        return False
    if out.exists() or out.is_symlink():
        raise ExportError(f"{out}: not a folder; every table as csv, json or parquet goes into a folder "
                          "(as xlsx: into one workbook)")
    if not out.parent.is_dir():
        raise ExportError(f"{out.parent}: no such folder")
    try:
        out.mkdir()
    except OSError as error:
        raise ExportError(f"{out}: cannot make this folder ({error.strerror})") from error
    return True


def _folder_files(tables: list[ExportTable], fmt: str, out: Path) -> list[tuple[Path, Callable[[Path], None]]]:
    files: list[tuple[Path, Callable[[Path], None]]] = []
    for table in tables:
        files.append((out / f"{table.what}.{fmt}", partial(_write_file, table, fmt)))
        if fmt == "csv":
            files.append((out / f"{table.what}.schema.json", partial(_write_schema, table)))
    return files


def _check_target(out: Path, force: bool) -> None:
    if not out.parent.is_dir():
        raise ExportError(f"{out.parent}: no such folder")
    if out.is_symlink():  # a loop, a dangling link or a link to a file: os.replace would put a file in its place
        raise ExportError(f"{out}: is a symbolic link; give the file itself (lacs replaces only regular files)")
    if out.is_dir():
        raise ExportError(f"{out}: is a folder; give a file name")
    if out.exists() and not out.is_file():
        raise ExportError(f"{out}: not a regular file (a device, a pipe or a socket); lacs replaces only "
                          "regular files")
    if out.exists() and not force:
        raise BadQuestion("force", force, "True to overwrite the file",
                          literal(str(out)) + ": already exists; use {parameter} to overwrite")


def _write_atomically(files: list[tuple[Path, Callable[[Path], None]]]) -> None:
    """Write each file to a temporary file in its folder, then, once all are written, move each
    over its target; on failure remove every temporary file, leaving the targets as they were."""
    temporary: list[Path] = []
    current = files[0][0]
    try:
        for current, write in files:
            temporary.append(_temporary(current))
            write(temporary[-1])
            os.chmod(temporary[-1], _file_mode(current))
        for (current, _), path in zip(files, temporary, strict=True):
            os.replace(path, current)
    except OSError as error:
        _remove(temporary)
        raise ExportError(f"{current}: could not write ({error.strerror or error})") from error
    except BaseException:
        _remove(temporary)
        raise


def _temporary(out: Path) -> Path:
    try:
        handle, name = tempfile.mkstemp(prefix=f".{out.name}.", suffix=".tmp", dir=out.parent)
    except OSError as error:
        raise ExportError(f"{out.parent}: cannot write here ({error.strerror})") from error
    os.close(handle)
    return Path(name)


def _remove(paths: list[Path]) -> None:
    for path in paths:
        path.unlink(missing_ok=True)


def _file_mode(out: Path) -> int:
    """The existing file's mode when replacing it, else what a new file would get."""
    if out.exists():
        return out.stat().st_mode & 0o777
    mask = os.umask(0)
    os.umask(mask)
    return 0o666 & ~mask


def _write_file(table: ExportTable, fmt: str, path: Path) -> None:
    if fmt in ("csv", "json"):
        # A CSV file starts with a byte-order mark, without which Excel misreads accented names.
        with path.open("w", encoding="utf-8-sig" if fmt == "csv" else "utf-8", newline="") as stream:
            _WRITERS[fmt](table, stream)
    else:
        _WRITERS[fmt](table, path)


def _write_csv(table: ExportTable, stream: Any) -> None:
    """ISO dates, whole numbers as digits, an empty cell for no value: the types table_schema() declares."""
    writer = csv.writer(stream, lineterminator="\n")
    writer.writerow(table.columns)
    for row in table.rows:
        writer.writerow(["" if row[c] is None else _text(row[c]) for c in table.columns])


def _write_schema(table: ExportTable, path: Path) -> None:
    schema = table_schema(table.what)
    path.write_text(json.dumps(schema, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")


def _write_json(table: ExportTable, stream: Any) -> None:
    rows = [{c: _text(row[c]) if isinstance(row[c], date) else row[c] for c in table.columns} for row in table.rows]
    stream.write(json.dumps(rows, indent=2, ensure_ascii=False) + "\n")


def _text(value: object) -> object:
    return value.isoformat() if isinstance(value, date) else value


def _write_xlsx(table: ExportTable, path: Path) -> None:
    from lacs.questions.workbook import write_workbook

    write_workbook([table], path)


def _write_parquet(table: ExportTable, path: Path) -> None:
    needs("pyarrow", "parquet")
    import pyarrow.parquet as pq

    pq.write_table(arrow_table(table, ordered_grades=False), path)


def arrow_table(table: ExportTable, ordered_grades: bool = True) -> Any:
    """The table as a pyarrow Table typed by EXPORT_COLUMNS: date32, int64, string, and a grade as
    an ordered dictionary of GRADE_ORDER's words (`ordered_grades`; else a string). Each field's
    metadata holds its meaning, and a grade's the order."""
    pa = needs("pyarrow", "arrow")
    fields, arrays = [], []
    for column in EXPORT_COLUMNS[table.what]:
        values = [row[column.name] for row in table.rows]
        metadata = {"description": column.meaning}
        if column.type == "grade" and ordered_grades:
            metadata["grade_order"] = ",".join(GRADE_ORDER)
            metadata["grade_order_note"] = GRADE_ORDER_NOTE
            indices = pa.array([GRADE_ORDER.index(v) if v is not None else None for v in values], pa.int8())
            array = pa.DictionaryArray.from_arrays(indices, pa.array(GRADE_ORDER, pa.string()), ordered=True)
        else:
            array = pa.array(values, _ARROW_TYPES[column.type](pa))
        fields.append(pa.field(column.name, array.type, metadata=metadata))
        arrays.append(array)
    return pa.Table.from_arrays(arrays, schema=pa.schema(fields, metadata={"table": table.what}))


_ARROW_TYPES: dict[str, Callable[[Any], Any]] = {
    "string": lambda pa: pa.string(), "grade": lambda pa: pa.string(), "integer": lambda pa: pa.int64(),
    "date": lambda pa: pa.date32(),
}


_WRITERS: dict[str, Callable[[ExportTable, Any], None]] = {
    "csv": _write_csv, "json": _write_json, "xlsx": _write_xlsx, "parquet": _write_parquet,
}
