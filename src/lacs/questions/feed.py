"""An Atom feed (RFC 4287) of the most recent inspections, newest first: each entry's title is
its story's headline, its content the headline, first paragraph and the story's claims of a first
(the council's own, and beyond it: the first in its region or in England), its link the council's
page of reports on Ofsted's site, and its id stable (council code and fieldwork dates).

    xml = atom_feed(db, since=date(2025, 1, 1), limit=20)
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from typing import NamedTuple
from xml.etree import ElementTree as ET

from lacs import __version__
from lacs.domain.frameworks import REVIEW_KINDS
from lacs.questions.export import report_url
from lacs.questions.story import story
from lacs.store.database import Database, Inspection

ATOM = "http://www.w3.org/2005/Atom"
FEED_ID = "tag:lacs.invalid,2026:inspections"
FIRSTS = ("first_time", "first_beyond")  # the story's facts an entry adds to its first paragraph


def atom_feed(db: Database, since: date | None = None, limit: int = 20, council: str | None = None) -> str:
    """The feed as an XML string; with `council`, that council's inspections only."""
    ET.register_namespace("", ATOM)
    entries = [_Entry(i, i.published, i.gss_code)
               for i in db.inspections(council, with_predecessors=False, improvements=False)
               if i.published and i.gss_code and i.kind not in REVIEW_KINDS and not i.official
               and (since is None or i.published >= since)]  # the feed is of reports; official-only ones have none
    entries.sort(key=lambda e: (e.published, e.inspection.end or e.published, e.gss_code), reverse=True)
    chosen = entries[:limit]
    feed = ET.Element(f"{{{ATOM}}}feed")
    _text(feed, "id", FEED_ID)
    _text(feed, "title", "Ofsted judgements of English councils' children's services (lacs)")
    _text(feed, "updated", _stamp(chosen[0].published if chosen else date(2012, 1, 1)))
    author = ET.SubElement(feed, f"{{{ATOM}}}author")
    _text(author, "name", "lacs, from Ofsted's reports")
    ET.SubElement(feed, f"{{{ATOM}}}generator", {"version": __version__}).text = "lacs"
    for inspection, published, gss_code in chosen:
        told = story(db, gss_code, inspection.start or published)
        entry = ET.SubElement(feed, f"{{{ATOM}}}entry")
        _text(entry, "id", f"tag:lacs.invalid,2026:inspection/{gss_code}/{inspection.start}/{inspection.end}")
        _text(entry, "title", told.headline)
        _text(entry, "updated", _stamp(published))
        _text(entry, "published", _stamp(published))
        url = report_url(told.council.urn)
        if url:
            ET.SubElement(entry, f"{{{ATOM}}}link", {"rel": "alternate", "href": url})
        content = ET.SubElement(entry, f"{{{ATOM}}}content", {"type": "text"})
        firsts = " ".join(f.text for f in told.facts if f.kind in FIRSTS)
        content.text = "\n\n".join([told.headline, *told.paragraphs[:1], *([firsts] if firsts else [])])
    return ET.tostring(feed, encoding="unicode", xml_declaration=True) + "\n"


class _Entry(NamedTuple):
    """An inspection in the feed, with the publication date and council code it must have."""

    inspection: Inspection
    published: date
    gss_code: str


def _text(parent: ET.Element, tag: str, text: str) -> None:
    ET.SubElement(parent, f"{{{ATOM}}}{tag}").text = text


def _stamp(day: date) -> str:
    return datetime.combine(day, time(0, 0), tzinfo=UTC).isoformat().replace("+00:00", "Z")
