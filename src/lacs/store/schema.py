"""The database file: its schema, opening it (read-only or for writing), and the one check
that a file is a lacs database of this version.

    check_lacs_database(path)          -> DatabaseCheck (.ok, .verdict, .detail)
    migrate(conn)                      -> bring a lacs database of an older schema up to this one
    default_db_path()                  -> $LACS_DB, else lacs.db in the user's data folder
    connect_read_only(path)            -> a connection that cannot write (immutable=True: nor lock)
    connect(path)                      -> a connection for writing, foreign keys on, autocommit
    columns("official_rows")           -> "release, sheet, ...": a table's columns, for SQL
    themes_current(conn)               -> whether the stored themes were found with data/themes.toml's taxonomy
    retheme(conn)                      -> store the taxonomy and every improvement point's themes again

Everything that opens a database goes through here, so that the URI flags and the version
check are written once.
"""

from __future__ import annotations

import json
import os
import re
import sqlite3
import stat
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from enum import Enum
from pathlib import Path

from platformdirs import user_cache_dir, user_data_dir

from lacs.domain.councils import load_councils
from lacs.domain.report_types import VISIT_KINDS
from lacs.domain.themes import load_themes, themes_of

SCHEMA_VERSION = 6

# Every lacs database says so in its header (PRAGMA application_id): "lacs" in ASCII. Databases
# made before it was written carry 0 and are known by their tables; any other number is another
# program's.
APPLICATION_ID = 0x6C616373

# What inspectors said, searchable: each report's own summary and its points to improve.
FINDINGS = """
CREATE TABLE findings (            -- what inspectors said: each report's summary and what must improve, searchable
    id INTEGER PRIMARY KEY, inspection_id INTEGER NOT NULL REFERENCES inspections (id) ON DELETE CASCADE,
    kind TEXT NOT NULL CHECK (kind IN ('summary', 'improvement', 'lscb_improvement')), position INTEGER NOT NULL,
    text TEXT NOT NULL, UNIQUE (inspection_id, kind, position)
);
-- content="findings", as written, is how datasette and sqlite-utils know the index is the table's
CREATE VIRTUAL TABLE findings_fts USING fts5(text, content="findings", content_rowid="id");
CREATE TRIGGER findings_added AFTER INSERT ON findings BEGIN
    INSERT INTO findings_fts (rowid, text) VALUES (new.id, new.text); END;
CREATE TRIGGER findings_deleted AFTER DELETE ON findings BEGIN
    INSERT INTO findings_fts (findings_fts, rowid, text) VALUES ('delete', old.id, old.text); END;
CREATE TRIGGER findings_changed AFTER UPDATE ON findings BEGIN
    INSERT INTO findings_fts (findings_fts, rowid, text) VALUES ('delete', old.id, old.text);
    INSERT INTO findings_fts (rowid, text) VALUES (new.id, new.text); END;
"""

