"""Exports of the shipped dataset: the tables' rows, their fixed columns, every format read back,
the workbook with its notes, and the CSV files as polars and pandas read them."""

from __future__ import annotations

import csv
import json
import re
from dataclasses import replace
from datetime import date, datetime
from pathlib import Path

import pytest

import lacs
from lacs.errors import BadQuestion, ExportError
from lacs.questions import export
from lacs.questions.columns import EXPORT_COLUMNS, TYPES, WHATS, column_names, date_columns, every_area
from lacs.questions.export import export_table, export_tables, format_for, write_export, write_exports
from lacs.store.schema import connect, create
from lacs.store.shipped import SHIPPED
from lacs.store.visits import refresh_letter_visits
from lacs.store.writes import PublicationRow, add_publication


@pytest.fixture(scope="module")
def db() -> lacs.Database:
    return lacs.open(SHIPPED)


@pytest.fixture(scope="module")
def latest(db) -> export.ExportTable:
    return export_table(db, "latest", as_at=date(2024, 3, 31))


def _row(table: export.ExportTable, council: str) -> dict[str, object]:
    return next(r for r in table.rows if r["council"] == council)


def test_latest_has_a_row_for_each_council_that_existed_that_day(latest):
    # 158 councils in the register; the five former ones (Bournemouth, Poole, Dorset County,
    # Northamptonshire, Cumbria) had all gone by 1 April 2023, so 153 remain on 31 March 2024.
    assert len(latest.rows) == 153
    assert len({r["gss_code"] for r in latest.rows}) == 153
    assert not {"Cumbria", "Northamptonshire", "Poole"} & {r["council"] for r in latest.rows}


def test_a_council_not_yet_inspected_keeps_its_row_with_empty_inspection_fields(latest):
    row = _row(latest, "Cumberland")  # created April 2023, first inspected later
    assert row["urn"] and row["framework"] is None and row["end"] is None and row["overall_effectiveness"] is None
    assert row["report_url"] == f"https://reports.ofsted.gov.uk/provider/44/{row['urn']}"


def test_manchester_latest_and_previous_grade(db):
    table = export_table(db, "latest", as_at=date(2023, 1, 1))
    row = _row(table, "Manchester")
    assert row["overall_effectiveness"] == "good"
    assert row["end"] == date(2022, 4, 1)
    assert row["previous_overall_effectiveness"] == "requires_improvement"
    assert row["previous_end"] == date(2017, 11, 2)
    assert row["report_url"] == "https://reports.ofsted.gov.uk/provider/44/80521"
    assert table.columns[-3:] == ["previous_overall_effectiveness", "previous_end", "report_url"]


def test_history_has_one_row_per_inspection_oldest_first(db):
    table = export_table(db, "history")
    inspections = db.inspections()
    assert len(table.rows) == len(inspections) == 717  # 493 from reports, 224 from the official statistics
    assert sum(r["source"] == "Ofsted official statistics" for r in table.rows) == 224
    # official-only ones know no end of fieldwork: they sit where the placement rule puts them
    placed = [i.placed_on for i in inspections]
    assert placed == sorted(placed) and all(r["end"] or r["published"] for r in table.rows)
    assert table.columns[13:20] == ["overall_effectiveness", "leadership", "help_and_protection",
                                    "children_in_care", "care_leavers", "adoption", "lscb"]
    assert "lac_overall_effectiveness" in table.columns
    assert [r["gss_code"] for r in table.rows] == [i.gss_code for i in inspections]  # every council's, none dropped
    assert sum(r["improvements_count"] for r in table.rows) > 0


def test_judgements_has_one_row_per_judgement(db):
    table = export_table(db, "judgements")
    assert len(table.rows) == sum(len(i.judgements) for i in db.inspections())
    assert db.conn.execute("SELECT count(*) FROM judgements").fetchone()[0] == len(table.rows)
    ranks = {r["grade"]: r["grade_rank"] for r in table.rows}
    assert ranks["outstanding"] == 1 and ranks["inadequate"] == 4


