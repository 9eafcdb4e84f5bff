"""One council's record: every inspection, its neighbours' latest grades, and the facts a
reporter looks for (change since last time, first time at a grade, years since inadequate).

    history = council_history(db, "manchester")
    history.facts.change            # "improved"
    history.to_json()               # the keys `lacs council --json` prints

Facts are about the overall effectiveness grade, the one the press and official statistics
quote; where the latest inspection gives none (ILACS from April 2026, pre-2013 inspections),
each fact is None and `facts.notes` says why.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from lacs.domain.councils import Council, council_by_dfe_code
from lacs.domain.frameworks import REVIEW_KINDS
from lacs.domain.grades import Grade, direction
from lacs.store.database import Database, Inspection

HEADLINE = "overall_effectiveness"


@dataclass(frozen=True)
class Facts:
    grade: Grade | None = None  # the latest overall effectiveness grade
    previous_grade: Grade | None = None
    change: str | None = None  # "improved", "same", "declined"
    first_time_at_grade: bool | None = None
    last_inadequate: date | None = None  # end of fieldwork of the last inspection judged inadequate overall
    years_since_inadequate: float | None = None
    notes: tuple[str, ...] = ()


@dataclass(frozen=True)
class Standing:
    """Another council's latest inspection, for the neighbours and region lists."""

    council: Council
    inspection: Inspection | None

    @property
    def grade(self) -> Grade | None:
        return self.inspection.overall if self.inspection else None


@dataclass(frozen=True)
class CouncilHistory:
    council: Council
    as_at: date
    inspections: list[Inspection]
    neighbours: list[Standing] = field(default_factory=list)
    region: list[Standing] = field(default_factory=list)  # every council of its region, itself included
    facts: Facts = Facts()

    def to_json(self) -> dict[str, Any]:
        return {
            "council": self.council.name, "urn": self.council.urn, "dfe_code": self.council.dfe_code,
            "gss_code": self.council.gss_code, "region": self.council.region, "as_at": self.as_at.isoformat(),
            "inspections": [i.to_json() for i in self.inspections],
            "facts": facts_json(self.facts),
            "neighbours": [standing_json(s) for s in self.neighbours],
        }


def council_history(db: Database, name_or_code: str | Council, as_at: date | None = None) -> CouncilHistory:
    """The council's record as known on `as_at` (default today): inspections published by then."""
    council = name_or_code if isinstance(name_or_code, Council) else db.council(name_or_code)
    as_at = as_at or date.today()
    known = [i for i in db.inspections(council) if _known_on(i, as_at)]
    latest = db.latest(as_at)
    neighbours = [Standing(n, latest.get(n.gss_code)) for code in council.neighbours
                  if (n := council_by_dfe_code(code)) is not None]
    region = [Standing(c, latest.get(c.gss_code)) for c in db.councils(on=as_at) if c.region == council.region]
    return CouncilHistory(council, as_at, known, neighbours, region, facts_about(known, as_at))


def facts_about(inspections: list[Inspection], as_at: date) -> Facts:
    """The reporter's facts from a council's inspections, oldest first (predecessors' included)."""
    own = [i for i in inspections if not i.predecessor and i.kind not in REVIEW_KINDS]
    if not own:
        return Facts(notes=("no inspection of this council in the record yet",))
    latest = own[-1]
    if latest.overall is None or latest.overall.rank is None:
        return Facts(notes=(f"the latest inspection ({latest.framework}, {latest.end}) gives no overall "
                            "effectiveness grade",))
    earlier = [i for i in own[:-1] if i.overall is not None and i.overall.rank is not None]
    previous = earlier[-1].overall if earlier else None
    inadequate = [i for i in own if i.overall is Grade.INADEQUATE and i.placed_on]
    last_bad = inadequate[-1].placed_on if inadequate else None
    notes = []
    if not earlier:
        notes.append("no earlier overall effectiveness grade of this council to compare with")
    return Facts(
        grade=latest.overall,
        previous_grade=previous,
        change=direction(previous, latest.overall),
        first_time_at_grade=not any(i.overall is not None and i.overall.rank == latest.overall.rank for i in earlier)
        if earlier else None,
        last_inadequate=last_bad,
        years_since_inadequate=round((as_at - last_bad).days / 365.25, 1) if last_bad else None,
        notes=tuple(notes),
    )



def _known_on(inspection: Inspection, day: date) -> bool:
    """Published by that day (or, with no publication date, inspected by then)."""
    when = inspection.published or inspection.end
    return when is None or when <= day


def facts_json(facts: Facts) -> dict[str, Any]:
    return {
        "grade": _value(facts.grade), "previous_grade": _value(facts.previous_grade), "change": facts.change,
        "first_time_at_grade": facts.first_time_at_grade, "last_inadequate": _iso(facts.last_inadequate),
        "years_since_inadequate": facts.years_since_inadequate, "notes": list(facts.notes),
    }


def standing_json(standing: Standing) -> dict[str, Any]:
    inspection = standing.inspection
    return {"council": standing.council.name, "urn": standing.council.urn, "grade": _value(standing.grade),
            "end": _iso(inspection.end) if inspection else None}


def _iso(day: date | None) -> str | None:
    return day.isoformat() if day else None


def _value(grade: Grade | None) -> str | None:
    return grade.value if grade else None
