"""The plain aligned table: columns as wide as their widest cell, markup kept as style, not text."""

from __future__ import annotations

import io

from rich.console import Console

from lacs.cli.grid import Grid


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
