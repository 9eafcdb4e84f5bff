"""Reading Ofsted's listing from a page's HTML: every /provider/ link, the page's own count, and
the site address checked before any request."""

from __future__ import annotations

import pytest

from lacs.errors import BadSite
from lacs.site.listing import check_site, listing_url, read_listing

BASE = "https://reports.ofsted.gov.uk/search?start=0&rows=100"


def test_every_provider_link_on_the_page_is_read_once_whatever_its_markup() -> None:
    page = """<p>Showing 1 to 3 of <strong>1,234</strong> results</p>
    <ul class="pagination"><li class="next"><a href="/search?start=100">Next</a></li></ul>
    <li><h3><a href="/provider/44/80521">Manchester</a></h3></li>
    <div class="card"><a href="https://reports.ofsted.gov.uk/provider/44/80476?x=1">Kent</a></div>
    <a href="/provider/44/80521#reports">Manchester again</a>
    <a href="/provider/44/80521/reports">not a provider's own page</a>
    <script>var s = "99 results";</script>"""
    listing = read_listing(page, BASE)
    assert [(p.urn, p.name) for p in listing.providers] == [(80521, "Manchester"), (80476, "Kent")]
    assert listing.providers[1].url == "https://reports.ofsted.gov.uk/provider/44/80476?x=1"
    assert listing.stated == 1234


def test_a_page_without_a_count_says_so() -> None:
    assert read_listing('<a href="/provider/44/80521">Manchester</a>', BASE).stated is None


def test_pages_are_asked_for_by_start_and_rows() -> None:
    assert listing_url("http://127.0.0.1:8000/", 100).endswith("&start=100&rows=100")


@pytest.mark.parametrize("bad, words", [
    ("http://[::1", "not a URL"), ("ftp://example.org", "not an http or https URL"), ("example.org", "not an http"),
    ("http://", "no host"), ("http://example.org:99999", "not a URL"), ("http://example.org/?q=1", "a query"),
])
def test_a_site_that_is_no_http_address_is_refused(bad: str, words: str) -> None:
    with pytest.raises(BadSite) as raised:
        check_site(bad)
    assert words in str(raised.value) and raised.value.parameter == "site" and repr(bad) in str(raised.value)


def test_a_good_site_is_given_without_its_last_slash() -> None:
    assert check_site(" http://[::1]:8000/ ") == "http://[::1]:8000"
    assert check_site("https://reports.ofsted.gov.uk") == "https://reports.ofsted.gov.uk"
