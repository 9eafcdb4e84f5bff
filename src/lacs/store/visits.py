"""Visits between inspections: the `visits` table, written and read.

    store_official_visits(conn, release)   # the in-year tables' visits of one release (import)
    refresh_letter_visits(conn)            # every letter `lacs update` stored, read (each build)
    read_visits(conn, gss_code=None)       # -> [Visit], oldest first, one per visit

A row is one source's record of a visit: a row of one of Ofsted's in-year tables (source
'official', source_ref "release 2022, sheet X, row 7") or a letter the site lists (source
'letter', source_ref its URL). One visit can have several: the letter and the table row, or
two releases' rows. read_visits gives each visit once (same_visit below says when two records
are of one visit), the letter's facts first, as a report's are for an inspection.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import date, timedelta
from typing import TYPE_CHECKING, TypeVar

from lacs.domain.report_types import VISIT_KINDS, visit_kind
from lacs.reports.visits import visit_facts
from lacs.store.schema import columns, placeholders

if TYPE_CHECKING:  # Ofsted's table layouts take a while to compile: not for every read of the record
    from lacs.official.tables import OfficialRelease

OFFICIAL, LETTER = "official", "letter"
# Two records of one council's visits of one kind are of the same visit when their first days
# (or, where either lacks one, their publication dates) are this close.
SAME_VISIT_DAYS = 7
T = TypeVar("T")
NOT_IN_REGISTER = "a council not in the register"  # a table row lacs could not link to a council


@dataclass(frozen=True)
class Visit:
    """One visit between inspections as the record holds it."""

    gss_code: str | None
    council: str  # the register's name
    kind: str  # a VisitKind key: "focused_visit", "monitoring_visit", ...
    start: date | None  # its first day
    end: date | None  # its last day, where a letter states it (Ofsted's tables do not)
    published: date | None
    theme: str | None  # as Ofsted's in-year tables word it ("Care leavers")
    source: str  # "letter" or "official"
    source_ref: str  # the letter's URL, or the table row: "release 2022, sheet X, row 7"
    sources: tuple[str, ...] = ()  # every record of it: its source_ref first

    @property
    def date(self) -> date | None:
        """Where the visit sits in time: its first day, else (a letter whose dates lacs could not
        read) its publication."""
        return self.start or self.published

    @property
    def kind_name(self) -> str:
        found = visit_kind(self.kind)
        return found.name if found else self.kind.replace("_", " ")

    @property
    def url(self) -> str | None:
        """The letter's address on Ofsted's site, where the record has the letter."""
        return next((s for s in self.sources or (self.source_ref,) if s.startswith(("http://", "https://"))), None)

    @property
    def source_label(self) -> str:
        return "letter" if self.source == LETTER else "Ofsted official statistics"

    def to_json(self) -> dict[str, object]:
        """The keys `lacs visits --json` prints for a visit."""
        return {"council": self.council, "gss_code": self.gss_code, "kind": self.kind, "date": _iso(self.date),
                "start": _iso(self.start), "end": _iso(self.end), "published": _iso(self.published),
                "theme": self.theme, "source": self.source_label, "source_ref": self.source_ref, "url": self.url,
                "sources": list(self.sources)}


def store_official_visits(conn: sqlite3.Connection, found: OfficialRelease) -> int:
    """Replace the release's visits with those its in-year tables list; returns how many."""
    prefix = f"release {found.release.key}, "
    conn.execute("DELETE FROM visits WHERE source = ? AND substr(source_ref, 1, ?) = ?",
                 (OFFICIAL, len(prefix), prefix))
    rows = [(o.gss_code, o.kind, _iso(o.start), None, _iso(o.published), o.theme, OFFICIAL, o.source)
            for o in found.rows if o.kind and visit_kind(o.kind) and not o.graded]
    conn.executemany(f"INSERT INTO visits ({_COLUMNS}) VALUES ({placeholders('visits', ('id',))})", rows)
    return len(rows)


