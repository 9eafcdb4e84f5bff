"""Claims about a council's past ('first time', 'never', 'since', 'as low as', 'or better') and
firsts beyond the council (the first in its region, or in England), made by one rule and used by
stories, `lacs council` facts, the feed and the web alike, so that no sentence computes its own
comparison set.

    record_before(own, Grade.GOOD, OVERALL, date(2022, 5, 19))   # what the record holds before that day

The rule (README, "Claims about a council's past"):

- A claim about "the council" with no qualifier holds over every judgement of every area the
  record holds for the council's own inspections, of every framework, those known only from
  Ofsted's official statistics included (a predecessor's record is said apart, as the predecessor's).
- A claim about overall effectiveness says "for overall effectiveness" and holds over every
  overall-effectiveness judgement: each framework's headline grade and, before November 2013, each
  separate inspection's own overall effectiveness (safeguarding, looked after children, child
  protection), official-only inspections included.
- Where a claim holds only over part of that (the judgements since a framework began), its
  sentence names the scope in the registry's words ("since the single inspection framework (SIF)
  began in November 2013") and says what lies outside it; it is made only where the scope holds at
  least two earlier inspections.
- Adequate (before November 2013) ranks with requires improvement. A "first" needs something
  before it in its scope to be first of.
- Firsts beyond the council: among every council's judgements of the area, grade for grade,
  published before this one (joint: published the same day), in England and in the council's
  region as the register gives it; the widest scope that holds is said, and only where something
  in that scope came before. Told: outstanding (overall, or in an area) and inadequate (overall) in
  England; in the region, the same for overall effectiveness only, where England's first does not
  already say it.
"""

from __future__ import annotations

import weakref
from dataclasses import dataclass, field
from datetime import date
from typing import Any, NamedTuple

from lacs.domain.councils import Council
from lacs.domain.frameworks import (
    HEADLINE,
    REVIEW_KINDS,
    frameworks,
    maybe_framework,
    same_area,
    separate_inspections,
)
from lacs.domain.grades import Grade, grade_words
from lacs.domain.report_types import LSCB_REVIEW, SAFEGUARDING_AND_LAC_INSPECTION
from lacs.questions.wording import area_words, day_words, join_and, judged, lower_first
from lacs.store.database import Database, Inspection

OVERALL = "overall"  # the area argument meaning every overall-effectiveness judgement
ANY_AREA = None  # ... meaning every judgement of every area
ENGLAND = "England"
# Areas that judge a partner body (the safeguarding board), not the council: no first beyond the council.
_PARTNER_AREAS = frozenset(a.key for a in LSCB_REVIEW.areas)


@dataclass(frozen=True)
class Judged:
    """One judgement of one area in one inspection."""

    inspection: Inspection
    area: str
    grade: Grade

    @property
    def day(self) -> date:
        return self.inspection.placed_on or date.min

    @property
    def said_day(self) -> date:
        """The day a sentence or a fact gives: the end of fieldwork where the record knows it, else
        the publication date; never a day placed by rule (that one only orders the record)."""
        i = self.inspection
        return i.end or i.published or self.day

    @property
    def published(self) -> date:
        return self.inspection.published or self.day

    @property
    def rank(self) -> int:
        return self.grade.rank or 0


@dataclass(frozen=True)
class Scope:
    """The judgements a claim is about: the whole record, or those of the frameworks that began
    on or after `since`."""

    since: date | None
    words: str  # "in the record", "since the single inspection framework (SIF) began in November 2013"
    families: frozenset[str] | None = None  # None: every framework

    def holds(self, inspection: Inspection) -> bool:
        found = maybe_framework(inspection.framework)
        return self.families is None or (found is not None and found.family in self.families)

    def to_json(self) -> dict[str, Any]:
        return {"since": self.since.isoformat() if self.since else None, "words": self.words}


RECORD = Scope(None, "in the record")


