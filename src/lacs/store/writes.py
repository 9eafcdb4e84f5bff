"""The embedded store: one SQLite file holding the register, every report read, and the
inspections, judgements and improvement points they give, with page text in FTS5.

The schema is meant to be read in one screen (see SCHEMA). Writes go through `Store`;
building a whole database (incremental, atomic) is `build.py`'s job.
"""

from __future__ import annotations

import os
import sqlite3
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from platformdirs import user_cache_dir, user_data_dir

from typing import TYPE_CHECKING

from lacs.domain.councils import load_councils
from lacs.errors import NoStore, ReportError  # noqa: F401  (NoStore: reconcile raises it as store.NoStore)

if TYPE_CHECKING:
    from lacs.reports.extract import Record

SCHEMA_VERSION = 4


SCHEMA = """
CREATE TABLE councils (            -- the register: current and former councils
    gss_code TEXT PRIMARY KEY, urn INTEGER UNIQUE, dfe_code TEXT, name TEXT NOT NULL,
    official_name TEXT, other_names TEXT, region TEXT, council_type TEXT, population_0_25 INTEGER,
    neighbours TEXT, start_date TEXT, end_date TEXT, successors TEXT, lat REAL, lon REAL
);
CREATE TABLE inspections (         -- one per inspection, however many copies of its report
    id INTEGER PRIMARY KEY, gss_code TEXT REFERENCES councils, council_printed TEXT,
    framework TEXT NOT NULL, kind TEXT, kind_basis TEXT, title TEXT,
    start_date TEXT, end_date TEXT, published TEXT, published_source TEXT, lead_inspector TEXT,
    source TEXT NOT NULL DEFAULT 'report' CHECK (source IN ('report', 'official')),
    source_ref TEXT,               -- for source 'official': the official rows it was made from
    UNIQUE (gss_code, start_date, end_date)
);
CREATE TABLE reports (             -- every file read, good or bad
    path TEXT PRIMARY KEY, sha256 TEXT NOT NULL, size INTEGER, extractor_version TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('ok', 'problem')), error_kind TEXT, error TEXT,
    inspection_id INTEGER REFERENCES inspections ON DELETE SET NULL, site_published TEXT,
    missing TEXT, warnings TEXT
);
CREATE TABLE judgements (          -- one row per inspection and area
    inspection_id INTEGER NOT NULL REFERENCES inspections ON DELETE CASCADE,
    area TEXT NOT NULL, grade TEXT NOT NULL, PRIMARY KEY (inspection_id, area)
);
CREATE TABLE improvements (        -- what needs to improve, one row per point
    inspection_id INTEGER NOT NULL REFERENCES inspections ON DELETE CASCADE,
    list TEXT NOT NULL CHECK (list IN ('council', 'lscb')), position INTEGER NOT NULL, text TEXT NOT NULL,
    PRIMARY KEY (inspection_id, list, position)
);
CREATE TABLE pages (               -- every page's text, once per distinct file
    id INTEGER PRIMARY KEY AUTOINCREMENT, sha256 TEXT NOT NULL, page INTEGER NOT NULL, text TEXT NOT NULL,
    UNIQUE (sha256, page)
);
CREATE VIRTUAL TABLE pages_fts USING fts5(text, content = 'pages', content_rowid = 'id');
CREATE TRIGGER pages_deleted AFTER DELETE ON pages BEGIN
    INSERT INTO pages_fts (pages_fts, rowid, text) VALUES ('delete', old.id, old.text); END;
CREATE TABLE publications (        -- what Ofsted's site lists for each council, as `lacs update` found it
    url TEXT PRIMARY KEY, urn INTEGER, gss_code TEXT REFERENCES councils, kind TEXT NOT NULL,
    site_published TEXT, description TEXT, path TEXT, sha256 TEXT
);
CREATE TABLE official_releases (   -- Ofsted's official statistics releases imported
    release TEXT PRIMARY KEY, title TEXT, published_on TEXT, as_at TEXT, published_by TEXT,
    file_name TEXT, sha256 TEXT NOT NULL
);
CREATE TABLE official_rows (       -- one inspection as one row of an official table gives it
    release TEXT NOT NULL REFERENCES official_releases ON DELETE CASCADE, sheet TEXT NOT NULL,
    row INTEGER NOT NULL, part TEXT NOT NULL, tbl TEXT NOT NULL, council_printed TEXT,
    gss_code TEXT REFERENCES councils, region_printed TEXT, framework TEXT, kind TEXT, graded INTEGER NOT NULL,
    start_date TEXT, published TEXT, judgements TEXT NOT NULL, note TEXT,
    inspection_id INTEGER REFERENCES inspections ON DELETE SET NULL,  -- the inspection it is a record of
    PRIMARY KEY (release, sheet, row, part)
);
CREATE TABLE disagreements (       -- where a report's record and an official row differ (the report wins)
    inspection_id INTEGER NOT NULL REFERENCES inspections ON DELETE CASCADE, field TEXT NOT NULL,
    report_value TEXT, report_source TEXT, official_value TEXT, official_source TEXT NOT NULL
);
CREATE INDEX reports_sha256 ON reports (sha256);
CREATE INDEX inspections_dates ON inspections (end_date, published);
"""


