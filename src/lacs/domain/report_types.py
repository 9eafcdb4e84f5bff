"""How reports are recognised and read: each kind of report's title, the judgements it gives
and how its pages word them. The registry (lacs.domain.frameworks) says which framework
each kind of report belongs to; the extractor reads these tables and has no
framework-specific branches beyond the few *layouts* a judgement can take (a row of a
table, a sentence).

Label patterns are regular expressions matched against a report's text with every run
of whitespace collapsed to one space, so a label wrapped over two lines still matches.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from lacs.domain.grades import GRADE_PATTERN


@dataclass(frozen=True)
class Area:
    """One judgement: its stable key, what the report calls it, and where it is printed.

    layout "row": the label followed by the grade, as in a judgement table.
    layout "sentence": the label pattern holds the grade itself, as a named group.
    """

    key: str
    labels: tuple[str, ...]
    layout: str = "row"
    where: str = "front"  # "cover": page 1; "front": the first pages; "findings": a findings table; "body": anywhere
    title: str = ""


@dataclass(frozen=True)
class ReportType:
    """A kind of report: recognised by its title, with the judgements it gives. The registry
    (lacs.domain.frameworks) says which framework each belongs to."""

    kind: str | None
    title: str
    title_patterns: tuple[str, ...]
    areas: tuple[Area, ...]
    title_excludes: tuple[str, ...] = ()
    improvement_headings: tuple[str, ...] = ()
    lscb_improvement_headings: tuple[str, ...] = ()
    lscb_section: tuple[str, ...] = ()
    list_ends: tuple[str, ...] = ()  # section headings that end a list of improvements
    findings_heading: str = ""
    findings_sections: tuple[tuple[str, str], ...] = ()
    requires: tuple[str, ...] = field(default=())  # areas whose absence is worth a reason
    council_in_title: bool = False  # the title names the council ('Inspection of Manchester local authority ...')
    # The report's own summary of its findings: under one of `summary_headings`, or (with
    # `summary_after_judgements`) the unheaded prose after the front page's judgement table; it
    # ends at the first of `summary_ends`. No heading and no table: the report type has none.
    summary_headings: tuple[str, ...] = ()
    summary_after_judgements: bool = False
    summary_ends: tuple[str, ...] = ()


GRADE = rf"(?P<grade>{GRADE_PATTERN})"

# SIF: the overall judgement is a sentence, worded three ways.
SIF_OVERALL = Area(
    "overall_effectiveness",
    (
        rf"Children’s services in [^.,]{{1,60}}? (?:are|is) {GRADE}",
        r"Children’s services in [^.,]{1,60}? (?P<grade>requires?\s+improvement(?:\s+to\s+be\s+good)?)",
        rf"The overall judgement is that children’s services? (?:are |is )?{GRADE}",
        rf"(?-i:C)hildren’s services (?:are |is )?{GRADE}",  # capital C: a sentence of its own
        rf"The overall judgement is (?:that (?:the )?)?{GRADE}",
    ),
    layout="sentence",
    where="cover",
    title="Overall effectiveness",
)

# The LSCB review's judgement: a sentence, often deep in the report.
LSCB = Area(
    "lscb",
    (
        (r"\bThe (?:effectiveness of the )?(?:Local Safeguarding Children(?:’s)? Board|LSCB)(?: \(LSCB\))? "
         rf"(?:is |are )?(?:judged to be )?{GRADE}"),
        (rf"\bThe effectiveness of (?:the )?[A-Z][\w&’ ]{{0,40}}Safeguarding Children(?:’s)? Board"
         rf"(?: \([\w&]+\))? is {GRADE}"),
    ),
    layout="sentence",
    where="body",
    title="Local Safeguarding Children Board",
)

SIF_AREAS = (
    SIF_OVERALL,
    # The numbers are part of the label; one report misprints 3 as 1, so any digit will do.
    Area("help_and_protection", (r"\d\.? ?Children who need help and protection",),
         title="Children who need help and protection"),
    Area("children_in_care", (r"\d\.? ?Children looked after and achieving permanence",),
         title="Children looked after and achieving permanence"),
    Area("adoption", (r"2\.1\.? ?Adoption performance",), title="Adoption performance"),
    Area("care_leavers", (r"2\.2\.? ?Experiences and progress of care leavers",),
         title="Experiences and progress of care leavers"),
    Area("leadership", (r"\d\.? ?Leadership, management and governance",),
         title="Leadership, management and governance"),
)

ILACS_AREAS = (
    Area("leadership", (r"The impact of leaders on (?:social work )?practice with children and families",),
         title="The impact of leaders on social work practice with children and families"),
    Area("help_and_protection", (r"The experiences and progress of children who need help and protection",),
         title="The experiences and progress of children who need help and protection"),
    # Combined before 2023, split after; the combined one counts as children in care.
    Area("children_in_care", (r"The experiences and progress of children in care and care leavers",
                              r"The experiences and progress of children in care(?! and)"),
         title="The experiences and progress of children in care (and care leavers)"),
    # One report family prints "children care leavers".
    Area("care_leavers", (r"The experiences and progress of (?:children )?care leavers",),
         title="The experiences and progress of care leavers"),
    Area("overall_effectiveness", (r"Overall effectiveness",), title="Overall effectiveness"),
)

# Pre-SIF inspections grade areas in a "Record of main findings" table, per section.
PRE_SIF_FINDINGS = (
    Area("overall_effectiveness", (r"Overall effectiveness",), where="findings", title="Overall effectiveness"),
    Area("capacity_to_improve", (r"Capacity to improve",), where="findings", title="Capacity to improve"),
    Area("outcomes", (r"Outcomes for looked after children and young people",), where="findings",
         title="Outcomes for looked after children and young people"),
    Area("quality_of_provision", (r"Quality of provision",), where="findings", title="Quality of provision"),
    Area("leadership_and_management", (r"Leadership and management",), where="findings",
         title="Leadership and management"),
)
PRE_SIF_SAFEGUARDING_FINDINGS = (
    Area("overall_effectiveness", (r"Overall effectiveness",), where="findings", title="Overall effectiveness"),
    Area("capacity_to_improve", (r"Capacity to improve",), where="findings", title="Capacity to improve"),
    Area("children_safe", ((r"Effectiveness of the help and protection provided to children,? young people,? "
                            r"families and carers"),
                           (r"The effectiveness of services in taking reasonable steps to ensure that children "
                            r"and young people are safe")),
         where="findings", title="Children and young people are safe"),
    Area("quality_of_provision", (r"Quality of provision",), where="findings", title="Quality of provision"),
    Area("leadership_and_management", (r"Leadership and management",), where="findings",
         title="Leadership and management"),
)

_ILACS_IMPROVE = (r"What needs to improve(?: in this local authority)?\??",)
_SIF_IMPROVE = (r"Recommendations", r"What does the local authority need to improve\??", r"Areas for improvement")
_LSCB_IMPROVE = (r"Recommendations", r"What does the LSCB need to improve\??", r"Priority and immediate action",
                 r"Areas for improvement")
# A heading line that opens the LSCB review inside a combined SIF report.
_LSCB_SECTION = (
    (r"(?:Section \d+:? )?(?:Review of )?(?:The )?(?:effectiveness (?:of )?)?(?:the )?(?:local )?"
     r"Safeguarding Children(?:’s)? Board(?: \(\w+\))?"),
    r"Inspection findings\s?[–-]\s?the Local Safeguarding Children Board",
    r"(?:Section \d+:? )?(?:Review of )?The effectiveness of the LSCB.*",
    r"What does the LSCB need to improve\??",
)

# Section headings of SIF reports: a list of recommendations ends where one starts.
# (Not the judgement areas' names: early SIF lists use those as sub-headings.)
_SIF_SECTIONS = (
    r"Summary for children and young people", r"Inspection findings\b.*", r"The local authority’s strengths",
    r"The LSCB’s strengths", r"Information about (?:this|the)\b.*", r"Inspection judgements? about\b.*",
    r"Summary of findings", r"Executive summary", r"Progress since the last inspection",
    r"What the inspection judgements mean",
    r"(?:Review of )?The (?:effectiveness (?:of )?)?(?:the )?Local Safeguarding Children(?:’s)? Board\b.*",
    r"The local authority", r"The LSCB", r"Areas? for development", r".*\bstrengths\b.*", r".*\bweaknesses\b.*",
)

# SIF's summary: "Summary of findings" (2014), "Summary of key findings" (2014; after "Section 1: The
# local authority", or on one line with it), then "Executive summary" (2015 to 2017); an LSCB review
# alone has an "Executive summary" too. It ends at the list of what needs to improve, or the contents.
_SIF_SUMMARY = (r"(?:Section 1:? )?(?:The local authority ?[-–] ?)?Summary of (?:key )?findings", r"Executive summary")
_SIF_SUMMARY_ENDS = _SIF_IMPROVE + _LSCB_IMPROVE + (
    r"Contents", r"The local authority", r"Summary for children and young people", r"Information about (?:this|the) .+",
    r"Inspection judgements? about .+", r"The local authority’s strengths", r"Progress since the last inspection")

SIF_INSPECTION = ReportType(
    "standard",
    "Inspection of services for children in need of help and protection, children looked after and care leavers",
    (r"Inspection of services for children in need of help and protection",),
    SIF_AREAS + (LSCB,),
    improvement_headings=_SIF_IMPROVE,
    lscb_improvement_headings=_LSCB_IMPROVE,
    lscb_section=_LSCB_SECTION,
    list_ends=_SIF_SECTIONS,
    requires=("overall_effectiveness", "help_and_protection", "children_in_care", "leadership"),
    summary_headings=_SIF_SUMMARY,
    summary_ends=_SIF_SUMMARY_ENDS,
)

LSCB_REVIEW = ReportType(
    "lscb_review", "Review of the effectiveness of the Local Safeguarding Children Board",
    (r"Review of the effectiveness of the Local Safeguarding Children(?:’s)? Board",),
    (LSCB,),
    title_excludes=(r"Inspection of services for children",),
    lscb_improvement_headings=_LSCB_IMPROVE,
    summary_headings=_SIF_SUMMARY,
    summary_ends=_SIF_SUMMARY_ENDS,
)
SIF_RE_INSPECTION = replace(
    SIF_INSPECTION, kind="re_inspection",
    title=("Re-inspection of services for children in need of help and protection, "
           "children looked after and care leavers"),
    title_patterns=(r"\bRe-?\s?inspection of services for children in need of help and protection",),
)
SAFEGUARDING_AND_LAC_INSPECTION = ReportType(
    "safeguarding_and_looked_after_children",
    "Inspection of safeguarding and looked after children services",
    (r"^.{0,80}Inspection of safeguarding and looked after children services",),
    (),
    improvement_headings=("Areas for improvement",),
    findings_heading="Record of main findings",
    findings_sections=(("Safeguarding services", "safeguarding_"), ("Services for looked after children", "lac_")),
)
# Before 2013, a looked after children inspection's summary is its "Overall effectiveness" section
# (under a "Grade 3 (Adequate)" line), which the capacity to improve section follows.
LAC_INSPECTION = ReportType(
    "looked_after_children", "Inspection of looked after children services",
    (r"^.{0,80}Inspection of looked after children services",),
    (),
    improvement_headings=("Areas for improvement",),
    summary_headings=(r"Overall effectiveness of services for looked after children and young people",),
    summary_ends=(r"Capacity to improve",),
    findings_heading="Record of main findings",
    findings_sections=(("Services for looked after children", "lac_"),),
)
ILACS_INSPECTION = ReportType(
    None, "Inspection of local authority children’s services",  # kind: from the time on site
    (r"^.{0,120}Inspection of .{2,100}? children’s (?:social care )?services",
     r"^.{0,120}Inspection of children’s social care services",
     r"^.{0,40}Inspection of .{2,80}? Trust Inspection dates?"),
    ILACS_AREAS,
    improvement_headings=_ILACS_IMPROVE,
    requires=("leadership", "help_and_protection", "children_in_care", "overall_effectiveness"),
    council_in_title=True,
    # The headline findings: unheaded paragraphs between the judgement table and "What needs to
    # improve" (or, where a report has no such list, the first judgement's section).
    summary_after_judgements=True,
    summary_ends=_ILACS_IMPROVE + (r"The experiences and progress of children who need help and protection.*",),
)

# Order matters: the first type whose title pattern matches the front page wins.
RECOGNITION_ORDER: tuple[ReportType, ...] = (
    LSCB_REVIEW, SIF_RE_INSPECTION, SIF_INSPECTION, SAFEGUARDING_AND_LAC_INSPECTION, LAC_INSPECTION, ILACS_INSPECTION,
)

FINDINGS_AREAS = {"safeguarding_": PRE_SIF_SAFEGUARDING_FINDINGS, "lac_": PRE_SIF_FINDINGS}


def findings_area(key: str) -> Area | None:
    """The pre-2013 findings table's area for a prefixed key ('lac_outcomes'), if it is one."""
    for prefix, areas in FINDINGS_AREAS.items():
        if key.startswith(prefix):
            return next((a for a in areas if a.key == key.removeprefix(prefix)), None)
    return None


