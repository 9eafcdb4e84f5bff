"""Full-text search of what the record holds: every page of every report and letter in a built
database, and, where an inspection's pages are not stored (the shipped record, straight after
install), what inspectors said: each report's own summary of its findings and the points it
says must improve.

    import lacs
    from lacs.questions.search import search, search_scope
    db = lacs.open()
    for hit in search(db, '"domestic abuse" OR neglect*', council="kent", limit=5):
        print(hit.council, hit.end, hit.where, hit.snippet)   # ... [domestic] [abuse] ...
    print(search_scope(db).sentence())   # which text was searched

The query language: plain words (all must appear, in any order), "quoted phrases", prefixes
(`protect*`), and the upper-case operators OR, NOT and AND between terms, with (brackets) to
group them. Bare words are quoted before FTS5 sees them, so `16-17` or `children's` is
searched as written rather than read as syntax. Hits come best first by bm25, one per page,
summary passage or point to improve.
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass
from datetime import date

from lacs.errors import BadQuery, NoPageText, literal
from lacs.store.database import Database
from lacs.store.pages import FindingMatch, PageMatch, SearchRejected

ACCEPTED = 'use words, "quoted phrases", prefix*, and OR / NOT / AND between terms'
OPERATORS = ("AND", "OR", "NOT")
_TOKEN = re.compile(r'"([^"]*)("?)(\*?)|([()])|([^\s"()]+)')
_WORD = re.compile(r"\w")


# What a hit was found in, and the texts searched (Hit.found_in; SearchScope.searched).
PAGE, SUMMARY, IMPROVEMENT, LSCB_IMPROVEMENT = "page", "summary", "improvement", "lscb_improvement"
PAGES, SUMMARIES, IMPROVEMENTS = "pages", "summaries", "improvements"
_WHERE = {SUMMARY: "the report's summary", IMPROVEMENT: "what needs to improve, point {n}",
          LSCB_IMPROVEMENT: "what the safeguarding board must improve, point {n}"}


@dataclass(frozen=True)
class Hit:
    """One page that matches (a report's page, kind "report", or a letter's: "focused_visit", ...),
    or one passage of a report's summary or one point it says must improve (`found_in`)."""

    council: str
    urn: int | None
    framework: str | None  # None for a letter
    start: date | None  # fieldwork dates of the inspection; None for a letter
    end: date | None
    published: date | None  # the report's publication date, or the date the site gives a letter
    kind: str
    page: int | None  # None for a finding: found in the report's summary or its points, not on a page
    snippet: str  # the matched terms marked [like this]
    rank: float  # FTS5's bm25: lower (more negative) is better
    path: str | None
    found_in: str = PAGE  # "page", "summary", "improvement" or "lscb_improvement"
    position: int | None = None  # a finding's passage or point number, from 1
    searched: tuple[str, ...] = (PAGES,)  # the texts the search that found it searched

    @property
    def where(self) -> str:
        """Where in the report or letter it was found, for people: "page 4", "what needs to improve, point 2"."""
        return f"page {self.page}" if self.found_in == PAGE else _WHERE[self.found_in].format(n=self.position)

    def to_json(self) -> dict:
        out = asdict(self)
        for key in ("start", "end", "published"):
            out[key] = out[key].isoformat() if out[key] else None
        out["searched"] = list(self.searched)
        return out


