"""The HTTP API under /api/v1/: the same answers, with the same keys, as the CLI's --json.

Every route is a few lines over the Python API. Errors: an unknown council is 404 with
suggestions or candidates; a bad date or parameter is 422 with a message that names the
parameter as the URL does (as_at, from), in the shape of FastAPI's own validation errors.
Caching headers (ETag, Cache-Control) are added for every response by web/app.py.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Annotated, Any, Literal, TypeVar

from fastapi import APIRouter, HTTPException, Query, Request
from fastapi.encoders import jsonable_encoder
from fastapi.exception_handlers import request_validation_exception_handler
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BeforeValidator

from lacs.domain.councils import AmbiguousCouncil, Council, UnknownCouncil
from lacs.domain.dates import parse_day
from lacs.errors import BadDate, LacsError, QuestionError
from lacs.questions.changes import changes as find_changes
from lacs.questions.history import council_history
from lacs.questions.snapshot import snapshot as take_snapshot
from lacs.questions.story import story as tell
from lacs.store.database import Database

T = TypeVar("T")
# The library's parameter names that the URLs spell otherwise (the rest are the same).
QUERY_NAMES = {"start": "from", "end": "to", "day": "inspection", "with_": "group"}


def query_name(parameter: str) -> str:
    """The URL's name for a library parameter: start -> from, as_at -> as_at."""
    return QUERY_NAMES.get(parameter, parameter)


def said(error: Exception) -> str:
    """An error's message, any parameter it names spelled as the URL does."""
    return error.spoken(query_name) if isinstance(error, LacsError) else str(error)


def _iso_only(value: object) -> object:
    """Dates as YYYY-MM-DD only (pydantic alone would take '0' as 1970-01-01). The validator
    does not know the parameter's name: `bad_parameters` names it from the error's place."""
    if not isinstance(value, str):
        raise BadDate("date", value)
    return parse_day(value, "date")


Day = Annotated[date, BeforeValidator(_iso_only)]
# A range's ends, spelled ?from= and ?to= in the URL (FastAPI's Annotated form: no call in a default).
From = Annotated[Day | None, Query(alias="from")]
To = Annotated[Day | None, Query(alias="to")]
router = APIRouter(prefix="/api/v1", tags=["lacs"],
                   responses={414: {"description": "The URL is longer than 2,048 characters"}})
MAX_QUERY = 200  # characters of a search query
NOT_FOUND: dict[int | str, dict[str, Any]] = {
    404: {"description": "No such council: the error, and suggestions or candidates"}}
ASKED_WRONGLY: dict[int | str, dict[str, Any]] = {422: {"description": "A bad date or parameter: what was wrong"}}


def record(request: Request) -> Database:
    return request.app.state.db


def answer(question: Callable[[], T]) -> T:
    """Run a question; lacs's errors become 404 (councils) or 422 (anything else asked wrongly)."""
    try:
        return question()
    except UnknownCouncil as exc:
        raise HTTPException(404, {"error": said(exc), "suggestions": exc.suggestions}) from None
    except AmbiguousCouncil as exc:
        raise HTTPException(404, {"error": said(exc), "candidates": [c.name for c in exc.candidates]}) from None
    except LacsError as exc:  # shaped like FastAPI's own validation errors, so one schema covers both
        raise HTTPException(422, [problem(exc)]) from None


def problem(error: LacsError) -> dict[str, Any]:
    """One entry of a 422's detail: where (the parameter at fault, if the error names one), what,
    and for a question asked wrongly the value given and what is accepted."""
    if not isinstance(error, QuestionError):
        return {"loc": ["query"], "msg": said(error), "type": "value_error"}
    return {"loc": ["query", query_name(error.parameter)], "msg": said(error), "type": "value_error",
            "input": jsonable_encoder(error.value), "ctx": {"accepted": error.accepted}}


async def bad_parameters(request: Request, exc: RequestValidationError) -> JSONResponse:
    """FastAPI's own 422, with lacs's message where a lacs error (a bad date) was the cause,
    naming the parameter as the URL does: its name is the last part of the error's place."""
    for error in exc.errors():
        cause = (error.get("ctx") or {}).get("error")
        if isinstance(cause, QuestionError):
            where = str(error["loc"][-1])
            error["msg"] = cause.spoken(lambda _: where)  # noqa: B023 (called here, at once)
            error["ctx"] = {"accepted": cause.accepted}
    return await request_validation_exception_handler(request, exc)


def council_json(c: Council) -> dict[str, Any]:
    return {"council": c.name, "urn": c.urn, "dfe_code": c.dfe_code, "gss_code": c.gss_code, "region": c.region,
            "council_type": c.council_type, "start": c.start or None, "end": c.end or None,
            "other_names": list(c.other_names), "neighbours": list(c.neighbours)}


@router.get("/councils", summary="Every council in the register, current and former")
def councils(request: Request) -> list[dict[str, Any]]:
    return [council_json(c) for c in record(request).councils()]


@router.get("/councils/{name}", responses=NOT_FOUND,
            summary="A council's whole history, facts and neighbours (lacs council --json)")
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
def changes(request: Request, start: From = None, end: To = None,
            judgement: str = "overall_effectiveness") -> dict[str, Any]:
    return answer(lambda: find_changes(record(request), start, end, judgement).to_json())


@router.get("/themes", summary="Themes of what needs to improve, counted (lacs themes --json)")
def themes(request: Request, as_at: Day | None = None, by: Literal["region"] | None = None) -> dict[str, Any]:
    from lacs.questions.themes import theme_counts

    return answer(lambda: theme_counts(record(request), as_at, by).to_json())


@router.get("/search", responses=NOT_FOUND, summary="Full-text search of the reports (lacs search --json)")
def search(request: Request, q: Annotated[str, Query(min_length=1, max_length=MAX_QUERY)],
           council: str | None = None, start: From = None, end: To = None,
           limit: Annotated[int, Query(ge=1, le=100)] = 20) -> list[dict[str, Any]]:
    from lacs.questions.search import search as find

    return [hit.to_json() for hit in answer(lambda: find(record(request), q, council, start, end, limit))]


@router.get("/story/{name}", responses=NOT_FOUND, summary="One inspection told as facts (lacs story --json)")
def story(request: Request, name: str, inspection: Day | None = None) -> dict[str, Any]:
    return answer(lambda: tell(record(request), name, inspection).to_json())
