"""The dashboard in a real browser (Debian's chromium, driven by Playwright), at a phone's width
(390 px) and a desktop's (1280 px).

Every page type, with URLs picked from the shipped record (a council inspected under the newest
framework, one with history from Ofsted's official statistics, a former council, a council that
took over from one, a region), is checked for: the status a browser should get, as an HTML page;
no sideways scroll; no Python or internal names in what people read ("None", "nan", a lone "?",
`pre_sif`, `requires_improvement`...); no serious or critical axe-core violation. Besides: the
API's errors stay JSON; a crawl from / finds every internal link answering 200; the keyboard
reaches the skip link first, then the header's navigation, with focus visible; the grade colours
have the contrast graphics (3:1) and badge text (4.5:1) need. The map's 153 linked cells are
followed to a council with nothing failing on the console.

Each page is loaded once per width and every check reads that one visit (`Visits`; a page whose
ETag is that of one already measured at that width is not measured again). No request
leaves 127.0.0.1: the browser is refused anything else, and the page's checks fail if one is tried.
Skips with a message where chromium, playwright or axe-playwright-python is missing.
"""

from __future__ import annotations

import re
import shutil
from collections import deque
from collections.abc import Iterator
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from typing import Any
from urllib.parse import urljoin, urlsplit

import pytest

from lacs.domain.frameworks import HEADLINE, frameworks
from lacs.domain.grades import NO_GRADE, Grade, grade_words

pytestmark = pytest.mark.browser
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
playwright_api = pytest.importorskip("playwright.sync_api",
                                     reason="playwright is not installed (pip install -e '.[test]')")
axe_api = pytest.importorskip("axe_playwright_python.sync_playwright",
                              reason="axe-playwright-python is not installed (pip install -e '.[test]')")
if not Path(CHROMIUM).exists():
    pytest.skip("no chromium: install Debian's chromium package (apt-get install chromium)", allow_module_level=True)

WIDTHS = {390: 844, 1280: 900}  # viewport width: height (a phone, a desktop)
SERIOUS = ("serious", "critical")
CRAWL_CAP = 300
CRAWL_DEPTH = 2


def offered_areas() -> list[str]:
    """The areas the front page should offer: the headline and those of the newest framework's family."""
    family = frameworks()[-1].family
    keys = [HEADLINE, *(a for f in frameworks() if f.family == family for a in f.area_keys)]
    return list(dict.fromkeys(keys))


# Each page type (its role) and the status a browser should get; the URLs come from the record (`urls`).
PAGES: dict[str, int] = {
    "front": 200, "front-2016": 200, "front-first-day": 200, "front-empty-date": 200,
    **{f"front-{area}": 200 for area in offered_areas()},
    "councils": 200, "council-newest-framework": 200, "council-as-at-2016": 200, "council-official-history": 200,
    "council-former": 200, "council-successor": 200, "regions": 200, "region": 200,
    "compare": 200, "compare-council": 200, "compare-chosen": 200, "changes": 200, "changes-period": 200,
    "themes": 200, "next": 200, "search": 200, "search-words": 200, "data": 200, "api-docs": 200,
    "error-no-page": 404, "error-misspelt-council": 404, "error-bad-date": 422,
}
ERRORS = [role for role, status in PAGES.items() if status != 200]
MISSPELT, SUGGESTED = "manchster", "manchester"  # issue 17's example of a misspelt council


# --- the server, the browser, the pages ------------------------------------------------------

@pytest.fixture(scope="module")
def app() -> Any:
    from lacs.store.shipped import SHIPPED
    from lacs.web.app import create_app

    return create_app(SHIPPED)


@pytest.fixture(scope="module")
def server(app: Any, serve_locally: Any) -> Iterator[str]:
    with serve_locally(app) as url:
        yield url


@pytest.fixture(scope="module")
def browser():
    with playwright_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=[
            "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
            "--disable-component-update", "--disable-sync"])
        yield browser
        browser.close()


