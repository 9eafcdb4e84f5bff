"""What every page shares: the templates, the colours of the grades, council slugs, internal links,
the header's navigation, breadcrumbs and the footer's freshness.

    html = render(request, "council.html", history=history, as_at=as_at,
                  crumbs=[("Councils", "/councils")])        # the trail above the page's h1

Every internal link in a template is written `{{ link("/councils/manchester", as_at=as_at) }}`,
never as a bare path: the server's links are absolute paths with their query (parameters that
are None or "" are left out); a static copy of the site (`app.state.links`, a function from the
page's own path to a link function) can make them relative to the page instead.

A page that answers for "now" (no ?as_at= given: the front page, who is due) passes
`depends_on_now=True`; its footer then says the day it is as at beside the record's own date.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from datetime import date
from functools import lru_cache
from typing import Any
from urllib.parse import urlencode

from fastapi import Request
from fastapi.responses import HTMLResponse
from jinja2 import Environment, PackageLoader, select_autoescape
from markupsafe import Markup, escape

from lacs import __version__
from lacs.domain.councils import Council, slug
from lacs.domain.frameworks import (
    HEADLINE,
    Framework,
    area_title,
    current_areas,
    frameworks,
    maybe_framework,
    ordered_areas,
    short_title,
)
from lacs.domain.grades import Grade, grade_words
from lacs.store.database import Database, Inspection
from lacs.web.served import Served

Link = Callable[..., str]
ISO_DATE = re.compile(r"\b\d{4}-\d{2}-\d{2}\b")
templates = Environment(loader=PackageLoader("lacs.web", "templates"), autoescape=select_autoescape(["html"]))
templates.filters["marks"] = lambda text: Markup(  # FTS5's [match] marks, after escaping the rest
    str(escape(text)).replace("[", "<mark>").replace("]", "</mark>"))
templates.filters["dates"] = lambda text: Markup(  # each YYYY-MM-DD kept on one line, after escaping the rest
    ISO_DATE.sub(r"<time>\g<0></time>", str(escape(text))))

# Fills apart for colour-blind readers (blue / teal / amber / vermilion after the Okabe-Ito palette),
# always beside the grade in words. Each has at least 3:1 contrast against the white page (a graphic,
# WCAG 1.4.11) and 4.5:1 against its text (GRADE_TEXT, white unless marked): tests/test_web_design.py.
GRADE_COLOURS = {"outstanding": "#0b5394", "good": "#1b7f6b", "requires_improvement": "#c07a00",
                 "adequate": "#c07a00", "inadequate": "#b3321b", "not_judged": "#505a5f", None: "#8c8c8c"}
GRADE_TEXT = {"requires_improvement": "#000", "adequate": "#000", None: "#000"}
PAGE = "#ffffff"  # the page's background, which every fill must stand out from
OUTLINE = "#0b0c0c"  # the hex map's outlines and the hatching of "no grade in this area under its framework"

# The header's navigation, in reading order: (path, words).
NAVIGATION = (("/", "Map"), ("/councils", "Councils"), ("/regions", "Regions"), ("/compare", "Compare"),
              ("/changes", "Changes"), ("/themes", "Themes"), ("/next", "Who is due"), ("/search", "Search"),
              ("/data", "Data and downloads"), ("/api/docs", "API"))


SERVER_ONLY = ("/search", "/api/docs")  # what a static copy of the site cannot offer


def absolute_links(page: str) -> Link:
    """The server's link function for the page at `page`: absolute paths, whatever the page."""

    def link(target: str, **query: Any) -> str:
        if not query:
            return target
        given = tuple((name, str(value)) for name, value in query.items() if value is not None and value != "")
        return target + _query(given) if given else target

    return link


@lru_cache(maxsize=256)  # a page links hundreds of times with the same ?as_at=
def _query(given: tuple[tuple[str, str], ...]) -> str:
    return "?" + urlencode(given)


def badge(grade: Grade | str | None) -> Markup:
    """A grade in words on its colour: `{{ badge(grade) }}` (a function, not a macro: a page has hundreds)."""
    value = grade.value if isinstance(grade, Grade) else grade
    return _badge(value)


@lru_cache(maxsize=32)
def _badge(value: str | None) -> Markup:
    return Markup(f'<span class="grade g-{value or "none"}">{escape(grade_words(value))}</span>')


def council_options(names: Iterable[str]) -> Markup:
    """The council picker's <option>s (every council's name), made once per list of names."""
    return _options(tuple(names))


@lru_cache(maxsize=8)
def _options(names: tuple[str, ...]) -> Markup:
    return Markup("".join(f'<option value="{escape(n)}">' for n in names))


def render(request: Request, template: str, status_code: int = 200, **context: Any) -> HTMLResponse:
    """A page, its footer telling the date of the record it was made from (Database.freshness)."""
    return HTMLResponse(page(request.app.state, request.url.path, template, **context), status_code=status_code)