def test_csv_round_trips(latest, tmp_path):
    out = tmp_path / "latest.csv"
    write_export(latest, "csv", out)
    assert out.read_bytes().startswith(b"\xef\xbb\xbfcouncil,"), "a byte-order mark, for Excel"
    rows = list(csv.DictReader(out.open(encoding="utf-8-sig", newline="")))
    assert len(rows) == 153 and list(rows[0]) == latest.columns
    assert _row_of(rows, "Cumberland")["end"] == ""
    assert _row_of(rows, "Manchester")["end"] == _row(latest, "Manchester")["end"].isoformat()


def test_csv_and_json_go_to_stdout_without_a_file(latest, capsys):
    write_export(latest, "json", None)
    rows = json.loads(capsys.readouterr().out)
    assert len(rows) == 153
    cumberland = _row_of(rows, "Cumberland")
    assert cumberland["end"] is None and isinstance(cumberland["urn"], int)
    write_export(latest, "csv", None)
    assert capsys.readouterr().out.startswith("council,urn,dfe_code,")


def test_json_file_keeps_dates_iso_and_non_ascii(tmp_path, latest):
    out = tmp_path / "latest.json"
    write_export(latest, "json", out)
    rows = json.loads(out.read_text(encoding="utf-8"))
    assert _row_of(rows, "Manchester")["end"] == "2022-04-01"
    assert _row_of(rows, "West Berkshire")["lead_inspector"] == "Máire Atherton"
    assert "Máire" in out.read_text(encoding="utf-8")  # written as is, not \u-escaped
    assert out.read_text(encoding="utf-8").startswith('[\n  {\n    "council"')


def test_xlsx_has_notes_then_a_table_with_bold_header_frozen_panes_dates_and_links(latest, tmp_path):
    openpyxl = pytest.importorskip("openpyxl")
    out = tmp_path / "latest.xlsx"
    write_export(latest, "xlsx", out)
    book = openpyxl.load_workbook(out)
    assert book.sheetnames == ["Notes", "latest"]
    sheet = book["latest"]
    header = [c.value for c in sheet[1]]
    assert header == latest.columns and all(c.font.bold for c in sheet[1])
    assert sheet.freeze_panes == "B2"
    [excel] = sheet.tables.values()
    assert excel.ref == f"A1:{sheet.cell(1, len(header)).column_letter}154" and not sheet.auto_filter.ref
    manchester = next(r for r in sheet.iter_rows(min_row=2) if r[0].value == "Manchester")
    end = manchester[header.index("end")].value
    assert end.date() == _row(latest, "Manchester")["end"]
    link = manchester[header.index("report_url")]
    assert link.hyperlink.target == "https://reports.ofsted.gov.uk/provider/44/80521"
    assert sheet.column_dimensions["A"].width > 10


def test_parquet_columns_are_typed(db, tmp_path):
    pq = pytest.importorskip("pyarrow.parquet")
    import pyarrow as pa

    out = tmp_path / "history.parquet"
    table = export_table(db, "history")
    write_export(table, "parquet", out)
    read = pq.read_table(out)
    assert read.num_rows == 717 and read.column_names == table.columns
    assert read.schema.field("end").type == pa.date32()
    assert read.schema.field("urn").type == pa.int64()
    assert read.schema.field("improvements_count").type == pa.int64()
    assert read.schema.field("council").type == pa.string()
    assert read.column("end").to_pylist() == [r["end"] for r in table.rows]


def test_binary_formats_need_a_file(latest):
    for fmt in ("xlsx", "parquet"):
        with pytest.raises(BadQuestion, match=f"^{fmt}: a binary format needs a file to write to; give one with out$"):
            write_export(latest, fmt, None)