def refresh_letter_visits(conn: sqlite3.Connection) -> None:
    """A visit for every letter stored (a publication of a kind of visit): its kind, dates and theme
    as the letter's text states them (reports/visits.py), else as the site listed it. A letter whose
    text the database does not hold keeps the visit already made of it."""
    kinds = tuple(k.key for k in VISIT_KINDS)
    letters = conn.execute(
        f"SELECT url, gss_code, kind, site_published, sha256 FROM publications "
        f"WHERE kind IN ({','.join('?' * len(kinds))}) ORDER BY url", kinds).fetchall()
    held = {url for (url,) in conn.execute("SELECT source_ref FROM visits WHERE source = ?", (LETTER,))}
    for url, gss_code, kind, published, sha256 in letters:
        pages = [text for (text,) in conn.execute("SELECT text FROM pages WHERE sha256 = ? ORDER BY page",
                                                  (sha256,))] if sha256 else []
        if not pages and url in held:
            continue
        facts = visit_facts(pages)
        conn.execute("DELETE FROM visits WHERE source = ? AND source_ref = ?", (LETTER, url))
        conn.execute(f"INSERT INTO visits ({_COLUMNS}) VALUES ({placeholders('visits', ('id',))})",
                     (gss_code, facts.kind or kind, _iso(facts.start), _iso(facts.end), published, facts.theme,
                      LETTER, url))


def releases_without_themes(conn: sqlite3.Connection) -> set[str]:
    """Releases whose visits were stored without their themes (by the upgrade to schema 6, which
    could not read the spreadsheets): an import reads them again."""
    refs = [ref for (ref,) in conn.execute("SELECT source_ref FROM visits WHERE source = ? AND theme IS NULL",
                                           (OFFICIAL,))]
    return {ref.removeprefix("release ").split(",", 1)[0] for ref in refs}


def official_reach(conn: sqlite3.Connection) -> tuple[date, date] | None:
    """The first and last day of the years that the imported in-year tables cover (each a year to
    its release's as-at date), None if none was imported."""
    found = conn.execute("SELECT min(as_at), max(as_at) FROM official_releases WHERE release IN "
                         "(SELECT release FROM official_rows WHERE tbl = 'in_year')").fetchone()
    if not found or not found[0]:
        return None
    first = date.fromisoformat(found[0])
    return first.replace(year=first.year - 1) + timedelta(days=1), date.fromisoformat(found[1])


def read_visits(conn: sqlite3.Connection, gss_code: str | None = None) -> list[Visit]:
    """Every visit (of one council, or all), once each, oldest first."""
    where, args = ("WHERE v.gss_code = ?", (gss_code,)) if gss_code else ("", ())
    rows = conn.execute(
        f"SELECT v.gss_code, coalesce(c.name, '{NOT_IN_REGISTER}'), v.kind, v.start_date, v.end_date, v.published, "
        f"v.theme, v.source, v.source_ref FROM visits v LEFT JOIN councils c USING (gss_code) {where} "
        "ORDER BY v.gss_code, v.kind, coalesce(v.start_date, v.published), v.source DESC, v.source_ref DESC",
        args).fetchall()
    records = [Visit(gss, name, kind, _day(start), _day(end), _day(published), theme, source, ref, (ref,))
               for gss, name, kind, start, end, published, theme, source, ref in rows]
    merged: list[list[Visit]] = []
    for record in records:
        if merged and any(same_visit(record, other) for other in merged[-1]):
            merged[-1].append(record)
        else:
            merged.append([record])
    return sorted((_one(group) for group in merged),
                  key=lambda v: (v.date or date.min, v.council, v.kind, v.source_ref))


def same_visit(a: Visit, b: Visit) -> bool:
    """Whether two records are of one visit: the same council and kind, first days (or, where
    either lacks one, publication dates) within SAME_VISIT_DAYS, and not two letters."""
    if (a.gss_code, a.kind) != (b.gss_code, b.kind) or a.gss_code is None or a.source == b.source == LETTER:
        return False
    pairs = [(a.start, b.start)] if a.start and b.start else [(a.published, b.published)]
    return all(x is not None and y is not None and abs((x - y).days) <= SAME_VISIT_DAYS for x, y in pairs)


def _one(group: list[Visit]) -> Visit:
    """The records of one visit as one: the letter's facts first, then the newest release's."""
    newest_first = sorted(group, key=lambda v: v.source_ref, reverse=True)
    ordered = sorted(newest_first, key=lambda v: v.source != LETTER)
    return replace(ordered[0], start=_known(v.start for v in ordered), end=_known(v.end for v in ordered),
                   published=_known(v.published for v in ordered), theme=_known(v.theme for v in ordered),
                   sources=tuple(v.source_ref for v in ordered))


def _known(values: Iterable[T | None]) -> T | None:
    """The first value that is known."""
    return next((value for value in values if value is not None), None)


_COLUMNS = columns("visits", ("id",))


def _iso(day: date | None) -> str | None:
    return day.isoformat() if day else None


def _day(text: str | None) -> date | None:
    return date.fromisoformat(text) if text else None
