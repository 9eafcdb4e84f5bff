"""The extractor on small made-up reports: one per framework layout, and the odd cases.

The texts imitate the reports' real layouts (labels wrapped, grades on the next line),
with made-up names, so each rule is tested without the corpus.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from lacs.domain.grades import Grade
from lacs.errors import NotAReport
from lacs.reports.extract import extract_report, inspector_names, record_from_pdf
from lacs.reports.pdf import PdfText
from pdfs import make_pdf
from samples import ILACS_2022, ILACS_2026, SIF, SIF_BODY

ILACS_SPLIT_SHORT = """Inspection of Wigan local authority
children’s services
Inspection dates: 3 to 7 November 2025
Lead inspector: Bo Example, His Majesty’s Inspector
Judgement Grade
The impact of leaders on social work
practice with children and families
Outstanding
The experiences and progress of
children who need help and protection
Good
The experiences and progress of
children in care
Outstanding
The experiences and progress of
children care leavers
Good
Overall effectiveness Outstanding
"""

PRE_SIF = """Inspection of looked after children
services
Norfolk County Council
Inspection dates: 8 – 12 July 2013
Reporting inspector Gee Example HMI
Published: 16 August 2013
"""
PRE_SIF_END = """Areas for improvement
28. In order to improve the quality of provision, the local authority should take the following action.
Immediately:
\u2022 Ensure that every child has a plan
\u2022 Review all care orders
Within three months:
\u2022 Improve health assessments
29. The council knows its weaknesses.
Record of main findings
Services for looked after children
Overall effectiveness Inadequate
Capacity to improve Adequate
Outcomes for looked after children and
young people
Adequate
Quality of provision Inadequate
Leadership and management Inadequate
"""


def record_of(*pages: str, name: str = "80521_manchester/report.pdf"):
    return record_from_pdf(PdfText(name, "0" * 64, 1, pages))


def test_ilacs_with_combined_children_in_care() -> None:
    record = record_of(ILACS_2022)
    assert record.framework == "ilacs" and record.kind == "standard"
    assert record.urn == 80521 and record.council == "Manchester"
    assert (record.start, record.end) == (date(2022, 3, 21), date(2022, 4, 1))
    assert record.published is None and "publication" in record.missing["published"]
    assert record.lead_inspector == "Ann Example"
    assert record.judgements == {
        "leadership": Grade.GOOD, "help_and_protection": Grade.REQUIRES_IMPROVEMENT,
        "children_in_care": Grade.GOOD, "overall_effectiveness": Grade.GOOD,
    }
    assert record.improvements == [
        "The quality of written records, including plans.", "The response to disabled children."]


def test_ilacs_split_judgements_with_the_children_care_leavers_typo_and_short_kind() -> None:
    record = record_of(ILACS_SPLIT_SHORT, name="x/report.pdf")
    assert record.judgements["children_in_care"] is Grade.OUTSTANDING
    assert record.judgements["care_leavers"] is Grade.GOOD
    assert record.kind == "short" and "5 days on site" in record.kind_basis


def test_ilacs_2026_has_no_overall_and_that_is_not_missing() -> None:
    record = record_of(ILACS_2026, name="x/report.pdf")
    assert record.framework == "ilacs_2026"
    assert "overall_effectiveness" not in record.judgements and "overall_effectiveness" not in record.missing
    assert record.judgements["leadership"] is Grade.OUTSTANDING


def test_ilacs_before_april_2026_without_overall_says_so() -> None:
    record = record_of(ILACS_2026.replace("11 to 22 May 2026", "11 to 22 May 2025"), name="x/report.pdf")
    assert record.framework == "ilacs"
    assert "overall_effectiveness" in record.missing


def test_sif_with_lscb_review_not_judged_and_two_lists() -> None:
    record = record_of(SIF, "Executive summary\nText.", SIF_BODY, name="80476_kent/report.pdf")
    assert (record.framework, record.kind) == ("sif", "standard")
    assert record.published == date(2017, 6, 13)
    assert record.judgements == {
        "overall_effectiveness": Grade.GOOD, "help_and_protection": Grade.REQUIRES_IMPROVEMENT,
        "children_in_care": Grade.GOOD, "adoption": Grade.NOT_JUDGED, "care_leavers": Grade.GOOD,
        "leadership": Grade.GOOD, "lscb": Grade.REQUIRES_IMPROVEMENT,
    }
    assert record.lead_inspector == "Dee Example"
    assert record.improvements == ["Improve the quality of assessments so that risks are understood.",
                                   "Ensure that plans are specific."]
    assert record.lscb_improvements == ["Evaluate the impact of training."]


def test_sif_reinspection_kind() -> None:
    text = SIF.replace("Inspection of services for children", "Re-inspection of services for children")
    assert record_of(text, name="x/r.pdf").kind == "re_inspection"


def test_a_judgement_given_two_ways_is_none_with_reason() -> None:
    text = ILACS_2022.replace("Overall effectiveness Good",
                              "Overall effectiveness Good\nOverall effectiveness Inadequate")
    record = record_of(text)
    assert "overall_effectiveness" not in record.judgements
    assert "two ways" in record.missing["overall_effectiveness"]


def test_pre_sif_findings_table_and_areas_for_improvement() -> None:
    record = record_of(PRE_SIF, "Body text.", PRE_SIF_END, name="80418_norfolk/r.pdf")
    assert (record.framework, record.kind) == ("pre_sif", "looked_after_children")
    assert record.judgements == {
        "lac_overall_effectiveness": Grade.INADEQUATE, "lac_capacity_to_improve": Grade.ADEQUATE,
        "lac_outcomes": Grade.ADEQUATE, "lac_quality_of_provision": Grade.INADEQUATE,
        "lac_leadership_and_management": Grade.INADEQUATE,
    }
    assert record.published == date(2013, 8, 16) and record.lead_inspector == "Gee Example"
    assert record.improvements == ["Ensure that every child has a plan", "Review all care orders",
                                   "Improve health assessments"]


def test_folder_urn_that_disagrees_with_the_report_is_flagged() -> None:
    record = record_of(ILACS_2022, name="80476_kent/report.pdf")
    assert record.urn == 80521
    assert any("folder says URN 80476" in w for w in record.warnings)


def test_unknown_council_is_none_with_reason() -> None:
    record = record_of(ILACS_2022.replace("Manchester", "Atlantis"), name="x/r.pdf")
    assert record.urn is None and "Atlantis" in record.missing["urn"]


def test_no_lead_inspector_named() -> None:
    text = ILACS_2022.replace("Lead inspector: Ann Example, Her Majesty’s Inspector\n", "")
    record = record_of(text)
    assert record.lead_inspector is None and "names no lead inspector" in record.missing["lead_inspector"]


def test_a_pdf_that_is_not_a_report(tmp_path: Path) -> None:
    path = tmp_path / "minutes.pdf"
    path.write_bytes(make_pdf(["Minutes of the parish council meeting"]))
    with pytest.raises(NotAReport, match="not a children's services inspection report"):
        extract_report(path)


def test_extract_report_end_to_end(tmp_path: Path) -> None:
    path = tmp_path / "80521_manchester" / "children's services inspection - 19 may 2022.pdf"
    path.parent.mkdir()
    path.write_bytes(make_pdf([ILACS_2022.replace("’", "'").replace("●", "-")]))
    data = extract_report(path).to_json()
    assert data["judgements"]["help_and_protection"] == "requires_improvement"
    assert data["start"] == "2022-03-21" and data["urn"] == 80521 and "pages" not in data


@pytest.mark.parametrize(
    ("text", "names"),
    [
        ("Rebecca Quested, His Majesty’s Inspector, and Matthew Reed, His Majesty’s Inspector",
         ["Rebecca Quested", "Matthew Reed"]),
        ("Linda Steele HMI", ["Linda Steele"]),
        ("Fiona J Millns HMI", ["Fiona J Millns"]),
        ("Nick Stacey", ["Nick Stacey"]),
        ("Karen Wareing (HMI)", ["Karen Wareing"]),
        ("Ann Example (OI) and Bo Example (HMI)", ["Ann Example", "Bo Example"]),
    ],
)
def test_inspector_names(text: str, names: list[str]) -> None:
    assert inspector_names(text) == names


def test_prose_does_not_make_a_publication_date_or_a_grade() -> None:
    text = ILACS_2022.replace("Leaders have made progress.",
                              "The focused visit letter published 3 March 2020 found the LSCB is good at training.")
    record = record_of(SIF.replace("Report published: 13 June 2017\n", "") + text.split("Judgement Grade")[1],
                       name="x/r.pdf")
    assert record.published is None
    assert "lscb" not in record.judgements


def test_a_publication_date_in_figures_is_read_day_first() -> None:
    record = record_of(SIF.replace("Report published: 13 June 2017", "Report published: 10/08/2017"), name="x/r.pdf")
    assert record.published == date(2017, 8, 10) and not record.warnings


def test_an_originally_published_note_gives_the_publication_date() -> None:
    note = ("1\nThe sections of this report that are about the local authority were originally published on 11\n"
            "February 2017\n")
    record = record_of(SIF.replace("Report published: 13 June 2017\n", "") + note, name="x/r.pdf")
    assert record.published == date(2017, 2, 11) and "published" not in record.missing
    both = record_of(SIF + note, name="x/r.pdf")
    assert (both.published, both.published_also) == (date(2017, 2, 11), [date(2017, 6, 13)])


def test_a_lead_inspector_followed_by_hmi_in_brackets() -> None:
    body = SIF_BODY.replace("Lead inspector: Dee Example HMI", "Lead inspector: Dee Example (HMI)")
    assert record_of(SIF, body, name="x/r.pdf").lead_inspector == "Dee Example"


def test_a_bad_printed_publication_date_is_a_warning_not_a_crash() -> None:
    record = record_of(SIF.replace("13 June 2017", "31 June 2017"), name="x/r.pdf")
    assert record.published is None and any("not a real date" in w for w in record.warnings)
    figures = record_of(SIF.replace("13 June 2017", "31/06/2017"), name="x/r.pdf")
    assert figures.published is None and any("not a real date" in w for w in figures.warnings)


def test_lead_inspector_label_alone_takes_the_next_line_only_if_it_names_an_inspector() -> None:
    named = ILACS_2022.replace("Lead inspector: Ann Example, Her Majesty’s Inspector",
                               "Lead inspector:\nAnn Example, Her Majesty’s Inspector")
    assert record_of(named).lead_inspector == "Ann Example"
    unnamed = ILACS_2022.replace("Lead inspector: Ann Example, Her Majesty’s Inspector", "Lead inspector:")
    assert record_of(unnamed).lead_inspector is None


def test_ilacs_fieldwork_between_one_and_two_weeks_has_no_kind() -> None:
    record = record_of(ILACS_2022.replace("21 March to 1 April 2022", "21 to 30 March 2022"))
    assert record.kind is None and "10 days on site" in record.missing["kind"]


def test_pre_sif_council_is_the_name_after_the_title() -> None:
    assert record_of(PRE_SIF, "Body.", PRE_SIF_END, name="x/r.pdf").council == "Norfolk County Council"


# The real reports these rules were written for (read by hand).
PRINTED = {  # file: (published, lead inspector)
    "80564_stoke-on-trent/children's services inspection - 12 august 2015.pdf": (date(2015, 8, 10), "Peter McEntee"),
    "80512_redbridge/children's services inspection - 25 november 2016.pdf": (date(2016, 11, 25), "Louise Hocking"),
    "80553_slough/children's services inspection - 14 february 2014.pdf": (date(2014, 2, 11), "Gary Lamb"),
    "80547_rutland/children's services inspection - 13 february 2017.pdf": (date(2017, 2, 13), "Karen Wareing"),
}


@pytest.mark.parametrize("name", PRINTED)
def test_real_reports_publication_date_and_lead_inspector(name: str, corpus: Path) -> None:
    record = extract_report(corpus / name)
    assert (record.published, record.lead_inspector) == PRINTED[name]
    assert "published" not in record.missing and "lead_inspector" not in record.missing


# --- each report's own summary of its findings ------------------------------------------------

ILACS_HEADLINES = """Leaders have made strong progress since the last inspection in 2019, when services were
judged to require improvement. Children are now seen quickly, and their plans are clear
and regularly reviewed.
Since then, a new director has been appointed and the quality of practice has risen across
the service, so that most children now receive the right help at the right time. Partners value the
"""
ILACS_HEADLINES_PAGE_2 = """change, and children tell inspectors that they feel listened to.
What needs to improve?
● The quality of plans.
"""


def test_ilacs_summary_is_the_headline_prose_between_the_judgement_table_and_the_list() -> None:
    """One passage: the text layer marks no paragraphs; a plainly short last line ends one."""
    front = ILACS_2022.split("Leaders have made progress.")[0] + ILACS_HEADLINES
    record = record_of(front, ILACS_HEADLINES_PAGE_2)
    assert record.summary == [
        "Leaders have made strong progress since the last inspection in 2019, when services were judged to "
        "require improvement. Children are now seen quickly, and their plans are clear and regularly reviewed."
        "\nSince then, a new director has been "
        "appointed and the quality of practice has risen across the service, so that most children now receive "
        "the right help at the right time. Partners value the change, and children tell inspectors that they "
        "feel listened to."]
    assert "summary" not in record.missing
    assert record.to_json()["summary"] == record.summary
    assert record_of(ILACS_2022).summary == ["Leaders have made progress."]


def test_ilacs_2026_summary_follows_the_last_judgement_of_a_table_with_no_overall_grade() -> None:
    record = record_of(ILACS_2026 + "What needs to improve?1\n◼ Plans.\n", name="x/report.pdf")
    assert record.summary == ["The experiences of children have improved."]
    unended = record_of(ILACS_2026, name="x/report.pdf")
    assert unended.summary == [] and unended.missing["summary"] == "the summary of findings has no end lacs can find"


SIF_2014_FRONT = SIF.replace("Inspection dates: 6 March to 30 March 2017",
                             "Inspection date: 2 June 2014 – 25 June 2014")
SIF_2014_CONTENTS = """Contents
The local authority 3
Summary of findings 3
What does the local authority need to improve? 4
"""
SIF_2014_SUMMARY = """The local authority
Summary of findings
Children’s services in Kent are good because:
Leadership and management
● Governance is effective and partnership
arrangements are robust.
● Leaders know their services well.
Adoption
● Children are adopted quickly.
What does the local authority need to improve?
1. Improve plans.
"""


def test_sif_summary_of_findings_keeps_its_sub_headings_and_skips_the_contents_page() -> None:
    record = record_of(SIF_2014_FRONT, SIF_2014_CONTENTS, SIF_2014_SUMMARY, name="80476_kent/r.pdf")
    assert record.summary == [
        "Children’s services in Kent are good because:",
        "Leadership and management: Governance is effective and partnership arrangements are robust.",
        "Leaders know their services well.",
        "Adoption: Children are adopted quickly."]


def test_sif_summary_of_key_findings_on_one_line_with_its_section_and_numbered_points() -> None:
    body = """Section 1: The local authority - Summary of findings