def test_existing_file_is_refused_without_force_and_replaced_with_it(latest, tmp_path):
    out = tmp_path / "latest.csv"
    out.write_text("old\n")
    with pytest.raises(BadQuestion, match="already exists; use force to overwrite"):
        write_export(latest, "csv", out)
    assert out.read_text() == "old\n"
    write_export(latest, "csv", out, force=True)
    assert out.read_text(encoding="utf-8-sig").startswith("council,urn,")
    assert list(tmp_path.iterdir()) == [out]


@pytest.mark.parametrize("existing", [False, True])
def test_failure_mid_write_leaves_no_partial_file(latest, tmp_path, monkeypatch, existing):
    out = tmp_path / "latest.json"
    if existing:
        out.write_text("old\n")

    def broken(table, stream):
        stream.write("[\n  {")
        raise RuntimeError("disk on fire")

    monkeypatch.setitem(export._WRITERS, "json", broken)
    with pytest.raises(RuntimeError):
        write_export(latest, "json", out, force=True)
    assert list(tmp_path.iterdir()) == ([out] if existing else [])
    if existing:
        assert out.read_text() == "old\n"


def test_os_error_mid_write_becomes_an_export_error(latest, tmp_path, monkeypatch):
    def full(*args):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(export.os, "replace", full)
    with pytest.raises(ExportError, match="latest.csv: could not write .No space left on device."):
        write_export(latest, "csv", tmp_path / "latest.csv")
    assert list(tmp_path.iterdir()) == []


def test_missing_folder_is_named(latest, tmp_path):
    missing = tmp_path / "nowhere"
    with pytest.raises(ExportError, match=f"^{missing}: no such folder$"):
        write_export(latest, "csv", missing / "latest.csv")


def test_unknown_table_and_format_list_the_choices(db, latest, tmp_path):
    with pytest.raises(BadQuestion, match="^what 'councils': accepted are latest, history, judgements, visits, "
                                          "improvements$"):
        export_table(db, "councils")
    with pytest.raises(BadQuestion, match="^fmt 'xls': accepted are csv, xlsx, parquet, json$"):
        write_export(latest, "xls", tmp_path / "x.xls")
    assert list(tmp_path.iterdir()) == []


def test_as_at_belongs_to_latest_only_and_the_format_follows_the_extension(db, tmp_path):
    with pytest.raises(BadQuestion, match="as at applies to what latest only"):
        export_table(db, "history", date(2024, 3, 31))
    assert (format_for(tmp_path / "a.xlsx", None), format_for(tmp_path / "a.XLSX", "json"),
            format_for(None, None), format_for(tmp_path / "a.txt", None)) == ("xlsx", "json", "csv", "csv")


def _row_of(rows: list[dict], council: str) -> dict:
    return next(r for r in rows if r["council"] == council)


# --- fixed, documented columns ------------------------------------------------------------------

@pytest.fixture(scope="module")
def empty(tmp_path_factory) -> lacs.Database:
    """A record with no inspection, and one visit an update found."""
    path = tmp_path_factory.mktemp("empty") / "lacs.db"
    conn = connect(path)
    create(conn)
    add_publication(conn, PublicationRow("https://files.ofsted.gov.uk/v1/file/50212345", 80521, "E08000003",
                                         "focused_visit", date(2024, 5, 2), "Focused visit letter"))
    refresh_letter_visits(conn)  # what every build and update does: a visit for each letter stored
    conn.close()
    return lacs.open(path)


@pytest.mark.parametrize("what", WHATS)
def test_a_table_has_the_same_columns_whatever_the_record_holds(db, empty, what):
    full, none = export_table(db, what), export_table(empty, what)
    assert full.columns == none.columns == [c.name for c in EXPORT_COLUMNS[what]]
    assert len(set(full.columns)) == len(full.columns)
    assert all(list(row) == full.columns for row in full.rows + none.rows)


