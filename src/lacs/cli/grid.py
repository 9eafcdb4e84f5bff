"""A plain aligned table for the terminal, drawn as one rich Text, that fits the width it is given.

rich's Table lays out every cell as a renderable and costs 30 to 70 ms for the tables lacs
prints; that alone would break the 300 ms budget of a question command. Our tables need
no borders, only aligned columns, a rule under the header, and styled cells (rich markup),
so Grid builds the lines itself and rich prints them in one go.

    grid = Grid(title="overall effectiveness")
    grid.add_column("council", wrap=3)                   # step 3: its cells wrap at spaces
    grid.add_column("lead inspector", drop=1)            # step 1: left out
    grid.add_column(Forms(("grade",)), shorten=(2,))     # step 2: its cells take their shorter form
    grid.add_row("Manchester", "Sophie Wales",
                 Forms(("[yellow]req. improvement[/]", "[yellow]RI[/]"), (None, "RI: requires improvement")))
    console.print(grid)

Fitting, never cutting: a table wider than the console first wraps its headers at spaces and
narrows its gaps, then takes its stated steps in order (each column's `shorten`, `wrap` and
`drop` numbers: the cells' next shorter form, the cells wrapped at spaces into the width
left, or the column left out) until it fits. What was abbreviated is explained and what was
left out is named in lines under the table, with --wide to show it all. A word is never cut;
a table that cannot fit even after every step is printed whole, wider than the console.
`wide=True` skips the fitting.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from rich.cells import cell_len
from rich.console import Console, ConsoleOptions, RenderResult
from rich.text import Text

GAP, NARROW_GAP = 3, 2


@dataclass(frozen=True)
class Forms:
    """A cell's (or header's) forms, longest first (rich markup), and what each shorter form
    means, if it is an abbreviation to explain under the table ('RI: requires improvement')."""

    forms: tuple[str, ...]
    keys: tuple[str | None, ...] = ()


@dataclass(frozen=True)
class _Cell:
    forms: tuple[Text, ...]
    keys: tuple[str | None, ...]

    def at(self, level: int) -> Text:
        return self.forms[min(level, len(self.forms) - 1)]

    def key(self, level: int) -> str | None:
        n = min(level, len(self.forms) - 1)
        return self.keys[n] if n < len(self.keys) else None


@dataclass
class Column:
    header: _Cell
    justify: str = "left"
    drop: int | None = None  # the step at which the column is left out to fit
    shorten: tuple[int, ...] = ()  # the steps at which its cells take their next shorter form
    wrap: int | None = None  # the step from which its cells wrap at spaces into the width left
    spill: bool = False  # left out, its cells are said under the table, row by row (grades: none hidden)
    least: int = 0  # wrapped, at least this wide (the steps after go on until it fits)


@dataclass
class _Layout:
    shown: list[int]  # the columns shown, by index
    levels: list[int]  # each column's form
    widths: list[int]  # each column's width (0 if not shown)
    wrapping: set[int]  # the columns whose cells wrap
    wrap_headers: bool = False
    gap: int = GAP

    @property
    def total(self) -> int:
        return 1 + sum(self.widths[n] for n in self.shown) + self.gap * max(len(self.shown) - 1, 0)


@dataclass
class Grid:
    title: str | None = None
    columns: list[Column] = field(default_factory=list)
    rows: list[list[_Cell]] = field(default_factory=list)
    wide: bool = False  # every column in full, whatever the width
    notes: list[str] = field(default_factory=list)  # lines said under the table, after its keys

    def add_column(self, header: str | Forms, justify: str = "left", drop: int | None = None,
                   shorten: tuple[int, ...] = (), wrap: int | None = None, spill: bool = False,
                   least: int = 0) -> None:
        self.columns.append(Column(_cell(header), justify, drop, shorten, wrap, spill, least))

    def add_row(self, *cells: str | Text | Forms) -> None:
        self.rows.append([_cell(c) for c in cells])

    # --- fitting ---------------------------------------------------------------------------

    def layout(self, width: int | None) -> _Layout:
        """The columns shown, their forms and widths: all in full if that fits `width` (None: any
        width), else after as many of the steps as it takes."""
        n = len(self.columns)
        fit = _Layout(list(range(n)), [0] * n, [0] * n, set())
        self._measure(fit, width)
        if width is None or fit.total <= width:
            return fit
        fit.wrap_headers, fit.gap = True, NARROW_GAP
        self._measure(fit, width)
        for step in self._steps():
            if fit.total <= width:
                break
            for i, column in enumerate(self.columns):
                if column.drop == step and i in fit.shown and len(fit.shown) > 1:
                    fit.shown.remove(i)
                if column.wrap == step:
                    fit.wrapping.add(i)
                fit.levels[i] += column.shorten.count(step)
            self._measure(fit, width)
        return fit

    def _steps(self) -> list[int]:
        return sorted({s for c in self.columns
                       for s in (*c.shorten, *(x for x in (c.drop, c.wrap) if x is not None))})

    def _measure(self, fit: _Layout, width: int | None) -> None:
        for i, column in enumerate(self.columns):
            if i not in fit.shown:
                fit.widths[i] = 0
                continue
            header = column.header.at(fit.levels[i]).plain
            cells = [row[i].at(fit.levels[i]).plain for row in self.rows if i < len(row)]
            whole = max((cell_len(t) for t in [header, *cells]), default=0)
            words = max((_narrowest(t) for t in [header, *cells]), default=0)
            fit.widths[i] = whole if i not in fit.wrapping else min(whole, max(words, column.least))
            if fit.wrap_headers and i not in fit.wrapping:
                fit.widths[i] = max([max((cell_len(w) for w in header.split()), default=0),
                                     *(cell_len(c) for c in cells)])
            fit.widths[i] = max(fit.widths[i], 1 if whole else 0)
        flexible = [i for i in fit.shown if i in fit.wrapping]
        if flexible and width is not None:
            natural = {i: max((cell_len(r[i].at(fit.levels[i]).plain) for r in self.rows if i < len(r)),
                              default=1) for i in flexible}
            room = width - (fit.total - sum(fit.widths[i] for i in flexible))
            for i, given in _shares(room, {i: fit.widths[i] for i in flexible}, natural).items():
                fit.widths[i] = given

    # --- drawing ---------------------------------------------------------------------------

    def to_text(self, width: int | None = None) -> Text:
        fit = self.layout(None if self.wide else width)
        out = Text(no_wrap=True, overflow="ignore")
        if self.title:
            out.append_text(wrapped(self.title, width))
            out.append("\n\n")
        headers = [c.header.at(fit.levels[i]) for i, c in enumerate(self.columns)]
        out.append_text(self._lines(headers, fit, fit.wrap_headers, bold=True))
        out.append(" " + "─" * (fit.total - 1) + "\n", style="dim")
        for row in self.rows:
            out.append_text(self._lines([row[i].at(fit.levels[i]) for i in range(len(row))], fit, False))
        for note in self.notes_for(fit, width):
            out.append_text(wrapped(note, width))
            out.append("\n")
        return out

    def notes_for(self, fit: _Layout, width: int | None) -> list[str]:
        """The keys of the abbreviations shown, what was left out, and the table's own notes."""
        keys = list(dict.fromkeys(k for row in [[c.header for c in self.columns], *self.rows]
                                  for i in fit.shown if i < len(row) if (k := row[i].key(fit.levels[i]))))
        notes = ["Key: " + "; ".join(keys) + "."] if keys else []
        left_out = [c.header.at(0).plain for i, c in enumerate(self.columns) if i not in fit.shown]
        if left_out:
            notes.append(f"Left out to fit {width} columns: " + ", ".join(left_out)
                         + " (--wide shows every column).")
        notes.extend(self._spilt(fit))
        return notes + self.notes

    def _spilt(self, fit: _Layout) -> list[str]:
        """'Jul 2014: adoption inadequate; LSCB inadequate': the cells of the spilling columns left
        out, each row named by its first cell shown."""
        spilling = [i for i, c in enumerate(self.columns) if c.spill and i not in fit.shown]
        lines = []
        for row in self.rows:
            said = [f"{self.columns[i].header.at(0).plain} {row[i].at(0).plain}" for i in spilling
                    if i < len(row) and row[i].at(0).plain not in ("", "-")]
            if said and fit.shown:
                lines.append(f"  {row[fit.shown[0]].at(fit.levels[fit.shown[0]]).plain}: " + "; ".join(said))
        return ["In the columns left out:", *lines] if lines else []

    def _lines(self, cells: list[Text], fit: _Layout, wrap_all: bool, bold: bool = False) -> Text:
        """One row, as many lines as its tallest wrapped cell (a wrapped header sits at the bottom)."""
        shown = [i for i in fit.shown if i < len(cells)]
        wrapped_cells = {i: _wrap(cells[i], fit.widths[i]) if (wrap_all or i in fit.wrapping)
                         and cell_len(cells[i].plain) > fit.widths[i] else [cells[i]] for i in shown}
        depth = max((len(v) for v in wrapped_cells.values()), default=1)
        out = Text()
        for n in range(depth):
            line = Text(" ")
            for k, i in enumerate(shown):
                parts = wrapped_cells[i]
                offset = depth - len(parts) if bold else 0
                cell = parts[n - offset] if 0 <= n - offset < len(parts) else Text("")
                pad = " " * (fit.widths[i] - cell_len(cell.plain))
                last = k == len(shown) - 1
                if self.columns[i].justify == "right":
                    line.append(pad)
                line.append_text(cell)
                if self.columns[i].justify != "right" and not last:
                    line.append(pad)
                if not last:
                    line.append(" " * fit.gap)
            if bold:
                line.stylize("bold")
            line.rstrip()
            out.append_text(line)
            out.append("\n")
        return out

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        yield self.to_text(options.max_width)