@pytest.fixture(scope="module")
def urls(app: Any) -> dict[str, str]:
    """Each role's URL, its council and region picked from the record the server serves."""
    from lacs.domain.councils import predecessors
    from lacs.web.render import slug

    db = app.state.db
    inspections = db.inspections(improvements=False)
    councils = db.councils()
    current = [c for c in councils if c.is_current]
    newest = frameworks()[-1].key
    under_newest = sorted((i.published or i.end, i.council) for i in inspections
                          if i.framework == newest and i.gss_code in {c.gss_code for c in current})
    inspected = {i.gss_code for i in inspections}
    official = sorted({i.council for i in inspections if i.official and i.gss_code in {c.gss_code for c in current}})
    picks = {
        "newest": under_newest[-1][1] if under_newest else None,
        "official": next((name for name in official if not under_newest or name != under_newest[-1][1]), None),
        "former": next((c.name for c in councils if not c.is_current and c.gss_code in inspected), None),
        "successor": next((c.name for c in current if any(p.gss_code in inspected for p in predecessors(c))), None),
    }
    s = {key: slug(name) for key, name in picks.items() if name}
    region = next((c.region for c in councils if c.name == picks["newest"]), current[0].region)
    found = {
        "front": "/", "front-2016": "/?as_at=2016-03-31", "front-first-day": f"/?as_at={app.state.served.first}",
        "front-empty-date": "/?as_at=", **{f"front-{area}": f"/?judgement={area}" for area in offered_areas()},
        "councils": "/councils", "regions": "/regions", "region": f"/regions/{slug(region)}", "compare": "/compare",
        "changes": "/changes", "changes-period": "/changes?from=2018-01-01&to=2023-12-31", "themes": "/themes",
        "next": "/next", "search": "/search", "search-words": "/search?q=neglect", "data": "/data",
        "api-docs": "/api/docs", "error-no-page": "/nope", "error-misspelt-council": f"/councils/{MISSPELT}",
        "error-bad-date": "/?as_at=2024-13-01",
    }
    if "newest" in s:
        found |= {"council-newest-framework": f"/councils/{s['newest']}",
                  "council-as-at-2016": f"/councils/{s['newest']}?as_at=2016-01-01",
                  "compare-council": f"/compare?council={s['newest']}"}
    for key in ("official", "former", "successor"):
        if key in s:
            found[{"official": "council-official-history"}.get(key, f"council-{key}")] = f"/councils/{s[key]}"
    if len(s) >= 3:
        found["compare-chosen"] = "/compare?councils=" + ",".join(list(s.values())[:3])
    return found


def guarded_context(browser: Any, width: int, refused: list[str]) -> Any:
    """A browser context at `width` that refuses (and notes) every request not to 127.0.0.1."""
    context = browser.new_context(viewport={"width": width, "height": WIDTHS[width]})

    def guard(route: Any) -> None:
        if urlsplit(route.request.url).hostname == "127.0.0.1":
            route.continue_()
        else:
            refused.append(route.request.url)
            route.abort()

    context.route("**/*", guard)
    return context