def test_the_history_has_a_column_for_every_area_of_the_registry_even_one_no_inspection_judged(db, empty):
    history = export_table(empty, "history").columns
    assert {"overall_effectiveness", "adoption", "lscb", "lac_outcomes", "safeguarding_children_safe",
            "child_protection_overall_effectiveness"} <= set(history)
    judged = {a for i in db.inspections() for a in i.judgements}
    assert judged <= set(every_area()) and judged != set(every_area())  # some area the shipped record never graded


def test_every_column_is_documented_with_a_type_and_a_meaning():
    for what in WHATS:
        for column in EXPORT_COLUMNS[what]:
            assert column.type in TYPES and len(column.meaning) > 10, (what, column)
            assert "None" not in column.meaning and "?" not in column.meaning
    grades = [c.name for c in EXPORT_COLUMNS["history"] if c.type == "grade"]
    assert grades == every_area()
    assert column_names("visits") == ["council", "gss_code", "kind", "date", "end", "published", "theme", "source",
                                      "source_ref"]
    assert column_names("improvements") == ["council", "gss_code", "framework", "start", "end", "published", "list",
                                            "position", "text"]


def test_visits_lists_every_councils_visits(empty):
    [visit] = export_table(empty, "visits").rows
    assert visit == {"council": "Manchester", "gss_code": "E08000003", "kind": "focused_visit", "date": None,
                     "end": None, "published": date(2024, 5, 2), "theme": None, "source": "letter",
                     "source_ref": "https://files.ofsted.gov.uk/v1/file/50212345"}


def test_improvements_hold_every_point_of_both_lists_in_order(db):
    rows = export_table(db, "improvements").rows
    assert len(rows) == db.conn.execute("SELECT count(*) FROM improvements").fetchone()[0]
    # the safeguarding board's points of a SIF inspection with its LSCB review are there too
    assert {r["list"] for r in rows} == {"council", "lscb"}
    assert sum(r["list"] == "lscb" and r["framework"] == "sif" for r in rows) > 700
    manchester = [r for r in rows if r["council"] == "Manchester" and r["end"] == date(2022, 4, 1)]
    assert [r["position"] for r in manchester] == list(range(1, len(manchester) + 1)) and manchester


# --- every table at once ------------------------------------------------------------------------

@pytest.fixture(scope="module")
def workbook(db, tmp_path_factory):
    """Every table, cut to its first rows (and each point the PDF reader left a hyphen mark in), to be quick."""
    openpyxl = pytest.importorskip("openpyxl")
    out = tmp_path_factory.mktemp("book") / "lacs.xlsx"
    tables = [replace(t, rows=t.rows[:40] + [r for r in t.rows[40:] if "\ufffe" in str(r.get("text"))])
              for t in export_tables(db, date(2024, 3, 31))]
    assert write_exports(tables, "xlsx", out) == [out]
    return openpyxl.load_workbook(out), tables


def test_the_workbook_has_notes_first_then_a_sheet_per_table_each_one_excel_table(workbook):
    book, tables = workbook
    assert book.sheetnames == ["Notes", *WHATS]
    names = []
    for table in tables:
        sheet = book[table.what]
        [excel] = sheet.tables.values()
        names.append(excel.displayName)
        last = sheet.cell(1, len(table.columns)).column_letter
        assert excel.ref == f"A1:{last}{max(len(table.rows), 1) + 1}", table.what
        assert [c.value for c in sheet[1]] == table.columns and sheet.freeze_panes == "B2"
        assert sheet.max_row == len(table.rows) + 1
    assert len(set(names)) == len(names) and all(re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]{2,}", n) for n in names)


