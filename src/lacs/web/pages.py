"""The dashboard's front page and the files every page uses (stylesheet, icon, feeds, API docs).

Pages are rendered on the server (templates/, web/render.py) with SVG drawn here: no script.
Each page takes ?as_at=DATE where it makes sense and says how current the data is.
"""

from __future__ import annotations

from datetime import date, timedelta
from functools import cache
from importlib.resources import files
from typing import Any

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import HTMLResponse, Response
from markupsafe import Markup, escape

from lacs.domain.councils import AmbiguousCouncil, UnknownCouncil, load_councils
from lacs.domain.frameworks import HEADLINE, frameworks
from lacs.domain.grades import GRADE_ORDER, SCALE, direction, grade_words
from lacs.errors import LacsError
from lacs.questions.snapshot import Snapshot, snapshot
from lacs.store.database import Database, Inspection
from lacs.web.api import Day, said
from lacs.web.charts import grade_bars, line_chart
from lacs.web.render import (
    Link,
    area_grades,
    area_heading,
    area_label,
    badge,
    council_by_slug,
    front_areas,
    graded_under,
    links_of,
    no_grade_reason,
    render,
    slug,
)
from lacs.web.served import Served

router = APIRouter(include_in_schema=False)
HEX_SIZE = 12  # a cell's circumradius in the map's own units
# The fill of a council inspected under a framework that gives no grade in the area: hatched, its
# stripes (OUTLINE's grey) 3:1 or more against the page, apart from "no inspection" (solid grey).
NO_AREA_PATTERN = ('<defs><pattern id="no-area" width="4" height="4" patternUnits="userSpaceOnUse" '
                   'patternTransform="rotate(45)"><rect width="4" height="4" fill="#fff"/>'
                   '<rect width="1.6" height="4" fill="#505a5f"/></pattern></defs>')


@router.get("/static/lacs.css")
def stylesheet() -> Response:
    return Response((files("lacs.web") / "templates" / "lacs.css").read_text(encoding="utf-8"), media_type="text/css")


@router.get("/api/docs", response_class=HTMLResponse)
def api_docs(request: Request) -> HTMLResponse:
    """The API's routes from its OpenAPI schema, as a page of our own (no remote script)."""
    paths = sorted(request.app.openapi()["paths"].items())
    return render(request, "docs.html", paths=paths, crumbs=[("Data and downloads", "/data"), ("API", None)])


@router.get("/feed.xml")
def feed_xml(request: Request, since: Day | None = None) -> Response:
    from lacs.questions.feed import atom_feed

    return Response(atom_feed(request.app.state.db, since, base_url=base_url(request)),
                    media_type="application/atom+xml")


def base_url(request: Request) -> str | None:
    """Where the user says the dashboard is served or published (`--base-url`): feeds' ids and
    self links are on it. Never taken from the request's Host header."""
    return getattr(request.app.state, "base_url", None)


@router.get("/regions/{name}/feed.xml")
def region_feed(request: Request, name: str) -> Response:
    from lacs.questions.feed import atom_feed

    db: Database = request.app.state.db
    region = next((c.region for c in db.councils() if c.region and slug(c.region) == name), None)
    if region is None:
        raise HTTPException(404, f"no region called {name!r}")
    return Response(atom_feed(db, region=region, base_url=base_url(request)), media_type="application/atom+xml")


@router.get("/councils/{name}/feed.xml")
def council_feed(request: Request, name: str) -> Response:
    from lacs.questions.feed import atom_feed

    db: Database = request.app.state.db
    try:
        found = council_by_slug(db, name)
    except (UnknownCouncil, AmbiguousCouncil) as exc:
        raise HTTPException(404, str(exc)) from None
    return Response(atom_feed(db, council=found.gss_code, base_url=base_url(request)),
                    media_type="application/atom+xml")


@router.get("/static/favicon.svg")
@router.get("/favicon.ico")
def favicon() -> Response:
    return Response((files("lacs.web") / "templates" / "favicon.svg").read_text(encoding="utf-8"),
                    media_type="image/svg+xml")