@dataclass(frozen=True)
class Before:
    """What the record holds about a council, before a day, for a grade in an area (or every
    overall judgement, or every area), within a scope."""

    grade: Grade
    area: str | None
    scope: Scope
    judgements: list[Judged]  # in scope and before the day, oldest first

    @property
    def rank(self) -> int:
        return self.grade.rank or 0

    @property
    def at_or_better(self) -> list[Judged]:
        return [j for j in self.judgements if j.rank <= self.rank]

    @property
    def at_or_worse(self) -> list[Judged]:
        return [j for j in self.judgements if j.rank >= self.rank]

    @property
    def same(self) -> list[Judged]:
        return [j for j in self.judgements if j.rank == self.rank]

    @property
    def first_at_or_better(self) -> bool:
        """Something to compare with, none of it this grade or better."""
        return bool(self.judgements) and not self.at_or_better

    @property
    def first_as_low(self) -> bool:
        return bool(self.judgements) and not self.at_or_worse


@dataclass(frozen=True)
class Claim:
    kind: str
    text: str
    data: dict[str, Any] = field(default_factory=dict)


def is_overall(framework: str | None, area: str) -> bool:
    """True for a framework's headline grade, and for a separate pre-2013 inspection's own overall
    effectiveness ('child_protection_overall_effectiveness')."""
    found = maybe_framework(framework)
    if found is not None and found.headline == area:
        return True
    return separate_inspections(framework) and area.endswith("_" + HEADLINE)


def judgements(inspections: list[Inspection], area: str | None) -> list[Judged]:
    """Every graded judgement of the area (OVERALL: every overall one; ANY_AREA: all), oldest first."""
    names = set(same_area(area)) if area not in (ANY_AREA, OVERALL) else set()
    return [Judged(i, a, g) for i in inspections for a, g in i.judgements.items() if g.rank is not None
            and (area is ANY_AREA or (area == OVERALL and is_overall(i.framework, a)) or a in names)]


def own_record(db: Database, council: Council) -> list[Inspection]:
    """The council's own inspections, every source, oldest first: what claims about it count."""
    return db.inspections(council, with_predecessors=False, improvements=False)


def record_before(inspections: list[Inspection], grade: Grade, area: str | None, day: date,
                  scope: Scope = RECORD) -> Before:
    """What the record holds before `day` (placed before it) about the grade in the area (or every
    overall judgement, or every area), within the scope: the one comparison set claims are made on."""
    found = [j for j in judgements([i for i in inspections if not i.predecessor], area)
             if j.day < day and scope.holds(j.inspection)]
    return Before(grade, area, scope, found)


def scopes(area: str | None) -> list[Scope]:
    """The scopes a claim may take, widest first: the record, then since each family of frameworks
    began (for overall effectiveness, only families that give an overall grade)."""
    found = [RECORD]
    families: dict[str, list[Any]] = {}
    for f in frameworks():
        families.setdefault(f.family, []).append(f)
    for members in families.values():
        starts = [f.starts for f in members if f.starts]
        if not starts or (area == OVERALL and not any(f.has_overall for f in members)):
            continue
        since = min(starts)
        later = frozenset(fam for fam, ms in families.items() if any(f.starts and f.starts >= since for f in ms))
        found.append(Scope(since, f"since the {lower_first(members[0].name)} began in {since:%B %Y}", later))
    return found


# --- claims about the council's own past ---------------------------------------------------------


