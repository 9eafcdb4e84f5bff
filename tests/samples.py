"""Small made-up reports shared by the tests: the report texts (imitating the real layouts, with
made-up names) and a little folder of reports laid out as the corpus is.
"""

from __future__ import annotations

from pathlib import Path

from pdfs import make_pdf

ILACS_2022 = """Inspection of Manchester local authority
children’s services
Inspection dates: 21 March to 1 April 2022
Lead inspector: Ann Example, Her Majesty’s Inspector
Judgement Grade
The impact of leaders on social work
practice with children and families
Good
The experiences and progress of
children who need help and protection
Requires improvement
to be good
The experiences and progress of
children in care and care leavers
Good
Overall effectiveness Good
Leaders have made progress.
What needs to improve?
● The quality of written records, including
plans.
● The response to disabled children.
The experiences and progress of children who need help and
protection: requires improvement to be good
"""

ILACS_2026 = """Inspection of North Northamptonshire
local authority children’s services
Inspection dates: 11 to 22 May 2026
Lead inspector: Cy Example, His Majesty’s Inspector
Judgement Grade
The impact of leaders on practice with
children and families
Outstanding
The experiences and progress of
children who need help and protection
Good
The experiences and progress of
children in care
Good
The experiences and progress of care
leavers
Good
The experiences of children have improved.
"""

SIF = """1
Kent County Council
Inspection of services for children in need of help and
protection, children looked after and care leavers
and
Review of the effectiveness of the Local Safeguarding Children
Board1
Inspection dates: 6 March to 30 March 2017
Report published: 13 June 2017
Children’s services in Kent are good
1. Children who need help and protection Requires improvement
2. Children looked after and achieving
permanence
Good
2.1 Adoption performance Not judged
2.2 Experiences and progress of care leavers Good
3. Leadership, management and governance Good
"""
SIF_BODY = """Recommendations
1. Improve the quality of assessments so that
risks are understood.
2. Ensure that plans are specific.
Summary for children and young people
The Local Safeguarding Children Board (LSCB)
The Local Safeguarding Children Board requires improvement
Recommendations
3. Evaluate the impact of training.
Information about this inspection
Lead inspector: Dee Example HMI
Deputy lead inspector: Not This One HMI
"""

MANCHESTER = "80521_manchester/children's services inspection - 19 may 2022.pdf"
KENT = "80476_kent/children's services inspection - 13 june 2017.pdf"


def ascii_pdf(*pages: str) -> bytes:
    return make_pdf([p.replace("’", "'").replace("●", "·") for p in pages])


def reports(tmp_path: Path) -> Path:
    folder = tmp_path / "reports"
    for name, data in ((MANCHESTER, ascii_pdf(ILACS_2022)), (KENT, ascii_pdf(SIF, "Summary.", SIF_BODY)),
                       ("80429_birmingham/children's services inspection - 19 october 2012.pdf", b"<html>503</html>")):
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / name).write_bytes(data)
    return folder

# Early SIF: "What does the local authority need to improve?", numbered on from the paragraphs before,
# with a 'nothing found' line under the first sub-heading.
SIF_2014_BODY = """What does the local authority need to improve?
Priority and immediate action
26. The inspection did not find any areas for priority and immediate action.
Areas for improvement
27. Ensure that thresholds are clear, understood and
consistently applied.
28. Work with the police to ensure that notifications are timely.
Summary for children and young people
The Local Safeguarding Children Board (LSCB) is good.
What does the LSCB need to improve?
Priority and immediate action
140. No areas were identified for immediate improvement.
Areas for improvement
141. Evaluate the impact of multi-agency training.
Information about this inspection
"""

# A SIF list of numbered headings, each over bulleted points.
SIF_HEADED_BODY = """Recommendations
1. Quality and effectiveness of practice
● Develop a multi-agency response to concerns about
children. This should be rooted in clear guidance.
● Improve the quality of support on the edge of care.
2. Oversight and scrutiny by senior leaders
● Establish a stable and skilled permanent workforce.
3. Ensure that:
● plans are up to date
● visits are recorded.
Summary for children and young people
"""

# An LSCB review alone: no council report, so its one list is the LSCB's.
LSCB_REVIEW_ALONE = """Kent Safeguarding Children Board
Review of the effectiveness of the Local Safeguarding Children
Board
Inspection date: 15 June 2015 – 17 June 2015
Report published: 3 August 2015
The Local Safeguarding Children Board requires improvement
Contents
Recommendations 6
Executive summary
The board has made progress.
Recommendations
● Update the levels of need document as a matter of
urgency (paragraph 4).
● Put in place a process for assessing the impact of training (paragraph 15).
Inspection findings
1. The LSCB benefits from strong leadership.
Information about this review
Lead inspector: Dee Example, HMI
"""

# A SIF LSCB section whose boxed 'Recommendations' heading, printed at the top of a page over
# paragraphs 20-21, comes out of the text layer as that page's last line (Redbridge 2016).
SIF_BOXED_HEADING_PAGES = (
    """Recommendations
1. Improve the quality of assessments.
2. Ensure that plans are specific.
Summary for children and young people
The Local Safeguarding Children Board (LSCB)
The Local Safeguarding Children Board is good
Executive summary
This is a good board that provides robust challenge to partner agencies.""",
    """20. Extend the range of the performance data set to include data on
child sexual exploitation.
21. Strengthen the evaluation of training.
Inspection findings – the Local Safeguarding Children Board
22. The board is well established. It holds
partners effectively to account.
23. The chair provides strong leadership.
Recommendations""",
    """24. The board demonstrates a culture of effective challenge.
25. Partners are committed to the work of the board.
Information about this inspection
The inspection was carried out under section 136.""",
)

# An early SIF LSCB section: its heading wraps over two lines, its list's heading ends in a colon,
# and a section heading too long for a sub-heading ends the list (Swindon, Hampshire 2014).
SIF_2014_WRAPPED_LSCB = """What does the local authority need to improve?
Areas for improvement
27. Ensure that thresholds are clear, understood and
consistently applied.
28. Work with the police to ensure that notifications are timely.
Section 2: The effectiveness of the local safeguarding
children board
The Local Safeguarding Children Board (LSCB) is good.
Areas for improvement:
140. KSCB should ensure that information provided by agencies
contains sufficient analysis.
141. The Chair and Board should ensure that the annual report has a focus on
the child’s journey.
Key strengths and weaknesses of the Kent Safeguarding Children Board
142. The governance arrangements of the KSCB are effective and the Board
complies with its statutory responsibilities.
143. The Board benefits from having a respected chair.
"""