@router.get("/", response_class=HTMLResponse)
def index(request: Request, as_at: Day | None = None, judgement: str = HEADLINE) -> HTMLResponse:
    """England on a map and in tables, for one area at a time (?judgement=, the areas of the newest
    family of frameworks), as at a day (?as_at=, default today)."""
    served: Served = request.app.state.served
    db = served.db
    day = as_at or date.today()
    try:
        snap = snapshot(db, day, judgement=judgement, by="region")
    except LacsError as exc:  # a bad judgement or date range: the page says so, and offers the areas
        raise HTTPException(422, {"message": said(exc) if judgement in db.areas() else
                                  f"judgement {judgement!r} is not an area the map shows; choose one of these",
                                  "choices": [(area_label(a), f"/?judgement={a}") for a in front_areas()]}) from None
    everything = db.inspections(improvements=False)
    dated = [(i.published, i) for i in everything if i.published and i.published <= day and i.gss_code]
    latest = [i for _, i in sorted(dated, key=lambda pair: pair[0], reverse=True)[:12]]
    own: dict[str, list[Inspection]] = {}
    for i in everything:
        if i.gss_code:
            own.setdefault(i.gss_code, []).append(i)
    changes = {i.id: _change_words(i, own.get(i.gss_code or "", []), judgement) for i in latest}
    reasons = {c.council.gss_code: no_grade_reason(c.inspection, judgement) for c in snap.councils if not c.grade}
    link = links_of(request)
    return render(request, "index.html", snap=snap, hexmap=_hex_map(_hexes(snap), link, as_at), latest=latest,
                  as_at=as_at, changes=changes, rows=_council_rows(snap, reasons, link, as_at), area=judgement,
                  areas=[(a, area_label(a)) for a in front_areas()], heading=area_heading(judgement),
                  graded_by=graded_under(judgement),
                  latest_reason={i.id: no_grade_reason(i, judgement) for i in latest},
                  area_grades={i.id: area_grades(i) for i in latest}, councils=_picker(db), depends_on_now=True,
                  legend=_legend(snap),
                  trend=Markup(_trend(served, day, judgement)),
                  bars=Markup(grade_bars([(g.name, g.counts) for g in snap.groups])))


def _picker(db: Database) -> list[str]:
    """Every council's name for the council picker's datalist, current and former."""
    return sorted({c.name for c in db.councils()})


def _legend(snap: Snapshot) -> list[tuple[str, str, int]]:
    """(css class, words, councils) for each kind of cell the map shows, those with none left out."""
    counts = snap.groups[0].counts
    shown = [(f"g-{g}", grade_words(g), counts.get(g, 0)) for g in GRADE_ORDER if g != "none"]
    not_area = sum(1 for c in snap.councils if not c.grade and c.inspection is not None)
    never = sum(1 for c in snap.councils if c.inspection is None)
    shown += [("g-no-area", "inspected, no grade in this area", not_area),
              ("g-none", "no inspection in the record", never)]
    always = {f"g-{g}" for g in SCALE}
    return [entry for entry in shown if entry[2] or entry[0] in always]