SCHEMA = """
CREATE TABLE councils (            -- the register: current and former councils
    gss_code TEXT PRIMARY KEY, urn INTEGER UNIQUE, dfe_code TEXT, name TEXT NOT NULL,
    official_name TEXT, other_names TEXT, region TEXT, council_type TEXT, population_0_25 INTEGER,
    neighbours TEXT, start_date TEXT, end_date TEXT, successors TEXT, lat REAL, lon REAL
);
CREATE TABLE inspections (         -- one per inspection, however many copies of its report
    id INTEGER PRIMARY KEY, gss_code TEXT REFERENCES councils (gss_code), council_printed TEXT,
    framework TEXT NOT NULL, kind TEXT, kind_basis TEXT, title TEXT,
    start_date TEXT, end_date TEXT, published TEXT, published_source TEXT, lead_inspector TEXT,
    source TEXT NOT NULL DEFAULT 'report' CHECK (source IN ('report', 'official')),
    source_ref TEXT,               -- for source 'official': the official rows it was made from
    UNIQUE (gss_code, start_date, end_date)
);
CREATE TABLE reports (             -- every file read, good or bad
    path TEXT PRIMARY KEY, sha256 TEXT NOT NULL, size INTEGER, extractor_version TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('ok', 'problem')), error_kind TEXT, error TEXT,
    inspection_id INTEGER REFERENCES inspections (id) ON DELETE SET NULL, site_published TEXT,
    missing TEXT, warnings TEXT
);
CREATE TABLE judgements (          -- one row per inspection and area
    inspection_id INTEGER NOT NULL REFERENCES inspections (id) ON DELETE CASCADE,
    area TEXT NOT NULL, grade TEXT NOT NULL, PRIMARY KEY (inspection_id, area)
);
CREATE TABLE improvements (        -- what needs to improve, one row per point
    inspection_id INTEGER NOT NULL REFERENCES inspections (id) ON DELETE CASCADE,
    list TEXT NOT NULL CHECK (list IN ('council', 'lscb')), position INTEGER NOT NULL, text TEXT NOT NULL,
    PRIMARY KEY (inspection_id, list, position)
);
CREATE TABLE themes (              -- the taxonomy (data/themes.toml) the points' themes were found with
    key TEXT PRIMARY KEY, position INTEGER NOT NULL, name TEXT NOT NULL, description TEXT NOT NULL,
    patterns TEXT NOT NULL         -- JSON: the regular expressions (patterns, weak, context) that signal it
);
CREATE TABLE improvement_themes (  -- each point's themes, found when it was stored (none: no theme matched)
    inspection_id INTEGER NOT NULL, list TEXT NOT NULL, position INTEGER NOT NULL,
    theme TEXT NOT NULL REFERENCES themes (key) ON DELETE CASCADE,
    PRIMARY KEY (inspection_id, list, position, theme),
    FOREIGN KEY (inspection_id, list, position) REFERENCES improvements (inspection_id, list, position)
        ON DELETE CASCADE
) WITHOUT ROWID;                   -- the key is the table: half the size
CREATE TABLE pages (               -- every page's text, once per distinct file
    id INTEGER PRIMARY KEY AUTOINCREMENT, sha256 TEXT NOT NULL, page INTEGER NOT NULL, text TEXT NOT NULL,
    UNIQUE (sha256, page)
);
CREATE VIRTUAL TABLE pages_fts USING fts5(text, content = 'pages', content_rowid = 'id');
CREATE TRIGGER pages_deleted AFTER DELETE ON pages BEGIN
    INSERT INTO pages_fts (pages_fts, rowid, text) VALUES ('delete', old.id, old.text); END;
CREATE TABLE publications (        -- what Ofsted's site lists for each council, as `lacs update` found it
    url TEXT PRIMARY KEY, urn INTEGER, gss_code TEXT REFERENCES councils (gss_code), kind TEXT NOT NULL,
    site_published TEXT, description TEXT, path TEXT, sha256 TEXT
);
CREATE TABLE official_releases (   -- Ofsted's official statistics releases imported
    release TEXT PRIMARY KEY, title TEXT, published_on TEXT, as_at TEXT, published_by TEXT,
    file_name TEXT, sha256 TEXT NOT NULL
);
CREATE TABLE official_rows (       -- one inspection as one row of an official table gives it
    release TEXT NOT NULL REFERENCES official_releases (release) ON DELETE CASCADE, sheet TEXT NOT NULL,
    row INTEGER NOT NULL, part TEXT NOT NULL, tbl TEXT NOT NULL, council_printed TEXT,
    gss_code TEXT REFERENCES councils (gss_code), region_printed TEXT, framework TEXT, kind TEXT,
    graded INTEGER NOT NULL,
    start_date TEXT, published TEXT, judgements TEXT NOT NULL, note TEXT,
    inspection_id INTEGER REFERENCES inspections (id) ON DELETE SET NULL,  -- the inspection it is a record of
    PRIMARY KEY (release, sheet, row, part)
);
CREATE TABLE disagreements (       -- where a report's record and an official row differ (the report wins)
    inspection_id INTEGER NOT NULL REFERENCES inspections (id) ON DELETE CASCADE, field TEXT NOT NULL,
    report_value TEXT, report_source TEXT, official_value TEXT, official_source TEXT NOT NULL
);
CREATE TABLE writes (              -- every time lacs wrote this database: when, how, which lacs
    at TEXT NOT NULL, how TEXT NOT NULL, lacs_version TEXT NOT NULL
);
""" + FINDINGS + """CREATE INDEX reports_sha256 ON reports (sha256);
CREATE INDEX inspections_dates ON inspections (end_date, published);
CREATE TABLE visits (              -- every visit between inspections: one per row of a source that records it
    id INTEGER PRIMARY KEY, gss_code TEXT REFERENCES councils (gss_code), kind TEXT NOT NULL,
    start_date TEXT, end_date TEXT, published TEXT, theme TEXT,
    source TEXT NOT NULL CHECK (source IN ('official', 'letter')),
    source_ref TEXT NOT NULL,      -- 'official': "release 2022, sheet X, row 7"; 'letter': the publication's URL
    UNIQUE (source, source_ref)
);
"""

