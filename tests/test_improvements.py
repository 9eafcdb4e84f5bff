"""The lists of what needs to improve, rule by rule, on small made-up texts; then the real
reports each rule was written for."""

from __future__ import annotations

from pathlib import Path

import pytest

from lacs.reports.extract import extract_report, record_from_pdf
from lacs.reports.improvements import first_list, read_list
from lacs.reports.pdf import PdfText, pdf_text_from_bytes
from samples import (
    LSCB_REVIEW_ALONE,
    SIF,
    SIF_2014_BODY,
    SIF_2014_WRAPPED_LSCB,
    SIF_BOXED_HEADING_PAGES,
    SIF_HEADED_BODY,
    ascii_pdf,
)


def record_of(*pages: str, name: str = "80476_kent/report.pdf"):
    return record_from_pdf(PdfText(name, "0" * 64, 1, pages))


def test_a_line_saying_there_is_nothing_to_list_is_not_a_point() -> None:
    record = record_of(SIF, "Executive summary\nText.", SIF_2014_BODY)
    assert record.improvements == ["Ensure that thresholds are clear, understood and consistently applied.",
                                   "Work with the police to ensure that notifications are timely."]
    assert record.lscb_improvements == ["Evaluate the impact of multi-agency training."]


def test_a_real_point_that_starts_with_no_is_kept() -> None:
    body = SIF_2014_BODY.replace("The inspection did not find any areas for priority and immediate action.",
                                 "No child should wait for an assessment.")
    assert record_of(SIF, "Text.", body).improvements[0] == "No child should wait for an assessment."


def test_bullets_under_a_numbered_heading_are_points_each_keeping_its_heading() -> None:
    record = record_of(SIF, "Executive summary\nText.", SIF_HEADED_BODY)
    assert record.improvements == [
        "Quality and effectiveness of practice: Develop a multi-agency response to concerns about children. "
        "This should be rooted in clear guidance.",
        "Quality and effectiveness of practice: Improve the quality of support on the edge of care.",
        "Oversight and scrutiny by senior leaders: Establish a stable and skilled permanent workforce.",
        "Ensure that: plans are up to date visits are recorded.",  # sub-points of a numbered point stay in it
    ]


def test_bullets_under_a_numbered_heading_from_a_pdf() -> None:
    pdf = pdf_text_from_bytes(ascii_pdf(SIF, "Executive summary", SIF_HEADED_BODY), "80476_kent/report.pdf")
    improvements = record_from_pdf(pdf).improvements
    assert len(improvements) == 4
    assert improvements[2] == ("Oversight and scrutiny by senior leaders: "
                               "Establish a stable and skilled permanent workforce.")


def test_an_lscb_review_alone_has_its_own_list_as_the_lscb_list() -> None:
    record = record_of(LSCB_REVIEW_ALONE)
    assert record.kind == "lscb_review"
    assert record.improvements == [] and "improvements" not in record.missing
    assert record.lscb_improvements == [
        "Update the levels of need document as a matter of urgency (paragraph 4).",
        "Put in place a process for assessing the impact of training (paragraph 15)."]


def test_an_lscb_review_alone_keeps_its_list_when_its_judgement_is_not_read() -> None:
    record = record_of(LSCB_REVIEW_ALONE.replace("requires improvement", "is improving"))
    assert "lscb" not in record.judgements
    assert len(record.lscb_improvements) == 2


# --- the real reports -----------------------------------------------------------------------

NOTHING_FOUND = {  # (council points, LSCB points), counted by reading each report
    "80488_bexley/children's services inspection - 23 may 2014.pdf": (34, 10),
    "80503_hounslow/children's services inspection - 21 march 2014.pdf": (26, 7),
    "80533_nottingham/children's services inspection - 14 may 2014.pdf": (26, 6),
    "80561_staffordshire/children's services inspection - 21 march 2014.pdf": (8, 2),
    "80568_swindon/children's services inspection - 23 may 2014.pdf": (16, None),
    "80539_portsmouth/children's services inspection - 01 september 2014.pdf": (11, 4),
}


def test_a_heading_given_last_on_its_page_heads_the_list_at_the_page_top() -> None:
    record = record_of(SIF, *SIF_BOXED_HEADING_PAGES)
    assert record.improvements == ["Improve the quality of assessments.", "Ensure that plans are specific."]
    assert record.lscb_improvements == [
        "Extend the range of the performance data set to include data on child sexual exploitation.",
        "Strengthen the evaluation of training."]


