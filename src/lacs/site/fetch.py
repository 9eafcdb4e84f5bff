"""Fetching from Ofsted's site, politely: one request at a time, a pause between requests, a
User-Agent that names lacs, conditional requests, Retry-After honoured, capped exponential
back-off, and an overall time budget. Downloads are validated and land whole or not at all.

    FetchError                    a page or file that could not be fetched; the URL and the reason
    ├── GaveUp                    timeouts, resets, 5xx or 429 on every try
    ├── HTTPStatus                a status that retrying will not change (404, 410...)
    ├── BadDownload               a body that is not the file: short, HTML in place of a PDF, unreadable
    └── OutOfTime                 the update's time budget ran out

    fetcher = Fetcher(delay=1.0)
    page = fetcher.page("https://reports.ofsted.gov.uk/provider/44/80521")   # Page(url, text, ...)
    fetcher.download(url, Path("report.pdf"))   # raises BadDownload, leaves no partial file
"""

from __future__ import annotations

import email.utils
import hashlib
import json
import os
import time
from dataclasses import dataclass
from pathlib import Path

import httpx

from lacs import __version__
from lacs.errors import BadDownload, GaveUp, HTTPStatus, LacsError, OutOfTime
from lacs.reports.pdf import PDF_MAGIC, check_pdf_opens, describe_content

USER_AGENT = f"lacs/{__version__} (children's services inspection record; +https://pypi.org/project/lacs/)"
RETRY_STATUSES = {429, 500, 502, 503, 504}


@dataclass(frozen=True)
class Page:
    url: str  # after redirects
    text: str
    etag: str | None = None
    from_cache: bool = False  # True: the server said 304 and this is the copy kept last time


