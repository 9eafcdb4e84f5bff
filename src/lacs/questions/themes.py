"""Themes of the "what needs to improve" points: a taxonomy kept as data, and counts by theme.

    from datetime import date
    import lacs
    from lacs.questions.themes import load_themes, themes_of, theme_counts, themes_over_time

    themes_of("The quality of pathway plans for care leavers.")   # ['care_leavers', 'pathway_plans']
    themes_of("The weather.")                    # []
    load_themes()[0].name                        # 'The front door: contacts, referrals and thresholds'
    counts = theme_counts(lacs.open(), as_at=date(2024, 3, 31), by="region")
    counts.groups["England"]["domestic_abuse"]   # councils whose latest inspection has a point on it
    counts.groups["London"]["care_leavers"]
    counts.unthemed[:3]                          # (council, point) pairs that no theme matched
    themes_over_time(lacs.open(), range(2014, 2026))[2019]["exploitation_missing"]   # inspections

The taxonomy is `data/themes.toml`: each theme has a key, a name, a description and
`patterns`, regular expressions matched case-insensitively on word boundaries, any of which
signals the theme. A theme may also have `weak` patterns, which count only when one of its
`context` patterns matches the same point too ("housing" is about care leavers' homes only in a
point that speaks of care leavers). A point can have several themes, or none. Matching costs
under a millisecond a point and is cached, so a whole snapshot's points take well under a second.

Only the council's own list is read (inspections() leaves out the list for the safeguarding
board that SIF reports also gave), as everywhere else in the API.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from functools import cache, lru_cache
from typing import Any

from lacs.domain import DATA_FOLDER
from lacs.errors import BadGrouping, BadTaxonomy
from lacs.store.database import Database

ENGLAND = "England"
GROUPINGS = ("region",)


@dataclass(frozen=True)
class Theme:
    key: str
    name: str
    description: str
    patterns: tuple[str, ...]
    weak: tuple[str, ...] = ()  # count only when a `context` pattern matches the point too
    context: tuple[str, ...] = ()

    def matches(self, point: str) -> bool:
        """True when the point signals this theme."""
        plain = _plain(point)
        return self._matches(plain, plain.lower())

    def _matches(self, plain: str, lower: str) -> bool:
        strong, weak, context = _compiled(self)
        return _found(strong, plain, lower) or (_found(weak, plain, lower) and _found(context, plain, lower))


@lru_cache(maxsize=1)
def load_themes() -> tuple[Theme, ...]:
    """Every theme in data/themes.toml, in the file's order (read once)."""
    text = (DATA_FOLDER / "themes.toml").read_text(encoding="utf-8")
    return parse_themes(text)


def parse_themes(text: str) -> tuple[Theme, ...]:
    """The themes of a taxonomy in themes.toml's format; raises BadTaxonomy if it is not sound."""
    try:
        table = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise BadTaxonomy(f"themes.toml: {exc}") from None
    themes: list[Theme] = []
    for n, entry in enumerate(table.get("theme", []), 1):
        try:
            theme = Theme(key=entry["key"], name=entry["name"], description=entry["description"],
                          patterns=tuple(entry.get("patterns", ())), weak=tuple(entry.get("weak", ())),
                          context=tuple(entry.get("context", ())))
        except KeyError as exc:
            raise BadTaxonomy(f"themes.toml: theme {n} has no {exc.args[0]}") from None
        if not theme.patterns and not theme.weak:
            raise BadTaxonomy(f"themes.toml: theme {theme.key!r} has no patterns")
        if bool(theme.weak) != bool(theme.context):
            raise BadTaxonomy(f"themes.toml: theme {theme.key!r} needs both `weak` and `context`, or neither")
        if theme.key in {t.key for t in themes}:
            raise BadTaxonomy(f"themes.toml: theme {theme.key!r} appears twice")
        for pattern in theme.patterns + theme.weak + theme.context:
            try:
                re.compile(pattern)
            except re.error as exc:
                raise BadTaxonomy(f"themes.toml: theme {theme.key!r}: pattern {pattern!r}: {exc}") from None
        themes.append(theme)
    if not themes:
        raise BadTaxonomy("themes.toml: no [[theme]] entries")
    return tuple(themes)


_Union = tuple[re.Pattern[str] | None, re.Pattern[str] | None]


@cache
def _compiled(theme: Theme) -> tuple[_Union, _Union, _Union]:
    return _union(theme.patterns), _union(theme.weak), _union(theme.context)


