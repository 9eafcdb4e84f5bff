"""The points a report says must improve, as a list of separate items.

ILACS prints "What needs to improve" as bullets; SIF prints numbered "Recommendations"
(early SIF: "What does the local authority need to improve?", numbered on from the
paragraphs before, under sub-headings); pre-SIF reports print "Areas for improvement"
as bullets under timescale headings ("Immediately:", "Within three months:"). One
reader handles them all: find the heading line, then gather items until the list ends.
"""

from __future__ import annotations

import re

# Bullet glyphs seen in reports, including Symbol-font private-use ones (U+F0xx).
BULLET = re.compile(r"^[●•·▪■◼◦\uf000-\uf0ff]\s*")
NUMBERED = re.compile(r"^(\d{1,3})\.\s*(?=[A-Z(‘“])")
SUB_ITEM = re.compile(r"^(?:[-–o]\s+|\(?[ivx]{1,4}\)\s|\(?[a-h]\)\s)")
# Sub-headings that group the points of one list (pre-SIF timescales, early SIF priorities).
SUB_HEADING = re.compile(
    r"^(?:immediately|within\s+\w+\s+(?:months?|weeks?|days?)|priority and immediate action|areas for improvement)"
    r"\s*:?\s*$",
    re.IGNORECASE)
# A line that says there is nothing to list is not a point: "There are no areas for priority action.",
# "The inspection did not find any areas for priority and immediate action.",
# "No areas were identified for immediate improvement."
NONE_TO_REPORT = re.compile(
    r"^\s*(?:There (?:are|is|were) no\b|(?:The )?(?:inspection|inspectors?|review) (?:did not|didn’t) "
    r"(?:find|identify) any\b|No (?:areas?|recommendations?)\b.{0,60}?\b(?:were|was) (?:identified|found)\b)",
    re.IGNORECASE)
ENDS_SENTENCE = re.compile(r"[.;:?!)]\s*$")
HEADING_MAX = 64  # a sub-heading inside a list is a short line; wrapped text runs longer
LOOKAHEAD = 3  # sub-heading lines allowed between two items


def find_heading(lines: list[str], headings: tuple[str, ...], start: int = 0) -> int | None:
    """Index of the first line from `start` that is one of the headings, whole.

    A contents-page line ("Recommendations 8") is not a heading: it has a page number.
    A heading wrapped over two lines ("Section 2: The effectiveness of the local safeguarding" /
    "children board") is one too, and its index is its second line's, so that what is under
    it starts on the next.
    """
    pattern = re.compile(rf"^(?:{'|'.join(headings)})\d?:?\s*$", re.IGNORECASE)  # "\d?": a footnote mark
    for i in range(start, len(lines)):
        if pattern.match(lines[i]):
            return i
        nxt = lines[i + 1] if i + 1 < len(lines) else ""
        if _wraps_onto(lines[i], nxt) and pattern.match(f"{lines[i]} {nxt}"):
            return i + 1
    return None


def _wraps_onto(line: str, nxt: str) -> bool:
    """Whether two lines could be one heading wrapped: short, and the first not ended by punctuation."""
    return (bool(nxt) and len(line) <= HEADING_MAX and len(nxt) <= HEADING_MAX
            and not re.search(r"[.;:,?!]\s*$", line) and not re.search(r"[.;,?!]\s*$", nxt))


def first_list(lines: list[str], headings: tuple[str, ...], start: int = 0,
               ends: tuple[str, ...] = (), page_ends: frozenset[int] = frozenset()
               ) -> tuple[int | None, list[str], int]:
    """The first heading from `start` that has a list under it: (heading index, items, index after).

    Contents pages print headings too ("Recommendations", page number on the next line),
    so a heading with no list under it is passed over. (None, [], start) if none has one.
    `page_ends` are the indices of the pages' last lines: see _list_from_page_top.
    """
    at = find_heading(lines, headings, start)
    first = at
    while at is not None:
        items, after = _list_from_page_top(lines, at, ends, page_ends) if at in page_ends else ([], at)
        if not items:
            items, after = read_list(lines, at, ends)
        if items:
            return at, items, after
        at = find_heading(lines, headings, at + 1)
    return first, [], start


def _list_from_page_top(lines: list[str], at: int, ends: tuple[str, ...],
                        page_ends: frozenset[int]) -> tuple[list[str], int]:
    """The list a heading heads when the text layer gives the heading out of reading order.

    A boxed heading is drawn after its page's text, so it comes out as the page's last line
    though it is printed at the page's top, over the list that opens the page (Redbridge 2016:
    'Recommendations' after paragraph 129, printed above paragraphs 123-125). A heading that
    ends its page heads that list if the page opens with one and the list ends (at a section
    heading, or where its numbering stops counting on) before the heading's place in the text;
    a list that would run on to the heading's place is not one the heading was moved from.
    ([], at) if the heading does not head such a list.
    """
    top = max((e for e in page_ends if e < at), default=-1) + 1
    if top >= at or not (BULLET.match(lines[top]) or NUMBERED.match(lines[top])):
        return [], at
    placed = [*lines[:top], lines[at], *lines[top:at]]  # the heading at its page's top, and the page to it
    items, after = read_list(placed, top, ends)
    if after >= len(placed):
        return [], at
    return items, at + 1


