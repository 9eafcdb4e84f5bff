"""The dashboard's pages on a topic: a council, a region, changes, themes, comparisons, who is
due, search, and the downloads. Rendered on the server (templates/, web/render.py): no script.
"""

from __future__ import annotations

from datetime import date

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import HTMLResponse, Response

from lacs.domain.councils import AmbiguousCouncil, UnknownCouncil
from lacs.domain.frameworks import area_order
from lacs.domain.grades import SCALE, grade_words
from lacs.errors import LacsError
from lacs.questions.history import council_history
from lacs.questions.snapshot import snapshot
from lacs.questions.story import story as tell
from lacs.store.database import Database
from lacs.web.api import Day, said
from lacs.web.render import council_by_slug, council_link, render, slug

router = APIRouter(include_in_schema=False)


@router.get("/councils/{name}", response_class=HTMLResponse)
def council_page(request: Request, name: str, as_at: Day | None = None) -> HTMLResponse:
    db: Database = request.app.state.db
    try:
        found = council_by_slug(db, name)
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

    rows = [[council_link(d.council.name), str(d.last.end) if d.last else "-", {"grade": d.last.overall.value
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
    rows = [[council_link(c.council.name), {"grade": c.grade.value if c.grade else None},
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
def compare_page(request: Request, council: str = "manchester", group: str = "neighbours",
                 councils: str | None = None, as_at: Day | None = None) -> HTMLResponse:
    """A council beside its group, or (?councils=a,b,c) the councils named, side by side."""
    from lacs.errors import LacsError
    from lacs.questions.compare import Comparison, Member, compare

    db: Database = request.app.state.db
    try:
        if councils:
            chosen = [council_by_slug(db, name.strip()) for name in councils.split(",")[:20] if name.strip()]
            latest = db.latest(as_at or date.today())
            result = Comparison(chosen[0], "chosen", as_at or date.today(),
                                [Member(c, latest.get(c.gss_code), n == 0) for n, c in enumerate(chosen)], [])
            group = "chosen councils"
        else:
            result = compare(db, council.replace("-", " "), group, as_at)
    except (LacsError, IndexError) as exc:
        raise HTTPException(404 if isinstance(exc, (UnknownCouncil, AmbiguousCouncil)) else 422, said(exc)) from None
    areas = result.areas
    rows = [[council_link(m.council.name), str(m.inspection.end) if m.inspection else "-",
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


def _theme_names() -> dict[str, str]:
    from lacs.questions.themes import load_themes

    return {t.key: t.name for t in load_themes()} | {"other": "Other"}


def _words(grade: str) -> str:
    """A grade of the changes matrix in words ("none": no grade)."""
    return grade_words(None if grade == "none" else grade)
