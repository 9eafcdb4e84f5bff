"""SVG charts drawn by lacs (no script, no library): a line of a share over time with marked
events, and stacked bars of grades. Each returns SVG markup with a <title> and <desc> for
screen readers; every text in it is escaped.
"""

from __future__ import annotations

from datetime import date
from html import escape

from lacs.domain.grades import SCALE


def line_chart(points: list[tuple[date, float | None]], marks: list[tuple[date, str]], title: str,
               width: int = 640, height: int = 220) -> str:
    """A line of percentages (0 to 100) over time, with vertical marks for events."""
    known = [(d, v) for d, v in points if v is not None]
    if len(known) < 2:
        return ""
    left, right, top, bottom = 36, 8, 10, 24
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
    for year in range(known[0][0].year + 1, known[-1][0].year + 1):
        parts.append(f'<text class="axis" x="{x(date(year, 1, 1)):.1f}" y="{height - 6}" text-anchor="middle">'
                     f'{year}</text>')
    for day, label in marks:
        if first <= day.toordinal() <= last:
            parts.append(f'<line class="mark" x1="{x(day):.1f}" x2="{x(day):.1f}" y1="{top}" y2="{height - bottom}"/>'
                         f'<text class="mark-label" x="{x(day) + 3:.1f}" y="{top + 10}">{escape(label)}</text>')
    parts.append(f'<polyline class="line" points="{path}"/></svg>')
    return "".join(parts)


def grade_bars(rows: list[tuple[str, dict[str, int]]], width: int = 640, bar: int = 18) -> str:
    """One stacked bar per row (name, counts by grade), each segment titled with its grade in words."""
    label, gap = 170, 6
    height = len(rows) * (bar + gap) + gap
    parts = [f'<svg class="chart" viewBox="0 0 {width} {height}" role="img" aria-label="Councils by grade, per group">']
    for n, (name, counts) in enumerate(rows):
        total = sum(counts.get(g, 0) for g in SCALE) or 1
        top = gap + n * (bar + gap)
        parts.append(f'<text class="axis" x="{label - 6}" y="{top + bar - 5}" text-anchor="end">{escape(name)}</text>')
        offset = float(label)
        for grade in SCALE:
            share = counts.get(grade, 0) / total * (width - label - 4)
            if share:
                words = grade.replace("_", " ")
                parts.append(f'<rect class="bar g-{grade}" x="{offset:.1f}" y="{top}" width="{share:.1f}" '
                             f'height="{bar}"><title>{escape(name)}: {counts[grade]} {words}</title></rect>')
                offset += share
    parts.append("</svg>")
    return "".join(parts)