# Every table's columns in their order (pages_fts and findings_fts, FTS5's own, aside); test_store checks them
# against SCHEMA.
COLUMNS: dict[str, tuple[str, ...]] = {
    "councils": ("gss_code", "urn", "dfe_code", "name", "official_name", "other_names", "region", "council_type",
                 "population_0_25", "neighbours", "start_date", "end_date", "successors", "lat", "lon"),
    "inspections": ("id", "gss_code", "council_printed", "framework", "kind", "kind_basis", "title", "start_date",
                    "end_date", "published", "published_source", "lead_inspector", "source", "source_ref"),
    "reports": ("path", "sha256", "size", "extractor_version", "status", "error_kind", "error", "inspection_id",
                "site_published", "missing", "warnings"),
    "judgements": ("inspection_id", "area", "grade"),
    "improvements": ("inspection_id", "list", "position", "text"),
    "themes": ("key", "position", "name", "description", "patterns"),
    "improvement_themes": ("inspection_id", "list", "position", "theme"),
    "pages": ("id", "sha256", "page", "text"),
    "publications": ("url", "urn", "gss_code", "kind", "site_published", "description", "path", "sha256"),
    "official_releases": ("release", "title", "published_on", "as_at", "published_by", "file_name", "sha256"),
    "official_rows": ("release", "sheet", "row", "part", "tbl", "council_printed", "gss_code", "region_printed",
                      "framework", "kind", "graded", "start_date", "published", "judgements", "note",
                      "inspection_id"),
    "disagreements": ("inspection_id", "field", "report_value", "report_source", "official_value",
                      "official_source"),
    "writes": ("at", "how", "lacs_version"),
    "visits": ("id", "gss_code", "kind", "start_date", "end_date", "published", "theme", "source", "source_ref"),
    "findings": ("id", "inspection_id", "kind", "position", "text"),
}


def columns(table: str, leave_out: tuple[str, ...] = ()) -> str:
    """The table's columns as SQL lists them ("a, b, c"), without those left out."""
    return ", ".join(c for c in COLUMNS[table] if c not in leave_out)


def placeholders(table: str, leave_out: tuple[str, ...] = ()) -> str:
    """The placeholders ("?,?,?"), one for each of the table's columns but those left out."""
    return ",".join("?" for c in COLUMNS[table] if c not in leave_out)


def read_only_uri(path: Path | str, immutable: bool = False) -> str:
    """The URI that opens path read-only; immutable (no locks, no change checks) for a file that
    never changes, such as the shipped dataset. Also what ATTACH DATABASE takes."""
    return f"file:{path}?{'immutable=1' if immutable else 'mode=ro'}"


def connect_read_only(path: Path | str, immutable: bool = False) -> sqlite3.Connection:
    """A connection that cannot write; usable from any thread (the web app's workers share one)."""
    return sqlite3.connect(read_only_uri(path, immutable), uri=True, check_same_thread=False)


def connect(path: Path | str) -> sqlite3.Connection:
    """A connection for writing: autocommit (callers BEGIN and COMMIT), foreign keys enforced."""
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("PRAGMA foreign_keys = ON")
    return conn


def create(conn: sqlite3.Connection) -> None:
    """Create the schema and fill the councils table from the register."""
    conn.executescript(SCHEMA)
    conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
    conn.execute(f"PRAGMA application_id = {APPLICATION_ID}")
    conn.executemany(
        f"INSERT INTO councils VALUES ({placeholders('councils')})",
        [(c.gss_code, c.urn, c.dfe_code, c.name, c.official_name, "|".join(c.other_names), c.region,
          c.council_type, c.population_0_25, " ".join(c.neighbours), c.start or None, c.end or None,
          " ".join(c.successors), c.lat, c.lon) for c in load_councils()],
    )
    _store_taxonomy(conn)


def _taxonomy_rows() -> list[tuple[str, int, str, str, str]]:
    """The `themes` table's rows for the taxonomy in data/themes.toml, in its order."""
    return [(t.key, n, t.name, t.description,
             json.dumps({"patterns": t.patterns, "weak": t.weak, "context": t.context}, ensure_ascii=False))
            for n, t in enumerate(load_themes(), 1)]


def _store_taxonomy(conn: sqlite3.Connection) -> None:
    conn.executemany(f"INSERT INTO themes VALUES ({placeholders('themes')})", _taxonomy_rows())


