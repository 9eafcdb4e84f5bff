"""The embedded store: one SQLite file holding the register, every report read, and the
inspections, judgements and improvement points they give, with page text in FTS5.

The schema (and opening a database) is schema.py's; every write is a function here, as are
the reads that writers need on the connection they write with. Building a whole database
(incremental, atomic) is `build.py`'s job.
"""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, cast

from lacs.domain.grades import Grade
from lacs.errors import NoStore, ReportError  # noqa: F401  (NoStore: reconcile raises it as store.NoStore)
from lacs.official.tables import OfficialRelease, OfficialRow
from lacs.store.schema import (  # noqa: F401 (writers' too)
    COLUMNS,
    SCHEMA_VERSION,
    columns,
    connect,
    create,
    placeholders,
    record_counts,  # noqa: F401 (build counts through the store)
    retheme,  # noqa: F401 (build finds the themes again when the taxonomy has changed)
    theme_rows,
    themes_current,  # noqa: F401
)

if TYPE_CHECKING:
    from lacs.official.match import Difference, MergedInspection
    from lacs.reports.extract import Record




def stored_versions(conn: sqlite3.Connection, with_text: bool = False) -> dict[str, tuple[str, str]]:
    """path -> (sha256, extractor version) of every report already stored; `with_text`: but
    those read as reports whose page text is not stored (the shipped record's), to read again."""
    rows = conn.execute("SELECT path, sha256, extractor_version, status = 'ok' AND NOT EXISTS "
                        "(SELECT 1 FROM pages p WHERE p.sha256 = r.sha256) FROM reports r")
    return {path: (sha, version) for path, sha, version, textless in rows if not (with_text and textless)}


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
        inspection_id = _add_inspection(
            conn, {"gss_code": record.gss_code, "council_printed": record.council, "framework": record.framework,
                   "kind": record.kind, "kind_basis": record.kind_basis, "title": record.title,
                   "start_date": _iso(record.start), "end_date": _iso(record.end), "published": _iso(published),
                   "published_source": source, "lead_inspector": record.lead_inspector},
            {area: grade.value for area, grade in record.judgements.items()})
        points = [(inspection_id, name, n, text) for name, items in
                  (("council", record.improvements), ("lscb", record.lscb_improvements))
                  for n, text in enumerate(items, 1)]
        conn.executemany("INSERT INTO improvements VALUES (?,?,?,?)", points)
        conn.executemany("INSERT INTO improvement_themes VALUES (?,?,?,?)", theme_rows(points))
        add_findings(conn, inspection_id, record.summary, record.improvements, record.lscb_improvements)
    conn.execute(
        "INSERT INTO reports (path, sha256, size, extractor_version, status, inspection_id, site_published, "
        "missing, warnings) VALUES (?,?,?,?, 'ok', ?,?,?,?)",
        (path, record.sha256, size, record.extractor_version, inspection_id, _iso(site_published),
         "; ".join(f"{k}: {v}" for k, v in record.missing.items()) or None, "; ".join(record.warnings) or None))
    _add_pages(conn, record.sha256, record.pages)
    return inspection_id


def add_findings(conn: sqlite3.Connection, inspection_id: int, summary: list[str], improvements: list[str],
                 lscb_improvements: list[str]) -> None:
    """What inspectors said, searchable (findings; its trigger indexes each row): the report's own
    summary, by passage, and the points the council and the safeguarding board must improve."""
    conn.executemany("INSERT INTO findings (inspection_id, kind, position, text) VALUES (?,?,?,?)",
                     [(inspection_id, kind, n, text) for kind, items in
                      (("summary", summary), ("improvement", improvements), ("lscb_improvement", lscb_improvements))
                      for n, text in enumerate(items, 1)])


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
    conn.execute(f"INSERT OR REPLACE INTO publications VALUES ({placeholders('publications')})",
                 (row.url, row.urn, row.gss_code, row.kind, _iso(row.site_published), row.description,
                  row.path, row.sha256))
    if row.sha256:
        _add_pages(conn, row.sha256, row.pages)


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


OFFICIAL = "official"  # inspections.source of one only the official statistics give


def imported_releases(conn: sqlite3.Connection) -> dict[str, str]:
    """release -> SHA-256 of the file it was imported from."""
    return dict(conn.execute("SELECT release, sha256 FROM official_releases"))


def store_release(conn: sqlite3.Connection, found: OfficialRelease) -> None:
    """Replace a release's rows with these (importing a release again replaces it whole)."""
    r = found.release
    conn.execute("DELETE FROM official_releases WHERE release = ?", (r.key,))
    conn.execute(f"INSERT INTO official_releases VALUES ({placeholders('official_releases')})",
                 (r.key, r.title, _iso(r.published_on), _iso(r.as_at), _iso(r.published_by), r.file_name, r.sha256))
    conn.executemany(
        f"INSERT INTO official_rows ({_OFFICIAL_ROW}) VALUES ({placeholders('official_rows', ('inspection_id',))})",
        [(o.release, o.sheet, o.row, o.part, o.table, o.council, o.gss_code, o.region, o.framework, o.kind,
          int(o.graded), _iso(o.start), _iso(o.published),
          json.dumps({k: v.value for k, v in sorted(o.judgements.items())}), o.note) for o in found.rows])


_OFFICIAL_ROW = columns("official_rows", ("inspection_id",))  # what a spreadsheet gives; the link is reconcile's