def default_db_path() -> Path:
    """$LACS_DB, else lacs.db in the user's data folder."""
    return Path(os.environ.get("LACS_DB") or Path(user_data_dir("lacs")) / "lacs.db")


def default_reports_folder() -> Path:
    """Where downloaded reports are kept: $LACS_REPORTS, else the user's cache folder."""
    return Path(os.environ.get("LACS_REPORTS") or Path(user_cache_dir("lacs")) / "reports")


def connect(path: Path | str) -> sqlite3.Connection:
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("PRAGMA foreign_keys = ON")
    return conn


def create(conn: sqlite3.Connection) -> None:
    """Create the schema and fill the councils table from the register."""
    conn.executescript(SCHEMA)
    conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
    conn.executemany(
        "INSERT INTO councils VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
        [(c.gss_code, c.urn, c.dfe_code, c.name, c.official_name, "|".join(c.other_names), c.region,
          c.council_type, c.population_0_25, " ".join(c.neighbours), c.start or None, c.end or None,
          " ".join(c.successors), c.lat, c.lon) for c in load_councils()],
    )


def stored_versions(conn: sqlite3.Connection) -> dict[str, tuple[str, str]]:
    """path -> (sha256, extractor version) of every report already stored."""
    return {path: (sha, version) for path, sha, version in
            conn.execute("SELECT path, sha256, extractor_version FROM reports")}


def forget(conn: sqlite3.Connection, path: str) -> None:
    """Remove a report; an inspection no report supports any more goes with it."""
    row = conn.execute("SELECT sha256, inspection_id FROM reports WHERE path = ?", (path,)).fetchone()
    if row is None:
        return
    sha, inspection_id = row
    conn.execute("DELETE FROM reports WHERE path = ?", (path,))
    if not conn.execute("SELECT 1 FROM reports WHERE sha256 = ?", (sha,)).fetchone():
        conn.execute("DELETE FROM pages WHERE sha256 = ?", (sha,))
    if inspection_id and not conn.execute("SELECT 1 FROM reports WHERE inspection_id = ?", (inspection_id,)).fetchone():
        conn.execute("DELETE FROM inspections WHERE id = ?", (inspection_id,))


def add_problem(conn: sqlite3.Connection, path: str, sha256: str, size: int, version: str, error: ReportError,
                site_published: date | None) -> None:
    conn.execute(
        "INSERT INTO reports (path, sha256, size, extractor_version, status, error_kind, error, site_published) "
        "VALUES (?,?,?,?, 'problem', ?,?,?)",
        (path, sha256, size, version, error.kind, error.reason, _iso(site_published)))