def theme_rows(points: Iterable[tuple[int, str, int, str]]) -> list[tuple[int, str, int, str]]:
    """The `improvement_themes` rows of improvement points given as (inspection id, list, position, text)."""
    return [(inspection_id, listed, position, key) for inspection_id, listed, position, text in points
            for key in themes_of(text)]


def themes_current(conn: sqlite3.Connection) -> bool:
    """True if the database's themes were found with the taxonomy in data/themes.toml (the same
    themes, names and patterns, in its order); False after the taxonomy has changed."""
    stored = conn.execute(f"SELECT {columns('themes')} FROM themes ORDER BY position").fetchall()
    return stored == _taxonomy_rows()


def retheme(conn: sqlite3.Connection) -> None:
    """Store data/themes.toml's taxonomy and find every improvement point's themes again with it,
    so that no theme a changed taxonomy no longer gives is left behind."""
    conn.execute("DELETE FROM improvement_themes")
    conn.execute("DELETE FROM themes")
    _store_taxonomy(conn)
    conn.executemany(f"INSERT INTO improvement_themes VALUES ({placeholders('improvement_themes')})",
                     theme_rows(conn.execute("SELECT inspection_id, list, position, text FROM improvements")))


def log_write(conn: sqlite3.Connection, how: str) -> None:
    """Say in the database that lacs wrote it now (UTC, to the second), how, and which lacs."""
    from lacs import __version__

    at = datetime.now(UTC).replace(microsecond=0).isoformat()
    conn.execute("INSERT INTO writes VALUES (?, ?, ?)", (at, how, __version__))


class Verdict(Enum):
    MISSING = "missing"
    NOT_FILE = "not_file"  # a folder, a device, a pipe: never written to or replaced
    NOT_SQLITE = "not_sqlite"  # a text file, a PDF, a damaged database, an empty file...
    NOT_LACS = "not_lacs"  # a SQLite database of another program
    NEWER = "newer"  # a lacs database of a newer schema: refused, never rebuilt
    OTHER_VERSION = "other_version"  # a lacs database of an older schema: migrate() brings it up to date
    DAMAGED = "damaged"  # a lacs database of this schema whose tables differ from it
    CURRENT = "current"


@dataclass(frozen=True)
class DatabaseCheck:
    verdict: Verdict
    detail: str  # why it is not a lacs database of this version, for a message; "" if it is
    version: int = SCHEMA_VERSION

    @property
    def ok(self) -> bool:
        return self.verdict is Verdict.CURRENT

    @property
    def migratable(self) -> bool:
        """True for a lacs database of an older schema that migrate() can bring up to this one."""
        return self.verdict is Verdict.OTHER_VERSION and self.version in MIGRATIONS


def check_lacs_database(path: Path | str, immutable: bool = False) -> DatabaseCheck:
    """Whether path holds a lacs database of this version: APPLICATION_ID (or 0, from before it
    was written) in its header, SCHEMA_VERSION in its user_version and every table with the
    columns of SCHEMA. A lacs database always has a `reports` or an `inspections` table, so a
    database with neither is another program's."""
    path = Path(path)
    try:
        mode = path.stat().st_mode
    except FileNotFoundError:
        return DatabaseCheck(Verdict.MISSING, "no such file")
    except OSError as exc:
        return DatabaseCheck(Verdict.NOT_FILE, f"cannot be read ({exc.strerror})")
    if stat.S_ISDIR(mode):
        return DatabaseCheck(Verdict.NOT_FILE, "a folder, not a database file")
    if not stat.S_ISREG(mode):
        return DatabaseCheck(Verdict.NOT_FILE, "not a regular file (a device, a pipe or a socket)")
    if path.stat().st_size == 0:
        return DatabaseCheck(Verdict.NOT_SQLITE, "an empty file")
    try:
        conn = connect_read_only(path, immutable)
        try:
            version = conn.execute("PRAGMA user_version").fetchone()[0]
            application_id = conn.execute("PRAGMA application_id").fetchone()[0]
            found = _table_columns(conn)
        finally:
            conn.close()
    except sqlite3.DatabaseError as exc:
        return DatabaseCheck(Verdict.NOT_SQLITE, f"not a SQLite database ({exc})")
    if application_id not in (0, APPLICATION_ID) or ("reports" not in found and "inspections" not in found):
        return DatabaseCheck(Verdict.NOT_LACS, "a SQLite database of another program")
    if version > SCHEMA_VERSION:
        return DatabaseCheck(Verdict.NEWER, f"made by a newer lacs (schema {version}; this lacs reads schema "
                                            f"{SCHEMA_VERSION}): upgrade lacs to use it", version)
    if version < SCHEMA_VERSION:
        how = ("lacs brings it up to date in place, keeping everything" if version in MIGRATIONS else
               "too old to bring up to date: move it aside and build again")
        return DatabaseCheck(Verdict.OTHER_VERSION, f"a lacs database of schema {version}; this lacs reads "
                                                    f"schema {SCHEMA_VERSION}; {how}", version)
    unlike = sorted(table for table, names in COLUMNS.items() if found.get(table) != names)
    if unlike:
        return DatabaseCheck(Verdict.DAMAGED, f"a lacs database whose tables differ from this version's "
                                              f"({', '.join(unlike)})", version)
    return DatabaseCheck(Verdict.CURRENT, "")


