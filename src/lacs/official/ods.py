"""A small reader of OpenDocument spreadsheets (.ods), standard library only.

    read_ods(path) -> {sheet name: rows of cell values as text}

Ofsted publishes its underlying data as .ods files whose content.xml can be 40 MB, mostly
rows and columns of empty filler "repeated" to the edge of the sheet (1,048,576 rows,
16,384 columns), so the XML is read as a stream (iterparse) and a run of empty cells or
rows is kept only as a count until something non-empty follows it. Trailing empty cells
and rows are dropped. Values come as text: dates as ISO YYYY-MM-DD, numbers as their
office:value ("80486"), booleans as "true"/"false", strings as their paragraphs joined
by newlines. Empty cells are None.

Sheets that are cached copies of other workbooks (external links, with a
table:table-source element; Ofsted's files carry dozens, named after SharePoint URLs)
are not part of the publication and are left out unless `linked=True`.
"""

from __future__ import annotations

import zipfile
import zlib
from collections.abc import Iterator
from pathlib import Path
from typing import IO
from xml.etree.ElementTree import Element, ParseError, iterparse

from lacs.errors import BadSpreadsheet

TABLE = "urn:oasis:names:tc:opendocument:xmlns:table:1.0"
OFFICE = "urn:oasis:names:tc:opendocument:xmlns:office:1.0"
TEXT = "urn:oasis:names:tc:opendocument:xmlns:text:1.0"

_T = f"{{{TABLE}}}"
_O = f"{{{OFFICE}}}"
_X = f"{{{TEXT}}}"

# A non-empty cell or row repeated more than this is filler, not data: it is cut here.
MAX_REPEAT = 1000
# A run of empty rows (or cells) longer than this before more content is cut to this length.
MAX_EMPTY_RUN = 100_000

ODS_MIMETYPE = "application/vnd.oasis.opendocument.spreadsheet"

Row = list["str | None"]


def read_ods(path: Path | str, linked: bool = False) -> dict[str, list[Row]]:
    """Every sheet of the .ods file at path, by name, in the file's order."""
    path = Path(path)
    try:
        with zipfile.ZipFile(path) as archive:
            _check_mimetype(path, archive)
            with archive.open("content.xml") as content:
                return dict(_sheets(path, content, linked))
    except FileNotFoundError:
        raise BadSpreadsheet(path, "no such file") from None
    except IsADirectoryError:
        raise BadSpreadsheet(path, "is a folder, not a spreadsheet") from None
    except PermissionError:
        raise BadSpreadsheet(path, "permission denied") from None
    except NotADirectoryError:
        raise BadSpreadsheet(path, "no such file (a part of the path is a file, not a folder)") from None
    except zipfile.BadZipFile as error:
        reason = "damaged zip" if zipfile.is_zipfile(path) else "not a zip file"
        raise BadSpreadsheet(path, f"not an OpenDocument spreadsheet ({reason}: {error})") from None
    except (zlib.error, EOFError) as error:
        raise BadSpreadsheet(path, f"damaged spreadsheet (its content cannot be decompressed: {error})") from None
    except KeyError:
        raise BadSpreadsheet(path, "not an OpenDocument spreadsheet (no content.xml)") from None
    except ParseError as error:
        raise BadSpreadsheet(path, f"damaged content.xml ({error})") from None


def _check_mimetype(path: Path, archive: zipfile.ZipFile) -> None:
    """A zip whose mimetype names another kind of document (a .odt, a .docx) is refused."""
    names = archive.namelist()
    if "mimetype" in names:
        mimetype = archive.read("mimetype").decode("ascii", "replace").strip()
        if mimetype != ODS_MIMETYPE:
            raise BadSpreadsheet(path, f"not an OpenDocument spreadsheet (mimetype {mimetype!r})")
    elif "content.xml" not in names:
        raise BadSpreadsheet(path, "not an OpenDocument spreadsheet (no content.xml)")


