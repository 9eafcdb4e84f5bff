"""The fake Ofsted site itself: layout, conditional requests, and each fault."""

from __future__ import annotations

import http.client
import re
import threading
import time
import urllib.error
import urllib.request
from datetime import date
from pathlib import Path

import pytest

from fakesite import FakeCouncil, FakePublication, FakeSite, corpus_site, small_site, title_case
from pdfs import make_pdf

QUERY = "q=&location=&lat=&lon=&radius=&level_1_types=3&level_2_types%5B%5D=12"


def get(url: str, headers: dict[str, str] | None = None, timeout: float = 2) -> tuple[int, dict[str, str], bytes]:
    try:
        with urllib.request.urlopen(urllib.request.Request(url, headers=headers or {}), timeout=timeout) as r:
            return r.status, dict(r.headers.items()), r.read()
    except urllib.error.HTTPError as e:
        return e.code, dict(e.headers.items()), e.read()


def many(n: int) -> list[FakeCouncil]:
    return [FakeCouncil(80000 + i, f"Council {i:03d}", []) for i in range(n)]


def test_the_listing_is_paged_by_100() -> None:
    with FakeSite(many(153)) as site:
        status, _, body = get(f"{site.url}/search?{QUERY}&start=0&rows=100")
        page = body.decode()
        assert status == 200 and '<span>153</span> results' in page
        assert page.count('<li class="search-result">') == 100
        assert '<h3 class="search-result__title"><a href="/provider/44/80000">Council 000</a></h3>' in page
        href = re.search(r'<a class="pagination__next" href="([^"]+)"', page)[1].replace("&amp;", "&")
        assert href == f"/search?{QUERY}&start=100&rows=100"
        page = get(site.url + href)[2].decode()
        assert page.count('<li class="search-result">') == 53 and "pagination__next" not in page
        assert get(f"{site.url}/search?{QUERY}&start=0&rows=500")[2].decode().count("search-result\"") == 100


def test_provider_page_links_and_files_with_304() -> None:
    with FakeSite(small_site()) as site:
        status, headers, body = get(f"{site.url}/provider/44/80521")
        page = body.decode()
        assert '<h1 class="heading--title">Manchester</h1>' in page
        links = re.findall(r'<a class="publication-link" href="([^"]+)">.*?'
                           r'<span class="nonvisual">([^<]+)</span>', page)
        assert [text.replace("&#x27;", "'") for _, text in links] == [
            "focused visit, pdf - 02 March 2023", "children's services inspection, pdf - 19 May 2022"]
        assert all(url.startswith(site.url + "/v1/file/") for url, _ in links)
        assert get(f"{site.url}/provider/44/80521", {"If-None-Match": headers["ETag"]})[0] == 304
        status, headers, data = get(links[1][0])
        assert status == 200 and data.startswith(b"%PDF") and headers["Content-Type"] == "application/pdf"
        assert int(headers["Content-Length"]) == len(data) and "GMT" in headers["Last-Modified"]
        assert get(links[1][0], {"If-None-Match": headers["ETag"]})[0] == 304
        assert get(links[1][0], {"If-Modified-Since": headers["Last-Modified"]})[0] == 304
        assert get(links[1][0], {"If-None-Match": '"other"'})[0] == 200
        assert get(f"{site.url}/provider/44/1")[0] == 404 and get(f"{site.url}/v1/file/nope")[0] == 404
        site.add(80476, FakePublication("monitoring visit", date(2024, 1, 5), make_pdf(["new"]), "new-1"))
        assert "monitoring visit, pdf - 05 January 2024" in get(f"{site.url}/provider/44/80476")[2].decode()
        assert get(f"{site.url}/v1/file/new-1")[2] == make_pdf(["new"])
        assert site.requests[0] == "/provider/44/80521" and len(site.requests) == len(site.headers) == 10


def test_faults_status_html_layout_then_recovery() -> None:
    with FakeSite(small_site()) as site:
        file = f"{site.url}/v1/file/" + site.councils[80476].publications[0].file_id
        site.misbehave("/v1/file/", "status", status=429, retry_after=7)
        site.misbehave("/v1/file/", "status")
        status, headers, _ = get(file)
        assert status == 429 and headers["Retry-After"] == "7"
        status, headers, _ = get(file)
        assert status == 503 and "Retry-After" not in headers
        site.misbehave("/v1/file/", "html")
        status, headers, body = get(file)
        assert status == 200 and headers["Content-Type"].startswith("text/html") and b"Sorry" in body
        site.misbehave("/search", "layout")
        site.misbehave("/provider/", "layout")
        for path in (f"/search?{QUERY}&start=0&rows=100", "/provider/44/80476"):
            page = get(site.url + path)[2].decode()
            assert "search-result" not in page and "publication-link" not in page and "/provider/44/" in page
        assert "search-result" in get(f"{site.url}/search?{QUERY}&start=0&rows=100")[2].decode()
        assert get(file)[2].startswith(b"%PDF")


