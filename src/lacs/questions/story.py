"""The story of one inspection: the facts a reporter would check, each said in words with the
data behind it, then a headline and paragraphs made of them.

    s = story(db, "manchester", date(2022, 5, 19))   # any day of its fieldwork, or its publication date
    s.headline      # "Manchester's children's services judged good for the first time"
    s.facts         # [Fact(kind="grades", text=..., data={...}), ...]

Every fact is computed from the record as it stood on the inspection's publication date (its
end of fieldwork when no date is known) and only from the council's own inspections; a
predecessor's record is a fact of its own, said as the predecessor's.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from lacs.domain.councils import Council, council_by_dfe_code, predecessors
from lacs.domain.frameworks import REVIEW_KINDS, area_title, grade_in, judges
from lacs.domain.grades import Grade, direction, grade_words
from lacs.errors import NoSuchInspection, literal
from lacs.store.database import Database, Inspection

ORDINAL = {1: "first", 2: "second", 3: "third", 4: "fourth", 5: "fifth", 6: "sixth"}
PAST = {"outstanding": "was outstanding", "good": "was good", "requires_improvement": "required improvement",
        "adequate": "was adequate", "inadequate": "was inadequate", "not_judged": "was not judged"}


@dataclass(frozen=True)
class Fact:
    kind: str
    text: str
    data: dict[str, Any] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        return {"kind": self.kind, "text": self.text, **self.data}


@dataclass(frozen=True)
class Story:
    council: Council
    inspection: Inspection
    headline: str
    facts: list[Fact]

    @property
    def paragraphs(self) -> list[str]:
        """The facts in reading order: grades and change first, then standing, then what to improve."""
        groups = [("grades", "change", "sequence", "first_time", "streak", "since_inadequate"),
                  ("region", "neighbours"), ("predecessor",), ("improvements",)]
        return [" ".join(f.text for f in self.facts if f.kind in kinds) for kinds in groups
                if any(f.kind in kinds for f in self.facts)]

    def to_json(self) -> dict[str, Any]:
        i = self.inspection
        return {"council": self.council.name, "urn": self.council.urn, "framework": i.framework,
                "start": _iso(i.start), "end": _iso(i.end), "published": _iso(i.published),
                "headline": self.headline, "paragraphs": self.paragraphs, "facts": [f.to_json() for f in self.facts]}

    def to_text(self) -> str:
        return "\n\n".join([self.headline, *self.paragraphs])

    def to_markdown(self) -> str:
        return "\n\n".join([f"## {self.headline}", *self.paragraphs])


def story(db: Database, name_or_code: str | Council, day: date | None = None) -> Story:
    """The story of the council's inspection on `day` (any day of its fieldwork, or its
    publication date; default its latest)."""
    council = name_or_code if isinstance(name_or_code, Council) else db.council(name_or_code)
    own = [i for i in db.inspections(council, with_predecessors=False) if i.kind not in REVIEW_KINDS]
    if not own:
        raise NoSuchInspection("day", day, [], literal(council.name) + ": no inspection in the record")
    this = own[-1] if day is None else _on(own, day, council)
    earlier = [i for i in own if i.placed_on and this.placed_on and i.placed_on < this.placed_on]
    as_at = this.published or this.end or date.today()
    facts = [grades_fact(council, this)]
    facts += [f for f in (change_fact(this, earlier), sequence_fact(earlier), first_time_fact(this, earlier),
                          streak_fact(this, earlier), since_inadequate_fact(this, earlier)) if f]
    latest = db.latest(as_at, as_at)
    latest[council.gss_code] = this
    facts += [f for f in (region_fact(db, council, latest, as_at), neighbours_fact(council, latest),
                          predecessor_fact(db, council), improvements_fact(this)) if f]
    return Story(council, this, headline(council, this, earlier), facts)


def _on(own: list[Inspection], day: date, council: Council) -> Inspection:
    for i in own:
        if (i.start and i.end and i.start <= day <= i.end) or day in (i.published, i.start):
            return i
    dates = [f"{i.start or '?'} to {i.end or '?'} (published {i.published or '?'})" for i in own]
    raise NoSuchInspection("day", day, dates,
                           literal(council.name) + ": no inspection on {value}; its inspections: {accepted}")


def headline(council: Council, this: Inspection, earlier: list[Inspection]) -> str:
    name = f"{council.name}'s children's services"
    if this.overall is None:
        return f"{name} inspected: {_judged_areas(this)}"
    previous = _last_graded(earlier)
    grade = grade_words(this.overall)
    if previous is None:
        return f"{name} judged {grade}"
    if _first_time_at_or_better(this, earlier) and _rank(this.overall) <= 2:
        return f"{name} judged {grade} for the first time"
    change = direction(previous.overall, this.overall)
    if change == "same":
        return f"{name} remain {grade}"
    return f"{name} judged {grade}, {'up' if change == 'improved' else 'down'} from {grade_words(previous.overall)}"


def grades_fact(council: Council, this: Inspection) -> Fact:
    judged = set(this.judgements)
    areas = {area: grade.value for area, grade in this.judgements.items()}
    parts = [f"{area_title(this.framework, a, judged).lower().removeprefix('the ')}: {grade_words(g)}"
             for a, g in this.judgements.items() if a != "overall_effectiveness"]
    when = f"fieldwork {this.start} to {this.end}" + (f", published {this.published}" if this.published else "")
    lead = (f"Ofsted judged {council.name}'s children's services {grade_words(this.overall)} overall ({when})."
            if this.overall else f"Ofsted inspected {council.name}'s children's services ({when}); "
                                 "this framework gives no overall effectiveness grade.")
    return Fact("grades", f"{lead} {'; '.join(parts).capitalize()}." if parts else lead,
                {"framework": this.framework, "judgements": areas})


def change_fact(this: Inspection, earlier: list[Inspection]) -> Fact | None:
    previous = _last_graded(earlier) or (earlier[-1] if earlier else None)
    if previous is None:
        return None
    shared = [a for a in this.judgements if judges(previous.judgements, a)]  # under any of its names
    changes = {a: direction(grade_in(previous.judgements, a), this.judgements[a]) for a in shared}
    overall = changes.get("overall_effectiveness")
    text = (f"At its previous inspection ({previous.placed_on.year if previous.placed_on else '?'}) it "
            f"{PAST[previous.overall.value] if previous.overall else 'had no overall grade'}")
    text += {"improved": ", so it has improved.", "declined": ", so it has declined.",
             "same": ", the same grade.", None: "."}[overall]
    moved = [f"{area_title(this.framework, a, set(this.judgements)).lower().removeprefix('the ')} "
             f"{'improved' if d == 'improved' else 'declined'}" for a, d in changes.items()
             if a != "overall_effectiveness" and d in ("improved", "declined")]
    if moved:
        text += f" By area: {'; '.join(moved)}."
    return Fact("change", text, {"previous": _ref(previous), "changes": changes})


def sequence_fact(earlier: list[Inspection]) -> Fact | None:
    graded = [i for i in earlier if i.overall is not None and i.placed_on]
    if len(graded) < 2:
        return None
    steps = [f"{PAST[_overall(i).value]} in {_placed(i).year}" for i in graded]
    return Fact("sequence", f"Before this it {', '.join(steps[:-1])} and {steps[-1]}.",
                {"inspections": [_ref(i) for i in graded]})


def first_time_fact(this: Inspection, earlier: list[Inspection]) -> Fact | None:
    graded = [i for i in earlier if i.overall is not None and i.overall.rank is not None]
    if this.overall is None or this.overall.rank is None or not graded:
        return None
    rank = this.overall.rank
    grade = grade_words(this.overall)
    if _first_time_at_or_better(this, earlier):
        text = f"It is the first time the council has been judged {grade}" + (
            " or better" if rank > 1 else "") + " in the record."
        return Fact("first_time", text, {"first": True, "compared_with": [_ref(i) for i in graded]})
    if all(_rank(_overall(i)) < rank for i in graded):
        return Fact("first_time", f"It is the first time the council has been judged as low as {grade} in the record.",
                    {"first": True, "lowest": True, "compared_with": [_ref(i) for i in graded]})
    same = [i for i in graded if _rank(_overall(i)) <= rank]
    last = same[-1]
    return Fact("first_time", f"It is not the first time: it {PAST[_overall(last).value]} in {_placed(last).year}.",
                {"first": False, "compared_with": [_ref(i) for i in same]})


def streak_fact(this: Inspection, earlier: list[Inspection]) -> Fact | None:
    if this.overall is None:
        return None
    run = 1
    for grade in reversed([i.overall for i in earlier if i.overall is not None]):
        if grade.rank != this.overall.rank:
            break
        run += 1
    if run < 2:
        return None
    return Fact("streak",
                f"It is the {ORDINAL.get(run, f'{run}th')} inspection in a row judged {grade_words(this.overall)}.",
                {"inspections_in_a_row": run})


def since_inadequate_fact(this: Inspection, earlier: list[Inspection]) -> Fact | None:
    if this.overall is None or this.overall is Grade.INADEQUATE:
        return None
    bad = [i for i in earlier if i.overall is Grade.INADEQUATE and i.placed_on]
    if not bad:
        return Fact("since_inadequate", "The council has not been judged inadequate in the record.",
                    {"last_inadequate": None})
    last = _placed(bad[-1])
    years = round(((this.end or date.today()) - last).days / 365.25, 1)
    return Fact("since_inadequate", f"It was last judged inadequate {years:g} years earlier, in {last.year}.",
                {"last_inadequate": _ref(bad[-1]), "years": years})


def region_fact(db: Database, council: Council, latest: dict[str, Inspection], as_at: date) -> Fact | None:
    this = latest[council.gss_code]
    if this.overall is None or this.overall.rank is None:
        return None
    rank = this.overall.rank
    region = [c for c in db.councils(on=as_at) if c.region == council.region]
    graded = {c.name: grade for c in region
              if c.gss_code in latest and (grade := latest[c.gss_code].overall) and grade.rank}
    counts = {g.value: sum(1 for x in graded.values() if x is g) for g in Grade if g.rank}
    higher = sorted(n for n, g in graded.items() if _rank(g) < rank)
    same = sum(1 for g in graded.values() if g.rank == rank)
    text = (f"On {as_at}, of the {len(graded)} {council.region} councils with a grade, {same} "
            f"{'was' if same == 1 else 'were'} {grade_words(this.overall)}")
    text += ("; none was rated higher." if not higher else
             f"; {len(higher)} {'was' if len(higher) == 1 else 'were'} rated higher ({', '.join(higher)}).")
    return Fact("region", text, {"as_at": as_at.isoformat(), "region": council.region, "counts": counts,
                                 "rated_higher": higher})


def neighbours_fact(council: Council, latest: dict[str, Inspection]) -> Fact | None:
    this = latest[council.gss_code].overall
    neighbours = [n for code in council.neighbours if (n := council_by_dfe_code(code)) is not None]
    grades = {n.name: grade for n in neighbours
              if n.gss_code in latest and (grade := latest[n.gss_code].overall) and grade.rank}
    if this is None or this.rank is None or not grades:
        return None
    own_rank = this.rank
    better = sum(1 for g in grades.values() if _rank(g) < own_rank)
    tied = sum(1 for g in grades.values() if g.rank == own_rank)
    rank = better + 1
    text = (f"Among its {len(grades)} statistical neighbours with a grade, {better} "
            f"{'is' if better == 1 else 'are'} rated higher and {tied} the same: it ranks "
            f"{'joint ' if tied else ''}{ORDINAL.get(rank, f'{rank}th')} of {len(grades) + 1}.")
    return Fact("neighbours", text, {"rated_higher": better, "rated_the_same": tied, "rank": rank,
                                     "of": len(grades) + 1, "grades": {n: g.value for n, g in grades.items()}})


def predecessor_fact(db: Database, council: Council) -> Fact | None:
    older = [i for i in db.inspections(council, improvements=False) if i.predecessor and i.overall]
    if not older:
        return None
    steps = [f"{i.council} {PAST[_overall(i).value]} in {i.placed_on.year}"
             + (" (from Ofsted's official statistics)" if i.official else "") for i in older if i.placed_on]
    names = sorted({c.name for c in predecessors(council)})
    return Fact("predecessor", f"Before {council.name} was formed, its predecessor ({', '.join(names)}) was "
                               f"inspected: {'; '.join(steps)}.", {"inspections": [_ref(i) for i in older]})


def improvements_fact(this: Inspection) -> Fact | None:
    if not this.improvements:
        return None
    from lacs.questions.themes import load_themes, themes_of

    names = {t.key: t.name.lower() for t in load_themes()}
    by_theme: dict[str, list[str]] = {}
    for point in this.improvements:
        for theme in themes_of(point) or ["other"]:
            by_theme.setdefault(theme, []).append(point)
    listed = "; ".join(f"{names.get(t, t)} ({len(p)})" for t, p in by_theme.items())
    n = len(this.improvements)
    return Fact("improvements", f"Inspectors listed {n} {'thing that needs' if n == 1 else 'things that need'} "
                                f"to improve, by theme: {listed}.",
                {"points": list(this.improvements), "by_theme": by_theme})


def _first_time_at_or_better(this: Inspection, earlier: list[Inspection]) -> bool:
    graded = [i.overall for i in earlier if i.overall is not None and i.overall.rank is not None]
    return bool(graded) and this.overall is not None and all(_rank(g) > _rank(this.overall) for g in graded)


def _last_graded(earlier: list[Inspection]) -> Inspection | None:
    return next((i for i in reversed(earlier) if i.overall is not None and i.overall.rank is not None), None)


# The accessors below are for inspections and grades already known to have the value (the callers
# filter for it): the checks narrow the types, and raise only where the code before them would have
# failed too. _rank(Grade.NOT_JUDGED) raises, as comparing its rank (None) with a number used to.

def _overall(i: Inspection) -> Grade:
    if i.overall is None:
        raise ValueError(f"an inspection of {i.council} ({i.framework}) has no overall grade")
    return i.overall


def _rank(grade: Grade) -> int:
    if grade.rank is None:
        raise ValueError(f"{grade_words(grade)} has no place on the grade scale")
    return grade.rank


def _placed(i: Inspection) -> date:
    if i.placed_on is None:
        raise ValueError(f"an inspection of {i.council} ({i.framework}) has no date")
    return i.placed_on


def _judged_areas(this: Inspection) -> str:
    return ", ".join(f"{grade_words(g)} for {a.replace('_', ' ')}" for a, g in this.judgements.items())


def _ref(i: Inspection) -> dict[str, Any]:
    return {"framework": i.framework, "start": _iso(i.start), "end": _iso(i.end), "published": _iso(i.published),
            "overall": i.overall.value if i.overall else None, "source": i.source_label}


def _iso(day: date | None) -> str | None:
    return day.isoformat() if day else None
