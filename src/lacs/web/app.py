"""`lacs serve`: the web dashboard and the HTTP API, one FastAPI app over the read API.

    app = create_app()                 # the same database lacs.open() picks
    uvicorn.run(app, host="127.0.0.1", port=8000)

Pages are rendered on the server with Jinja2 (templates/), charts are SVG drawn by lacs, and
no page needs JavaScript. Safe on a public server: the database is opened read-only, every
response carries a Content-Security-Policy that allows nothing remote and no inline script,
an ETag and Cache-Control (the data changes only on a build), and errors never show a
traceback. GET responses are kept in memory by URL, since the data cannot change under a
running server.
"""

from __future__ import annotations

import hashlib
import logging
from collections import OrderedDict
from pathlib import Path
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from lacs import __version__
from lacs.store.database import open_database
from lacs.web.api import bad_parameters
from lacs.web.api import router as api_router
from lacs.web.pages import router as pages_router

CSP = ("default-src 'none'; style-src 'self'; img-src 'self' data:; font-src 'self'; "
       "form-action 'self'; base-uri 'none'; frame-ancestors 'none'")
MAX_URL = 2048
CACHE_ENTRIES = 4096
log = logging.getLogger("lacs.web.app")


def create_app(db_path: Path | str | None = None) -> FastAPI:
    db = open_database(db_path)
    app = FastAPI(title="lacs", version=__version__, docs_url=None, redoc_url=None,
                  openapi_url="/api/openapi.json",
                  description="Ofsted's judgements of English councils' children's services, "
                              "from Ofsted's own reports.")
    app.state.db = db
    app.state.etag_seed = _data_version(db.path)
    app.include_router(api_router)
    app.include_router(pages_router)
    app.add_exception_handler(RequestValidationError, bad_parameters)  # type: ignore[arg-type]

    @app.exception_handler(Exception)
    async def no_tracebacks(request: Request, exc: Exception) -> JSONResponse:
        log.exception("error serving %s", request.url.path)
        return JSONResponse({"error": "internal error; the server's log has the details"}, status_code=500)

    app.add_middleware(CachingHeaders)
    return app


def _data_version(path: Path) -> str:
    stat = path.stat()
    return hashlib.sha256(f"{path}:{stat.st_size}:{stat.st_mtime_ns}:{__version__}".encode()).hexdigest()[:16]


class CachingHeaders:
    """ETag, Cache-Control and security headers on every response; 304 for a matching
    If-None-Match; whole GET responses kept by URL (the data never changes while serving);
    over-long URLs refused with 414."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app
        self.kept: OrderedDict[str, tuple[int, list[tuple[bytes, bytes]], bytes]] = OrderedDict()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        query = scope.get("query_string", b"")
        key = scope["path"] + ("?" + query.decode("latin-1") if query else "")
        if len(key) > MAX_URL:
            await _plain(send, 414, b'{"error": "URL too long"}')
            return
        if scope["method"] not in ("GET", "HEAD"):
            await self.app(scope, receive, send)
            return
        if key not in self.kept:
            status, headers, body = await _collect(self.app, scope, receive)
            if status >= 500:
                await _send(send, status, headers, body, scope)
                return
            tag = hashlib.sha256(scope["app"].state.etag_seed.encode() + body).hexdigest()[:20]
            headers = [h for h in headers if h[0].lower() not in (b"content-length", b"etag", b"cache-control")]
            headers += [(b"etag", f'"{tag}"'.encode()), (b"cache-control", b"public, max-age=300"),
                        (b"content-security-policy", CSP.encode()), (b"x-content-type-options", b"nosniff"),
                        (b"referrer-policy", b"same-origin"), (b"content-length", str(len(body)).encode())]
            if status == 200:
                self.kept[key] = (status, headers, body)
                if len(self.kept) > CACHE_ENTRIES:
                    self.kept.popitem(last=False)
        else:
            status, headers, body = self.kept[key]
        etag = next(v for k, v in headers if k == b"etag")
        asked = dict(scope["headers"]).get(b"if-none-match")
        if asked and etag in [t.strip() for t in asked.split(b",")]:
            await _send(send, 304, [h for h in headers if h[0] != b"content-length"], b"", scope)
            return
        await _send(send, status, headers, body, scope)


async def _collect(app: ASGIApp, scope: Scope, receive: Receive) -> tuple[int, list[tuple[bytes, bytes]], bytes]:
    parts: dict[str, Any] = {"status": 500, "headers": [], "body": b""}

    async def keep(message: Message) -> None:
        if message["type"] == "http.response.start":
            parts["status"], parts["headers"] = message["status"], list(message.get("headers", []))
        elif message["type"] == "http.response.body":
            parts["body"] += message.get("body", b"")

    await app({**scope, "method": "GET"}, receive, keep)
    return parts["status"], parts["headers"], parts["body"]


async def _send(send: Send, status: int, headers: list[tuple[bytes, bytes]], body: bytes, scope: Scope) -> None:
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": b"" if scope["method"] == "HEAD" or status == 304 else body})


async def _plain(send: Send, status: int, body: bytes) -> None:
    await send({"type": "http.response.start", "status": status,
                "headers": [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())]})
    await send({"type": "http.response.body", "body": body})
