"""A plain aligned table for the terminal, drawn as one rich Text.

rich's Table lays out every cell as a renderable and costs 30 to 70 ms for the tables lacs
prints; that alone would break the 300 ms budget of a question command. Our tables need
no wrapping or borders, only aligned columns, a rule under the header, and styled cells
(rich markup), so Grid builds the lines itself and rich prints them in one go.

    grid = Grid(title="overall effectiveness")
    grid.add_column("council")
    grid.add_column("grade", justify="right")
    grid.add_row("Manchester", "[green]good[/]")
    console.print(grid)
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from rich.cells import cell_len
from rich.console import Console, ConsoleOptions, RenderResult
from rich.text import Text

GAP = "   "


@dataclass
class Column:
    header: str
    justify: str = "left"


@dataclass
class Grid:
    title: str | None = None
    columns: list[Column] = field(default_factory=list)
    rows: list[list[Text]] = field(default_factory=list)

    def add_column(self, header: str, justify: str = "left", **_: Any) -> None:
        """A column; rich Table's other options (no_wrap, overflow...) are accepted and ignored."""
        self.columns.append(Column(header, justify))

    def add_row(self, *cells: str | Text) -> None:
        self.rows.append([c if isinstance(c, Text) else Text.from_markup(c, emoji=False) for c in cells])

    def to_text(self) -> Text:
        headers = [Text.from_markup(c.header, emoji=False) for c in self.columns]
        widths = [max([cell_len(h.plain)] + [cell_len(r[n].plain) for r in self.rows])
                  for n, h in enumerate(headers)]
        out = Text(no_wrap=True, overflow="ignore")
        if self.title:
            out.append(self.title + "\n\n")
        out.append_text(self._line(headers, widths, bold=True))
        out.append(" " + "─" * (sum(widths) + len(GAP) * (len(widths) - 1)) + "\n", style="dim")
        for row in self.rows:
            out.append_text(self._line(row, widths))
        return out

    def _line(self, cells: list[Text], widths: list[int], bold: bool = False) -> Text:
        line = Text(" ")
        for n, (cell, width, column) in enumerate(zip(cells, widths, self.columns, strict=False)):
            pad = " " * (width - cell_len(cell.plain))
            if column.justify == "right":
                line.append(pad)
            line.append_text(cell)
            if column.justify != "right" and n < len(widths) - 1:
                line.append(pad)
            if n < len(widths) - 1:
                line.append(GAP)
        if bold:
            line.stylize("bold")
        line.append("\n")
        return line

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        yield self.to_text()
