"""The dashboard's pages of lists: every council (with the council picker), every region, and
every download. Rendered on the server (templates/, web/render.py): no script.

    /councils               every council by region; ?name= finds one (an exact or unambiguous
                            name goes straight to its page; otherwise the nearest names as links)
    /regions                every region with its counts, as at a day (?as_at=)
    /data                   every download, the API and the feeds, with the licence
"""

from __future__ import annotations

from datetime import date
from typing import Any

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from lacs.domain.councils import AmbiguousCouncil, Council, UnknownCouncil
from lacs.domain.frameworks import HEADLINE
from lacs.errors import LacsError
from lacs.questions.snapshot import snapshot
from lacs.store.database import Database
from lacs.web.api import Day, said
from lacs.web.render import absolute_links, area_label, front_areas, no_grade_reason, render, slug

router = APIRouter(include_in_schema=False)
MAX_NAME = 100  # characters of a name typed into the picker


@router.get("/councils", response_class=HTMLResponse)
def councils_page(request: Request, name: str = "") -> Response:
    """Every council by region, current ones first; ?name= goes to the council it names."""
    db: Database = request.app.state.db
    asked = name.strip()[:MAX_NAME]
    found: list[Council] = []
    missing = ""
    if asked:
        try:
            council = db.council(asked)
        except UnknownCouncil as exc:
            missing = f"No council in the register is called “{asked}”"
            found = [db.council(n) for n in exc.suggestions]
        except AmbiguousCouncil as exc:
            missing = f"“{asked}” could be more than one council"
            found = [db.council(c.gss_code) for c in exc.candidates]
        else:
            links = getattr(request.app.state, "links", absolute_links)
            return RedirectResponse(links(request.url.path)(f"/councils/{slug(council.name)}"), status_code=303)
    today = date.today()
    latest = db.latest(today, area=HEADLINE)
    current = db.councils(on=today)
    regions: dict[str, list[dict[str, Any]]] = {}
    for c in current:
        regions.setdefault(c.region or "No region", []).append(_row(c, latest.get(c.gss_code)))
    former = [c for c in db.councils() if c not in current]
    return render(request, "councils.html", asked=asked, found=found, missing=missing, regions=sorted(regions.items()),
                  former=former, names=sorted({c.name for c in db.councils()}), count=len(current),
                  crumbs=[("Councils", None)], depends_on_now=True)


def _row(council: Council, inspection: Any) -> dict[str, Any]:
    grade = inspection.judgements.get(HEADLINE) if inspection else None
    return {"council": council, "inspection": inspection, "grade": grade,
            "reason": None if grade else no_grade_reason(inspection, HEADLINE)}


@router.get("/regions", response_class=HTMLResponse)
def regions_page(request: Request, as_at: Day | None = None, judgement: str = HEADLINE) -> HTMLResponse:
    """Every region with its councils' grades counted, linked to the region's own page."""
    db: Database = request.app.state.db
    try:
        snap = snapshot(db, as_at or date.today(), judgement=judgement, by="region")
    except LacsError as exc:
        raise HTTPException(422, {"message": said(exc), "choices": [
            (area_label(a), f"/regions?judgement={a}") for a in front_areas()]}) from None
    return render(request, "regions.html", snap=snap, as_at=as_at, area=judgement,
                  areas=[(a, area_label(a)) for a in front_areas()], crumbs=[("Regions", None)],
                  depends_on_now=as_at is None)


@router.get("/data", response_class=HTMLResponse)
def data_page(request: Request) -> HTMLResponse:
    """Every download, the API and the feeds, with what each holds."""
    from lacs.questions.columns import EXPORT_COLUMNS, WHATS
    from lacs.questions.release import TABLE_DESCRIPTIONS

    current = [c for c in request.app.state.db.councils() if not c.end]
    example = min(current, key=lambda c: c.name) if current else None  # the first in the list, as an example
    tables = [(what, TABLE_DESCRIPTIONS[what], EXPORT_COLUMNS[what]) for what in WHATS]
    return render(request, "data.html", tables=tables, example=example, crumbs=[("Data and downloads", None)],
                  release_version=getattr(request.app.state, "release_version", None))
