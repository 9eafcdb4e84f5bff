"""Reading Ofsted's pages: the listing of councils' children's services, and each council's
list of publications. Pure functions of a page's HTML, so each can be tested on a string.

    providers = read_listing(html, base_url)       # [Provider(urn, name, url)], next page's URL
    publications = read_provider(html, base_url)   # [Publication(kind, published, url, text)]

The layout facts (checked against the live site when it was reachable): a listing result
links to `/provider/<n>/<urn>`; a publication is `a.publication-link` whose hidden
`span.nonvisual` says "children's services inspection, pdf - 19 May 2022". A page that has
none of these has changed its layout: LayoutChanged, never "nothing new".
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from html.parser import HTMLParser
from urllib.parse import urljoin

from lacs.domain.dates import parse_date
from lacs.errors import LayoutChanged

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
_NONVISUAL = re.compile(r"^\s*(?P<kind>.+?),\s*(?P<format>[a-z]+)\s*-\s*(?P<date>\d{1,2}\s+\w+\s+\d{4})\s*$", re.I)


_VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}


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


def read_listing(html: str, base_url: str) -> tuple[list[Provider], str | None]:
    """The providers on one listing page (links to /provider/<n>/<urn> inside a search result)
    and the next page's URL (None on the last)."""
    parser = _Links()
    parser.feed(html)
    providers, seen = [], set()
    for n, (href, text, _) in enumerate(parser.links):
        match = _PROVIDER.search(href.split("?")[0]) if n in parser.in_results else None
        if match and int(match.group(1)) not in seen:
            seen.add(int(match.group(1)))
            providers.append(Provider(int(match.group(1)), " ".join(text.split()), urljoin(base_url, href)))
    following = next((urljoin(base_url, href) for href, _, classes in parser.links
                      if "pagination__next" in classes or "next" in classes.split()), None)
    return providers, following


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
    """Collects every <a>: (href, text, class), each link's span.nonvisual text, and which
    links sit inside a search result (an element whose class starts 'search-result')."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.links: list[tuple[str, str, str]] = []
        self.in_results: set[int] = set()  # indexes into links
        self._open: list[tuple[str, bool]] = []
        self.nonvisual: dict[str, str] = {}
        self._href: str | None = None
        self._classes = ""
        self._text: list[str] = []
        self._in_nonvisual = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = {k: v or "" for k, v in attrs}
        if tag not in _VOID:
            self._open.append((tag, any(c.startswith("search-result") for c in attributes.get("class", "").split())))
        if tag == "a":
            self._href, self._classes, self._text = attributes.get("href", ""), attributes.get("class", ""), []
        elif tag == "span" and self._href is not None and "nonvisual" in attributes.get("class", "").split():
            self._in_nonvisual = 1
            self.nonvisual[self._href] = ""

    def handle_endtag(self, tag: str) -> None:
        if any(t == tag for t, _ in self._open):
            while self._open and self._open.pop()[0] != tag:
                pass
        if tag == "a" and self._href is not None and any(result for _, result in self._open):
            self.in_results.add(len(self.links))
        if tag == "span" and self._in_nonvisual:
            self._in_nonvisual = 0
        elif tag == "a" and self._href is not None:
            self.links.append((self._href, "".join(self._text), self._classes))
            self._href = None

    def handle_data(self, data: str) -> None:
        if self._href is None:
            return
        if self._in_nonvisual:
            self.nonvisual[self._href] += data
        else:
            self._text.append(data)
