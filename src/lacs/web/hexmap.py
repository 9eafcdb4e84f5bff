"""A hex map of England's 153 current councils: one equal hexagon per council.

The layout is lacs's own file, `data/hexmap.csv` (columns gss_code, name, q, r), made by
`scripts/make_hexmap.py` from the councils' positions in the register.

Coordinates are **odd-r offset** coordinates of a **pointy-top** hex grid:

- `q` is the column (0 at the west edge, growing eastward), `r` the row (0 at the
  north edge, growing southward, as SVG's y does);
- odd rows (r = 1, 3, 5, ...) are shifted half a cell east of even rows;
- so the six neighbours of (q, r) are (q-1, r), (q+1, r) and, on an even row,
  (q-1, r-1), (q, r-1), (q-1, r+1), (q, r+1); on an odd row (q, r-1), (q+1, r-1),
  (q, r+1), (q+1, r+1).

`size` is a hexagon's circumradius (centre to corner). Neighbouring centres are
sqrt(3) * size apart; the map needs no scipy or numpy, only this module and the CSV.

    cells = load_hexmap()                       # {"E09000002": (12, 16), ...}
    cx, cy = hex_centre(*cells["E09000002"], size=10)
    f'<polygon points="{hex_points(cx, cy, 10)}"/>'
"""

from __future__ import annotations

import csv
import math
from functools import lru_cache

from lacs.domain import DATA_FOLDER

SQRT3 = math.sqrt(3.0)


@lru_cache(maxsize=1)
def _cells() -> tuple[tuple[str, int, int], ...]:
    text = (DATA_FOLDER / "hexmap.csv").read_text(encoding="utf-8")
    return tuple((row["gss_code"], int(row["q"]), int(row["r"])) for row in csv.DictReader(text.splitlines()))


def load_hexmap() -> dict[str, tuple[int, int]]:
    """Each current council's cell: GSS code -> (q, r) in odd-r offset coordinates."""
    return {gss: (q, r) for gss, q, r in _cells()}


def hex_centre(q: int, r: int, size: float) -> tuple[float, float]:
    """The centre (x, y) of cell (q, r), y growing downward (SVG's convention).

    Cell (0, 0) is centred at (sqrt(3)/2 * size, size), so a map whose cells all have
    q, r >= 0 lies within x >= 0, y >= 0.
    """
    width = SQRT3 * size
    return width * (q + 0.5 * (r & 1)) + width / 2, 1.5 * size * r + size


def hex_points(cx: float, cy: float, size: float) -> str:
    """The six corners of the pointy-top hexagon centred at (cx, cy), as an SVG `points` string."""
    corners = []
    for k in range(6):
        angle = math.radians(60 * k - 90)  # start at the top corner, go clockwise
        corners.append(f"{_num(cx + size * math.cos(angle))},{_num(cy + size * math.sin(angle))}")
    return " ".join(corners)


def _num(value: float) -> str:
    text = f"{value:.2f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def _cube(cell: tuple[int, int]) -> tuple[int, int, int]:
    q, r = cell
    x = q - (r - (r & 1)) // 2
    return x, r, -x - r


def hex_distance(a: tuple[int, int], b: tuple[int, int]) -> int:
    """The number of steps between two cells given in odd-r offset coordinates."""
    ax, ay, az = _cube(a)
    bx, by, bz = _cube(b)
    return max(abs(ax - bx), abs(ay - by), abs(az - bz))


_SMALL_WORDS = frozenset({"and", "of", "upon", "on", "the", "in", "le", "with", "city", "county", "borough"})
_COMPASS = frozenset({"NORTH", "SOUTH", "EAST", "WEST", "CENTRAL"})


def short_labels(names: list[str]) -> dict[str, str]:
    """A different three-letter label for each name, to print in its hexagon: a one-word name's
    first letters ('Manchester' -> 'MAN', 'Newcastle upon Tyne' -> 'NEW'); after a point of the
    compass, its initial and the next word's first two letters ('North Yorkshire' -> 'NYO'); a label
    already taken falls back to the next choice."""
    taken: dict[str, str] = {}
    for name in sorted(names):
        label = next((c for c in _label_choices(name) if c not in taken.values()), name[:3].upper())
        taken[name] = label
    return taken


def _label_choices(name: str) -> list[str]:
    words = [w for w in "".join(c if c.isalpha() else " " for c in name).split() if w.lower() not in _SMALL_WORDS]
    words = words or name.split() or ["X"]
    first, rest = words[0].upper(), "".join(words[1:]).upper()
    choices = [first[0] + rest[:2], first[0] + "".join(w[0] for w in words[1:3])] if first in _COMPASS else []
    choices.append(first[:3])
    letters = first + rest
    choices += [letters[0] + a + b for i, a in enumerate(letters[1:], 1) for b in letters[i + 1:]]
    return [c for c in choices if len(c) == 3]
