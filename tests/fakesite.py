"""A fake Ofsted site on 127.0.0.1 for the tests of `lacs update`, able to misbehave on demand.

    with FakeSite(small_site()) as site:        # or FakeSite(corpus_site(corpus, limit=10))
        site.url                                  # "http://127.0.0.1:<port>"
        site.add(80521, FakePublication(...))     # a new report appears
        site.misbehave("/v1/file/", "reset")      # the next file download is cut off
        site.requests, site.headers               # every path asked for (with its query) and its headers, in order

Pages, in Ofsted's layout (HTML-escaped, so `&amp;` in hrefs and `&#x27;` for apostrophes):
- `/search?...&start=0&rows=100`: the councils by name, `rows` (at most 100) from `start`, each an
  `<li class="search-result"><h3 class="search-result__title"><a href="/provider/44/<urn>">`; the count
  `<p class="search-results__count"><span>N</span> results</p>`; `<a class="pagination__next" href="/search?...">`
  while more follow. Other query parameters are kept in the links and otherwise ignored.
- `/provider/44/<urn>`: `<h1 class="heading--title">`, publications newest first, each `<a class="publication-link"
  href="http://127.0.0.1:<port>/v1/file/<id>">Kind <span class="nonvisual">kind, pdf - 09 May 2025</span></a>`.
- `/v1/file/<id>`: `application/pdf`, Content-Length, ETag, Last-Modified (midnight GMT of the publication date);
  304 on a matching If-None-Match, or without one on an If-Modified-Since not before Last-Modified.
  Pages have an ETag and honour If-None-Match. Anything else: 404.

`misbehave(path_contains, fault, times=1, **options)`: the next `times` requests whose path contains `path_contains`
get the fault (the first registered that matches). Faults:
  "slow"    wait options["seconds"] (default 3), then answer (a site that exits meanwhile hangs up at once);
  "status"  options["status"] (default 503), an HTML body, Retry-After: options["retry_after"] if given;
  "reset"   the full Content-Length, half the body, then a TCP reset: ConnectionResetError in the client;
  "short"   the full Content-Length, half the body, then a clean close: IncompleteRead in the client;
  "html"    200 text/html "Sorry, there is a problem with the service" page;
  "layout"  200 text/html redesigned page: links to providers and files, but no search-result/publication-link.

Markups (`FakeSite(councils, markup=Markup(...))`, or set `site.markup` at any time), each a way the listing
could be written that a reader must survive:
  Markup(next_on="li")       'next' marked on the `<li>`: `<ul class="pagination"><li class="next"><a href>`
                             (as D2I's scraper's pagination helper expects), the `<a>` itself without a class;
  Markup(result_class=False) results as plain `<li><h3><a href="/provider/44/<urn>">`, no class on anything;
  Markup(per_page=10)        at most 10 results a page, whatever `rows` asks for;
  Markup(claim=200)          the count says 200 results, whatever is served.
A publication with `date_text` set shows that in place of its date ("date to follow"); `kind` is shown as given,
so an unknown kind is just another string.

`corpus_site(folder, limit)`: one council per `<urn>_<name>` folder of the report corpus, bytes unchanged (HTML error
pages too). `small_site()`: Manchester, Kent and Birmingham with tiny generated reports. `register_site()`: every
current council of lacs's register, each with one tiny focused visit letter.
"""

from __future__ import annotations

import hashlib
import html
import re
import socket
import struct
import sys
import threading
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from email.utils import format_datetime, parsedate_to_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qsl, urlencode, urlsplit

from pdfs import make_pdf

MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
          "November", "December"]
ERROR_PAGE = b"<html><body>Sorry, there is a problem with the service</body></html>"
FAULTS = {"slow", "status", "reset", "short", "html", "layout"}
SMALL_WORDS = {"and", "of", "upon", "on", "the", "with", "in"}


@dataclass
class FakePublication:
    kind: str  # "children's services inspection", "focused visit", "monitoring visit", ...
    published: date
    data: bytes
    file_id: str  # served at /v1/file/<file_id>
    date_text: str | None = None  # shown in place of the date, e.g. "date to follow"


@dataclass
class Markup:
    next_on: str = "a"  # "a": <a class="pagination__next">; "li": <li class="next"><a>
    result_class: bool = True  # False: no class on a result's elements
    per_page: int = 100  # the most results a page serves
    claim: int | None = None  # the count the page states, if not the true one


@dataclass
class FakeCouncil:
    urn: int
    name: str
    publications: list[FakePublication] = field(default_factory=list)


@dataclass
class _Fault:
    path_contains: str
    fault: str
    times: int
    options: dict[str, object]


Response = tuple[int, dict[str, str], bytes]


