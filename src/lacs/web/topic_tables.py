"""The tables of the topic pages, from the questions' results: changes and their framework split,
themes ranked by share, a comparison, who is due, a region's councils. Plain values for the
templates (names in words, grades as their values); links are made in the templates.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from lacs.domain.councils import AmbiguousCouncil, Council, UnknownCouncil
from lacs.domain.frameworks import HEADLINE, frameworks, ordered_areas
from lacs.domain.grades import GRADE_ORDER, SCALE, grade_words
from lacs.errors import LacsError
from lacs.questions.changes import DIRECTIONS, Change, Changes
from lacs.questions.compare import GROUPS, Comparison, Member, compare
from lacs.questions.due import Due
from lacs.questions.snapshot import CouncilGrade
from lacs.questions.themes import ENGLAND, ThemeCounts, load_themes
from lacs.store.database import Database, Inspection
from lacs.web.api import said
from lacs.web.words import (
    area_label,
    day_or_unknown,
    framework_name,
    kind_words,
    missing_words,
    no_overall_words,
    short_label,
    standing_words,
)

DIRECTION_WORDS = {"improved": "improved", "same": "stayed the same", "declined": "declined",
                   "not_comparable": "not comparable (a grade missing on either side)"}
MAX_LISTED = 300  # changes listed one by one on the page; beyond it, the JSON lists them


@dataclass(frozen=True)
class GradeCell:
    """A grade cell: the grade's value, or None and what to say instead."""

    value: str | None
    words: str


def grade_cell(inspection: Inspection | None, area: str) -> GradeCell:
    if inspection is None:
        return GradeCell(None, "no inspection in the record")
    grade = inspection.judgements.get(area)
    if grade is not None:
        return GradeCell(grade.value, grade_words(grade))
    return GradeCell(None, missing_words(inspection, area))


def column_labels(keys: list[str]) -> list[tuple[str, str, str]]:
    """(key, the newest framework's title, its short title) of each area of a table's columns; a
    title that depends on what else is judged (children in care, with care leavers or apart) is
    the one for these columns."""
    judged = set(keys)
    return [(a, label := area_label(a, judged=judged), short_label(a) or label) for a in keys]


def area_keys(inspections: list[Inspection | None]) -> list[str]:
    """Every area the inspections judged, in display order; the overall grade too where one of
    them falls under a framework that gives none (its cell says so)."""
    keys = ordered_areas({a for i in inspections if i for a in i.judgements})
    if HEADLINE not in keys and any(i and no_overall_words(i.framework) for i in inspections):
        keys.insert(0, HEADLINE)
    return keys


# --- changes ------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Split:
    name: str
    counts: dict[str, int]
    pairs: list[Split] = field(default_factory=list)  # the pairs of frameworks it is made of

    @property
    def total(self) -> int:
        return sum(self.counts.values())


@dataclass(frozen=True)
class ChangeView:
    result: Changes
    counts: list[tuple[str, int]]  # (direction in words, number)
    split: list[Split]  # within one framework, across frameworks, each with its pairs of frameworks
    matrix: list[tuple[str, list[int]]]  # grade before in words -> counts by grade after
    grades: list[str]  # the matrix's columns, in words
    listed: list[Change] = field(default_factory=list)

    @property
    def total(self) -> int:
        return len(self.result.changes)


def change_view(result: Changes) -> ChangeView:
    within = [c for c in result.changes if c.before.framework == c.after.framework]
    across = [c for c in result.changes if c.before.framework != c.after.framework]
    split = [Split("Both inspections under the same framework", _by_direction(within), _pairs(within)),
             Split("The two inspections under different frameworks", _by_direction(across), _pairs(across))]
    seen = {g for pair in result.matrix for g in pair}
    grades = [g for g in GRADE_ORDER if g in SCALE or g in seen] + ["none"]  # adequate, not judged: where found
    matrix = [(_grade_words(b), [result.matrix.get((b, a), 0) for a in grades]) for b in grades]
    return ChangeView(result, [(DIRECTION_WORDS[d], n) for d, n in result.counts.items()], split, matrix,
                      [_grade_words(g) for g in grades],
                      list(reversed(result.changes)) if len(result.changes) <= MAX_LISTED else [])


