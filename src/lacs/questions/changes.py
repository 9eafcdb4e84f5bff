"""Changes: each council's consecutive inspections, improved / same / declined, as a
transition matrix of grades and counts per pair of frameworks.

    result = changes(db, start=date(2018, 1, 1), end=date(2024, 3, 31))
    result.counts                 # {"improved": .., "same": .., "declined": .., "not_comparable": ..}
    result.matrix[("inadequate", "good")]

A change is a pair of one council's own consecutive inspections (a predecessor's record is
not its successor's "last time"), counted in the window if the later inspection's fieldwork
ended in it. Adequate and requires improvement are the same step on the scale. A pair where
either inspection has no grade in the area (ILACS from April 2026 gives no overall grade) is
`not_comparable`, counted and listed, never dropped.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from functools import cached_property
from itertools import pairwise
from typing import Any

from lacs.domain.frameworks import REVIEW_KINDS, grade_in, judges, separate_inspections
from lacs.domain.grades import DIRECTIONS as MOVES
from lacs.domain.grades import Grade, direction
from lacs.questions.snapshot import BadQuestion, check_area
from lacs.store.database import Database, Inspection

DIRECTIONS = (*MOVES, "not_comparable")


@dataclass(frozen=True)
class Change:
    council: str
    urn: int | None
    before: Inspection
    after: Inspection
    area: str

    @property
    def grades(self) -> tuple[Grade | None, Grade | None]:
        """The area's grade before and after, under whatever name each framework gives it."""
        return grade_in(self.before.judgements, self.area), grade_in(self.after.judgements, self.area)

    @property
    def direction(self) -> str:
        return direction(*self.grades) or "not_comparable"

    @property
    def frameworks(self) -> str:
        return f"{self.before.framework} to {self.after.framework}"

    def to_json(self) -> dict[str, Any]:
        old, new = self.grades
        return {"council": self.council, "urn": self.urn, "area": self.area,
                "before": {"framework": self.before.framework, "end": _iso(self.before.end),
                           "grade": old.value if old else None},
                "after": {"framework": self.after.framework, "end": _iso(self.after.end),
                          "grade": new.value if new else None},
                "direction": self.direction}


@dataclass(frozen=True)
class Changes:
    start: date | None
    end: date
    judgement: str
    changes: list[Change] = field(default_factory=list)

    @cached_property
    def counts(self) -> dict[str, int]:
        found = Counter(c.direction for c in self.changes)
        return {d: found[d] for d in DIRECTIONS}

    @cached_property
    def matrix(self) -> Counter[tuple[str, str]]:
        """(grade before, grade after) -> number of changes; "none" where there was no grade."""
        return Counter(tuple(g.value if g else "none" for g in c.grades) for c in self.changes)  # type: ignore[misc]

    @cached_property
    def by_frameworks(self) -> dict[str, dict[str, int]]:
        """'sif to ilacs' -> counts by direction."""
        table: dict[str, Counter[str]] = {}
        for c in self.changes:
            table.setdefault(c.frameworks, Counter())[c.direction] += 1
        return {pair: {d: found[d] for d in DIRECTIONS} for pair, found in sorted(table.items())}

    def to_json(self) -> dict[str, Any]:
        return {"from": _iso(self.start), "to": _iso(self.end), "judgement": self.judgement,
                "counts": self.counts,
                "matrix": [{"before": b, "after": a, "count": n} for (b, a), n in sorted(self.matrix.items())],
                "by_frameworks": self.by_frameworks,
                "changes": [c.to_json() for c in self.changes]}


def changes(db: Database, start: date | None = None, end: date | None = None,
            judgement: str = "overall_effectiveness") -> Changes:
    """Every council's consecutive pairs of inspections whose later one ended in [start, end]."""
    end = end or date.today()
    if start and start > end:
        raise BadQuestion("start", start, "a day on or before the end of the range",
                          "{parameter} {value} is after {end} {end_value}; give a range that runs forwards",
                          {"end": end})
    check_area(db, judgement)
    by_council: dict[str, list[Inspection]] = {}
    for i in db.inspections(until=end, improvements=False):
        if i.gss_code and i.placed_on and (i.kind not in REVIEW_KINDS or judges(i.judgements, judgement)) and (
                not separate_inspections(i.framework)
                or judges(i.judgements, judgement)):  # pre-2013 kinds judged other areas
            by_council.setdefault(i.gss_code, []).append(i)
    found = []
    for council in db.councils():
        for before, after in pairwise(by_council.get(council.gss_code, [])):
            on = after.placed_on  # never None: only placed inspections are kept above
            if start is None or (on is not None and on >= start):
                found.append(Change(council.name, council.urn, before, after, judgement))
    found.sort(key=lambda c: (c.after.placed_on, c.council))
    return Changes(start, end, judgement, found)


def _iso(day: date | None) -> str | None:
    return day.isoformat() if day else None
