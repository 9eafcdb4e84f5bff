"""Words for the sentences lacs prints: grades that read right in every position, counts in the
singular and plural, possessives, ordinals in one style (words), dates as a reader writes them.

    judged(Grade.REQUIRES_IMPROVEMENT)            # 'judged to require improvement'
    were(5, Grade.REQUIRES_IMPROVEMENT)           # '5 required improvement'
    were(1, Grade.GOOD)                           # '1 was good'
    possessive("Kirklees")                        # "Kirklees'"
    ordinal(9)                                    # 'ninth'
    day_words(date(2016, 3, 29))                  # '29 March 2016'
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from lacs.domain.frameworks import area_title
from lacs.domain.grades import Grade, grade_words

if TYPE_CHECKING:
    from lacs.store.database import Inspection

_ORDINALS = ("first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth", "ninth", "tenth",
             "eleventh", "twelfth", "thirteenth", "fourteenth", "fifteenth", "sixteenth", "seventeenth",
             "eighteenth", "nineteenth", "twentieth")
_NUMBERS = ("no", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine")


def grade_noun(grade: Grade) -> str:
    """The grade as a noun ('requires improvement', 'good'): for lists of grades."""
    return grade_words(grade)


def judged(grade: Grade) -> str:
    """'judged good', 'judged to require improvement', 'judged inadequate', 'not judged'."""
    if grade is Grade.REQUIRES_IMPROVEMENT:
        return "judged to require improvement"
    if grade is Grade.NOT_JUDGED:
        return "not judged"
    return f"judged {grade_words(grade)}"


def past(grade: Grade) -> str:
    """'was good', 'required improvement', 'was not judged' (after a singular subject)."""
    if grade is Grade.REQUIRES_IMPROVEMENT:
        return "required improvement"
    return f"was {grade_words(grade)}"


def past_plural(grade: Grade) -> str:
    """After a plural subject ('services'), in the past: 'were good', 'required improvement'."""
    if grade is Grade.REQUIRES_IMPROVEMENT:
        return "required improvement"
    return f"were {grade_words(grade)}"


def still(grade: Grade) -> str:
    """A plural subject keeping its grade: 'remain good', 'still require improvement'."""
    if grade is Grade.REQUIRES_IMPROVEMENT:
        return "still require improvement"
    return f"remain {grade_words(grade)}"


def were(n: int, grade: Grade) -> str:
    """A count and its grade in the past: '1 was good', '5 were inadequate', '5 required improvement'."""
    if grade is Grade.REQUIRES_IMPROVEMENT:
        return f"{n} required improvement"
    return f"{n} {'was' if n == 1 else 'were'} {grade_words(grade)}"


def count(n: int, singular: str, plural: str | None = None) -> str:
    """'1 council', '3 councils'."""
    return f"{n} {singular if n == 1 else plural or singular + 's'}"


def number_words(n: int) -> str:
    """'one' to 'nine', then digits (press style); 0 is 'no'."""
    return _NUMBERS[n] if 0 <= n < len(_NUMBERS) else str(n)


def ordinal(n: int) -> str:
    """Ordinals in words ('first' ... 'twentieth'); beyond that '21st', which no story reaches."""
    if 1 <= n <= len(_ORDINALS):
        return _ORDINALS[n - 1]
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def possessive(name: str) -> str:
    """"Manchester's", "Kirklees'", "St Helens'": a name ending in s takes the apostrophe alone."""
    return f"{name}'" if name.endswith("s") else f"{name}'s"


def day_words(day: date) -> str:
    """'29 March 2016'."""
    return f"{day.day} {day:%B %Y}"


def span_words(start: date | None, end: date | None) -> str:
    """'22 September to 3 October 2025', '25 June to 16 July 2014', '30 December 2013 to 24 January 2014';
    '' when neither date is known; one date alone as itself."""
    if start and end:
        if start.year != end.year:
            return f"{day_words(start)} to {day_words(end)}"
        if start.month != end.month:
            return f"{start.day} {start:%B} to {day_words(end)}"
        return f"{start.day} to {day_words(end)}"
    one = start or end
    return day_words(one) if one else ""


def join_and(items: list[str], joiner: str = "and") -> str:
    """'a', 'a and b', 'a, b and c'."""
    if len(items) <= 1:
        return "".join(items)
    return f"{', '.join(items[:-1])} {joiner} {items[-1]}"


def lower_first(text: str) -> str:
    """Lower-case the first letter unless the first word is a name or an acronym ('Local Safeguarding
    Children Board', 'PLO'): a word is a name if the title capitalises every main word."""
    if not text:
        return text
    words = text.split()
    if words[0].isupper() and len(words[0]) > 1:
        return text
    main = [w for w in words if len(w) > 3]
    if len(main) >= 2 and all(w[0].isupper() for w in main):
        return text
    return text[0].lower() + text[1:]


def area_words(framework: str | None, key: str, judged_areas: frozenset[str] | set[str] = frozenset()) -> str:
    """An area as a sentence names it: the framework's title without a leading 'The', first letter
    lower-cased ('the experiences and progress of care leavers' -> 'experiences and progress of care
    leavers'; 'Local Safeguarding Children Board' kept)."""
    title = area_title(framework, key, judged_areas)
    if title.lower().startswith("the "):
        title = title[4:]
    return lower_first(title)


def when_words(i: Inspection, source: bool = False) -> str:
    """'fieldwork 22 September to 3 October 2025, published 11 November 2025'; what is known of it;
    with `source`, ', from Ofsted's official statistics' for an inspection only those give."""
    parts = []
    span = span_words(i.start, i.end)
    if span:
        parts.append(f"fieldwork {span}" if i.start and i.end else
                     f"fieldwork from {span}" if i.start else f"fieldwork ending {span}")
    if i.published:
        parts.append(f"published {day_words(i.published)}")
    if source and i.official:
        parts.append("from Ofsted's official statistics")
    return ", ".join(parts) or "dates not in the record"