# What a page reports of itself, read in the browser in one go.
MEASURE = """(words) => {
  const W = window.innerWidth, body = document.body;
  const describe = e => e.tagName.toLowerCase() + (e.id ? '#' + e.id : '') +
    (typeof e.className === 'string' && e.className.trim() ? '.' + e.className.trim().split(/\\s+/).join('.') : '') +
    (e.getAttribute('aria-labelledby') ? `[aria-labelledby=${e.getAttribute('aria-labelledby')}]` : '');
  const clipped = e => { for (let p = e.parentElement; p && p !== body; p = p.parentElement) {
    if (['auto', 'scroll', 'hidden', 'clip'].includes(getComputedStyle(p).overflowX)) return true; } return false; };
  const over = e => e.getBoundingClientRect().right > W + 1;
  const wide = [];
  for (const e of body.querySelectorAll('*')) {
    if (over(e) && e.getBoundingClientRect().width > 0 && !clipped(e) && !(e.parentElement && over(e.parentElement)))
      wide.push(describe(e) + ' to ' + Math.round(e.getBoundingClientRect().right) + 'px');
  }
  const cells = [...document.querySelectorAll('td, th, dd, dt, li, caption, figcaption, label, option, summary')]
    .map(e => (e.innerText || '').trim());
  const said = [document.title,
    ...[...document.querySelectorAll('[title], [aria-label], [alt]')].flatMap(e =>
      ['title', 'aria-label', 'alt'].map(a => e.getAttribute(a) || '')),
    ...[...document.querySelectorAll('svg title, svg desc, svg text')].map(e => e.textContent)];
  const gradeWords = new Set(words);
  const badges = [...body.querySelectorAll('*')].filter(e => gradeWords.has((e.innerText || '').trim().toLowerCase()))
    .map(e => { const s = getComputedStyle(e); return [(e.innerText || '').trim(), s.color, s.backgroundColor]; })
    .filter(b => !/rgba\\(.*, 0\\)$/.test(b[2]) && b[2] !== 'transparent');
  const bg = [getComputedStyle(body).backgroundColor, getComputedStyle(document.documentElement).backgroundColor];
  const cut = [];
  for (const t of document.querySelectorAll('svg text')) {
    const r = t.getBoundingClientRect(), s = t.closest('svg').getBoundingClientRect();
    const out = Math.max(s.left - r.left, r.right - s.right, s.top - r.top, r.bottom - s.bottom);
    if (r.width > 0 && out > 1) cut.push(`chart text ${JSON.stringify(t.textContent.trim())} by ${Math.round(out)}px`);
  }
  for (const e of body.querySelectorAll('*')) {
    const s = getComputedStyle(e);
    if (['hidden', 'clip'].includes(s.overflowX) && e.scrollWidth > e.clientWidth + 1 && e.clientWidth > 1 &&
        s.textOverflow !== 'ellipsis' && (e.innerText || '').trim())
      cut.push(`${describe(e)} ${JSON.stringify((e.innerText || '').trim().slice(0, 30))} by ` +
               `${e.scrollWidth - e.clientWidth}px`);
  }
  return {scrollWidth: document.documentElement.scrollWidth, innerWidth: W, wide: wide.slice(0, 6), cut,
          text: body.innerText, cells, said, badges, backgrounds: bg};
}"""


@dataclass
class Visit:
    """One page at one width, as the browser saw it."""

    url: str
    width: int
    status: int
    content_type: str
    measured: dict[str, Any] = field(default_factory=dict)
    violations: list[dict[str, Any]] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)  # console errors, failed or refused requests
    links: list[str] = field(default_factory=list)  # every href on the page, resolved

    @property
    def is_html(self) -> bool:
        return self.content_type.startswith("text/html")

    def answered(self, expected: int) -> str | None:
        """Why the page cannot be checked further, or None."""
        if self.status == expected and self.is_html:
            return None
        why = (" (the page is not there yet)" if self.status == 404 and expected == 200
               else f" (expected {expected})" if self.status != expected else ": a browser should get an HTML page")
        return f"GET {self.url} at {self.width}px answered {self.status} {self.content_type}{why}"


class Visits:
    """Each (URL, width) loaded once in a page kept open per width, and measured."""

    def __init__(self, browser: Any, server: str) -> None:
        self.server = server
        self.refused: list[str] = []
        self.tabs: dict[int, Any] = {}
        self.contexts = {width: guarded_context(browser, width, self.refused) for width in WIDTHS}
        self.seen: dict[tuple[str, int], Visit] = {}
        self.same: dict[tuple[str, int], Visit] = {}  # by ETag: a page the same as one measured is not measured again
        self.words = [grade_words(g) for g in Grade] + [NO_GRADE]

    def tab(self, width: int) -> Any:
        if width not in self.tabs:
            self.tabs[width] = self.contexts[width].new_page()
        return self.tabs[width]

    def __call__(self, url: str, width: int) -> Visit:
        if (url, width) not in self.seen:
            self.seen[url, width] = self.load(url, width)
        return self.seen[url, width]

    def load(self, url: str, width: int) -> Visit:
        page = self.tab(width)
        problems: list[str] = []
        refused_before = len(self.refused)

        address = self.server + url

        def console(message: Any) -> None:  # an error page's own status is said on the console: not a problem
            if message.type in ("error", "warning") and message.location.get("url") != address:
                problems.append(f"console {message.type}: {message.text}")

        def response(answer: Any) -> None:
            if answer.status >= 400 and answer.url != address:
                problems.append(f"{answer.status}: {answer.url}")

        listeners = {"console": console, "response": response,
                     "requestfailed": lambda r: problems.append(f"failed: {r.url} ({r.failure})")}
        for event, listener in listeners.items():
            page.on(event, listener)
        try:
            response = page.goto(address, wait_until="load")
            visit = Visit(url, width, response.status if response else 0,
                          (response.headers.get("content-type", "") if response else ""))
            tag = (response.headers.get("etag", "") if response else "", width)
            if visit.is_html and tag[0] and tag in self.same:
                twin = self.same[tag]
                visit.measured, visit.links, visit.violations = twin.measured, twin.links, twin.violations
            elif visit.is_html:
                visit.measured = page.evaluate(MEASURE, self.words)
                visit.links = page.eval_on_selector_all("a[href]", "els => els.map(e => e.href)")
                results = axe_api.Axe().run(page)
                visit.violations = [v for v in results.response["violations"] if v.get("impact") in SERIOUS]
                self.same[tag] = visit
        finally:
            for event, listener in listeners.items():
                page.remove_listener(event, listener)
        visit.problems = problems + [f"refused (not 127.0.0.1): {u}" for u in self.refused[refused_before:]]
        return visit

    def close(self) -> None:
        for context in self.contexts.values():
            context.close()