def first_time(inspections: list[Inspection], this: Inspection) -> Claim | None:
    """Is this inspection's overall grade a first for the council: the first time this grade or better
    (or as low), over every area, else over every overall judgement, else since a framework began?"""
    grade = this.overall
    day = this.placed_on
    if grade is None or grade.rank is None or day is None:
        return None
    overall = record_before(inspections, grade, OVERALL, day)
    if not overall.judgements:
        return None
    ladder = [record_before(inspections, grade, ANY_AREA, day)] + [
        record_before(inspections, grade, OVERALL, day, s) for s in scopes(OVERALL)]
    for before in ladder:
        if before.scope is not RECORD and len({j.inspection.id for j in before.judgements}) < 2:
            continue  # a first since a framework began needs two inspections before it in that scope
        better = before.first_at_or_better
        lower = not better and before.first_as_low
        if not (better or lower):
            continue
        what = _grade_claim(grade, better)
        outside = [] if before.scope is RECORD else (overall.at_or_better if better else overall.at_or_worse)
        if before.area is ANY_AREA:
            text = f"It is the first time the council has been {what} in the record."
        else:
            text = f"It is the first time the council has been {what} for overall effectiveness {before.scope.words}"
            text += f"; before that, {_said(_latest_inspection(outside), 'it')}." if outside else "."
        return Claim("first_time", text, {
            "first": True, "lowest": lower, "area": "any" if before.area is ANY_AREA else OVERALL,
            "scope": before.scope.to_json(), "compared_with": _refs(before.judgements),
            "outside_scope": _refs(outside)})
    same = overall.same
    if same:
        text = f"It is not the first time: {_said(_latest_inspection(same), 'it')}."
    else:
        nearer = overall.at_or_better
        text = (f"It is the first time the council has been {judged(grade)} for overall effectiveness, though "
                f"{_said(_latest_inspection(nearer), 'it')}.")
    return Claim("first_time", text, {"first": False, "area": OVERALL, "scope": RECORD.to_json(),
                                      "compared_with": _refs(same or overall.at_or_better)})


def since_inadequate(inspections: list[Inspection], this: Inspection) -> Claim | None:
    """When the council was last judged inadequate: for overall effectiveness, and in any area (its own
    record; where it has never been, a predecessor's inadequate judgement is said apart)."""
    day = this.placed_on
    if day is None or this.overall is Grade.INADEQUATE:
        return None
    overall = record_before(inspections, Grade.INADEQUATE, OVERALL, day).at_or_worse
    anywhere = record_before(inspections, Grade.INADEQUATE, ANY_AREA, day).at_or_worse
    now = [a for a, g in this.judgements.items() if g is Grade.INADEQUATE]
    data: dict[str, Any] = {"last_inadequate": _ref(overall[-1]) if overall else None,
                            "last_inadequate_in_any_area": _ref(anywhere[-1]) if anywhere else None,
                            "never_inadequate": not anywhere and not now}
    if not anywhere:
        text = ("The council has not been judged inadequate in any area in the record." if not now else
                "Before this inspection the council had not been judged inadequate in any area in the record.")
        older = [j for j in judgements([i for i in inspections if i.predecessor], ANY_AREA)
                 if j.grade is Grade.INADEQUATE and j.day < day]
        if older:
            group = _latest_inspection([j for j in older if is_overall(j.inspection.framework, j.area)] or older)
            text += f" Its predecessor {group[0].inspection.council} {_said(group, '')[1:]}."
        return Claim("since_inadequate", text, data)
    if not overall:
        return Claim("since_inadequate", "It has not been judged inadequate for overall effectiveness in the "
                                         f"record, though {_said(_latest_inspection(anywhere), 'it')}.", data)
    last = overall[-1]
    years = round(((this.end or day) - last.said_day).days / 365.25, 1)
    data["years"] = years
    text = f"It was last judged inadequate for overall effectiveness {years:g} years earlier, in {last.said_day.year}"
    text += f", at its {_subject(last.area)} inspection." if not _is_headline(last) else "."
    later = [j for j in anywhere if j.day > last.day]
    if later:
        text += f" More recently, {_said(_latest_inspection(later), 'it')}."
    return Claim("since_inadequate", text, data)


def streak(inspections: list[Inspection], this: Inspection) -> int:
    """How many inspections in a row, this one included, the council's overall judgements have been at
    this grade (an inspection with no overall judgement neither breaks nor extends the run)."""
    grade = this.overall
    day = this.placed_on
    if grade is None or grade.rank is None or day is None:
        return 0
    run = 1
    before = record_before(inspections, grade, OVERALL, day).judgements
    by_inspection: dict[int, list[Judged]] = {}
    for j in before:
        by_inspection.setdefault(j.inspection.id, []).append(j)
    for group in reversed(list(by_inspection.values())):
        if any(j.rank != grade.rank for j in group):
            break
        run += 1
    return run


