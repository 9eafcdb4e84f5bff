"""Full-text search of every page of every report and letter in a built database.

    import lacs
    from lacs.questions.search import search
    db = lacs.open("lacs.db")                       # a database `lacs build FOLDER` wrote
    for hit in search(db, '"domestic abuse" OR neglect*', council="kent", limit=5):
        print(hit.council, hit.end, hit.page, hit.snippet)   # ... [domestic] [abuse] ...

The query language: plain words (all must appear, in any order), "quoted phrases", prefixes
(`protect*`), and the upper-case operators OR, NOT and AND between terms, with (brackets) to
group them. Bare words are quoted before FTS5 sees them, so `16-17` or `children's` is
searched as written rather than read as syntax. Hits come best first by bm25, one per page.
"""

from __future__ import annotations

import json
import re
import sqlite3
from dataclasses import asdict, dataclass
from datetime import date

from lacs.store.database import Database
from lacs.errors import BadQuery, NoPageText, literal

ACCEPTED = 'use words, "quoted phrases", prefix*, and OR / NOT / AND between terms'
OPERATORS = ("AND", "OR", "NOT")
_TOKEN = re.compile(r'"([^"]*)("?)(\*?)|([()])|([^\s"()]+)')
_WORD = re.compile(r"\w")


@dataclass(frozen=True)
class Hit:
    """One page that matches; a report's page (kind "report") or a letter's ("focused_visit", ...)."""

    council: str
    urn: int | None
    framework: str | None  # None for a letter
    start: date | None  # fieldwork dates of the inspection; None for a letter
    end: date | None
    published: date | None  # the report's publication date, or the date the site gives a letter
    kind: str
    page: int
    snippet: str  # the matched terms marked [like this]
    rank: float  # FTS5's bm25: lower (more negative) is better
    path: str | None

    def to_json(self) -> dict:
        out = asdict(self)
        for key in ("start", "end", "published"):
            out[key] = out[key].isoformat() if out[key] else None
        return out


def fts_query(text: str) -> str:
    """The user's query as a safe FTS5 query; raises BadQuery on what cannot be one."""
    if not text.strip():
        raise _bad(text, "the search is empty")
    parts: list[tuple[str, str]] = []  # (kind, FTS5 text); kind is "term", "op", "(" or ")"
    depth = 0
    for m in _TOKEN.finditer(text):
        phrase, closed, star, bracket, word = m.groups()
        if phrase is not None:
            if not closed:
                raise _bad(text, "a quote is not closed")
            if _WORD.search(phrase):
                parts.append(("term", f'"{phrase.strip()}"{star}'))
        elif bracket:
            depth += 1 if bracket == "(" else -1
            if depth < 0:
                raise _bad(text, "a ) has no ( before it")
            parts.append((bracket, bracket))
        elif word in OPERATORS:
            parts.append(("op", word))
        elif word == "NEAR" and text.startswith("(", m.end()):
            raise _bad(text, "NEAR(...) is not supported")
        elif word.endswith("*"):
            stem = word.rstrip("*")
            if not _WORD.search(stem):
                raise _bad(text, "* must end a word, as in protect*")
            parts.append(("term", f'"{stem}"*'))
        elif _WORD.search(word):  # a word with no letters or digits (-, &) says nothing: dropped
            parts.append(("term", f'"{word}"'))
    if depth:
        raise _bad(text, "a ( is not closed")
    if not any(kind == "term" for kind, _ in parts):
        raise _bad(text, "there is no word to search for")
    for n, (kind, op) in enumerate(parts):
        before = parts[n - 1][0] if n else None
        after = parts[n + 1][0] if n + 1 < len(parts) else None
        if kind == "op" and (before not in ("term", ")") or after not in ("term", "(")):
            raise _bad(text, f"{op} needs a term on each side, as in: neglect {op} abuse")
    return " ".join(fts for _, fts in parts)


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


def search(db: Database, text: str, council: str | None = None, start: date | None = None,
           end: date | None = None, limit: int = 20) -> list[Hit]:
    """The pages that match `text`, best first, one hit per page of an inspection or letter.

    `council` (a name or code) keeps that council's; `start` / `end` keep those whose
    inspection ended (or letter was published) in that range, both days included."""
    if limit < 1:
        raise BadQuery("limit", limit, "at least 1", "{parameter} {value}: must be {accepted}")
    if db.shipped or not _has_pages(db.conn):
        raise NoPageText(f"{db.path}: no page text to search (the shipped dataset has none); "
                         "run `lacs build FOLDER` on a folder of reports first")
    query = fts_query(text)
    gss = db.council(council).gss_code if council else None
    params = {"query": query, "gss": gss, "start": start.isoformat() if start else None,
              "end": end.isoformat() if end else None}
    try:
        rows = _ranked(db.conn, params, limit)
        snippets = dict(db.conn.execute(_SNIPPETS, {"query": query, "ids": json.dumps([r[0] for r in rows])}))
    except sqlite3.OperationalError as exc:
        if "fts5" in str(exc) or "syntax" in str(exc):
            raise _bad(text, f"the search engine could not read it ({exc})") from None
        raise
    return [Hit(council=council_name, urn=urn, framework=framework, start=_date(s), end=_date(e),
                published=_date(published), kind=kind, page=page, snippet=_one_line(snippets.get(page_id, "")),
                rank=rank, path=path)
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


def _bad(text: str, reason: str) -> BadQuery:
    return BadQuery("text", text, ACCEPTED, "bad search {value!r}: " + literal(reason) + "; {accepted}")


def _one_line(text: str) -> str:
    return " ".join(text.split())


def _date(text: str | None) -> date | None:
    return date.fromisoformat(text) if text else None