def long_date(d: date) -> str:
    return f"{d.day:02d} {MONTHS[d.month - 1]} {d.year}"


def file_id(data: bytes, urn: int, index: int) -> str:
    return f"{hashlib.sha256(data).hexdigest()[:16]}-{urn}-{index}"


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    block_on_close = False
    site: FakeSite

    def handle_error(self, request: object, client_address: object) -> None:
        if not isinstance(sys.exc_info()[1], OSError):  # a client hanging up is no error of the site
            super().handle_error(request, client_address)


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    # Headers and body go out as separate writes: with Nagle's algorithm on, each response on a
    # kept-alive connection waits for the client's delayed ACK (some 40 ms), which made the tests slow.
    disable_nagle_algorithm = True
    timeout = 10  # an idle kept-alive connection is dropped
    server: _Server

    def do_GET(self) -> None:
        self.server.site._answer(self)

    def log_message(self, format: str, *args: object) -> None:
        pass


class FakeSite:
    def __init__(self, councils: list[FakeCouncil], markup: Markup | None = None) -> None:
        self.councils = {c.urn: c for c in councils}
        self.markup = markup or Markup()
        self.requests: list[str] = []
        self.headers: list[dict[str, str]] = []
        self.url = ""
        self._faults: list[_Fault] = []
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._server: _Server | None = None
        self._thread: threading.Thread | None = None

    def __enter__(self) -> FakeSite:
        self._server = _Server(("127.0.0.1", 0), _Handler)
        self._server.site = self
        self.url = f"http://127.0.0.1:{self._server.server_address[1]}"
        self._thread = threading.Thread(target=self._server.serve_forever, kwargs={"poll_interval": 0.05},
                                        daemon=True, name="fake-ofsted")
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()  # wakes slow answers
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
        if self._thread is not None:
            self._thread.join()

    def add(self, urn: int, publication: FakePublication) -> None:
        with self._lock:
            self.councils[urn].publications.append(publication)

    def misbehave(self, path_contains: str, fault: str, times: int = 1, **options: object) -> None:
        if fault not in FAULTS:
            raise ValueError(f"unknown fault {fault!r}: one of {sorted(FAULTS)}")
        with self._lock:
            self._faults.append(_Fault(path_contains, fault, times, options))

    # -- answering --

    def _take_fault(self, path: str) -> _Fault | None:
        with self._lock:
            for fault in self._faults:
                if fault.times > 0 and fault.path_contains in path:
                    fault.times -= 1
                    return fault
        return None

    def _answer(self, h: _Handler) -> None:
        with self._lock:
            self.requests.append(h.path)
            self.headers.append(dict(h.headers.items()))
        fault = self._take_fault(h.path)
        kind = fault.fault if fault else None
        options = fault.options if fault else {}
        if kind == "slow":
            if self._stop.wait(float(options.get("seconds", 3))):  # type: ignore[arg-type]
                h.close_connection = True
                return
            kind = None
        if kind == "status":
            status = int(options.get("status", 503))  # type: ignore[call-overload]
            extra = {"Retry-After": str(options["retry_after"])} if "retry_after" in options else {}
            body = f"<html><body><h1>Error {status}</h1></body></html>".encode()
            return self._send(h, (status, {"Content-Type": "text/html; charset=utf-8", **extra}, body))
        if kind == "html":
            return self._send(h, (200, {"Content-Type": "text/html; charset=utf-8"}, ERROR_PAGE))
        if kind == "layout":
            return self._send(h, (200, {"Content-Type": "text/html; charset=utf-8"}, self._redesign(h.path)))
        if kind in ("reset", "short"):  # the full Content-Length, half the body
            self._send(h, self._route(h.path, {}), cut=True)  # unconditional: there must be a body to cut
            h.close_connection = True
            if kind == "reset":
                h.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
                h.connection.close()  # really closed once the handler lets go of it: a RST
            return
        self._send(h, self._route(h.path, dict(h.headers.items())))

    def _send(self, h: _Handler, response: Response, cut: bool = False) -> None:
        status, headers, body = response
        h.send_response(status)
        for name, value in headers.items():
            h.send_header(name, value)
        if status != 304:
            h.send_header("Content-Length", str(len(body)))
        h.end_headers()
        if status != 304:
            h.wfile.write(body[: len(body) // 2] if cut else body)

    def _route(self, path: str, request: dict[str, str]) -> Response:
        parts = urlsplit(path)
        inm = {tag.strip() for tag in request.get("If-None-Match", "").split(",") if tag.strip()}
        with self._lock:
            if parts.path == "/search":
                body = self._listing(parts.query)
            elif m := re.fullmatch(r"/provider/44/(\d+)", parts.path):
                if int(m[1]) not in self.councils:
                    return _not_found()
                body = self._provider(self.councils[int(m[1])])
            elif m := re.fullmatch(r"/v1/file/([^/]+)", parts.path):
                found = [p for c in self.councils.values() for p in c.publications if p.file_id == m[1]]
                return _file(found[0], inm, request.get("If-Modified-Since")) if found else _not_found()
            else:
                return _not_found()
        etag = f'"{hashlib.sha256(body).hexdigest()[:20]}"'
        headers = {"Content-Type": "text/html; charset=utf-8", "ETag": etag, "Cache-Control": "no-cache"}
        return (304 if etag in inm or "*" in inm else 200), headers, body

    def _listing(self, query: str) -> bytes:
        params = parse_qsl(query, keep_blank_values=True)
        values = dict(params)
        markup = self.markup
        start = max(0, _int(values.get("start"), 0))
        rows = min(100, markup.per_page, max(1, _int(values.get("rows"), 100)))
        councils = sorted(self.councils.values(), key=lambda c: c.name)
        li, h3 = ('<li class="search-result">', '<h3 class="search-result__title">') if markup.result_class else (
            "<li>", "<h3>")
        urn_p = '<p class="search-result__urn">' if markup.result_class else "<p>"
        items = "".join(
            f'{li}{h3}<a href="/provider/44/{c.urn}">'
            f'{html.escape(c.name)}</a></h3><address>Local authority children\'s services</address>'
            f'{urn_p}URN: {c.urn}</p></li>\n' for c in councils[start:start + rows])
        links = ""
        more = start + rows < len(councils)
        if markup.next_on == "li":
            if start > 0:
                links += f'<li class="previous"><a href="{_page(params, max(0, start - rows), rows)}">Previous</a></li>'
            if more:
                links += f'<li class="next"><a href="{_page(params, start + rows, rows)}">Next</a></li>'
            nav = f'<ul class="pagination">{links}</ul>'
        else:
            if start > 0:
                links += f'<a class="pagination__prev" href="{_page(params, max(0, start - rows), rows)}">Previous</a>'
            if more:
                links += f'<a class="pagination__next" href="{_page(params, start + rows, rows)}">Next</a>'
            nav = f'<nav class="pagination">{links}</nav>'
        count = markup.claim if markup.claim is not None else len(councils)
        return _html("Search results",
                     f'<p class="search-results__count"><span>{count}</span> results</p>'
                     f'\n<ul class="results-list">\n{items}</ul>\n{nav}')

    def _provider(self, council: FakeCouncil) -> bytes:
        items = "".join(
            f'<li><a class="publication-link" href="{self.url}/v1/file/{html.escape(p.file_id)}">'
            f'{html.escape(p.kind[:1].upper() + p.kind[1:])} <span class="nonvisual">{html.escape(p.kind)}, pdf - '
            f'{p.date_text or long_date(p.published)}</span></a> <time>{p.date_text or long_date(p.published)}</time>'
            '</li>\n'
            for p in sorted(council.publications, key=lambda p: p.published, reverse=True))
        return _html(council.name,
                     f'<h1 class="heading--title">{html.escape(council.name)}</h1>\n'
                     f'<p>URN: {council.urn}</p>\n<h2>Reports</h2>\n<ul class="publications">\n{items}</ul>')

    def _redesign(self, path: str) -> bytes:
        with self._lock:
            links = "".join(f'<div class="card"><a class="card__link" href="/provider/44/{c.urn}">'
                            f'{html.escape(c.name)}</a></div>\n' for c in self.councils.values())
            files = "".join(f'<div class="doc"><a class="doc__download" href="{self.url}/v1/file/{p.file_id}">'
                            f'{html.escape(p.kind)}</a></div>\n'
                            for c in self.councils.values() for p in c.publications)
        return _html("Find an inspection report", f'<main class="govuk-main-wrapper"><h1 class="govuk-heading-xl">'
                                                  f'Find an inspection report</h1>\n{links}{files}</main>')


def _int(text: str | None, default: int) -> int:
    return int(text) if text and text.isdigit() else default


def _page(params: list[tuple[str, str]], start: int, rows: int) -> str:
    kept = [(k, v) for k, v in params if k not in ("start", "rows")]
    return html.escape("/search?" + urlencode(kept + [("start", str(start)), ("rows", str(rows))]))


def _html(title: str, main: str) -> bytes:
    return (f'<!DOCTYPE html>\n<html lang="en"><head><title>{html.escape(title)} - Ofsted</title></head>\n'
            f'<body><header class="site-header"><a href="/">Ofsted</a></header>\n<main>\n{main}\n</main>'
            f'</body></html>\n').encode()


def _not_found() -> Response:
    return 404, {"Content-Type": "text/html; charset=utf-8"}, b"<html><body>Page not found</body></html>"


def _file(p: FakePublication, inm: set[str], since: str | None) -> Response:
    modified = datetime(p.published.year, p.published.month, p.published.day, tzinfo=UTC)
    etag = f'"{hashlib.sha256(p.data).hexdigest()[:20]}"'
    headers = {"Content-Type": "application/pdf", "ETag": etag, "Last-Modified": format_datetime(modified, usegmt=True)}
    if inm:
        return (304 if etag in inm or "*" in inm else 200), headers, p.data
    if since:
        try:
            if parsedate_to_datetime(since) >= modified:
                return 304, headers, b""
        except (TypeError, ValueError):
            pass
    return 200, headers, p.data


# -- councils to serve --

def title_case(name: str) -> str:
    """`kingston upon hull` -> `Kingston upon Hull`, `stoke-on-trent` -> `Stoke-on-Trent`."""
    words = re.split(r"([a-z]+)", name)
    return "".join(w if not w.isalpha() or (w in SMALL_WORDS and i > 1) else w.capitalize()
                   for i, w in enumerate(words))


def corpus_site(folder: Path, limit: int | None = None) -> list[FakeCouncil]:
    """One council per `<urn>_<name>` folder (sorted, the first `limit`), each file a children's services inspection."""
    councils = []
    for sub in sorted(p for p in folder.iterdir() if p.is_dir() and re.fullmatch(r"\d+_.+", p.name))[:limit]:
        urn, name = sub.name.split("_", 1)
        council = FakeCouncil(int(urn), title_case(name))
        for i, path in enumerate(sorted(sub.glob("*.pdf"))):
            published = datetime.strptime(path.stem.rsplit(" - ", 1)[1], "%d %B %Y").date()
            data = path.read_bytes()
            council.publications.append(
                FakePublication("children's services inspection", published, data, file_id(data, int(urn), i)))
        councils.append(council)
    return councils


def _ilacs(name: str, dates: str, grades: tuple[str, str, str, str]) -> bytes:
    return make_pdf([
        f"Inspection of {name} local authority\nchildren's services\nInspection dates: {dates}\n"
        "Lead inspector: Ann Example, His Majesty's Inspector\nJudgement Grade\nThe impact of leaders on social work\n"
        f"practice with children and families\n{grades[0]}\nThe experiences and progress of\n"
        f"children who need help and protection\n{grades[1]}\nThe experiences and progress of\n"
        f"children in care and care leavers\n{grades[2]}\nOverall effectiveness {grades[3]}\n"
        "Leaders have made progress.\n"])


def small_site() -> list[FakeCouncil]:
    """Manchester, Kent and Birmingham, each with a tiny ILACS report; Manchester also with a focused visit letter."""
    csi = "children's services inspection"
    made = [
        (80521, "Manchester", csi, date(2022, 5, 19), _ilacs("Manchester", "21 March to 1 April 2022", (
            "Good", "Requires improvement to be good", "Good", "Good"))),
        (80521, "Manchester", "focused visit", date(2023, 3, 2), make_pdf([
            "Focused visit to Manchester children's services\nDate of visit: 31 January 2023\n"
            "Dear Director of Children's Services\nThis letter summarises the findings of the focused visit."])),
        (80476, "Kent", csi, date(2022, 8, 12), _ilacs("Kent", "20 June to 1 July 2022", (
            "Outstanding", "Good", "Outstanding", "Outstanding"))),
        (80429, "Birmingham", csi, date(2022, 11, 4), _ilacs("Birmingham", "12 to 23 September 2022", (
            "Requires improvement to be good", "Requires improvement to be good", "Good",
            "Requires improvement to be good"))),
    ]
    councils: dict[int, FakeCouncil] = {}
    for urn, name, kind, published, data in made:
        council = councils.setdefault(urn, FakeCouncil(urn, name))
        council.publications.append(FakePublication(kind, published, data, file_id(data, urn,
                                                                                      len(council.publications))))
    return list(councils.values())


def register_site() -> list[FakeCouncil]:
    """Every current council of lacs's register, each with one tiny focused visit letter."""
    from lacs.domain.councils import load_councils

    letter = make_pdf(["Focused visit to the council's children's services\nDate of visit: 31 January 2023\n"
                       "Dear Director of Children's Services\nThis letter summarises the findings."])
    return [FakeCouncil(c.urn, c.name, [FakePublication("focused visit", date(2023, 3, 2), letter,
                                                        file_id(letter, c.urn, 0))])
            for c in load_councils() if c.is_current and c.urn is not None]
