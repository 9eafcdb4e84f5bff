"""Reading the database: the Python API that the CLI and the web stand on.

    import lacs
    db = lacs.open()                      # --db / $LACS_DB, else the user's built database, else the shipped one
    db.council("Manchster")               # UnknownCouncil: did you mean 'Manchester'?
    db.inspections(council="manchester")  # every inspection, oldest first
    db.latest(as_at=date(2024, 3, 31))    # each council's latest inspection by the official rule
    db.visits("E08000003")                # focused and monitoring visits between inspections

The file is opened read-only and nothing here writes, but for one thing: a lacs database of an
older schema is first migrated in place (files.upgrade_in_place), keeping every row; one of a
newer schema, or any other file, is refused. The record is small (a few hundred
inspections a decade), so it is read whole on first use and every question is answered
from memory: a snapshot takes a millisecond or two.
"""

from __future__ import annotations

import os
import sqlite3
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from functools import cached_property
from pathlib import Path

from lacs.domain.councils import Council, load_councils, predecessors, resolve_council
from lacs.domain.frameworks import REVIEW_KINDS, ordered_areas
from lacs.domain.grades import Grade
from lacs.domain.releases import earliest_as_at
from lacs.domain.themes import load_themes, themes_of
from lacs.errors import NoDatabase, NotADatabase
from lacs.store import pages
from lacs.store.files import upgrade_in_place
from lacs.store.schema import (
    Verdict,
    check_lacs_database,
    connect_read_only,
    default_db_path,
    record_counts,
    themes_current,
)
from lacs.store.shipped import shipped_path
from lacs.store.visits import Visit, official_reach, read_visits


@dataclass(frozen=True)
class Inspection:
    """One inspection as the record holds it."""

    id: int
    gss_code: str | None
    council: str  # the council's name in the register (the printed name if it is not in it)
    framework: str
    kind: str | None
    start: date | None
    end: date | None
    published: date | None
    published_source: str | None  # "report" (printed in it) or "file_name" (the date the site gave)
    lead_inspector: str | None
    judgements: dict[str, Grade] = field(default_factory=dict)
    improvements: tuple[str, ...] = ()  # filled by inspections(), left empty by latest()
    predecessor: bool = False  # True: an inspection of a former council this one took over from
    reports: tuple[str, ...] = ()  # the files it was read from (paths as stored)
    source: str = "report"  # "report", or "official": only Ofsted's official statistics give it
    source_ref: str | None = None  # for an official one: the release, sheet and row it came from
    placed: date | None = None  # no end of fieldwork known: the day placed_rule() gives

    @property
    def placed_by_rule(self) -> bool:
        """True if the record knows no end of its fieldwork and it is placed by placed_rule()."""
        return self.end is None and self.placed is not None

    @property
    def official(self) -> bool:
        """True if no report in the record gives this inspection, only Ofsted's official statistics."""
        return self.source == "official"

    @property
    def source_label(self) -> str:
        return "Ofsted official statistics" if self.official else "report"

    @property
    def placed_on(self) -> date | None:
        """Where the inspection sits in time: the end of fieldwork, or where the record knows no end
        (only Ofsted's tables give it), the day placed_rule() gives; failing both, the start."""
        return self.end or self.placed or self.start

    @property
    def overall(self) -> Grade | None:
        """The overall effectiveness grade; None where the framework gives none (ILACS from April 2026)."""
        return self.judgements.get("overall_effectiveness")

    def to_json(self) -> dict[str, object]:
        """The keys `lacs council --json` and the API print for an inspection."""
        return {
            "council": self.council, "framework": self.framework, "kind": self.kind,
            "start": _iso(self.start), "end": _iso(self.end), "published": _iso(self.published),
            "published_source": self.published_source, "lead_inspector": self.lead_inspector,
            "judgements": {area: grade.value for area, grade in self.judgements.items()},
            "improvements": list(self.improvements), "predecessor": self.predecessor,
            "reports": list(self.reports), "source": self.source_label, "source_ref": self.source_ref,
        }


# An inspection's points, each with the keys of its themes (Database.point_themes).
PointThemes = tuple[tuple[str, tuple[str, ...]], ...]