@pytest.fixture(scope="module")
def visits(browser: Any, server: str) -> Visits:
    found = Visits(browser, server)
    yield found
    found.close()


def visited(visits: Visits, urls: dict[str, str], role: str, width: int) -> Visit:
    """The role's page at that width, checked to have answered as it should (else the test fails, saying so)."""
    if role not in urls:
        pytest.skip(f"the record holds no council for {role!r}")
    visit = visits(urls[role], width)
    why = visit.answered(PAGES[role])
    if why:
        pytest.fail(why)
    return visit


each_page = pytest.mark.parametrize("role", PAGES)
each_width = pytest.mark.parametrize("width", WIDTHS)


# --- every page, at both widths -------------------------------------------------------------

@each_width
@each_page
def test_page_answers_html_with_nothing_failing(visits, urls, role: str, width: int) -> None:
    visit = visited(visits, urls, role, width)
    assert visit.problems == [], f"{visit.url} at {width}px:\n" + "\n".join(visit.problems)


@each_width
@each_page
def test_page_does_not_scroll_sideways(visits, urls, role: str, width: int) -> None:
    visit = visited(visits, urls, role, width)
    m = visit.measured
    assert m["scrollWidth"] <= m["innerWidth"] + 1, (
        f"{visit.url} at {width}px is {m['scrollWidth']}px wide; wider than the window: {', '.join(m['wide'])}")


@each_width
@each_page
def test_page_cuts_off_no_text(visits, urls, role: str, width: int) -> None:
    """Charts keep their labels inside the drawing, and no box hides the end of its text."""
    visit = visited(visits, urls, role, width)
    cut = visit.measured["cut"]
    assert not cut, f"{visit.url} at {width}px cuts off:\n" + "\n".join(cut[:12])


def internal_names() -> list[str]:
    """Names people should never read: framework ids, area keys, grade values and report kinds
    with an underscore, from the registries, and the framework ids in lower case."""
    import lacs.domain.report_types as report_types
    from lacs.questions.themes import load_themes

    names = {f.key for f in frameworks()} | {a for f in frameworks() for a in f.area_keys} | {g.value for g in Grade}
    names |= {v.kind for v in vars(report_types).values() if isinstance(v, report_types.ReportType) and v.kind}
    names |= {t.key for t in load_themes()}
    return sorted(n for n in names if "_" in n or n in {f.key for f in frameworks()})


LEAKS = [re.compile(r"\bNone\b(?! of\b)"), re.compile(r"\b(?:nan|NaN|null|undefined)\b"),
         re.compile(r"(?<![\w./#-])(?:" + "|".join(map(re.escape, internal_names())) + r")(?![\w/-])")]
LONE = {"?", "None", "nan", "NaN", "null", "undefined"}


def leaks(visit: Visit) -> list[str]:
    m = visit.measured
    patterns = LEAKS if not visit.url.startswith("/api/") else LEAKS[:1]  # API docs name parameters and keys
    found = []
    for where, texts in (("text", [m["text"]]), ("label", m["said"])):
        for text in texts:
            for pattern in patterns:
                found += [f"{where}: …{text[max(0, hit.start() - 30):hit.end() + 30]}…".replace("\n", " ")
                          for hit in pattern.finditer(text or "")]
    found += [f"a cell of its own: {cell!r}" for cell in m["cells"] if cell in LONE]
    return list(dict.fromkeys(found))


