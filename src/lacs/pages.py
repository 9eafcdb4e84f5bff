"""The dashboard's pages, rendered on the server (templates/), with SVG drawn here: no script.

Each page takes ?as_at=DATE where it makes sense and says how current the data is.
"""

from __future__ import annotations

from datetime import date
from importlib.resources import files
from typing import Any

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import HTMLResponse, Response
from jinja2 import Environment, PackageLoader, select_autoescape

from .councils import AmbiguousCouncil, UnknownCouncil, name_key
from .database import Database
from .grades import Grade
from .history import council_history
from .snapshot import snapshot
from .story import story as tell

router = APIRouter(include_in_schema=False)
templates = Environment(loader=PackageLoader("lacs", "templates"), autoescape=select_autoescape(["html"]))

# Colours with WCAG AA contrast against white text or dark text as marked, apart for colour-blind readers
# (blue / teal / amber / vermilion from the Okabe-Ito palette), always beside the grade in words.
GRADE_COLOURS = {"outstanding": "#0b5394", "good": "#1b7f6b", "requires_improvement": "#e0a100",
                 "adequate": "#e0a100", "inadequate": "#b3321b", "not_judged": "#767676", None: "#d9d9d9"}
GRADE_TEXT = {"requires_improvement": "#000", "adequate": "#000", None: "#000"}


def slug(name: str) -> str:
    return name_key(name).replace(" ", "-") or name.lower().replace(" ", "-")


def render(request: Request, template: str, **context: Any) -> HTMLResponse:
    db: Database = request.app.state.db
    published = [i.published for i in db.inspections(improvements=False) if i.published]
    context |= {"latest_published": max(published) if published else None, "shipped": db.shipped,
                "colours": GRADE_COLOURS, "text_colours": GRADE_TEXT, "words": _words, "slug": slug,
                "path": request.url.path}
    return HTMLResponse(templates.get_template(template).render(**context))


@router.get("/static/lacs.css")
def stylesheet() -> Response:
    return Response((files("lacs") / "templates" / "lacs.css").read_text(encoding="utf-8"), media_type="text/css")


@router.get("/api/docs", response_class=HTMLResponse)
def api_docs(request: Request) -> HTMLResponse:
    """The API's routes from its OpenAPI schema, as a page of our own (no remote script)."""
    paths = sorted(request.app.openapi()["paths"].items())
    return render(request, "docs.html", paths=paths, as_at=None)


@router.get("/feed.xml")
def feed_xml(request: Request, since: date | None = None) -> Response:
    from .feed import atom_feed

    return Response(atom_feed(request.app.state.db, since), media_type="application/atom+xml")


@router.get("/councils/{name}/feed.xml")
def council_feed(request: Request, name: str) -> Response:
    from .feed import atom_feed

    db: Database = request.app.state.db
    try:
        found = _council_by_slug(db, name)
    except (UnknownCouncil, AmbiguousCouncil) as exc:
        raise HTTPException(404, str(exc)) from None
    return Response(atom_feed(db, council=found.gss_code), media_type="application/atom+xml")


@router.get("/", response_class=HTMLResponse)
def index(request: Request, as_at: date | None = None, judgement: str = "overall_effectiveness") -> HTMLResponse:
    db: Database = request.app.state.db
    day = as_at or date.today()
    try:
        snap = snapshot(db, day, judgement=judgement, by="region")
    except Exception as exc:  # a bad judgement or date range: the page says so
        raise HTTPException(422, str(exc)) from None
    latest = sorted((i for i in db.inspections(improvements=False) if i.published and i.published <= day
                     and i.gss_code), key=lambda i: i.published, reverse=True)[:12]
    return render(request, "index.html", snap=snap, hexes=_hexes(snap), latest=latest, as_at=as_at)


@router.get("/councils/{name}", response_class=HTMLResponse)
def council_page(request: Request, name: str, as_at: date | None = None) -> HTMLResponse:
    db: Database = request.app.state.db
    try:
        found = _council_by_slug(db, name)
        history = council_history(db, found, as_at)
        told = tell(db, found) if history.inspections else None
    except (UnknownCouncil, AmbiguousCouncil) as exc:
        raise HTTPException(404, str(exc)) from None
    areas = [a for a in ("overall_effectiveness", "leadership", "help_and_protection", "children_in_care",
                         "care_leavers", "adoption", "lscb") if any(a in i.judgements for i in history.inspections)]
    return render(request, "council.html", history=history, story=told, areas=areas, as_at=as_at)


def _council_by_slug(db: Database, name: str):  # type: ignore[no-untyped-def]
    for council in db.councils():
        if slug(council.name) == name:
            return council
    return db.council(name.replace("-", " "))


def _hexes(snap) -> list[dict[str, Any]]:  # type: ignore[no-untyped-def]
    try:
        from .hexmap import hex_centre, hex_points, load_hexmap
    except ImportError:
        return []
    cells = load_hexmap()
    out = []
    for c in snap.councils:
        if c.council.gss_code not in cells:
            continue
        x, y = hex_centre(*cells[c.council.gss_code], 12)
        out.append({"name": c.council.name, "slug": slug(c.council.name), "points": hex_points(x, y, 12),
                    "grade": c.grade.value if c.grade else None, "x": x, "y": y})
    return out


def _words(grade: Grade | str | None) -> str:
    if grade is None:
        return "no grade"
    return Grade(grade).value.replace("_", " ")