PLACED_RULE = ("an inspection with no known end of fieldwork (only Ofsted's tables give it) is placed on the "
               "earliest as-at date whose default cut-off its publication meets (published 27 April 2016: "
               "1 March 2016, whose cut-off is 30 April), or on its start if that is later: its fieldwork "
               "ended before its report was published, so it counts in every snapshot whose cut-off it meets")


def placed_rule(start: date | None, end: date | None, published: date | None) -> date | None:
    """Where an inspection with no known end of fieldwork sits in time (PLACED_RULE); None if its
    end is known or it has no publication date."""
    if end is not None or published is None:
        return None
    placed = earliest_as_at(published)
    return max(placed, start) if start and start <= published else placed


def open_database(path: Path | str | None = None) -> Database:
    """Open the record read-only: `path` or $LACS_DB if given (it must exist), else the database
    `lacs build` wrote in the user's data folder, else the dataset shipped with the package."""
    if path or os.environ.get("LACS_DB"):
        return Database(Path(path) if path else default_db_path())
    built = default_db_path()
    return Database(built) if built.is_file() else Database(shipped_path(), shipped=True)


class Database:
    def __init__(self, path: Path, shipped: bool = False) -> None:
        check = check_lacs_database(path, immutable=shipped)
        if check.verdict is Verdict.MISSING:
            raise NoDatabase(f"{path}: no lacs database here yet; run `lacs build FOLDER` first")
        if check.verdict is Verdict.NOT_FILE:
            raise NotADatabase(f"{path}: not a lacs database ({check.detail})")
        if check.migratable and not shipped:
            upgrade_in_place(path)
            check = check_lacs_database(path)
        if not check.ok:
            raise NotADatabase(f"{path}: not a lacs database of this version ({check.detail})")
        self.path = path
        self.shipped = shipped  # True: the dataset that came with the package (no page text)
        self.conn = connect_read_only(path, immutable=shipped)

    def councils(self, on: date | None = None) -> list[Council]:
        """Every council in the register by name; with `on`, only those that existed that day."""
        found = load_councils()
        if on is not None:
            day = on.isoformat()
            found = tuple(c for c in found if (not c.start or c.start <= day) and (not c.end or day < c.end))
        return sorted(found, key=lambda c: c.name)

    def council(self, name_or_code: str) -> Council:
        """The council meant by a URN, DfE code, GSS code or name; raises UnknownCouncil / AmbiguousCouncil."""
        return resolve_council(name_or_code)

    def inspections(self, council: str | Council | None = None, framework: str | None = None,
                    since: date | None = None, until: date | None = None,
                    with_predecessors: bool = True, improvements: bool = True) -> list[Inspection]:
        """Inspections, oldest first; for one council, its predecessors' too (marked) unless asked not to.
        `improvements=False` leaves out the improvement points, for questions that do not show them."""
        rows = self._all
        if council is not None:
            found = council if isinstance(council, Council) else self.council(council)
            older = {c.gss_code for c in predecessors(found)} if with_predecessors else set()
            rows = [i if i.gss_code == found.gss_code else _as_predecessor(i) for i in rows
                    if i.gss_code == found.gss_code or i.gss_code in older]
        rows = [i for i in rows if (not framework or i.framework == framework)
                and (not since or (i.placed_on and i.placed_on >= since))
                and (not until or (i.placed_on and i.placed_on <= until))]
        return self._with_improvements(rows) if improvements else rows

    def latest(self, as_at: date, published_by: date | None = None, area: str | None = None,
               frameworks: frozenset[str] | None = None, late: dict[str, date] | None = None) -> dict[str, Inspection]:
        """Each council's most recent inspection by the official statistics' rule: fieldwork ended
        by `as_at` and report published by `published_by` (default: `as_at`). Keyed by GSS code.

        A review of the safeguarding board alone (REVIEW_KINDS) is not an inspection of the
        council's services, so it counts only for an `area` it judged. An inspection whose end of
        fieldwork the record does not know (one only the official statistics give) counts from
        where PLACED_RULE places it. `frameworks` limits the count to those frameworks' inspections; `late`
        gives councils a later cut-off (a release's exceptions)."""
        cutoff = published_by or as_at
        late = late or {}
        latest: dict[str, Inspection] = {}
        for inspection in self._all:
            ended = inspection.end or inspection.placed
            if (inspection.gss_code and ended and ended <= as_at and inspection.published
                    and inspection.published <= max(cutoff, late.get(inspection.gss_code, cutoff))
                    and (frameworks is None or inspection.framework in frameworks)
                    and (inspection.kind not in REVIEW_KINDS or (area and area in inspection.judgements))):
                latest[inspection.gss_code] = inspection
        return latest

    def disagreements(self, council: Council | None = None) -> list[Disagreement]:
        """Where an official row differs from a report's record (the report wins), oldest first."""
        by_id = {i.id: i for i in self._all}
        try:
            rows = self.conn.execute("SELECT inspection_id, field, report_value, report_source, official_value, "
                                     "official_source FROM disagreements").fetchall()
        except sqlite3.OperationalError:  # a database from before official statistics
            return []
        found = [Disagreement(by_id[row[0]], *row[1:]) for row in rows if row[0] in by_id]
        if council is not None:
            found = [d for d in found if d.inspection.gss_code == council.gss_code]
        return sorted(found, key=lambda d: (d.inspection.council, d.inspection.placed_on or date.min, d.field,
                                            d.official_source))

    def official_releases(self) -> list[tuple[str, str, str]]:
        """(release, title, file name) of every official release imported into the record."""
        try:
            return self.conn.execute("SELECT release, title, file_name FROM official_releases "
                                     "ORDER BY release").fetchall()
        except sqlite3.OperationalError:
            return []

    def areas(self) -> list[str]:
        """Every area judged anywhere in the record, in display order (lacs.domain.frameworks.area_order)."""
        return list(self._areas)

    @cached_property
    def _areas(self) -> tuple[str, ...]:
        return tuple(ordered_areas({area for i in self._all for area in i.judgements}))

    def visits(self, gss_code: str | None = None) -> list[Visit]:
        """Visits between inspections (focused and monitoring visits...), of one council or all,
        once each, oldest first: from Ofsted's in-year tables and the letters `lacs update` found."""
        try:
            return read_visits(self.conn, gss_code)
        except sqlite3.OperationalError:  # a database from before visits were kept
            return []

    def visits_reach(self) -> tuple[date, date] | None:
        """The first and last day of the years whose every visit Ofsted's in-year tables list (the
        releases imported); letters from `lacs update` may reach further. None: no table imported."""
        return official_reach(self.conn)

    def unpublished(self) -> list[Inspection]:
        """Inspections with no publication date from any source: a snapshot cannot count them."""
        return [i for i in self._all if not i.published]

    @cached_property
    def _all(self) -> list[Inspection]:
        """Every inspection, oldest first (by end of fieldwork, or where PLACED_RULE places it), read once."""
        grades: dict[int, dict[str, Grade]] = defaultdict(dict)
        for inspection_id, area, grade in self.conn.execute("SELECT inspection_id, area, grade FROM judgements"):
            grades[inspection_id][area] = _GRADES[grade]
        files: dict[int, list[str]] = defaultdict(list)
        for inspection_id, path in self.conn.execute(
                "SELECT inspection_id, path FROM reports WHERE inspection_id IS NOT NULL ORDER BY path"):
            files[inspection_id].append(path)
        rows = self.conn.execute(
            "SELECT i.id, i.gss_code, coalesce(c.name, i.council_printed), i.framework, i.kind, i.start_date, "
            "i.end_date, i.published, i.published_source, i.lead_inspector, i.source, i.source_ref "
            "FROM inspections i LEFT JOIN councils c USING (gss_code) "
            "ORDER BY coalesce(i.end_date, i.published, i.start_date), i.start_date, i.id").fetchall()
        found = [Inspection(
            id=row[0], gss_code=row[1], council=row[2], framework=row[3], kind=row[4], start=_date(row[5]),
            end=_date(row[6]), published=_date(row[7]), published_source=row[8], lead_inspector=row[9],
            judgements=grades[row[0]], reports=tuple(files[row[0]]), source=row[10], source_ref=row[11],
            placed=placed_rule(_date(row[5]), _date(row[6]), _date(row[7])))
            for row in rows]
        return sorted(found, key=lambda i: (i.placed_on or date.min, i.start or date.min))

    def _with_improvements(self, inspections: list[Inspection]) -> list[Inspection]:
        """The inspections with their 'what needs to improve' points, which only some questions need:
        the council's list; for a review of the safeguarding board alone (REVIEW_KINDS), the board's."""
        if not inspections:
            return inspections
        ids = sorted({i.id for i in inspections})
        points: dict[tuple[int, str], list[str]] = defaultdict(list)
        for inspection_id, listed, text in self.conn.execute(
                f"SELECT inspection_id, list, text FROM improvements WHERE inspection_id IN "
                f"({','.join('?' * len(ids))}) ORDER BY inspection_id, list, position", ids):
            points[inspection_id, listed].append(text)
        return [replace(i, improvements=tuple(points[i.id, "lscb" if i.kind in REVIEW_KINDS else "council"]))
                for i in inspections]

    def improvement_points(self) -> list[tuple[int, str, int, str]]:
        """Every 'what needs to improve' point, of both lists (the council's and the safeguarding
        board's): (inspection id, list, position from 1, text), by inspection, list and position."""
        return self.conn.execute("SELECT inspection_id, list, position, text FROM improvements "
                                 "ORDER BY inspection_id, list, position").fetchall()

    def point_themes(self, inspections: Iterable[int] | None = None) -> dict[int, PointThemes]:
        """Inspection id -> (point, theme keys) for each of the 'what needs to improve' points that
        inspections() gives it, in the same order; keys in the taxonomy's order, () for a point no
        theme matched. Of the inspections whose ids are given (default: all); one with no points
        is left out. Read from the themes the build stored (improvement_themes); matched now, as
        a slower answer that is still right, if the database was built with another taxonomy than
        data/themes.toml's."""
        shown = {i.id: "lscb" if i.kind in REVIEW_KINDS else "council" for i in self._all}
        ids = None if inspections is None else sorted(set(inspections))
        where, args = ("", []) if ids is None else (f"WHERE p.inspection_id IN ({','.join('?' * len(ids))}) ", ids)
        rows = (self._stored_point_themes if themes_current(self.conn) else self._matched_point_themes)(where, args)
        found: dict[int, list[tuple[str, tuple[str, ...]]]] = defaultdict(list)
        for inspection_id, listed, text, themes in rows:
            if shown.get(inspection_id) == listed:
                found[inspection_id].append((text, themes))
        return {i: tuple(points) for i, points in found.items()}

    def _stored_point_themes(self, where: str, args: list[int]) -> Iterator[tuple[int, str, str, tuple[str, ...]]]:
        """(inspection id, list, point, theme keys) of the points `where` picks, in order, with the themes stored."""
        order = {t.key: n for n, t in enumerate(load_themes())}
        for inspection_id, listed, text, keys in self.conn.execute(
                "SELECT p.inspection_id, p.list, p.text, group_concat(t.theme, ' ') FROM improvements p "
                f"LEFT JOIN improvement_themes t USING (inspection_id, list, position) {where}"
                "GROUP BY p.inspection_id, p.list, p.position ORDER BY p.inspection_id, p.list, p.position", args):
            yield inspection_id, listed, text, tuple(sorted(keys.split(), key=order.__getitem__)) if keys else ()

    def _matched_point_themes(self, where: str, args: list[int]) -> Iterator[tuple[int, str, str, tuple[str, ...]]]:
        """The same, each point matched now with data/themes.toml's taxonomy."""
        for inspection_id, listed, text in self.conn.execute(
                f"SELECT p.inspection_id, p.list, p.text FROM improvements p {where}"
                "ORDER BY p.inspection_id, p.list, p.position", args):
            yield inspection_id, listed, text, tuple(themes_of(text))

    def holds(self) -> dict[str, object]:
        """What the record holds, as `lacs status` says it: its counts (schema.record_counts),
        reports read, whether it has page text, and the latest report's publication date."""
        counts: dict[str, object] = dict(record_counts(self.conn))
        counts["reports read"] = self.conn.execute("SELECT count(*) FROM reports WHERE status = 'ok'").fetchone()[0]
        latest = self.conn.execute("SELECT max(published) FROM inspections WHERE source = 'report'").fetchone()[0]
        counts["latest report published"] = latest
        counts["page text"] = pages.has_pages(self.conn)
        return counts

    def freshness(self) -> Freshness:
        """How current the record is: the latest report it holds, and when lacs last wrote it."""
        latest = self.conn.execute("SELECT max(published), max(end_date) FROM inspections "
                                   "WHERE source = 'report'").fetchone()
        written = self.conn.execute("SELECT at, how, lacs_version FROM writes WHERE how != 'publish' "
                                    "ORDER BY at DESC LIMIT 1").fetchone()  # a release is a copy, not a change
        return Freshness(latest_published=_date(latest[0]), latest_fieldwork=_date(latest[1]),
                         written_at=datetime.fromisoformat(written[0]) if written else None,
                         written_how=written[1] if written else None,
                         written_by=written[2] if written else None, shipped=self.shipped)

    def has_page_text(self) -> bool:
        """True if there is page text to search (a built database; the shipped dataset has none)."""
        return not self.shipped and pages.has_pages(self.conn)

    def search_pages(self, fts_query: str, gss_code: str | None = None, start: date | None = None,
                     end: date | None = None, limit: int = 20) -> list[pages.PageMatch]:
        """The pages that match an FTS5 query, best first (see store/pages.py); SearchRejected
        if FTS5 cannot read it."""
        return pages.matching_pages(self.conn, fts_query, gss_code, start, end, limit)

    def search_findings(self, fts_query: str, gss_code: str | None = None, start: date | None = None,
                        end: date | None = None, limit: int = 20,
                        untexted_only: bool = False) -> list[pages.FindingMatch]:
        """The findings (summaries, points to improve) that match an FTS5 query, best first; only
        those of inspections whose pages are not stored, if `untexted_only` (store/pages.py)."""
        return pages.matching_findings(self.conn, fts_query, gss_code, start, end, limit, untexted_only)

    def searchable(self) -> pages.Searchable:
        """How much text there is to search: files with page text, inspections with findings."""
        return pages.searchable(self.conn)

    def close(self) -> None:
        self.conn.close()


