"""Reading OpenDocument spreadsheets: typed values, empty cells, filler, linked sheets, bad files."""

from __future__ import annotations

import hashlib
import io
import json
import subprocess
import sys
import time
from pathlib import Path

import pytest

from lacs.errors import BadSpreadsheet, LacsError
from lacs.official import ods
from lacs.official.ods import MAX_REPEAT, read_ods
from odsfiles import content_xml, laughs_bomb, lie_about_size, repeat_bomb, text_bomb, write_ods, write_zip


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


# --- bombs: every dimension is bounded ----------------------------------------------------------

CHILD = """
import json, resource, sys, time
resource.setrlimit(resource.RLIMIT_AS, (3 * 2**30, 3 * 2**30))  # a reader without limits fails, not the machine
from lacs.errors import BadSpreadsheet
from lacs.official.ods import read_ods
start = time.perf_counter()
try:
    sheets = read_ods(sys.argv[1])
    refused = None
except BadSpreadsheet as error:
    refused = str(error)
seconds = time.perf_counter() - start
try:  # this process's own high-water mark (ru_maxrss would count the parent's from before exec)
    status = open("/proc/self/status").read()
    peak_kb = int(status.split("VmHWM:")[1].split()[0])
except (OSError, IndexError):
    peak_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print(json.dumps({"refused": refused, "seconds": seconds, "peak_mb": peak_kb / 1024}))
"""


