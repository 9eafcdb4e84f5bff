"""Snapshots: every council's most recent judgement as at a date, counted by grade.

    snap = snapshot(db, as_at=date(2024, 3, 31), by="region")
    snap.groups[0].good_or_better_percent     # England: 60

The rule is the official statistics': a council's latest inspection whose fieldwork ended
by the as-at date and whose report was published by the cut-off. The default cut-off follows
Ofsted's rule for the date asked (lacs.domain.releases.cutoff_for): a release's own as-at
date gets that release's cut-off, with the councils its notes counted late (31 March 2019 ->
30 April 2019, 31 March 2024 -> 30 June 2024); any other date the rule in force then: the
end of the following month before 2024, three months after the as-at date from 2024.
`published_by` sets another.
An inspection whose end of fieldwork is unknown (only Ofsted's tables give it) is placed by
the rule of lacs.store.database (Inspection.placed_by_rule) and marked so.
Every council that existed that day is counted. One whose latest inspection gives no grade
in the area asked for (overall effectiveness from April 2026), or that has no inspection in
the record at all, counts under `none`; the percentage good or better is, as in Ofsted's
releases, of the councils with a grade, and the councils with none are listed with why.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from functools import cached_property
from typing import Any

from lacs.domain.councils import Council
from lacs.domain.grades import GRADE_ORDER as GRADES
from lacs.domain.grades import Grade
from lacs.domain.releases import (
    ONS,
    REGION_GROUPINGS,
    ReleaseRule,
    cutoff_for,
    cutoff_reason,
    region_of,
    release_on,
)
from lacs.domain.releases import release as release_rule
from lacs.errors import BadQuestion
from lacs.store.database import Database, Inspection

GROUPINGS = ("region", "type")
GRADE_ORDER = (*GRADES, "none")


@dataclass(frozen=True)
class CouncilGrade:
    council: Council
    inspection: Inspection | None
    grade: Grade | None
    why_none: str | None = None  # why there is no grade, when there is none

    def to_json(self) -> dict[str, Any]:
        i = self.inspection
        return {"council": self.council.name, "urn": self.council.urn, "gss_code": self.council.gss_code,
                "region": self.council.region, "council_type": self.council.council_type,
                "grade": self.grade.value if self.grade else None,
                "framework": i.framework if i else None,
                "end": i.end.isoformat() if i and i.end else None,
                "published": i.published.isoformat() if i and i.published else None,
                "placed_on": i.placed_on.isoformat() if i and i.placed_on else None,
                "placed_by_rule": bool(i and i.placed_by_rule),
                "why_none": self.why_none}


@dataclass(frozen=True)
class Group:
    name: str
    councils: list[CouncilGrade]

    @cached_property
    def counts(self) -> dict[str, int]:
        """Councils by grade, every grade present (zero or not), `none` last."""
        counts = dict.fromkeys(GRADE_ORDER, 0)
        for c in self.councils:
            counts[c.grade.value if c.grade else "none"] += 1
        return counts

    @cached_property
    def graded(self) -> int:
        return sum(1 for c in self.councils if c.grade is not None and c.grade.rank is not None)

    @cached_property
    def good_or_better_percent(self) -> float | None:
        """Of the councils with a grade, the share good or outstanding, rounded to a whole number."""
        if not self.graded:
            return None
        good = sum(1 for c in self.councils if c.grade is not None and c.grade.rank is not None and c.grade.rank <= 2)
        return round(100 * good / self.graded)

    def to_json(self) -> dict[str, Any]:
        return {"group": self.name, "councils": len(self.councils), "counts": self.counts,
                "graded": self.graded, "good_or_better_percent": self.good_or_better_percent}


@dataclass(frozen=True)
class Snapshot:
    as_at: date
    published_by: date
    judgement: str
    by: str | None
    groups: list[Group]  # England first, then each group by name
    councils: list[CouncilGrade] = field(default_factory=list)
    release: ReleaseRule | None = None
    regions: str = ONS
    cutoff_rule: str = "given"  # why the cut-off is what it is: "given", or the default's reason
    cutoff_release: ReleaseRule | None = None  # the release whose cut-off (and exceptions to it) it took

    @property
    def missing(self) -> list[CouncilGrade]:
        """Councils with no inspection in the record by then: its report may be missing from the corpus."""
        return [c for c in self.councils if c.inspection is None]

    def to_json(self) -> dict[str, Any]:
        return {"as_at": self.as_at.isoformat(), "published_by": self.published_by.isoformat(),
                "release": self.release.key if self.release else None, "cutoff_rule": self.cutoff_rule,
                "regions": self.regions,
                "judgement": self.judgement, "by": self.by, "groups": [g.to_json() for g in self.groups],
                "councils": [c.to_json() for c in self.councils],
                "missing": [c.council.name for c in self.missing]}


def snapshot(db: Database, as_at: date | None = None, published_by: date | None = None, by: str | None = None,
             judgement: str = "overall_effectiveness", release: str | None = None,
             regions: str | None = None) -> Snapshot:
    """Every council's latest judgement in `judgement` as at `as_at`, grouped `by` region or type.

    `release` ('2024') applies that official release's rule (releases.py): its as-at date,
    cut-off, frameworks and exceptions, and its regions unless `regions` says otherwise."""
    rule = _release(release, as_at, published_by)
    as_at = rule.as_at if rule else as_at
    if as_at is None:
        raise BadQuestion("as_at", None, "a date, or a release", "give an {parameter} date or a {release}",
                          {"release": None})
    reason = (f"the rule of Ofsted's release {rule.key}" if rule else "given" if published_by
              else cutoff_reason(as_at))
    # A release's own as-at date with no cut-off given takes that release's cut-off, exceptions included.
    cutoff_release = rule or (release_on(as_at) if published_by is None else None)
    published_by = rule.published_by if rule else (published_by or default_cutoff(as_at))
    regions = regions or (rule.regions if rule else ONS)
    if published_by < as_at:
        raise BadQuestion("published_by", published_by, "a day on or after the as-at date",
                          "{parameter} {value} is before {as_at} {as_at_value}; "
                          "the publication cut-off must be on or after the as-at date", {"as_at": as_at})
    if by is not None and by not in GROUPINGS:
        raise BadQuestion("by", by, GROUPINGS)
    if regions not in REGION_GROUPINGS:
        raise BadQuestion("regions", regions, REGION_GROUPINGS)
    check_area(db, judgement)
    late = ({e.gss_code: cutoff_release.published_on for e in cutoff_release.exceptions
             if e.counted_late and cutoff_release.published_on} if cutoff_release else {})
    latest = db.latest(as_at, published_by, area=judgement, frameworks=rule.frameworks if rule else None, late=late)
    councils = [council_grade(c, latest.get(c.gss_code), judgement) for c in db.councils(on=as_at)]
    groups = [Group("England", councils)]
    if by:
        names = sorted({_group_of(c.council, by, regions) for c in councils})
        groups += [Group(name, [c for c in councils if _group_of(c.council, by, regions) == name]) for name in names]
    return Snapshot(as_at, published_by, judgement, by, groups, councils, rule, regions, reason, cutoff_release)


def _release(key: str | None, as_at: date | None, published_by: date | None) -> ReleaseRule | None:
    if key is None:
        return None
    if as_at is not None or published_by is not None:
        raise BadQuestion("release", key, "a release without as_at or published_by",
                          "{parameter} sets the as-at date and cut-off itself; give it without {as_at} "
                          "and {published_by}", {"as_at": as_at, "published_by": published_by})
    return release_rule(key)


def default_cutoff(as_at: date) -> date:
    """Ofsted's cut-off for the date asked: a release's own as-at date gets that release's
    (31 March 2019 -> 30 April 2019); any other date the rule in force then (the end of the
    following month before 2024, three months after from 2024). See releases.cutoff_for."""
    return cutoff_for(as_at)


def council_grade(council: Council, inspection: Inspection | None, area: str) -> CouncilGrade:
    if inspection is None:
        return CouncilGrade(council, None, None, "no inspection in the record by then (not yet inspected, "
                                                 "or its report is missing from the record)")
    grade = inspection.judgements.get(area)
    why = None if grade else (f"its latest inspection ({inspection.framework}, {inspection.end}) gives no "
                              f"{area.replace('_', ' ')} grade")
    return CouncilGrade(council, inspection, grade, why)


def check_area(db: Database, area: str) -> None:
    """Raise BadQuestion for an area no inspection in the record has."""
    known = db.areas()
    if area not in known:
        raise BadQuestion("judgement", area, known, "{parameter} {value!r} is not an area of the record; "
                          "accepted are {accepted}")


def _group_of(council: Council, by: str, regions: str = ONS) -> str:
    return region_of(council, regions) if by == "region" else council.council_type