def _from_3(conn: sqlite3.Connection) -> None:
    """Schema 4 added Ofsted's official statistics: an inspection's source, and three tables."""
    conn.execute("ALTER TABLE inspections ADD COLUMN source TEXT NOT NULL DEFAULT 'report' "
                 "CHECK (source IN ('report', 'official'))")
    conn.execute("ALTER TABLE inspections ADD COLUMN source_ref TEXT")
    start = SCHEMA.index("CREATE TABLE official_releases")
    end = SCHEMA.index("CREATE TABLE writes")
    conn.executescript(SCHEMA[start:end])


def _from_4(conn: sqlite3.Connection) -> None:
    """Schema 5 added `writes`: when lacs wrote the database (a copied file keeps it)."""
    start = SCHEMA.index("CREATE TABLE writes")
    conn.executescript(SCHEMA[start:SCHEMA.index("\n);\n", start) + 4])


# What each table that others refer to is referred to by: its primary key.
KEYS = {"councils": "gss_code", "inspections": "id", "official_releases": "release"}
_BARE_REFERENCE = re.compile(rf"\bREFERENCES ({'|'.join(KEYS)})\b(?!\s*\()")


def _from_5_search(conn: sqlite3.Connection) -> None:
    """Schema 6: every REFERENCES clause names its column (tools that read foreign keys, such as
    datasette, failed on every table with one), and `findings`, what inspectors said, with its
    full-text index; the improvement points fill it now, each report's summary when it is read
    again (the extractor's version changed with it)."""
    _name_referenced_columns(conn)
    conn.executescript(FINDINGS)
    conn.execute("INSERT INTO findings (inspection_id, kind, position, text) "
                 "SELECT inspection_id, CASE list WHEN 'lscb' THEN 'lscb_improvement' ELSE 'improvement' END, "
                 "position, text FROM improvements ORDER BY inspection_id, list, position")


def _name_referenced_columns(conn: sqlite3.Connection) -> None:
    """Rebuild each table whose REFERENCES clauses name no column, as SQLite's documented way of
    changing a table's constraints does: foreign keys off, a new table of the new definition,
    every row copied, the old dropped, the new renamed, its indexes made again, and
    foreign_key_check empty before the change is committed."""
    tables = [(name, sql) for name, sql in conn.execute("SELECT name, sql FROM sqlite_master WHERE type = 'table'")
              if sql and _BARE_REFERENCE.search(sql)]
    if not tables:
        return
    names = [name for name, _ in tables]
    indexes = [sql for (sql,) in conn.execute(
        "SELECT sql FROM sqlite_master WHERE type IN ('index', 'trigger') AND sql IS NOT NULL "
        f"AND tbl_name IN ({','.join('?' * len(names))})", names)]
    conn.execute("PRAGMA foreign_keys = OFF")
    try:
        conn.execute("BEGIN")
        for name, sql in tables:
            named = _BARE_REFERENCE.sub(lambda m: f"REFERENCES {m[1]} ({KEYS[m[1]]})", sql)
            conn.execute(re.sub(rf"^CREATE TABLE {name}\b", f"CREATE TABLE {name}_rebuilt", named, count=1))
            conn.execute(f"INSERT INTO {name}_rebuilt SELECT * FROM {name}")
            conn.execute(f"DROP TABLE {name}")
            conn.execute(f"ALTER TABLE {name}_rebuilt RENAME TO {name}")
        for sql in indexes:
            conn.execute(sql)
        broken = conn.execute("PRAGMA foreign_key_check").fetchall()
        if broken:
            # OperationalError: a write that cannot be done, said in one line, the old file kept
            raise sqlite3.OperationalError(f"{len(broken)} rows refer to rows that are not there, "
                                           f"first (table, row, referred table): {broken[0][:3]}")
        conn.execute("COMMIT")
    except BaseException:
        conn.execute("ROLLBACK")
        raise
    finally:
        conn.execute("PRAGMA foreign_keys = ON")


