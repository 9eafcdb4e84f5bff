"""Which inspection each official row records: pure functions, no database (store/reconcile.py
reads the rows, calls these and writes what they decide).

1. Rows of one council and framework that record the same inspection are grouped: their
   inspection dates within START_DAYS of each other, or their publication dates within
   PUBLISHED_DAYS, or (when one gives only the start and the other only the publication)
   published 0 to FIELDWORK_TO_REPORT_DAYS after the start. A group takes at most one row
   from each table.
2. A group is an inspection a report gives if one is near enough (best_match); where the two
   differ, differences() says how.
3. A group no report gives is one inspection of its own (merged_inspection), with the dates
   and grades the tables give (the newest release's value where they differ).

Grades renamed between frameworks (a report's "adequate", a table's "requires improvement")
are the same judgement and not a disagreement. A grade a table files under an inspection whose
report does not give it, but which the council's separate review of the safeguarding board
after that inspection does (Ofsted's tables put the review's LSCB grade in the inspection's
row), is the review's: compared with the review's record, and where the two agree kept as a
filing note (report and official values equal), not a disagreement.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date

from lacs.domain.frameworks import family_of, maybe_framework, separate_inspections, successor_on
from lacs.official.tables import GROUPS, OfficialRow, framework_on

START_DAYS = 14
PUBLISHED_DAYS = 45
FIELDWORK_TO_REPORT_DAYS = 180

_SAME_GRADE = frozenset({"adequate", "requires_improvement"})


@dataclass
class Dated:
    """What matching needs of an inspection or an official row."""

    gss_code: str
    family: str
    kind: str | None
    start: date | None
    end: date | None
    published: date | None
    table: tuple[str, str] = ("", "")  # (release, sheet) of an official row


@dataclass(frozen=True)
class MergedInspection:
    """An inspection only the official statistics give, as a group of their rows gives it."""

    gss_code: str | None
    council: str
    framework: str
    kind: str | None
    title: str | None
    start: date | None
    published: date | None
    source_ref: str  # every row it was made from
    judgements: dict[str, str]  # area -> grade value, sorted by area


# One value where a report's record and an official row differ:
# (field, report value, report source, official value, official source). Where the two values
# are equal it is a filing note: the grade is on another inspection's record (a separate review's).
Difference = tuple[str, str | None, str, str | None, str]


@dataclass(frozen=True)
class Review:
    """A council's separate review of its safeguarding board, as a report gives it."""

    start: date | None
    end: date | None
    published: date | None
    grades: dict[str, str]

    @property
    def source(self) -> str:
        when = f"fieldwork {self.start} to {self.end}" if self.start else "fieldwork dates not read"
        return (f"the separate LSCB review ({when}, published {self.published or 'date unknown'}); "
                "Ofsted's table files its grade under this inspection")


def is_filing_note(difference: Difference) -> bool:
    """True for a grade a table files under another inspection than the one whose record holds it."""
    return difference[1] is not None and difference[1] == difference[3]


def review_after(start: date | None, reviews: list[Review], next_start: date | None) -> Review | None:
    """The first of the council's separate board reviews after an inspection began and before its
    next inspection began: the review a table may file under that inspection."""
    after = sorted((r for r in reviews if start and r.start and start < r.start
                    and (next_start is None or r.start < next_start)), key=lambda r: r.start or date.min)
    return after[0] if after else None


def family(framework: str | None) -> str:
    return family_of(framework)


def dated_report(gss_code: str, framework: str | None, start: date | None, end: date | None,
                 published: date | None) -> Dated:
    """What matching needs of an inspection a report gives."""
    return Dated(gss_code, family(framework), None, start, end, published)


def dated_row(official: OfficialRow) -> Dated:
    """What matching needs of an official row (one with a council)."""
    framework, kind = official.framework, official.kind
    kind_key = kind if separate_inspections(framework) else None  # pre-2013 inspections of several kinds at once
    return Dated(official.gss_code or "", family(framework), kind_key, official.start, None, official.published,
                 (official.release, official.sheet))


def closeness(a: Dated, b: Dated) -> int | None:
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


def group_rows(rows: list[tuple[OfficialRow, Dated]]) -> list[list[tuple[OfficialRow, Dated]]]:
    """Official rows grouped by the inspection they record (see the module's docstring)."""
    groups: list[list[tuple[OfficialRow, Dated]]] = []
    by_council: dict[str, list[list[tuple[OfficialRow, Dated]]]] = defaultdict(list)
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


def _nearest(one: Dated, others: list[Dated]) -> int | None:
    scores = [s for other in others if (s := closeness(one, other)) is not None]
    return min(scores) if scores else None


def best_match(rows: list[tuple[OfficialRow, Dated]], reports: list[tuple[int, Dated]]) -> int | None:
    """The report inspection nearest the group's rows, if any is near enough."""
    scored = []
    for inspection_id, report in reports:
        score = _nearest(report, [d for _, d in rows])
        if score is not None:
            scored.append((score, inspection_id))
    return min(scored)[1] if scored else None


def merged_inspection(rows: list[OfficialRow]) -> MergedInspection:
    """The inspection a group of official rows gives that no report does; the newest release's values first."""
    newest = sorted(rows, key=lambda r: r.release, reverse=True)
    start = next((r.start for r in newest if r.start), None)
    published = next((r.published for r in newest if r.published), None)
    kind = next((r.kind for r in newest if r.kind), None)
    framework = next((r.framework for r in newest if r.framework), None) or framework_on(start or published) or ""
    framework = successor_on(framework, start)
    judgements: dict[str, str] = {}
    for row in reversed(newest):
        judgements.update({k: v.value for k, v in row.judgements.items()})
    title = next((GROUPS[r.part].title for r in newest if GROUPS[r.part].title), None) or _title(framework)
    return MergedInspection(newest[0].gss_code, newest[0].council, framework, kind, title, start, published,
                            "; ".join(r.source for r in sorted(newest, key=lambda r: (r.release, r.sheet, r.row))),
                            dict(sorted(judgements.items())))


def _title(framework: str) -> str | None:
    found = maybe_framework(framework)
    return found.title or None if found else None


def differences(start: str | None, published: str | None, source: str | None, grades: dict[str, str],
                rows: list[OfficialRow], review: Review | None = None) -> list[Difference]:
    """Where the official rows differ from a report's record: its start and publication dates
    (ISO), where the publication date came from, and its grades by area. `review`: the council's
    separate board review after this inspection, whose grades a table may file under it."""
    report_source = "the report"
    found: list[Difference] = []
    for row in rows:
        for area, grade in sorted(row.judgements.items()):
            mine = grades.get(area)
            if mine is None and review is not None and area in review.grades:
                theirs = review.grades[area]
                same = theirs == grade.value or {theirs, grade.value} == _SAME_GRADE
                found.append((area, theirs, review.source, theirs if same else grade.value, row.source))
            elif mine != grade.value and {mine, grade.value} != _SAME_GRADE:
                found.append((area, mine, report_source if mine else "the report (no such judgement read)",
                              grade.value, row.source))
        if row.start and start and row.start.isoformat() != start:
            found.append(("start", start, report_source, row.start.isoformat(), row.source))
        if row.published and published and row.published.isoformat() != published:
            found.append(("published", published, _published_source(source), row.published.isoformat(), row.source))
    return found


def _published_source(source: str | None) -> str:
    return {"report": "the report", "file_name": "Ofsted's site (the date it gives the report)"}.get(
        source or "", source or "unknown")
