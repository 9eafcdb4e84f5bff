from __future__ import annotations

from datetime import date

import pytest

from lacs.domain.dates import parse_date, parse_fieldwork, parse_printed_date


@pytest.mark.parametrize(
    ("text", "parts"),
    [
        ("22 September 2025 to 3 October 2025", [(date(2025, 9, 22), date(2025, 10, 3))]),
        ("21 March to 1 April 2022", [(date(2022, 3, 21), date(2022, 4, 1))]),
        ("9 to 20 May 2022", [(date(2022, 5, 9), date(2022, 5, 20))]),
        ("25 June 2014 – 16 July 2014", [(date(2014, 6, 25), date(2014, 7, 16))]),
        ("9–24 November 2017", [(date(2017, 11, 9), date(2017, 11, 24))]),
        ("20 June 2017 ─ 13 July 2017", [(date(2017, 6, 20), date(2017, 7, 13))]),
        ("18 Feb 2014 – 12 March 2014", [(date(2014, 2, 18), date(2014, 3, 12))]),
        ("12/09/2016 to 06/10/2016", [(date(2016, 9, 12), date(2016, 10, 6))]),
        ("15 December to 9 January 2015", [(date(2014, 12, 15), date(2015, 1, 9))]),
        ("8 July 2019 to 12 July 2019 and 7 August 2019 to\n8 August 2019",
         [(date(2019, 7, 8), date(2019, 7, 12)), (date(2019, 8, 7), date(2019, 8, 8))]),
    ],
)
def test_parse_fieldwork(text: str, parts: list[tuple[date, date]]) -> None:
    assert list(parse_fieldwork(text).parts) == parts


def test_fieldwork_in_two_parts_spans_both() -> None:
    fieldwork = parse_fieldwork("30 September to 11 October 2024 and 13 to 16 January 2025")
    assert (fieldwork.start, fieldwork.end) == (date(2024, 9, 30), date(2025, 1, 16))
    assert fieldwork.days_on_site == 12 + 4


@pytest.mark.parametrize("text", ["", "sometime in May", "20 to 9 May 2022"])
def test_unreadable_fieldwork(text: str) -> None:
    with pytest.raises(ValueError):
        parse_fieldwork(text)


def test_parse_date() -> None:
    assert parse_date("Report published: 07 February 2017") == date(2017, 2, 7)
    with pytest.raises(ValueError):
        parse_date("no date here")


def test_parse_printed_date_reads_figures_day_first() -> None:
    assert parse_printed_date("Report published: 10/08/2015") == date(2015, 8, 10)
    assert parse_printed_date("25/11/2016") == date(2016, 11, 25)
    assert parse_printed_date("3 August 2015") == date(2015, 8, 3)
    for text in ("31/06/2017", "13/13/2016", "no date here"):
        with pytest.raises(ValueError):
            parse_printed_date(text)


def test_a_single_day_part_and_other_text_after_the_dates() -> None:
    fieldwork = parse_fieldwork(
        "12 to 23 October 2015 and 2 November 2015 Date of previous inspection: 1 to 12 May 2013")
    assert list(fieldwork.parts) == [(date(2015, 10, 12), date(2015, 10, 23)), (date(2015, 11, 2), date(2015, 11, 2))]


def test_parts_out_of_order_are_refused() -> None:
    with pytest.raises(ValueError, match="out of order"):
        parse_fieldwork("12 to 23 October 2015 and 1 to 5 May 2015")
