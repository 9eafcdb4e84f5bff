"""The HTTP API under /api/v1/: the same answers, with the same keys, as the CLI's --json.

Every route is a few lines over the Python API. Errors: an unknown council is 404 with
suggestions or candidates; a bad date or parameter is 422 with a message. Caching headers
(ETag, Cache-Control) are added for every response by web.py.
"""

from __future__ import annotations

from datetime import date
import re
from typing import Annotated, Any, Callable, Literal, TypeVar

from fastapi import APIRouter, HTTPException, Query, Request
from pydantic import BeforeValidator

from lacs.questions.changes import changes as find_changes
from lacs.domain.councils import AmbiguousCouncil, Council, UnknownCouncil
from lacs.store.database import Database
from lacs.errors import LacsError
from lacs.questions.history import council_history
from lacs.questions.snapshot import snapshot as take_snapshot
from lacs.questions.story import story as tell

T = TypeVar("T")


def _iso_only(value: object) -> object:
    """Dates as YYYY-MM-DD only (pydantic alone would take '0' as 1970-01-01)."""
    if not isinstance(value, str) or not re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
        raise ValueError("give a date as YYYY-MM-DD, e.g. 2024-03-31")
    return value


Day = Annotated[date, BeforeValidator(_iso_only)]
router = APIRouter(prefix="/api/v1", tags=["lacs"],
                   responses={414: {"description": "The URL is longer than 2,048 characters"}})
MAX_QUERY = 200  # characters of a search query
NOT_FOUND: dict[int | str, dict[str, Any]] = {404: {"description": "No such council: the error, and suggestions or candidates"}}
ASKED_WRONGLY: dict[int | str, dict[str, Any]] = {422: {"description": "A bad date or parameter: what was wrong"}}


def record(request: Request) -> Database:
    return request.app.state.db


def answer(question: Callable[[], T]) -> T:
    """Run a question; lacs's errors become 404 (councils) or 422 (anything else asked wrongly)."""
    try:
        return question()
    except UnknownCouncil as exc:
        raise HTTPException(404, {"error": str(exc), "suggestions": exc.suggestions}) from None
    except AmbiguousCouncil as exc:
        raise HTTPException(404, {"error": str(exc), "candidates": [c.name for c in exc.candidates]}) from None
    except LacsError as exc:  # shaped like FastAPI's own validation errors, so one schema covers both
        raise HTTPException(422, [{"loc": ["query"], "msg": str(exc), "type": "value_error"}]) from None


def council_json(c: Council) -> dict[str, Any]:
    return {"council": c.name, "urn": c.urn, "dfe_code": c.dfe_code, "gss_code": c.gss_code, "region": c.region,
            "council_type": c.council_type, "start": c.start or None, "end": c.end or None,
            "other_names": list(c.other_names), "neighbours": list(c.neighbours)}


@router.get("/councils", summary="Every council in the register, current and former")
def councils(request: Request) -> list[dict[str, Any]]:
    return [council_json(c) for c in record(request).councils()]


@router.get("/councils/{name}", responses=NOT_FOUND, summary="A council's whole history, facts and neighbours (lacs council --json)")
def council(request: Request, name: str, as_at: Day | None = None) -> dict[str, Any]:
    return answer(lambda: council_history(record(request), name, as_at).to_json())


@router.get("/inspections", responses=NOT_FOUND, summary="Inspections, oldest first, filtered")
def inspections(request: Request, council: str | None = None, region: str | None = None,
                framework: str | None = None, since: Day | None = None,
                until: Day | None = None) -> list[dict[str, Any]]:
    db = record(request)
    found = answer(lambda: db.inspections(council, framework, since, until))
    if region:
        codes = {c.gss_code for c in db.councils() if c.region.lower() == region.lower()}
        found = [i for i in found if i.gss_code in codes]
    return [i.to_json() for i in found]


@router.get("/snapshot", summary="Each council's latest judgement as at a date, counted (lacs snapshot --json)")
def snapshot(request: Request, as_at: Day | None = None, published_by: Day | None = None,
             by: Literal["region", "type"] | None = None, judgement: str = "overall_effectiveness") -> dict[str, Any]:
    return answer(lambda: take_snapshot(record(request), as_at or date.today(), published_by, by, judgement).to_json())


@router.get("/changes", summary="Consecutive inspections: improved, same, declined (lacs changes --json)")
def changes(request: Request, start: Day | None = Query(None, alias="from"), end: Day | None = Query(None, alias="to"),
            judgement: str = "overall_effectiveness") -> dict[str, Any]:
    return answer(lambda: find_changes(record(request), start, end, judgement).to_json())


@router.get("/themes", summary="Themes of what needs to improve, counted (lacs themes --json)")
def themes(request: Request, as_at: Day | None = None, by: Literal["region"] | None = None) -> dict[str, Any]:
    from lacs.questions.themes import theme_counts

    return answer(lambda: theme_counts(record(request), as_at, by).to_json())


@router.get("/search", responses=NOT_FOUND, summary="Full-text search of the reports (lacs search --json)")
def search(request: Request, q: str = Query(..., min_length=1, max_length=MAX_QUERY), council: str | None = None,
           start: Day | None = Query(None, alias="from"), end: Day | None = Query(None, alias="to"),
           limit: int = Query(20, ge=1, le=100)) -> list[dict[str, Any]]:
    from lacs.questions.search import search as find

    return [hit.to_json() for hit in answer(lambda: find(record(request), q, council, start, end, limit))]


@router.get("/story/{name}", responses=NOT_FOUND, summary="One inspection told as facts (lacs story --json)")
def story(request: Request, name: str, inspection: Day | None = None) -> dict[str, Any]:
    return answer(lambda: tell(record(request), name, inspection).to_json())
