"""A council beside its group (statistical neighbours, region or council type): every area
of each one's latest inspection, and over time, year by year, the council's overall grade
against the group's and England's share good or better.

    comparison = compare(db, "manchester", with_="neighbours")
    comparison.members[0]          # the council itself, then its group by name
    comparison.over_time[-1]       # Point(day, grade, group_percent, england_percent)
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from lacs.domain.councils import Council, council_by_dfe_code
from lacs.domain.grades import Grade
from lacs.questions.snapshot import BadQuestion, Group, snapshot
from lacs.store.database import Database, Inspection, ordered_areas

GROUPS = ("neighbours", "region", "type")
YEAR_END = (3, 31)  # official releases count councils as at 31 March each year


@dataclass(frozen=True)
class Member:
    council: Council
    inspection: Inspection | None
    is_subject: bool = False

    def to_json(self) -> dict[str, Any]:
        i = self.inspection
        return {"council": self.council.name, "urn": self.council.urn, "subject": self.is_subject,
                "framework": i.framework if i else None, "end": i.end.isoformat() if i and i.end else None,
                "judgements": {a: g.value for a, g in i.judgements.items()} if i else {}}


@dataclass(frozen=True)
class Point:
    day: date
    grade: Grade | None  # the council's overall grade that day
    group_percent: float | None  # the group's share good or better, of those graded
    england_percent: float | None
    group_graded: int = 0  # how many councils the percentages are of
    england_graded: int = 0

    def to_json(self) -> dict[str, Any]:
        return {"as_at": self.day.isoformat(), "grade": self.grade.value if self.grade else None,
                "group_good_or_better_percent": self.group_percent,
                "england_good_or_better_percent": self.england_percent,
                "group_graded": self.group_graded, "england_graded": self.england_graded}


@dataclass(frozen=True)
class Comparison:
    council: Council
    with_: str
    as_at: date
    members: list[Member]
    over_time: list[Point]

    @property
    def areas(self) -> list[str]:
        return ordered_areas({a for m in self.members if m.inspection for a in m.inspection.judgements})

    def to_json(self) -> dict[str, Any]:
        return {"council": self.council.name, "urn": self.council.urn, "with": self.with_,
                "as_at": self.as_at.isoformat(), "members": [m.to_json() for m in self.members],
                "over_time": [p.to_json() for p in self.over_time]}


def compare(db: Database, name_or_code: str | Council, with_: str = "neighbours",
            as_at: date | None = None) -> Comparison:
    """The council and its group's latest inspections as at `as_at` (default today), and the years before."""
    if with_ not in GROUPS:
        raise BadQuestion("with_", with_, GROUPS)
    council = name_or_code if isinstance(name_or_code, Council) else db.council(name_or_code)
    as_at = as_at or date.today()
    latest = db.latest(as_at)
    group = group_of(db, council, with_, as_at)
    members = [Member(council, latest.get(council.gss_code), True)] + [
        Member(c, latest.get(c.gss_code)) for c in sorted(group, key=lambda c: c.name)]
    return Comparison(council, with_, as_at, members, _over_time(db, council, group, as_at))


def group_of(db: Database, council: Council, with_: str, on: date) -> list[Council]:
    """The council's group, itself left out: its ten statistical neighbours, or the councils of
    its region or type that existed on that day."""
    if with_ == "neighbours":
        return [n for code in council.neighbours if (n := council_by_dfe_code(code)) is not None]
    same = (lambda c: c.region == council.region) if with_ == "region" else (
        lambda c: c.council_type == council.council_type)
    return [c for c in db.councils(on=on) if same(c) and c.gss_code != council.gss_code]


def _over_time(db: Database, council: Council, group: list[Council], as_at: date) -> list[Point]:
    codes = {c.gss_code for c in group}
    points = []
    for year in range(2014, as_at.year + 1):
        day = date(year, *YEAR_END)
        if day > as_at:
            break
        snap = snapshot(db, day)
        mine = next((c for c in snap.councils if c.council.gss_code == council.gss_code), None)
        theirs = Group("group", [c for c in snap.councils if c.council.gss_code in codes])
        england = snap.groups[0]
        points.append(Point(day, mine.grade if mine else None, theirs.good_or_better_percent,
                            england.good_or_better_percent, theirs.graded, england.graded))
    return points