def _from_5_visits(conn: sqlite3.Connection) -> None:
    """Schema 6 added `visits`, filled here from what the database held: the visits of Ofsted's
    in-year tables (their themes come when `lacs official import` reads the release again) and the
    letters `lacs update` stored (their facts come at the next build or update)."""
    start = SCHEMA.index("CREATE TABLE visits")
    conn.executescript(SCHEMA[start:SCHEMA.index(");\n", start) + 3])
    kinds = tuple(k.key for k in VISIT_KINDS)
    conn.execute(
        "INSERT INTO visits (gss_code, kind, start_date, published, source, source_ref) "
        "SELECT gss_code, kind, start_date, published, 'official', 'release ' || release || ', sheet ' || sheet "
        "|| ', row ' || row || CASE part WHEN '' THEN '' ELSE ' (' || part || ')' END FROM official_rows "
        f"WHERE graded = 0 AND kind IN ({','.join('?' * len(kinds))}) ORDER BY release, sheet, row, part", kinds)
    conn.execute("INSERT INTO visits (gss_code, kind, published, source, source_ref) "
                 "SELECT gss_code, kind, site_published, 'letter', url FROM publications WHERE kind != 'report' "
                 "ORDER BY url")


def _from_5_themes(conn: sqlite3.Connection) -> None:
    """Schema 6 added the points' themes (`themes`, `improvement_themes`), found here for the
    points already stored, so that a migrated database answers `lacs themes` at once."""
    start = SCHEMA.index("CREATE TABLE themes")
    end = SCHEMA.index(") WITHOUT ROWID;", start) + len(") WITHOUT ROWID;")
    conn.executescript(SCHEMA[start:end])
    retheme(conn)


def _from_5(conn: sqlite3.Connection) -> None:
    """Schema 6: foreign keys that name their columns and what inspectors said, searchable (first:
    it runs its own transaction); the visits between inspections; the points' themes."""
    _from_5_search(conn)
    _from_5_visits(conn)
    _from_5_themes(conn)


# MIGRATIONS[n] takes a database of schema n to schema n + 1, keeping every row; migrate() runs
# them in turn. A schema change adds one here with SCHEMA_VERSION.
MIGRATIONS: dict[int, Callable[[sqlite3.Connection], None]] = {3: _from_3, 4: _from_4, 5: _from_5}


def migrate(conn: sqlite3.Connection) -> None:
    """Bring the lacs database on conn (of this schema or an older one that MIGRATIONS reaches)
    up to SCHEMA_VERSION, and mark it a lacs database; the caller holds the lock and writes on a copy."""
    version = conn.execute("PRAGMA user_version").fetchone()[0]
    while version < SCHEMA_VERSION:
        MIGRATIONS[version](conn)
        version += 1
        conn.execute(f"PRAGMA user_version = {version}")
    conn.execute(f"PRAGMA application_id = {APPLICATION_ID}")


def _table_columns(conn: sqlite3.Connection) -> dict[str, tuple[str, ...]]:
    tables = [name for (name,) in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
    return {table: tuple(name for (name,) in conn.execute("SELECT name FROM pragma_table_info(?)", (table,)))
            for table in tables}


def default_db_path() -> Path:
    """$LACS_DB, else lacs.db in the user's data folder."""
    return Path(os.environ.get("LACS_DB") or Path(user_data_dir("lacs")) / "lacs.db")


def default_reports_folder() -> Path:
    """Where downloaded reports are kept: $LACS_REPORTS, else the user's cache folder."""
    return Path(os.environ.get("LACS_REPORTS") or Path(user_cache_dir("lacs")) / "reports")


def record_counts(conn: sqlite3.Connection) -> dict[str, int]:
    """What a database holds, as `lacs status` says it and as a write may not lessen in the user's record."""
    one = conn.execute(
        "SELECT (SELECT count(*) FROM inspections), "
        "(SELECT count(DISTINCT gss_code) FROM inspections WHERE gss_code IS NOT NULL), "
        "(SELECT count(*) FROM official_releases), (SELECT count(*) FROM publications)").fetchone()
    return dict(zip(("inspections", "councils with an inspection", "official releases", "publications"), one,
                    strict=True))
