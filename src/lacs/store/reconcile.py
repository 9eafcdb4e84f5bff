"""The record and Ofsted's official statistics, side by side.

    import_official(["LA_Inspection_Outcomes_as_at_31_March_2025.ods"], db_path) -> ImportResult
    reconcile(conn)   # after any change to reports or official rows

Each official row (one inspection as one release's table gives it) is matched to the
inspection it records:

1. Rows of one council and framework that record the same inspection are grouped: their
   inspection dates within START_DAYS of each other, or their publication dates within
   PUBLISHED_DAYS, or (when one gives only the start and the other only the publication)
   published 0 to FIELDWORK_TO_REPORT_DAYS after the start. A group takes at most one row
   from each table.
2. A group whose inspection a report in the record gives is linked to it; where the two
   differ (a grade, the inspection date, the publication date) the difference is kept in
   `disagreements`, with both values and where each came from. The report wins.
3. A group no report gives becomes an inspection of source 'official' ("Ofsted official
   statistics"), with the dates and grades the tables give (the newest release's value
   where they differ). A report that arrives later takes its place, since every build
   reconciles again.

Grades renamed between frameworks (a report's "adequate", a table's "requires improvement")
are the same judgement and not a disagreement.
"""

from __future__ import annotations

import json
import sqlite3
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Callable, Iterable

from lacs.store import writes as store
from lacs.domain.frameworks import family_of, maybe_framework, separate_inspections, successor_on
from lacs.domain.grades import Grade
from lacs.official.tables import GROUPS, OfficialRelease, OfficialRow, framework_on, read_release

START_DAYS = 14
PUBLISHED_DAYS = 45
FIELDWORK_TO_REPORT_DAYS = 180

OFFICIAL = "official"
OFFICIAL_SOURCE = "Ofsted official statistics"
_SAME_GRADE = frozenset({"adequate", "requires_improvement"})


@dataclass
class ImportResult:
    db: Path
    releases: list[str] = field(default_factory=list)  # newly imported or replaced
    unchanged: list[str] = field(default_factory=list)  # already imported from the same file
    rows: int = 0
    filled: int = 0  # inspections only the official statistics give
    matched: int = 0  # inspections of the record that official rows confirm or dispute
    disagreements: int = 0


@dataclass
class _Dated:
    """What matching needs of an inspection or an official row."""

    gss_code: str
    family: str
    kind: str | None
    start: date | None
    end: date | None
    published: date | None
    table: tuple[str, str] = ("", "")  # (release, sheet) of an official row


def import_official(paths: Iterable[Path | str], db_path: Path | str,
                    on_progress: Callable[[str], None] | None = None) -> ImportResult:
    """Read every spreadsheet first (a bad one changes nothing), then store their rows and
    reconcile, in one transaction on a copy of the database swapped in when whole."""
    from lacs.store.build import exclusive_lock, write_copy  # the build's lock and atomic copy

    db_path = Path(db_path)
    result = ImportResult(db_path)
    with exclusive_lock(db_path):
        imported = _imported(db_path)
        releases: list[OfficialRelease] = []
        for path in paths:
            if on_progress:
                on_progress(str(path))
            found = read_release(path)
            if imported.get(found.release.key) == found.release.sha256:
                result.unchanged.append(found.release.key)
            else:
                releases.append(found)
        if not releases:
            return result

        def write(conn: sqlite3.Connection) -> None:
            for found in releases:
                store_release(conn, found)
                result.releases.append(found.release.key)
                result.rows += len(found.rows)
            _count(reconcile(conn), result)

        write_copy(db_path, write)
    return result


def _imported(db_path: Path) -> dict[str, str]:
    if not db_path.is_file():
        raise store.NoStore(f"{db_path}: no lacs database here yet; run `lacs build FOLDER` first")
    conn = sqlite3.connect(f"file:{db_path}?mode=ro", uri=True)
    try:
        return dict(conn.execute("SELECT release, sha256 FROM official_releases"))
    except sqlite3.DatabaseError as exc:
        raise store.NoStore(f"{db_path}: not a lacs database of this version ({exc}); "
                            "run `lacs build FOLDER` first") from None
    finally:
        conn.close()


