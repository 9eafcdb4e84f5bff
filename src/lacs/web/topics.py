"""The dashboard's pages on a topic: a council, a region, changes, themes, comparisons, who is
due, search, and the downloads. Rendered on the server (templates/, web/render.py): no script.

Each page says the day it is of. A page's dates may be left empty in its form: an empty field
is a parameter not given (`Field`), as if it were not in the URL.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Annotated, Any

from fastapi import APIRouter, HTTPException, Query, Request
from fastapi.responses import HTMLResponse, Response
from markupsafe import Markup
from pydantic import BeforeValidator

from lacs.domain.dates import parse_day
from lacs.domain.frameworks import current_areas, frameworks
from lacs.errors import BadDate, LacsError, NoPageText
from lacs.questions.snapshot import snapshot
from lacs.questions.wording import day_words
from lacs.store.database import Database
from lacs.web.api import said
from lacs.web.charts import line_chart
from lacs.web.council_page import council_view
from lacs.web.render import council_by_slug, render, slug
from lacs.web.served import Served
from lacs.web.topic_tables import (
    DIRECTION_WORDS,
    change_view,
    compare_view,
    due_rows,
    region_rows,
    theme_view,
)
from lacs.web.words import area_label, day_or_unknown, standing_words

router = APIRouter(include_in_schema=False)


def _day_or_blank(value: object) -> object:
    """A page's date: YYYY-MM-DD, or empty (a form's field left blank) for not given."""
    if value is None or value == "":
        return None
    if not isinstance(value, str):
        raise BadDate("date", value)
    return parse_day(value, "date")


Field = Annotated[date | None, BeforeValidator(_day_or_blank)]
FromField = Annotated[Field, Query(alias="from")]


def _helpers() -> dict[str, Any]:
    """What the topic templates call: dates and names in words."""
    return {"day_words": day_words, "day_or_unknown": day_or_unknown, "area_label": area_label,
            "standing": standing_words}


@router.get("/councils/{name}", response_class=HTMLResponse)
def council_page(request: Request, name: str, as_at: Field = None) -> HTMLResponse:
    db: Database = request.app.state.db
    found = council_by_slug(db, name)  # UnknownCouncil, AmbiguousCouncil: 404 (web/app.py)
    view = council_view(db, found, as_at)
    return render(request, "council.html", view=view, as_at=as_at, theme_names=_theme_names(), **_helpers())


@router.get("/search", response_class=HTMLResponse)
def search_page(request: Request, q: str = "") -> HTMLResponse:
    from lacs.questions.search import search, search_scope

    db: Database = request.app.state.db
    hits, error = [], None
    if q:
        try:
            hits = search(db, q[:200])
        except NoPageText:  # the page says so in its own words, without the cache file's path
            pass
        except LacsError as exc:
            error = said(exc)
    scope = search_scope(db).sentence()
    return render(request, "search.html", q=q, hits=hits, error=error, as_at=None,
                  scope=scope[:1].upper() + scope[1:] + ".", **_helpers())


@router.get("/next", response_class=HTMLResponse)
def next_page(request: Request, as_at: Field = None) -> HTMLResponse:
    from lacs.questions.due import due

    db: Database = request.app.state.db
    day = as_at or date.today()
    found = due(db, day)
    return render(request, "next.html", rows=due_rows(found), day=day, as_at=as_at,
                  depends_on_now=as_at is None, **_helpers())


@router.get("/changes", response_class=HTMLResponse)
def changes_page(request: Request, from_: FromField = None, to: Field = None, start: Field = None,
                 end: Field = None, judgement: str = "overall_effectiveness") -> HTMLResponse:
    """The period is ?from=&to= as in the API (?start=&end=, this page's older names, still work)."""
    from lacs.questions.changes import changes

    first, last = (from_, to) if from_ or to else (start, end)
    names = {"start": "from", "end": "to"} if from_ or to or not (start or end) else {}
    try:
        result = changes(request.app.state.db, first, last, judgement)
    except LacsError as exc:  # a range that runs backwards, an area the record does not judge
        raise HTTPException(422, exc.spoken(lambda name: names.get(name, name))) from None
    return render(request, "changes.html", view=change_view(result), as_at=None, given_from=first, given_to=last,
                  judgement=judgement, areas=[(a, area_label(a)) for a in current_areas()],
                  directions=DIRECTION_WORDS, **_helpers())


@router.get("/regions/{name}", response_class=HTMLResponse)
def region_page(request: Request, name: str, as_at: Field = None) -> HTMLResponse:
    served: Served = request.app.state.served
    day = as_at or date.today()
    snap = snapshot(served.db, day, by="region")
    group = next((g for g in snap.groups[1:] if slug(g.name) == name), None)
    if group is None:
        raise HTTPException(404, f"no region called {name!r}")
    areas, rows = region_rows(group.councils)
    trend = Markup(_region_trend(served, group.name, day))
    others = [g.name for g in snap.groups[1:] if g.name != group.name]
    return render(request, "region.html", snap=snap, group=group, areas=areas, rows=rows, trend=trend,
                  others=others, as_at=as_at, day=day, **_helpers())


def _region_trend(served: Served, region: str, day: date) -> str:
    """The region's share good or better at the end of every month since 2014, as the front page
    draws England's: each whole month's snapshot (every region at once) worked out once per
    database and kept in `served.trend` under the region's name."""
    points: list[tuple[date, float | None]] = []
    year, month = 2014, 1
    while date(year, month, 1) <= day:
        end = date(year + month // 12, month % 12 + 1, 1) - timedelta(days=1)
        if end > day:
            points.append((day, _region_shares(served, day).get(region)))
        else:
            if (f"region {region}", end) not in served.trend:
                for name, share in _region_shares(served, end).items():
                    served.trend[f"region {name}", end] = share
            points.append((end, served.trend.get((f"region {region}", end))))
        year, month = year + month // 12, month % 12 + 1
    marks = [mark for framework in frameworks() for mark in framework.milestones]
    return line_chart(points, marks, f"{region}: share of councils good or better, month by month")


def _region_shares(served: Served, day: date) -> dict[str, float | None]:
    return {g.name: g.good_or_better_percent for g in snapshot(served.db, day, by="region").groups[1:]}


@router.get("/downloads/{what}.{fmt}")
def download(request: Request, what: str, fmt: str, as_at: Field = None) -> Response:
    """The export tables as files; `what` and `fmt` are checked against fixed lists, never used as paths."""
    import tempfile
    from pathlib import Path

    from lacs.questions.export import WHATS, export_table, write_export

    if what not in WHATS or fmt not in ("csv", "xlsx"):
        raise HTTPException(404, f"downloads are {', '.join(WHATS)}, as csv or xlsx")
    table = export_table(request.app.state.db, what, as_at if what == "latest" else None)
    with tempfile.TemporaryDirectory() as folder:
        target = Path(folder) / f"export.{fmt}"
        write_export(table, fmt, target)
        data = target.read_bytes()
    media = "text/csv" if fmt == "csv" else "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    return Response(data, media_type=media,
                    headers={"Content-Disposition": f'attachment; filename="lacs-{what}.{fmt}"'})


@router.get("/compare", response_class=HTMLResponse)
def compare_page(request: Request, council: str = "", group: str = "neighbours",
                 councils: str = "", as_at: Field = None) -> HTMLResponse:
    """The form; with ?council= a council beside its group (neighbours, region, type); with
    ?councils=a,b,c (or group=chosen) the councils named, side by side."""
    db: Database = request.app.state.db
    view = compare_view(db, council.strip(), group, councils.strip(), as_at)
    names = [c.name for c in db.councils(on=as_at or date.today())]
    page = render(request, "compare.html", view=view, names=names, council=council, group=group,
                  councils=councils, as_at=as_at, **_helpers())
    page.status_code = view.status
    return page


@router.get("/themes", response_class=HTMLResponse)
def themes_page(request: Request, as_at: Field = None, region: str = "") -> HTMLResponse:
    from lacs.questions.themes import theme_counts

    db: Database = request.app.state.db
    counts = theme_counts(db, as_at, by="region")
    view = theme_view(db, counts, region)
    if view is None:
        raise HTTPException(404, f"no region called {region!r}")
    return render(request, "themes.html", view=view, counts=counts, region=region, as_at=as_at, **_helpers())


def _theme_names() -> dict[str, str]:
    from lacs.questions.themes import load_themes

    return {t.key: t.name for t in load_themes()} | {"other": "Other"}