@each_width
@each_page
def test_page_shows_no_python_or_internal_names(visits, urls, role: str, width: int) -> None:
    visit = visited(visits, urls, role, width)
    found = leaks(visit)
    assert not found, f"{visit.url} at {width}px shows:\n" + "\n".join(found[:12])


@each_width
@each_page
def test_page_has_no_serious_axe_violation(visits, urls, role: str, width: int) -> None:
    visit = visited(visits, urls, role, width)
    said = [f"{v['id']} ({v['impact']}): {v['help']}; at " + ", ".join(" ".join(n["target"]) for n in v["nodes"][:5])
            + (f" and {len(v['nodes']) - 5} more" if len(v["nodes"]) > 5 else "") for v in visit.violations]
    assert not said, f"{visit.url} at {width}px:\n" + "\n".join(said)


def test_the_checks_see_what_they_look_for(visits) -> None:
    """A page made here, too wide, with Python's words in it, is caught; a wide table in its own
    scrolling box and an English "None of" are not."""
    page = visits.contexts[390].new_page()  # about:blank: no page's CSP refuses the inline styles here
    page.set_content("<title>t</title><body><div class='wide' style='width: 700px'>None% of 0</div>"
                     "<div style='overflow-x: auto'><table style='width: 900px'><tr><td>?</td><td>pre_sif</td>"
                     "<td>requires improvement</td></tr></table></div><p>None of them; see /api/v1/x_y</p></body>")
    visit = Visit("/made-here", 390, 200, "text/html", page.evaluate(MEASURE, ["requires improvement"]))
    assert visit.measured["scrollWidth"] > 391 and visit.measured["wide"] == ["div.wide to 708px"]
    found = leaks(visit)
    assert [f.split(":")[0] for f in found] == ["text", "text", "a cell of its own"], found
    assert "None% of 0" in found[0] and "pre_sif" in found[1]
    assert round(contrast("#e0a100", "#fff"), 2) == 2.27 and contrast("#000", "rgb(255, 255, 255)") == 21
    page.close()


# --- errors: HTML for people, JSON for programs ----------------------------------------------

@pytest.mark.parametrize("role", ERRORS)
def test_errors_are_pages_that_say_what_to_do(visits, urls, role: str) -> None:
    visit = visited(visits, urls, role, 1280)
    text = visit.measured["text"]
    if role == "error-misspelt-council":
        assert any(urlsplit(link).path == f"/councils/{SUGGESTED}" for link in visit.links), \
            f"{visit.url}: no link to the suggested council /councils/{SUGGESTED}"
    if role == "error-bad-date":
        assert "as_at" in text and "YYYY-MM-DD" in text, f"{visit.url} does not name as_at and its form: {text[:300]}"
    assert any(urlsplit(link).path == "/" for link in visit.links), f"{visit.url}: no way back to the front page"


@pytest.mark.parametrize("accept", ["text/html,application/xhtml+xml,*/*;q=0.8", "application/json"])
@pytest.mark.parametrize(("path", "status"), [("/api/v1/nope", 404), (f"/api/v1/councils/{MISSPELT}", 404),
                                              ("/api/v1/snapshot?as_at=2024-13-01", 422)])
def test_api_errors_stay_json(server: str, path: str, status: int, accept: str) -> None:
    import httpx

    answer = httpx.get(server + path, headers={"Accept": accept})
    assert (answer.status_code, answer.headers["content-type"].split(";")[0]) == (status, "application/json")
    answer.json()


# --- every internal link ---------------------------------------------------------------------

class Links(HTMLParser):
    """The URLs a page links to: a, area and link hrefs, form actions, img and script srcs."""

    def __init__(self) -> None:
        super().__init__()
        self.found: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        wanted = {"a": "href", "area": "href", "link": "href", "form": "action", "img": "src", "script": "src"}
        for name, value in attrs:
            if value and (name == wanted.get(tag) or (tag == "a" and name == "xlink:href")):
                self.found.append(value)


