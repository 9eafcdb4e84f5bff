"""The export tables as one Excel workbook: a Notes sheet first, then a sheet per table.

    write_workbook(export_tables(db), Path("lacs.xlsx"))

The Notes sheet says what the data are, where they come from, their licence, how current the
record is, how adequate is counted, and every column's meaning (from EXPORT_COLUMNS). Each data
sheet holds one Excel Table (so Power BI and Excel's "From Table/Range" find it by name), dates
as Excel dates, its header row and first column frozen.
"""

from __future__ import annotations

import re
import warnings
from datetime import date
from pathlib import Path
from typing import Any

from lacs import __version__
from lacs.questions.columns import EXPORT_COLUMNS, GRADE_ORDER_NOTE, ExportTable, needs

OGL = "Contains public sector information licensed under the Open Government Licence v3.0."
OGL_URL = "https://www.nationalarchives.gov.uk/doc/open-government-licence/version/3/"
LACS_LICENCE = ("The tables, as lacs compiles them from those sources, and lacs itself are released under the MIT "
                "licence (see lacs's pyproject.toml).")

ROWS = {
    "latest": "One row per council that existed on {as_at}: its latest inspection by the official statistics' rule "
              "(fieldwork ended and report published by that day).",
    "history": "One row per inspection, oldest first; a column per area any framework grades (empty where the "
               "inspection gave no grade for it).",
    "judgements": "One row per inspection and area judged.",
    "visits": "One row per visit between inspections (focused and monitoring visits) that the record holds.",
    "improvements": "One row per point of what the report says needs to improve.",
}

ADEQUATE = ("Before November 2013 the third grade was adequate: the grade between good and inadequate. From "
            "November 2013 that place on the scale is requires improvement to be good (requires_improvement). lacs "
            "ranks adequate with requires improvement (grade_rank 3). In lacs's good-or-better shares (lacs snapshot) "
            "a council with a grade counts as good or better when it is good or outstanding, so a council judged "
            "adequate counts among the graded councils and not as good or better, as one that requires improvement "
            "does. not_judged (a very small council whose area Ofsted did not judge) is no grade: it is not counted "
            "among the graded councils.")

# Characters XML 1.0 (so an xlsx file) cannot hold. The PDF reader gives U+FFFE for a hyphen that
# ended a line ("single\\ufffeagency"): written as a hyphen; the others as U+FFFD.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
WIDEST = 60  # characters: a column of long text wraps at this width


def write_workbook(tables: list[ExportTable], path: Path) -> None:
    """Write the tables to `path` as one workbook, the Notes sheet first (streamed: write-only)."""
    openpyxl = needs("openpyxl", "xlsx")
    book = openpyxl.Workbook(write_only=True)
    _notes(book.create_sheet("Notes"), tables)
    for table in tables:
        _data_sheet(book.create_sheet(table.what), table)
    book.save(path)


def table_name(what: str) -> str:
    """The Excel Table's name: unique in the workbook, a letter first, no spaces, no cell reference."""
    return f"lacs_{what}"


