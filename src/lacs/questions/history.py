"""One council's record: every inspection, its neighbours' latest grades, and the facts a
reporter looks for (change since last time, first time at a grade, years since inadequate).

    history = council_history(db, "manchester")
    history.facts.change            # "improved"
    history.to_json()               # the keys `lacs council --json` prints

Facts are about the overall effectiveness grade, the one the press and official statistics
quote; where the latest inspection gives none (ILACS from April 2026, pre-2013 inspections),
each fact is None and `facts.notes` says why. Claims about the council's past ('first time',
'never', 'last inadequate') follow the one rule of lacs.questions.claims: they count every
overall-effectiveness judgement of every framework (pre-2013 inspections' own and official-only
ones included), and `claims` holds the sentences, scope stated, that stories also print.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date
from typing import Any

from lacs.domain.councils import Council, council_by_dfe_code
from lacs.domain.frameworks import REVIEW_KINDS
from lacs.domain.grades import Grade, direction
from lacs.questions import claims as rule
from lacs.store.database import Database, Inspection

HEADLINE = "overall_effectiveness"


@dataclass(frozen=True)
class Facts:
    grade: Grade | None = None  # the latest overall effectiveness grade
    previous_grade: Grade | None = None
    change: str | None = None  # "improved", "same", "declined"
    first_time_at_grade: bool | None = None  # over the whole record (lacs.questions.claims)
    first_time_scope: str | None = None  # the widest scope in which it is a first, in words; None: not a first
    last_inadequate: date | None = None  # the last inadequate overall judgement (any framework)
    years_since_inadequate: float | None = None
    last_inadequate_in_any_area: date | None = None
    never_inadequate: bool | None = None  # no judgement of any area of the council's own ever inadequate
    claims: tuple[str, ...] = ()  # the sentences, as stories say them
    firsts: tuple[dict[str, Any], ...] = ()  # firsts beyond the council (region, England)
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
    known = [i for i in db.inspections(council) if known_on(i, as_at)]
    latest = db.latest(as_at)
    neighbours = [Standing(n, latest.get(n.gss_code)) for code in council.neighbours
                  if (n := council_by_dfe_code(code)) is not None]
    region = [Standing(c, latest.get(c.gss_code)) for c in db.councils(on=as_at) if c.region == council.region]
    facts = facts_about(known, as_at)
    own = [i for i in known if not i.predecessor and i.kind not in REVIEW_KINDS]
    if own:
        found = rule.firsts(db, council, own[-1])
        facts = replace(facts, claims=facts.claims + tuple(c.text for c in found),
                        firsts=tuple(c.data | {"text": c.text} for c in found))
    return CouncilHistory(council, as_at, known, neighbours, region, facts)


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
    record = [i for i in inspections if not i.predecessor]
    first = rule.first_time(record, latest)
    since = rule.since_inadequate(inspections, latest)
    bad = [j for j in rule.judgements(record, rule.OVERALL) if j.grade is Grade.INADEQUATE]
    last_bad = bad[-1].said_day if bad else None
    anywhere = [j for j in rule.judgements(record, rule.ANY_AREA) if j.grade is Grade.INADEQUATE]
    notes = []
    if first is None:
        notes.append("no earlier overall effectiveness grade of this council to compare with")
    scope = first.data["scope"] if first and first.data["first"] else None
    return Facts(
        grade=latest.overall,
        previous_grade=previous,
        change=direction(previous, latest.overall),
        first_time_at_grade=(scope is not None and scope["since"] is None) if first else None,
        first_time_scope=scope["words"] if scope else None,
        last_inadequate=last_bad,
        years_since_inadequate=round((as_at - last_bad).days / 365.25, 1) if last_bad else None,
        last_inadequate_in_any_area=anywhere[-1].said_day if anywhere else None,
        never_inadequate=not anywhere,
        claims=tuple(c.text for c in (first, since) if c),
        notes=tuple(notes),
    )


def known_on(inspection: Inspection, day: date) -> bool:
    """Published by that day (or, with no publication date, inspected by then): what the record knew
    of it that day. A council's history and its story as at a date both keep to this rule."""
    when = inspection.published or inspection.end
    return when is None or when <= day


def facts_json(facts: Facts) -> dict[str, Any]:
    return {
        "grade": _value(facts.grade), "previous_grade": _value(facts.previous_grade), "change": facts.change,
        "first_time_at_grade": facts.first_time_at_grade, "first_time_scope": facts.first_time_scope,
        "last_inadequate": _iso(facts.last_inadequate), "years_since_inadequate": facts.years_since_inadequate,
        "last_inadequate_in_any_area": _iso(facts.last_inadequate_in_any_area),
        "never_inadequate": facts.never_inadequate, "claims": list(facts.claims), "firsts": list(facts.firsts),
        "notes": list(facts.notes),
    }


def standing_json(standing: Standing) -> dict[str, Any]:
    inspection = standing.inspection
    return {"council": standing.council.name, "urn": standing.council.urn, "grade": _value(standing.grade),
            "end": _iso(inspection.end) if inspection else None}


def _iso(day: date | None) -> str | None:
    return day.isoformat() if day else None


def _value(grade: Grade | None) -> str | None:
    return grade.value if grade else None
