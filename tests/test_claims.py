"""Claims about a council's past and firsts beyond it, pinned on the cases the press and readers
caught, and every story in the record read for what a sub-editor would strike out."""

from __future__ import annotations

import re
from datetime import date

import pytest

import lacs
from lacs.domain.frameworks import REVIEW_KINDS
from lacs.domain.grades import Grade
from lacs.questions.claims import OVERALL, own_record, record_before
from lacs.questions.feed import atom_feed
from lacs.questions.history import council_history
from lacs.questions.story import story
from lacs.store.shipped import SHIPPED


@pytest.fixture(scope="module")
def db() -> lacs.Database:
    return lacs.open(SHIPPED)


def fact(db: lacs.Database, name: str, day: date | None, kind: str) -> str:
    return " ".join(f.text for f in story(db, name, day).facts if f.kind == kind)


def test_blackpool_2019_is_not_the_first_inadequate_its_2012_child_protection_was(db: lacs.Database) -> None:
    text = fact(db, "blackpool", date(2019, 1, 17), "first_time")
    assert "as low as" not in text and "in the record" not in text
    assert text == "It is not the first time: it was judged inadequate for child protection in 2012."
    own = own_record(db, db.council("blackpool"))
    before = record_before(own, Grade.INADEQUATE, OVERALL, date(2018, 12, 7))
    assert [j.area for j in before.at_or_worse] == ["child_protection_overall_effectiveness"]


@pytest.mark.parametrize(("name", "day", "expected"), [
    ("rochdale", date(2018, 3, 12), ["at its child protection inspection", "care leavers in 2014"]),
    ("cornwall", date(2016, 6, 27), ["last judged inadequate for overall effectiveness", "in 2011"]),
])
def test_never_inadequate_is_not_said_where_the_record_holds_an_inadequate(db: lacs.Database, name: str, day: date,
                                                                           expected: list[str]) -> None:
    s = story(db, name, day)
    text = " ".join(s.paragraphs)
    assert "not been judged inadequate" not in text
    since = fact(db, name, day, "since_inadequate")
    assert all(e in since for e in expected), since


def test_lambeth_2018_is_not_a_first_requires_improvement_or_better(db: lacs.Database) -> None:
    text = fact(db, "lambeth", date(2018, 5, 9), "first_time")
    assert "or better" not in text
    assert "outstanding for looked after children and for safeguarding in 2012" in text


def test_lancashire_2023_good_is_a_first_only_since_2013_and_says_so(db: lacs.Database) -> None:
    s = story(db, "lancashire", date(2023, 1, 26))
    assert "first time" not in s.headline
    text = fact(db, "lancashire", date(2023, 1, 26), "first_time")
    assert text.startswith("It is the first time the council has been judged good or better for overall "
                           "effectiveness since the single inspection framework (SIF) began in November 2013")
    assert "good for looked after children and for safeguarding in 2012" in text
    facts = council_history(db, "lancashire", date(2025, 1, 1)).to_json()["facts"]
    assert facts["first_time_at_grade"] is False and facts["first_time_scope"].startswith("since the single")
    assert facts["claims"][0] == text


def test_a_council_never_judged_inadequate_anywhere_says_so(db: lacs.Database) -> None:
    plymouth = council_history(db, "plymouth", date(2024, 12, 31)).to_json()["facts"]
    assert plymouth["never_inadequate"] is True and plymouth["last_inadequate"] is None
    assert "The council has not been judged inadequate in any area in the record." in plymouth["claims"]
    rochdale = council_history(db, "rochdale", date(2024, 12, 31)).to_json()["facts"]
    assert rochdale["never_inadequate"] is False and rochdale["last_inadequate"] == "2012-12-21"
    assert rochdale["last_inadequate_in_any_area"] == "2014-10-22"


def test_manchester_2025_is_the_first_outstanding_in_the_north_west(db: lacs.Database) -> None:
    s = story(db, "manchester", date(2025, 11, 11))
    firsts = [f for f in s.facts if f.kind == "first_beyond"]
    region = [f for f in firsts if f.data["where"] == "North West"]
    assert region and region[0].data["areas"] == ["overall"] and region[0].data["joint_with"] == []
    assert region[0].text.startswith("Manchester is the first council in the North West judged outstanding for "
                                     "overall effectiveness")
    facts = council_history(db, "manchester", date(2025, 12, 1)).to_json()["facts"]
    assert any(f["where"] == "North West" and f["grade"] == "outstanding" for f in facts["firsts"])
    assert atom_feed(db, council="manchester", limit=1).count("the first council in the North West") == 1


@pytest.mark.parametrize(("name", "other"), [("westminster", "Kensington and Chelsea"),
                                             ("kensington and chelsea", "Westminster")])
def test_the_march_2016_london_pair_are_joint_first_outstanding_under_the_sif(db: lacs.Database, name: str,
                                                                              other: str) -> None:
    s = story(db, name, date(2016, 3, 29))
    england = [f for f in s.facts if f.kind == "first_beyond" and f.data["where"] == "England"
               and f.data["areas"] == ["overall"]]
    assert len(england) == 1 and england[0].data["joint_with"] == [other]
    assert england[0].data["scope"]["since"] == "2013-11-01"  # not the record: some were outstanding before 2013
    assert "since the single inspection framework (SIF) began in November 2013" in england[0].text
    assert "both published on 29 March 2016" in england[0].text


FORBIDDEN = [
    (r"\bNone\b", "None"), (r"\?", "a question mark"), (r"\b[a-z]+_[a-z_]+\b", "an internal name"),
    (r"\b(?:pre_sif|ilacs_2026|sif|ilacs)\b", "a framework id"),
    (r"\bremain requires\b|\bwere requires\b|\bwas requires\b|\bare requires\b|\bjudged requires\b",
     "a grade in the wrong position"),
    (r"\b1 (?:things|councils|themes|statistical neighbours)\b|\bAmong its 1\b", "a singular counted as plural"),
    (r"\b(?:[02-9]|\d\d+) (?:thing|council|theme) ", "a plural counted as singular"),
    (r"\b\d+(?:st|nd|rd|th)\b", "an ordinal in figures"),
    (r"\b\d{4}-\d\d-\d\d\b", "an ISO date"), (r"\bno overall grade\)", "no grade as a grade"),
    (r"s's\b", "a possessive of a name ending in s"), (r"\s[,.;]|,,|\.\.", "stray punctuation"),
    (r"\blscb\b|\blac\b|\bplo\b|\blado\b", "an abbreviation in lower case"),
]


def test_every_story_in_the_record_reads_as_print(db: lacs.Database) -> None:
    told = 0
    for i in db.inspections(improvements=False):
        if not i.gss_code or i.kind in REVIEW_KINDS or i.predecessor or not (i.start or i.published):
            continue
        s = story(db, i.gss_code, i.start or i.published)
        told += 1
        for paragraph in [s.headline, *s.paragraphs]:
            for pattern, what in FORBIDDEN:
                found = re.search(pattern, paragraph)
                assert not found, f"{what} ({found.group(0)!r}) in {i.council} {i.placed_on}: {paragraph}"
            assert len(paragraph) <= 700, f"{i.council} {i.placed_on}: a paragraph of {len(paragraph)} characters"
        assert sum(len(p) for p in s.paragraphs) < 4000
    assert told > 700
