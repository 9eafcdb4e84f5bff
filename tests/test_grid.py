"""The plain aligned table: columns as wide as their widest cell, markup kept as style, not text."""

from __future__ import annotations

import io

from rich.console import Console

from lacs.cli.grid import Forms, Grid


def render(grid: Grid) -> list[str]:
    console = Console(width=40, record=True, file=io.StringIO(), color_system="truecolor")
    console.print(grid, soft_wrap=True)
    return console.export_text(styles=False).splitlines()


def test_columns_align_to_the_widest_cell_and_right_justify() -> None:
    grid = Grid(title="t")
    grid.add_column("council")
    grid.add_column("n", justify="right")
    grid.add_row("Kent", "7")
    grid.add_row("[green]Manchester[/]", "12")
    lines = render(grid)
    assert lines[:2] == ["t", ""]
    assert lines[2] == " council       n"
    assert lines[4] == " Kent          7"
    assert lines[5] == " Manchester   12", "markup is style, not width"


def test_long_rows_are_not_wrapped_or_cut() -> None:
    grid = Grid()
    grid.add_column("a")
    grid.add_row("x" * 60)
    assert render(grid)[2] == " " + "x" * 60


def fitted(grid: Grid, width: int) -> list[str]:
    console = Console(width=width, record=True, file=io.StringIO(), color_system=None)
    console.print(grid, soft_wrap=True)
    return console.export_text(styles=False).splitlines()


def sample() -> Grid:
    grid = Grid(title="Grades")
    grid.add_column("council", wrap=3)
    grid.add_column("lead inspector", drop=1)
    grid.add_column("grade", shorten=(2,))
    grid.add_column("LSCB", drop=4, spill=True)
    grid.add_row("Bournemouth, Christchurch and Poole", "Sophie Wales",
                 Forms(("req. improvement", "RI"), (None, "RI = requires improvement")), "inadequate")
    grid.add_row("Kent", "Ann Example", "good", "-")
    return grid


def test_a_table_that_fits_is_drawn_whole() -> None:
    lines = fitted(sample(), 120)
    assert lines[2].split() == ["council", "lead", "inspector", "grade", "LSCB"]
    assert lines[4].split("   ") == [" Bournemouth, Christchurch and Poole", "Sophie Wales", "  req. improvement",
                                     "inadequate"]
    assert not any(line.startswith(("Key", "Left out")) for line in lines)


def test_steps_are_taken_in_their_order_until_the_table_fits() -> None:
    lines = fitted(sample(), 60)  # lead inspector left out (1), grades shortened (2): fits
    assert all(len(line) <= 60 for line in lines)
    assert lines[2].split() == ["council", "grade", "LSCB"] and " RI " in lines[4]
    assert "Key: RI = requires improvement." in lines
    assert "Left out to fit 60 columns: lead inspector (--wide shows every column)." in " ".join(lines)
    narrow = fitted(sample(), 24)  # then the council wraps (3), then LSCB is left out (4) but said
    assert all(len(line) <= 24 for line in narrow), narrow
    words = " ".join(" ".join(narrow).split())
    assert "Bournemouth, Christchurch and Poole" not in "\n".join(narrow) and "Christchurch" in words
    assert "In the columns left out: Bournemouth, Christchurch and Poole: LSCB inadequate" in words


def test_no_word_is_ever_cut_and_wide_shows_every_column() -> None:
    lines = fitted(sample(), 10)  # narrower than any step reaches: wider than asked, never cut
    text = " ".join(" ".join(lines).split())
    for word in ("Bournemouth,", "Christchurch", "inadequate", "RI"):
        assert word in text.split()
    wide = sample()
    wide.wide = True
    assert fitted(wide, 40)[4] == fitted(sample(), 200)[4]
