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

import re
from dataclasses import asdict, dataclass
from datetime import date

from lacs.errors import BadQuery, NoPageText, literal
from lacs.store.database import Database
from lacs.store.pages import SearchRejected

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


def search(db: Database, text: str, council: str | None = None, start: date | None = None,
           end: date | None = None, limit: int = 20) -> list[Hit]:
    """The pages that match `text`, best first, one hit per page of an inspection or letter.

    `council` (a name or code) keeps that council's; `start` / `end` keep those whose
    inspection ended (or letter was published) in that range, both days included."""
    if limit < 1:
        raise BadQuery("limit", limit, "at least 1", "{parameter} {value}: must be {accepted}")
    if not db.has_page_text():
        raise NoPageText(f"{db.path}: no page text to search (the shipped dataset has none); "
                         "run `lacs build FOLDER` on a folder of reports first")
    query = fts_query(text)
    gss = db.council(council).gss_code if council else None
    try:
        matches = db.search_pages(query, gss, start, end, limit)
    except SearchRejected as exc:
        raise _bad(text, f"the search engine could not read it ({exc})") from None
    return [Hit(council=m.council, urn=m.urn, framework=m.framework, start=m.start, end=m.end,
                published=m.published, kind=m.kind, page=m.page, snippet=_one_line(m.snippet), rank=m.rank,
                path=m.path)
            for m in matches]


def _bad(text: str, reason: str) -> BadQuery:
    return BadQuery("text", text, ACCEPTED, "bad search {value!r}: " + literal(reason) + "; {accepted}")


def _one_line(text: str) -> str:
    return " ".join(text.split())
