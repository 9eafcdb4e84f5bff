"""The dataset shipped inside the package: the record `lacs build` made from the corpus of
reports, without the page text, so that a fresh install answers questions with no PDFs.

    shipped_path()                 -> the dataset as a SQLite file, unpacked on first use
    write_compact(built_db, out)   -> a compact copy: same schema, no pages, ids renumbered
    table_rows(conn)               -> every table's rows in a fixed order, to compare two databases
    seed_shipped_record(conn)      -> a new database given the whole shipped record (the user's starts so)

The compact copy is canonical: inspections are numbered by council, dates and framework,
not by the order in which a build happened to read the files, so two builds of the same
reports give the same rows. Regenerate the shipped file with scripts/make_dataset.py.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import sqlite3
import stat
from functools import cache
from pathlib import Path

from platformdirs import user_cache_dir

from lacs.domain import DATA_FOLDER
from lacs.store.schema import (
    COLUMNS,
    columns,
    connect,
    connect_read_only,
    create,
    log_write,
    read_only_uri,
    retheme,
    themes_current,
)

# The package carries the dataset gzipped (a quarter of the size); it is unpacked once, on
# first use, into a private folder of the user's cache (mode 0700: no other user can place or
# change a file there), under a name that changes when the dataset does, with the SHA-256 of
# what was unpacked beside it. Every process checks that hash before its first use, and unpacks
# again a copy that is damaged. When the cache cannot be written, a private temporary folder of
# this process's own is used (never a shared one such as /tmp/lacs).
PACKED = DATA_FOLDER / "lacs.db.gz"


def unpacked(packed: Path = PACKED, folder: Path | None = None) -> Path:
    """The shipped dataset as a SQLite file whose hash is checked: unpacked (atomically) if this
    version is not yet, or if the copy found is damaged."""
    digest = hashlib.sha256(packed.read_bytes()).hexdigest()[:16]
    for place in [folder] if folder else [Path(user_cache_dir("lacs")) / "shipped", None]:
        try:
            private = _private_folder(place)
        except OSError:
            continue
        target = private / f"shipped-{digest}.db"
        if _verified(target):
            return target
        try:
            temp = target.with_name(f"{target.name}.{os.getpid()}")
            _gunzip(packed, temp)
            _index_findings(temp)
            content = hashlib.sha256(temp.read_bytes()).hexdigest()
            os.replace(temp, target)
            _hash_file(target).write_text(content + "\n")
            return target
        except OSError:
            temp.unlink(missing_ok=True)
            continue
    raise OSError(f"{packed}: cannot unpack the shipped dataset into a private folder")


# gzip, shutil and tempfile are imported only when a file is unpacked or packed, not at every start.


def _private_folder(folder: Path | None) -> Path:
    """`folder`, made if need be, owned by this user and readable by no one else (mode 0700);
    None: a new private temporary folder of this process, removed when it ends. OSError if
    the folder cannot be made private (another user's, or not a folder)."""
    if folder is None:
        import atexit
        import shutil
        import tempfile
        made = Path(tempfile.mkdtemp(prefix="lacs-shipped-"))  # mode 0700, a fresh name
        atexit.register(shutil.rmtree, made, True)
        return made
    folder.parent.mkdir(parents=True, exist_ok=True)
    with contextlib.suppress(FileExistsError):
        folder.mkdir(mode=0o700)
    info = folder.lstat()
    if not stat.S_ISDIR(info.st_mode) or info.st_uid != os.getuid():
        raise OSError(f"{folder}: not a folder of this user's")
    if info.st_mode & 0o077:
        folder.chmod(0o700)
    return folder


def _hash_file(target: Path) -> Path:
    return target.with_name(target.name + ".sha256")


def _verified(target: Path) -> bool:
    """True if target is a regular file whose SHA-256 is the one written when it was unpacked."""
    try:
        if not stat.S_ISREG(target.lstat().st_mode):
            return False
        expected = _hash_file(target).read_text().strip()
        return hashlib.sha256(target.read_bytes()).hexdigest() == expected
    except OSError:
        return False


def _gunzip(packed: Path, out_path: Path) -> None:
    """Unpack into out_path (made new, private)."""
    import gzip
    fd = os.open(out_path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | os.O_NOFOLLOW, 0o600)
    with gzip.open(packed) as source, os.fdopen(fd, "wb") as out:
        while chunk := source.read(1 << 20):
            out.write(chunk)


def pack(db: Path, packed: Path = PACKED) -> Path:
    """Gzip a compact database into the package, byte for byte the same for the same input. Its
    full-text index of the findings is left out (a third of the packed size, and all of it
    derivable): unpacking makes it again (_index_findings)."""
    import gzip
    import shutil
    import tempfile
    with tempfile.TemporaryDirectory() as folder:
        bare = Path(folder) / db.name
        shutil.copyfile(db, bare)
        conn = connect(bare)
        try:
            conn.execute("INSERT INTO findings_fts (findings_fts) VALUES ('delete-all')")
            conn.execute("VACUUM")
        finally:
            conn.close()
        with bare.open("rb") as source, gzip.GzipFile(packed, "wb", compresslevel=9, mtime=0) as out:
            shutil.copyfileobj(source, out)
    return packed


def _index_findings(db: Path) -> None:
    """Make the full-text index of the findings that pack() left out."""
    conn = connect(db)
    try:
        conn.execute("INSERT INTO findings_fts (findings_fts) VALUES ('rebuild')")
    finally:
        conn.close()


@cache
def shipped_path() -> Path:
    """The shipped dataset's SQLite file: found in the cache folder, or unpacked there, the first
    time a process asks (hashing and unpacking it at import slowed every command and test)."""
    return unpacked() if PACKED.is_file() else PACKED.with_suffix("")


def __getattr__(name: str) -> Path:
    """`SHIPPED`, the old name of shipped_path(), worked out when first used."""
    if name == "SHIPPED":
        return shipped_path()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")

# Every table of the compact copy and the columns that order its rows.
ORDER = {
    "councils": "gss_code",
    "inspections": "id",
    "reports": "path",
    "judgements": "inspection_id, area",
    "improvements": "inspection_id, list, position",
    "themes": "key",
    "improvement_themes": "inspection_id, list, position, theme",
    "findings": "inspection_id, kind, position",
    "pages": "sha256, page, text",
    "publications": "url",
    "official_releases": "release",
    "official_rows": "release, sheet, row, part",
    "disagreements": "inspection_id, field, official_source, official_value",
    "visits": "source, source_ref",
}

_CANONICAL_INSPECTIONS = """
    SELECT id FROM inspections ORDER BY gss_code IS NULL, gss_code, coalesce(end_date, published, start_date),
        start_date, end_date, framework, source, council_printed, published, kind, id
"""


def write_compact(built: Path | str, out: Path | str, how: str = "dataset") -> Path:
    """Write a compact, canonical copy of the database `built` to `out` (atomically), its write
    logged as `how`: "dataset" (the shipped file: a new record), or "publish" (a data release: the
    record's own log of writes is kept, and the release added to it)."""
    out = Path(out)
    temp = out.with_name(out.name + f".writing-{os.getpid()}")
    temp.unlink(missing_ok=True)
    conn = connect(temp)
    try:
        create(conn)
        conn.execute("ATTACH DATABASE ? AS built", (read_only_uri(built),))
        _copy_renumbered(conn, how)
        conn.execute("DETACH DATABASE built")
        conn.execute("VACUUM")
    finally:
        conn.close()
    os.replace(temp, out)
    return out


def _copy_renumbered(conn: sqlite3.Connection, how: str = "dataset") -> None:
    old_ids = [row[0] for row in conn.execute(_CANONICAL_INSPECTIONS.replace("inspections", "built.inspections"))]
    conn.execute("BEGIN")
    conn.execute("CREATE TEMP TABLE renumber (old INTEGER PRIMARY KEY, new INTEGER NOT NULL)")
    conn.executemany("INSERT INTO renumber VALUES (?, ?)", [(old, new) for new, old in enumerate(old_ids, 1)])
    conn.execute("DELETE FROM councils")
    conn.execute("INSERT INTO councils SELECT * FROM built.councils ORDER BY gss_code")
    conn.execute(f"INSERT INTO inspections SELECT r.new, {columns('inspections', ('id',))} "
                 "FROM built.inspections JOIN renumber r ON r.old = id ORDER BY r.new")
    conn.execute(f"INSERT INTO reports SELECT {_renumbered('reports')} FROM built.reports "
                 "LEFT JOIN renumber r ON r.old = inspection_id ORDER BY path")
    conn.execute(f"INSERT INTO judgements SELECT {_renumbered('judgements')} FROM built.judgements "
                 "JOIN renumber r ON r.old = inspection_id ORDER BY r.new, area")
    conn.execute(f"INSERT INTO improvements SELECT {_renumbered('improvements')} FROM built.improvements "
                 "JOIN renumber r ON r.old = inspection_id ORDER BY r.new, list, position")
    conn.execute("DELETE FROM themes")
    conn.execute("INSERT INTO themes SELECT * FROM built.themes ORDER BY position")
    conn.execute(f"INSERT INTO improvement_themes SELECT {_renumbered('improvement_themes')} "
                 "FROM built.improvement_themes JOIN renumber r ON r.old = inspection_id "
                 "ORDER BY r.new, list, position, theme")
    if not themes_current(conn):  # built with another taxonomy: the shipped record is themed with this one
        retheme(conn)
    # Numbered anew in the canonical order (each row's trigger adds it to the full-text index).
    conn.execute(f"INSERT INTO findings ({columns('findings', ('id',))}) SELECT {_renumbered('findings', ('id',))} "
                 "FROM built.findings JOIN renumber r ON r.old = inspection_id ORDER BY r.new, kind, position")
    conn.execute("INSERT INTO publications SELECT * FROM built.publications ORDER BY url")
    conn.execute("INSERT INTO official_releases SELECT * FROM built.official_releases ORDER BY release")
    conn.execute(f"INSERT INTO official_rows SELECT {_renumbered('official_rows')} FROM built.official_rows "
                 "LEFT JOIN renumber r ON r.old = inspection_id ORDER BY release, sheet, row, part")
    conn.execute(f"INSERT INTO disagreements SELECT {_renumbered('disagreements')} "
                 "FROM built.disagreements JOIN renumber r ON r.old = inspection_id "
                 "ORDER BY r.new, field, official_source, official_value")
    conn.execute(f"INSERT INTO visits ({columns('visits', ('id',))}) SELECT {columns('visits', ('id',))} "
                 "FROM built.visits ORDER BY source, source_ref")  # numbered in that order
    if how != "dataset":
        conn.execute("INSERT INTO writes SELECT * FROM built.writes ORDER BY at")
    log_write(conn, how)
    conn.execute("COMMIT")
    conn.execute("DROP TABLE temp.renumber")


def _renumbered(table: str, leave_out: tuple[str, ...] = ()) -> str:
    """The table's columns for a SELECT from built.<table>, its inspection_id renumbered."""
    return ", ".join("r.new" if c == "inspection_id" else c for c in COLUMNS[table] if c not in leave_out)


def table_rows(conn: sqlite3.Connection) -> dict[str, list[tuple]]:
    """Every table's rows in a fixed order: two databases with equal table_rows hold the same record."""
    return {table: conn.execute(f"SELECT * FROM {table} ORDER BY {order}").fetchall()
            for table, order in ORDER.items()}


def open_shipped() -> sqlite3.Connection:
    """The shipped dataset, read-only and immutable (it never changes under the package)."""
    return connect_read_only(shipped_path(), immutable=True)


def seed_shipped_record(conn: sqlite3.Connection) -> None:
    """Copy the whole shipped record into a new database (created, empty): every report's record,
    inspection, judgement, improvement point and its themes, and summary, the publications and Ofsted's
    official rows; no page text (a build of the reports adds it). The user's own database starts so, so that a
    build or update of a few councils adds to the national record instead of replacing it."""
    shipped = shipped_path()
    if not shipped.is_file():
        return
    conn.execute("ATTACH DATABASE ? AS shipped", (read_only_uri(shipped, immutable=True),))
    try:
        conn.execute("BEGIN")
        for table in ORDER:
            if table == "pages":
                continue
            conn.execute(f"DELETE FROM {table}")
            conn.execute(f"INSERT INTO {table} ({columns(table)}) SELECT {columns(table)} FROM shipped.{table}")
        conn.execute("COMMIT")
    finally:
        conn.execute("DETACH DATABASE shipped")


def seed_official_rows(conn: sqlite3.Connection) -> None:
    """Copy the shipped dataset's official releases and rows (unlinked) and the visits its tables
    list into a new database, so that a build of reports alone keeps the inspections and visits
    only Ofsted's statistics give."""
    shipped = shipped_path()
    if not shipped.is_file():
        return
    conn.execute("ATTACH DATABASE ? AS shipped", (read_only_uri(shipped, immutable=True),))
    try:
        conn.execute("INSERT INTO official_releases SELECT * FROM shipped.official_releases")
        conn.execute(f"INSERT INTO official_rows SELECT {columns('official_rows', ('inspection_id',))}, NULL "
                     "FROM shipped.official_rows")
        conn.execute(f"INSERT INTO visits ({columns('visits', ('id',))}) SELECT {columns('visits', ('id',))} "
                     "FROM shipped.visits WHERE source = 'official' ORDER BY source_ref")
    except sqlite3.OperationalError as exc:
        if "no such table" not in str(exc):  # a full disk, an I/O error: never a quiet half-seeded database
            raise
    finally:
        conn.execute("DETACH DATABASE shipped")
