"""The topic pages on the shipped dataset: a council page all of one date, changes over a period,
themes ranked with their denominators, the compare form, region trends, who is due, search; none
of them with "None", "?" or an internal name in what people read."""

from __future__ import annotations

import re
from html import unescape

import pytest
from fastapi.testclient import TestClient

from lacs.store.shipped import SHIPPED
from lacs.web.app import create_app

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")


@pytest.fixture(scope="module")
def client() -> TestClient:
    return TestClient(create_app(SHIPPED), raise_server_exceptions=False)


def main(page: str) -> str:
    """The page's own content (header and footer aside), its markup dropped."""
    body = page.split('<main id="main">', 1)[1].split("</main>", 1)[0]
    return unescape(re.sub(r"<[^>]+>", " ", body))


def internal_links(page: str) -> list[str]:
    return sorted({unescape(h) for h in re.findall(r'href="(/[^"#]*)"', page)})


# --- the council page, as at one date -------------------------------------------------------------

def test_a_council_page_as_at_a_date_shows_nothing_published_after_it(client: TestClient) -> None:
    page = client.get("/councils/manchester", params={"as_at": "2016-01-01"}).text
    text = main(page)
    assert "As at 1 January 2016" in text
    cited = re.sub(r"official statistics \(release [^)]*\)", "", text)  # where in Ofsted's later tables a row is
    assert not re.findall(r"\b20(?:1[7-9]|2\d)\b", cited), "an inspection after the date shows"
    assert "Manchester's children's services judged inadequate" in text  # the 2014 story, not 2025's
    assert "Peter McEntee" in text and "Sophie Wales" not in text and "Mandy Nightingale" not in text
    # the 2014 report's points, not 2025's
    assert "Review the number of cases held by all staff" in text
    grid = page.split('class="grid sticky"', 1)[1].split("</thead>", 1)[0]
    assert re.findall(r">(\d{4})</a>", grid) == ["2014", "2010"]  # newest first
    # every link on the page (the site's navigation in its header apart) keeps the date, and answers
    for href in internal_links(page.split("</header>", 1)[1]):
        if href.startswith(("/councils/", "/regions/", "/compare", "/themes")) and not href.endswith("feed.xml") \
                and href != "/councils/manchester":  # "see it as at today"
            assert "as_at=2016-01-01" in href, href


def test_a_council_page_without_a_date_says_it_is_of_today(client: TestClient) -> None:
    text = main(client.get("/councils/manchester").text)
    assert "As at today," in text and "Sophie Wales" in text and "judged outstanding" in text


def test_every_internal_link_of_a_council_page_answers(client: TestClient) -> None:
    page = client.get("/councils/manchester", params={"as_at": "2016-01-01"}).text
    links = internal_links(page)
    for wanted in ("/regions/north-west?as_at=2016-01-01",
                   "/compare?council=manchester&group=neighbours&as_at=2016-01-01",
                   "/councils/manchester/feed.xml", "/api/v1/councils/E08000003?as_at=2016-01-01"):
        assert wanted in links
    for href in links:
        assert client.get(href).status_code == 200, href


def test_each_inspection_links_to_ofsteds_page_and_names_its_lead_inspector(client: TestClient) -> None:
    page = client.get("/councils/manchester").text
    assert page.count('href="https://reports.ofsted.gov.uk/provider/44/80521"') >= 5
    assert "lead inspector Sophie Wales" in main(page)
    devon = main(client.get("/councils/devon").text)  # its 2025 report names no lead inspector
    assert "None" not in devon and "lead inspector" in devon


def test_official_statistics_columns_and_areas_are_named_in_words(client: TestClient) -> None:
    page = client.get("/councils/manchester").text
    assert "2010</a>, from Ofsted's official statistics" in page
    text = main(page)
    assert "Before the single inspection framework: Inspection of safeguarding and looked after children" in text
    assert "Safeguarding services: overall effectiveness" in text
    for leak in ("pre_sif", "safeguarding_and_looked_after_children", "lac_overall", " ? ", "(slac)"):
        assert leak not in text


def test_the_2026_framework_says_no_overall_grade_apart_from_not_inspected(client: TestClient) -> None:
    trafford = main(client.get("/councils/trafford").text)
    assert "no overall grade under the 2026 framework" in trafford
    formed = main(client.get("/councils/north-northamptonshire", params={"as_at": "2020-01-01"}).text)
    assert "North Northamptonshire was formed on 1 April 2021, from Northamptonshire" in formed
    assert "No inspection of North Northamptonshire itself" in formed


