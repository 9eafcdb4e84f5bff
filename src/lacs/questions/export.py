"""Exports: the record as a table for spreadsheets and analysis tools.

    import lacs
    from lacs.questions.export import export_table, write_export
    db = lacs.open()
    table = export_table(db, "latest", as_at=date(2024, 3, 31))  # one row per council that day
    write_export(table, "xlsx", Path("latest.xlsx"))            # or csv, parquet, json
    write_export(export_table(db, "history"), "csv", None)      # csv and json can go to stdout

Three tables: `latest` (each council's latest inspection, the layout of the ADCS summary),
`history` (one row per inspection) and `judgements` (one row per inspection and area).
A file is written whole or not at all: to a temporary file beside it, then moved into place.
"""

from __future__ import annotations

import csv
import json
import os
import sys
import tempfile
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import Any

from lacs.domain.councils import Council, load_councils
from lacs.domain.frameworks import current_areas, ordered_areas
from lacs.errors import BadQuestion, ExportError, literal
from lacs.store.database import Database, Inspection

WHATS = ("latest", "history", "judgements")
FORMATS = ("csv", "xlsx", "parquet", "json")

REPORTS_URL = "https://reports.ofsted.gov.uk/provider/44/{urn}"  # Ofsted's page of a council's reports
DATE_COLUMNS = {"start", "end", "published", "previous_end"}
INT_COLUMNS = {"urn", "improvements_count", "grade_rank"}

_INSPECTION = ["framework", "kind", "start", "end", "published", "published_source", "lead_inspector", "source"]
LATEST_START = ["council", "urn", "dfe_code", "gss_code", "region", "council_type", *_INSPECTION]
LATEST_END = ["previous_overall_effectiveness", "previous_end", "report_url"]
HISTORY_START = ["council", "urn", "dfe_code", "gss_code", "region", *_INSPECTION]
HISTORY_END = ["improvements_count", "report_url", "source_files", "source_ref"]
JUDGEMENT_COLUMNS = ["council", "urn", "gss_code", "region", "framework", "kind", "start", "end", "published", "source",
                     "area", "grade", "grade_rank"]


@dataclass(frozen=True)
class ExportTable:
    what: str
    columns: list[str]
    rows: list[dict[str, object]]  # values: str, int, float, date, bool or None


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
    if what == "latest":
        return _latest(db, as_at or date.today())
    if what == "history":
        return _history(db)
    if what == "judgements":
        return _judgements(db)
    raise BadQuestion("what", what, WHATS)


def report_url(urn: int | None) -> str | None:
    """Ofsted's page listing a council's inspection reports."""
    return REPORTS_URL.format(urn=urn) if urn else None


# --- the tables ---------------------------------------------------------------------------------

def _latest(db: Database, as_at: date) -> ExportTable:
    latest = db.latest(as_at)
    own: dict[str, list[Inspection]] = defaultdict(list)
    for each in db.inspections():
        own[each.gss_code or ""].append(each)
    rows = []
    areas = current_areas()
    for council in db.councils(on=as_at):
        inspection = latest.get(council.gss_code)
        row: dict[str, object] = {**_council_fields(council), "council_type": council.council_type}
        row |= _inspection_fields(inspection)
        for area in areas:
            row[area] = _grade(inspection, area)
        previous = _previous_overall(own[council.gss_code], inspection)
        row["previous_overall_effectiveness"] = _grade(previous, "overall_effectiveness")
        row["previous_end"] = previous.end if previous else None
        row["report_url"] = report_url(council.urn)
        rows.append(row)
    columns = latest_columns()
    return ExportTable("latest", columns, [{c: r[c] for c in columns} for r in rows])


def latest_columns() -> list[str]:
    """The latest export's columns: one per area of the current frameworks (from the registry)."""
    return [*LATEST_START, *current_areas(), *LATEST_END]


def _history(db: Database) -> ExportTable:
    inspections = db.inspections()
    areas = ordered_areas({a for i in inspections for a in i.judgements})
    columns = [*HISTORY_START, *areas, *HISTORY_END]
    rows = []
    for inspection in inspections:
        row = {**_council_fields(_register(inspection), inspection), **_inspection_fields(inspection)}
        row |= {area: _grade(inspection, area) for area in areas}
        row["improvements_count"] = len(inspection.improvements)
        row["report_url"] = report_url(row["urn"])  # type: ignore[arg-type]
        row["source_files"] = " | ".join(inspection.reports) or None
        row["source_ref"] = inspection.source_ref
        rows.append({c: row[c] for c in columns})
    return ExportTable("history", columns, rows)