def _notes(sheet: Any, tables: list[ExportTable]) -> None:
    from openpyxl.styles import Alignment, Font

    first = tables[0]
    lines: list[tuple[str, str]] = [
        ("What the data are", "Every inspection of English councils' children's services that the record holds, "
                              "with the grades Ofsted gave each area, read from Ofsted's own reports"
                              + (", and from Ofsted's official statistics the inspections whose reports are not in "
                                 "the record" if first.releases else "") + "."),
        ("The record's date", first.freshness.sentence() if first.freshness else "not known"),
        ("Made", f"{date.today().isoformat()} by lacs {__version__}"),
        ("Sources", "Ofsted's inspection reports (https://reports.ofsted.gov.uk), read by lacs"
                    + ("; Ofsted's official statistics: " + "; ".join(first.releases) if first.releases else "")
                    + "."),
        ("Licence", f"{OGL} {OGL_URL}"),
        ("", LACS_LICENCE),
        ("How adequate is counted", ADEQUATE),
        ("Grades in order", GRADE_ORDER_NOTE + "."),
        ("Empty cells", "No value: the record does not know it, or the inspection gave no grade for that area."),
        ("Dates", "Excel dates here; YYYY-MM-DD in the CSV files."),
        *((f"Sheet {t.what}", f"{ROWS[t.what].format(as_at=t.as_at)} {len(t.rows)} rows.") for t in tables),
    ]
    for letter, width in zip("ABCD", (24, 90, 10, 90), strict=True):
        sheet.column_dimensions[letter].width = width
    wrap = Alignment(wrap_text=True, vertical="top")

    def row(*values: object, bold: int = 0, size: int | None = None) -> list[Any]:
        """The values as cells, wrapped; the first `bold` of them bold."""
        return [_styled(sheet, v, font=Font(bold=n < bold, size=size), alignment=wrap) for n, v in enumerate(values)]

    sheet.append(row("lacs: Ofsted's judgements of English councils' children's services", bold=1, size=14))
    for label, text in lines:
        sheet.append(row(label, text, bold=1))
    sheet.append([])
    sheet.append(row("Columns", bold=1, size=12))
    sheet.append(row("Sheet", "Column", "Type", "Meaning", bold=4))
    for table in tables:
        for column in EXPORT_COLUMNS[table.what]:
            sheet.append(row(table.what, column.name, column.type, column.meaning))


def _data_sheet(sheet: Any, table: ExportTable) -> None:
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.filters import AutoFilter
    from openpyxl.worksheet.table import Table, TableColumn, TableStyleInfo

    types = {c.name: c.type for c in EXPORT_COLUMNS[table.what]}
    for n, column in enumerate(table.columns, start=1):
        longest = max([len(column)] + [len(str(r[column])) for r in table.rows if r[column] is not None])
        sheet.column_dimensions[get_column_letter(n)].width = min(longest + 2, WIDEST)
    sheet.freeze_panes = "B2"
    sheet.append([_styled(sheet, c, font=Font(bold=True)) for c in table.columns])
    for row in table.rows:
        sheet.append([_value(sheet, row[c], c, types[c]) for c in table.columns])
    if not table.rows:  # a Table needs a row under its header: an empty table keeps one empty row
        sheet.append([])
    last = f"{get_column_letter(len(table.columns))}{max(len(table.rows), 1) + 1}"
    excel = Table(displayName=table_name(table.what), ref=f"A1:{last}", autoFilter=AutoFilter(ref=f"A1:{last}"),
                  tableColumns=[TableColumn(id=n, name=c) for n, c in enumerate(table.columns, start=1)])
    excel.tableStyleInfo = TableStyleInfo(name="TableStyleLight9", showRowStripes=True)
    with warnings.catch_warnings():  # openpyxl warns of write-only mode's table columns, given above
        warnings.simplefilter("ignore", UserWarning)
        sheet.add_table(excel)


def _value(sheet: Any, value: object, column: str, kind: str) -> object:
    """A cell's value, styled where it needs it: a date's format, a link, text that looks like a formula."""
    if value is None:
        return None
    if kind == "date":
        return _styled(sheet, value, number_format="yyyy-mm-dd")
    if column == "report_url":
        return _styled(sheet, value, hyperlink=value, style="Hyperlink")
    if isinstance(value, str):
        value = _xml_text(value)
        if value.startswith("="):
            return _styled(sheet, value, data_type="s")  # text, never a formula
    return value


def _styled(sheet: Any, value: object, **style: Any) -> Any:
    from openpyxl.cell import WriteOnlyCell

    cell = WriteOnlyCell(sheet, value)
    for name, setting in style.items():
        setattr(cell, name, setting)
    return cell


def _xml_text(value: str) -> str:
    if _NOT_XML.search(value):
        return _NOT_XML.sub(lambda m: "-" if m.group() == "\ufffe" else "\ufffd", value)
    return value