def store_release(conn: sqlite3.Connection, found: OfficialRelease) -> None:
    """Replace a release's rows with these (importing a release again replaces it whole)."""
    r = found.release
    conn.execute("DELETE FROM official_releases WHERE release = ?", (r.key,))
    conn.execute("INSERT INTO official_releases VALUES (?,?,?,?,?,?,?)",
                 (r.key, r.title, _iso(r.published_on), _iso(r.as_at), _iso(r.published_by), r.file_name, r.sha256))
    conn.executemany(
        "INSERT INTO official_rows VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?, NULL)",
        [(o.release, o.sheet, o.row, o.part, o.table, o.council, o.gss_code, o.region, o.framework, o.kind,
          int(o.graded), _iso(o.start), _iso(o.published),
          json.dumps({k: v.value for k, v in sorted(o.judgements.items())}), o.note) for o in found.rows])


@dataclass(frozen=True)
class Reconciled:
    filled: int
    matched: int
    disagreements: int


def reconcile(conn: sqlite3.Connection) -> Reconciled:
    """Match every graded official row to the record, fill the gaps, keep the disagreements."""
    conn.execute("DELETE FROM disagreements")
    conn.execute("UPDATE official_rows SET inspection_id = NULL")
    conn.execute("DELETE FROM inspections WHERE source = ?", (OFFICIAL,))
    reports = _report_inspections(conn)
    groups = group_rows(_official_rows(conn))
    filled = matched = disagreements = 0
    for rows in groups:
        inspection_id = _best_match(rows, reports.get(rows[0][1].gss_code, []))
        if inspection_id is None:
            inspection_id = _fill(conn, rows)
            filled += 1
        else:
            matched += 1
            disagreements += _disagree(conn, inspection_id, reports, rows)
        conn.executemany("UPDATE official_rows SET inspection_id = ? WHERE release = ? AND sheet = ? AND row = ? "
                         "AND part = ?", [(inspection_id, r.release, r.sheet, r.row, r.part) for r, _ in rows])
    return Reconciled(filled, matched, disagreements)


def _count(done: Reconciled, result: ImportResult) -> None:
    result.filled, result.matched, result.disagreements = done.filled, done.matched, done.disagreements


def family(framework: str | None) -> str:
    return family_of(framework)


def closeness(a: _Dated, b: _Dated) -> int | None:
    """How near two records of one council are to being the same inspection (lower is nearer);
    None if they cannot be."""
    if a.family != b.family and (not a.family or not b.family) and (
            separate_inspections(a.family) or separate_inspections(b.family)):
        return None  # a row that names no framework is a SIF or ILACS inspection's
    if (a.family and b.family and a.family != b.family) or (a.kind and b.kind and a.kind != b.kind):
        return None
    if a.start and b.start:
        gap = abs((a.start - b.start).days)
        return gap if gap <= START_DAYS else None
    if a.published and b.published:
        gap = abs((a.published - b.published).days)
        return 100 + gap if gap <= PUBLISHED_DAYS else None
    start, published = (a.start, b.published) if a.start else (b.start, a.published)
    if start and published:
        gap = (published - start).days
        return 1000 + gap if 0 <= gap <= FIELDWORK_TO_REPORT_DAYS else None
    return None


def group_rows(rows: list[tuple[OfficialRow, _Dated]]) -> list[list[tuple[OfficialRow, _Dated]]]:
    """Official rows grouped by the inspection they record (see the module's docstring)."""
    groups: list[list[tuple[OfficialRow, _Dated]]] = []
    by_council: dict[str, list[list[tuple[OfficialRow, _Dated]]]] = defaultdict(list)
    ordered = sorted(rows, key=lambda p: (p[1].start or p[1].published or date.min, p[0].release))
    for row, dated in ordered:
        candidates = by_council[dated.gss_code]
        scored = []
        for n, group in enumerate(candidates):
            score = _nearest(dated, [other for _, other in group])
            if score is not None and (score in (0, 100) or all(other.table != dated.table for _, other in group)):
                scored.append((score, n))
        if scored:
            candidates[min(scored)[1]].append((row, dated))
        else:
            candidates.append([(row, dated)])
            groups.append(candidates[-1])
    return groups


def _nearest(one: _Dated, others: list[_Dated]) -> int | None:
    scores = [s for other in others if (s := closeness(one, other)) is not None]
    return min(scores) if scores else None


def _best_match(rows: list[tuple[OfficialRow, _Dated]], reports: list[tuple[int, _Dated]]) -> int | None:
    """The report inspection nearest the group's rows, if any is near enough."""
    scored = []
    for inspection_id, report in reports:
        score = _nearest(report, [d for _, d in rows])
        if score is not None:
            scored.append((score, inspection_id))
    return min(scored)[1] if scored else None


