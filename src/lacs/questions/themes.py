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

The taxonomy (`data/themes.toml`) and the matcher are lacs.domain.themes's, re-exported here.
Each point's themes are found when the record is built and stored beside it (the store's
`improvement_themes` table, read by Database.point_themes), so counting them reads a table
instead of matching every point at every question.

Only the council's own list is read (inspections() leaves out the list for the safeguarding
board that SIF reports also gave), as everywhere else in the API.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from lacs.domain.themes import Theme, load_themes, parse_themes, themes_of
from lacs.errors import BadGrouping
from lacs.store.database import Database

__all__ = ["ENGLAND", "GROUPINGS", "Theme", "ThemeCounts", "load_themes", "parse_themes", "theme_counts",
           "themes_of", "themes_over_time"]

ENGLAND = "England"
GROUPINGS = ("region",)


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
    latest = db.latest(as_at, published_by)  # leaves the points out: point_themes reads those of these alone
    points = db.point_themes(i.id for i in latest.values())
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
        for point, themes in listed:
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
    points = db.point_themes()
    for inspection in db.inspections(improvements=False):
        if inspection.published and inspection.published.year in counts:
            for key in {k for _, themes in points.get(inspection.id, ()) for k in themes}:
                counts[inspection.published.year][key] += 1
    return counts
