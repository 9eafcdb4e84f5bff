"""A small reader of OpenDocument spreadsheets (.ods), standard library only.

    read_ods(path) -> {sheet name: rows of cell values as text}

Ofsted publishes its underlying data as .ods files whose content.xml can be 40 MB, mostly
rows and columns of empty filler "repeated" to the edge of the sheet (1,048,576 rows,
16,384 columns), so the XML is read as a stream (expat) and a run of empty cells or
rows is kept only as a count until something non-empty follows it. Trailing empty cells
and rows are dropped. Values come as text: dates as ISO YYYY-MM-DD, numbers as their
office:value ("80486"), booleans as "true"/"false", strings as their paragraphs joined
by newlines. Empty cells are None.

Sheets that are cached copies of other workbooks (external links, with a
table:table-source element; Ofsted's files carry dozens, named after SharePoint URLs)
are not part of the publication and are left out unless `linked=True`.

Every dimension of a file is bounded (the limits below, each measured against Ofsted's
files), so that a small hostile file (a "zip bomb", a cell repeated 10^10 times, a gigabyte
of text in one cell, entities that expand) is refused in one line within seconds, in
bounded memory, as BadSpreadsheet. The XML is fed to expat in chunks as it is decompressed
and counted as it goes; a DOCTYPE (and so any entity) is refused; only a cell's own
elements are ever built as a tree, and only until the cell ends.
"""

from __future__ import annotations

import sys
import zipfile
import zlib
from pathlib import Path
from typing import IO, NoReturn
from xml.etree.ElementTree import Element, ParseError, SubElement
from xml.parsers.expat import ExpatError, ParserCreate

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

# Limits: a file beyond any of them is refused, not cut. Ofsted's largest files (the underlying
# data of 2022 and 2023, measured with linked sheets read too) are given for each.
# The grid: a row at most this wide, a sheet at most this tall, counting repeats (empty ones
# too), each table:number-columns-repeated / number-rows-repeated at most the same; so a sheet
# declares at most MAX_COLUMNS * MAX_ROWS cells. Ofsted: 16,384 and 1,048,576, the edge of the
# grid LibreOffice and Excel allow, in every sheet of every file.
MAX_COLUMNS = 2**20
MAX_ROWS = 2**24
# Cells and rows kept (read into memory: values, empty cells before a value, repeats of a value
# up to MAX_REPEAT), in one sheet and in the whole file. Ofsted: 109,380 cells in a sheet,
# 317,934 in a file; 18,523 rows in a file.
MAX_SHEET_CELLS = 2_000_000
MAX_CELLS = 4_000_000
MAX_KEPT_ROWS = 500_000
# Text: characters in one cell (its paragraphs and everything in it, comments included) and kept
# in the whole file. Ofsted: 676 in a cell; 3.2 million in a file.
MAX_CELL_TEXT = 100_000
MAX_TEXT = 32_000_000
# Sheets (linked ones included). Ofsted: 173 (2022, most of them cached external links).
MAX_SHEETS = 1024
# content.xml: bytes decompressed (counted as they come: the size a zip declares can lie),
# elements, nesting, elements in one cell, and bytes between one "<" and the next (the longest
# text or tag, which expat holds whole). Ofsted: 39,929,428 bytes; 604,757 elements; depth 9;
# 9 elements in a cell; 706 bytes.
MAX_CONTENT_BYTES = 128 * 2**20
MAX_ELEMENTS = 4_000_000
MAX_DEPTH = 64
MAX_CELL_ELEMENTS = 10_000
MAX_RUN_BYTES = 4 * 2**20
# The zip's central directory (the list of its files). Ofsted: 351 bytes, 6 files.
MAX_DIRECTORY_BYTES = 2**20

# content.xml is fed to expat this many bytes at a time; runs without "<" are counted across
# chunks, so a chunk must be no longer than MAX_RUN_BYTES.
CHUNK = 256 * 2**10
_CELLS = (f"{{{TABLE}}}table-cell", f"{{{TABLE}}}covered-table-cell")

