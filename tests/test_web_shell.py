"""The dashboard's shell: navigation, breadcrumbs, the council picker, the pages of lists, the
front page's areas, errors as pages for people and JSON for programs, blank form fields."""

from __future__ import annotations

import html
import re

import pytest
from fastapi.testclient import TestClient

from lacs.domain.frameworks import current_areas
from lacs.store.shipped import SHIPPED
from lacs.web import pages
from lacs.web.app import create_app
from lacs.web.render import NAVIGATION, area_label


@pytest.fixture(scope="module")
def client() -> TestClient:
    return TestClient(create_app(SHIPPED), raise_server_exceptions=False)


def visible(html: str) -> str:
    """The words a reader sees: the body without tags, attributes or the datalist's options."""
    body = html.split("<body>", 1)[-1]
    body = re.sub(r"<datalist.*?</datalist>", " ", body, flags=re.S)
    body = re.sub(r"</?(time|strong|code|mark|small|span)\b[^>]*>", "", body)  # inline: no space of their own
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", body))


MINE = ["/", "/councils", "/regions", "/data", "/api/docs", "/nope", "/councils/manchster", "/?as_at=2024-13-01"]


@pytest.mark.parametrize("url", MINE)
def test_every_page_has_the_navigation_and_the_records_date(client: TestClient, url: str) -> None:
    page = client.get(url).text
    nav = page.split('aria-label="Main"')[1].split("</nav>")[0]
    assert re.findall(r'href="([^"]+)"', nav) == [path for path, _ in NAVIGATION]
    freshness = client.app.state.served.freshness.sentence()  # type: ignore[attr-defined]
    assert freshness in visible(page.split('<footer class="site">')[1])
    assert "Open Government Licence v3.0" in page and "<script" not in page


def test_pages_below_the_front_page_have_breadcrumbs_and_the_header_marks_where_you_are(client: TestClient) -> None:
    assert 'aria-label="Breadcrumb"' not in client.get("/").text
    for url, words in [("/councils", "Councils"), ("/regions", "Regions"), ("/data", "Data and downloads")]:
        page = client.get(url).text
        crumbs = page.split('aria-label="Breadcrumb"')[1].split("</nav>")[0]
        assert 'href="/">Home</a>' in crumbs and f'<span aria-current="page">{words}</span>' in crumbs
        assert f'<a href="{url}" aria-current="page">' in page
    assert '<a href="/councils" aria-current="page">' in client.get("/councils/manchester").text


def test_the_council_picker_goes_to_a_council_or_offers_the_nearest(client: TestClient) -> None:
    home = client.get("/").text
    form = home.split('class="picker"')[1].split("</form>")[0]
    assert 'action="/councils"' in home.split('class="picker"')[0][-80:] and 'name="name"' in form
    assert form.count("<option value=") == len({c.name for c in client.app.state.db.councils()})  # type: ignore
    went = client.get("/councils", params={"name": "manchester"}, follow_redirects=False)
    assert went.status_code == 303 and went.headers["location"] == "/councils/manchester"
    assert client.get("/councils", params={"name": "E08000003"}, follow_redirects=False).headers[
        "location"] == "/councils/manchester"
    near = client.get("/councils", params={"name": "manchster"})
    assert near.status_code == 200 and 'href="/councils/manchester">Manchester</a>' in near.text
    assert "No council in the register is called “manchster”" in near.text
    several = client.get("/councils", params={"name": "north"}).text
    assert "could be more than one council" in several and 'href="/councils/north-yorkshire"' in several
    assert client.get("/councils", params={"name": ""}).text == client.get("/councils").text


def test_the_councils_page_lists_every_council_by_region(client: TestClient) -> None:
    page = client.get("/councils").text
    db = client.app.state.db  # type: ignore[attr-defined]
    for council in db.councils():
        assert f">{council.name}</a>" in page.replace("&#39;", "'"), council.name
    assert page.index('id="east-midlands"') < page.index('id="yorkshire-humber"') < page.index('id="former"')
    assert "no overall grade under the 2026 framework" in page


def test_the_regions_page_counts_each_region_and_links_to_it(client: TestClient) -> None:
    page = client.get("/regions", params={"as_at": "2024-03-31"}).text
    assert "In England 60% of the 151 councils" in page
    for region in ["North West", "London", "Yorkshire and the Humber"]:
        assert f'href="/regions/{region.lower().replace(" and the ", " ").replace(" ", "-")}?as_at=2024-03-31"' in page
    assert "36% of 22" in page