def overall_words(inspection: Inspection) -> str:
    """An inspection's overall judgements in words: 'good', or before 2013 'good for safeguarding and
    adequate for looked after children' ('' if it gave none)."""
    found = judgements([inspection], OVERALL)
    if not found:
        return ""
    if all(_is_headline(j) for j in found):
        return join_and([grade_label(j) for j in found])
    grades = {grade_label(j) for j in found}
    if len(grades) == 1:
        return f"{grades.pop()} for {join_and([_subject(j.area) for j in found], 'and for')}"
    return join_and([f"{grade_label(j)} for {_subject(j.area)}" for j in found])


def grade_label(j: Judged) -> str:
    """The grade as its framework said it: a pre-2013 judgement of the third grade was 'adequate'."""
    if j.grade.rank == Grade.ADEQUATE.rank and separate_inspections(j.inspection.framework):
        return grade_words(Grade.ADEQUATE)
    return grade_words(j.grade)


# --- firsts beyond the council ---------------------------------------------------------------------


class _Row(NamedTuple):  # some 3,000 of them for every council's facts: a tuple is built fastest
    gss_code: str
    council: str
    region: str
    area: str  # OVERALL, or the area's first name
    rank: int
    published: date
    inspection: Inspection


_INDEX: weakref.WeakKeyDictionary[Database, dict[str, list[_Row]]] = weakref.WeakKeyDictionary()


def _index(db: Database) -> dict[str, list[_Row]]:
    """Every council's judgements, by area (OVERALL, or the area's first name), made once per database."""
    if db not in _INDEX:
        councils = {c.gss_code: c for c in db.councils()}
        rows: dict[str, list[_Row]] = {}
        area_of: dict[tuple[str, str], str] = {}
        for i in db.inspections(improvements=False):
            council = councils.get(i.gss_code or "")
            if council is None or i.kind in REVIEW_KINDS:
                continue
            published = i.published or i.placed_on or date.min  # as Judged.published gives it
            for name, grade in i.judgements.items():
                if grade.rank is None:  # not judged
                    continue
                key = (i.framework, name)
                if key not in area_of:
                    area_of[key] = OVERALL if is_overall(i.framework, name) else same_area(name)[-1]
                area = area_of[key]
                rows.setdefault(area, []).append(
                    _Row(council.gss_code, council.name, council.region, area, grade.rank, published, i))
        _INDEX[db] = rows
    return _INDEX[db]


def firsts(db: Database, council: Council, this: Inspection) -> list[Claim]:
    """The firsts beyond the council this inspection makes: the first council in England, or in its
    region, judged outstanding (overall or in an area) or inadequate overall, within the widest scope
    that holds; joint with any council published the same day."""
    day = this.published or this.placed_on
    if day is None:
        return []
    targets = [(OVERALL, j.grade) for j in judgements([this], OVERALL)
               if j.grade in (Grade.OUTSTANDING, Grade.INADEQUATE) and _is_headline(j)]
    targets += [(same_area(a)[-1], g) for a, g in this.judgements.items()
                if g is Grade.OUTSTANDING and not is_overall(this.framework, a) and a not in _PARTNER_AREAS
                and not separate_inspections(this.framework)]
    rows = _index(db)
    found: dict[tuple[str, str], list[tuple[str, Scope, list[str]]]] = {}
    for area, grade in targets:
        england = _widest_first(rows, council, this, area, grade, day, None)
        region = _widest_first(rows, council, this, area, grade, day, council.region)
        if england:
            found.setdefault((ENGLAND, grade.value), []).append((area, *england))
        if region and area == OVERALL and (not england or scopes(area).index(region[0]) < scopes(area).index(
                england[0])):
            found.setdefault((council.region, grade.value), []).append((area, *region))
    claims = []
    for (where, grade_value), items in found.items():
        for scope in {s.words: s for _, s, _ in items}.values():
            group = [(a, joint) for a, s, joint in items if s.words == scope.words]
            areas = [("overall effectiveness" if a == OVERALL else area_words(this.framework, a, set(this.judgements)))
                     for a, _ in group]
            joint = sorted({n for _, names in group for n in names})
            said = judged(Grade(grade_value))
            place = "in England" if where == ENGLAND else f"in the {where}" if where.startswith(
                ("North", "South", "East", "West")) else f"in {where}"
            if joint:
                who = f"{join_and([council.name, *joint])} are the first councils {place}"
                tail = f", {'all' if len(joint) > 1 else 'both'} published on {day_words(day)}"
            else:
                who, tail = f"{council.name} is the first council {place}", ""
            text = f"{who} {said} for {join_and(areas, 'and for')} {scope.words}{tail}."
            claims.append(Claim("first_beyond", text, {
                "where": where, "grade": grade_value, "areas": [a for a, _ in group], "scope": scope.to_json(),
                "joint_with": joint, "published": day.isoformat()}))
    return claims