This local authority requires improvement because:
1. Too many children wait for an
assessment.
2. Plans are not specific, and decision\ufffe
making is slow.
3. 35% of children are not
seen in time.
What does the local authority need to improve?
4. Improve plans.
"""
    record = record_of(SIF_2014_FRONT, body, name="80476_kent/r.pdf")
    assert record.summary == ["This local authority requires improvement because:",
                              "Too many children wait for an assessment.",
                              "Plans are not specific, and decision-making is slow.",
                              "35% of children are not seen in time."]


def test_sif_executive_summary_ends_where_the_contents_begin() -> None:
    summary = "Executive summary\nServices have improved markedly.\n"
    record = record_of(SIF, summary, "Contents\nExecutive summary 2\n", SIF_BODY, name="80476_kent/r.pdf")
    assert record.summary == ["Services have improved markedly."]


def test_pre_sif_summary_is_the_overall_effectiveness_section_without_its_grade_line() -> None:
    section = """Contents
Overall effectiveness of services for looked after children and
young people 4
Overall effectiveness of services for looked
after children and young people
Grade 3 (Adequate)
11. The overall effectiveness of services for looked after children and young
people in Norfolk is adequate.
12. Leaders know the service well.
Capacity to improve
Grade 2 (Good)
"""
    record = record_of(PRE_SIF, section, PRE_SIF_END, name="80418_norfolk/r.pdf")
    assert record.summary == [
        "The overall effectiveness of services for looked after children and young people in Norfolk is adequate.",
        "Leaders know the service well."]


def test_a_report_without_its_summary_heading_says_why() -> None:
    record = record_of(SIF, "Body text.", SIF_BODY, name="80476_kent/r.pdf")
    assert record.summary == []
    assert record.missing["summary"] == "the report has no summary of its findings under a heading lacs knows"