def is_findings_key(key: str) -> bool:
    return key.startswith(tuple(FINDINGS_AREAS))


# --- visits between inspections -------------------------------------------------------------

@dataclass(frozen=True)
class VisitKind:
    """A kind of visit Ofsted makes between inspections: a letter of findings, no grades. The
    key is what the record, the API and `lacs visits --kind` call it; `letter_titles` are how a
    letter's own heading names it ('Focused visit to Barnet children's services')."""

    key: str
    name: str  # in words: "focused visit"
    plural: str
    letter_titles: tuple[str, ...]
    theme: str | None = None  # the theme a letter of this heading has by its kind alone
    themed: bool = True  # False: its letters' subjects are not among VISIT_THEMES


FOCUSED_VISIT = VisitKind("focused_visit", "focused visit", "focused visits",
                          (r"Focused visit (?:to|of|on)\b",))
MONITORING_VISIT = VisitKind("monitoring_visit", "monitoring visit", "monitoring visits",
                             (r"Monitoring visit (?:to|of|on)\b",))
JOINT_TARGETED_AREA_INSPECTION = VisitKind(
    "joint_targeted_area_inspection", "joint targeted area inspection", "joint targeted area inspections",
    (r"Joint targeted area inspection (?:of|in)\b",), themed=False)
