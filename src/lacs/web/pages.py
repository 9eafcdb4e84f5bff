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
from markupsafe import Markup

from lacs.domain.councils import AmbiguousCouncil, UnknownCouncil
from lacs.domain.frameworks import frameworks
from lacs.domain.grades import direction, grade_words
from lacs.errors import LacsError
from lacs.questions.snapshot import Snapshot, snapshot
from lacs.store.database import Database, Inspection
from lacs.web.api import Day, said
from lacs.web.charts import grade_bars, line_chart
from lacs.web.render import council_by_slug, render, slug
from lacs.web.served import Served

router = APIRouter(include_in_schema=False)


@router.get("/static/lacs.css")
def stylesheet() -> Response:
    return Response((files("lacs.web") / "templates" / "lacs.css").read_text(encoding="utf-8"), media_type="text/css")


@router.get("/api/docs", response_class=HTMLResponse)
def api_docs(request: Request) -> HTMLResponse:
    """The API's routes from its OpenAPI schema, as a page of our own (no remote script)."""
    paths = sorted(request.app.openapi()["paths"].items())
    return render(request, "docs.html", paths=paths, as_at=None)


@router.get("/feed.xml")
def feed_xml(request: Request, since: Day | None = None) -> Response:
    from lacs.questions.feed import atom_feed

    return Response(atom_feed(request.app.state.db, since), media_type="application/atom+xml")


@router.get("/councils/{name}/feed.xml")
def council_feed(request: Request, name: str) -> Response:
    from lacs.questions.feed import atom_feed

    db: Database = request.app.state.db
    try:
        found = council_by_slug(db, name)
    except (UnknownCouncil, AmbiguousCouncil) as exc:
        raise HTTPException(404, str(exc)) from None
    return Response(atom_feed(db, council=found.gss_code), media_type="application/atom+xml")


@router.get("/static/favicon.svg")
@router.get("/favicon.ico")
def favicon() -> Response:
    return Response((files("lacs.web") / "templates" / "favicon.svg").read_text(encoding="utf-8"),
                    media_type="image/svg+xml")


@router.get("/", response_class=HTMLResponse)
def index(request: Request, as_at: Day | None = None, judgement: str = "overall_effectiveness") -> HTMLResponse:
    served: Served = request.app.state.served
    db = served.db
    day = as_at or date.today()
    try:
        snap = snapshot(db, day, judgement=judgement, by="region")
    except LacsError as exc:  # a bad judgement or date range: the page says so
        raise HTTPException(422, said(exc)) from None
    everything = db.inspections(improvements=False)
    dated = [(i.published, i) for i in everything if i.published and i.published <= day and i.gss_code]
    latest = [i for _, i in sorted(dated, key=lambda pair: pair[0], reverse=True)[:12]]
    changes = {i.id: _change_words(i, [e for e in everything if e.gss_code == i.gss_code]) for i in latest}
    return render(request, "index.html", snap=snap, hexes=_hexes(snap), latest=latest, as_at=as_at, changes=changes,
                  trend=Markup(_trend(served, day, judgement)),
                  bars=Markup(grade_bars([(g.name, g.counts) for g in snap.groups])))


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
    return line_chart(points, marks, "Share of councils good or better, month by month")


def _share(served: Served, day: date, judgement: str) -> float | None:
    return snapshot(served.db, day, judgement=judgement).groups[0].good_or_better_percent


def _change_words(this: Inspection, own: list[Inspection]) -> str:
    """'up from requires improvement', 'unchanged', 'down from good', or '' with nothing to compare."""
    earlier = [i for i in own if i.placed_on and this.placed_on and i.placed_on < this.placed_on
               and i.overall and i.overall.rank]
    if not earlier or not this.overall or not this.overall.rank:
        return ""
    before = earlier[-1].overall
    moved = direction(before, this.overall)
    if moved == "same":
        return "unchanged"
    return f"{'up' if moved == 'improved' else 'down'} from {grade_words(before)}"


def _hexes(snap: Snapshot) -> list[dict[str, Any]]:
    cells = _hex_cells()
    out = []
    for c in snap.councils:
        if c.council.gss_code not in cells:
            continue
        x, y, points = cells[c.council.gss_code]
        out.append({"name": c.council.name, "slug": slug(c.council.name), "points": points,
                    "grade": c.grade.value if c.grade else None, "x": x, "y": y})
    return out


@cache
def _hex_cells() -> dict[str, tuple[float, float, str]]:
    """Each council's hexagon on the map: centre and corners, worked out once."""
    try:
        from lacs.web.hexmap import hex_centre, hex_points, load_hexmap
    except ImportError:
        return {}
    cells = {}
    for gss, cell in load_hexmap().items():
        x, y = hex_centre(*cell, 12)
        cells[gss] = (x, y, hex_points(x, y, 12))
    return cells
