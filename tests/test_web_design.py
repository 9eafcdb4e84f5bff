"""The design's rules, checked: contrast of every grade's fill, the stylesheet's colours the same as
the code's, chart labels inside their drawing, a label for every hexagon."""

from __future__ import annotations

import re
from datetime import date
from importlib.resources import files

import pytest

from lacs.web.charts import grade_bars, line_chart, text_width
from lacs.web.hexmap import short_labels
from lacs.web.render import GRADE_COLOURS, GRADE_TEXT, OUTLINE, PAGE


def luminance(colour: str) -> float:
    colour = colour.lstrip("#")
    colour = "".join(c * 2 for c in colour) if len(colour) == 3 else colour
    channels = [int(colour[i:i + 2], 16) / 255 for i in (0, 2, 4)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(a: str, b: str) -> float:
    high, low = sorted((luminance(a), luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


@pytest.mark.parametrize("grade", list(GRADE_COLOURS))
def test_every_grade_fill_stands_out_from_the_page_and_carries_its_text(grade: str | None) -> None:
    assert contrast(GRADE_COLOURS[grade], PAGE) >= 3, grade  # a graphic: WCAG 1.4.11
    assert contrast(GRADE_COLOURS[grade], GRADE_TEXT.get(grade, "#fff")) >= 4.5, grade  # text on a badge


def test_the_amber_is_no_longer_the_one_that_vanished_on_white() -> None:
    assert contrast("#e0a100", PAGE) < 3 and GRADE_COLOURS["requires_improvement"] != "#e0a100"


def test_the_map_outlines_and_hatching_stand_out_from_the_page() -> None:
    css = (files("lacs.web") / "templates" / "lacs.css").read_text()
    assert contrast(OUTLINE, PAGE) >= 3 and f".hexmap polygon {{ stroke: {OUTLINE};" in css
    from lacs.web.pages import NO_AREA_PATTERN

    stripe = re.search(r'<pattern id="no-area".*?<rect width="1.6" height="4" fill="(#[0-9a-f]{6})"', NO_AREA_PATTERN)
    assert stripe and contrast(stripe.group(1), PAGE) >= 3


def test_the_stylesheet_paints_each_grade_in_the_codes_colour() -> None:
    css = (files("lacs.web") / "templates" / "lacs.css").read_text()
    for grade, colour in GRADE_COLOURS.items():
        name = grade or "none"
        assert re.search(rf"\.g-{name}\b[^{{]*\{{ background: {colour};", css), name
        assert re.search(rf"svg \.g-{name}\b[^{{]*\{{ fill: {colour};", css), name


def test_the_stylesheet_leaves_room_for_the_topic_pages_at_its_end() -> None:
    css = (files("lacs.web") / "templates" / "lacs.css").read_text()
    assert "/* topic pages */" in css and css.index("/* topic pages */") > css.index("@media print")


def _inside(svg: str, width: int) -> list[str]:
    """Each text of the chart that would run past its left or right edge."""
    outside = []
    texts = r'<text class="[^"]+" x="([\d.-]+)" y="[\d.-]+" text-anchor="(\w+)">([^<]+)</text>'
    for x, anchor, words in re.findall(texts, svg):
        wide = text_width(words)
        start = float(x) - (wide if anchor == "end" else wide / 2 if anchor == "middle" else 0)
        if start < 0 or start + wide > width:
            outside.append(words)
    return outside


def test_the_line_charts_labels_stay_inside_the_drawing() -> None:
    points = [(date(2014 + n // 12, n % 12 + 1, 28), 40.0 + n / 10) for n in range(12 * 13)]
    marks = [(date(2018, 1, 1), "ILACS"), (date(2023, 1, 1), "care leavers judged apart"),
             (date(2026, 4, 1), "no overall grade")]
    svg = line_chart(points, marks, "share")
    assert "no overall grade</text>" in svg and _inside(svg, 640) == []
    labels = re.findall(r'class="mark-label" x="[\d.]+" y="([\d.]+)"', svg)
    assert len(set(labels[1:])) == 2  # the last two, close together, on two rows


def test_the_bars_name_their_rows_in_html_and_their_counts_in_words() -> None:
    bars = grade_bars([("London", {"outstanding": 12, "good": 15, "requires_improvement": 4, "inadequate": 1})])
    assert '<span class="bar-name">London</span>' in bars
    assert 'aria-label="London: 12 outstanding, 15 good, 4 requires improvement, 1 inadequate"' in bars
    assert "<title>London: 12 outstanding</title>" in bars


def test_every_council_gets_its_own_three_letter_label() -> None:
    from lacs.domain.councils import load_councils
    from lacs.web.hexmap import load_hexmap

    names = {c.gss_code: c.name for c in load_councils()}
    labels = short_labels([names[g] for g in load_hexmap()])
    assert len(labels) == 153 and len(set(labels.values())) == 153
    assert all(re.fullmatch(r"[A-Z]{3}", label) for label in labels.values())
    assert (labels["Manchester"], labels["North Yorkshire"], labels["Newcastle upon Tyne"]) == ("MAN", "NYO", "NEW")
