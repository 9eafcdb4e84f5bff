"""The dashboard's pages, rendered on the server (templates/), with SVG drawn here: no script.

Each page takes ?as_at=DATE where it makes sense and says how current the data is.
"""

from __future__ import annotations

from datetime import date, timedelta
from functools import cache, lru_cache
from importlib.resources import files
from typing import Any

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import HTMLResponse, Response
from jinja2 import Environment, PackageLoader, select_autoescape
from markupsafe import Markup, escape

from lacs import __version__
from lacs.domain.councils import AmbiguousCouncil, Council, UnknownCouncil, name_key
from lacs.domain.frameworks import area_order, frameworks
from lacs.domain.grades import SCALE, direction, grade_words
from lacs.errors import LacsError
from lacs.questions.history import council_history
from lacs.questions.snapshot import Snapshot, snapshot
from lacs.questions.story import story as tell
from lacs.store.database import Database, Inspection
from lacs.web.api import Day, said
from lacs.web.charts import grade_bars, line_chart
from lacs.web.served import Served

router = APIRouter(include_in_schema=False)
templates = Environment(loader=PackageLoader("lacs.web", "templates"), autoescape=select_autoescape(["html"]))
templates.filters["marks"] = lambda text: Markup(  # FTS5's [match] marks, after escaping the rest
    str(escape(text)).replace("[", "<mark>").replace("]", "</mark>"))

# Colours with WCAG AA contrast against white text or dark text as marked, apart for colour-blind readers
# (blue / teal / amber / vermilion from the Okabe-Ito palette), always beside the grade in words.
GRADE_COLOURS = {"outstanding": "#0b5394", "good": "#1b7f6b", "requires_improvement": "#e0a100",
                 "adequate": "#e0a100", "inadequate": "#b3321b", "not_judged": "#767676", None: "#d9d9d9"}
GRADE_TEXT = {"requires_improvement": "#000", "adequate": "#000", None: "#000"}


@lru_cache(maxsize=1024)  # the record's council and region names: a page draws hundreds
def slug(name: str) -> str:
    return name_key(name).replace(" ", "-") or name.lower().replace(" ", "-")


def render(request: Request, template: str, **context: Any) -> HTMLResponse:
    """A page, its footer telling the date of the record it was made from (web/served.py)."""
    served: Served = request.app.state.served
    context |= {"latest_published": served.latest_published, "shipped": served.db.shipped,
                "updated": served.written, "version": __version__,
                "colours": GRADE_COLOURS, "text_colours": GRADE_TEXT, "words": grade_words, "slug": slug,
                "path": request.url.path}
    return HTMLResponse(templates.get_template(template).render(**context))


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
        found = _council_by_slug(db, name)
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


@router.get("/councils/{name}", response_class=HTMLResponse)
def council_page(request: Request, name: str, as_at: Day | None = None) -> HTMLResponse:
    db: Database = request.app.state.db
    try:
        found = _council_by_slug(db, name)
        history = council_history(db, found, as_at)
        told = tell(db, found) if history.inspections else None
    except (UnknownCouncil, AmbiguousCouncil) as exc:
        raise HTTPException(404, str(exc)) from None
    areas = [a for a in area_order() if any(a in i.judgements for i in history.inspections)]
    return render(request, "council.html", history=history, story=told, areas=areas, as_at=as_at,
                  visits=db.visits(found.gss_code), theme_names=_theme_names())


@router.get("/search", response_class=HTMLResponse)
def search_page(request: Request, q: str = "") -> HTMLResponse:
    from lacs.errors import LacsError
    from lacs.questions.search import search

    hits, error = [], None
    if q:
        try:
            hits = search(request.app.state.db, q[:200])
        except LacsError as exc:
            error = said(exc)
    return render(request, "search.html", q=q, hits=hits, error=error, as_at=None)


@router.get("/next", response_class=HTMLResponse)
def next_page(request: Request, as_at: Day | None = None) -> HTMLResponse:
    from lacs.questions.due import due

    rows = [[_link(d.council.name), str(d.last.end) if d.last else "-", {"grade": d.last.overall.value
             if d.last and d.last.overall else None}, d.rule.kind if d.rule else "-",
             f"{d.earliest} to {d.latest}" if d.earliest else "-", d.status] for d in due(request.app.state.db, as_at)]
    return render(request, "table.html", title="Who is due for inspection", rows=rows, as_at=as_at,
                  headers=["Council", "Last inspected", "Grade", "Next", "Window", "Status"], json=None,
                  lede="The framework's window for the next inspection after each council's last grade.")


@router.get("/changes", response_class=HTMLResponse)
def changes_page(request: Request, start: Day | None = None, end: Day | None = None) -> HTMLResponse:
    from lacs.questions.changes import changes

    try:
        result = changes(request.app.state.db, start, end)
    except LacsError as exc:  # a range that runs backwards; this page's parameters are start and end
        raise HTTPException(422, exc.spoken(lambda name: name)) from None
    grades = [*SCALE, "none"]
    rows = [[_words(b), *(result.matrix.get((b, a), 0) for a in grades)] for b in grades]
    return render(request, "table.html", title="Changes between consecutive inspections", rows=rows, as_at=None,
                  headers=["From (rows) to (columns)", *(_words(g) for g in grades)],
                  json="/api/v1/changes",
                  lede=", ".join(f"{n} {d.replace('_', ' ')}" for d, n in result.counts.items()))


