"""Reading Ofsted's pages: the listing of councils' children's services, and each council's
list of publications. Pure functions of a page's HTML, so each can be tested on a string.

    listing = read_listing(html, base_url)         # Listing([Provider(urn, name, url)], stated=153)
    publications = read_provider(html, base_url)   # [Publication(kind, published, url, text)]

The layout facts (checked against the live site when it was reachable, and as D2I's daily
ofsted-ilacs-scrape-tool reads it): a listing page links to each result's `/provider/<n>/<urn>`
and says how many results there are ('153 results'); pages are asked for by `start=` and
`rows=` (at most 100); a publication is `a.publication-link` whose hidden
`span.nonvisual` says "children's services inspection, pdf - 19 May 2022". A page that has
none of these has changed its layout: LayoutChanged, never "nothing new".
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

from lacs.domain.dates import parse_date
from lacs.errors import BadSite, LayoutChanged

OFSTED = "https://reports.ofsted.gov.uk"
LISTING_PATH = ("/search?q=&location=&lat=&lon=&radius=&level_1_types=3&level_2_types%5B%5D=12"
                "&start={start}&rows={rows}")
ROWS = 100

# Publication kinds as the site words them -> lacs's kind; "report" kinds are built as inspections.
KINDS = {
    "children's services inspection": "report",
    "focused visit": "focused_visit",
    "monitoring visit": "monitoring_visit",
    "joint targeted area inspection": "joint_targeted_area_inspection",
}

_PROVIDER = re.compile(r"/provider/\d+/(\d+)/?$")
_RESULTS = re.compile(r"\b(\d{1,3}(?:,\d{3})+|\d+)\s+results?\b", re.I)
_NONVISUAL = re.compile(r"^\s*(?P<kind>.+?),\s*(?P<format>[a-z]+)\s*-\s*(?P<date>\d{1,2}\s+\w+\s+\d{4})\s*$", re.I)


@dataclass(frozen=True)
class Provider:
    urn: int
    name: str
    url: str


@dataclass(frozen=True)
class Publication:
    kind: str  # a KINDS value, or the site's own words for a kind lacs does not know
    published: date | None
    url: str
    text: str  # the link's hidden description, as the site gave it

    @property
    def is_report(self) -> bool:
        return self.kind == "report"


def listing_url(site: str, start: int = 0, rows: int = ROWS) -> str:
    return site.rstrip("/") + LISTING_PATH.format(start=start, rows=rows)


@dataclass(frozen=True)
class Listing:
    """One page of the listing: its providers in page order, and the number of results the page
    says there are ('153 results'), None if it does not say."""

    providers: list[Provider]
    stated: int | None


def read_listing(html: str, base_url: str) -> Listing:
    """Every provider a listing page links to (each `/provider/<n>/<urn>` link anywhere on the
    page, once per URN, as the analysts' daily scraper reads it) and the page's own count of
    results. Paging is by `start=`, not by a 'next' link, so no class is relied on."""
    parser = _Links()
    parser.feed(html)
    providers, seen = [], set()
    for href, text, _ in parser.links:
        match = _PROVIDER.search(href.split("?")[0].split("#")[0])
        if match and int(match.group(1)) not in seen:
            seen.add(int(match.group(1)))
            providers.append(Provider(int(match.group(1)), " ".join(text.split()), urljoin(base_url, href)))
    counts = _RESULTS.findall(" ".join(parser.words))
    return Listing(providers, int(counts[0].replace(",", "")) if counts else None)


def check_site(site: str) -> str:
    """The site's base URL, checked before any request: http or https, a host, a port if any
    that is a number, nothing after the path. Raises BadSite otherwise."""
    try:
        parts = urlsplit(site.strip())
        port = parts.port  # raises ValueError for a port that is no number or out of range
        host = parts.hostname
    except ValueError as exc:
        raise BadSite("site", site, reason=f"not a URL ({exc})") from None
    if parts.scheme not in ("http", "https"):
        raise BadSite("site", site, reason="not an http or https URL")
    if not host:
        raise BadSite("site", site, reason="no host")
    if parts.query or parts.fragment:
        raise BadSite("site", site, reason="a query or fragment where the site's address should end")
    del port
    return site.strip().rstrip("/")


def read_provider(html: str, base_url: str) -> list[Publication]:
    """Every publication a council's page lists; LayoutChanged if it lists none."""
    parser = _Links()
    parser.feed(html)
    found = []
    for href, _, classes in parser.links:
        if "publication-link" not in classes.split():
            continue
        text = parser.nonvisual.get(href, "")
        match = _NONVISUAL.match(text)
        if not match:
            found.append(Publication(" ".join(text.split()) or "unknown", None, urljoin(base_url, href), text))
            continue
        words = match.group("kind").strip().lower().replace("’", "'")
        try:
            published = parse_date(match.group("date").title())
        except ValueError:
            published = None
        found.append(Publication(KINDS.get(words, words), published, urljoin(base_url, href), text.strip()))
    if not found:
        raise LayoutChanged(f"{base_url}: no publication links (a.publication-link) on the page; "
                            "the site's layout may have changed")
    return found


class _Links(HTMLParser):
    """Collects every <a>: (href, text, class), each link's span.nonvisual text, and the page's
    text outside scripts and styles (`words`)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.links: list[tuple[str, str, str]] = []
        self.words: list[str] = []
        self._skip = 0  # inside <script> or <style>
        self.nonvisual: dict[str, str] = {}
        self._href: str | None = None
        self._classes = ""
        self._text: list[str] = []
        self._in_nonvisual = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = {k: v or "" for k, v in attrs}
        if tag in ("script", "style"):
            self._skip += 1
        if tag == "a":
            self._href, self._classes, self._text = attributes.get("href", ""), attributes.get("class", ""), []
        elif tag == "span" and self._href is not None and "nonvisual" in attributes.get("class", "").split():
            self._in_nonvisual = 1
            self.nonvisual[self._href] = ""

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style") and self._skip:
            self._skip -= 1
        if tag == "span" and self._in_nonvisual:
            self._in_nonvisual = 0
        elif tag == "a" and self._href is not None:
            self.links.append((self._href, "".join(self._text), self._classes))
            self._href = None

    def handle_data(self, data: str) -> None:
        if not self._skip:
            self.words.append(data)
        if self._href is None:
            return
        if self._in_nonvisual:
            self.nonvisual[self._href] += data
        else:
            self._text.append(data)