@dataclass(frozen=True)
class SearchScope:
    """Which text a search of this database reads: the pages of `page_files` files, and the
    findings (summary and points to improve) of `finding_inspections` inspections whose pages
    are not stored, `summary_inspections` of them with a summary."""

    page_files: int
    finding_inspections: int
    summary_inspections: int

    @property
    def searched(self) -> tuple[str, ...]:
        """"pages", "summaries", "improvements": the texts there are to search."""
        return ((PAGES,) if self.page_files else ()) + (
            ((SUMMARIES,) if self.summary_inspections else ()) + (IMPROVEMENTS,) if self.finding_inspections else ())

    def sentence(self) -> str:
        """What was searched, as `lacs search` says it."""
        said = "what inspectors said must improve" + (
            " and each report's summary of its findings" if self.summary_inspections else "")
        findings = f"{said} ({_count(self.finding_inspections, 'inspection')}"
        if 0 < self.summary_inspections < self.finding_inspections:
            findings += f"; {self.summary_inspections} with a summary"  # a database read before summaries were
        findings += ")"
        if not self.page_files:
            return (f"searched {findings}; the full text of every page is searched after "
                    "`lacs build` or `lacs update`")
        pages = f"every page of {_count(self.page_files, 'report or letter', 'reports and letters')} stored"
        if not self.finding_inspections:
            return f"searched {pages}"
        return f"searched {pages}, and, where an inspection's pages are not stored, {findings}"


def _count(n: int, one: str, many: str = "") -> str:
    return f"{n} {one}" if n == 1 else f"{n} {many or one + 's'}"


def search_scope(db: Database) -> SearchScope:
    """Which text search(db, ...) reads (see SearchScope)."""
    found = db.searchable()
    return SearchScope(found.page_files if db.has_page_text() else 0, found.finding_inspections,
                       found.summary_inspections)


def fts_query(text: str) -> str:
    """The user's query as a safe FTS5 query; raises BadQuery on what cannot be one."""
    if not text.strip():
        raise _bad(text, "the search is empty")
    if any(ord(ch) < 32 or 0x7F <= ord(ch) < 0xA0 for ch in text):  # FTS5 cannot read a NUL, and no one types one
        raise _bad(text, "the search holds a control character")
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
    """What matches `text`, best first: one hit per page of an inspection or letter and, for the
    inspections whose pages are not stored, one per passage of a report's summary or point it
    says must improve (search_scope(db) says which text that was).

    `council` (a name or code) keeps that council's; `start` / `end` keep those whose
    inspection ended (or letter was published) in that range, both days included."""
    if limit < 1:
        raise BadQuery("limit", limit, "at least 1", "{parameter} {value}: must be {accepted}")
    scope = search_scope(db)
    if not scope.searched:
        raise NoPageText(f"{db.path}: no text to search (no page text, and no report's summary or points "
                         "to improve); run `lacs build FOLDER` on a folder of reports first")
    query = fts_query(text)
    gss = db.council(council).gss_code if council else None
    try:
        pages = db.search_pages(query, gss, start, end, limit) if scope.page_files else []
        findings = db.search_findings(query, gss, start, end, limit, untexted_only=bool(scope.page_files)) \
            if scope.finding_inspections else []
    except SearchRejected as exc:
        raise _bad(text, f"the search engine could not read it ({exc})") from None
    hits = [_page_hit(m, scope.searched) for m in pages] + [_finding_hit(m, scope.searched) for m in findings]
    return sorted(hits, key=lambda h: h.rank)[:limit]


def _page_hit(m: PageMatch, searched: tuple[str, ...]) -> Hit:
    return Hit(council=m.council, urn=m.urn, framework=m.framework, start=m.start, end=m.end,
               published=m.published, kind=m.kind, page=m.page, snippet=_one_line(m.snippet), rank=m.rank,
               path=m.path, searched=searched)


def _finding_hit(m: FindingMatch, searched: tuple[str, ...]) -> Hit:
    return Hit(council=m.council, urn=m.urn, framework=m.framework, start=m.start, end=m.end,
               published=m.published, kind="report", page=None, snippet=_one_line(m.snippet), rank=m.rank,
               path=m.path, found_in=m.kind, position=m.position, searched=searched)


def _bad(text: str, reason: str) -> BadQuery:
    return BadQuery("text", text, ACCEPTED, "bad search {value!r}: " + literal(reason) + "; {accepted}")


def _one_line(text: str) -> str:
    return " ".join(text.split())
