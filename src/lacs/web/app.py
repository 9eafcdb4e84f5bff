"""`lacs serve`: the web dashboard and the HTTP API, one FastAPI app over the read API.

    app = create_app()                 # the same database lacs.open() picks
    lacs.web.serving.serve(app, host="127.0.0.1", port=8000)   # uvicorn, with timeouts and limits

Pages are rendered on the server with Jinja2 (templates/), charts are SVG drawn by lacs, and
no page needs JavaScript. Safe on a public server: the database is opened read-only, every
response carries a Content-Security-Policy that allows nothing remote and no inline script,
an ETag and Cache-Control (the data changes only on a build), and errors never show a
traceback. Errors of a page (any path not under /api/) are pages for people, the API's are
JSON (web/failures.py). In front of FastAPI's own stack (`Front`), every GET:

- has a URL of at most 2,048 characters (else 414);
- is reduced to its route's known parameters, the last value of each, in canonical (sorted)
  order: a parameter no route reads is dropped, so `?u=1` and `?u=2` are one response; on a
  page, a parameter given empty (a form's field left blank) is not given, so `/?as_at=` is `/`
  (the API answers an empty value with 422, as any other it cannot read);
- has its dates inside the span the record can answer (web/served.py), else 422 before any work;
- is answered from a cache keyed on that canonical URL, least recently used out first, capped
  at CACHE_BYTES in all (no one response over CACHE_BYTES // 8 is kept);
- is sent gzipped to a client whose Accept-Encoding asks for it, for a text body (HTML, JSON,
  CSS, CSV, SVG, XML) of COMPRESS_MIN bytes or more, with `Vary: Accept-Encoding`; a kept answer
  is compressed once, the first time a client asks, and keeps both forms (both counted in its
  size); the gzip form has its own ETag, the plain one's with `-gz`;
- gets 304 for an If-None-Match that names the ETag of the form it would get, or is `*`;
- with a trailing slash, is redirected to the URL without it by a relative Location: nothing the
  client sent in its Host header is ever written into a response.

A database rebuilt under the running server is noticed (web/served.py) and served; the cache
is emptied then.
"""

from __future__ import annotations

import hashlib
import json
import logging
import re
import zlib
from collections import OrderedDict
from datetime import date
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, quote, urlencode

from fastapi import FastAPI
from fastapi.exceptions import RequestValidationError
from fastapi.routing import APIRoute
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from lacs import __version__
from lacs.errors import BadQuestion, QuestionError
from lacs.store.database import open_database
from lacs.web.api import router as api_router
from lacs.web.failures import (
    FALLBACK_500,
    TITLES,
    Problem,
    asked_wrongly,
    http_error,
    invalid_parameters,
    is_page,
    no_tracebacks,
    problem_page,
)
from lacs.web.lists import router as lists_router
from lacs.web.pages import router as pages_router
from lacs.web.served import Served
from lacs.web.topics import router as topics_router

CSP = ("default-src 'none'; style-src 'self'; img-src 'self' data:; font-src 'self'; "
       "form-action 'self'; base-uri 'none'; frame-ancestors 'none'")
MAX_URL = 2048
CACHE_BYTES = 32 * 1024 * 1024  # every kept response's body, headers and key, in all
ENTRY_OVERHEAD = 256  # bytes counted for each kept response besides its body, headers and key
ISO_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")
log = logging.getLogger("lacs.web.app")
Header = tuple[bytes, bytes]
COMPRESS_MIN = 1024  # bytes: a smaller body is sent as it is
GZIP_LEVEL = 6
COMPRESSIBLE = frozenset({b"text/html", b"text/css", b"text/csv", b"text/plain", b"text/xml", b"application/json",
                          b"application/xml", b"application/atom+xml", b"image/svg+xml"})


class LacsApp(FastAPI):
    """FastAPI with `Front` outside its whole middleware stack: a kept response costs no more
    than the lookup."""

    def build_middleware_stack(self) -> ASGIApp:
        return Front(super().build_middleware_stack(), self)


