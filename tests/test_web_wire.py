"""What goes over the wire: gzip for clients that ask, an ETag per encoding, 304s, HEAD."""

from __future__ import annotations

import gzip

import pytest
from fastapi.testclient import TestClient

from lacs.store.shipped import SHIPPED
from lacs.web import app as web_app
from lacs.web.app import create_app

GZIP = {"Accept-Encoding": "gzip"}
PLAIN = {"Accept-Encoding": "identity"}


@pytest.fixture(scope="module")
def client() -> TestClient:
    return TestClient(create_app(SHIPPED), raise_server_exceptions=False)


def front(client: TestClient) -> web_app.Front:
    client.get("/favicon.ico")
    return client.app.middleware_stack  # type: ignore[attr-defined]


@pytest.mark.parametrize(("url", "at_most"), [("/", 25_000), ("/api/v1/inspections", 250_000)])
def test_text_is_gzipped_for_a_client_that_asks(client: TestClient, url: str, at_most: int) -> None:
    plain = client.get(url, headers=PLAIN)
    zipped = client.get(url, headers=GZIP)
    assert "content-encoding" not in plain.headers and zipped.headers["content-encoding"] == "gzip"
    on_the_wire = int(zipped.headers["content-length"])
    assert on_the_wire <= at_most and on_the_wire * 4 < int(plain.headers["content-length"])
    assert zipped.content == plain.content  # the client unzipped it to the same bytes
    assert plain.headers["vary"] == zipped.headers["vary"] == "Accept-Encoding"


def test_the_gzip_form_has_its_own_etag_and_each_gets_its_304(client: TestClient) -> None:
    plain = client.get("/", headers=PLAIN).headers["etag"]
    zipped = client.get("/", headers=GZIP).headers["etag"]
    assert zipped == plain[:-1] + '-gz"'
    assert client.get("/", headers={**GZIP, "If-None-Match": zipped}).status_code == 304
    assert client.get("/", headers={**PLAIN, "If-None-Match": plain}).status_code == 304
    assert client.get("/", headers={**GZIP, "If-None-Match": plain}).status_code == 200  # another form's tag
    assert client.get("/", headers={**PLAIN, "If-None-Match": zipped}).status_code == 200
    both = client.get("/", headers={**GZIP, "If-None-Match": f"{plain}, W/{zipped}"})
    assert both.status_code == 304 and both.headers["etag"] == zipped and both.headers["vary"] == "Accept-Encoding"


def test_head_says_the_size_of_the_form_it_would_send(client: TestClient) -> None:
    zipped = client.get("/api/v1/snapshot", headers=GZIP)
    head = client.head("/api/v1/snapshot", headers=GZIP)
    assert head.status_code == 200 and head.content == b"" and head.headers["content-encoding"] == "gzip"
    assert head.headers["content-length"] == zipped.headers["content-length"]
    assert head.headers["etag"] == zipped.headers["etag"]


@pytest.mark.parametrize("asked", ["gzip;q=0", "br", "identity", "", "deflate, gzip;q=0.0"])
def test_gzip_only_when_asked_for(client: TestClient, asked: str) -> None:
    answer = client.get("/", headers={"Accept-Encoding": asked})
    assert "content-encoding" not in answer.headers


@pytest.mark.parametrize("asked", ["gzip", "GZIP", "deflate, gzip;q=0.5", "*", "br;q=1.0, gzip;q=0.8"])
def test_gzip_for_any_way_of_asking_for_it(client: TestClient, asked: str) -> None:
    assert client.get("/", headers={"Accept-Encoding": asked}).headers["content-encoding"] == "gzip"


def test_small_bodies_and_binary_files_are_sent_as_they_are(client: TestClient) -> None:
    icon = client.get("/favicon.ico", headers=GZIP)
    assert len(icon.content) < web_app.COMPRESS_MIN and "content-encoding" not in icon.headers
    xlsx = client.get("/downloads/latest.xlsx", headers=GZIP)
    assert xlsx.content[:2] == b"PK" and "content-encoding" not in xlsx.headers and "vary" not in xlsx.headers
    csv = client.get("/downloads/latest.csv", headers=GZIP)
    assert csv.headers["content-encoding"] == "gzip"


def test_the_cache_compresses_once_and_counts_both_forms() -> None:
    client = TestClient(create_app(SHIPPED))
    cache = front(client)
    client.get("/api/v1/councils/kent", headers=PLAIN)
    kept = cache.kept["/api/v1/councils/kent"]
    assert kept.gzip is None
    before = cache.kept_bytes
    client.get("/api/v1/councils/kent", headers=GZIP)
    zipped = kept.gzip
    assert zipped is not None and gzip.decompress(zipped.body) == kept.plain.body
    assert cache.kept_bytes == before + web_app._form_size(zipped) == sum(
        web_app._size(k, v) for k, v in cache.kept.items())
    client.get("/api/v1/councils/kent", headers=GZIP)
    assert kept.gzip is zipped  # not compressed again


def test_errors_are_compressed_too_and_not_kept(client: TestClient) -> None:
    missing = client.get("/councils/manchster", headers=GZIP)
    assert missing.status_code == 404 and missing.headers["content-encoding"] == "gzip"
    assert "Manchester" in missing.text
    assert "/councils/manchster" not in front(client).kept
