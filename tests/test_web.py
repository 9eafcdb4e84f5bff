"""The web app on the shipped dataset: pages, API keys, errors, caching and security headers."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from lacs.store.shipped import SHIPPED
from lacs.web.app import CSP, create_app


@pytest.fixture(scope="module")
def client() -> TestClient:
    return TestClient(create_app(SHIPPED), raise_server_exceptions=False)


def test_the_council_api_keeps_the_cli_keys(client: TestClient) -> None:
    data = client.get("/api/v1/councils/manchester", params={"as_at": "2023-01-01"}).json()
    assert (data["council"], data["urn"], data["region"]) == ("Manchester", 80521, "North West")
    assert [i["judgements"]["overall_effectiveness"] for i in data["inspections"] if i["source"] == "report"] == [
        "inadequate", "requires_improvement", "good"]


def test_snapshot_api_gives_ofsteds_figures(client: TestClient) -> None:
    data = client.get("/api/v1/snapshot", params={"as_at": "2024-03-31", "by": "region"}).json()
    groups = {g["group"]: g["good_or_better_percent"] for g in data["groups"]}
    assert (groups["England"], groups["London"], groups["North West"]) == (60, 85, 36)


def test_errors_are_404_with_suggestions_and_422_with_a_message(client: TestClient) -> None:
    missing = client.get("/api/v1/councils/manchster")
    assert missing.status_code == 404 and "Manchester" in missing.json()["detail"]["suggestions"]
    assert client.get("/api/v1/snapshot", params={"as_at": "31/03/2024"}).status_code == 422
    bad = client.get("/api/v1/snapshot", params={"judgement": "leaders"})
    assert bad.status_code == 422 and "not an area of the record" in bad.json()["detail"][0]["msg"]
    assert client.get("/api/v1/search", params={"q": "abuse ("}).status_code == 422
    assert client.get("/x" * 2000).status_code == 414


def test_every_response_has_caching_and_security_headers_and_304s(client: TestClient) -> None:
    first = client.get("/api/v1/councils/kent")
    assert first.headers["cache-control"].startswith("public") and first.headers["content-security-policy"] == CSP
    again = client.get("/api/v1/councils/kent", headers={"If-None-Match": first.headers["etag"]})
    assert again.status_code == 304 and again.content == b""


def test_pages_render_with_grades_in_words_and_no_script(client: TestClient) -> None:
    home = client.get("/", params={"as_at": "2024-03-31"})
    assert home.status_code == 200 and "<strong>60%</strong> of the 151 councils" in home.text
    assert "<script" not in home.text and "requires improvement" in home.text
    page = client.get("/councils/manchester")
    assert page.status_code == 200 and "Manchester" in page.text and "<script" not in page.text
    assert "What needs to improve, by theme" in page.text and "North West: latest grades" in page.text
    assert client.get("/councils/nowhere-at-all").status_code == 404


def test_a_council_name_with_markup_reaches_the_page_and_is_not_served_as_html(client: TestClient) -> None:
    # No %2F in the name: "/councils/<script>alert(1)</script>" would be two path segments, match no
    # route and get FastAPI's generic "Not Found" without reaching the council page at all.
    bad = client.get("/councils/%3Cscript%3Ealert(1)%3C%5Cscript%3E")
    # The name is echoed on the error page, escaped; and no script could run there anyway (the CSP).
    assert bad.status_code == 404 and "called “&lt;script&gt;alert(1)" in bad.text and "<script" not in bad.text
    assert bad.headers["content-type"].startswith("text/html") and bad.headers["x-content-type-options"] == "nosniff"
    assert bad.headers["content-security-policy"] == CSP
    api = client.get("/api/v1/councils/%3Cscript%3Ealert(1)%3C%5Cscript%3E")  # the API's is JSON, as before
    assert api.headers["content-type"] == "application/json" and api.json()["detail"]["error"].startswith(
        "no council called '<script>alert(1)")


def test_api_docs_feeds_and_no_remote_assets(client: TestClient) -> None:
    docs = client.get("/api/docs")
    assert docs.status_code == 200 and "/api/v1/snapshot" in docs.text and "cdn" not in docs.text.lower()
    feed = client.get("/feed.xml")
    assert feed.status_code == 200 and feed.headers["content-type"].startswith("application/atom+xml")
    mine = client.get("/councils/manchester/feed.xml").text
    assert mine.count("<entry>") == 4 and "Manchester" in mine
    for page in ("/", "/councils/manchester", "/api/docs"):
        assert "http://" not in client.get(page).text.replace("http://www.w3.org", "")


def test_search_next_changes_and_region_pages(client: TestClient) -> None:
    search = client.get("/search", params={"q": "abuse"})
    assert search.status_code == 200 and "<mark>abuse</mark>" in search.text.lower()  # the shipped findings
    assert "None" not in search.text
    assert "<mark>" not in client.get("/search", params={"q": "<b>x</b>"}).text
    due = client.get("/next", params={"as_at": "2026-11-23"})
    assert due.status_code == 200 and "overdue by" in due.text
    assert client.get("/changes").status_code == 200
    region = client.get("/regions/north-west", params={"as_at": "2024-03-31"})
    assert region.status_code == 200 and "36% of 22" in region.text and "Manchester" in region.text
    assert client.get("/regions/atlantis").status_code == 404


def test_the_home_page_draws_the_trend_and_the_bars_as_titled_svg(client: TestClient) -> None:
    home = client.get("/", params={"as_at": "2024-03-31"}).text
    assert home.count("<polyline") == 1 and "month by month</title>" in home
    assert "<title>London: 12 outstanding</title>" in home


def test_compare_themes_and_downloads(client: TestClient) -> None:
    assert "Salford" in client.get("/compare", params={"council": "manchester"}).text
    assert client.get("/compare", params={"council": "nowhere"}).status_code == 404
    assert "Domestic abuse" in client.get("/themes").text
    csv = client.get("/downloads/latest.csv", params={"as_at": "2024-03-31"})
    assert csv.status_code == 200 and csv.content.startswith(b"\xef\xbb\xbfcouncil,") and csv.text.count("\n") == 154
    assert client.get("/downloads/history.xlsx").content[:2] == b"PK"


@pytest.mark.parametrize("path", ["/downloads/..%5C..%5Cetc%5Cpasswd.csv", "/downloads/passwd.csv",
                                  "/downloads/latest.exe", "/downloads/latest.db", "/downloads/..%2Elatest.csv"])
def test_downloads_outside_the_fixed_lists_are_refused_by_the_download_route(client: TestClient, path: str) -> None:
    # Each reaches /downloads/{what}.{fmt} (no %2F, which would match no route and get FastAPI's
    # generic 404), so the refusal is the route's own check of `what` and `fmt`.
    refused = client.get(path)
    assert refused.status_code == 404 and refused.headers["content-type"].startswith("text/html")
    assert "latest, history, judgements, visits, improvements, as csv or xlsx" in refused.text


def test_a_council_page_lists_the_visits_an_update_found(tmp_path) -> None:
    from fakesite import FakeSite, small_site
    from lacs.site.fetch import Fetcher
    from lacs.store.update import update

    with FakeSite(small_site()) as site:
        fetcher = Fetcher(delay=0)
        update(tmp_path / "lacs.db", tmp_path / "cache", site.url, fetcher=fetcher)
        fetcher.close()
    page = TestClient(create_app(tmp_path / "lacs.db")).get("/councils/manchester").text
    assert "Visits between inspections" in page and "focused visit" in page
    assert "The record holds reports published up to" in page and "; updated from Ofsted" in page


def test_named_councils_side_by_side_and_latest_results_say_their_change(client: TestClient) -> None:
    page = client.get("/compare", params={"councils": "manchester,kent,leeds"}).text
    assert all(name in page for name in ("Manchester", "Kent", "Leeds"))
    assert "(up from" in client.get("/", params={"as_at": "2024-03-31"}).text