def create_app(db_path: Path | str | None = None) -> FastAPI:
    db = open_database(db_path)
    app = LacsApp(title="lacs", version=__version__, docs_url=None, redoc_url=None,
                  openapi_url="/api/openapi.json", redirect_slashes=False,
                  description="Ofsted's judgements of English councils' children's services, "
                              "from Ofsted's own reports.")
    served = Served.open(db)
    app.state.served, app.state.db = served, served.db
    app.include_router(api_router)
    app.include_router(pages_router)
    app.include_router(topics_router)
    app.include_router(lists_router)
    app.add_exception_handler(StarletteHTTPException, http_error)  # type: ignore[arg-type]
    app.add_exception_handler(RequestValidationError, invalid_parameters)  # type: ignore[arg-type]
    app.add_exception_handler(QuestionError, asked_wrongly)  # type: ignore[arg-type]
    app.add_exception_handler(Exception, no_tracebacks)
    return app


class Route:
    """A route's path and the query parameters it reads (by the URL's names), its dates apart."""

    def __init__(self, route: APIRoute) -> None:
        self.regex = route.path_regex
        self.static = None if route.param_convertors else route.path
        params = route.dependant.query_params
        self.known = frozenset(p.alias for p in params)
        self.dates = frozenset(p.alias for p in params if "datetime.date" in str(p.field_info.annotation))


class Front:
    """The ASGI layer in front of the app: limits, canonical URLs, the cache, conditional GETs,
    compression, and the database rebuilt under the server (see the module's docstring)."""

    def __init__(self, inner: ASGIApp, app: FastAPI) -> None:
        self.inner = inner
        self.app = app
        every = [*api_router.routes, *pages_router.routes, *lists_router.routes, *topics_router.routes]
        routes = [Route(r) for r in every if isinstance(r, APIRoute)]
        self.static: dict[str, Route | None] = {r.static: r for r in routes if r.static}
        self.static.setdefault(app.openapi_url or "/api/openapi.json", None)
        self.patterned = [r for r in routes if not r.static]
        self.kept: OrderedDict[str, Kept] = OrderedDict()
        self.kept_bytes = 0
        self.generation = 0
        self.today = date.today()

    def route(self, path: str) -> tuple[bool, Route | None]:
        """(whether a route answers `path`, the route if it reads parameters)."""
        if path in self.static:
            return True, self.static[path]
        found = next((r for r in self.patterned if r.regex.match(path)), None)
        return found is not None, found

    def served(self) -> Served:
        """The record to answer from; the cache emptied when it is a new one, or a new day (a page
        without ?as_at= is of today)."""
        current: Served = self.app.state.served
        fresh = current.fresh()
        if fresh is not current or date.today() != self.today:
            self.app.state.served, self.app.state.db = fresh, fresh.db
            self.kept.clear()
            self.kept_bytes = 0
            self.generation += 1
            self.today = date.today()
        return fresh

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.inner(scope, receive, send)
            return
        served = self.served()
        path, query = scope["path"], scope.get("query_string", b"")
        if len(path) + (len(query) + 1 if query else 0) > MAX_URL:
            await self.too_long(send, path)
            return
        if scope["method"] not in ("GET", "HEAD"):
            await self.inner(scope, receive, send)
            return
        matched, route = self.route(path)
        given = dict(parse_qsl(query.decode("latin-1"), keep_blank_values=True)) if query else {}
        page = is_page(path)
        known = _known(given, route, page)
        canonical = urlencode(sorted(known.items()))
        if not matched and path != "/" and path.endswith("/"):
            # Relative, and only to a route's own path: never the client's Host, never //elsewhere.
            target = "/" + path.strip("/")
            there, its = self.route(target)
            if there:
                ask = urlencode(sorted(_known(given, its, page).items()))
                location = quote(target, safe="/-._~!$&'()*+,;=:@") + ("?" + ask if ask else "")
                await _plain(send, 308, b"", [(b"location", location.encode("ascii"))])
                return
        key = path + ("?" + canonical if canonical else "")
        answer = self.kept.get(key)
        if answer is not None:
            self.kept.move_to_end(key)
        else:
            refused = _outside(served, route, known)
            if refused is not None:
                answer = _finish(served, 422, *self.refusal(path, refused, known))
            else:
                generation = self.generation
                status, headers, body = await _collect(self.inner, {**scope, "method": "GET",
                                                                    "query_string": canonical.encode("ascii")}, receive)
                answer = _finish(served, status, headers, body)
                if status == 200 and generation == self.generation:
                    self.keep(key, answer)
        asked = dict(scope["headers"])
        form = answer.plain
        if answer.compressible and _accepts_gzip(asked.get(b"accept-encoding")):
            form = self.gzipped(key, answer)
        if answer.status == 200 and _matches(asked.get(b"if-none-match"), form.tag):
            await _send(send, 304, [h for h in form.headers if h[0] != b"content-length"], b"", scope)
            return
        await _send(send, answer.status, form.headers, form.body, scope)

    def gzipped(self, key: str, answer: Kept) -> Form:
        """The answer's gzip form, compressed once and kept with it (the cache's bytes counted)."""
        if answer.gzip is None:
            answer.gzip = _gzip_form(answer.plain)
            if self.kept.get(key) is answer:
                self.kept_bytes += _form_size(answer.gzip)
                self.trim()
        return answer.gzip

    def keep(self, key: str, answer: Kept) -> None:
        size = _size(key, answer)
        if size > CACHE_BYTES // 8:
            return
        self.kept[key] = answer
        self.kept_bytes += size
        self.trim()

    def trim(self) -> None:
        """The least recently used answers out until the cache is within CACHE_BYTES."""
        while self.kept_bytes > CACHE_BYTES and self.kept:
            old_key, old = self.kept.popitem(last=False)
            self.kept_bytes -= _size(old_key, old)

    def refusal(self, path: str, problem: dict[str, Any], known: dict[str, str]) -> tuple[list[Header], bytes]:
        """A date outside the record's span: JSON for the API, the error page for a page."""
        if not is_page(path):
            return [(b"content-type", b"application/json")], json.dumps({"detail": [problem]}).encode()
        said = Problem(problem["loc"][1], problem["input"], problem["msg"], problem["ctx"]["accepted"])
        html = problem_page(self.app.state, path, 422, [said], query=known)
        return [(b"content-type", b"text/html; charset=utf-8")], html.encode()

    async def too_long(self, send: Send, path: str) -> None:
        if not is_page(path):
            await _plain(send, 414, b'{"error": "URL too long"}')
            return
        body = (f"<!doctype html><html lang=en><title>{TITLES[414]}</title><h1>{TITLES[414]}</h1>"
                f"<p>An address may be up to {MAX_URL:,} characters long.</p></html>").encode()
        await _plain(send, 414, body, content_type=b"text/html; charset=utf-8")


