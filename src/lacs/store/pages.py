"""Full-text search of the stored pages: the SQL behind questions/search.py, which turns the
user's words into an FTS5 query and the matches into hits.

    matching_pages(conn, '"neglect"', gss_code=None, start=None, end=None, limit=20) -> [PageMatch]
"""

from __future__ import annotations

import json
import sqlite3
from datetime import date
from typing import NamedTuple


class SearchRejected(Exception):
    """FTS5 could not read the query (its message says why)."""


class PageMatch(NamedTuple):
    """One matching page and where it comes from: a report's inspection or a letter."""

    page_id: int
    rank: float  # FTS5's bm25: lower (more negative) is better
    page: int
    path: str | None
    kind: str
    council: str
    urn: int | None
    framework: str | None
    start: date | None
    end: date | None
    published: date | None
    snippet: str  # the matched terms marked [like this]


# Where each stored file's pages come from: the inspection a report gives (one row per
# inspection, its copies merged), else the publication a letter is (when no report has it).
_SOURCES = """
WITH sources AS (
    SELECT r.sha256, 'i' || i.id AS key, min(r.path) AS path, 'report' AS kind, i.gss_code,
           coalesce(c.name, i.council_printed) AS council, c.urn, i.framework, i.start_date, i.end_date,
           i.published, i.end_date AS day
    FROM reports r JOIN inspections i ON i.id = r.inspection_id LEFT JOIN councils c ON c.gss_code = i.gss_code
    GROUP BY r.sha256
    UNION ALL
    SELECT b.sha256, 'p' || b.sha256, min(b.path), b.kind, b.gss_code, coalesce(c.name, b.gss_code, ''),
           coalesce(c.urn, b.urn), NULL, NULL, NULL, b.site_published, b.site_published
    FROM publications b LEFT JOIN councils c ON c.gss_code = b.gss_code
    WHERE b.sha256 IS NOT NULL
      AND NOT EXISTS (SELECT 1 FROM reports r WHERE r.sha256 = b.sha256 AND r.inspection_id IS NOT NULL)
    GROUP BY b.sha256
)
SELECT m.id, m.rank, p.page, s.key, s.path, s.kind, s.council, s.urn, s.framework, s.start_date, s.end_date,
       s.published
FROM (SELECT rowid AS id, rank FROM pages_fts WHERE pages_fts MATCH :query {top}) AS m
JOIN pages p ON p.id = m.id
LEFT JOIN sources s ON s.sha256 = p.sha256  -- LEFT: so that n counts matches
WHERE (:gss IS NULL OR s.gss_code = :gss) AND (:start IS NULL OR s.day >= :start)
  AND (:end IS NULL OR s.day <= :end)
ORDER BY m.rank, m.id LIMIT :n
"""

# One pass over the matches (rowids only: cheap), a snippet for just the pages kept. Asking
# FTS5 for `rowid IN (...)` instead re-runs the query per rowid, which is slow for prefixes.
_SNIPPETS = """
SELECT id, snip FROM (
    SELECT rowid AS id, CASE WHEN rowid IN (SELECT value FROM json_each(:ids))
        THEN snippet(pages_fts, 0, '[', ']', '…', 12) END AS snip
    FROM pages_fts WHERE pages_fts MATCH :query)
WHERE snip IS NOT NULL
"""


def has_pages(conn: sqlite3.Connection) -> bool:
    """True if the database holds any page text."""
    try:
        return conn.execute("SELECT 1 FROM pages LIMIT 1").fetchone() is not None
    except sqlite3.OperationalError:  # no pages table at all
        return False


def matching_pages(conn: sqlite3.Connection, query: str, gss_code: str | None, start: date | None,
                   end: date | None, limit: int) -> list[PageMatch]:
    """The pages that match the FTS5 `query`, best first, one per page of an inspection or letter;
    of one council (`gss_code`), and ended or published between `start` and `end`, if given.
    Raises SearchRejected if FTS5 cannot read the query."""
    params = {"query": query, "gss": gss_code, "start": start.isoformat() if start else None,
              "end": end.isoformat() if end else None}
    try:
        rows = _ranked(conn, params, limit)
        snippets = dict(conn.execute(_SNIPPETS, {"query": query, "ids": json.dumps([r[0] for r in rows])}))
    except sqlite3.OperationalError as exc:
        if "fts5" in str(exc) or "syntax" in str(exc):
            raise SearchRejected(str(exc)) from None
        raise
    return [PageMatch(page_id, rank, page, path, kind, council_name, urn, framework, _date(s), _date(e),
                      _date(published), snippets.get(page_id, ""))
            for page_id, rank, page, _, path, kind, council_name, urn, framework, s, e, published in rows]


def _ranked(conn: sqlite3.Connection, params: dict, limit: int) -> list[tuple]:
    """The best `limit` rows, one per page of an inspection (its copies may repeat a page).
    Sorting for the top few is much cheaper than sorting every match, so ask for a few more
    than needed, and for more again only if copies used them up."""
    n = limit * 2
    while True:
        # Unfiltered, only the top n matches need joining to where they come from.
        top = "" if params["gss"] or params["start"] or params["end"] else "ORDER BY rank LIMIT :n"
        fetched = conn.execute(_SOURCES.format(top=top), {**params, "n": n}).fetchall()
        rows, seen = [], set()
        for row in fetched:
            if row[3] is not None and (row[3], row[2]) not in seen:
                seen.add((row[3], row[2]))
                rows.append(row)
        if len(rows) >= limit or len(fetched) < n:
            return rows[:limit]
        n *= 4


def _has_pages(conn: sqlite3.Connection) -> bool:
    try:
        return conn.execute("SELECT 1 FROM pages LIMIT 1").fetchone() is not None
    except sqlite3.OperationalError:  # no pages table at all
        return False


def _date(text: str | None) -> date | None:
    return date.fromisoformat(text) if text else None