# Ofsted's tables list the assurance visits of autumn 2020 as focused visits, with the theme
# "Assurance visit"; their letters are headed "Assurance visit to ...".
ASSURANCE_VISIT = VisitKind("focused_visit", "focused visit", "focused visits",
                            (r"Assurance visit (?:to|of|on)\b",), theme="Assurance visit")

# Every kind of visit, in the order a listing shows them; a key once each.
VISIT_KINDS: tuple[VisitKind, ...] = (FOCUSED_VISIT, MONITORING_VISIT, JOINT_TARGETED_AREA_INSPECTION)
# The headings a letter is recognised by, first match wins.
LETTER_HEADINGS: tuple[VisitKind, ...] = (FOCUSED_VISIT, ASSURANCE_VISIT, MONITORING_VISIT,
                                          JOINT_TARGETED_AREA_INSPECTION)

# A visit's theme as Ofsted's in-year tables word it, and the phrases by which a letter states
# it where it says what inspectors looked at ("Inspectors looked at the local authority's
# arrangements for care leavers"). The first (in this order) that the statement names is its theme.
VISIT_THEMES: tuple[tuple[str, tuple[str, ...]], ...] = (  # in order of precedence
    ("Front door", (r"front door", r"point of (?:first )?contact", r"contacts?(?:, advice)? and referrals?",
                    r"multi-agency safeguarding hub", r"\bMASH\b")),
    ("Vulnerable adolescents", (r"adolescents",)),
    ("Achieving permanence", (r"permanence",)),
    ("Care leavers", (r"care leavers", r"leaving care")),
    ("Children in need/subject to a plan", (r"children in need", r"child protection plans?", r"help and protection")),
    ("Children in care", (r"children in care", r"looked after children", r"children looked after")),
)


def visit_kind(key: str) -> VisitKind | None:
    """The kind of visit of this key ('focused_visit'), None if it is not one."""
    return next((k for k in VISIT_KINDS if k.key == key), None)