def read_in_a_child(path: Path) -> dict:
    """read_ods(path) in a fresh interpreter: what it refused, how long it took, its peak memory."""
    done = subprocess.run([sys.executable, "-c", CHILD, str(path)], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr[-2000:]
    return json.loads(done.stdout)


def lying_text_bomb(path: Path) -> Path:
    """A gigabyte of text in a cell whose zip entry says it is 64 MB (under the limit)."""
    return lie_about_size(text_bomb(path), "content.xml", 64 * 2**20)


def understated_text_bomb(path: Path) -> Path:
    """A gigabyte of text whose zip entry says it is 1 KB: it must not be read past its word."""
    return lie_about_size(text_bomb(path), "content.xml", 1024)


def overstated_entry(path: Path) -> Path:
    """A small, honest content.xml whose zip entry says it is 4 GB."""
    return lie_about_size(write_zip(path, content_xml(GOOD_TABLE)), "content.xml", 0xFFFFFFF0)


@pytest.mark.parametrize(("make", "largest", "reason"), [
    (repeat_bomb, 2_000, "a row is repeated 10,000,000,000 times in sheet 'S', beyond lacs's limit of "
                         f"{ods.MAX_ROWS:,} rows"),
    (lambda p: repeat_bomb(p, times=16384), 2_000, "the sheet has more cells with values in sheet 'S', beyond "
                                                   f"lacs's limit of {ods.MAX_SHEET_CELLS:,} cells"),
    (text_bomb, 1_100_000, f"content.xml says it is 1,073,742,390 bytes, beyond lacs's limit of "
                           f"{ods.MAX_CONTENT_BYTES:,} bytes"),
    (lying_text_bomb, 1_100_000, f"a cell holds more text in sheet 'S', beyond lacs's limit of "
                                 f"{ods.MAX_CELL_TEXT:,} characters"),
    (understated_text_bomb, 1_100_000, "Bad CRC-32 for file 'content.xml'"),
    (overstated_entry, 2_000, "content.xml says it is 4,294,967,280 bytes"),
    (laughs_bomb, 2_000, "refused: content.xml has a DOCTYPE (lacs reads no DTD or entities)"),
], ids=["repeated-cell", "repeated-cell-within-the-grid", "gigabyte-of-text", "gigabyte-said-to-be-64-MB",
        "gigabyte-said-to-be-1-KB", "4-GB-said-of-a-small-file", "billion-laughs"])
def test_a_bomb_is_refused_in_one_line_within_seconds_in_bounded_memory(tmp_path: Path, make, largest: int,
                                                                        reason: str) -> None:
    path = make(tmp_path / "bomb.ods")
    assert path.stat().st_size < largest, "the bomb is a small file"
    outcome = read_in_a_child(path)
    assert outcome["refused"] is not None, "the bomb was read"
    assert outcome["refused"].startswith(f"{path}: ") and "\n" not in outcome["refused"]
    assert reason in outcome["refused"]
    assert outcome["seconds"] < 3, f"refused after {outcome['seconds']:.1f} s"
    assert outcome["peak_mb"] < 200, f"refused after using {outcome['peak_mb']:.0f} MB"


def test_entities_are_never_expanded_even_a_few(tmp_path: Path) -> None:
    # expat stops a billion laughs by itself only past 8 MB of expansion; lacs reads no DTD at all
    with pytest.raises(BadSpreadsheet, match="has a DOCTYPE"):
        read_ods(laughs_bomb(tmp_path / "lol.ods", levels=1))


def cell_with(inner: str, attributes: str = 'office:value-type="string"') -> str:
    return content_xml(f'<table:table table:name="S"><table:table-row><table:table-cell {attributes}>{inner}'
                       "</table:table-cell></table:table-row></table:table>")


def rows_of(row: str, count: int, sheets: int = 1) -> str:
    return content_xml("".join(f'<table:table table:name="S{n}">{row * count}</table:table>' for n in range(sheets)))


VALUE_ROW = ('<table:table-row><table:table-cell office:value-type="string"><text:p>v</text:p></table:table-cell>'
             "</table:table-row>")


@pytest.mark.parametrize(("limit", "value", "content", "reason"), [
    ("MAX_COLUMNS", 100, cell_with("<text:p>x</text:p>", 'table:number-columns-repeated="101"'),
     "a cell is repeated 101 times across in sheet 'S', beyond lacs's limit of 100 columns"),
    ("MAX_COLUMNS", 100, content_xml('<table:table table:name="S"><table:table-row>'
                                     + '<table:table-cell table:number-columns-repeated="60"/>' * 2
                                     + "</table:table-row></table:table>"),
     "a row is 120 cells wide in sheet 'S', beyond lacs's limit of 100 columns"),
    ("MAX_ROWS", 100, rows_of('<table:table-row table:number-rows-repeated="60"><table:table-cell/>'
                              "</table:table-row>", 2),
     "the sheet is 120 rows tall in sheet 'S0', beyond lacs's limit of 100 rows"),
    ("MAX_REPEAT", 10**9, cell_with("<text:p>x</text:p>", 'table:number-columns-repeated="' + "9" * 5000 + '"'),
     "a cell is repeated 9,223,372,036,854,775,807 times across"),
    ("MAX_SHEET_CELLS", 10, rows_of(VALUE_ROW, 11), "the sheet has more cells with values in sheet 'S0', beyond "
                                                    "lacs's limit of 10 cells"),
    ("MAX_CELLS", 10, rows_of(VALUE_ROW, 4, sheets=3), "the file has more cells with values in sheet 'S2'"),
    ("MAX_KEPT_ROWS", 10, rows_of(VALUE_ROW, 11), "the file has more rows with values"),
    ("MAX_CELL_TEXT", 10, cell_with("<text:p>" + "<text:span>xx</text:span>" * 6 + "</text:p>"),
     "a cell holds more text in sheet 'S', beyond lacs's limit of 10 characters"),
    ("MAX_CELL_TEXT", 10**6, cell_with('<text:p>a<text:s text:c="1000000000"/></text:p>'), "a cell holds more text"),
    ("MAX_CELL_TEXT", 10, cell_with("", 'office:value-type="string" office:string-value="' + "x" * 11 + '"'),
     "a cell holds more text"),
    ("MAX_TEXT", 10, rows_of(VALUE_ROW, 11), "the file has more text"),
    ("MAX_SHEETS", 3, rows_of(VALUE_ROW, 1, sheets=4), "the file has more sheets, beyond lacs's limit of 3 sheets"),
    ("MAX_DEPTH", 64, cell_with("<text:p>" + "<text:span>" * 100 + "x" + "</text:span>" * 100 + "</text:p>"),
     "content.xml nests elements deeper in sheet 'S', beyond lacs's limit of 64 levels"),
    ("MAX_CELL_ELEMENTS", 10, cell_with("<text:p>" + "<text:span/>" * 10 + "</text:p>"),
     "a cell holds more elements"),
    ("MAX_ELEMENTS", 100, rows_of(VALUE_ROW, 40),
     "content.xml has more elements in sheet 'S0', beyond lacs's limit of 100 elements"),
    ("MAX_RUN_BYTES", 2000, content_xml('<table:table table:name="' + "n" * 3000 + '"/>'),
     "content.xml has a text or tag longer"),
], ids=["column-repeat", "row-width", "sheet-height", "repeat-beyond-int", "sheet-cells", "file-cells", "rows",
        "cell-text", "cell-spaces", "cell-string-value", "file-text", "sheets", "depth", "cell-elements",
        "elements", "long-tag"])
def test_each_limit_is_refused_naming_file_and_limit(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, limit: str,
                                                      value: int, content: str, reason: str) -> None:
    monkeypatch.setattr(ods, limit, value)
    monkeypatch.setattr(ods, "CHUNK", 1000)  # a run is counted across chunks, each at most MAX_RUN_BYTES
    path = write_zip(tmp_path / "big.ods", content)
    with pytest.raises(BadSpreadsheet) as caught:
        read_ods(path)
    assert str(caught.value).startswith(f"{path}: refused: ")
    assert reason in str(caught.value)


def test_content_is_counted_as_it_is_decompressed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # zipfile reads no further than an entry says; lacs does not rely on it: it counts what comes
    monkeypatch.setattr(ods, "MAX_CONTENT_BYTES", 1000)
    content = io.BytesIO(rows_of(VALUE_ROW, 20).encode())
    with pytest.raises(BadSpreadsheet, match=r"t\.ods: refused: content.xml is longer, beyond lacs's limit of 1,000"):
        ods._Reader(tmp_path / "t.ods", False).read(content)


def test_a_huge_mimetype_entry_is_not_read_whole(tmp_path: Path) -> None:
    path = write_zip(tmp_path / "t.ods", content_xml(GOOD_TABLE), mimetype="x" * 10**7)
    with pytest.raises(BadSpreadsheet, match=r"mimetype 'x{80}'\)$"):
        read_ods(path)


def test_a_zip_mostly_directory_is_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(ods, "MAX_DIRECTORY_BYTES", 1000)
    path = write_zip(tmp_path / "t.ods", content_xml(GOOD_TABLE))
    import zipfile
    with zipfile.ZipFile(path, "a") as archive:
        for n in range(30):
            archive.writestr(f"Pictures/{n:040}.png", b"")
    with pytest.raises(BadSpreadsheet, match=r"refused: the zip's list of files is [\d,]+ bytes \(33 files\)"):
        read_ods(path)


def test_ofsteds_files_pass_every_limit_with_room(official: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # every limit a third of its value still reads every file, linked sheets too
    for name in ["MAX_COLUMNS", "MAX_ROWS", "MAX_SHEET_CELLS", "MAX_CELLS", "MAX_KEPT_ROWS", "MAX_CELL_TEXT",
                 "MAX_TEXT", "MAX_SHEETS", "MAX_CONTENT_BYTES", "MAX_ELEMENTS", "MAX_DEPTH", "MAX_CELL_ELEMENTS",
                 "MAX_RUN_BYTES", "MAX_DIRECTORY_BYTES"]:
        monkeypatch.setattr(ods, name, getattr(ods, name) // 3)
    files = sorted(official.glob("*.ods"))
    assert len(files) >= 4
    for path in files:
        assert read_ods(path, linked=True)


def test_lacs_official_import_of_a_bomb_says_one_line_and_changes_nothing(tmp_path: Path) -> None:
    from lacs.store import writes as store

    db = tmp_path / "lacs.db"
    conn = store.connect(db)
    store.create(conn)
    conn.close()
    before = hashlib.sha256(db.read_bytes()).hexdigest()
    bomb = repeat_bomb(tmp_path / "bomb.ods")
    start = time.perf_counter()
    done = subprocess.run([sys.executable, "-m", "lacs", "official", "import", str(bomb), "--db", str(db)],
                          capture_output=True, text=True, timeout=120)
    assert time.perf_counter() - start < 20
    assert done.returncode != 0
    output = done.stdout + done.stderr
    assert "Traceback" not in output
    errors = [line for line in output.splitlines() if not line.startswith("reading ")]
    assert errors == [f"error: {bomb}: refused: a row is repeated 10,000,000,000 times in sheet 'S', beyond "
                      f"lacs's limit of {ods.MAX_ROWS:,} rows"]
    assert hashlib.sha256(db.read_bytes()).hexdigest() == before
