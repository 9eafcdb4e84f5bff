"""The dataset shipped inside the package: the record `lacs build` made from the corpus of
reports, without the page text, so that a fresh install answers questions with no PDFs.

    write_compact(built_db, out)   -> a compact copy: same schema, no pages, ids renumbered
    table_rows(conn)               -> every table's rows in a fixed order, to compare two databases

The compact copy is canonical: inspections are numbered by council, dates and framework,
not by the order in which a build happened to read the files, so two builds of the same
reports give the same rows. Regenerate the shipped file with scripts/make_dataset.py.
"""

from __future__ import annotations

import gzip
import hashlib
import os
import shutil
import sqlite3
import tempfile
from importlib.resources import files
from pathlib import Path

from platformdirs import user_cache_dir

from lacs.store import writes as store

# The package carries the dataset gzipped (a quarter of the size); it is unpacked once, on
# first use, into the user's cache folder, under a name that changes when the dataset does.
PACKED = Path(str(files("lacs") / "data" / "lacs.db.gz"))


def unpacked(packed: Path = PACKED) -> Path:
    """The shipped dataset as a SQLite file, unpacked (atomically) if this version is not yet."""
    digest = hashlib.sha256(packed.read_bytes()).hexdigest()[:16]
    for folder in (Path(user_cache_dir("lacs")), Path(tempfile.gettempdir()) / "lacs"):
        target = folder / f"shipped-{digest}.db"
        if target.is_file():
            return target
        try:
            folder.mkdir(parents=True, exist_ok=True)
            temp = target.with_name(f"{target.name}.{os.getpid()}")
            with gzip.open(packed) as source, temp.open("wb") as out:
                shutil.copyfileobj(source, out)
            os.replace(temp, target)
            return target
        except OSError:
            continue
    raise OSError(f"{packed}: cannot unpack the shipped dataset into the cache folder")


def pack(db: Path, packed: Path = PACKED) -> Path:
    """Gzip a compact database into the package, byte for byte the same for the same input."""
    with db.open("rb") as source, gzip.GzipFile(packed, "wb", compresslevel=9, mtime=0) as out:
        shutil.copyfileobj(source, out)
    return packed


SHIPPED = unpacked() if PACKED.is_file() else PACKED.with_suffix("")

# Every table of the compact copy and the columns that order its rows.
ORDER = {
    "councils": "gss_code",
    "inspections": "id",
    "reports": "path",
    "judgements": "inspection_id, area",
    "improvements": "inspection_id, list, position",
    "pages": "sha256, page, text",
    "publications": "url",
    "official_releases": "release",
    "official_rows": "release, sheet, row, part",
    "disagreements": "inspection_id, field, official_source, official_value",
}

_CANONICAL_INSPECTIONS = """
    SELECT id FROM inspections ORDER BY gss_code IS NULL, gss_code, coalesce(end_date, published, start_date),
        start_date, end_date, framework, source, council_printed, published, kind, id
"""


def write_compact(built: Path | str, out: Path | str) -> Path:
    """Write a compact, canonical copy of the database `built` to `out` (atomically)."""
    out = Path(out)
    temp = out.with_name(out.name + f".writing-{os.getpid()}")
    temp.unlink(missing_ok=True)
    conn = store.connect(temp)
    try:
        store.create(conn)
        conn.execute("ATTACH DATABASE ? AS built", (f"file:{built}?mode=ro",))
        _copy_renumbered(conn)
        conn.execute("DETACH DATABASE built")
        conn.execute("VACUUM")
    finally:
        conn.close()
    os.replace(temp, out)
    return out


def _copy_renumbered(conn: sqlite3.Connection) -> None:
    old_ids = [row[0] for row in conn.execute(_CANONICAL_INSPECTIONS.replace("inspections", "built.inspections"))]
    conn.execute("BEGIN")
    conn.execute("CREATE TEMP TABLE renumber (old INTEGER PRIMARY KEY, new INTEGER NOT NULL)")
    conn.executemany("INSERT INTO renumber VALUES (?, ?)", [(old, new) for new, old in enumerate(old_ids, 1)])
    conn.execute("DELETE FROM councils")
    conn.execute("INSERT INTO councils SELECT * FROM built.councils ORDER BY gss_code")
    conn.execute("INSERT INTO inspections SELECT r.new, gss_code, council_printed, framework, kind, kind_basis, "
                 "title, start_date, end_date, published, published_source, lead_inspector, source, source_ref "
                 "FROM built.inspections JOIN renumber r ON r.old = id ORDER BY r.new")
    conn.execute("INSERT INTO reports SELECT path, sha256, size, extractor_version, status, error_kind, error, "
                 "r.new, site_published, missing, warnings FROM built.reports "
                 "LEFT JOIN renumber r ON r.old = inspection_id ORDER BY path")
    conn.execute("INSERT INTO judgements SELECT r.new, area, grade FROM built.judgements "
                 "JOIN renumber r ON r.old = inspection_id ORDER BY r.new, area")
    conn.execute("INSERT INTO improvements SELECT r.new, list, position, text FROM built.improvements "
                 "JOIN renumber r ON r.old = inspection_id ORDER BY r.new, list, position")
    conn.execute("INSERT INTO publications SELECT * FROM built.publications ORDER BY url")
    conn.execute("INSERT INTO official_releases SELECT * FROM built.official_releases ORDER BY release")
    conn.execute("INSERT INTO official_rows SELECT release, sheet, row, part, tbl, council_printed, gss_code, "
                 "region_printed, framework, kind, graded, start_date, published, judgements, note, r.new "
                 "FROM built.official_rows LEFT JOIN renumber r ON r.old = inspection_id "
                 "ORDER BY release, sheet, row, part")
    conn.execute("INSERT INTO disagreements SELECT r.new, field, report_value, report_source, official_value, "
                 "official_source FROM built.disagreements JOIN renumber r ON r.old = inspection_id "
                 "ORDER BY r.new, field, official_source, official_value")
    conn.execute("COMMIT")
    conn.execute("DROP TABLE temp.renumber")


def table_rows(conn: sqlite3.Connection) -> dict[str, list[tuple]]:
    """Every table's rows in a fixed order: two databases with equal table_rows hold the same record."""
    return {table: conn.execute(f"SELECT * FROM {table} ORDER BY {order}").fetchall()
            for table, order in ORDER.items()}


def open_shipped() -> sqlite3.Connection:
    """The shipped dataset, read-only and immutable (it never changes under the package)."""
    return sqlite3.connect(f"file:{SHIPPED}?immutable=1", uri=True, check_same_thread=False)
