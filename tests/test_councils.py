from __future__ import annotations

import pytest

from lacs.domain.councils import load_councils, match_council, name_key


def test_register_has_the_153_current_councils_and_the_former_ones() -> None:
    councils = load_councils()
    current = [c for c in councils if c.is_current]
    assert len(current) == 153
    assert all(c.urn and c.dfe_code and c.gss_code and c.region for c in current)
    assert all(len(c.neighbours) == 10 for c in current)
    former = {c.name: c for c in councils if not c.is_current}
    assert set(former) == {"Bournemouth", "Poole", "Dorset County", "Northamptonshire", "Cumbria"}
    assert former["Northamptonshire"].successors == ("940", "941")
    assert former["Northamptonshire"].end == "2021-04-01"


@pytest.mark.parametrize(
    ("printed", "name"),
    [
        ("Manchester City Council", "Manchester"),
        ("London Borough of Barking and Dagenham", "Barking and Dagenham"),
        ("Bristol City of", "Bristol"),
        ("City of Bristol", "Bristol"),
        ("Kingston Upon Hull City Council", "Kingston Upon Hull"),
        ("City of London", "City of London"),
        ("BCP", "Bournemouth, Christchurch and Poole"),
        ("Bournemouth, Christchurch & Poole", "Bournemouth, Christchurch and Poole"),
        ("The Royal Borough of Windsor and Maidenhead", "Windsor and Maidenhead"),
        ("East Riding", "East Riding of Yorkshire"),
    ],
)
def test_match_council(printed: str, name: str) -> None:
    assert [c.name for c in match_council(printed)] == [name]


def test_dorset_depends_on_the_date() -> None:
    assert [c.name for c in match_council("Dorset", "2016-05-01")] == ["Dorset County"]
    assert [c.name for c in match_council("Dorset Council", "2021-09-27")] == ["Dorset"]


def test_name_key_drops_only_words_that_say_what_kind_of_council() -> None:
    assert name_key("London Borough of Hammersmith & Fulham") == "hammersmith fulham"
    assert name_key("City of London") == "city of london"


def test_every_council_has_its_own_address_the_current_one_the_short_one() -> None:
    from lacs.domain.councils import slug

    names = [c.name for c in load_councils()]
    assert len({slug(n) for n in names}) == len(names)
    assert slug("Dorset") == "dorset" and slug("Dorset County") == "dorset-county"
