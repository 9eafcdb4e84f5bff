"""The Atom feed parses, has what RFC 4287 requires, and its entries are newest first with stable ids."""

from __future__ import annotations

from datetime import date
from xml.etree import ElementTree as ET

import lacs
from lacs.questions.feed import ATOM, atom_feed
from lacs.store.shipped import SHIPPED

NS = {"a": ATOM}


def test_the_feed_is_valid_atom_newest_first_with_stable_ids() -> None:
    db = lacs.open(SHIPPED)
    root = ET.fromstring(atom_feed(db, limit=5))
    assert root.tag == f"{{{ATOM}}}feed"
    for tag in ("id", "title", "updated", "author/a:name"):
        assert root.find(f"a:{tag}", NS) is not None and root.find(f"a:{tag}", NS).text, tag
    entries = root.findall("a:entry", NS)
    assert len(entries) == 5
    updated = [e.find("a:updated", NS).text for e in entries]
    assert updated == sorted(updated, reverse=True)
    for entry in entries:
        for tag in ("id", "title", "updated", "content"):
            assert entry.find(f"a:{tag}", NS).text, tag
        assert entry.find("a:link", NS).get("href").startswith("https://reports.ofsted.gov.uk/provider/44/")
    again = ET.fromstring(atom_feed(db, limit=5))
    assert [e.find("a:id", NS).text for e in again.findall("a:entry", NS)] == [e.find("a:id", NS).text for e in entries]
    assert len({e.find("a:id", NS).text for e in entries}) == 5


def test_since_and_limit() -> None:
    db = lacs.open(SHIPPED)
    root = ET.fromstring(atom_feed(db, since=date(2026, 1, 1), limit=500))
    published = [e.find("a:published", NS).text for e in root.findall("a:entry", NS)]
    assert published and all(p >= "2026-01-01" for p in published)


def test_a_feed_per_region_links_to_itself_and_takes_its_ids_from_the_base_url() -> None:
    db = lacs.open(SHIPPED)
    root = ET.fromstring(atom_feed(db, limit=500, region="North West", base_url="https://example.org/lacs/"))
    assert root.find("a:id", NS).text == "https://example.org/lacs/regions/north-west/feed.xml"
    assert root.find("a:link[@rel='self']", NS).get("href") == "https://example.org/lacs/regions/north-west/feed.xml"
    north_west = {c.name for c in db.councils() if c.region == "North West"}
    entries = root.findall("a:entry", NS)
    assert entries
    for entry in entries:
        page = entry.find("a:link[@rel='related']", NS).get("href")
        assert entry.find("a:id", NS).text.startswith(page + "#inspection-")
        assert any(entry.find("a:title", NS).text.startswith(name) for name in north_west)


def test_without_a_base_url_ids_stay_tag_uris_and_each_feed_has_its_own() -> None:
    db = lacs.open(SHIPPED)
    national = ET.fromstring(atom_feed(db, limit=1))
    council = ET.fromstring(atom_feed(db, limit=1, council="Manchester"))
    assert national.find("a:id", NS).text.startswith("tag:") and council.find("a:id", NS).text.startswith("tag:")
    assert national.find("a:id", NS).text != council.find("a:id", NS).text
    assert council.find("a:link[@rel='self']", NS).get("href") == "/councils/manchester/feed.xml"


def test_an_unknown_region_names_the_regions() -> None:
    import pytest

    from lacs.errors import BadQuestion

    with pytest.raises(BadQuestion, match="North West"):
        atom_feed(lacs.open(SHIPPED), region="Narnia")
