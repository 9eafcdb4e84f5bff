"""Reading OpenDocument spreadsheets: typed values, empty cells, filler, linked sheets, bad files."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from lacs.errors import BadSpreadsheet, LacsError
from lacs.official.ods import MAX_REPEAT, read_ods
from odsfiles import content_xml, write_ods, write_zip


def test_values_come_as_text_by_type(tmp_path: Path) -> None:
    path = write_ods(tmp_path / "t.ods", {"Sheet1": [
        ["2019-02-18", "80486", "3.75", "-2", "Good"],
        ["Tom & Jerry <said> \"hi\" 'there'", "Line one\nLine two\nLine three"],
    ]})
    assert read_ods(path) == {"Sheet1": [
        ["2019-02-18", "80486", "3.75", "-2", "Good"],
        ["Tom & Jerry <said> \"hi\" 'there'", "Line one\nLine two\nLine three"],
    ]}


def test_date_is_read_from_its_value_not_its_shown_text(tmp_path: Path) -> None:
    # The writer shows 2019-02-18 as "18/02/2019"; the reader must give the ISO date-value.
    path = write_ods(tmp_path / "t.ods", {"S": [["2019-02-18"]]})
    assert read_ods(path)["S"][0][0] == "2019-02-18"
    tables = content_xml('<table:table table:name="S"><table:table-row>'
                         '<table:table-cell office:value-type="date" office:date-value="2024-03-31T00:00:00">'
                         "<text:p>31 March 2024</text:p></table:table-cell></table:table-row></table:table>")
    assert read_ods(write_zip(tmp_path / "raw.ods", tables)) == {"S": [["2024-03-31"]]}


def test_number_is_read_from_its_value_not_its_shown_text(tmp_path: Path) -> None:
    tables = content_xml('<table:table table:name="S"><table:table-row>'
                         '<table:table-cell office:value-type="float" office:value="80486">'
                         "<text:p>80,486</text:p></table:table-cell></table:table-row></table:table>")
    assert read_ods(write_zip(tmp_path / "raw.ods", tables)) == {"S": [["80486"]]}


def test_empty_cells_are_none_in_a_row_and_dropped_at_its_end(tmp_path: Path) -> None:
    path = write_ods(tmp_path / "t.ods", {"S": [
        ["a", None, None, "b", None, None],
        [None, "c"],
        [None, None],
        ["d"],
        [None],
        [],
    ]})
    assert read_ods(path)["S"] == [["a", None, None, "b"], [None, "c"], [], ["d"]]


def test_filler_rows_and_columns_are_not_expanded(tmp_path: Path) -> None:
    rows: list[list[str | None]] = [["Name", "Date"], ["Barnet", "2023-07-10"], [None, "x"]]
    path = write_ods(tmp_path / "t.ods", {"One": rows, "Two": [["only"]]}, filler=True)
    start = time.perf_counter()
    sheets = read_ods(path)
    elapsed = time.perf_counter() - start
    assert sheets == {"One": rows, "Two": [["only"]]}
    assert elapsed < 2.0, f"reading a padded file took {elapsed:.1f} s: the filler was expanded"


def test_repeated_cells_and_rows_with_values_are_expanded(tmp_path: Path) -> None:
    tables = content_xml(
        '<table:table table:name="S">'
        '<table:table-row><table:table-cell office:value-type="string" table:number-columns-repeated="3">'
        '<text:p>x</text:p></table:table-cell><table:table-cell table:number-columns-repeated="2"/>'
        '<table:table-cell office:value-type="float" office:value="7"><text:p>7</text:p></table:table-cell>'
        '</table:table-row>'
        '<table:table-row table:number-rows-repeated="2"><table:table-cell office:value-type="string">'
        '<text:p>y</text:p></table:table-cell></table:table-row>'
        '<table:table-row table:number-rows-repeated="3"><table:table-cell/></table:table-row>'
        '<table:table-row><table:table-cell office:value-type="string"><text:p>z</text:p></table:table-cell>'
        '</table:table-row></table:table>')
    assert read_ods(write_zip(tmp_path / "raw.ods", tables)) == {
        "S": [["x", "x", "x", None, None, "7"], ["y"], ["y"], [], [], [], ["z"]]}


def test_a_value_repeated_to_the_edge_of_the_sheet_is_cut(tmp_path: Path) -> None:
    tables = content_xml(
        '<table:table table:name="S"><table:table-row table:number-rows-repeated="1048576">'
        '<table:table-cell office:value-type="string" table:number-columns-repeated="16384">'
        '<text:p>n/a</text:p></table:table-cell></table:table-row></table:table>')
    rows = read_ods(write_zip(tmp_path / "raw.ods", tables))["S"]
    assert len(rows) == MAX_REPEAT
    assert all(row == ["n/a"] * MAX_REPEAT for row in rows)


def test_sheets_keep_the_files_order(tmp_path: Path) -> None:
    names = ["Zeta", "Alpha", "Notes", "Beta"]
    path = write_ods(tmp_path / "t.ods", {name: [[name]] for name in names})
    sheets = read_ods(path)
    assert list(sheets) == names
    assert all(sheets[name] == [[name]] for name in names)


def test_linked_sheets_are_left_out_unless_asked_for(tmp_path: Path) -> None:
    path = write_ods(tmp_path / "t.ods", {
        "Cover": [["cover"]],
        "https://example.sharepoint.com/x.xlsx#Data": [["cached"]],
        "Data": [["data"]],
        "Other link": [["also cached"]],
    }, linked=["https://example.sharepoint.com/x.xlsx#Data", "Other link"])
    assert read_ods(path) == {"Cover": [["cover"]], "Data": [["data"]]}
    assert read_ods(path, linked=True) == {
        "Cover": [["cover"]],
        "https://example.sharepoint.com/x.xlsx#Data": [["cached"]],
        "Data": [["data"]],
        "Other link": [["also cached"]],
    }


def test_text_s_elements_are_spaces(tmp_path: Path) -> None:
    tables = content_xml(
        '<table:table table:name="S"><table:table-row><table:table-cell office:value-type="string">'
        '<text:p>A<text:s/>B<text:s text:c="3"/>C<text:span>D<text:s text:c="2"/></text:span>E</text:p>'
        "</table:table-cell></table:table-row></table:table>")
    assert read_ods(write_zip(tmp_path / "raw.ods", tables)) == {"S": [["A B   CD  E"]]}


GOOD_TABLE = '<table:table table:name="S"><table:table-row/></table:table>'


@pytest.mark.parametrize(("make", "reason"), [
    (lambda p: p, "no such file"),
    (lambda p: (p.mkdir(), p)[1], "is a folder, not a spreadsheet"),
    (lambda p: (p.write_text("Name,Date\nBarnet,2023-07-10\n"), p)[1], "not a zip file"),
    (lambda p: (p.write_bytes(b""), p)[1], "not a zip file"),
    (lambda p: write_zip(p, None), "no content.xml"),
    (lambda p: write_zip(p, None, mimetype=None), "no content.xml"),
    (lambda p: write_zip(p, content_xml(GOOD_TABLE), mimetype="application/vnd.oasis.opendocument.text"),
     "mimetype 'application/vnd.oasis.opendocument.text'"),
    (lambda p: write_zip(p, content_xml(GOOD_TABLE)[:-40]), "damaged content.xml"),
    (lambda p: write_zip(p, "<office:document-content>not xml at all"), "damaged content.xml"),
], ids=["missing", "folder", "not-a-zip", "empty-file", "no-content", "no-content-no-mimetype",
        "odt-mimetype", "truncated-xml", "bad-xml"])
def test_bad_files_raise_bad_spreadsheet_naming_file_and_reason(tmp_path: Path, make, reason: str) -> None:
    path = make(tmp_path / "bad.ods")
    with pytest.raises(BadSpreadsheet) as caught:
        read_ods(path)
    error = caught.value
    assert isinstance(error, LacsError)
    assert error.path == str(path)
    assert reason in error.reason
    assert str(error) == f"{path}: {error.reason}"


def test_ofsteds_2024_outcomes_file(official: Path) -> None:
    sheets = read_ods(official / "LA_Inspection_Outcomes_as_at_31_March_2024.ods")
    assert list(sheets) == ["Cover", "Contents", "Notes", "Inspections_31_March_2024",
                            "Inspections_in_year_2023-24", "ILACS_inspections_2018-2024"]
    header = sheets["Inspections_31_March_2024"][2]
    assert header[:4] == ["Web link", "Local authority name", "Ofsted region", "Inspection date"]