# --- changes --------------------------------------------------------------------------------------

def test_changes_honours_from_and_to_and_says_its_period(client: TestClient) -> None:
    api = client.get("/api/v1/changes", params={"from": "2018-01-01", "to": "2020-12-31"}).json()
    page = main(client.get("/changes", params={"from": "2018-01-01", "to": "2020-12-31"}).text)
    assert "From 1 January 2018 to 31 December 2020" in page
    assert f"{len(api['changes'])} changes: {api['counts']['improved']} improved" in page
    old = main(client.get("/changes", params={"start": "2018-01-01", "end": "2020-12-31"}).text)
    assert old == page
    assert main(client.get("/changes?from=&to=").text) == main(client.get("/changes").text)  # empty: not given


def test_changes_split_within_and_across_frameworks(client: TestClient) -> None:
    api = client.get("/api/v1/changes", params={"from": "2018-01-01", "to": "2020-12-31"}).json()
    within = sum(1 for c in api["changes"] if c["before"]["framework"] == c["after"]["framework"])
    page = unescape(client.get("/changes", params={"from": "2018-01-01", "to": "2020-12-31"}).text)
    row = re.search(r"Both inspections under the same framework</th><td>(\d+)</td>", page)
    across = re.search(r"The two inspections under different frameworks</th><td>(\d+)</td>", page)
    assert row and across and (int(row[1]), int(across[1])) == (within, len(api["changes"]) - within)
    assert "Single inspection framework (SIF) to Inspections of local authority children's services (ILACS)" in page


def test_a_backwards_period_names_the_parameters_as_given(client: TestClient) -> None:
    refused = client.get("/changes", params={"from": "2020-01-01", "to": "2019-01-01"})
    assert refused.status_code == 422 and "from 2020-01-01" in refused.text.lower()


# --- themes ---------------------------------------------------------------------------------------

def shares(page: str) -> list[tuple[int, int, int]]:
    return [tuple(map(int, m)) for m in re.findall(r"(\d+) of (\d+) councils, (\d+)%", page)]


def test_themes_are_ranked_by_share_with_their_denominators(client: TestClient) -> None:
    found = shares(client.get("/themes").text)
    assert len(found) > 10 and all(of == 153 for _, of, _ in found)
    assert [n for n, _, _ in found] == sorted((n for n, _, _ in found), reverse=True)
    assert all(p == round(100 * n / of) for n, of, p in found)
    api = client.get("/api/v1/themes", params={"by": "region"}).json()
    london = next(g for g in api["groups"] if g["name"] == "London")
    assert {of for _, of, _ in shares(client.get("/themes", params={"region": "london"}).text)} == {london["councils"]}
    assert client.get("/themes", params={"region": "atlantis"}).status_code == 404


# --- compare, regions, who is due, search ---------------------------------------------------------

def test_compare_without_parameters_shows_the_form_only(client: TestClient) -> None:
    page = client.get("/compare").text
    assert '<datalist id="council-names">' in page and 'name="group"' in page and 'value="chosen"' in page
    assert "<table" not in page and "Salford" not in main(page).replace('<option value="Salford">', "")
    result = client.get("/compare", params={"council": "manchester", "group": "neighbours"}).text
    assert "Manchester beside its statistical neighbours" in result and "<table" in result
    chosen = main(client.get("/compare", params={"group": "chosen", "councils": "kent, leeds"}).text)
    assert "The councils chosen, side by side" in chosen and "Kent" in chosen and "Leeds" in chosen
    assert "name the councils" in main(client.get("/compare", params={"group": "chosen"}).text)


def test_a_region_page_draws_its_trend_and_lists_its_councils(client: TestClient) -> None:
    page = client.get("/regions/north-west", params={"as_at": "2024-03-31"}).text
    assert page.count("<polyline") == 1 and "North West: share of councils good or better" in page
    assert "36% of 22" in page
    assert len(re.findall(r'<th scope="row"><a href="/councils/', page)) == 24
    assert client.get("/regions").status_code == 200


def test_who_is_due_says_how_far_the_record_reaches(client: TestClient) -> None:
    text = main(client.get("/next", params={"as_at": "2026-11-23"}).text)
    assert "As at 23 November 2026; the record holds reports published up to 20 August 2026" in text
    assert "overdue by" in text and "None" not in text


