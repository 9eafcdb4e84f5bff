"""The server's bounds: dates the record cannot answer, work per request, the cache's size,
the Host header, conditional GETs, a database rebuilt under a running server, slow clients."""

from __future__ import annotations

import os
import shutil
import socket
import sqlite3
import threading
import time
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from lacs import __version__
from lacs.store.shipped import shipped_path
from lacs.web import app as web_app
from lacs.web import pages, topics
from lacs.web.app import create_app


@pytest.fixture(scope="module")
def client() -> TestClient:
    return TestClient(create_app(shipped_path()), raise_server_exceptions=False)


def front(client: TestClient) -> web_app.Front:
    client.get("/favicon.ico")  # the middleware stack is built at the first request
    stack = client.app.middleware_stack  # type: ignore[attr-defined]
    assert type(stack).__name__ == "Front"
    return stack


@pytest.mark.parametrize("url", ["/?as_at=9999-09-30", "/api/v1/snapshot?as_at=9999-10-01",
                                 "/regions/london?as_at=9999-10-01", "/api/v1/snapshot?as_at=2024-03-31&"
                                 "published_by=9999-12-31", "/api/v1/councils/kent?as_at=1900-01-01",
                                 "/next?as_at=9999-12-31", "/api/v1/changes?from=2020-01-01&to=9999-12-31",
                                 "/changes?start=1066-10-14", "/themes?as_at=9999-10-01",
                                 "/feed.xml?since=1000-01-01"])
def test_dates_outside_the_record_are_422_at_once(client: TestClient, url: str) -> None:
    started = time.process_time()
    refused = client.get(url)
    assert refused.status_code == 422, refused.text[:200]
    assert time.process_time() - started < 1
    first = client.app.state.served.first  # type: ignore[attr-defined]
    name = url.split("?")[1].split("=")[0] if "published_by" not in url else "published_by"
    if not url.startswith("/api/"):  # a page: the error page names the parameter and the span
        assert refused.headers["content-type"].startswith("text/html")
        assert f"<strong>{name}</strong>" in refused.text and str(first) in refused.text
        assert "outside the days the record can answer for" in refused.text
        return
    (problem,) = refused.json()["detail"]
    assert "outside the days the record can answer for" in problem["msg"] and str(first) in problem["msg"]
    assert problem["loc"][0] == "query" and problem["loc"][1] in url


def test_the_span_runs_from_the_records_first_day_to_five_years_on(client: TestClient) -> None:
    state = client.app.state.served  # type: ignore[attr-defined]
    everything = state.db.inspections(improvements=False)
    assert state.first == min(d for i in everything for d in (i.start, i.placed_on, i.published) if d)
    assert state.last.year - max(state.latest_published, state.first).year >= 5
    assert client.get("/api/v1/snapshot", params={"as_at": str(state.first)}).status_code == 200
    assert client.get("/api/v1/snapshot", params={"as_at": str(state.last)}).status_code == 200


@pytest.mark.parametrize("url", ["/?as_at=99999999999", "/regions/london?as_at=1700000000", "/next?as_at=2024-3-1"])
def test_page_dates_are_yyyy_mm_dd_only(client: TestClient, url: str) -> None:
    # pydantic alone reads a number as a timestamp: 99999999999 was a day in the year 5138.
    refused = client.get(url)
    assert refused.status_code == 422 and "YYYY-MM-DD" in refused.text


def test_an_error_inside_a_route_is_a_500_without_a_traceback(monkeypatch: pytest.MonkeyPatch) -> None:
    client = TestClient(create_app(shipped_path()))  # raises what reaches the client: nothing must
    monkeypatch.setattr(topics, "snapshot", lambda *a, **k: 1 / 0)
    failed = client.get("/regions/london")
    assert failed.status_code == 500 and "ZeroDivision" not in failed.text and "Traceback" not in failed.text
    assert client.get("/regions/london").status_code == 500  # not kept


@pytest.mark.parametrize("url", ["/changes?start=2020-01-01&end=2019-01-01",
                                 "/api/v1/changes?from=2020-01-01&to=2019-01-01",
                                 "/api/v1/snapshot?as_at=2024-03-31&published_by=2024-01-01"])
def test_a_backwards_range_is_422_with_its_reason(client: TestClient, url: str) -> None:
    refused = client.get(url)
    assert refused.status_code == 422
    assert "after" in refused.text or "before" in refused.text


