"""The lists of what needs to improve, rule by rule, on small made-up texts; then the real
reports each rule was written for."""

from __future__ import annotations

from pathlib import Path

import pytest

from lacs.reports.extract import extract_report, record_from_pdf
from lacs.reports.pdf import PdfText, pdf_text_from_bytes
from samples import LSCB_REVIEW_ALONE, SIF, SIF_2014_BODY, SIF_HEADED_BODY, ascii_pdf


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