def _known(given: dict[str, str], route: Route | None, page: bool) -> dict[str, str]:
    """The parameters the route reads; on a page, an empty one (a form's field left blank) is not given."""
    if route is None:
        return {}
    return {name: value for name, value in given.items() if name in route.known and (value or not page)}


class Form:
    """One encoding of an answer: its headers (ETag and Content-Length included), body and tag."""

    __slots__ = ("headers", "body", "tag")

    def __init__(self, headers: list[Header], body: bytes, tag: bytes) -> None:
        self.headers, self.body, self.tag = headers, body, tag


class Kept:
    """An answer: its status, its form as made, and (for a text body of COMPRESS_MIN bytes or more)
    whether it may be sent gzipped, and its gzip form once one was asked for."""

    __slots__ = ("status", "plain", "compressible", "gzip")

    def __init__(self, status: int, plain: Form, compressible: bool) -> None:
        self.status, self.plain, self.compressible = status, plain, compressible
        self.gzip: Form | None = None


def _form_size(form: Form) -> int:
    return len(form.body) + sum(len(k) + len(v) for k, v in form.headers)


def _size(key: str, answer: Kept) -> int:
    return len(key) + _form_size(answer.plain) + (_form_size(answer.gzip) if answer.gzip else 0) + ENTRY_OVERHEAD


def _outside(served: Served, route: Route | None, known: dict[str, str]) -> dict[str, Any] | None:
    """The 422's problem for a date outside the span the record can answer, or None. Dates not
    given as YYYY-MM-DD are left to the route, which says so."""
    for name in sorted(route.dates & known.keys()) if route else ():
        text = known[name]
        if not ISO_DAY.fullmatch(text):
            continue
        try:
            day = date.fromisoformat(text)
        except ValueError:
            continue
        if not served.first <= day <= served.last:
            accepted = f"a day from {served.first} to {served.last}"
            error = BadQuestion(name, day, accepted, "{parameter} {value} is outside the days the record can "
                                f"answer for: {served.first} (its first) to {served.last} (today, or its "
                                "last day, and five years)")
            # Named as this URL spells it (the page /changes says start, the API from).
            return {"loc": ["query", name], "msg": error.spoken(lambda given: given), "type": "value_error",
                    "input": text, "ctx": {"accepted": accepted}}
    return None


