"""A report's own summary of its findings, as the passages it prints.

Each framework words it its own way: ILACS reports open with unheaded headline findings
between the judgement table and "What needs to improve"; SIF reports have a "Summary of
findings", "Summary of key findings" or "Executive summary"; a looked after children
inspection before 2013 its "Overall effectiveness" section. Where each kind of report puts
it is data (ReportType.summary_headings, summary_after_judgements, summary_ends, in
lacs.domain.report_types); this module reads it.

    read_summary(lines, report_type, areas, start) -> ([passage, ...], "") or ([], why not)

A passage is a point the summary lists, or a run of its prose: the text layer does not mark
paragraphs, so prose is kept whole, with a line break where a paragraph plainly ends.
"""

from __future__ import annotations

import re
import statistics

from lacs.domain.grades import GRADE_PATTERN
from lacs.domain.report_types import GRADE, Area, ReportType
from lacs.reports.improvements import BULLET, find_heading

MAX_LINES = 260  # a summary longer than this has run past its end: its end heading was not found
TABLE_LINES = 60  # the judgement table sits within this many lines of the front page's title block
# A line that only states the section's grade ("Grade 3 (Adequate)"), under the heading.
_GRADE_LINE = re.compile(rf"^(?:Grade \d\s*)?\(?{GRADE_PATTERN}\)?\.?$", re.IGNORECASE)
_SENTENCE_END = re.compile(r"[.:;?!’”)]$")
_NUMBERED = re.compile(r"^(\d{1,3})\.\s+(?=[A-Z0-9(‘“’])")  # "7. 35% of all children ...": a digit may start it
# pdfium gives the hyphen of a word broken at a line's end ("decision-making") as U+FFFE.
_HYPHEN = re.compile("\ufffe\\s*")
SHORT = 0.8  # a sentence's last line this much shorter than a full line ends its paragraph


def read_summary(lines: list[str], report_type: ReportType, areas: tuple[Area, ...],
                 start: int = 0) -> tuple[list[str], str]:
    """The summary's passages (passages_of) and ""; or none and the reason none was read.

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
    passages = passages_of(lines[begin:end])
    if not passages:
        return [], "the summary of findings is empty"
    return passages, ""


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


def passages_of(lines: list[str]) -> list[str]:
    """Lines as the summary's passages: each point it lists (a bullet starts one, as does a number
    that counts on from the last, the marker dropped) and each run of prose between them. A short
    unpunctuated line before a point is a sub-heading, kept at the start of the point it heads
    ("Adoption: ..."). Within a passage, a line break stands where a paragraph plainly ends (see
    _ends_paragraph); other lines are joined."""
    full = statistics.median(len(line) for line in lines) if lines else 0  # about a full line of prose
    passages: list[str] = []
    heading = ""
    number: int | None = None  # the last point's number, in a numbered list
    for n, line in enumerate(lines):
        marker, number = _marker(line, number)
        text = " ".join(line[marker:].split())
        nxt = lines[n + 1] if n + 1 < len(lines) else ""
        if _is_subheading(line, nxt):
            heading = f"{heading} {text}".strip()
            continue
        if not passages or heading or marker:
            passages.append(f"{heading}: {text}" if heading else text)
            heading = ""
        else:
            ends = line[:1].isupper() and _ends_paragraph(lines[n - 1], full)
            passages[-1] = f"{passages[-1]}{chr(10) if ends else ' '}{text}"
    return [_HYPHEN.sub("-", p).strip() for p in passages if p.strip()]


def _marker(line: str, number: int | None) -> tuple[int, int | None]:
    """Where a point's text starts on the line (0: the line starts none), and the last number seen."""
    bullet = BULLET.match(line)
    if bullet:
        return bullet.end(), number
    numbered = _NUMBERED.match(line)
    if numbered and (number is None or int(numbered.group(1)) == number + 1):
        return numbered.end(), int(numbered.group(1))
    return 0, number


def _is_subheading(line: str, nxt: str) -> bool:
    return (len(line) <= 64 and line[:1].isupper() and not re.search(r"[.;:,?!]$", line)
            and bool(BULLET.match(nxt) or _NUMBERED.match(nxt)) and not BULLET.match(line)
            and not _NUMBERED.match(line))


def _ends_paragraph(line: str, full: float) -> bool:
    """A sentence's end on a line well short of a full one: the text layer marks no paragraphs,
    so a paragraph whose last line is nearly full runs on into the next."""
    return bool(_SENTENCE_END.search(line)) and len(line) < SHORT * full