def _widest_first(rows: dict[str, list[_Row]], council: Council, this: Inspection, area: str, grade: Grade,
                  day: date, region: str | None) -> tuple[Scope, list[str]] | None:
    for scope in scopes(area):
        if not scope.holds(this):
            continue
        here = [r for r in rows.get(area, []) if (region is None or r.region == region) and scope.holds(r.inspection)]
        earlier = [r for r in here if r.published < day]
        if not earlier:
            continue  # nothing before it in this scope to be first of
        if any(r.rank == grade.rank for r in earlier):
            continue
        joint = sorted({r.council for r in here if r.published == day and r.rank == grade.rank
                        and r.gss_code != council.gss_code})
        return scope, joint
    return None


# --- words ---------------------------------------------------------------------------------------


def _grade_claim(grade: Grade, better: bool) -> str:
    if better:
        return judged(grade) + (" or better" if (grade.rank or 0) > 1 else "")
    if grade is Grade.INADEQUATE:
        return judged(grade)
    return f"judged as low as {grade_words(grade)}"


def _is_headline(j: Judged) -> bool:
    found = maybe_framework(j.inspection.framework)
    return found is not None and found.headline == j.area


def _subject(area: str) -> str:
    """A pre-2013 inspection's subject: 'safeguarding', 'looked after children', 'child protection'."""
    prefix = area.removesuffix(HEADLINE)
    for title, section in SAFEGUARDING_AND_LAC_INSPECTION.findings_sections:
        if section == prefix:
            return title.lower().removeprefix("services for ").removesuffix(" services")
    return prefix.rstrip("_").replace("_", " ")


def _for(j: Judged) -> str:
    """'child protection', 'experiences and progress of care leavers'."""
    if is_overall(j.inspection.framework, j.area) and not _is_headline(j):
        return _subject(j.area)
    return area_words(j.inspection.framework, j.area, set(j.inspection.judgements))


def _latest_inspection(found: list[Judged]) -> list[Judged]:
    """The judgements, of those given, of the latest inspection among them."""
    if not found:
        return []
    last = max(found, key=lambda j: (j.day, j.inspection.id)).inspection.id
    return [j for j in found if j.inspection.id == last]


def _said(group: list[Judged], subject: str) -> str:
    """'it was judged inadequate for child protection in 2012'; 'it was judged good for overall
    effectiveness in 2016'; 'it was judged outstanding for safeguarding and for looked after children in 2012'."""
    if not group:
        return ""
    year = group[0].said_day.year
    by_grade: dict[str, tuple[Grade, list[str]]] = {}
    for j in group:
        label = grade_label(j)
        by_grade.setdefault(label, (Grade(label.replace(" ", "_")), []))[1].append(
            "overall effectiveness" if _is_headline(j) else _for(j))
    parts = [f"{judged(grade)} for {join_and(areas, 'and for')}" for grade, areas in by_grade.values()]
    return f"{subject} was {join_and(parts)} in {year}"


def _ref(j: Judged) -> dict[str, Any]:
    i = j.inspection
    return {"framework": i.framework, "area": j.area, "grade": j.grade.value,
            "start": _iso(i.start), "end": _iso(i.end), "published": _iso(i.published), "source": i.source_label}


def _refs(found: list[Judged]) -> list[dict[str, Any]]:
    return [_ref(j) for j in found]


def _iso(day: date | None) -> str | None:
    return day.isoformat() if day else None