def _shares(room: int, least: dict[int, int], most: dict[int, int]) -> dict[int, int]:
    """The room shared among wrapping columns in proportion to their natural widths, each given at
    least its narrowest (`least`) and at most its natural width (`most`)."""
    given = dict(least)
    open_ = {i for i in most if most[i] > least[i]}
    while open_:
        left = room - sum(given[i] for i in given if i not in open_)
        share = sum(most[i] for i in open_)
        fixed = {i for i in open_ if not least[i] < left * most[i] // share < most[i]}
        for i in open_:
            given[i] = min(most[i], max(least[i], left * most[i] // share))
        if not fixed:
            break
        open_ -= fixed
    return given


def _cell(value: str | Text | Forms | _Cell) -> _Cell:
    if isinstance(value, _Cell):
        return value
    if isinstance(value, Forms):
        return _Cell(tuple(Text.from_markup(f, emoji=False) for f in value.forms), value.keys)
    return _Cell((value if isinstance(value, Text) else Text.from_markup(value, emoji=False),), ())


def _wrap(text: Text, width: int) -> list[Text]:
    """The text in lines of at most `width` cells, broken at spaces only (a longer word whole, on
    its own line); styles kept."""
    lines: list[tuple[int, int]] = []
    for word in (piece for whole in re.finditer(r"\S+", text.plain) for piece in _pieces(whole, width)):
        start, end = word
        if lines and cell_len(text.plain[lines[-1][0]:end]) <= width:
            lines[-1] = (lines[-1][0], end)
        else:
            lines.append((start, end))
    return [text[a:b] for a, b in lines] or [Text("")]


def _narrowest(text: str) -> int:
    """The narrowest a text wraps to: its widest piece (see _pieces)."""
    return max((cell_len(p) for p in re.split(r"\s+|(?<=[_/])(?=.)", text)), default=0)


def _pieces(word: re.Match[str], width: int) -> list[tuple[int, int]]:
    """A word's span; a word wider than the width (a file or sheet name) as its pieces ending at
    '_' or '/', so that it wraps where it joins, never inside a piece (nor inside a date)."""
    start, end = word.span()
    if cell_len(word.group()) <= width:
        return [(start, end)]
    cuts = [start + m.end() for m in re.finditer(r"[_/]+(?=.)", word.group())]
    return list(zip([start, *cuts], [*cuts, end], strict=True))


def wrapped(line: str | Text, width: int | None) -> Text:
    """A line (rich markup, or a Text) wrapped at spaces to the width, a leading indent kept on
    every line: a title, a note under a table, a paragraph."""
    text = Text.from_markup(line, emoji=False) if isinstance(line, str) else line
    if width is None or cell_len(text.plain) <= width:
        return text
    indent = len(text.plain) - len(text.plain.lstrip(" "))
    lines = _wrap(text, width - indent)
    return Text("\n").join(Text(" " * indent) + line for line in lines)
