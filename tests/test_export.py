"""Exports of the shipped dataset: the tables' rows and every format read back."""

from __future__ import annotations

import csv
import json
from datetime import date

import pytest

import lacs
from lacs.errors import BadQuestion, ExportError
from lacs.questions import export
from lacs.questions.export import export_table, format_for, write_export
from lacs.store.shipped import SHIPPED


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


def test_xlsx_has_bold_header_frozen_panes_filter_dates_and_links(latest, tmp_path):
    openpyxl = pytest.importorskip("openpyxl")
    out = tmp_path / "latest.xlsx"
    write_export(latest, "xlsx", out)
    sheet = openpyxl.load_workbook(out)["latest"]
    header = [c.value for c in sheet[1]]
    assert header == latest.columns and all(c.font.bold for c in sheet[1])
    assert sheet.freeze_panes == "B2"
    assert sheet.auto_filter.ref == f"A1:{sheet.cell(1, len(header)).column_letter}154"
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
    with pytest.raises(BadQuestion, match="^what 'councils': accepted are latest, history, judgements$"):
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