ODS_MIMETYPE = "application/vnd.oasis.opendocument.spreadsheet"

Row = list["str | None"]


def read_ods(path: Path | str, linked: bool = False) -> dict[str, list[Row]]:
    """Every sheet of the .ods file at path, by name, in the file's order."""
    path = Path(path)
    try:
        with zipfile.ZipFile(path) as archive:
            _check_directory(path, archive)
            _check_mimetype(path, archive)
            info = archive.getinfo("content.xml")
            if info.file_size > MAX_CONTENT_BYTES:
                _too_big(path, f"content.xml says it is {info.file_size:,} bytes", MAX_CONTENT_BYTES, "bytes")
            with archive.open(info) as content:
                return _Reader(path, linked).read(content)
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
    except (ParseError, ExpatError) as error:
        raise BadSpreadsheet(path, f"damaged content.xml ({error})") from None
    except (RecursionError, MemoryError) as error:  # a limit missed: still one line, never a traceback
        raise BadSpreadsheet(path, f"too big or too deep to read ({type(error).__name__})") from None


def _too_big(path: Path, what: str, limit: int, unit: str) -> NoReturn:
    raise BadSpreadsheet(path, f"refused: {what}, beyond lacs's limit of {limit:,} {unit}")


def _check_directory(path: Path, archive: zipfile.ZipFile) -> None:
    """A zip listing more files than any spreadsheet would is refused before they are looked at.

    zipfile has read the directory by now; its size is bounded by the file's, and this refuses
    a file that is mostly directory. (The directory's own size is not kept by zipfile, so it is
    reckoned from the entries.)
    """
    size = sum(46 + len(info.filename) + len(info.extra) + len(info.comment) for info in archive.infolist())
    if size > MAX_DIRECTORY_BYTES:
        _too_big(path, f"the zip's list of files is {size:,} bytes ({len(archive.infolist()):,} files)",
                 MAX_DIRECTORY_BYTES, "bytes")


def _check_mimetype(path: Path, archive: zipfile.ZipFile) -> None:
    """A zip whose mimetype names another kind of document (a .odt, a .docx) is refused."""
    names = archive.namelist()
    if "mimetype" in names:
        with archive.open("mimetype") as entry:  # a few bytes at most: the entry may be a bomb
            mimetype = entry.read(len(ODS_MIMETYPE) + 64).decode("ascii", "replace").strip()
        if mimetype != ODS_MIMETYPE:
            raise BadSpreadsheet(path, f"not an OpenDocument spreadsheet (mimetype {mimetype[:80]!r})")
    elif "content.xml" not in names:
        raise BadSpreadsheet(path, "not an OpenDocument spreadsheet (no content.xml)")


class _Sheet:
    """One table being read: its rows so far, a count of empty rows not yet kept, its size."""

    def __init__(self, name: str) -> None:
        self.name = name
        self.rows: list[Row] = []
        self.linked = False
        self.pending_empty = 0
        self.height = 0  # rows declared, repeats counted
        self.cells = 0  # cells kept


class _Row:
    """One row being read: its cells so far and a count of empty cells not yet kept."""

    def __init__(self, repeat: int, depth: int) -> None:
        self.repeat = repeat
        self.depth = depth  # of the row element: a cell is a child of it
        self.cells: Row = []
        self.pending_empty = 0
        self.width = 0  # cells declared, repeats counted