def _sheets(path: Path, content: IO[bytes], linked: bool) -> Iterator[tuple[str, list[Row]]]:
    """(name, rows) for each table, read as a stream; a row's elements are freed once read."""
    sheet: _Sheet | None = None
    depth = 0  # tables inside tables (rare, e.g. in a cell) are read as part of the outer one
    for event, element in iterparse(content, events=("start", "end")):
        tag = element.tag
        if event == "start":
            if tag == _T + "table":
                depth += 1
                if depth == 1:
                    sheet = _Sheet(element.get(_T + "name") or "")
            elif tag == _T + "table-source" and sheet is not None and depth == 1:
                sheet.linked = True
            continue
        if tag == _T + "table-row" and sheet is not None and depth == 1:
            sheet.add_row(element)
            element.clear()
        elif tag == _T + "table":
            depth -= 1
            if depth == 0 and sheet is not None:
                if linked or not sheet.linked:
                    yield sheet.name, sheet.rows
                sheet = None
                element.clear()


class _Sheet:
    """One table being read: its rows so far and a count of empty rows not yet kept."""

    def __init__(self, name: str) -> None:
        self.name = name
        self.rows: list[Row] = []
        self.linked = False
        self._pending_empty = 0

    def add_row(self, element: Element) -> None:
        cells = _row_cells(element)
        repeat = _repeat(element, "number-rows-repeated")
        if not cells:
            self._pending_empty += repeat
            return
        self.rows.extend([] for _ in range(min(self._pending_empty, MAX_EMPTY_RUN)))
        self._pending_empty = 0
        self.rows.append(cells)
        self.rows.extend(list(cells) for _ in range(min(repeat, MAX_REPEAT) - 1))


def _row_cells(row: Element) -> Row:
    """A row's values, repeats expanded, trailing empty cells dropped."""
    cells: Row = []
    pending_empty = 0
    for cell in row:
        if cell.tag not in (_T + "table-cell", _T + "covered-table-cell"):
            continue
        value = cell_value(cell)
        repeat = _repeat(cell, "number-columns-repeated")
        if value is None:
            pending_empty += repeat
            continue
        cells.extend([None] * min(pending_empty, MAX_EMPTY_RUN))
        pending_empty = 0
        cells.extend([value] * min(repeat, MAX_REPEAT))
    return cells


def _repeat(element: Element, attribute: str) -> int:
    try:
        return max(1, int(element.get(_T + attribute) or 1))
    except ValueError:
        return 1


def cell_value(cell: Element) -> str | None:
    """A cell's value as text, by its office:value-type; None for an empty cell."""
    kind = cell.get(_O + "value-type")
    if kind == "date":
        value = cell.get(_O + "date-value") or ""
        return value[:10] or _paragraphs(cell)
    if kind == "float":
        return cell.get(_O + "value") or _paragraphs(cell)
    if kind == "boolean":
        return cell.get(_O + "boolean-value") or _paragraphs(cell)
    if kind == "time":
        return cell.get(_O + "time-value") or _paragraphs(cell)
    # string, percentage, currency (shown as the sheet shows them), or no type at all
    return cell.get(_O + "string-value") or _paragraphs(cell)


def _paragraphs(cell: Element) -> str | None:
    text = "\n".join(_text(p) for p in cell if p.tag in (_X + "p", _X + "h"))
    return text if text.strip() else None


def _text(element: Element) -> str:
    """The text of a paragraph: spans and links inline, text:s as spaces, tabs, line breaks."""
    parts = [element.text or ""]
    for child in element:
        tag = child.tag
        if tag == _X + "s":
            parts.append(" " * _int(child.get(_X + "c"), 1))
        elif tag == _X + "tab":
            parts.append("\t")
        elif tag == _X + "line-break":
            parts.append("\n")
        elif tag != f"{{{OFFICE}}}annotation":  # comments are not the cell's value
            parts.append(_text(child))
        parts.append(child.tail or "")
    return "".join(parts)


def _int(text: str | None, default: int) -> int:
    try:
        return int(text) if text else default
    except ValueError:
        return default