def test_the_workbook_keeps_dates_as_dates_and_text_as_text(workbook):
    book, tables = workbook
    sheet = book["history"]
    header = [c.value for c in sheet[1]]
    published = [r[header.index("published")] for r in sheet.iter_rows(min_row=2)]
    assert all(isinstance(c.value, datetime) and c.number_format == "yyyy-mm-dd" for c in published)
    points = [r[-1].value for r in book["improvements"].iter_rows(min_row=2)]
    # XML cannot hold the mark the PDF reader leaves for a hyphen that ended a line: a hyphen
    assert any("\ufffe" in r["text"] for r in tables[-1].rows)
    assert points == [r["text"].replace("\ufffe", "-") for r in tables[-1].rows]



def test_the_notes_say_what_the_data_are_their_sources_licence_date_and_every_column(db, workbook):
    book, tables = workbook
    text = "\n".join(str(v) for row in book["Notes"].iter_rows(values_only=True) for v in row if v)
    assert "Contains public sector information licensed under the Open Government Licence v3.0" in text
    assert "MIT licence" in text and db.freshness().sentence() in text
    assert "Local authority inspection outcomes as at 31 March 2025" in text  # an official release imported
    assert "adequate" in text and "good or better" in text
    assert "2024-03-31" in text  # the latest table's day
    listed = {(row[0], row[1]) for row in book["Notes"].iter_rows(values_only=True) if row[2] in TYPES}
    assert listed == {(t.what, c) for t in tables for c in t.columns}


def test_every_table_as_csv_goes_into_a_folder_with_its_table_schema(db, tmp_path):
    out = tmp_path / "release"
    written = write_exports(export_tables(db), "csv", out)
    assert sorted(p.name for p in out.iterdir()) == sorted(p.name for p in written) == sorted(
        f"{w}.{ext}" for w in WHATS for ext in ("csv", "schema.json"))
    schema = json.loads((out / "history.schema.json").read_text(encoding="utf-8"))
    assert [f["name"] for f in schema["fields"]] == column_names("history")
    assert next(f for f in schema["fields"] if f["name"] == "end")["type"] == "date"


def test_a_folder_export_refuses_files_there_and_writes_nothing_without_force(db, tmp_path):
    out = tmp_path / "release"
    out.mkdir()
    (out / "judgements.csv").write_text("mine\n")
    (out / "notes.txt").write_text("mine too\n")
    tables = export_tables(db)
    with pytest.raises(BadQuestion, match="judgements.csv: already exists; use force to overwrite"):
        write_exports(tables, "csv", out)
    assert sorted(p.name for p in out.iterdir()) == ["judgements.csv", "notes.txt"]
    write_exports(tables, "csv", out, force=True)
    assert (out / "judgements.csv").read_text(encoding="utf-8-sig").startswith("council,")
    assert (out / "notes.txt").read_text() == "mine too\n"


def test_a_failed_folder_export_leaves_no_file_and_no_folder(db, tmp_path, monkeypatch):
    def broken(table, stream):
        if table.what == "visits":
            raise RuntimeError("disk on fire")
        stream.write("ok")

    monkeypatch.setitem(export._WRITERS, "json", broken)
    with pytest.raises(RuntimeError):
        write_exports(export_tables(db), "json", tmp_path / "release")
    assert list(tmp_path.iterdir()) == []


def test_every_table_needs_somewhere_to_go(db, tmp_path):
    with pytest.raises(BadQuestion, match="what all: every table needs a file .xlsx. or a folder"):
        write_exports(export_tables(db), "csv", None)
    (tmp_path / "file").write_text("x")
    with pytest.raises(ExportError, match="file: not a folder"):
        write_exports(export_tables(db), "csv", tmp_path / "file")


# --- the CSV files read by polars and pandas ----------------------------------------------------