def graded_official_rows(conn: sqlite3.Connection) -> list[OfficialRow]:
    """Every official row of a graded inspection of a council in the register, in table order."""
    return [OfficialRow(release, sheet, row, part, table, council, gss, region, framework, kind, bool(graded),
                        _day(start), _day(published), {k: Grade(v) for k, v in json.loads(judgements).items()},
                        note)
            for (release, sheet, row, part, table, council, gss, region, framework, kind, graded, start, published,
                 judgements, note) in conn.execute(
                f"SELECT {_OFFICIAL_ROW} FROM official_rows "
                "WHERE graded = 1 AND gss_code IS NOT NULL ORDER BY release, sheet, row, part")]


def report_inspection_dates(conn: sqlite3.Connection) -> list[tuple[int, str, str, date | None, date | None,
                                                                          date | None]]:
    """(id, GSS code, framework, start, end, published) of every inspection a report gives a
    council in the register, but reviews of the safeguarding board alone."""
    return [(i, gss, framework, _day(start), _day(end), _day(published))
            for i, gss, framework, start, end, published in conn.execute(
                "SELECT id, gss_code, framework, start_date, end_date, published FROM inspections "
                "WHERE source = 'report' AND gss_code IS NOT NULL AND kind IS NOT 'lscb_review'")]


def review_inspections(conn: sqlite3.Connection) -> list[tuple[int, str, date | None, date | None, date | None,
                                                                 dict[str, str]]]:
    """(id, GSS code, start, end, published, area -> grade) of every review of the safeguarding
    board alone that a report gives a council in the register."""
    rows = conn.execute("SELECT id, gss_code, start_date, end_date, published FROM inspections "
                        "WHERE source = 'report' AND gss_code IS NOT NULL AND kind IS 'lscb_review'").fetchall()
    return [(i, gss, _day(start), _day(end), _day(published), inspection_grades(conn, i))
            for i, gss, start, end, published in rows]


def forget_official_matches(conn: sqlite3.Connection) -> None:
    """Undo the last reconciliation: no links, no disagreements, no inspections only official rows gave."""
    conn.execute("DELETE FROM disagreements")
    conn.execute("UPDATE official_rows SET inspection_id = NULL")
    conn.execute("DELETE FROM inspections WHERE source = ?", (OFFICIAL,))


def add_official_inspection(conn: sqlite3.Connection, merged: MergedInspection) -> int:
    """Store an inspection only the official statistics give; returns its id."""
    return _add_inspection(
        conn, {"gss_code": merged.gss_code, "council_printed": merged.council, "framework": merged.framework,
               "kind": merged.kind, "kind_basis": "official statistics" if merged.kind else None,
               "title": merged.title, "start_date": _iso(merged.start), "end_date": None,
               "published": _iso(merged.published), "published_source": OFFICIAL if merged.published else None,
               "lead_inspector": None, "source": OFFICIAL, "source_ref": merged.source_ref},
        merged.judgements)


def inspection_dates(conn: sqlite3.Connection, inspection_id: int) -> tuple[str | None, str | None, str | None]:
    """(start, published, where the publication date came from) of a stored inspection, dates as ISO text."""
    return conn.execute("SELECT start_date, published, published_source FROM inspections WHERE id = ?",
                        (inspection_id,)).fetchone()


def inspection_grades(conn: sqlite3.Connection, inspection_id: int) -> dict[str, str]:
    """area -> grade value of a stored inspection."""
    return dict(conn.execute("SELECT area, grade FROM judgements WHERE inspection_id = ?", (inspection_id,)))


def add_disagreements(conn: sqlite3.Connection, inspection_id: int, found: list[Difference]) -> None:
    conn.executemany(f"INSERT INTO disagreements VALUES ({placeholders('disagreements')})",
                     [(inspection_id, *f) for f in found])


def link_official_rows(conn: sqlite3.Connection, inspection_id: int, rows: list[OfficialRow]) -> None:
    """Mark the rows as records of the inspection."""
    conn.executemany("UPDATE official_rows SET inspection_id = ? WHERE release = ? AND sheet = ? AND row = ? "
                     "AND part = ?", [(inspection_id, r.release, r.sheet, r.row, r.part) for r in rows])


def _add_inspection(conn: sqlite3.Connection, values: dict[str, str | None], grades: dict[str, str]) -> int:
    """Insert one inspection (the columns not in `values` take their defaults) and its
    judgements (area -> grade value); returns its id."""
    names = [c for c in COLUMNS["inspections"] if c in values]
    inspection_id = cast(int, conn.execute(
        f"INSERT INTO inspections ({', '.join(names)}) VALUES ({','.join('?' * len(names))})",
        [values[c] for c in names]).lastrowid)
    conn.executemany(f"INSERT INTO judgements VALUES ({placeholders('judgements')})",
                     [(inspection_id, area, grade) for area, grade in grades.items()])
    return inspection_id


def _add_pages(conn: sqlite3.Connection, sha256: str, pages: tuple[str, ...] | list[str]) -> None:
    """A file's page text, once per distinct file (the index is index_pages_after's)."""
    conn.executemany("INSERT OR IGNORE INTO pages (sha256, page, text) VALUES (?,?,?)",
                     [(sha256, n, text) for n, text in enumerate(pages, 1)])


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


def _day(text: str | None) -> date | None:
    return date.fromisoformat(text) if text else None
