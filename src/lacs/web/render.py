"""What every page shares: the templates, the colours of the grades, council slugs, internal links.

    html = render(request, "council.html", history=history, as_at=as_at)

Every internal link in a template is written `{{ link("/councils/manchester", as_at=as_at) }}`,
never as a bare path: the server's links are absolute paths with their query (parameters that
are None are left out); a static copy of the site (`app.state.links`, a function from the
page's own path to a link function) can make them relative to the page instead.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import lru_cache
from typing import Any
from urllib.parse import urlencode

from fastapi import Request
from fastapi.responses import HTMLResponse
from jinja2 import Environment, PackageLoader, select_autoescape
from markupsafe import Markup, escape

from lacs import __version__
from lacs.domain.councils import Council, name_key
from lacs.domain.grades import grade_words
from lacs.store.database import Database
from lacs.web.served import Served

Link = Callable[..., str]
templates = Environment(loader=PackageLoader("lacs.web", "templates"), autoescape=select_autoescape(["html"]))
templates.filters["marks"] = lambda text: Markup(  # FTS5's [match] marks, after escaping the rest
    str(escape(text)).replace("[", "<mark>").replace("]", "</mark>"))

# Colours with WCAG AA contrast against white text or dark text as marked, apart for colour-blind readers
# (blue / teal / amber / vermilion from the Okabe-Ito palette), always beside the grade in words.
GRADE_COLOURS = {"outstanding": "#0b5394", "good": "#1b7f6b", "requires_improvement": "#e0a100",
                 "adequate": "#e0a100", "inadequate": "#b3321b", "not_judged": "#767676", None: "#d9d9d9"}
GRADE_TEXT = {"requires_improvement": "#000", "adequate": "#000", None: "#000"}


def absolute_links(page: str) -> Link:
    """The server's link function for the page at `page`: absolute paths, whatever the page."""

    def link(target: str, **query: Any) -> str:
        given = [(name, str(value)) for name, value in query.items() if value is not None and value != ""]
        return target + ("?" + urlencode(given) if given else "")

    return link


@lru_cache(maxsize=1024)  # the record's council and region names: a page draws hundreds
def slug(name: str) -> str:
    return name_key(name).replace(" ", "-") or name.lower().replace(" ", "-")


def render(request: Request, template: str, **context: Any) -> HTMLResponse:
    """A page, its footer telling the date of the record it was made from (web/served.py)."""
    served: Served = request.app.state.served
    links: Callable[[str], Link] = getattr(request.app.state, "links", absolute_links)
    context |= {"latest_published": served.latest_published, "shipped": served.db.shipped,
                "updated": served.written, "version": __version__,
                "colours": GRADE_COLOURS, "text_colours": GRADE_TEXT, "words": grade_words, "slug": slug,
                "path": request.url.path, "link": links(request.url.path)}
    return HTMLResponse(templates.get_template(template).render(**context))


def council_link(name: str) -> dict[str, str]:
    return {"href": f"/councils/{slug(name)}", "text": name}


def council_by_slug(db: Database, name: str) -> Council:
    for council in db.councils():
        if slug(council.name) == name:
            return council
    return db.council(name.replace("-", " "))
