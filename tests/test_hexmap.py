"""The hex map: one cell per current council, none shared, and near neighbours stay near."""

from __future__ import annotations

import math

import pytest

from lacs.domain.councils import Council, load_councils
from lacs.web.hexmap import hex_centre, hex_distance, hex_points, load_hexmap

# The six neighbours of an even-row and an odd-row cell in odd-r offset coordinates.
EVEN_NEIGHBOURS = [(-1, 0), (1, 0), (-1, -1), (0, -1), (-1, 1), (0, 1)]
ODD_NEIGHBOURS = [(-1, 0), (1, 0), (0, -1), (1, -1), (0, 1), (1, 1)]


def test_every_current_council_has_exactly_one_cell_of_its_own() -> None:
    cells = load_hexmap()
    current = {c.gss_code for c in load_councils() if c.is_current}
    former = {c.gss_code for c in load_councils() if not c.is_current}
    assert len(current) == 153
    assert set(cells) == current
    assert not set(cells) & former
    assert len(set(cells.values())) == len(cells), "no two councils share a cell"
    assert min(q for q, _ in cells.values()) == 0 and min(r for _, r in cells.values()) == 0


def test_most_councils_have_their_nearest_neighbour_within_two_steps() -> None:
    """By the register's own positions. (scripts/make_hexmap.py corrects the register's
    positions for several county councils, so by its figures the share is higher.)"""
    cells = load_hexmap()
    councils = [c for c in load_councils() if c.is_current]
    assert all(c.lat is not None and c.lon is not None for c in councils)

    def km(a: Council, b: Council) -> float:
        assert a.lat is not None and a.lon is not None and b.lat is not None and b.lon is not None
        p1, p2 = math.radians(a.lat), math.radians(b.lat)
        h = math.sin((p2 - p1) / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(math.radians(b.lon - a.lon) / 2) ** 2
        return 2 * 6371 * math.asin(math.sqrt(h))

    near = 0
    for c in councils:
        nearest = min((o for o in councils if o is not c), key=lambda o: km(c, o))
        near += hex_distance(cells[c.gss_code], cells[nearest.gss_code]) <= 2
    assert near / len(councils) >= 0.9, f"{near}/{len(councils)}"


@pytest.mark.parametrize(
    ("a", "b", "steps"),
    [
        ((0, 0), (0, 0), 0),
        ((0, 0), (1, 0), 1),
        ((0, 0), (0, 1), 1),  # even row: the cell below-right
        ((1, 0), (0, 1), 1),  # even row: the cell below-left
        ((0, 1), (1, 2), 1),  # odd row: the cell below-right
        ((0, 1), (0, 2), 1),  # odd row: the cell below-left
        ((0, 1), (1, 0), 1),
        ((0, 0), (1, 1), 2),  # even row: two steps, not a neighbour
        ((0, 0), (3, 0), 3),
        ((0, 0), (0, 4), 4),
        ((0, 0), (2, 4), 4),  # straight down-right
        ((3, 0), (1, 4), 4),  # straight down-left
        ((0, 0), (5, 3), 7),  # three rows down reaches (1, 3), then four across
    ],
)
def test_hex_distance_on_known_pairs(a: tuple[int, int], b: tuple[int, int], steps: int) -> None:
    assert hex_distance(a, b) == steps
    assert hex_distance(b, a) == steps


@pytest.mark.parametrize("cell", [(4, 6), (4, 7)])
def test_neighbouring_centres_are_equally_spaced(cell: tuple[int, int]) -> None:
    q, r = cell
    size = 10.0
    cx, cy = hex_centre(q, r, size)
    offsets = ODD_NEIGHBOURS if r & 1 else EVEN_NEIGHBOURS
    for dq, dr in offsets:
        nx, ny = hex_centre(q + dq, r + dr, size)
        assert math.hypot(nx - cx, ny - cy) == pytest.approx(math.sqrt(3) * size)
        assert hex_distance(cell, (q + dq, r + dr)) == 1
    # and no other cell nearby is a neighbour
    ring = {(q + dq, r + dr) for dq in range(-2, 3) for dr in range(-2, 3)} - {(q + dq, r + dr) for dq, dr in offsets}
    for other in ring - {cell}:
        ox, oy = hex_centre(*other, size)
        assert math.hypot(ox - cx, oy - cy) > math.sqrt(3) * size + 1e-9
        assert hex_distance(cell, other) >= 2


def test_hex_points_are_the_six_corners() -> None:
    assert hex_centre(0, 0, 10) == pytest.approx((5 * math.sqrt(3), 10))
    points = [tuple(map(float, p.split(","))) for p in hex_points(50, 50, 10).split()]
    assert len(points) == 6
    assert points[0] == (50, 40), "pointy top"
    assert all(math.hypot(x - 50, y - 50) == pytest.approx(10, abs=0.01) for x, y in points)
