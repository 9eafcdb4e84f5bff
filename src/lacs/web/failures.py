"""Errors answered to people as pages, to programs as JSON.

A page route (any path not under /api/) that fails answers an HTML page in the site's style:
404 with the nearest councils or regions as links, 422 naming each parameter at fault, what was
given and the form it takes, 500 with no traceback. The API (/api/...) keeps FastAPI's JSON.

    problem_page(state, "/", 422, [Problem("as_at", "2024-13-01", "not a date ...", "YYYY-MM-DD")])

A route may raise HTTPException(status, {"message": ..., "choices": [(words, path), ...]}) for
an error page that offers the right choices as links (the front page does for an unknown area).
"""

from __future__ import annotations

import difflib
import logging
import re
from dataclasses import dataclass
from typing import Any

from fastapi import Request
from fastapi.exception_handlers import http_exception_handler
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse, Response
from starlette.exceptions import HTTPException as StarletteHTTPException

from lacs.domain.councils import AmbiguousCouncil, UnknownCouncil
from lacs.errors import QuestionError
from lacs.web.api import bad_parameters, query_name, said
from lacs.web.render import council_by_slug, page, slug

log = logging.getLogger("lacs.web.failures")
COUNCIL_PATH = re.compile(r"/councils/([^/]+)(?:/|$)")
REGION_PATH = re.compile(r"/regions/([^/]+)$")
TITLES = {404: "Page not found", 405: "Not a page to send to", 414: "Address too long",
          422: "There is a problem with this address", 500: "Sorry, there is a problem with the service"}


@dataclass(frozen=True)
class Problem:
    """One parameter at fault: its name as the URL spells it, what was given, why, what it takes."""

    name: str
    given: str
    message: str
    accepted: str | None = None


def is_page(path: str) -> bool:
    """True for a route people read (its errors are pages), False for the API's."""
    return not path.startswith("/api/")


def problem_page(state: Any, path: str, status: int, problems: list[Problem] | None = None, message: str = "",
                 choices: list[tuple[str, str]] | None = None, query: dict[str, str] | None = None) -> str:
    """The error page's HTML: what went wrong, in words, with links onward."""
    suggestions, missing = _suggestions(state, path) if status == 404 else ([], "")
    without = {k: v for k, v in (query or {}).items() if not problems or k not in {p.name for p in problems}}
    return page(state, path, "error.html", status=status, title=TITLES.get(status, "Something went wrong"),
                problems=problems or [], message=message, choices=choices or [], suggestions=suggestions,
                missing=missing, without=without, councils=sorted({c.name for c in state.db.councils()}),
                crumbs=[(TITLES.get(status, "Error"), None)], stop=_stop)


def _stop(sentence: str) -> str:
    """The full stop a sentence needs at its end, if it has none."""
    return "" if sentence.rstrip().endswith((".", "?", "!")) else "."


def _suggestions(state: Any, path: str) -> tuple[list[tuple[str, str]], str]:
    """(words, path) of the councils or regions nearest to the one a 404's path names, and the
    sentence saying which is not there."""
    council = COUNCIL_PATH.match(path)
    if council:
        asked = council.group(1)
        try:
            council_by_slug(state.db, asked)
        except UnknownCouncil as exc:
            return ([(name, f"/councils/{slug(name)}") for name in exc.suggestions],
                    f"No council in the register is called “{asked}”")
        except AmbiguousCouncil as exc:
            return ([(c.name, f"/councils/{slug(c.name)}") for c in exc.candidates],
                    f"“{asked}” could be more than one council")
        return [], ""
    region = REGION_PATH.match(path)
    if region:
        asked = region.group(1)
        names = sorted({c.region for c in state.db.councils() if c.region})
        near = difflib.get_close_matches(asked.replace("-", " ").lower(), [n.lower() for n in names], n=3, cutoff=0.5)
        return [(n, f"/regions/{slug(n)}") for n in names if n.lower() in near], f"No region is called “{asked}”"
    return [], ""


def _html(request: Request, status: int, **details: Any) -> HTMLResponse:
    query = dict(request.query_params)
    return HTMLResponse(problem_page(request.app.state, request.url.path, status, query=query, **details),
                        status_code=status)


async def http_error(request: Request, exc: StarletteHTTPException) -> Response:
    """FastAPI's JSON for the API; for a page, the page (404 with suggestions)."""
    if not is_page(request.url.path):
        return await http_exception_handler(request, exc)
    detail = exc.detail
    if isinstance(detail, dict) and "message" in detail:
        return _html(request, exc.status_code, message=detail["message"], choices=detail.get("choices", []))
    if isinstance(detail, list):
        return _html(request, exc.status_code, problems=[_problem(p) for p in detail if isinstance(p, dict)])
    words = "" if detail in ("Not Found", "Method Not Allowed") else str(detail)
    return _html(request, exc.status_code, message=words)


async def invalid_parameters(request: Request, exc: RequestValidationError) -> Response:
    """FastAPI's 422 (with lacs's message) for the API; for a page, each parameter in words."""
    response = await bad_parameters(request, exc)
    if not is_page(request.url.path):
        return response
    import json

    problems = json.loads(bytes(response.body))["detail"]
    return _html(request, 422, problems=[_problem(p) for p in problems])


async def asked_wrongly(request: Request, exc: QuestionError) -> Response:
    """A question a route asked wrongly and left to the app: 404 for a council that is not there
    (with its suggestions), 422 for anything else, with the message."""
    status = 404 if isinstance(exc, (UnknownCouncil, AmbiguousCouncil)) else 422
    if not is_page(request.url.path):
        return JSONResponse({"detail": said(exc)}, status_code=status)
    if status == 404:
        return _html(request, 404, message=said(exc))
    said_of = Problem(query_name(exc.parameter), str(exc.value), said(exc), _accepted(exc.accepted))
    return _html(request, 422, problems=[said_of])


async def no_tracebacks(request: Request, exc: Exception) -> Response:
    log.exception("error serving %s", request.url.path)
    if is_page(request.url.path):
        try:
            return _html(request, 500)
        except Exception:  # the error page itself failed: a line of text, still no traceback
            log.exception("error drawing the error page for %s", request.url.path)
            return HTMLResponse(FALLBACK_500, status_code=500)
    return JSONResponse({"error": "internal error; the server's log has the details"}, status_code=500)


FALLBACK_500 = ("<!doctype html><html lang=en><title>Sorry, there is a problem with the service</title>"
                "<h1>Sorry, there is a problem with the service</h1><p>The server's log has the details.</p></html>")


def _problem(entry: dict[str, Any]) -> Problem:
    """A Problem from one entry of a 422's JSON detail (FastAPI's shape, as web/api.py makes it)."""
    where = entry.get("loc") or []
    name = str(where[-1]) if len(where) > 1 else ""
    accepted = (entry.get("ctx") or {}).get("accepted")
    given = entry.get("input")
    return Problem(name, "" if given is None else str(given), str(entry.get("msg", "")), _accepted(accepted))


def _accepted(accepted: object) -> str | None:
    if accepted is None or isinstance(accepted, str):
        return accepted
    if isinstance(accepted, (list, tuple)):
        return ", ".join(str(a) for a in accepted)
    return str(accepted)
