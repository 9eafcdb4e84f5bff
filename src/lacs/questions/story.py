"""The story of one inspection: the facts a reporter would check, each said in words with the
data behind it, then a headline and paragraphs made of them.

    s = story(db, "manchester", date(2022, 5, 19))   # any day of its fieldwork, or its publication date
    s.headline      # "Manchester's children's services judged good for the first time"
    s.facts         # [Fact(kind="grades", text=..., data={...}), ...]
    s = story(db, "manchester", as_at=date(2016, 1, 1))  # the latest inspection known that day (2014's)

Every fact is computed from the record as it stood on the inspection's publication date (its
end of fieldwork when no date is known) and only from the council's own inspections; a
predecessor's record is a fact of its own, said as the predecessor's.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from lacs.domain.councils import Council, council_by_dfe_code, predecessors
from lacs.domain.frameworks import REVIEW_KINDS, grade_in, judges
from lacs.domain.grades import Grade, direction, grade_words
from lacs.errors import NoSuchInspection, literal
from lacs.questions import claims
from lacs.questions.history import known_on
from lacs.questions.wording import (
    area_words,
    count,
    day_words,
    join_and,
    judged,
    lower_first,
    number_words,
    ordinal,
    past,
    past_plural,
    possessive,
    still,
    were,
    when_words,
)
from lacs.store.database import Database, Inspection


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
        groups = [("grades",), ("change", "sequence"), ("first_time", "streak", "since_inadequate"),
                  ("first_beyond",), ("region",), ("neighbours",), ("predecessor",), ("improvements",), ("visits",)]
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


def story(db: Database, name_or_code: str | Council, day: date | None = None, as_at: date | None = None) -> Story:
    """The story of the council's inspection on `day` (any day of its fieldwork, or its
    publication date; default its latest). With `as_at`, only the inspections the record knew
    that day (history.known_on: published by then) are told, so the default is the latest of those."""
    council = name_or_code if isinstance(name_or_code, Council) else db.council(name_or_code)
    record = db.inspections(council, with_predecessors=False)  # every source: what claims about its past count
    own = [i for i in record if i.kind not in REVIEW_KINDS and (as_at is None or known_on(i, as_at))]
    if not own:
        when = f" as at {as_at.isoformat()}" if as_at else ""
        raise NoSuchInspection("day", day, [], literal(f"{council.name}: no inspection in the record{when}"))
    this = own[-1] if day is None else _on(own, day, council)
    earlier = [i for i in own if i.placed_on and this.placed_on and i.placed_on < this.placed_on]
    until = as_at  # the visits told are those made by the day asked about
    as_at = this.published or this.end or this.placed_on or date.today()
    first = claims.first_time(record, this)
    since = claims.since_inadequate(record + [i for i in db.inspections(council, improvements=False)
                                              if i.predecessor], this)
    facts = [grades_fact(council, this)]
    facts += [f for f in (change_fact(this, earlier), sequence_fact(earlier),
                          Fact(first.kind, first.text, first.data) if first else None,
                          streak_fact(record, this), Fact(since.kind, since.text, since.data) if since else None)
              if f]
    facts += [Fact(c.kind, c.text, c.data) for c in claims.firsts(db, council, this)]
    latest = db.latest(as_at, as_at)
    latest[council.gss_code] = this
    facts += [f for f in (region_fact(db, council, latest, as_at), neighbours_fact(council, latest),
                          predecessor_fact(db, council), improvements_fact(this)) if f]
    facts += [f for f in [visits_fact(db, council, this, own, until=until)] if f]
    return Story(council, this, headline(council, this, earlier, first), facts)


def _on(own: list[Inspection], day: date, council: Council) -> Inspection:
    for i in own:
        if (i.start and i.end and i.start <= day <= i.end) or day in (i.published, i.start):
            return i
    dates = [" ".join(filter(None, [f"{i.start} to {i.end}" if i.start and i.end else "",
                                    f"(published {i.published})" if i.published else ""])) for i in own]
    raise NoSuchInspection("day", day, dates,
                           literal(council.name) + ": no inspection on {value}; its inspections: {accepted}")


def headline(council: Council, this: Inspection, earlier: list[Inspection], first: claims.Claim | None = None) -> str:
    name = f"{possessive(council.name)} children's services"
    if this.overall is None:
        said = claims.overall_words(this)
        return f"{name} judged {said}" if said else f"{name} inspected: {_judged_areas(this)}"
    grade = this.overall
    if first and first.data.get("first") and first.data["scope"]["since"] is None and (grade.rank or 0) <= 2 \
            and not first.data.get("lowest"):
        overall = "" if first.data["area"] == "any" else " overall"
        return f"{name} {judged(grade)}{overall} for the first time"
    previous = _last_graded(earlier)
    if previous is None:
        return f"{name} {judged(grade)}"
    change = direction(previous.overall, grade)
    if change == "same":
        return f"{name} {still(grade)}"
    return f"{name} {judged(grade)}, {'up' if change == 'improved' else 'down'} from {grade_words(previous.overall)}"


def grades_fact(council: Council, this: Inspection) -> Fact:
    judged_areas = set(this.judgements)
    areas = {area: grade.value for area, grade in this.judgements.items()}
    parts = [f"{area_words(this.framework, a, judged_areas)}: {grade_words(g)}"
             for a, g in this.judgements.items() if not claims.is_overall(this.framework, a)]
    when = when_words(this, source=True)
    name = f"{possessive(council.name)} children's services"
    if this.overall:
        lead = f"Ofsted judged that {name} {past_plural(this.overall)} overall ({when})."
    elif claims.overall_words(this):
        lead = f"Ofsted judged {name} {claims.overall_words(this)} ({when})."
    else:
        lead = f"Ofsted inspected {name} ({when}); this framework gives no overall effectiveness grade."
    text = f"{lead} {'; '.join(parts)[:1].upper()}{'; '.join(parts)[1:]}." if parts else lead
    return Fact("grades", text, {"framework": this.framework, "judgements": areas})


def change_fact(this: Inspection, earlier: list[Inspection]) -> Fact | None:
    graded = [i for i in earlier if claims.overall_words(i)]
    previous = graded[-1] if graded else (earlier[-1] if earlier else None)
    if previous is None:
        return None
    shared = [a for a in this.judgements if judges(previous.judgements, a)]  # under any of its names
    changes = {a: direction(grade_in(previous.judgements, a), this.judgements[a]) for a in shared}
    overall = changes.get("overall_effectiveness")
    year = f", in {previous.placed_on.year}," if previous.placed_on else ""
    said = claims.overall_words(previous)
    if previous.overall:
        text = f"At its previous inspection{year} it {past(previous.overall)} overall"
    elif said:
        text = f"At its previous inspection{year} it was judged {said}"
    else:
        text = f"Its previous inspection{year.rstrip(',')} gave no overall grade"
    text += {"improved": ", so it has improved.", "declined": ", so it has declined.",
             "same": ", the same grade.", None: "."}[overall]
    moved = {d: [area_words(this.framework, a, set(this.judgements)) for a, dd in changes.items()
                 if dd == d and not claims.is_overall(this.framework, a)] for d in ("improved", "declined")}
    by_area = [f"{'the grade' if len(areas) == 1 else 'the grades'} for {join_and(areas, 'and for')} {d}"
               for d, areas in moved.items() if areas]
    if by_area:
        text += f" By area, {'; '.join(by_area)}."
    return Fact("change", text, {"previous": _ref(previous), "changes": changes})


def sequence_fact(earlier: list[Inspection]) -> Fact | None:
    graded = [i for i in earlier if claims.overall_words(i) and i.placed_on]
    if len(graded) < 2:
        return None
    said = grades_by_year([(claims.overall_words(i), _placed(i).year) for i in graded])
    return Fact("sequence", f"Its earlier overall grades in the record: {join_and(said)}.",
                {"inspections": [_ref(i) for i in graded]})


def streak_fact(record: list[Inspection], this: Inspection) -> Fact | None:
    run = claims.streak(record, this)
    if run < 2 or this.overall is None:
        return None
    return Fact("streak", f"It is the {ordinal(run)} inspection in a row {judged(this.overall)} overall.",
                {"inspections_in_a_row": run})


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
    councils = count(len(graded), council.region + " council")
    text = f"Of the {councils} with an overall grade on {day_words(as_at)}, {were(same, this.overall)}"
    if not higher:
        text += "; none was rated higher."
    elif len(higher) <= 5:
        text += f"; {'1 was' if len(higher) == 1 else f'{len(higher)} were'} rated higher ({join_and(higher)})."
    else:
        text += f"; {len(higher)} were rated higher."
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
    place = ("last" if rank == len(grades) + 1 and not tied else
             f"{'joint ' if tied else ''}{ordinal(rank)}")
    if len(grades) == 1:
        (other, grade), = grades.items()
        how = "higher" if better else "the same" if tied else "lower"
        text = (f"Of its statistical neighbours, only {other} has an overall grade, and it is rated {how}: "
                f"{council.name} ranks {place} of 2.")
    else:
        text = (f"Of its {len(grades)} statistical neighbours with an overall grade, "
                f"{'none is' if not better else '1 is' if better == 1 else f'{better} are'} rated higher and "
                f"{tied or 'none'} the same: it ranks {place} of {len(grades) + 1}.")
    return Fact("neighbours", text, {"rated_higher": better, "rated_the_same": tied, "rank": rank,
                                     "of": len(grades) + 1, "grades": {n: g.value for n, g in grades.items()}})


def grades_by_year(steps: list[tuple[str, int]] | list[tuple[str, int, str]]) -> list[str]:
    """(words, year[, note]) in order -> 'requires improvement in 2014 and 2018', one phrase for a
    run of the same words (and note) in consecutive steps."""
    runs: list[tuple[str, str, list[int]]] = []
    for words, year, *rest in steps:
        note = rest[0] if rest else ""
        if runs and runs[-1][:2] == (words, note):
            runs[-1][2].append(year)
        else:
            runs.append((words, note, [year]))
    return [f"{words} in {join_and([str(y) for y in years])}{note}" for words, note, years in runs]


def predecessor_fact(db: Database, council: Council) -> Fact | None:
    older = [i for i in db.inspections(council, improvements=False)
             if i.predecessor and claims.overall_words(i) and i.placed_on]
    if not older:
        return None
    names = sorted({c.name for c in predecessors(council)})
    steps = grades_by_year([
        ((f"{i.council} " if len(names) > 1 else "") + claims.overall_words(i), _placed(i).year,
         " (from Ofsted's official statistics)" if i.official and not all(o.official for o in older) else "")
        for i in older])
    which = f"its predecessor, {names[0]}," if len(names) == 1 else f"its predecessors ({join_and(names)})"
    source = " (from Ofsted's official statistics)" if all(o.official for o in older) else ""
    return Fact("predecessor", f"Before {council.name} was formed, {which} had these overall grades{source}: "
                               f"{join_and(steps)}.", {"inspections": [_ref(i) for i in older]})


def improvements_fact(this: Inspection) -> Fact | None:
    if not this.improvements:
        return None
    from lacs.questions.themes import load_themes, themes_of

    names = {t.key: lower_first(t.name) for t in load_themes()}
    by_theme: dict[str, list[str]] = {}
    for point in this.improvements:
        for theme in themes_of(point) or ["other"]:
            by_theme.setdefault(theme, []).append(point)
    n = len(this.improvements)
    ordered = sorted(by_theme.items(), key=lambda kv: -len(kv[1]))
    shown = [f"{names.get(t, 'other matters')} ({len(p)})" for t, p in ordered[:6]]
    rest = len(ordered) - len(shown)
    listed = join_and(shown + ([f"{rest} more {'theme' if rest == 1 else 'themes'}"] if rest else []))
    lead = (f"Inspectors listed {count(n, 'thing')} that {'needs' if n == 1 else 'need'} to improve")
    if sum(len(p) for p in by_theme.values()) > n:
        text = f"{lead}, touching {count(len(by_theme), 'theme')} (a point can touch several): {listed}."
    else:
        text = f"{lead}, by theme: {listed}."
    return Fact("improvements", text, {"points": list(this.improvements), "by_theme": by_theme})


def visits_fact(db: Database, council: Council, this: Inspection, own: list[Inspection],
                until: date | None = None) -> Fact | None:
    """'Since its last inspection Ofsted has made two monitoring visits (the latest on 2 May 2024).':
    the council's visits after this inspection's end (and before its next, up to `until`), saying
    how far the record of visits reaches where the span asked runs beyond it."""
    from lacs.domain.report_types import visit_kind
    from lacs.questions.visits import reach, visits_since

    ended = this.end or this.placed_on
    if ended is None:
        return None
    following = [i.start or i.placed_on for i in own if i.placed_on and i.placed_on > ended]
    next_start = min((d for d in following if d), default=None)
    found = [v for v in visits_since(db, council.gss_code, ended) if v.date
             and (next_start is None or v.date < next_start) and (until is None or v.date <= until)]
    if not found:
        return None
    known = reach(db, council.gss_code)
    before = bool(known.first and ended < known.first)  # visits before the record's first day are not in it
    kinds = list(dict.fromkeys(v.kind for v in found))
    said = [f"{'a' if n == 1 and not before else number_words(n)} {k.name if n == 1 else k.plural}"
            if (k := visit_kind(kind)) else count(n, kind.replace("_", " "))
            for kind in kinds if (n := sum(v.kind == kind for v in found))]
    latest = max(v.date for v in found if v.date)
    when = f"the latest on {day_words(latest)}" if len(found) > 1 else f"on {day_words(latest)}"
    span_end = next_start or until or date.today()
    beyond = bool(known.last and span_end > known.last)
    what = ("at least " if before else "") + join_and(said)
    text = (f"Since its last inspection Ofsted has made {what} ({when})" if next_start is None else
            f"Between this inspection and the next, Ofsted made {what} ({when})")
    if known.first and known.last and (before or beyond):
        text += f"; the record of visits runs from {day_words(known.first)} to {day_words(known.last)}"
    elif known.last and beyond:
        text += f"; the record of visits (the letters fetched from Ofsted's site) reaches {day_words(known.last)}"
    return Fact("visits", text + ".", {"visits": [v.to_json() for v in found],
                                       "record_of_visits": {"from": _iso(known.first), "to": _iso(known.last)}})


def _last_graded(earlier: list[Inspection]) -> Inspection | None:
    return next((i for i in reversed(earlier) if i.overall is not None and i.overall.rank is not None), None)


# The accessors below are for inspections and grades already known to have the value (the callers
# filter for it): the checks narrow the types, and raise only where the code before them would have
# failed too. _rank(Grade.NOT_JUDGED) raises, as comparing its rank (None) with a number used to.

def _rank(grade: Grade) -> int:
    if grade.rank is None:
        raise ValueError(f"{grade_words(grade)} has no place on the grade scale")
    return grade.rank


def _placed(i: Inspection) -> date:
    if i.placed_on is None:
        raise ValueError(f"an inspection of {i.council} ({i.framework}) has no date")
    return i.placed_on


def _judged_areas(this: Inspection) -> str:
    """'two areas outstanding and two good', best grade first; 'one requiring improvement'."""
    counts = {g: sum(1 for x in this.judgements.values() if x is g) for g in Grade}
    said = [f"{number_words(n)} {'requiring improvement' if g is Grade.REQUIRES_IMPROVEMENT else grade_words(g)}"
            for g, n in counts.items() if n]
    if said:
        first = next(n for n in counts.values() if n)
        number, rest = said[0].split(" ", 1)
        said[0] = f"{number} {'area' if first == 1 else 'areas'} {rest}"
    return join_and(said)


def _ref(i: Inspection) -> dict[str, Any]:
    return {"framework": i.framework, "start": _iso(i.start), "end": _iso(i.end), "published": _iso(i.published),
            "overall": i.overall.value if i.overall else None, "source": i.source_label}


def _iso(day: date | None) -> str | None:
    return day.isoformat() if day else None