@pytest.fixture(scope="module")
def csvs(db, tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("csv") / "release"
    write_exports(export_tables(db), "csv", out)
    return out


def test_the_history_csv_starts_with_100_rows_of_no_start_date(csvs):
    """Why a reader that guesses from the first rows cannot find the dates: polars reads `start` as text."""
    pl = pytest.importorskip("polars")
    guessed = pl.read_csv(csvs / "history.csv", try_parse_dates=True)
    assert guessed["start"].head(100).null_count() == 100 and guessed.schema["start"] == pl.String
    declared = pl.read_csv(csvs / "history.csv", schema=_polars_schema(pl, csvs / "history.schema.json"))
    assert declared.schema["start"] == pl.Date and declared["start"].null_count() < 300


@pytest.mark.parametrize("what", WHATS)
def test_polars_reads_each_csv_with_the_documented_types(csvs, what):
    pl = pytest.importorskip("polars")
    path = csvs / f"{what}.csv"
    guessed = pl.read_csv(path)  # default options: whole numbers found, dates left as text
    assert guessed.columns == column_names(what)
    for column in EXPORT_COLUMNS[what]:
        if column.type == "integer" and guessed[column.name].head(100).null_count() < min(100, guessed.height):
            assert guessed.schema[column.name] == pl.Int64, column.name
    declared = pl.read_csv(path, schema=_polars_schema(pl, csvs / f"{what}.schema.json"))
    kinds = {"string": pl.String, "grade": pl.String, "integer": pl.Int64, "date": pl.Date}
    assert declared.schema == pl.Schema({c.name: kinds[c.type] for c in EXPORT_COLUMNS[what]})
    assert declared.height == len(export_table(lacs.open(SHIPPED), what).rows)
    fully = pl.read_csv(path, try_parse_dates=True, infer_schema_length=None)  # guessing from every row
    assert all(fully.schema[c] == pl.Date for c in date_columns(what) if fully[c].null_count() < fully.height)


@pytest.mark.parametrize("what", WHATS)
def test_pandas_reads_each_csv(csvs, what):
    pd = pytest.importorskip("pandas")
    read = pd.read_csv(csvs / f"{what}.csv", encoding="utf-8-sig", parse_dates=date_columns(what),
                       dtype={c.name: "string" for c in EXPORT_COLUMNS[what] if c.type in ("string", "grade")})
    assert list(read.columns) == column_names(what)
    assert all(pd.api.types.is_datetime64_any_dtype(read[c]) for c in date_columns(what)) or read.empty


def _polars_schema(pl, path: Path):
    """The README's recipe: a polars schema from lacs's Table Schema sidecar."""
    kinds = {"string": pl.String, "integer": pl.Int64, "date": pl.Date}
    return {f["name"]: kinds[f["type"]] for f in json.loads(path.read_text(encoding="utf-8"))["fields"]}


# --- the command ----------------------------------------------------------------------------------

def test_lacs_export_what_all_writes_a_folder_and_says_what(tmp_path):
    from typer.testing import CliRunner

    from lacs.cli.app import app

    runner = CliRunner()
    out = tmp_path / "release"
    done = runner.invoke(app, ["export", "--what", "all", "-o", str(out), "--db", str(SHIPPED)])
    assert done.exit_code == 0, done.stderr
    assert done.stderr.strip() == (f"{out}: 10 files (csv; rows: latest 153, history 717, judgements 3018, visits 291, "
                                   "improvements 4639)")
    again = runner.invoke(app, ["export", "--what", "all", "-o", str(out), "--db", str(SHIPPED)])
    assert again.exit_code == 2
    assert again.stderr.strip() == f"error: {out}/latest.csv: already exists; use --force to overwrite"
    nowhere = runner.invoke(app, ["export", "--what", "all", "--db", str(SHIPPED)])
    assert nowhere.exit_code == 2 and nowhere.stderr.strip() == (
        "error: --what all: every table needs a file (xlsx) or a folder to write to; give it with --output")


def test_no_column_of_the_history_is_a_grade_of_something_that_is_no_area():
    grades = [c.name for c in EXPORT_COLUMNS["history"] if c.type == "grade"]
    assert "theme" not in grades  # the in-year tables' visit theme is no graded area