def test_a_heading_last_on_its_page_over_a_list_that_runs_on_to_it_stays_where_it_is() -> None:
    # An orphaned heading after paragraphs 5-6 that carry on past it is not out of place: its list is 7-8.
    lines = ["Summary", "5. Text of the summary.", "6. More text.", "Recommendations",
             "7. Ensure that plans are specific.", "8. Improve the quality of assessments.", "Information about this"]
    assert first_list(lines, ("Recommendations",), 0, ("Information about this",), frozenset({3, 6}))[1] == [
        "Ensure that plans are specific.", "Improve the quality of assessments."]


def test_a_section_heading_wrapped_over_two_lines_opens_the_lscb_list() -> None:
    record = record_of(SIF, "Text.", SIF_2014_WRAPPED_LSCB)
    assert len(record.improvements) == 2
    assert record.lscb_improvements == [
        "KSCB should ensure that information provided by agencies contains sufficient analysis.",
        "The Chair and Board should ensure that the annual report has a focus on the child’s journey."]


def test_a_long_section_heading_between_paragraphs_ends_a_numbered_list() -> None:
    lines = ["Areas for improvement", "1. Evaluate training.", "2. Ensure that data is used.",
             "Key strengths and weaknesses of the Local Safeguarding Children Board", "3. Governance is effective."]
    assert read_list(lines, 0, (r".*\bstrengths\b.*",))[0] == ["Evaluate training.", "Ensure that data is used."]
    # A long line of an item's text that happens to match, and goes on, does not end it.
    lines[3:4] = ["Strengths of the board include its independent chair and partners, who have", "led it well."]
    assert read_list(lines, 0, (r".*\bstrengths\b.*",))[0][1].endswith("who have led it well.")


def test_redbridge_2016_lscb_recommendations_under_a_boxed_heading(corpus: Path) -> None:
    record = extract_report(corpus / "80512_redbridge/children's services inspection - 25 november 2016.pdf")
    assert len(record.lscb_improvements) == 3
    assert record.lscb_improvements[0].startswith("Extend the range of the performance data set")


@pytest.mark.parametrize(("name", "count", "first"), [
    ("80568_swindon/children's services inspection - 23 may 2014.pdf", 3, "SSCB should ensure that information"),
    ("80472_hampshire/children's services inspection - 22 april 2014.pdf", 2, "Evaluate the learning and impact"),
])
def test_2014_lscb_lists_under_a_wrapped_section_heading(name: str, count: int, first: str, corpus: Path) -> None:
    record = extract_report(corpus / name)
    assert len(record.lscb_improvements) == count
    assert record.lscb_improvements[0].startswith(first)


@pytest.mark.parametrize("name", NOTHING_FOUND)
def test_real_reports_whose_lists_say_nothing_was_found(name: str, corpus: Path) -> None:
    record = extract_report(corpus / name)
    council, lscb = NOTHING_FOUND[name]
    assert len(record.improvements) == council
    if lscb is not None:
        assert len(record.lscb_improvements) == lscb
    assert not any("did not find any" in p or "No areas were identified" in p
                   for p in record.improvements + record.lscb_improvements)


def test_slough_2016_bulleted_recommendations_under_numbered_headings(corpus: Path) -> None:
    record = extract_report(corpus / "80553_slough/children's services inspection - 17 february 2016.pdf")
    headings = ["Quality and effectiveness of practice", "Oversight and scrutiny by senior and political leaders",
                "Children who go missing or who are at risk of child sexual exploitation",
                "Provision and sufficiency of key services"]
    assert [sum(p.startswith(h + ": ") for p in record.improvements) for h in headings] == [7, 7, 3, 5]
    assert len(record.improvements) == 22
    assert record.improvements[-1] == ("Provision and sufficiency of key services: "
                                       "Review the effectiveness and organisation of support to care leavers.")


def test_surrey_2015_lscb_review_alone_has_its_eight_recommendations(corpus: Path) -> None:
    record = extract_report(corpus / "80567_surrey/children's services inspection - 03 august 2015.pdf")
    assert record.kind == "lscb_review"
    assert record.improvements == []
    assert len(record.lscb_improvements) == 8
    assert record.lscb_improvements[0].startswith("Update the ’Early help: multi-agency levels of need’ document")