def _pairs(changes: list[Change]) -> list[Split]:
    """The changes by pair of frameworks, named by the registry, the largest first."""
    pairs: dict[tuple[str, str], list[Change]] = {}
    for c in changes:
        pairs.setdefault((c.before.framework, c.after.framework), []).append(c)
    named = [Split(f"{framework_name(b)} to {framework_name(a)}" if a != b else framework_name(a),
                   _by_direction(found)) for (b, a), found in pairs.items()]
    return sorted(named, key=lambda s: -s.total)


def _by_direction(changes: list[Change]) -> dict[str, int]:
    return {d: sum(1 for c in changes if c.direction == d) for d in DIRECTIONS}


def _grade_words(grade: str) -> str:
    words = "no grade" if grade == "none" else grade_words(grade)
    return words[:1].upper() + words[1:]


# --- themes -------------------------------------------------------------------------------------

@dataclass(frozen=True)
class ThemeRow:
    rank: int
    key: str
    name: str
    description: str
    councils: int
    of: int

    @property
    def percent(self) -> int:
        return round(100 * self.councils / self.of) if self.of else 0


@dataclass(frozen=True)
class ThemeView:
    group: str  # "England" or a region
    rows: list[ThemeRow]
    councils: int  # the denominator: councils that existed that day, in the group
    without_points: int  # of them, those whose latest inspection lists no points (or that have none)
    unthemed: int  # points of the group's latest inspections that no theme matched
    groups: list[str]  # every group: England, then the regions


def theme_view(db: Database, counts: ThemeCounts, region_slug: str) -> ThemeView | None:
    """The themes ranked by the share of the group's councils whose latest inspection raised each;
    None for a region there is no such group of."""
    from lacs.web.render import slug

    groups = list(counts.groups)
    group = next((g for g in groups if g != ENGLAND and slug(g) == region_slug), None) if region_slug else ENGLAND
    if group is None:
        return None
    of = counts.councils.get(group, 0)
    found = counts.groups[group]
    themes = sorted(load_themes(), key=lambda t: (-found.get(t.key, 0), t.name))
    rows = [ThemeRow(n + 1, t.key, t.name, t.description, found.get(t.key, 0), of) for n, t in enumerate(themes)]
    regions = {c.name: c.region for c in db.councils(on=counts.as_at)}
    inside = (lambda name: True) if group == ENGLAND else (lambda name: regions.get(name) == group)
    return ThemeView(group, rows, of, sum(1 for name in counts.without_points if inside(name)),
                     sum(1 for name, _ in counts.unthemed if inside(name)), groups)


# --- compare ------------------------------------------------------------------------------------

GROUP_WORDS = {"neighbours": "its statistical neighbours", "region": "the other councils of its region",
               "type": "the other councils of its type", "chosen": "the councils chosen"}


@dataclass(frozen=True)
class CompareView:
    result: Comparison | None
    error: str | None
    areas: list[tuple[str, str, str]]  # (key, label, short label)
    members: list[tuple[Member, list[GradeCell]]]
    heading: str
    status: int = 200  # 404: a council not found; 422: asked otherwise wrongly
    suggestions: tuple[str, ...] = ()  # councils the name may have meant


def compare_view(db: Database, council: str, group: str, councils: str, as_at: date | None) -> CompareView:
    """The comparison asked for, or (nothing asked) none: the page shows only its form."""
    day = as_at or date.today()
    if group == "chosen" or (councils and not council):
        names = [n.strip() for n in councils.split(",") if n.strip()][:20]
        if not names:
            return CompareView(None, "name the councils to compare, separated by commas", [], [], "", 422)
        return _view(db, lambda: _chosen(db, names, day), "The councils chosen, side by side")
    if not council:
        return CompareView(None, None, [], [], "")
    if group not in GROUPS:
        return CompareView(None, f"group {group!r} is not one of: neighbours, region, type, chosen", [], [], "", 422)
    return _view(db, lambda: compare(db, council.replace("-", " "), group, as_at), "")