class Fetcher:
    """One polite HTTP client for a whole update; every request goes through `_request`."""

    def __init__(self, delay: float = 1.0, timeout: float = 30.0, tries: int = 4, backoff: float = 2.0,
                 backoff_cap: float = 60.0, budget: float | None = None, cache: Path | None = None,
                 transport: httpx.BaseTransport | None = None) -> None:
        self.delay, self.tries, self.backoff, self.backoff_cap = delay, tries, backoff, backoff_cap
        self.timeout = timeout
        self.deadline = time.monotonic() + budget if budget else None
        self.cache = cache  # folder for pages' ETags and bodies (conditional requests)
        self.client = httpx.Client(timeout=timeout, follow_redirects=True, transport=transport,
                                   headers={"User-Agent": USER_AGENT})
        self.requests = 0
        self._last = 0.0

    def close(self) -> None:
        self.client.close()

    def page(self, url: str) -> Page:
        """A page's text; sends If-None-Match with the ETag kept from last time and reuses the
        kept copy on 304."""
        kept = self._kept(url)
        headers = {"If-None-Match": kept["etag"]} if kept and kept.get("etag") else {}
        response = self._request(url, headers)
        if response.status_code == 304 and kept:
            return Page(url, kept["text"], kept.get("etag"), from_cache=True)
        page = Page(str(response.url), response.text, response.headers.get("ETag"))
        self._keep(url, page)
        return page

    def download(self, url: str, dest: Path) -> Path:
        """Download a PDF to dest: checked for length and for being a PDF that opens, written to
        a temporary file and renamed only when whole. Raises BadDownload otherwise."""
        response = self._request(url, {})
        data = response.content
        expected = response.headers.get("Content-Length")
        if expected is not None and expected.isdigit() and int(expected) != len(data):
            raise BadDownload(url, f"short body: {len(data):,} of {int(expected):,} bytes")
        if PDF_MAGIC not in data[:1024]:
            raise BadDownload(url, f"not a PDF: {describe_content(data[:1024])}")
        try:
            check_pdf_opens(data, url)
        except LacsError as exc:
            raise BadDownload(url, f"the PDF does not open: {getattr(exc, 'reason', exc)}") from None
        dest.parent.mkdir(parents=True, exist_ok=True)
        temp = dest.with_name(dest.name + ".part")
        try:
            temp.write_bytes(data)
            os.replace(temp, dest)
        finally:
            temp.unlink(missing_ok=True)
        return dest

    def _request(self, url: str, headers: dict[str, str]) -> httpx.Response:
        """GET with the pause, retries and back-off; the body is read in full before returning.
        The budget holds to the second: no request starts after it, each waits at most until
        it, and a body still coming in when it passes is abandoned (OutOfTime)."""
        reason = ""
        for attempt in range(self.tries):
            self._pause()
            left = self._left(url)
            try:
                self.requests += 1
                response = self._get(url, headers, self.timeout if left is None else min(self.timeout, left))
            except httpx.TimeoutException:
                self._left(url)  # a timeout cut short by the budget is the budget's
                reason, wait = "timed out", None
            except (httpx.TransportError, httpx.DecodingError) as exc:
                reason, wait = f"connection failed ({type(exc).__name__}: {exc})", None
            else:
                if response.status_code < 400 or response.status_code == 304:
                    return response
                if response.status_code not in RETRY_STATUSES:
                    raise HTTPStatus(url, f"HTTP {response.status_code}")
                reason, wait = f"HTTP {response.status_code}", _retry_after(response)
            if attempt + 1 < self.tries:
                self._sleep(wait if wait is not None else min(self.backoff * 2 ** attempt, self.backoff_cap), url)
        raise GaveUp(url, f"{reason} on each of {self.tries} tries")

    def _get(self, url: str, headers: dict[str, str], timeout: float) -> httpx.Response:
        """One GET, its body read chunk by chunk so that the budget is checked as it comes in."""
        with self.client.stream("GET", url, headers=headers, timeout=timeout) as streamed:
            raw = bytearray()
            for chunk in streamed.iter_raw():
                raw += chunk
                if self.deadline is not None and time.monotonic() > self.deadline:
                    raise OutOfTime(url, "the time budget ran out while it was coming in")
            response = httpx.Response(streamed.status_code, headers=streamed.headers, content=bytes(raw),
                                      request=streamed.request)
        response.read()
        return response

    def _left(self, url: str) -> float | None:
        """Seconds left of the budget (None: no budget); OutOfTime if none are."""
        if self.deadline is None:
            return None
        left = self.deadline - time.monotonic()
        if left <= 0:
            raise OutOfTime(url, "the time budget ran out")
        return left

    def _pause(self) -> None:
        since = time.monotonic() - self._last
        if self._last and since < self.delay:
            self._sleep(self.delay - since, None)
        self._last = time.monotonic()

    def _sleep(self, seconds: float, url: str | None) -> None:
        seconds = min(seconds, self.backoff_cap)
        if self.deadline is not None and time.monotonic() + seconds > self.deadline:
            raise OutOfTime(url or "update", "the time budget ran out")
        time.sleep(seconds)

    def _kept(self, url: str) -> dict | None:
        if self.cache is None:
            return None
        try:
            return json.loads(self._kept_path(url).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None

    def _keep(self, url: str, page: Page) -> None:
        if self.cache is None or not page.etag:
            return
        path = self._kept_path(url)
        path.parent.mkdir(parents=True, exist_ok=True)
        temp = path.with_name(path.name + ".part")
        temp.write_text(json.dumps({"url": url, "etag": page.etag, "text": page.text}), encoding="utf-8")
        os.replace(temp, path)

    def _kept_path(self, url: str) -> Path:
        assert self.cache is not None
        return self.cache / (hashlib.sha256(url.encode()).hexdigest()[:32] + ".json")


def _retry_after(response: httpx.Response) -> float | None:
    """Retry-After in seconds, from either of its forms (seconds, or an HTTP date)."""
    value = response.headers.get("Retry-After", "").strip()
    if value.isdigit():
        return float(value)
    if value:
        when = email.utils.parsedate_to_datetime(value) if _is_http_date(value) else None
        if when is not None:
            return max(0.0, when.timestamp() - time.time())
    return None


def _is_http_date(value: str) -> bool:
    try:
        return email.utils.parsedate_to_datetime(value) is not None
    except (TypeError, ValueError):
        return False