def links_of(request: Request) -> Link:
    """The link function of the page a request asks for (for HTML a route draws itself)."""
    links: Callable[[str], Link] = getattr(request.app.state, "links", absolute_links)
    return links(request.url.path)


def page(state: Any, path: str, template: str, **context: Any) -> str:
    """The page's HTML, for `render` and for the answers the app's front layer makes itself (errors)."""
    served: Served = state.served
    links: Callable[[str], Link] = getattr(state, "links", absolute_links)
    context.setdefault("as_at", None)
    context.setdefault("crumbs", None)
    context.setdefault("depends_on_now", False)
    static = getattr(state, "static", False)  # lacs publish: no server behind the page (web/publish.py)
    context |= {"freshness": served.freshness.sentence(), "latest_published": served.freshness.latest_published,
                "today": date.today(), "version": __version__, "section": section(path), "static": static,
                "navigation": [n for n in NAVIGATION if not static or n[0] not in SERVER_ONLY],
                "colours": GRADE_COLOURS, "text_colours": GRADE_TEXT, "words": grade_words, "slug": slug,
                "badge": badge, "council_options": council_options,
                "path": path, "link": links(path)}
    return templates.get_template(template).render(**context)


def section(path: str) -> str:
    """The header's entry a page belongs to: '/councils/kent' -> '/councils'; '/' only for '/'."""
    if path == "/":
        return "/"
    return next((p for p, _ in NAVIGATION if p != "/" and (path == p or path.startswith(p + "/"))), "")


def council_link(name: str) -> dict[str, str]:
    return {"href": f"/councils/{slug(name)}", "text": name}


def council_by_slug(db: Database, name: str) -> Council:
    for council in db.councils():
        if slug(council.name) == name:
            return council
    return db.council(name.replace("-", " "))


# --- areas, in the registry's words (lacs.domain.frameworks) -------------------------------------


def front_areas() -> list[str]:
    """The areas a reader can choose on the front page: those of the newest family of frameworks."""
    return current_areas()


def area_label(key: str) -> str:
    """A short name for a choice of area: the framework's own title where it is short
    ('Overall effectiveness'), else its short column title ('Leaders', 'Help & protection')."""
    return _area_label(key, frameworks())


@lru_cache(maxsize=256)  # keyed on the registry too: a test may register a framework of its own
def _area_label(key: str, registry: tuple[Framework, ...]) -> str:
    for framework in registry:
        info = framework.area(key)
        if info and len(info.title) <= 30:
            return info.title
    short = short_title(key)
    return short[:1].upper() + short[1:]


def area_heading(key: str) -> str:
    """The newest framework's own title for an area ('The impact of leaders on social work practice ...')."""
    for framework in reversed(frameworks()):
        info = framework.area(key)
        if info:
            return info.title
    return area_label(key)


def graded_under(key: str) -> list[Framework]:
    """The frameworks that grade an area, oldest first."""
    return [f for f in frameworks() if f.own_key(key) is not None]


def framework_phrase(framework: Framework) -> str:
    """'under the 2026 framework'; 'before the single inspection framework' for one with no start."""
    if framework.starts is None:
        return framework.name[:1].lower() + framework.name[1:]
    return f"under the {framework.starts.year} framework"


def no_grade_reason(inspection: Inspection | None, key: str) -> str:
    """Why a council has no grade in an area, in words: never inspected in the record, an area its
    latest inspection's framework does not grade (no overall grade under the 2026 framework), or
    an area judged together with another."""
    if inspection is None:
        return "no inspection in the record"
    framework = maybe_framework(inspection.framework)
    if framework is None:
        return "no grade in this area"
    if framework.own_key(key) is None:
        what = "no overall grade" if key == HEADLINE else "not graded in this area"
        return f"{what} {framework_phrase(framework)}"
    covering = next((a for a in framework.areas if a.covers == key and a.key in inspection.judgements), None)
    if covering is not None:
        return f"judged as one with another area: “{covering.title_covering or covering.title}”"
    return "not graded in this area at this inspection"


def area_grades(inspection: Inspection) -> list[tuple[str, Grade]]:
    """The inspection's grades in the registry's order, each with its short name."""
    judged = inspection.judgements
    names = _area_names(inspection.framework, frozenset(judged), frameworks())
    return [(name, judged[key]) for key, name in names]


@lru_cache(maxsize=256)
def _area_names(framework: str, judged: frozenset[str], registry: tuple[Framework, ...]) -> tuple[tuple[str, str], ...]:
    """(area, its name) of an inspection's areas in display order: worked out once per kind of inspection."""
    newest = set(current_areas())
    return tuple((key, area_label(key) if key in newest else area_title(framework, key, set(judged)))
                 for key in ordered_areas(set(judged)))
