"""Small .ods files made in the tests, standard library only.

Ofsted's spreadsheets are Crown copyright, megabytes each and change every year, so the tests of
the reader make their own small spreadsheets here, shaped like Ofsted's: typed cells, cached
external-link sheets (table:table-source) and, if asked, the filler rows and columns that pad
every real sheet to 1,048,576 rows by 16,384 columns.
"""

from __future__ import annotations

import re
import struct
import zipfile
import zlib
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


def write_zip(path: Path, content: str | bytes | None, mimetype: str | None = ODS_MIMETYPE, level: int = 6) -> Path:
    """A zip laid out as an OpenDocument file: mimetype first and stored, then the manifest and
    content.xml (either left out when None, for the tests of files that are not spreadsheets)."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=level) as archive:
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


# --- bombs: small files that would take all the memory a reader without limits has ----------------

def repeat_bomb(path: Path, rows: int = 500, times: int = 10**10) -> Path:
    """About a kilobyte on disk: rows, each a cell with a value repeated `times` across and the row
    repeated `times` down (each row alone is a million cells even when repeats are cut at 1,000)."""
    row = (f'<table:table-row table:number-rows-repeated="{times}"><table:table-cell office:value-type="string"'
           f' table:number-columns-repeated="{times}"><text:p>x</text:p></table:table-cell></table:table-row>')
    return write_zip(path, content_xml(f'<table:table table:name="S">{row * rows}</table:table>'), level=9)


def text_bomb(path: Path, size: int = 2**30) -> Path:
    """About 1 MB on disk: one cell holding `size` characters of text (a highly compressible entry).

    Made in a second: a megabyte of "x" is compressed once with a full flush (which makes the
    compressed block stand alone) and the block written size/1 MB times, so the zip is put
    together here by hand (no zip64: size is under 4 GB)."""
    head, tail = content_xml('<table:table table:name="S"><table:table-row><table:table-cell '
                             'office:value-type="string"><text:p>@</text:p></table:table-cell>'
                             '</table:table-row></table:table>').encode().split(b"@")
    block, count = b"x" * 2**20, size // 2**20
    compressor = zlib.compressobj(6, zlib.DEFLATED, -15)
    first = compressor.compress(head) + compressor.flush(zlib.Z_FULL_FLUSH)
    repeated = compressor.compress(block) + compressor.flush(zlib.Z_FULL_FLUSH)
    last = compressor.compress(tail) + compressor.flush()
    crc = zlib.crc32(head)
    for _ in range(count):
        crc = zlib.crc32(block, crc)
    crc = zlib.crc32(tail, crc)
    mimetype = ODS_MIMETYPE.encode()
    entries = [(b"mimetype", 0, zlib.crc32(mimetype), len(mimetype), len(mimetype), [mimetype]),
               (b"content.xml", 8, crc, len(first) + len(repeated) * count + len(last),
                len(head) + len(block) * count + len(tail), [first, *[repeated] * count, last])]
    directory = b""
    with path.open("wb") as out:
        for name, method, checksum, compressed, uncompressed, parts in entries:
            offset = out.tell()
            out.write(struct.pack("<4sHHHHHIIIHH", b"PK\x03\x04", 20, 0, method, 0, 0x21, checksum, compressed,
                                  uncompressed, len(name), 0) + name)
            for part in parts:
                out.write(part)
            directory += struct.pack("<4sHHHHHHIIIHHHHHII", b"PK\x01\x02", 20, 20, 0, method, 0, 0x21, checksum,
                                     compressed, uncompressed, len(name), 0, 0, 0, 0, 0, offset) + name
        start = out.tell()
        out.write(directory + struct.pack("<4sHHHHIIH", b"PK\x05\x06", 0, 0, len(entries), len(entries),
                                          len(directory), start, 0))
    return path


def laughs_bomb(path: Path, levels: int = 9) -> Path:
    """'Billion laughs': entities each ten of the one before, a few hundred bytes that expand to 10^levels."""
    entities = '<!ENTITY lol0 "lol">' + "".join(
        f'<!ENTITY lol{n} "{f"&lol{n - 1};" * 10}">' for n in range(1, levels + 1))
    document = content_xml('<table:table table:name="S"><table:table-row><table:table-cell office:value-type='
                           f'"string"><text:p>&lol{levels};</text:p></table:table-cell></table:table-row></table:table>')
    declaration, rest = document.split("\n", 1)
    return write_zip(path, f"{declaration}\n<!DOCTYPE office:document-content [{entities}]>\n{rest}")


def lie_about_size(path: Path, name: str, size: int) -> Path:
    """Rewrite the zip's directory so that entry `name` says it is `size` bytes uncompressed (a lie)."""
    data = bytearray(path.read_bytes())
    with zipfile.ZipFile(path) as archive:
        info = archive.getinfo(name)
    if info.file_size >= 0xFFFFFFFF or info.compress_size >= 0xFFFFFFFF:
        raise ValueError("lie_about_size takes entries without zip64 sizes")
    entry = b"PK\x01\x02"  # a central directory record: its uncompressed size is 24 bytes in
    start = data.find(entry)
    encoded = name.encode()
    while start >= 0:
        name_length = int.from_bytes(data[start + 28:start + 30], "little")
        if data[start + 46:start + 46 + name_length] == encoded:
            data[start + 24:start + 28] = size.to_bytes(4, "little")
            path.write_bytes(bytes(data))
            return path
        start = data.find(entry, start + 46)
    raise ValueError(f"no entry {name!r} in {path}")