def _trend(served: Served, day: date, judgement: str) -> str:
    """The share good or better at the end of every month since 2014, framework changes marked.
    Each whole month's share is worked out once per database (served.trend) and `day` lies in the
    span the record can answer, so a page costs at most one snapshot more: the month `day` ends."""
    points = []
    year, month = 2014, 1
    while date(year, month, 1) <= day:
        end = date(year + month // 12, month % 12 + 1, 1) - timedelta(days=1)
        if end > day:
            points.append((end, _share(served, day, judgement)))
        else:
            if (judgement, end) not in served.trend:
                served.trend[judgement, end] = _share(served, end, judgement)
            points.append((end, served.trend[judgement, end]))
        year, month = year + month // 12, month % 12 + 1
    marks = [mark for framework in frameworks() for mark in framework.milestones]
    return line_chart(points, marks, f"{area_label(judgement)}: the share of councils good or better, month by month")


def _share(served: Served, day: date, judgement: str) -> float | None:
    return snapshot(served.db, day, judgement=judgement).groups[0].good_or_better_percent


def _change_words(this: Inspection, own: list[Inspection], area: str = HEADLINE) -> str:
    """In the area: 'up from requires improvement', 'unchanged', 'down from good', or '' with
    nothing to compare."""
    now = this.judgements.get(area)
    earlier = [g for i in own if i.placed_on and this.placed_on and i.placed_on < this.placed_on
               and (g := i.judgements.get(area)) and g.rank]
    if not earlier or not now or not now.rank:
        return ""
    before = earlier[-1]
    moved = direction(before, now)
    if moved == "same":
        return "unchanged"
    return f"{'up' if moved == 'improved' else 'down'} from {grade_words(before)}"


def _hex_map(hexes: list[dict[str, Any]], link: Link, as_at: date | None) -> Markup:
    """The map as SVG: a link per council (named for screen readers with its grade in words), its
    hexagon and its three-letter label. Drawn here, not in the template: 153 cells on every page."""
    if not hexes:
        return Markup("")
    xs, ys = [h["x"] for h in hexes], [h["y"] for h in hexes]
    margin = HEX_SIZE + 1
    box = f"{min(xs) - margin:.1f} {min(ys) - margin:.1f} {max(xs) - min(xs) + 2 * margin:.1f} " \
          f"{max(ys) - min(ys) + 2 * margin:.1f}"
    parts = [f'<svg class="hexmap" viewBox="{box}" role="group" aria-labelledby="map-title">{NO_AREA_PATTERN}']
    for h in hexes:
        href = escape(link("/councils/" + h["slug"], as_at=as_at))
        parts.append(f'<a href="{href}" aria-label="{escape(h["says"])}"><polygon class="{h["kind"]}" '
                     f'points="{h["points"]}"/><text class="{h["kind"]}" x="{h["x"]:.1f}" y="{h["y"] + 2.3:.1f}" '
                     f'aria-hidden="true">{h["label"]}</text></a>\n')
    parts.append("</svg>")
    return Markup("".join(parts))


def _council_rows(snap: Snapshot, reasons: dict[str, str], link: Link, as_at: date | None) -> Markup:
    """The rows of the table of every council, drawn here for the same reason as the map."""
    rows = []
    for c in snap.councils:
        name, i = c.council.name, c.inspection
        grade = badge(c.grade) if c.grade else Markup(f'<span class="none-reason">'
                                                      f'{escape(reasons[c.council.gss_code])}</span>')
        ended = (i.end or "not known") if i else "—"
        published = (i.published or "not known") if i else "—"
        rows.append(f'<tr><th scope="row"><a href="{escape(link("/councils/" + slug(name), as_at=as_at))}">'
                    f'{escape(name)}</a></th><td>{escape(c.council.region)}</td><td>{grade}</td>'
                    f'<td>{ended}</td><td>{published}</td></tr>')
    return Markup("".join(rows))


def _hexes(snap: Snapshot) -> list[dict[str, Any]]:
    """The map's cells in reading order (row by row, west to east), so that the keyboard meets them
    as the eye does; each with its three-letter label and the words a screen reader says."""
    cells = _hex_cells()
    out = []
    for c in snap.councils:
        if c.council.gss_code not in cells:
            continue
        x, y, points, label = cells[c.council.gss_code]
        grade = c.grade.value if c.grade else None
        said_of = grade_words(grade) if c.grade else no_grade_reason(c.inspection, snap.judgement)
        kind = f"g-{grade}" if grade else "g-none" if c.inspection is None else "g-no-area"
        out.append({"name": c.council.name, "slug": slug(c.council.name), "points": points, "label": label,
                    "grade": grade, "kind": kind, "x": x, "y": y, "says": f"{c.council.name}: {said_of}"})
    return sorted(out, key=lambda h: (h["y"], h["x"]))


@cache
def _hex_cells() -> dict[str, tuple[float, float, str, str]]:
    """Each council's hexagon on the map: centre, corners and label, worked out once."""
    from lacs.web.hexmap import hex_centre, hex_points, load_hexmap, short_labels

    names = {c.gss_code: c.name for c in load_councils()}
    layout = load_hexmap()
    labels = short_labels([names.get(gss, gss) for gss in layout])
    cells = {}
    for gss, cell in layout.items():
        x, y = hex_centre(*cell, HEX_SIZE)
        cells[gss] = (x, y, hex_points(x, y, HEX_SIZE), labels[names.get(gss, gss)])
    return cells