@router.get("/regions/{name}", response_class=HTMLResponse)
def region_page(request: Request, name: str, as_at: Day | None = None) -> HTMLResponse:
    db: Database = request.app.state.db
    snap = snapshot(db, as_at or date.today(), by="region")
    group = next((g for g in snap.groups if slug(g.name) == name), None)
    if group is None:
        raise HTTPException(404, f"no region called {name!r}")
    rows = [[_link(c.council.name), {"grade": c.grade.value if c.grade else None},
             str(c.inspection.end) if c.inspection else "-"] for c in group.councils]
    return render(request, "table.html", title=f"{group.name} as at {snap.as_at}", rows=rows, as_at=as_at,
                  headers=["Council", "Grade", "Fieldwork ended"], json="/api/v1/snapshot?by=region",
                  lede=f"{group.good_or_better_percent}% of {group.graded} councils with a grade are good or better.")


@router.get("/downloads/{what}.{fmt}")
def download(request: Request, what: str, fmt: str, as_at: Day | None = None) -> Response:
    """The export tables as files; `what` and `fmt` are checked against fixed lists, never used as paths."""
    import tempfile
    from pathlib import Path

    from lacs.questions.export import WHATS, export_table, write_export

    if what not in WHATS or fmt not in ("csv", "xlsx"):
        raise HTTPException(404, "downloads are latest, history or judgements, as csv or xlsx")
    table = export_table(request.app.state.db, what, as_at if what == "latest" else None)
    with tempfile.TemporaryDirectory() as folder:
        target = Path(folder) / f"export.{fmt}"
        write_export(table, fmt, target)
        data = target.read_bytes()
    media = "text/csv" if fmt == "csv" else "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    return Response(data, media_type=media,
                    headers={"Content-Disposition": f'attachment; filename="lacs-{what}.{fmt}"'})


@router.get("/compare", response_class=HTMLResponse)
def compare_page(request: Request, council: str = "manchester", group: str = "neighbours",
                 councils: str | None = None, as_at: Day | None = None) -> HTMLResponse:
    """A council beside its group, or (?councils=a,b,c) the councils named, side by side."""
    from lacs.errors import LacsError
    from lacs.questions.compare import Comparison, Member, compare

    db: Database = request.app.state.db
    try:
        if councils:
            chosen = [_council_by_slug(db, name.strip()) for name in councils.split(",")[:20] if name.strip()]
            latest = db.latest(as_at or date.today())
            result = Comparison(chosen[0], "chosen", as_at or date.today(),
                                [Member(c, latest.get(c.gss_code), n == 0) for n, c in enumerate(chosen)], [])
            group = "chosen councils"
        else:
            result = compare(db, council.replace("-", " "), group, as_at)
    except (LacsError, IndexError) as exc:
        raise HTTPException(404 if isinstance(exc, (UnknownCouncil, AmbiguousCouncil)) else 422, said(exc)) from None
    areas = result.areas
    rows = [[_link(m.council.name), str(m.inspection.end) if m.inspection else "-",
             *({"grade": m.inspection.judgements[a].value if m.inspection and a in m.inspection.judgements else None}
               for a in areas)] for m in result.members]
    return render(request, "table.html", title=f"{result.council.name} beside its {group}", rows=rows, as_at=as_at,
                  headers=["Council", "Fieldwork ended", *(a.replace("_", " ") for a in areas)],
                  json=f"/api/v1/councils/{result.council.gss_code}", lede="Each council's latest inspection.")


@router.get("/themes", response_class=HTMLResponse)
def themes_page(request: Request, as_at: Day | None = None) -> HTMLResponse:
    from lacs.questions.themes import load_themes, theme_counts

    counts = theme_counts(request.app.state.db, as_at)
    england = counts.groups["England"] if isinstance(counts.groups, dict) else counts.groups[0]
    rows = [[t.name, england.get(t.key, 0), t.description] for t in load_themes()]
    return render(request, "table.html", title=f"What needs to improve, by theme, as at {counts.as_at}", rows=rows,
                  headers=["Theme", "Councils", "What it covers"], json="/api/v1/themes", as_at=as_at,
                  lede="Councils whose latest inspection raised each theme.")


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


def _theme_names() -> dict[str, str]:
    from lacs.questions.themes import load_themes

    return {t.key: t.name for t in load_themes()} | {"other": "Other"}


def _link(name: str) -> dict[str, str]:
    return {"href": f"/councils/{slug(name)}", "text": name}


def _council_by_slug(db: Database, name: str) -> Council:
    for council in db.councils():
        if slug(council.name) == name:
            return council
    return db.council(name.replace("-", " "))


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


def _words(grade: str) -> str:
    """A grade of the changes matrix in words ("none": no grade)."""
    return grade_words(None if grade == "none" else grade)
