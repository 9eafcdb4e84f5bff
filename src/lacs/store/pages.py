"""Full-text search of the stored pages and of what inspectors said (findings: each report's
summary and the points it says must improve): the SQL behind questions/search.py, which turns
the user's words into an FTS5 query and the matches into hits.

    matching_pages(conn, '"neglect"', gss_code=None, start=None, end=None, limit=20) -> [PageMatch]
    matching_findings(conn, '"neglect"', None, None, None, 20, untexted_only=False) -> [FindingMatch]
    searchable(conn)  -> Searchable: how much of each text there is to search
"""

from __future__ import annotations

import json
import sqlite3
from datetime import date
from typing import NamedTuple


def _query_error(exc: sqlite3.OperationalError) -> bool:
    """True for FTS5's own errors reading a query (not the database's)."""
    return any(words in str(exc) for words in ("fts5", "syntax", "unterminated string", "unknown special query"))


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
        THEN snippet({index}, 0, '[', ']', '…', {words}) END AS snip
    FROM {index} WHERE {index} MATCH :query)
WHERE snip IS NOT NULL
"""


def _snippets(conn: sqlite3.Connection, index: str, words: int, query: str, ids: list[int]) -> dict[int, str]:
    """The snippet of each row `ids` names in the full-text `index` (pages_fts or findings_fts)."""
    return dict(conn.execute(_SNIPPETS.format(index=index, words=words), {"query": query, "ids": json.dumps(ids)}))


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
        snippets = _snippets(conn, "pages_fts", 12, query, [r[0] for r in rows])
    except sqlite3.OperationalError as exc:
        if _query_error(exc):
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


def _date(text: str | None) -> date | None:
    return date.fromisoformat(text) if text else None


class FindingMatch(NamedTuple):
    """One matching finding: a passage of a report's summary or a point it says must improve."""

    finding_id: int
    rank: float  # FTS5's bm25: lower (more negative) is better
    kind: str  # "summary", "improvement" or "lscb_improvement"
    position: int  # the passage's or the point's number, from 1
    path: str | None  # a report the inspection was read from
    council: str
    urn: int | None
    framework: str | None
    start: date | None
    end: date | None
    published: date | None
    snippet: str  # the matched terms marked [like this]


class Searchable(NamedTuple):
    """How much text a database holds to search: files with their pages' text, and inspections
    with findings (those of them with a summary), counting only inspections none of whose
    reports' pages are stored (a page search finds their words already)."""

    page_files: int
    finding_inspections: int
    summary_inspections: int


# The inspections some of whose report's pages are stored: a page search covers them.
_TEXTED = "SELECT r.inspection_id FROM reports r WHERE r.inspection_id IS NOT NULL AND r.sha256 IN " \
          "(SELECT sha256 FROM pages)"

_FINDINGS = f"""
SELECT m.id, m.rank, f.kind, f.position,
       (SELECT min(r.path) FROM reports r WHERE r.inspection_id = i.id), coalesce(c.name, i.council_printed),
       c.urn, i.framework, i.start_date, i.end_date, i.published
FROM (SELECT rowid AS id, rank FROM findings_fts WHERE findings_fts MATCH :query {{top}}) AS m
JOIN findings f ON f.id = m.id JOIN inspections i ON i.id = f.inspection_id
LEFT JOIN councils c ON c.gss_code = i.gss_code
WHERE (:gss IS NULL OR i.gss_code = :gss) AND (:start IS NULL OR i.end_date >= :start)
  AND (:end IS NULL OR i.end_date <= :end) AND (NOT :untexted OR i.id NOT IN ({_TEXTED}))
ORDER BY m.rank, m.id LIMIT :n
"""

def matching_findings(conn: sqlite3.Connection, query: str, gss_code: str | None, start: date | None,
                      end: date | None, limit: int, untexted_only: bool = False) -> list[FindingMatch]:
    """The findings that match the FTS5 `query`, best first, filtered as matching_pages filters
    pages (by the inspection's council and end date); `untexted_only`: only those of inspections
    whose pages are not stored. Raises SearchRejected if FTS5 cannot read the query."""
    params = {"query": query, "gss": gss_code, "start": start.isoformat() if start else None,
              "end": end.isoformat() if end else None, "untexted": untexted_only, "n": limit}
    filtered = bool(gss_code or start or end or untexted_only)
    try:
        rows = conn.execute(_FINDINGS.format(top="" if filtered else "ORDER BY rank LIMIT :n"), params).fetchall()
        snippets = _snippets(conn, "findings_fts", 16, query, [r[0] for r in rows])
    except sqlite3.OperationalError as exc:
        if _query_error(exc):
            raise SearchRejected(str(exc)) from None
        raise
    return [FindingMatch(finding_id, rank, kind, position, path, council_name, urn, framework, _date(s), _date(e),
                         _date(published), snippets.get(finding_id, ""))
            for finding_id, rank, kind, position, path, council_name, urn, framework, s, e, published in rows]


def searchable(conn: sqlite3.Connection) -> Searchable:
    """What there is to search (see Searchable); a database without a findings table has none."""
    files = conn.execute("SELECT count(DISTINCT sha256) FROM pages").fetchone()[0] if has_pages(conn) else 0
    try:
        findings, summaries = conn.execute(
            f"SELECT count(DISTINCT inspection_id), count(DISTINCT CASE kind WHEN 'summary' THEN inspection_id END) "
            f"FROM findings WHERE inspection_id NOT IN ({_TEXTED})").fetchone()
    except sqlite3.OperationalError:  # a database made before findings were kept
        findings, summaries = 0, 0
    return Searchable(files, findings, summaries)
