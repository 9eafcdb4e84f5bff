"""SVG charts drawn by lacs (no script, no library): a line of a share over time with marked
events, and stacked bars of grades. Each has a <title> and <desc> (or an aria-label) for screen
readers; every text in it is escaped, and kept inside the drawing: a label that would run past
the right edge is set to end at its mark, and labels of marks close together take turns on two
rows. Text is sized for the larger type of a phone's screen (`.chart` in lacs.css), so what fits
there fits on a desktop too.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from html import escape

from lacs.domain.grades import SCALE, grade_words

CHAR_WIDTH = 0.7  # of the font size: generous for the system sans-serif fonts, digits and % included
LARGEST_FONT = 18  # the chart's type on a phone, in its own units (lacs.css)


def text_width(text: str, size: float = LARGEST_FONT) -> float:
    return len(text) * size * CHAR_WIDTH


def line_chart(points: list[tuple[date, float | None]], marks: list[tuple[date, str]], title: str,
               width: int = 640, height: int = 260) -> str:
    """A line of percentages (0 to 100) over time, with vertical marks for events."""
    known = [(d, v) for d, v in points if v is not None]
    if len(known) < 2:
        return ""
    left, right, top, bottom = int(text_width("100%")) + 6, 10, 44, 30
    first, last = known[0][0].toordinal(), known[-1][0].toordinal()

    def x(day: date) -> float:
        return left + (day.toordinal() - first) / max(1, last - first) * (width - left - right)

    def y(value: float) -> float:
        return top + (100 - value) / 100 * (height - top - bottom)

    path = " ".join(f"{x(d):.1f},{y(v):.1f}" for d, v in known)
    parts = [f'<svg class="chart" viewBox="0 0 {width} {height}" role="img" aria-labelledby="line-t line-d">',
             f'<title id="line-t">{escape(title)}</title>',
             f'<desc id="line-d">From {known[0][1]:.0f}% in {known[0][0]:%B %Y} to {known[-1][1]:.0f}% in '
             f'{known[-1][0]:%B %Y}.</desc>']
    for value in (0, 25, 50, 75, 100):
        parts.append(f'<line class="grid" x1="{left}" x2="{width - right}" y1="{y(value):.1f}" y2="{y(value):.1f}"/>'
                     f'<text class="axis" x="{left - 4}" y="{y(value) + 4:.1f}" text-anchor="end">{value}%</text>')
    years = list(range(known[0][0].year + 1, known[-1][0].year + 1))
    step = 1
    while len(years) // step * text_width("2000 ") > width - left - right:
        step += 1
    for year in years[::-1][::step]:
        parts.append(f'<text class="axis" x="{x(date(year, 1, 1)):.1f}" y="{height - 8}" text-anchor="middle">'
                     f'{year}</text>')
    parts += _marks([(d, label) for d, label in marks if first <= d.toordinal() <= last], x, width - right,
                    top, height - bottom)
    parts.append(f'<polyline class="line" points="{path}"/></svg>')
    return "".join(parts)


def _marks(marks: list[tuple[date, str]], x: Callable[[date], float], right: float, top: int,
           bottom: int) -> list[str]:
    """Vertical dashed lines with their labels above the plot, each label inside the drawing and
    clear of the one before it (else on the other row)."""
    parts = []
    ends = [0.0, 0.0]  # where the last label on each row ends
    for day, label in sorted(marks):
        at = x(day)
        wide = text_width(label)
        anchor, start = ("start", at + 3) if at + 3 + wide <= right else ("end", at - 3)
        begins = start if anchor == "start" else start - wide
        row = 0 if begins > ends[0] else 1 if begins > ends[1] else 0
        ends[row] = begins + wide
        parts.append(f'<line class="mark" x1="{at:.1f}" x2="{at:.1f}" y1="{top - 4 - 20 * (1 - row)}" y2="{bottom}"/>'
                     f'<text class="mark-label" x="{start:.1f}" y="{top - 26 + 20 * row}" text-anchor="{anchor}">'
                     f'{escape(label)}</text>')
    return parts


def grade_bars(rows: list[tuple[str, dict[str, int]]]) -> str:
    """One stacked bar per row (name, counts by grade), as a list: the names are HTML text, so they
    stay readable at any width, and each bar is a small SVG that says its counts in words."""
    parts = ['<ul class="bars">']
    for name, counts in rows:
        graded = [g for g in SCALE if counts.get(g, 0)]
        total = sum(counts.get(g, 0) for g in SCALE)
        said = ", ".join(f"{counts[g]} {grade_words(g)}" for g in graded) or "no grades"
        parts.append(f'<li><span class="bar-name">{escape(name)}</span>'
                     f'<svg class="bar" viewBox="0 0 100 10" preserveAspectRatio="none" role="img" '
                     f'aria-label="{escape(name)}: {escape(said)}">')
        offset = 0.0
        for grade in graded:
            share = counts[grade] / total * 100
            parts.append(f'<rect class="g-{grade}" x="{offset:.2f}" y="0" width="{share:.2f}" height="10">'
                         f'<title>{escape(name)}: {counts[grade]} {grade_words(grade)}</title></rect>')
            offset += share
        parts.append("</svg></li>")
    parts.append("</ul>")
    return "".join(parts)
