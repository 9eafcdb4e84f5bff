"""An Atom feed (RFC 4287) of the most recent inspections, newest first: each entry's title is
its story's headline, its content the headline, first paragraph and the story's claims of a first
(the council's own, and beyond it: the first in its region or in England), its link the council's
page of reports on Ofsted's site, and its id stable (council code and fieldwork dates).

    xml = atom_feed(db, since=date(2025, 1, 1), limit=20)
    xml = atom_feed(db, region="North West", base_url="https://example.org/lacs")

With `base_url` (where the user serves or publishes the dashboard) the feed's and entries' ids
are addresses on it, the feed links to itself (rel="self") and each entry to its council's page;
without one, ids are tag: URIs that never change, and the self link is the feed's own path.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from typing import NamedTuple
from xml.etree import ElementTree as ET

from lacs import __version__
from lacs.domain.councils import slug
from lacs.domain.frameworks import REVIEW_KINDS
from lacs.errors import BadQuestion
from lacs.questions.export import report_url
from lacs.questions.story import story
from lacs.store.database import Database, Inspection

ATOM = "http://www.w3.org/2005/Atom"
FEED_ID = "tag:lacs.invalid,2026:inspections"
TAG = "tag:lacs.invalid,2026:"
RIGHTS = ("Grades are Ofsted's, read from its reports and official statistics. Contains public sector "
          "information licensed under the Open Government Licence v3.0.")
FIRSTS = ("first_time", "first_beyond")  # the story's facts an entry adds to its first paragraph


def atom_feed(db: Database, since: date | None = None, limit: int = 20, council: str | None = None,
              region: str | None = None, base_url: str | None = None) -> str:
    """The feed as an XML string; with `council` or `region`, that council's or region's inspections."""
    ET.register_namespace("", ATOM)
    regions = sorted({c.region for c in db.councils() if c.region})
    if region is not None:
        region = next((r for r in regions if r.lower() == region.strip().lower()), None) or region
        if region not in regions:
            raise BadQuestion("region", region, regions)
    in_region = {c.gss_code for c in db.councils() if c.region == region} if region else None
    entries = [_Entry(i, i.published, i.gss_code)
               for i in db.inspections(council, with_predecessors=False, improvements=False)
               if i.published and i.gss_code and i.kind not in REVIEW_KINDS and not i.official
               and (since is None or i.published >= since)  # the feed is of reports; official-only ones have none
               and (in_region is None or i.gss_code in in_region)]
    entries.sort(key=lambda e: (e.published, e.inspection.end or e.published, e.gss_code), reverse=True)
    chosen = entries[:limit]
    feed = ET.Element(f"{{{ATOM}}}feed")
    path = feed_path(db, council, region)
    base = base_url.rstrip("/") if base_url else None
    _text(feed, "id", base + path if base else FEED_ID + path.removeprefix("/feed.xml").removesuffix("/feed.xml"))
    scope = f": {db.council(council).name}" if council else f": {region}" if region else ""
    _text(feed, "title", f"Ofsted judgements of English councils' children's services{scope} (lacs)")
    ET.SubElement(feed, f"{{{ATOM}}}link", {"rel": "self", "href": (base or "") + path,
                                             "type": "application/atom+xml"})
    _text(feed, "updated", _stamp(chosen[0].published if chosen else date(2012, 1, 1)))
    _text(feed, "rights", RIGHTS)
    author = ET.SubElement(feed, f"{{{ATOM}}}author")
    _text(author, "name", "lacs, from Ofsted's reports")
    ET.SubElement(feed, f"{{{ATOM}}}generator", {"version": __version__}).text = "lacs"
    for inspection, published, gss_code in chosen:
        told = story(db, gss_code, inspection.start or published)
        entry = ET.SubElement(feed, f"{{{ATOM}}}entry")
        key = f"inspection/{gss_code}/{inspection.start}/{inspection.end}"
        page = f"{base}/councils/{slug(told.council.name)}"
        _text(entry, "id", f"{page}#inspection-{inspection.start}-{inspection.end}" if base else TAG + key)
        _text(entry, "title", told.headline)
        _text(entry, "updated", _stamp(published))
        _text(entry, "published", _stamp(published))
        url = report_url(told.council.urn)
        if url:
            ET.SubElement(entry, f"{{{ATOM}}}link", {"rel": "alternate", "href": url})
        if base:
            ET.SubElement(entry, f"{{{ATOM}}}link", {"rel": "related", "type": "text/html", "href": page})
        content = ET.SubElement(entry, f"{{{ATOM}}}content", {"type": "text"})
        firsts = " ".join(f.text for f in told.facts if f.kind in FIRSTS)
        content.text = "\n\n".join([told.headline, *told.paragraphs[:1], *([firsts] if firsts else [])])
    return ET.tostring(feed, encoding="unicode", xml_declaration=True) + "\n"


def feed_path(db: Database, council: str | None = None, region: str | None = None) -> str:
    """Where the dashboard serves this feed: /feed.xml, /councils/<slug>/feed.xml, /regions/<slug>/feed.xml."""
    if council:
        return f"/councils/{slug(db.council(council).name)}/feed.xml"
    if region:
        return f"/regions/{slug(region)}/feed.xml"
    return "/feed.xml"


class _Entry(NamedTuple):
    """An inspection in the feed, with the publication date and council code it must have."""

    inspection: Inspection
    published: date
    gss_code: str


def _text(parent: ET.Element, tag: str, text: str) -> None:
    ET.SubElement(parent, f"{{{ATOM}}}{tag}").text = text


def _stamp(day: date) -> str:
    return datetime.combine(day, time(0, 0), tzinfo=UTC).isoformat().replace("+00:00", "Z")