def read_list(lines: list[str], heading_index: int, ends: tuple[str, ...] = ()) -> tuple[list[str], int]:
    """The items of the list that follows a heading line, up to any of the `ends` headings,
    and the index of the first line after the list."""
    end = re.compile(rf"^(?:{'|'.join(ends)})\s*$", re.IGNORECASE) if ends else None
    style, i = _list_style(lines, heading_index, end)
    if style is None:
        return [], heading_index + 1
    items: list[str] = []
    number: int | None = None  # the last item's number, in a numbered list
    heading: str | None = None  # the numbered heading whose bullets are the points being read
    while i < len(lines):
        line = lines[i]
        if _ends_list(line, end) or _heading_before_paragraph(lines, i, end, items):
            break
        marker = _marker(line, style, number)
        if marker is not None:
            number = _number(line)
            heading = _heading_over_bullets(lines, i, marker) if style == "numbered" else None
            if heading is None:
                items.append(line[marker:])
        elif heading is not None and BULLET.match(line):
            items.append(f"{heading}: {_without_marker(line)}")
        elif not SUB_HEADING.match(line) and _continues(items[-1], line, style):
            items[-1] = f"{items[-1]} {_without_marker(line)}"
        else:
            skip = _subheadings_before_next_item(lines, i, style, number)
            if skip is None:
                break
            i += skip
            continue
        i += 1
    return [" ".join(item.split()) for item in items if item.strip() and not NONE_TO_REPORT.match(item)], i


def _list_style(lines: list[str], heading_index: int, end: re.Pattern[str] | None) -> tuple[str | None, int]:
    """Whether bullets or numbers mark the items, and where the first item is."""
    for i in range(heading_index + 1, min(len(lines), heading_index + 8)):
        if _ends_list(lines[i], end):
            break
        if BULLET.match(lines[i]):
            return "bullet", i
        if NUMBERED.match(lines[i]) and not _is_intro(lines[i]):
            return "numbered", i
    return None, heading_index


def _marker(line: str, style: str, number: int | None) -> int | None:
    """Where the text of a new item starts on this line, or None if it starts none.

    Numbered items must count on by one from the last (early SIF lists carry on the
    paragraph numbers, so the first may be 9 or 144).
    """
    if style == "bullet":
        match = BULLET.match(line)
        return match.end() if match else None
    match = NUMBERED.match(line)
    if match and (number is None or int(match.group(1)) == number + 1):
        return match.end()
    return None


def _heading_over_bullets(lines: list[str], i: int, marker: int) -> str | None:
    """A numbered line that is a heading over bullets ('1. Quality of practice', then '● Ensure ...'):
    its text, or None if the numbered line is a point itself.

    Each bullet under such a heading is a point of its own, and keeps the heading as context
    ('Quality of practice: Ensure ...'). A numbered point that introduces sub-points
    ('5. Ensure that:', '1. Put in place a framework; this to include') has punctuation, and
    its bullets stay part of it.
    """
    text = " ".join(lines[i][marker:].split())
    following = lines[i + 1] if i + 1 < len(lines) else ""
    if BULLET.match(following) and text and not re.search(r"[.;:,?!]", text):
        return text
    return None


def _number(line: str) -> int | None:
    match = NUMBERED.match(line)
    return int(match.group(1)) if match else None


def _is_intro(line: str) -> bool:
    """Pre-SIF lists open with a numbered paragraph: '28. In order to improve ... take the following action'."""
    return bool(re.match(r"^\d+\.\s*In order to improve", line)) or "following action" in line


def _continues(item: str, line: str, style: str) -> bool:
    """Whether a line carries on the current item rather than starting what follows it.

    A numbered item may run to several sentences; a bullet is one, so a capitalised
    line after a finished bullet starts whatever follows the list.
    """
    if SUB_ITEM.match(line) or BULLET.match(line):
        return True  # sub-points belong to their item
    if NUMBERED.match(line):
        return False
    if not ENDS_SENTENCE.search(item):
        return True  # the item's sentence is not finished
    if style == "numbered" and not _is_heading(line):
        return True
    return not line[:1].isupper() and not line[:1].isdigit()


def _ends_list(line: str, end: re.Pattern[str] | None) -> bool:
    """A section heading (a short line, or one that introduces a list with a colon) that closes the list."""
    return bool(end and (_is_heading(line) or line.endswith(":")) and end.match(line))


def _heading_before_paragraph(lines: list[str], i: int, end: re.Pattern[str] | None, items: list[str]) -> bool:
    """A section heading too long for _ends_list ('Key strengths and weaknesses of the Local Safeguarding
    Children Board') closes the list too when it stands alone between a finished item and a numbered
    paragraph: a line of an item's text would not end unpunctuated before a new paragraph."""
    line = lines[i]
    nxt = lines[i + 1] if i + 1 < len(lines) else ""
    return bool(end and items and ENDS_SENTENCE.search(items[-1]) and line[:1].isupper()
                and not re.search(r"[.;:,?!]\s*$", line) and NUMBERED.match(nxt) and end.match(line))


def _without_marker(line: str) -> str:
    """A sub-point's text without its bullet glyph (private-use glyphs mean nothing as text)."""
    match = BULLET.match(line)
    return line[match.end():] if match else line


def _is_heading(line: str) -> bool:
    return len(line) <= HEADING_MAX and line[:1].isupper() and not re.search(r"[.;,]\s*$", line)


def _subheadings_before_next_item(lines: list[str], i: int, style: str, number: int | None) -> int | None:
    """How many sub-heading lines ('Priority and immediate action', 'Within three months:') to skip,
    or None if the list ends here."""
    for k in range(i, min(len(lines), i + LOOKAHEAD)):
        if not _is_heading(lines[k]) and not lines[k].endswith(":"):
            return None
        nxt = lines[k + 1] if k + 1 < len(lines) else ""
        if _marker(nxt, style, number) is not None and not _is_intro(nxt):
            return k + 1 - i
    return None