def test_the_data_page_links_every_download_and_says_the_licence(client: TestClient) -> None:
    page = client.get("/data").text
    assert "Contains public sector information licensed under the" in visible(page)
    links = set(re.findall(r'href="(/[^"]*)"', page.split('<main id="main">')[1].split("</main>")[0]))
    for what in ("latest", "history", "judgements"):
        assert {f"/downloads/{what}.csv", f"/downloads/{what}.xlsx"} <= links
    assert {"/api/docs", "/api/openapi.json", "/feed.xml"} <= links
    assert any(re.fullmatch(r"/councils/[a-z-]+/feed\.xml", link) for link in links)
    for link in links:
        assert client.get(link).status_code == 200, link


@pytest.mark.parametrize(("url", "status", "says"), [
    ("/nope", 404, "There is no page at this address"),
    ("/councils/manchster", 404, 'Did you mean <a href="/councils/manchester">Manchester</a>'),
    ("/regions/londn", 404, '<a href="/regions/london">London</a>'),
    ("/?as_at=2024-13-01", 422, "<strong>as_at</strong>: as_at &#39;2024-13-01&#39; is not a date; give it as YYYY"),
    ("/?as_at=1700000000", 422, "<strong>as_at</strong>: as_at &#39;1700000000&#39; is not a date"),
    ("/?as_at=1990-01-01", 422, "outside the days the record can answer for: 2009-07-01"),
    ("/regions?as_at=9999-01-01", 422, "<strong>as_at</strong>"),
    ("/?judgement=leaders", 422, 'href="/?judgement=leadership">Leaders</a>'),
])
def test_a_page_answers_an_error_as_a_page(client: TestClient, url: str, status: int, says: str) -> None:
    answer = client.get(url)
    assert answer.status_code == status and answer.headers["content-type"].startswith("text/html")
    assert says in answer.text and "Traceback" not in answer.text and '{"detail"' not in answer.text
    assert 'aria-label="Main"' in answer.text  # in the site's style, with its navigation


def test_a_date_error_page_offers_a_form_for_the_parameter_keeping_the_others(client: TestClient) -> None:
    page = client.get("/", params={"as_at": "2024-13-01", "judgement": "leadership"}).text
    form = page.split('class="as-at"')[1].split("</form>")[0]
    assert '<input type="hidden" name="judgement" value="leadership">' in form and 'name="as_at"' in form
    assert 'href="/?judgement=leadership">This page without it</a>' in page


@pytest.mark.parametrize(("url", "status"), [("/api/v1/nope", 404), ("/api/v1/councils/manchster", 404),
                                             ("/api/v1/snapshot?as_at=2024-13-01", 422),
                                             ("/api/v1/snapshot?as_at=1990-01-01", 422),
                                             ("/api/v1/snapshot?as_at=", 422)])
def test_the_api_keeps_its_json_errors(client: TestClient, url: str, status: int) -> None:
    answer = client.get(url)
    assert answer.status_code == status and answer.headers["content-type"] == "application/json"
    assert "detail" in answer.json()


def test_an_error_in_a_page_is_a_500_page_and_in_the_api_json(monkeypatch: pytest.MonkeyPatch) -> None:
    client = TestClient(create_app(SHIPPED), raise_server_exceptions=False)
    monkeypatch.setattr(pages, "snapshot", lambda *a, **k: 1 / 0)
    failed = client.get("/")
    assert failed.status_code == 500 and failed.headers["content-type"].startswith("text/html")
    assert "Sorry, there is a problem with the service" in failed.text and "ZeroDivision" not in failed.text
    monkeypatch.setattr("lacs.web.api.take_snapshot", lambda *a, **k: 1 / 0)
    api = client.get("/api/v1/snapshot")
    assert api.status_code == 500 and api.json() == {"error": "internal error; the server's log has the details"}


def test_an_empty_form_field_on_a_page_means_not_given(client: TestClient) -> None:
    today = client.get("/")
    blank = client.get("/?as_at=")
    assert blank.status_code == 200 and blank.text == today.text and blank.headers["etag"] == today.headers["etag"]
    assert client.get("/?as_at=&judgement=").text == today.text
    assert client.get("/search?q=").status_code == 200
    assert client.get("/regions?as_at=").status_code == 200