def test_status_fault_applies_the_given_number_of_times() -> None:
    with FakeSite(small_site()) as site:
        site.misbehave("/provider/44/80429", "status", times=2, status=500)
        assert [get(f"{site.url}/provider/44/80429")[0] for _ in range(3)] == [500, 500, 200]
        assert get(f"{site.url}/provider/44/80429", {"If-None-Match": "*"})[0] == 304


@pytest.mark.parametrize(("fault", "error"), [("reset", (ConnectionResetError, http.client.IncompleteRead)),
                                              ("short", http.client.IncompleteRead)])
def test_cut_downloads(fault: str, error: type[Exception] | tuple[type[Exception], ...]) -> None:
    with FakeSite(small_site()) as site:
        file = f"{site.url}/v1/file/" + site.councils[80521].publications[0].file_id
        site.misbehave("/v1/file/", fault)
        with pytest.raises(error):
            get(file)
        assert get(file)[2].startswith(b"%PDF")


def test_slow_trips_a_timeout_and_never_holds_up_the_exit() -> None:
    with FakeSite(small_site()) as site:
        site.misbehave("/provider/", "slow", seconds=0.5)
        with pytest.raises((TimeoutError, urllib.error.URLError)):
            get(f"{site.url}/provider/44/80521", timeout=0.1)
        assert get(f"{site.url}/provider/44/80521")[0] == 200
        site.misbehave("/provider/", "slow", seconds=30)
        hung_up: list[http.client.RemoteDisconnected] = []

        def hang() -> None:
            with pytest.raises(http.client.RemoteDisconnected) as caught:  # the site exiting hangs up at once
                get(f"{site.url}/provider/44/80521", timeout=5)
            hung_up.append(caught.value)

        hanging = threading.Thread(target=hang, daemon=True)
        hanging.start()
        time.sleep(0.1)
        started = time.monotonic()
    assert time.monotonic() - started < 1
    hanging.join(2)
    assert not hanging.is_alive()
    assert hung_up


def test_unknown_fault_is_refused() -> None:
    with pytest.raises(ValueError):
        FakeSite([]).misbehave("/", "explode")


def test_title_case() -> None:
    assert [title_case(n) for n in ("kingston upon hull", "stoke-on-trent", "isles of scilly", "telford & wrekin")] == [
        "Kingston upon Hull", "Stoke-on-Trent", "Isles of Scilly", "Telford & Wrekin"]


def test_corpus_site(corpus: Path) -> None:
    councils = corpus_site(corpus, limit=3)
    assert len(councils) == 3 and all(c.publications for c in councils)
    every = corpus_site(corpus)
    publications = [p for c in every for p in c.publications]
    assert len(every) == 153 and len(publications) == 497
    assert len({p.file_id for p in publications}) == 497
    assert sum(not p.data.startswith(b"%PDF") for p in publications) == 4
    assert [p.file_id for p in councils[0].publications] == [p.file_id for p in every[0].publications]


def test_the_listing_markups() -> None:
    from fakesite import Markup
    with FakeSite(many(153), Markup(next_on="li")) as site:
        page = get(f"{site.url}/search?{QUERY}&start=0&rows=100")[2].decode()
        assert '<ul class="pagination"><li class="next"><a href="/search?' in page and "pagination__next" not in page
        site.markup = Markup(result_class=False)
        page = get(f"{site.url}/search?{QUERY}&start=0&rows=100")[2].decode()
        assert '<li class' not in page and 'search-result__' not in page
        assert page.count('<li><h3><a href="/provider/44/') == 100
        site.markup = Markup(per_page=10)
        page = get(f"{site.url}/search?{QUERY}&start=150&rows=100")[2].decode()
        assert page.count('<a href="/provider/44/') == 3 and "<span>153</span> results" in page
        site.markup = Markup(claim=200)
        assert "<span>200</span> results" in get(f"{site.url}/search?{QUERY}&start=0&rows=100")[2].decode()


def test_a_publication_can_show_a_date_that_is_no_date() -> None:
    council = FakeCouncil(80521, "Manchester", [FakePublication("children's services inspection", date(2025, 1, 1),
                                                                make_pdf(["x"]), "odd", date_text="date to follow")])
    with FakeSite([council]) as site:
        page = get(f"{site.url}/provider/44/80521")[2].decode()
    assert "inspection, pdf - date to follow</span>" in page
