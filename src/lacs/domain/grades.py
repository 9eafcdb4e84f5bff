"""The grade scale: Ofsted's words for a judgement, normalised to one scale.

Outstanding, good, requires improvement (to be good), inadequate; "adequate" was the
third grade before November 2013. "Not judged" (very small councils) is neither a
grade nor a missing value, so it has its own value.
"""

from __future__ import annotations

import re
from enum import Enum


class Grade(str, Enum):
    OUTSTANDING = "outstanding"
    GOOD = "good"
    REQUIRES_IMPROVEMENT = "requires_improvement"
    ADEQUATE = "adequate"
    INADEQUATE = "inadequate"
    NOT_JUDGED = "not_judged"

    @property
    def rank(self) -> int | None:
        """1 (best) to 4 (worst); None for not judged. Adequate ranks with requires improvement."""
        return _RANKS.get(self)


_RANKS = {
    Grade.OUTSTANDING: 1,
    Grade.GOOD: 2,
    Grade.REQUIRES_IMPROVEMENT: 3,
    Grade.ADEQUATE: 3,
    Grade.INADEQUATE: 4,
}

# The alternatives a report prints, longest first so "requires improvement to be good"
# wins over "requires improvement". Whitespace inside may be a line break.
GRADE_PATTERN = (
    r"(?:requires?\s+improvement(?:\s+to\s+be\s+good)?|"
    r"outstanding|inadequate|adequate|good|not\s+judged)"
)
_GRADE_RE = re.compile(rf"^\s*{GRADE_PATTERN}\s*$", re.IGNORECASE)


def parse_grade(text: str) -> Grade:
    """Normalise a report's grade words: 'Requires \\nimprovement to be good' -> REQUIRES_IMPROVEMENT.

    Raises ValueError for anything that is not exactly one grade.
    """
    if not _GRADE_RE.match(text):
        raise ValueError(f"not a grade: {text!r}")
    words = " ".join(text.lower().split())
    if words.startswith(("requires improvement", "require improvement")):
        return Grade.REQUIRES_IMPROVEMENT
    if words == "not judged":
        return Grade.NOT_JUDGED
    return Grade(words)


# Every grade, best first ("not judged" last): the order of tables, counts and charts.
GRADE_ORDER: tuple[str, ...] = tuple(g.value for g in Grade)
# The four-point scale in use since November 2013, best first.
SCALE: tuple[str, ...] = ("outstanding", "good", "requires_improvement", "inadequate")
# How a grade moved between two inspections.
DIRECTIONS: tuple[str, ...] = ("improved", "same", "declined")
NO_GRADE = "no grade"


def grade_words(grade: Grade | str | None) -> str:
    """'requires_improvement' -> 'requires improvement'; None -> 'no grade'."""
    return Grade(grade).value.replace("_", " ") if grade is not None else NO_GRADE


def direction(before: Grade | None, after: Grade | None) -> str | None:
    """'improved', 'same' or 'declined' from one grade to the next; None if either is missing or
    not judged. Adequate and requires improvement are the same step on the scale."""
    if before is None or after is None or before.rank is None or after.rank is None:
        return None
    return "improved" if after.rank < before.rank else "declined" if after.rank > before.rank else "same"