class _Reader:
    """Reads content.xml as a stream of expat events, keeping count of everything it keeps."""

    def __init__(self, path: Path, linked: bool) -> None:
        self.path = path
        self.linked = linked
        self.sheets: dict[str, list[Row]] = {}
        self.stack: list[str] = []  # the open elements outside a cell
        self.tables = 0  # tables open outside cells: one inside another is read as part of it
        self.sheet: _Sheet | None = None
        self.row: _Row | None = None
        self.cell: list[Element] = []  # the open elements of the cell being read, the cell first
        self.cell_text = 0
        self.cell_elements = 0
        self.elements = 0
        self.sheet_count = 0
        self.cells = 0
        self.rows = 0
        self.text = 0

    def read(self, content: IO[bytes]) -> dict[str, list[Row]]:
        parser = ParserCreate(namespace_separator="}")
        parser.buffer_text = True
        parser.buffer_size = 64 * 2**10
        parser.StartDoctypeDeclHandler = self._doctype
        parser.EntityDeclHandler = self._entity
        parser.StartElementHandler = self._start
        parser.EndElementHandler = self._end
        parser.CharacterDataHandler = self._data
        total = 0
        run = 0  # bytes since the last "<"
        for chunk in iter(lambda: content.read(CHUNK), b""):
            total += len(chunk)
            if total > MAX_CONTENT_BYTES:
                _too_big(self.path, "content.xml is longer", MAX_CONTENT_BYTES, "bytes")
            first = chunk.find(b"<")
            run += len(chunk) if first < 0 else first
            if run > MAX_RUN_BYTES:
                _too_big(self.path, "content.xml has a text or tag longer", MAX_RUN_BYTES, "bytes")
            if first >= 0:
                run = len(chunk) - chunk.rfind(b"<") - 1
            parser.Parse(chunk, False)
        parser.Parse(b"", True)
        return self.sheets

    def _refuse(self, what: str, limit: int, unit: str) -> NoReturn:
        where = f" in sheet {self.sheet.name[:80]!r}" if self.sheet is not None else ""
        _too_big(self.path, what + where, limit, unit)

    def _doctype(self, name: str, *_: object) -> NoReturn:
        raise BadSpreadsheet(self.path, "refused: content.xml has a DOCTYPE (lacs reads no DTD or entities)")

    def _entity(self, name: str, *_: object) -> NoReturn:
        raise BadSpreadsheet(self.path, f"refused: content.xml declares an entity ({name[:80]!r})")

    def _start(self, name: str, attributes: dict[str, str]) -> None:
        self.elements += 1
        if self.elements > MAX_ELEMENTS:
            self._refuse("content.xml has more elements", MAX_ELEMENTS, "elements")
        if len(self.stack) + len(self.cell) >= MAX_DEPTH:
            self._refuse("content.xml nests elements deeper", MAX_DEPTH, "levels")
        tag = "{" + name if "}" in name else name
        if self.cell:
            self.cell_elements += 1
            if self.cell_elements > MAX_CELL_ELEMENTS:
                self._refuse("a cell holds more elements", MAX_CELL_ELEMENTS, "elements")
            element = SubElement(self.cell[-1], tag, _attributes(attributes))
            if tag == _X + "s":  # spaces, counted as text before _text makes them
                self._count_text(max(0, _int(element.get(_X + "c"), 1)))
            self.cell.append(element)
            return
        row = self.row
        if row is not None and tag in _CELLS and len(self.stack) == row.depth:
            self.cell = [Element(tag, _attributes(attributes))]
            self.cell_text = 0
            self.cell_elements = 1
            return
        self.stack.append(tag)
        if tag == _T + "table":
            self.tables += 1
            if self.tables == 1:
                self.sheet_count += 1
                if self.sheet_count > MAX_SHEETS:
                    self._refuse("the file has more sheets", MAX_SHEETS, "sheets")
                self.sheet = _Sheet(attributes.get(TABLE + "}name") or "")
        elif tag == _T + "table-source" and self.sheet is not None and self.tables == 1:
            self.sheet.linked = True
        elif tag == _T + "table-row" and self.sheet is not None and self.tables == 1 and row is None:
            repeat = _repeat(attributes.get(TABLE + "}number-rows-repeated"))
            if repeat > MAX_ROWS:
                self._refuse(f"a row is repeated {repeat:,} times", MAX_ROWS, "rows")
            self.row = _Row(repeat, len(self.stack))

    def _end(self, name: str) -> None:
        if self.cell:
            element = self.cell.pop()
            if not self.cell:
                self._add_cell(element)
            return
        tag = self.stack.pop()
        row = self.row
        if tag == _T + "table-row" and row is not None and len(self.stack) == row.depth - 1:
            self.row = None
            self._add_row(row)
        elif tag == _T + "table":
            self.tables -= 1
            if self.tables == 0 and self.sheet is not None:
                if self.linked or not self.sheet.linked:
                    self.sheets[self.sheet.name] = self.sheet.rows
                self.sheet = None

    def _data(self, text: str) -> None:
        if not self.cell:
            return  # text outside cells is not kept (and is bounded by MAX_RUN_BYTES a piece)
        self._count_text(len(text))
        element = self.cell[-1]
        if len(element):
            last = element[-1]
            last.tail = (last.tail or "") + text
        else:
            element.text = (element.text or "") + text

    def _count_text(self, length: int) -> None:
        self.cell_text += length
        if self.cell_text > MAX_CELL_TEXT:
            self._refuse("a cell holds more text", MAX_CELL_TEXT, "characters")

    def _keep(self, cells: int, rows: int) -> None:
        """Count cells and rows about to be kept; refuse before keeping them if too many."""
        assert self.sheet is not None
        self.sheet.cells += cells
        self.cells += cells
        self.rows += rows
        if self.sheet.cells > MAX_SHEET_CELLS:
            self._refuse("the sheet has more cells with values", MAX_SHEET_CELLS, "cells")
        if self.cells > MAX_CELLS:
            self._refuse("the file has more cells with values", MAX_CELLS, "cells")
        if self.rows > MAX_KEPT_ROWS:
            self._refuse("the file has more rows with values", MAX_KEPT_ROWS, "rows")

    def _add_cell(self, cell: Element) -> None:
        row = self.row
        assert row is not None
        repeat = _repeat(cell.get(_T + "number-columns-repeated"))
        if repeat > MAX_COLUMNS:
            self._refuse(f"a cell is repeated {repeat:,} times across", MAX_COLUMNS, "columns")
        row.width += repeat
        if row.width > MAX_COLUMNS:
            self._refuse(f"a row is {row.width:,} cells wide", MAX_COLUMNS, "columns")
        value = cell_value(cell)
        if value is None:
            row.pending_empty += repeat
            return
        if len(value) > MAX_CELL_TEXT:  # text given in an attribute (office:string-value)
            self._refuse("a cell holds more text", MAX_CELL_TEXT, "characters")
        self.text += len(value)
        if self.text > MAX_TEXT:
            self._refuse("the file has more text", MAX_TEXT, "characters")
        empty, copies = min(row.pending_empty, MAX_EMPTY_RUN), min(repeat, MAX_REPEAT)
        self._keep(empty + copies, 0)
        row.cells.extend([None] * empty)
        row.pending_empty = 0
        row.cells.extend([value] * copies)

    def _add_row(self, row: _Row) -> None:
        sheet = self.sheet
        assert sheet is not None
        sheet.height += row.repeat
        if sheet.height > MAX_ROWS:
            self._refuse(f"the sheet is {sheet.height:,} rows tall", MAX_ROWS, "rows")
        if not row.cells:
            sheet.pending_empty += row.repeat
            return
        empty, copies = min(sheet.pending_empty, MAX_EMPTY_RUN), min(row.repeat, MAX_REPEAT)
        self._keep(len(row.cells) * (copies - 1), empty + copies)
        sheet.rows.extend([] for _ in range(empty))
        sheet.pending_empty = 0
        sheet.rows.append(row.cells)
        sheet.rows.extend(list(row.cells) for _ in range(copies - 1))


def _attributes(attributes: dict[str, str]) -> dict[str, str]:
    """expat's "uri}name" keys as ElementTree's "{uri}name"."""
    return {("{" + key if "}" in key else key): value for key, value in attributes.items()}


def _repeat(text: str | None) -> int:
    """A number-*-repeated attribute: 1 if absent or not a number; a number too long for int()
    (more than 4,300 digits) is larger than any limit."""
    if not text:
        return 1
    try:
        return max(1, int(text))
    except ValueError:
        return sys.maxsize if text.strip().isdigit() else 1


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