def test_the_front_page_offers_every_area_in_the_registrys_words(client: TestClient) -> None:
    page = client.get("/").text
    choice = page.split('class="areas"')[1].split("</nav>")[0]
    assert [html.unescape(w) for w in re.findall(r">([^<>]+)</a>", choice)] == [area_label(a) for a in current_areas()]
    assert 'href="/?judgement=leadership">Leaders</a>' in choice
    assert 'aria-current="true">Overall effectiveness' in choice
    leaders = client.get("/", params={"judgement": "leadership"}).text
    assert ">Leaders: the share of councils good or better, month by month</title>" in leaders
    assert 'href="/councils/trafford" aria-label="Trafford: inadequate"' in leaders


def test_the_2026_framework_says_no_overall_grade_and_shows_the_area_grades(client: TestClient) -> None:
    page = client.get("/").text
    trafford = page.split('<a href="/councils/trafford">Trafford</a>')[1].split("</li>\n")[0]
    assert "no overall grade under the 2026 framework" in trafford
    assert 'Leaders: <span class="grade g-inadequate">inadequate</span>' in trafford
    assert 'Help &amp; protection: <span class="grade g-inadequate">inadequate</span>' in trafford
    assert 'aria-label="Trafford: no overall grade under the 2026 framework"' in page
    early = client.get("/", params={"as_at": "2014-06-01"}).text  # most councils not yet inspected under SIF
    assert "no overall grade before the single inspection framework" in early and 'class="g-no-area"' in early
    new = client.get("/", params={"as_at": "2021-06-01"}).text  # the Northamptonshires, new that April
    assert 'aria-label="North Northamptonshire: no inspection in the record"' in new and 'class="g-none"' in new
    together = client.get("/", params={"as_at": "2020-06-01", "judgement": "care_leavers"}).text
    assert "judged as one with another area: “The experiences and progress of children in care and care leavers”" \
        in together


@pytest.mark.parametrize("url", ["/", "/?as_at=2009-08-01", "/?as_at=2014-06-01&judgement=care_leavers",
                                 "/?judgement=children_in_care&as_at=2020-01-01", "/councils", "/regions",
                                 "/regions?as_at=2009-08-01", "/data", "/nope", "/?as_at=2024-13-01"])
def test_no_python_leaks_into_what_people_read(client: TestClient, url: str) -> None:
    # The data page's dictionaries (folded away in <details>) name the files' own columns and values.
    words = visible(re.sub(r"<details>.*?</details>", "", client.get(url).text, flags=re.S))
    for leak in ("None", "?%", " ? ", "_effectiveness", "requires_improvement", "not_judged", "pre_sif", "ilacs",
                 "[]", "{", "}"):
        assert leak not in words, (leak, words[max(0, words.find(leak) - 80):words.find(leak) + 80])


def test_the_record_with_no_grade_yet_says_so(client: TestClient) -> None:
    words = visible(client.get("/", params={"as_at": "2009-08-01"}).text)
    assert "No council has a grade in this area in the record as at 2009-08-01" in words
    assert "%" not in words.split("Latest results")[0].split("As at")[1].split(".")[1]


def test_the_hex_map_is_labelled_and_read_in_order_without_links_inside_an_image(client: TestClient) -> None:
    page = client.get("/", params={"as_at": "2024-03-31"}).text
    svg = page.split('<svg class="hexmap"')[1].split("</svg>")[0]
    assert 'role="img"' not in svg.split(">")[0]  # links inside role=img are nested-interactive (axe)
    labels = re.findall(r'aria-hidden="true">([A-Z]{3})</text>', svg)
    assert len(labels) == len(set(labels)) == 153
    named = re.findall(r'aria-label="([^"]+)"', svg)
    assert len(named) == 153 and "Manchester: good" in named
    cells = [(float(y), float(x)) for x, y in re.findall(r'<text class="[^"]+" x="([\d.]+)" y="([\d.]+)"', svg)]
    assert cells == sorted(cells)  # row by row, west to east: the keyboard's order is the eye's


def test_the_page_says_what_day_it_is_as_at_when_it_depends_on_now(client: TestClient) -> None:
    from datetime import date

    today = client.get("/").text
    assert f"As at <time>{date.today()}</time> (today); the record holds reports published up to" in today
    assert f"As at {date.today()} (today)." in visible(today.split('<footer class="site">')[1])
    dated = client.get("/", params={"as_at": "2024-03-31"}).text.split('<footer class="site">')[1]
    assert "This page shows the record as at 2024-03-31" in dated and "(today)" not in dated