def _judgements(db: Database) -> ExportTable:
    rows = []
    for inspection in db.inspections():
        base = {**_council_fields(_register(inspection), inspection), **_inspection_fields(inspection)}
        for area in ordered_areas(set(inspection.judgements)):
            grade = inspection.judgements[area]
            row = {**base, "area": area, "grade": grade.value, "grade_rank": grade.rank}
            rows.append({c: row[c] for c in JUDGEMENT_COLUMNS})
    return ExportTable("judgements", list(JUDGEMENT_COLUMNS), rows)


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
    """Write `table` as `fmt` (one of FORMATS) to `out`; csv and json go to stdout when `out` is None."""
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
    _write_atomically(Path(out), lambda path: _write_file(table, fmt, path))


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


def _write_atomically(out: Path, write: Callable[[Path], None]) -> None:
    """Write to a temporary file in the same folder, then move it over `out`; on failure remove it."""
    try:
        handle, name = tempfile.mkstemp(prefix=f".{out.name}.", suffix=".tmp", dir=out.parent)
    except OSError as error:
        raise ExportError(f"{out.parent}: cannot write here ({error.strerror})") from error
    os.close(handle)
    temporary = Path(name)
    try:
        write(temporary)
        os.chmod(temporary, _file_mode(out))
        os.replace(temporary, out)
    except OSError as error:
        temporary.unlink(missing_ok=True)
        raise ExportError(f"{out}: could not write ({error.strerror or error})") from error
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise


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
    writer = csv.writer(stream, lineterminator="\n")
    writer.writerow(table.columns)
    for row in table.rows:
        writer.writerow(["" if row[c] is None else _text(row[c]) for c in table.columns])


def _write_json(table: ExportTable, stream: Any) -> None:
    rows = [{c: _text(row[c]) if isinstance(row[c], date) else row[c] for c in table.columns} for row in table.rows]
    stream.write(json.dumps(rows, indent=2, ensure_ascii=False) + "\n")


def _text(value: object) -> object:
    return value.isoformat() if isinstance(value, date) else value


def _write_xlsx(table: ExportTable, path: Path) -> None:
    openpyxl = _needs("openpyxl", "xlsx")
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = table.what
    sheet.append(table.columns)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in table.rows:
        sheet.append([row[c] for c in table.columns])
    for n, column in enumerate(table.columns, start=1):
        cells = [r[0] for r in sheet.iter_rows(min_row=2, min_col=n, max_col=n)]
        _style_column(column, cells)
        longest = max([len(column)] + [len(str(_text(c.value))) for c in cells if c.value is not None])
        sheet.column_dimensions[get_column_letter(n)].width = min(longest + 2, 60)
    sheet.freeze_panes = "B2"
    sheet.auto_filter.ref = sheet.dimensions
    book.save(path)


def _style_column(column: str, cells: list[Any]) -> None:
    for cell in cells:
        if column in DATE_COLUMNS and cell.value is not None:
            cell.number_format = "yyyy-mm-dd"
        elif column == "report_url" and cell.value:
            cell.hyperlink = cell.value
            cell.style = "Hyperlink"


def _write_parquet(table: ExportTable, path: Path) -> None:
    pa = _needs("pyarrow", "parquet")
    import pyarrow.parquet as pq

    schema = pa.schema([(c, _arrow_type(pa, c, table.rows)) for c in table.columns])
    data = pa.Table.from_pylist([{c: row[c] for c in table.columns} for row in table.rows], schema=schema)
    pq.write_table(data, path)


def _arrow_type(pa: Any, column: str, rows: list[dict[str, object]]) -> Any:
    """date32 for dates, int64 for URNs and counts, string for the rest; others by their values."""
    if column in DATE_COLUMNS:
        return pa.date32()
    if column in INT_COLUMNS:
        return pa.int64()
    value = next((r[column] for r in rows if r[column] is not None), None)
    kinds = [(bool, pa.bool_()), (int, pa.int64()), (float, pa.float64()), (date, pa.date32())]
    return next((kind for python, kind in kinds if isinstance(value, python)), pa.string())


def _needs(module: str, fmt: str) -> Any:
    try:
        return __import__(module)
    except ImportError as error:
        raise ExportError(f"{fmt}: needs the {module} package; install it with `pip install {module}`") from error


_WRITERS: dict[str, Callable[[ExportTable, Any], None]] = {
    "csv": _write_csv, "json": _write_json, "xlsx": _write_xlsx, "parquet": _write_parquet,
}