def _finish(served: Served, status: int, headers: list[Header], body: bytes) -> Kept:
    tag = f'"{hashlib.sha256(served.etag_seed.encode() + body).hexdigest()[:20]}"'.encode()
    headers = [h for h in headers if h[0].lower() not in (b"content-length", b"etag", b"cache-control")]
    media = next((v for k, v in headers if k.lower() == b"content-type"), b"")
    compressible = len(body) >= COMPRESS_MIN and media.split(b";")[0].strip().lower() in COMPRESSIBLE
    headers += [(b"cache-control", b"public, max-age=300"), (b"content-security-policy", CSP.encode()),
                (b"x-content-type-options", b"nosniff"), (b"referrer-policy", b"same-origin")]
    if compressible:
        headers.append((b"vary", b"Accept-Encoding"))
    plain = Form([*headers, (b"etag", tag), (b"content-length", str(len(body)).encode())], body, tag)
    return Kept(status, plain, compressible)


def _gzip_form(plain: Form) -> Form:
    """The gzip form of an answer: the same headers, its own ETag (the plain one's with -gz)."""
    body = zlib.compress(plain.body, GZIP_LEVEL, wbits=31)  # wbits 31: a gzip member, its time field 0
    tag = plain.tag[:-1] + b'-gz"'
    headers = [h for h in plain.headers if h[0] not in (b"etag", b"content-length")]
    return Form([*headers, (b"content-encoding", b"gzip"), (b"etag", tag),
                 (b"content-length", str(len(body)).encode())], body, tag)


def _accepts_gzip(asked: bytes | None) -> bool:
    """Accept-Encoding names gzip (or *) with a quality above 0."""
    if not asked:
        return False
    for part in asked.lower().split(b","):
        name, _, params = part.partition(b";")
        if name.strip() in (b"gzip", b"*"):
            quality = params.strip().removeprefix(b"q=")
            try:
                return not quality or float(quality) > 0
            except ValueError:
                return False
    return False


def _matches(asked: bytes | None, etag: bytes) -> bool:
    """If-None-Match: `*`, or a list of tags (weak or strong: GET compares them weakly)."""
    if not asked:
        return False
    tags = [t.strip().removeprefix(b"W/") for t in asked.split(b",")]
    return b"*" in tags or etag in tags


async def _collect(app: ASGIApp, scope: Scope, receive: Receive) -> tuple[int, list[Header], bytes]:
    parts: dict[str, Any] = {"status": 500, "headers": [], "body": b""}

    async def keep(message: Message) -> None:
        if message["type"] == "http.response.start":
            parts["status"], parts["headers"] = message["status"], list(message.get("headers", []))
        elif message["type"] == "http.response.body":
            parts["body"] += message.get("body", b"")

    try:
        await app(scope, receive, keep)
    except Exception:  # FastAPI's own stack has logged it and answered 500 (no_tracebacks), then raised it again
        if not parts["body"]:
            log.exception("error serving %s", scope["path"])
            if is_page(scope["path"]):
                parts = {"status": 500, "headers": [(b"content-type", b"text/html; charset=utf-8")],
                         "body": FALLBACK_500.encode()}
            else:
                parts = {"status": 500, "headers": [(b"content-type", b"application/json")],
                         "body": b'{"error": "internal error; the server\'s log has the details"}'}
    return parts["status"], parts["headers"], parts["body"]


async def _send(send: Send, status: int, headers: list[Header], body: bytes, scope: Scope) -> None:
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": b"" if scope["method"] == "HEAD" or status == 304 else body})


async def _plain(send: Send, status: int, body: bytes, extra: list[Header] | None = None,
                 content_type: bytes = b"application/json") -> None:
    await send({"type": "http.response.start", "status": status,
                "headers": [(b"content-type", content_type), (b"content-length", str(len(body)).encode()),
                            *(extra or [])]})
    await send({"type": "http.response.body", "body": body})