def test_search_says_what_it_searched(client: TestClient) -> None:
    text = main(client.get("/search", params={"q": "abuse"}).text)
    assert "Searched what inspectors said must improve" in text and "the full text of every page" in text


# --- no Python in what people read -----------------------------------------------------------------

LEAKS = re.compile(r"\bNone\b|\?\s*to\b|\bpre_sif\b|ilacs_2026|requires_improvement|_and_|\{'|datetime|Grade\.")


@pytest.mark.parametrize("url", [
    "/councils/manchester", "/councils/manchester?as_at=2009-07-01", "/councils/manchester?as_at=2016-01-01",
    "/councils/northamptonshire", "/councils/northamptonshire?as_at=2012-01-01", "/councils/north-northamptonshire",
    "/councils/cumbria?as_at=2014-06-01", "/councils/trafford", "/councils/devon", "/councils/isles-of-scilly",
    "/changes", "/changes?from=2009-07-01&to=2010-01-01", "/changes?judgement=care_leavers",
    "/themes", "/themes?as_at=2009-07-01", "/themes?region=north-west&as_at=2018-03-31",
    "/compare", "/compare?council=trafford&group=region", "/compare?council=manchester&as_at=2009-07-01",
    "/regions", "/regions/london?as_at=2009-07-01", "/regions/north-west?as_at=2012-03-31",
    "/next", "/next?as_at=2009-07-01", "/search?q=abuse",
])
def test_no_page_shows_python(client: TestClient, url: str) -> None:
    page = client.get(url)
    assert page.status_code == 200, page.text[:300]
    found = LEAKS.findall(main(page.text))
    assert not found, found


@pytest.mark.parametrize("url", ["/councils/manchester?as_at=1990-01-01", "/themes?as_at=1990-01-01",
                                 "/regions/london?as_at=1990-01-01", "/next?as_at=1990-01-01"])
def test_a_day_before_the_record_is_refused_in_words(client: TestClient, url: str) -> None:
    refused = client.get(url)
    assert refused.status_code == 422 and "None" not in refused.text and "2009-07-01" in refused.text


def test_compare_with_a_misspelt_council_is_a_404_page_with_the_form_and_suggestions(client: TestClient) -> None:
    page = client.get("/compare", params={"council": "manchster"})
    assert page.status_code == 404 and '<form class="compare"' in page.text
    assert 'href="/compare?council=manchester&amp;group=neighbours"' in page.text


# --- in a real browser ----------------------------------------------------------------------------

BROWSER_PAGES = ["/councils/manchester", "/councils/manchester?as_at=2016-01-01", "/councils/trafford",
                 "/councils/northamptonshire", "/changes?from=2018-01-01&to=2020-12-31", "/themes",
                 "/themes?region=london", "/compare", "/compare?council=manchester", "/regions", "/regions/north-west",
                 "/next", "/search?q=abuse"]


@pytest.fixture(scope="module")
def server(serve_locally):
    with serve_locally(create_app(SHIPPED)) as url:
        yield url


@pytest.mark.browser
@pytest.mark.parametrize("width", [320, 390, 1280, 1440])
def test_topic_pages_never_scroll_sideways_and_pass_axe(server: str, width: int) -> None:
    import shutil
    from pathlib import Path

    sync_api = pytest.importorskip("playwright.sync_api")
    chromium = shutil.which("chromium") or "/usr/bin/chromium"
    if not Path(chromium).exists():
        pytest.skip("no chromium: install Debian's chromium package")
    axe_module = pytest.importorskip("axe_playwright_python.sync_playwright") if width in (390, 1280) else None
    problems = []
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium, args=["--no-sandbox", "--disable-gpu"])
        page = browser.new_page(viewport={"width": width, "height": 900})
        for url in BROWSER_PAGES:
            page.goto(server + url)
            wide = page.evaluate("document.documentElement.scrollWidth")
            if wide > width:
                problems.append(f"{url}: {wide} px wide at {width}")
            if axe_module is not None:
                found = axe_module.Axe().run(page).response["violations"]
                problems += [f"{url}: axe {v['id']} ({v['impact']})" for v in found
                             if v["impact"] in ("serious", "critical")]
        browser.close()
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("url", ["/councils/manchester", "/next", "/themes", "/regions/london", "/compare"])
def test_an_empty_date_field_is_a_date_not_given(client: TestClient, url: str) -> None:
    blank = client.get(url + "?as_at=")
    assert blank.status_code == 200 and main(blank.text) == main(client.get(url).text)