def _union(patterns: tuple[str, ...]) -> _Union:
    """Two regexes for a list of patterns: the case-insensitive ones lowercased, to search the
    lowercased point without re.IGNORECASE (twice as fast), and those with a case-sensitive part
    (?-i:...), searched in the point as written."""
    def compile_(group: list[str], flags: int) -> re.Pattern[str] | None:
        # One \b before the alternation, not one per pattern: the engine skips mid-word positions fast.
        return re.compile(r"\b(?:" + "|".join(f"(?:{p})" for p in group) + r")\b", flags) if group else None
    exact = [p for p in patterns if "(?-i:" in p]
    folded = [_ESCAPE_OR_UPPER.sub(lambda m: m.group(1) or m.group(2).lower(), p) for p in patterns if p not in exact]
    return compile_(folded, 0), compile_(exact, re.IGNORECASE)


_ESCAPE_OR_UPPER = re.compile(r"(\\.)|([A-Z])")  # \W stays \W; other capitals are lowered


def _found(union: _Union, plain: str, lower: str) -> bool:
    folded, exact = union
    return bool((folded and folded.search(lower)) or (exact and exact.search(plain)))


# Typographic apostrophes, dashes and the odd characters PDFs leave in hyphenated words, made plain.
_PLAIN = str.maketrans({"\u2019": "'", "\u2018": "'", "\u2013": "-", "\u2014": "-", "\u2010": "-",
                        "\u2011": "-", "\ufffe": "-", "\u00ad": "-", "\u00a0": " "})


def _plain(point: str) -> str:
    return " ".join(point.translate(_PLAIN).split())


def themes_of(point: str) -> list[str]:
    """The keys of the themes a point signals, in taxonomy order; [] when none does."""
    return list(_themes_of(point))


@lru_cache(maxsize=16384)
def _themes_of(point: str) -> tuple[str, ...]:
    plain = _plain(point)
    lower = plain.lower()
    return tuple(theme.key for theme in load_themes() if theme._matches(plain, lower))


@dataclass(frozen=True)
class ThemeCounts:
    """Councils whose latest inspection as at `as_at` has at least one point in each theme."""

    as_at: date
    by: str | None
    groups: dict[str, dict[str, int]]  # "England" or a region -> theme key -> councils
    unthemed: list[tuple[str, str]]  # (council, point) for points no theme matched
    councils: dict[str, int] = field(default_factory=dict)  # group -> councils counted (those existing that day)
    without_points: list[str] = field(default_factory=list)  # councils whose latest inspection lists no points

    def to_json(self) -> dict[str, Any]:
        names = {t.key: t.name for t in load_themes()}
        return {"as_at": self.as_at.isoformat(), "by": self.by,
                "themes": [{"key": k, "name": n} for k, n in names.items()],
                "groups": [{"name": g, "councils": self.councils.get(g, 0), "themes": counts}
                           for g, counts in self.groups.items()],
                "unthemed": [{"council": c, "point": p} for c, p in self.unthemed],
                "without_points": self.without_points}


def theme_counts(db: Database, as_at: date | None = None, by: str | None = None,
                 published_by: date | None = None) -> ThemeCounts:
    """For every council that existed on `as_at` (default: today), the themes of its latest
    inspection's points (db.latest's rule; `published_by` defaults to `as_at`), counted as
    councils per theme, for England and, with by="region", for each region."""
    if by is not None and by not in GROUPINGS:
        raise BadGrouping("by", by, GROUPINGS)
    as_at = as_at or date.today()
    keys = [t.key for t in load_themes()]
    latest = db.latest(as_at, published_by)  # leaves the points out: one read of them all is cheaper
    points = {i.id: i.improvements for i in db.inspections()}
    councils = db.councils(on=as_at)
    names = [ENGLAND] + (sorted({c.region for c in councils}) if by else [])
    groups: dict[str, dict[str, int]] = {name: dict.fromkeys(keys, 0) for name in names}
    sizes = dict.fromkeys(names, 0)
    unthemed: list[tuple[str, str]] = []
    without: list[str] = []
    for council in councils:
        inspection = latest.get(council.gss_code)
        listed = points.get(inspection.id, ()) if inspection else ()
        if not listed:
            without.append(council.name)
        found: set[str] = set()
        for point in listed:
            themes = themes_of(point)
            found.update(themes)
            if not themes:
                unthemed.append((council.name, point))
        for name in (ENGLAND, council.region) if by else (ENGLAND,):
            sizes[name] += 1
            for key in found:
                groups[name][key] += 1
    return ThemeCounts(as_at, by, groups, unthemed, sizes, without)


def themes_over_time(db: Database, years: Iterable[int]) -> dict[int, dict[str, int]]:
    """For each year (of publication), the number of inspections published that year with at
    least one point in each theme; every theme key is present, with 0 where none."""
    wanted = sorted(set(years))
    keys = [t.key for t in load_themes()]
    counts: dict[int, dict[str, int]] = {year: dict.fromkeys(keys, 0) for year in wanted}
    for inspection in db.inspections():
        if inspection.published and inspection.published.year in counts:
            for key in {k for point in inspection.improvements for k in themes_of(point)}:
                counts[inspection.published.year][key] += 1
    return counts