def feed_shape(path: str) -> str | None:
    """Feeds are fetched one of each shape (the site's, one council's): the shape, or None if not a feed."""
    return re.sub(r"^/councils/[^/]+/", "/councils/*/", path) if path.endswith(".xml") else None


def test_every_internal_link_answers_200(server: str, urls: dict[str, str]) -> None:
    """Breadth first from / to depth 2 (and from each page type in the list), at most CRAWL_CAP URLs;
    downloads and feeds are fetched but not read, and only one feed of each shape."""
    import httpx

    queue = deque([("/", 0, "(start)")] + [(url, 1, "(the list of page types)") for role, url in urls.items()
                                           if PAGES[role] == 200])
    seen, feeds, failures, external = {u for u, _, _ in queue}, set(), [], set()
    checked = 0
    with httpx.Client(base_url=server, headers={"Accept": "text/html"}, timeout=30) as client:
        while queue and checked < CRAWL_CAP:
            url, depth, source = queue.popleft()
            shape = feed_shape(urlsplit(url).path)
            if shape:
                if shape in feeds:
                    continue
                feeds.add(shape)
            checked += 1
            answer = client.get(url)
            if answer.status_code != 200:
                failures.append(f"{url} answered {answer.status_code} (linked from {source})")
                continue
            if depth >= CRAWL_DEPTH or shape or url.startswith("/downloads/") or \
                    not answer.headers.get("content-type", "").startswith("text/html"):
                continue
            parser = Links()
            parser.feed(answer.text)
            for href in parser.found:
                target = urlsplit(urljoin(server + url, href))
                if target.scheme not in ("http", "https"):
                    continue
                if f"{target.scheme}://{target.netloc}" != server:
                    external.add(target.netloc)
                    continue
                found = target.path + (f"?{target.query}" if target.query else "")
                if found not in seen:
                    seen.add(found)
                    queue.append((found, depth + 1, url))
    print(f"crawl: {checked} URLs fetched, {len(queue)} left over the cap; links elsewhere: {sorted(external)}")
    assert not failures, f"{len(failures)} internal links do not answer 200:\n" + "\n".join(failures[:40])


# --- keyboard and focus ----------------------------------------------------------------------

FOCUSED = """() => {
  const e = document.activeElement, s = getComputedStyle(e), r = e.getBoundingClientRect();
  const href = e.getAttribute('href') || '';
  const target = href.startsWith('#') ? document.getElementById(href.slice(1)) : null;
  return {tag: e.tagName.toLowerCase(), text: (e.innerText || e.getAttribute('aria-label') || '').trim().slice(0, 40),
    header: !!e.closest('header'), nav: !!e.closest('nav') || (!!e.closest('header') && e.tagName === 'SUMMARY'),
    main: !!e.closest('main'),
    toMain: !!target && (target.tagName === 'MAIN' || !!target.closest('main') || !!target.querySelector('main')),
    outline: s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) > 0, shadow: s.boxShadow !== 'none',
    onScreen: r.width > 0 && r.height > 0 && r.bottom > 0 && r.right > 0 && r.left < innerWidth && r.top < innerHeight};
}"""


@each_width
@pytest.mark.parametrize("role", ["front", "council-newest-framework"])
def test_tab_reaches_skip_link_then_navigation_with_focus_visible(visits, urls, role: str, width: int) -> None:
    visited(visits, urls, role, width)  # loaded and answered
    page = visits.tab(width)
    page.goto(visits.server + urls[role], wait_until="load")
    stops = []
    for _ in range(30):
        page.keyboard.press("Tab")
        stops.append(page.evaluate(FOCUSED))
        if stops[-1]["main"]:
            break
    said = "\n".join(f"{n + 1}. <{s['tag']}> {s['text']!r}" + "".join(f" {k}" for k in ("header", "nav", "main")
                                                                     if s[k]) for n, s in enumerate(stops))
    first, *rest = stops
    assert "skip" in first["text"].lower() and first["toMain"], f"the first Tab stop is not a skip link:\n{said}"
    before_main = [s for s in rest if not s["main"]]
    assert before_main and before_main[0]["header"], f"the second Tab stop is not in the header:\n{said}"
    assert any(s["nav"] and s["header"] for s in before_main), f"no header navigation after the skip link:\n{said}"
    # Between the header and the main content only navigation (breadcrumbs) may take focus.
    assert all(s["header"] or s["nav"] for s in before_main), f"Tab stops outside the header or a nav:\n{said}"
    hidden = [f"<{s['tag']}> {s['text']!r}" for s in stops if not ((s["outline"] or s["shadow"]) and s["onScreen"])]
    assert not hidden, "focus not visible (no outline or box-shadow, or off screen) on: " + ", ".join(hidden)


