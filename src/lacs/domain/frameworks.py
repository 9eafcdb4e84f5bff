"""The framework registry: the only place a framework is named.

    framework_for("ilacs_2026").has_overall      # False
    framework_in_force(date(2016, 5, 1)).key     # 'sif'
    area_order()                                 # every area, in the order tables show them
    grade_in(inspection.judgements, "leadership")  # also finds an area renamed since

Each `Framework` entry holds its key, its family (frameworks whose inspections are the same
thing under revised rules), the dates it applies to, the kinds of report that are its own
(lacs.domain.report_types: how they are recognised and read), its areas in display order
with long and short titles, which area is the headline grade (None: no overall grade), and
the areas it renamed (`aliases`), so that a change across a rename compares like with like.
Every other module asks the registry instead of comparing framework ids.

Supporting the next framework change is one `Framework` entry here plus a test
(tests/test_frameworks.py shows one with a made-up 2027 framework).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, replace
from datetime import date, timedelta
from typing import TypeVar

from lacs.domain.report_types import GRADE as GRADE  # the extractor's pattern of a grade, re-exported
from lacs.domain.report_types import (
    ILACS_INSPECTION,
    LAC_INSPECTION,
    LSCB_REVIEW,
    RECOGNITION_ORDER,
    SAFEGUARDING_AND_LAC_INSPECTION,
    SIF_INSPECTION,
    SIF_RE_INSPECTION,
    Area,
    ReportType,
    findings_area,
)

# Kinds of report that review a partner body (the safeguarding board), not the council's
# services: such a report is never a council's "latest inspection" except for the areas it judges.
REVIEW_KINDS = frozenset({"lscb_review"})

# An ILACS report does not say whether it was a standard or short inspection; the time on
# site does: a short inspection is one week, a standard one two weeks.
SHORT_MAX_DAYS_ON_SITE = 8
STANDARD_MIN_DAYS_ON_SITE = 11

HEADLINE = "overall_effectiveness"


@dataclass(frozen=True)
class AreaInfo:
    """An area as a framework shows it: its long title (the framework's own words) and a short
    column title. `covers`: an area this one includes while that one is not judged apart (then
    `title_covering` is its title)."""

    key: str
    title: str
    short: str
    covers: str | None = None
    title_covering: str = ""

    def title_for(self, judged: frozenset[str] | set[str]) -> str:
        return self.title_covering if self.covers and self.covers not in judged else self.title


@dataclass(frozen=True)
class Framework:
    """One inspection framework (see the module's docstring)."""

    key: str
    family: str
    name: str
    title: str  # what its inspections are called; "" where they were of several kinds
    starts: date | None  # first day it applies to (fieldwork starting); None: from the beginning
    ends: date | None  # last day; None: still in force
    areas: tuple[AreaInfo, ...] = ()  # display order
    headline: str | None = HEADLINE  # the area that is its overall grade; None: it gives none
    aliases: tuple[tuple[str, str], ...] = ()  # (area here, the same area's key in the framework before)
    report_types: tuple[ReportType, ...] = ()  # the kinds of report that are its own
    reported_as: str | None = None  # its reports look like this framework's; told apart by date and judgements
    reads: tuple[Area, ...] = ()  # areas its reports print that those of `reported_as` do not
    separate_inspections: bool = False  # several inspections of different kinds, each judging its own areas
    milestones: tuple[tuple[date, str], ...] = ()  # changes worth marking on a chart of grades over time

    @property
    def has_overall(self) -> bool:
        return self.headline is not None

    @property
    def area_keys(self) -> tuple[str, ...]:
        return tuple(a.key for a in self.areas)

    def area(self, key: str) -> AreaInfo | None:
        return next((a for a in self.areas if a.key == key), None)

    def applies_on(self, day: date) -> bool:
        return (self.starts is None or self.starts <= day) and (self.ends is None or day <= self.ends)

    def own_key(self, key: str) -> str | None:
        """This framework's key for an area under any of its names ('leadership' -> itself, or
        the name this framework gave it); None if it does not judge it."""
        if key in self.area_keys:
            return key
        return next((new for new, old in self.aliases if old == key and new in self.area_keys), None)


# --- the frameworks -------------------------------------------------------------------------

_SIF_AREAS = (
    AreaInfo(HEADLINE, "Overall effectiveness", "overall"),
    AreaInfo("leadership", "Leadership, management and governance", "leaders"),
    AreaInfo("help_and_protection", "Children who need help and protection", "help & protection"),
    AreaInfo("children_in_care", "Children looked after and achieving permanence", "in care"),
    AreaInfo("care_leavers", "Experiences and progress of care leavers", "care leavers"),
    AreaInfo("adoption", "Adoption performance", "adoption"),
    AreaInfo("lscb", "Local Safeguarding Children Board", "LSCB"),
)
_ILACS_AREAS = (
    AreaInfo(HEADLINE, "Overall effectiveness", "overall"),
    AreaInfo("leadership", "The impact of leaders on social work practice with children and families", "leaders"),
    AreaInfo("help_and_protection", "The experiences and progress of children who need help and protection",
             "help & protection"),
    # Combined before 2023, split after; the combined one counts as children in care.
    AreaInfo("children_in_care", "The experiences and progress of children in care", "in care",
             covers="care_leavers",
             title_covering="The experiences and progress of children in care and care leavers"),
    AreaInfo("care_leavers", "The experiences and progress of care leavers", "care leavers"),
)

PRE_SIF = Framework(
    "pre_sif", "pre_sif", "Before the single inspection framework", "", None, date(2013, 10, 31),
    headline=None, report_types=(SAFEGUARDING_AND_LAC_INSPECTION, LAC_INSPECTION), separate_inspections=True)
SIF = Framework(
    "sif", "sif", "Single inspection framework (SIF)",
    "Inspection of services for children in need of help and protection, children looked after and care leavers",
    date(2013, 11, 1), date(2017, 12, 31), _SIF_AREAS,
    report_types=(LSCB_REVIEW, SIF_RE_INSPECTION, SIF_INSPECTION))
ILACS = Framework(
    "ilacs", "ilacs", "Inspections of local authority children's services (ILACS)",
    "Inspection of local authority children’s services", date(2018, 1, 1), date(2026, 3, 31), _ILACS_AREAS,
    report_types=(ILACS_INSPECTION,),
    milestones=((date(2018, 1, 1), "ILACS"), (date(2023, 1, 1), "care leavers judged apart")))
ILACS_2026 = Framework(
    "ilacs_2026", "ilacs", "ILACS from April 2026 (no overall effectiveness grade)",
    "Inspection of local authority children’s services", date(2026, 4, 1), None,
    tuple(a for a in _ILACS_AREAS if a.key != HEADLINE), headline=None, reported_as="ilacs",
    milestones=((date(2026, 4, 1), "no overall grade"),))

_REGISTRY: dict[str, Framework] = {f.key: f for f in (PRE_SIF, SIF, ILACS, ILACS_2026)}


class UnknownFramework(KeyError):
    """A framework key the registry does not hold."""


def frameworks() -> tuple[Framework, ...]:
    """Every framework, oldest first."""
    return tuple(sorted(_REGISTRY.values(), key=lambda f: f.starts or date.min))


def framework_for(key: str) -> Framework:
    found = _REGISTRY.get(key)
    if found is None:
        raise UnknownFramework(f"no framework {key!r}; the registry holds {', '.join(_REGISTRY)}")
    return found


def maybe_framework(key: str | None) -> Framework | None:
    """The framework of that key; None for no key, or one the registry does not hold."""
    return _REGISTRY.get(key) if key else None


def family_of(key: str | None) -> str:
    """'ilacs_2026' -> 'ilacs'; '' for no framework."""
    found = maybe_framework(key)
    return found.family if found else key or ""


def separate_inspections(key: str | None) -> bool:
    """True for a framework (or family) of separate inspections of several kinds (before 2013)."""
    found = maybe_framework(key)
    return bool(found and found.separate_inspections)


def framework_in_force(day: date) -> Framework:
    """The framework that applies to an inspection beginning that day (the newest, where two overlap)."""
    found = [f for f in frameworks() if f.applies_on(day)]
    return found[-1] if found else frameworks()[-1]


def successor_on(key: str, day: date | None) -> str:
    """The framework that a report of `key`'s kind was inspected under, by its start date alone:
    `key` itself, or the newest framework reported as it that applies that day."""
    later = [f for f in frameworks() if f.reported_as == key and day and f.applies_on(day)]
    return later[-1].key if later else key


def framework_of_report(key: str, start: date | None, judged: set[str]) -> Framework:
    """The framework a report recognised as `key`'s was made under: the newest of those reported
    as it that applied by the start of fieldwork and judges every area the report judges;
    else `key`'s own (a report that gives its judgements is read as they are)."""
    base = framework_for(key)
    later = [f for f in frameworks() if f.reported_as == key and start and f.starts and f.starts <= start
             and judged <= set(f.area_keys)]
    return later[-1] if later else base


def frameworks_in_force(first: date, last: date) -> frozenset[str]:
    """The keys of the frameworks that applied on some day from `first` to `last`."""
    return frozenset(f.key for f in frameworks()
                     if (f.starts is None or f.starts <= last) and (f.ends is None or f.ends >= first))


def report_types() -> list[tuple[Framework, ReportType]]:
    """Every kind of report with its framework, in the order they are tried on a front page."""
    owned = [(f, t) for f in frameworks() for t in f.report_types]
    return sorted(owned, key=lambda p: RECOGNITION_ORDER.index(p[1]) if p[1] in RECOGNITION_ORDER else len(
        RECOGNITION_ORDER))


def areas_to_read(key: str, report_type: ReportType) -> tuple[Area, ...]:
    """The areas to look for in a report of this type: its own, and those the frameworks
    reported as it added."""
    extra = tuple(a for f in frameworks() if f.reported_as == key for a in f.reads)
    return report_type.areas + extra


def required_areas(framework: Framework, report_type: ReportType) -> tuple[str, ...]:
    """The areas whose absence from a report is worth a reason, under the framework's names."""
    own = (framework.own_key(k) for k in report_type.requires)
    return tuple(k for k in own if k)


# --- areas --------------------------------------------------------------------------------------


def area_order() -> list[str]:
    """Every framework's areas in display order: the newest framework's order, with the older
    frameworks' other areas each placed after the area it follows in its own framework."""
    order: list[str] = []
    for framework in reversed(frameworks()):
        keys = framework.area_keys
        for n, key in enumerate(keys):
            if key in order:
                continue
            before = [k for k in keys[:n] if k in order]
            order.insert(order.index(before[-1]) + 1 if before else 0, key)
    return order


def current_areas() -> list[str]:
    """The areas of the newest family of frameworks (the latest export's columns), in display order."""
    family = frameworks()[-1].family
    judged = {a for f in frameworks() if f.family == family for a in f.area_keys}
    return [a for a in area_order() if a in judged]


def ordered_areas(areas: set[str] | frozenset[str]) -> list[str]:
    """The areas in display order; any the registry does not list (pre-2013 ones) follow, sorted."""
    known = [a for a in area_order() if a in areas]
    return known + sorted(set(areas) - set(known))


def area_title(framework: str | None, key: str, judged: frozenset[str] | set[str] = frozenset()) -> str:
    """The framework's own name for an area ('help_and_protection' in ILACS -> 'The experiences
    and progress of children who need help and protection'); the key in words if unknown.
    `judged` (the inspection's areas) settles a title that depends on what else was judged."""
    findings = findings_area(key)
    if findings is not None:
        return findings.title
    found = maybe_framework(framework)
    info = found.area(key) if found else None
    return info.title_for(judged) if info else key.replace("_", " ")


def short_title(key: str) -> str:
    """A short column title ('help_and_protection' -> 'help & protection'); the key in words if none."""
    for framework in reversed(frameworks()):
        info = framework.area(key)
        if info:
            return info.short
    return key.replace("_", " ")


def same_area(key: str) -> list[str]:
    """The key and every other name of the same area across renames, the key first."""
    names = [key]
    for new, old in (pair for f in frameworks() for pair in f.aliases):
        for a, b in ((new, old), (old, new)):
            if a in names and b not in names:
                names.append(b)
    return names


G = TypeVar("G")


def grade_in(judgements: Mapping[str, G], area: str) -> G | None:
    """The judgement of the area under any of its names (a framework may have renamed it)."""
    return next((judgements[k] for k in same_area(area) if k in judgements), None)


def judges(judgements: Mapping[str, object], area: str) -> bool:
    return grade_in(judgements, area) is not None


# --- adding a framework (the next framework change, or a test's made-up one) -----------------------


def register(framework: Framework) -> None:
    """Add a framework to the registry (or replace the one of its key)."""
    _REGISTRY[framework.key] = framework


def unregister(key: str) -> None:
    _REGISTRY.pop(key, None)


@contextmanager
def registered(framework: Framework, ending: str | None = None) -> Iterator[Framework]:
    """The registry with one more framework while the block runs; `ending` names the framework
    the new one follows, which then ends the day before it starts."""
    before = dict(_REGISTRY)
    if ending and framework.starts:
        _REGISTRY[ending] = replace(framework_for(ending), ends=framework.starts - timedelta(days=1))
    register(framework)
    try:
        yield framework
    finally:
        _REGISTRY.clear()
        _REGISTRY.update(before)


# --- when the next inspection is due -----------------------------------------------------------------


@dataclass(frozen=True)
class NextInspectionRule:
    """When the framework expects a council's next inspection, by its last overall grade."""

    kind: str  # the inspection that comes next
    earliest_months: int | None  # after the end of the last inspection's fieldwork
    latest_months: int | None
    source: str


_ILACS_TIMING = ("Ofsted, ILACS framework: standard inspections for councils judged to require improvement and "
                 "short inspections for those judged good or outstanding, 'usually between six months before and "
                 "six months after the three year anniversary of the previous inspection' (as quoted by the "
                 "Kirklees Safeguarding Children Partnership's ILACS guidance)")
NEXT_INSPECTION = {
    "outstanding": NextInspectionRule("short", 30, 42, _ILACS_TIMING),
    "good": NextInspectionRule("short", 30, 42, _ILACS_TIMING),
    "requires_improvement": NextInspectionRule("standard", 30, 42, _ILACS_TIMING),
    "adequate": NextInspectionRule("standard", 30, 42, _ILACS_TIMING),
    "inadequate": NextInspectionRule(
        "standard re-inspection after monitoring visits", None, None,
        "Ofsted, ILACS framework: a council judged inadequate has monitoring visits, and is re-inspected when "
        "Ofsted decides; the framework sets no fixed window"),
}