def _report_inspections(conn: sqlite3.Connection) -> dict[str, list[tuple[int, _Dated]]]:
    found: dict[str, list[tuple[int, _Dated]]] = defaultdict(list)
    for i, gss, framework, kind, start, end, published in conn.execute(
            "SELECT id, gss_code, framework, kind, start_date, end_date, published FROM inspections "
            "WHERE source = 'report' AND gss_code IS NOT NULL AND kind IS NOT 'lscb_review'"):
        found[gss].append((i, _Dated(gss, family(framework), None, _day(start), _day(end), _day(published))))
    return found


def _official_rows(conn: sqlite3.Connection) -> list[tuple[OfficialRow, _Dated]]:
    rows = []
    for (release, sheet, row, part, table, council, gss, region, framework, kind, graded, start, published,
         judgements, note) in conn.execute(
            "SELECT release, sheet, row, part, tbl, council_printed, gss_code, region_printed, framework, kind, "
            "graded, start_date, published, judgements, note FROM official_rows "
            "WHERE graded = 1 AND gss_code IS NOT NULL ORDER BY release, sheet, row, part"):
        official = OfficialRow(release, sheet, row, part, table, council, gss, region, framework, kind, bool(graded),
                               _day(start), _day(published), {k: Grade(v) for k, v in json.loads(judgements).items()},
                               note)
        kind_key = kind if separate_inspections(framework) else None  # pre-2013 inspections of several kinds at once
        rows.append((official, _Dated(gss, family(framework), kind_key, official.start, None, official.published,
                                      (release, sheet))))
    return rows


def _fill(conn: sqlite3.Connection, rows: list[tuple[OfficialRow, _Dated]]) -> int:
    """A new inspection from the official rows no report gives; the newest release's values first."""
    newest = sorted((r for r, _ in rows), key=lambda r: r.release, reverse=True)
    start = next((r.start for r in newest if r.start), None)
    published = next((r.published for r in newest if r.published), None)
    kind = next((r.kind for r in newest if r.kind), None)
    framework = next((r.framework for r in newest if r.framework), None) or framework_on(start or published) or ""
    framework = successor_on(framework, start)
    judgements: dict[str, str] = {}
    for row in reversed(newest):
        judgements.update({k: v.value for k, v in row.judgements.items()})
    title = next((GROUPS[r.part].title for r in newest if GROUPS[r.part].title), None) or _title(framework)
    inspection_id = conn.execute(
        "INSERT INTO inspections (gss_code, council_printed, framework, kind, kind_basis, title, start_date, "
        "end_date, published, published_source, lead_inspector, source, source_ref) "
        "VALUES (?,?,?,?,?,?,?,NULL,?,?,NULL,?,?)",
        (newest[0].gss_code, newest[0].council, framework, kind, "official statistics" if kind else None, title,
         _iso(start), _iso(published), OFFICIAL if published else None, OFFICIAL,
         "; ".join(r.source for r in sorted(newest, key=lambda r: (r.release, r.sheet, r.row))))).lastrowid
    conn.executemany("INSERT INTO judgements VALUES (?,?,?)",
                     [(inspection_id, area, grade) for area, grade in sorted(judgements.items())])
    return inspection_id


def _title(framework: str) -> str | None:
    found = maybe_framework(framework)
    return found.title or None if found else None


def _disagree(conn: sqlite3.Connection, inspection_id: int, reports: dict[str, list[tuple[int, _Dated]]],
              rows: list[tuple[OfficialRow, _Dated]]) -> int:
    start, published, source = conn.execute(
        "SELECT start_date, published, published_source FROM inspections WHERE id = ?", (inspection_id,)).fetchone()
    grades = dict(conn.execute("SELECT area, grade FROM judgements WHERE inspection_id = ?", (inspection_id,)))
    report_source = "the report"
    found = []
    for row, _ in rows:
        for area, grade in sorted(row.judgements.items()):
            mine = grades.get(area)
            if mine != grade.value and {mine, grade.value} != _SAME_GRADE:
                found.append((area, mine, report_source if mine else "the report (no such judgement read)",
                              grade.value, row.source))
        if row.start and start and row.start.isoformat() != start:
            found.append(("start", start, report_source, row.start.isoformat(), row.source))
        if row.published and published and row.published.isoformat() != published:
            found.append(("published", published, _published_source(source), row.published.isoformat(), row.source))
    conn.executemany("INSERT INTO disagreements VALUES (?,?,?,?,?,?)", [(inspection_id, *f) for f in found])
    return len(found)


def _published_source(source: str | None) -> str:
    return {"report": "the report", "file_name": "Ofsted's site (the date it gives the report)"}.get(
        source or "", source or "unknown")


def _day(text: str | None) -> date | None:
    return date.fromisoformat(text) if text else None


def _iso(value: date | None) -> str | None:
    return value.isoformat() if value else None

