"""A report's own summary of its findings, as the paragraphs it prints.

Each framework words it its own way: ILACS reports open with unheaded headline findings
between the judgement table and "What needs to improve"; SIF reports have a "Summary of
findings", "Summary of key findings" or "Executive summary"; a looked after children
inspection before 2013 its "Overall effectiveness" section. Where each kind of report puts
it is data (ReportType.summary_headings, summary_after_judgements, summary_ends, in
lacs.domain.report_types); this module reads it.

    read_summary(lines, report_type, areas, start) -> ([paragraph, ...], "") or ([], why not)
"""

from __future__ import annotations

import re

from lacs.domain.grades import GRADE_PATTERN
from lacs.domain.report_types import GRADE, Area, ReportType
from lacs.reports.improvements import BULLET, NUMBERED, find_heading

MAX_LINES = 260  # a summary longer than this has run past its end: its end heading was not found
TABLE_LINES = 60  # the judgement table sits within this many lines of the front page's title block
# A line that only states the section's grade ("Grade 3 (Adequate)"), under the heading.
_GRADE_LINE = re.compile(rf"^(?:Grade \d\s*)?\(?{GRADE_PATTERN}\)?\.?$", re.IGNORECASE)
_SENTENCE_END = re.compile(r"[.:;?!’”)]$")
SHORT = 0.8  # a sentence's last line this much shorter than the longest ends its paragraph


def read_summary(lines: list[str], report_type: ReportType, areas: tuple[Area, ...],
                 start: int = 0) -> tuple[list[str], str]:
    """The summary's paragraphs, and "" ; or no paragraphs and the reason none was read.

    `lines` are the report's body lines (text.body_lines), `areas` the judgements it gives
    (for the table the ILACS summary follows), `start` the first line after the title block."""
    if report_type.summary_after_judgements:
        begin = _after_judgement_table(lines, areas, start)
        if begin is None:
            return [], "no judgement table found for the summary to follow"
    elif report_type.summary_headings:
        at = find_heading(lines, report_type.summary_headings, start)
        if at is None:
            return [], "the report has no summary of its findings under a heading lacs knows"
        begin = at + 1
    else:
        return [], "lacs knows no summary section for this kind of report"
    end = find_heading(lines, report_type.summary_ends, begin)
    if end is None or end - begin > MAX_LINES:
        return [], "the summary of findings has no end lacs can find"
    while begin < end and _GRADE_LINE.match(lines[begin]):
        begin += 1
    paragraphs = paragraphs_of(lines[begin:end])
    if not paragraphs:
        return [], "the summary of findings is empty"
    return paragraphs, ""


def _after_judgement_table(lines: list[str], areas: tuple[Area, ...], start: int) -> int | None:
    """The first line after the front page's judgement table: after the last of its rows
    (an area's label and grade, the first time each is printed), which may wrap."""
    window = [" ".join(line.split()) for line in lines[start:start + TABLE_LINES]]
    offsets, at = [], 0
    for line in window:
        offsets.append(at)
        at += len(line) + 1
    text = " ".join(window)
    ends = []
    for area in areas:
        if area.layout != "row":
            continue
        found = [m.end() for label in area.labels
                 for m in [re.search(rf"{label}[.:]?\s*{GRADE}(?![a-z])", text, re.IGNORECASE)] if m]
        if found:
            ends.append(min(found))
    if not ends:
        return None
    table_end = max(ends)
    return start + next((n for n, offset in enumerate(offsets) if offset >= table_end), len(window))


def paragraphs_of(lines: list[str]) -> list[str]:
    """Lines as paragraphs: a bullet or a numbered point starts one (its marker dropped), as
    does a line after a sentence's short last line; a short unpunctuated line before a bullet
    or a point is a sub-heading, kept at the start of the paragraph it heads ("Adoption: ...")."""
    longest = max((len(line) for line in lines), default=0)
    paragraphs: list[str] = []
    heading = ""
    for n, line in enumerate(lines):
        text = _without_marker(line)
        nxt = lines[n + 1] if n + 1 < len(lines) else ""
        if _is_subheading(line, nxt):
            heading = f"{heading} {text}".strip()
            continue
        starts = (not paragraphs or bool(heading) or text is not line
                  or (line[:1].isupper() and _ends_paragraph(lines[n - 1], longest)))
        if starts:
            paragraphs.append(f"{heading}: {text}" if heading else text)
            heading = ""
        else:
            paragraphs[-1] = f"{paragraphs[-1]} {text}"
    return [" ".join(p.split()) for p in paragraphs if p.strip()]


def _without_marker(line: str) -> str:
    """The line without its bullet or point number; the very same string if it has none."""
    match = BULLET.match(line) or NUMBERED.match(line)
    return line[match.end():] if match else line


def _is_subheading(line: str, nxt: str) -> bool:
    return (len(line) <= 64 and line[:1].isupper() and not re.search(r"[.;:,?!]$", line)
            and bool(BULLET.match(nxt) or NUMBERED.match(nxt)) and not BULLET.match(line)
            and not NUMBERED.match(line))


def _ends_paragraph(line: str, longest: int) -> bool:
    return bool(_SENTENCE_END.search(line)) and len(line) < SHORT * longest