# --- contrast of the grade colours -----------------------------------------------------------

def rgb(colour: str) -> tuple[float, float, float, float]:
    """'#e0a100', '#000', 'rgb(1, 2, 3)' or 'rgba(1, 2, 3, 0.5)' -> (r, g, b, alpha), 0-255 and 0-1."""
    if colour.startswith("#"):
        digits = colour[1:]
        digits = "".join(c * 2 for c in digits) if len(digits) == 3 else digits
        return (*(float(int(digits[i:i + 2], 16)) for i in (0, 2, 4)), 1.0)
    parts = [float(p) for p in re.findall(r"[\d.]+", colour)]
    return parts[0], parts[1], parts[2], parts[3] if len(parts) > 3 else 1.0


def luminance(colour: str) -> float:
    channels = [c / 255 for c in rgb(colour)[:3]]
    r, g, b = (c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(one: str, two: str) -> float:
    high, low = sorted((luminance(one), luminance(two)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def page_background(visit: Visit) -> str:
    """The body's background, else the root's, else the canvas's white."""
    return next((c for c in visit.measured["backgrounds"] if rgb(c)[3] > 0), "#ffffff")


def colour_keys() -> list[Any]:
    from lacs.web.render import GRADE_COLOURS

    return list(GRADE_COLOURS)


@pytest.mark.parametrize("grade", colour_keys(), ids=lambda g: g or "no-grade")
def test_grade_fill_stands_out_from_the_page(visits, urls, grade: str | None) -> None:
    from lacs.web.render import GRADE_COLOURS

    background = page_background(visited(visits, urls, "front", 1280))
    ratio = contrast(GRADE_COLOURS[grade], background)
    assert ratio >= 3, f"{grade_words(grade)} fill {GRADE_COLOURS[grade]} on {background}: {ratio:.2f}:1 (3:1 needed)"


def test_grade_badges_text_is_readable(visits, urls) -> None:
    roles = ["front", "front-2016", "council-newest-framework", "council-official-history", "compare-council"]
    badges = {tuple(b) for role in roles if role in urls
              for b in visits(urls[role], 1280).measured.get("badges", [])}
    assert badges, "no grade badge found on " + ", ".join(urls[r] for r in roles if r in urls)
    poor = [f"{words!r}: {ink} on {fill} is {contrast(ink, fill):.2f}:1" for words, ink, fill in sorted(badges)
            if contrast(ink, fill) < 4.5]
    assert not poor, "grade badges under 4.5:1:\n" + "\n".join(poor)


# --- the map, followed -----------------------------------------------------------------------

@pytest.mark.parametrize("width", WIDTHS)
def test_map_links_to_every_council_and_pages_load_cleanly(browser, server: str, width: int, tmp_path: Path) -> None:
    problems: list[str] = []
    context = guarded_context(browser, width, problems)
    page = context.new_page()
    page.on("console", lambda m: problems.append(f"console {m.type}: {m.text}"))
    page.on("requestfailed", lambda r: problems.append(f"failed: {r.url} ({r.failure})"))
    page.on("response", lambda r: problems.append(f"{r.status}: {r.url}") if r.status >= 400 else None)
    # Each page is left only once nothing is loading (its favicon included): a request cut short by
    # the test's own next navigation is the browser's doing, not a failure of the server.
    page.goto(f"{server}/?as_at=2024-03-31", wait_until="networkidle")
    cells = page.locator("svg.hexmap a")
    assert cells.count() == 153
    page.screenshot(path=str(tmp_path / f"index-{width}.png"), full_page=True)
    cells.nth(0).click()
    page.wait_for_load_state("networkidle")
    assert "/councils/" in page.url and page.locator("h1").count() == 1
    page.goto(f"{server}/search?q=abuse", wait_until="networkidle")
    assert "<mark>abuse</mark>" in page.content().lower()  # the shipped record's findings
    assert problems == []
    context.close()
