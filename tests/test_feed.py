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
