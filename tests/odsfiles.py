"""Small .ods files made in the tests, standard library only.

Ofsted's spreadsheets are Crown copyright, megabytes each and change every year, so the tests of
the reader make their own small spreadsheets here, shaped like Ofsted's: typed cells, cached
external-link sheets (table:table-source) and, if asked, the filler rows and columns that pad
every real sheet to 1,048,576 rows by 16,384 columns.
"""

from __future__ import annotations

import re
import zipfile
from collections.abc import Iterable
from pathlib import Path
from xml.sax.saxutils import escape, quoteattr

ODS_MIMETYPE = "application/vnd.oasis.opendocument.spreadsheet"
NAMESPACES = (
    'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
    'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
    'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" '
    'xmlns:xlink="http://www.w3.org/1999/xlink" office:version="1.2"'
)
MANIFEST = f"""<?xml version="1.0" encoding="UTF-8"?>
<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.2">
 <manifest:file-entry manifest:full-path="/" manifest:media-type="{ODS_MIMETYPE}"/>
 <manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>
</manifest:manifest>
"""
COLUMNS, FILLER_ROWS = 16384, 1048000  # as in Ofsted's files: to column XFD, near row 1,048,576
DATE = re.compile(r"(\d{4})-(\d{2})-(\d{2})")
NUMBER = re.compile(r"-?\d+(\.\d+)?")


def content_xml(tables: str) -> str:
    """A content.xml around the given table:table elements (raw XML, for hand-made cases)."""
    return (f'<?xml version="1.0" encoding="UTF-8"?>\n<office:document-content {NAMESPACES}>'
            f"<office:body><office:spreadsheet>{tables}</office:spreadsheet></office:body>"
            "</office:document-content>")


def write_zip(path: Path, content: str | bytes | None, mimetype: str | None = ODS_MIMETYPE) -> Path:
    """A zip laid out as an OpenDocument file: mimetype first and stored, then the manifest and
    content.xml (either left out when None, for the tests of files that are not spreadsheets)."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        if mimetype is not None:
            archive.writestr(zipfile.ZipInfo("mimetype"), mimetype, compress_type=zipfile.ZIP_STORED)
        archive.writestr("META-INF/manifest.xml", MANIFEST)
        if content is not None:
            archive.writestr("content.xml", content)
    return path


def cell(value: str | None) -> str:
    """One table:table-cell, typed as a spreadsheet program would type the value."""
    if value is None:
        return "<table:table-cell/>"
    if match := DATE.fullmatch(value):
        year, month, day = match.groups()
        return (f'<table:table-cell office:value-type="date" office:date-value="{value}">'
                f"<text:p>{day}/{month}/{year}</text:p></table:table-cell>")
    if NUMBER.fullmatch(value):
        return (f'<table:table-cell office:value-type="float" office:value="{value}">'
                f"<text:p>{value}</text:p></table:table-cell>")
    paragraphs = "".join(f"<text:p>{escape(line)}</text:p>" for line in value.split("\n"))
    return f'<table:table-cell office:value-type="string">{paragraphs}</table:table-cell>'


def table(name: str, rows: list[list[str | None]], linked: bool = False, filler: bool = False) -> str:
    """One table:table: its rows, a table:table-source if linked, the padding if filler."""
    parts = [f"<table:table table:name={quoteattr(name)}>"]
    if linked:
        parts.append(f'<table:table-source xlink:type="simple" xlink:href={quoteattr("https://example.org/" + name)}'
                     f' table:table-name={quoteattr(name)} table:mode="copy-results-only"/>')
    for row in rows:
        pad = f'<table:table-cell table:number-columns-repeated="{COLUMNS - len(row)}"/>' if filler else ""
        parts.append("<table:table-row>" + "".join(cell(value) for value in row) + pad + "</table:table-row>")
    if filler:
        parts.append(f'<table:table-row table:number-rows-repeated="{FILLER_ROWS}">'
                     f'<table:table-cell table:number-columns-repeated="{COLUMNS}"/></table:table-row>')
    return "".join(parts) + "</table:table>"


def write_ods(path: Path, sheets: dict[str, list[list[str | None]]], linked: Iterable[str] = (),
              filler: bool = False) -> Path:
    """A valid .ods at path with one sheet per entry of sheets, in order; sheets named in linked
    are cached external links; filler pads every row to 16,384 columns and every sheet with an
    empty row repeated 1,048,000 times, as Ofsted's files are padded."""
    linked = set(linked)
    tables = "".join(table(name, rows, name in linked, filler) for name, rows in sheets.items())
    return write_zip(path, content_xml(tables))