@dataclass(frozen=True)
class Freshness:
    """The record's own date, for every answer that depends on "now" to say."""

    latest_published: date | None  # the latest publication of a report in the record
    latest_fieldwork: date | None  # the latest end of fieldwork of a report in the record
    written_at: datetime | None  # when lacs last wrote the database (UTC); None if it never logged it
    written_how: str | None  # "build", "update", "official import", "upgrade", "dataset"
    written_by: str | None  # the version of lacs that wrote it
    shipped: bool  # the dataset that came with the package

    def sentence(self) -> str:
        """'The record holds reports published up to 2026-07-14; built on 2026-11-30 by lacs 0.1.0.'"""
        held = (f"The record holds reports published up to {self.latest_published}" if self.latest_published
                else "The record holds no published report")
        by = f" {self.written_by}" if self.written_by else ""
        on = f" on {self.written_at.date()}" if self.written_at else ""
        if self.shipped or self.written_how == "dataset":
            return f"{held}; the dataset shipped with lacs{by}, made{on}."
        if self.written_at is None:
            return f"{held}."
        done = WRITTEN_WORDS.get(self.written_how or "", "written")
        return f"{held}; {done}{on} by lacs{by}."


WRITTEN_WORDS = {"build": "built", "update": "updated from Ofsted's site", "upgrade": "upgraded",
                 "official import": "updated with Ofsted's official statistics"}


@dataclass(frozen=True)
class Disagreement:
    """One value where a report's record and a row of Ofsted's official statistics differ."""

    inspection: Inspection
    field: str  # an area, "start" or "published"
    report_value: str | None
    report_source: str
    official_value: str | None
    official_source: str  # "release 2024, sheet X, row 7"

    def to_json(self) -> dict[str, object]:
        i = self.inspection
        return {"council": i.council, "gss_code": i.gss_code, "framework": i.framework,
                "start": i.start.isoformat() if i.start else None, "end": i.end.isoformat() if i.end else None,
                "field": self.field, "report": self.report_value, "report_source": self.report_source,
                "official": self.official_value, "official_source": self.official_source}


_GRADES = {g.value: g for g in Grade}


def _as_predecessor(inspection: Inspection) -> Inspection:
    return replace(inspection, predecessor=True)


def _date(text: str | None) -> date | None:
    return date.fromisoformat(text) if text else None


def _iso(day: date | None) -> str | None:
    return day.isoformat() if day else None