def _chosen(db: Database, names: list[str], day: date) -> Comparison:
    from lacs.web.render import council_by_slug

    chosen: list[Council] = []
    for name in names:
        found = council_by_slug(db, name)
        if found not in chosen:
            chosen.append(found)
    latest = db.latest(day)
    return Comparison(chosen[0], "chosen", day, [Member(c, latest.get(c.gss_code), n == 0)
                                                 for n, c in enumerate(chosen)], [])


def _view(db: Database, ask: object, heading: str) -> CompareView:
    try:
        result: Comparison = ask()  # type: ignore[operator]
    except UnknownCouncil as exc:
        return CompareView(None, said(exc), [], [], "", 404, tuple(exc.suggestions))
    except AmbiguousCouncil as exc:
        return CompareView(None, said(exc), [], [], "", 404, tuple(c.name for c in exc.candidates))
    except LacsError as exc:
        return CompareView(None, said(exc), [], [], "", 422)
    keys = area_keys([m.inspection for m in result.members])
    members = [(m, [grade_cell(m.inspection, a) for a in keys]) for m in result.members]
    heading = heading or f"{result.council.name} beside {GROUP_WORDS.get(result.with_, result.with_)}"
    return CompareView(result, None, column_labels(keys), members, heading)


# --- who is due ---------------------------------------------------------------------------------

@dataclass(frozen=True)
class DueRow:
    due: Due
    last: str
    grade: GradeCell
    next: str
    window: str
    status: str
    beyond_record: bool


def due_rows(found: list[Due]) -> list[DueRow]:
    rows = []
    for d in found:
        last = d.last
        grade = (GradeCell(last.overall.value, grade_words(last.overall)) if last and last.overall
                 else GradeCell(None, standing_words(last)))
        window = (f"{day_or_unknown(d.earliest)} to {day_or_unknown(d.latest)}" if d.earliest and d.latest
                  else "no window")
        status = d.status if d.earliest and d.latest else (d.why_no_window or "no window")
        if status.startswith("not due before") and d.earliest:
            status = f"not due before {day_or_unknown(d.earliest)}"
        rows.append(DueRow(d, day_or_unknown(last.end) if last and last.end else "no inspection in the record",
                           grade, kind_words(None, d.rule.kind) if d.rule else "", window, _plain(status),
                           bool(getattr(d, "beyond_record", False))))
    return rows


def _plain(text: str) -> str:
    """A reason from questions/due.py with any framework key in it said by the registry's name."""
    for framework in frameworks():
        text = text.replace(f"({framework.key})", f"({framework.name})")
    return text


# --- a region -----------------------------------------------------------------------------------

@dataclass(frozen=True)
class RegionRow:
    council: Council
    inspection: Inspection | None
    when: str
    framework: str
    grades: list[GradeCell]


def region_rows(councils: list[CouncilGrade]) -> tuple[list[tuple[str, str, str]], list[RegionRow]]:
    """The region's councils with every area of their latest inspections, and the areas' labels."""
    keys = area_keys([c.inspection for c in councils])
    rows = [RegionRow(c.council, c.inspection,
                      day_or_unknown(c.inspection.placed_on) if c.inspection else "no inspection in the record",
                      _what(c.inspection), [grade_cell(c.inspection, a) for a in keys]) for c in councils]
    return column_labels(keys), rows


def _what(i: Inspection | None) -> str:
    """'Single inspection framework (SIF), re-inspection'; '' for no inspection."""
    if i is None:
        return ""
    kind = kind_words(i.framework, i.kind)
    return framework_name(i.framework) + (f", {kind}" if kind else "")