def test_the_home_page_works_out_each_month_once_per_database(monkeypatch: pytest.MonkeyPatch) -> None:
    client = TestClient(create_app(shipped_path()))
    calls = []
    real = pages.snapshot
    monkeypatch.setattr(pages, "snapshot", lambda *a, **k: calls.append(a[1]) or real(*a, **k))
    assert client.get("/", params={"as_at": "2030-01-15"}).status_code == 200
    assert len(calls) > 100  # every month since 2014, the first time
    calls.clear()
    assert client.get("/", params={"as_at": "2030-02-15"}).status_code == 200
    assert len(calls) <= 3  # the page's own snapshot, January 2030 (new), and 15 February


def test_the_cache_keys_on_known_parameters_in_canonical_order(client: TestClient) -> None:
    kept = front(client).kept
    for n in range(20):
        assert client.get(f"/api/v1/councils/kent?u={n}").status_code == 200
    client.get("/api/v1/snapshot?by=region&as_at=2024-03-31&x=1")
    client.get("/api/v1/snapshot?as_at=2024-03-31&by=region")
    assert [k for k in kept if k.startswith("/api/v1/councils/kent")] == ["/api/v1/councils/kent"]
    assert [k for k in kept if "2024-03-31" in k] == ["/api/v1/snapshot?as_at=2024-03-31&by=region"]


def test_the_cache_is_capped_in_bytes(monkeypatch: pytest.MonkeyPatch) -> None:
    client = TestClient(create_app(shipped_path()))
    cache = front(client)
    monkeypatch.setattr(web_app, "CACHE_BYTES", 100_000)
    sizes = []
    for day in range(1, 29):
        answer = client.get("/api/v1/councils/kent", params={"as_at": f"2023-02-{day:02d}"})
        sizes.append(len(answer.content))
    assert min(sizes) * 28 > 100_000  # more than the cap was asked for
    assert 0 < cache.kept_bytes <= 100_000
    assert cache.kept_bytes == sum(web_app._size(k, v) for k, v in cache.kept.items())
    assert "/api/v1/councils/kent?as_at=2023-02-28" in cache.kept  # the newest kept, the oldest gone
    assert "/api/v1/councils/kent?as_at=2023-02-01" not in cache.kept


def test_the_host_header_is_never_reflected(client: TestClient) -> None:
    evil = {"Host": "evil.example"}
    moved = client.get("/api/v1/councils/?as_at=2024-03-31&u=1", headers=evil, follow_redirects=False)
    assert moved.status_code == 308 and moved.headers["location"] == "/api/v1/councils"
    page = client.get("/councils/manchester/", headers=evil, follow_redirects=False)
    assert page.headers["location"] == "/councils/manchester"
    split = client.get("/councils/a%0D%0ASet-Cookie:x=1/", follow_redirects=False)  # no header of its own making
    assert split.headers["location"] == "/councils/a%0D%0ASet-Cookie:x=1" and "set-cookie" not in split.headers
    for url in ["/", "/api/docs", "/api/openapi.json", "/feed.xml", "/nowhere", "/councils/nowhere"]:
        answer = client.get(url, headers=evil, follow_redirects=False)
        assert "evil.example" not in answer.text and "evil.example" not in str(answer.headers), url


def test_if_none_match_star_is_a_304_for_what_exists(client: TestClient) -> None:
    assert client.get("/api/v1/councils/kent", headers={"If-None-Match": "*"}).status_code == 304
    tag = client.get("/api/v1/councils/kent").headers["etag"]
    assert client.get("/api/v1/councils/kent", headers={"If-None-Match": f'"x", W/{tag}'}).status_code == 304
    assert client.get("/api/v1/councils/nowhere", headers={"If-None-Match": "*"}).status_code == 404


def _copy_of_the_record(tmp_path: Path, name: str) -> Path:
    path = tmp_path / name
    shutil.copyfile(shipped_path(), path)
    return path


def _footer(client: TestClient, council: str = "manchester") -> str:
    import re

    return re.sub(r"<[^>]+>", "", client.get(f"/councils/{council}").text.split('<footer class="site">')[1])