def add_record(conn: sqlite3.Connection, path: str, size: int, record: Record, site_published: date | None) -> int:
    """Store one report's record; copies of one inspection (same council and dates) share one row."""
    published, source = (record.published, "report") if record.published else (
        (site_published, "file_name") if site_published else (None, None))
    inspection_id = _find_inspection(conn, record)
    if inspection_id is None:
        inspection_id = conn.execute(
            "INSERT INTO inspections (gss_code, council_printed, framework, kind, kind_basis, title, start_date, "
            "end_date, published, published_source, lead_inspector) VALUES (?,?,?,?,?,?,?,?,?,?,?)",
            (record.gss_code, record.council, record.framework, record.kind, record.kind_basis, record.title,
             _iso(record.start), _iso(record.end), _iso(published), source, record.lead_inspector)).lastrowid
        conn.executemany("INSERT INTO judgements VALUES (?,?,?)",
                         [(inspection_id, area, grade.value) for area, grade in record.judgements.items()])
        conn.executemany("INSERT INTO improvements VALUES (?,?,?,?)",
                         [(inspection_id, name, n, text) for name, items in
                          (("council", record.improvements), ("lscb", record.lscb_improvements))
                          for n, text in enumerate(items, 1)])
    conn.execute(
        "INSERT INTO reports (path, sha256, size, extractor_version, status, inspection_id, site_published, "
        "missing, warnings) VALUES (?,?,?,?, 'ok', ?,?,?,?)",
        (path, record.sha256, size, record.extractor_version, inspection_id, _iso(site_published),
         "; ".join(f"{k}: {v}" for k, v in record.missing.items()) or None, "; ".join(record.warnings) or None))
    if record.pages:
        conn.executemany("INSERT OR IGNORE INTO pages (sha256, page, text) VALUES (?,?,?)",
                         [(record.sha256, n, text) for n, text in enumerate(record.pages, 1)])
    return inspection_id


@dataclass(frozen=True)
class PublicationRow:
    """One publication the site lists; a letter's page text comes with it, to be searchable."""

    url: str
    urn: int | None
    gss_code: str | None
    kind: str  # "report", "focused_visit", "monitoring_visit", ...
    site_published: date | None
    description: str
    path: str | None = None  # the downloaded file, relative to the folder it was built from
    sha256: str | None = None
    pages: tuple[str, ...] = ()


def add_publication(conn: sqlite3.Connection, row: PublicationRow) -> None:
    conn.execute("INSERT OR REPLACE INTO publications VALUES (?,?,?,?,?,?,?,?)",
                 (row.url, row.urn, row.gss_code, row.kind, _iso(row.site_published), row.description,
                  row.path, row.sha256))
    if row.pages and row.sha256:
        conn.executemany("INSERT OR IGNORE INTO pages (sha256, page, text) VALUES (?,?,?)",
                         [(row.sha256, n, text) for n, text in enumerate(row.pages, 1)])


def known_publications(conn: sqlite3.Connection) -> tuple[set[str], set[tuple[int, str]]]:
    """The URLs already stored, and (URN, site date) of every report read, so that a report
    built from a folder is not fetched again."""
    urls = {url for (url,) in conn.execute("SELECT url FROM publications")}
    dated = {(urn, day) for urn, day in conn.execute(
        "SELECT c.urn, r.site_published FROM reports r JOIN inspections i ON i.id = r.inspection_id "
        "JOIN councils c USING (gss_code) WHERE r.site_published IS NOT NULL AND c.urn IS NOT NULL")}
    return urls, dated


def last_page_id(conn: sqlite3.Connection) -> int:
    return conn.execute("SELECT coalesce(max(id), 0) FROM pages").fetchone()[0]


def index_pages_after(conn: sqlite3.Connection, page_id: int) -> int:
    """Add the pages stored after page_id to the full-text index; returns the last page id indexed.

    Indexing many pages in one statement is about three times faster than a row at a time
    (FTS5 flushes its pending terms at the end of every statement), so add_record leaves
    the index to this."""
    last = last_page_id(conn)
    conn.execute("INSERT INTO pages_fts (rowid, text) SELECT id, text FROM pages WHERE id > ? AND id <= ?",
                 (page_id, last))
    return last


def _find_inspection(conn: sqlite3.Connection, record: Record) -> int | None:
    row = conn.execute("SELECT inspection_id FROM reports WHERE sha256 = ? AND inspection_id IS NOT NULL",
                       (record.sha256,)).fetchone()
    if row:
        return row[0]
    if record.gss_code and record.start and record.end:
        row = conn.execute("SELECT id FROM inspections WHERE gss_code = ? AND start_date = ? AND end_date = ?",
                           (record.gss_code, _iso(record.start), _iso(record.end))).fetchone()
        return row[0] if row else None
    return None


def _iso(value: date | None) -> str | None:
    return value.isoformat() if value else None