def test_a_database_replaced_under_a_running_server_is_served(tmp_path: Path,
                                                               monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("lacs.web.served.RECHECK_SECONDS", 0)
    path = _copy_of_the_record(tmp_path, "lacs.db")
    client = TestClient(create_app(path))
    before = client.get("/api/v1/councils/manchester").json()
    latest = client.app.state.served.freshness.latest_published  # type: ignore[attr-defined]
    assert f"The record holds reports published up to {latest}" in _footer(client)

    # A rebuild: a new file put in place, Manchester's last grade changed, the latest reports dated earlier.
    rebuilt = _copy_of_the_record(tmp_path, "lacs.db.new")
    conn = sqlite3.connect(rebuilt)
    with conn:
        (last_id,) = conn.execute("SELECT id FROM inspections WHERE gss_code = 'E08000003' AND source = 'report' "
                                  "ORDER BY end_date DESC LIMIT 1").fetchone()
        conn.execute("UPDATE judgements SET grade = 'inadequate' WHERE inspection_id = ? AND "
                     "area = 'overall_effectiveness'", (last_id,))
        conn.execute("UPDATE inspections SET published = date(published, '-400 days') "
                     "WHERE published = (SELECT max(published) FROM inspections)")
    conn.close()
    os.replace(rebuilt, path)
    after = client.get("/api/v1/councils/manchester").json()

    def graded(answer: dict) -> list[str]:
        return [i["judgements"]["overall_effectiveness"] for i in answer["inspections"] if i["source"] == "report"]
    assert graded(before)[-1] != "inadequate" and graded(after)[-1] == "inadequate"
    now = client.app.state.served.freshness.latest_published  # type: ignore[attr-defined]
    assert now < latest and f"The record holds reports published up to {now}" in _footer(client)


def test_a_replacement_that_is_no_database_leaves_the_old_one_served_and_its_date(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("lacs.web.served.RECHECK_SECONDS", 0)
    path = _copy_of_the_record(tmp_path, "lacs.db")
    client = TestClient(create_app(path))
    before = client.get("/api/v1/councils/manchester").json()
    footer = _footer(client)
    junk = tmp_path / "junk"
    junk.write_bytes(b"not a database" * 100)
    os.utime(junk, (978307200, 978307200))  # 2001-01-01: a date the footer must not take up
    os.replace(junk, path)
    assert client.get("/api/v1/councils/manchester").json() == before
    later = _footer(client, "kent")  # a page first made after the file was replaced
    assert later == footer and "2001-01-01" not in later


def test_the_footer_of_the_shipped_dataset_names_lacs_not_the_day_it_was_unpacked(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("LACS_DB", raising=False)
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path))  # no database built here: the shipped one
    client = TestClient(create_app())
    assert client.app.state.db.shipped  # type: ignore[attr-defined]
    footer = _footer(client)
    assert f"the dataset shipped with lacs {__version__}" in footer and "last updated" not in footer


def _serve(port: int) -> tuple[object, threading.Thread]:
    import uvicorn

    from lacs.web.serving import config

    server = uvicorn.Server(config(create_app(shipped_path()), "127.0.0.1", port))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    for _ in range(100):
        if server.started:
            break
        time.sleep(0.05)
    return server, thread


def test_a_client_that_trickles_its_headers_is_cut_off(monkeypatch: pytest.MonkeyPatch) -> None:
    from lacs.web import serving

    monkeypatch.setattr(serving.BoundedH11, "header_seconds", 0.5)
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    server, thread = _serve(port)
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=5) as slow:
            slow.sendall(b"GET / HTTP/1.1\r\n")
            started = time.monotonic()
            closed = False
            for _ in range(20):  # a header byte every 0.2 s: the keep-alive timer alone never fires
                try:
                    slow.sendall(b"X")
                except OSError:
                    closed = True
                    break
                slow.settimeout(0.2)
                try:
                    if slow.recv(1024) == b"":
                        closed = True
                        break
                except TimeoutError:
                    continue
            assert closed and time.monotonic() - started < 2
        with socket.create_connection(("127.0.0.1", port), timeout=5) as fine:
            fine.sendall(b"GET /favicon.ico HTTP/1.1\r\nHost: x\r\n\r\n")
            assert fine.recv(1024).startswith(b"HTTP/1.1 200")
    finally:
        server.should_exit = True  # type: ignore[attr-defined]
        thread.join(5)


def test_a_new_day_empties_the_cache() -> None:
    from datetime import date

    client = TestClient(create_app(shipped_path()))
    cache = front(client)
    client.get("/")  # today's page: tomorrow it is another
    assert "/" in cache.kept
    cache.today = date(2000, 1, 1)
    client.get("/favicon.ico")
    assert "/" not in cache.kept
