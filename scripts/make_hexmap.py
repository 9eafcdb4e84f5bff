"""Write lacs's hex map of England's current councils, src/lacs/data/hexmap.csv.

Each of the 153 current councils gets one equal hexagon. Councils' positions come from
the register (src/lacs/data/councils.csv, which took them from mySociety's register of
UK local authorities) and are projected to a plane, x = lon * cos(mean lat), y = lat
(in km). A pointy-top hex grid is laid over the plane; the candidate cells are those
whose centre lies within `reach` cell spacings of some council (somewhat more cells than
councils); councils are assigned to candidate cells by the optimal assignment that
minimises the total squared distance from each council to its cell
(scipy.optimize.linear_sum_assignment).

Positions: mySociety's positions for several county councils are far off (Lancashire's
lies in Northamptonshire, Devon's in the Bristol Channel, Suffolk's 84 km from Suffolk).
Where a county council's position is more than 15 km from the area-weighted mean of its
current districts' positions (from ../shared/reference/uk_local_authorities.csv), the
script uses that mean instead; a current council without a position would be filled
from the same file.

London is dense (33 boroughs in the space of two or three cells), so besides the plain
projection the script also tries "relaxed" positions: a spring model over each
council's three nearest neighbours with rest length one cell spacing, plus repulsion
between any two councils closer than that, which evens out the density (London grows,
the sparse north and south-west shrink) while keeping who is next to whom.

It tries grid spacings, offsets, reaches and both kinds of position, and keeps the
layout that maximises the share of councils whose nearest geographic neighbour
(great-circle distance) is within two hex steps; ties go to the layout in fewer
connected pieces, then to the lower mean distance from council to cell (in cell
spacings). Cells are written in odd-r offset coordinates (see lacs.hexmap).

scipy and numpy are needed only here (a dev tool), not by the package.

Usage: python scripts/make_hexmap.py [REFERENCE_DIR]
"""

from __future__ import annotations

import csv
import math
import sys
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from scipy.optimize import linear_sum_assignment

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from lacs.domain.councils import Council, load_councils  # noqa: E402
from lacs.web.hexmap import hex_distance  # noqa: E402

OUT = ROOT / "src" / "lacs" / "data" / "hexmap.csv"
REFERENCE = ROOT.parent / "shared" / "reference"
KM_PER_DEGREE = 111.2
SQRT3 = math.sqrt(3.0)
# mySociety still lists Barnsley and Sheffield under their older GSS codes.
OLD_GSS = {"E08000038": "E08000016", "E08000039": "E08000019"}
COUNTY_TOLERANCE_KM = 15.0
# What to try: grid spacings (centre to centre, km), fractional offsets of the grid's
# origin, reaches (in spacings) that define candidate cells, and kinds of position.
SPACINGS_KM = [float(s) for s in range(20, 41, 2)]
OFFSETS = [(ox / 3, oy / 3) for ox in range(3) for oy in range(3)]
REACHES = [0.6, 0.8, 1.0, 1.3]
MODES = ["projected", "relaxed"]
MAX_CANDIDATES = 2.0  # at most this many candidate cells per council


@dataclass
class Layout:
    cells: dict[str, tuple[int, int]]  # GSS code -> (q, r), odd-r offset
    within_two: float  # share of councils whose nearest neighbour is within two steps
    within_one: float
    pieces: int  # connected groups of cells
    mean_steps: float  # mean distance from a council's position to its cell, in spacings
    spacing_km: float
    offset: tuple[float, float]
    reach: float
    mode: str
    candidates: int

    def key(self) -> tuple[float, int, float]:
        return (-self.within_two, self.pieces, self.mean_steps)


def main(reference: Path) -> None:
    councils = sorted((c for c in load_councils() if c.is_current), key=lambda c: c.gss_code)
    latlon = positions(councils, reference)
    projected = project(latlon)
    nearest = nearest_neighbours(latlon)
    codes = [c.gss_code for c in councils]
    best: Layout | None = None
    for spacing in SPACINGS_KM:
        for mode in MODES:
            points = projected if mode == "projected" else relax(projected, spacing)
            for offset in OFFSETS:
                for reach in REACHES:
                    layout = lay_out(codes, points, nearest, spacing, offset, reach, mode)
                    if layout and (best is None or layout.key() < best.key()):
                        best = layout
    assert best is not None
    cells = normalise(best.cells)
    with OUT.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh, lineterminator="\n")
        writer.writerow(["gss_code", "name", "q", "r"])
        for c in councils:
            writer.writerow([c.gss_code, c.name, *cells[c.gss_code]])
    n = len(councils)
    london = [c.gss_code for c in councils if c.region == "London"]
    print(f"wrote {n} cells to {OUT.relative_to(ROOT)}")
    print(f"{best.mode} positions, grid spacing {best.spacing_km:g} km, offset "
          f"({best.offset[0]:.2f}, {best.offset[1]:.2f}), reach {best.reach:g}, "
          f"{best.candidates} candidate cells, {max(q for q, _ in cells.values()) + 1} x "
          f"{max(r for _, r in cells.values()) + 1} cells")
    print(f"nearest neighbour within two hex steps: {best.within_two:.1%} "
          f"({round(best.within_two * n)}/{n}); adjacent: {best.within_one:.1%} ({round(best.within_one * n)}/{n})")
    print(f"mean distance from a council's ({best.mode}) position to its cell's centre: "
          f"{best.mean_steps:.2f} cell spacings")
    print(f"the map is in {best.pieces} connected piece(s); London's {len(london)} boroughs in "
          f"{components(cells, london)}")


def positions(councils: list[Council], reference: Path) -> list[tuple[float, float]]:
    """Each council's (lat, lon): the register's, corrected for county councils."""
    with (reference / "uk_local_authorities.csv").open(encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    by_gss = {r["gss-code"]: r for r in rows}
    out = []
    for c in councils:
        ref = by_gss.get(c.gss_code) or by_gss.get(OLD_GSS.get(c.gss_code, ""), {})
        if c.lat is None or c.lon is None:
            lat, lon = float(ref["lat"]), float(ref["long"])
            print(f"{c.name}: no position in the register; using mySociety's")
        else:
            lat, lon = c.lat, c.lon
        if ref.get("local-authority-type") == "CTY":
            districts = [d for d in rows if d["county-la"] == ref["local-authority-code"]
                         and not d["end-date"] and d["lat"] and d["area"]]
            area = sum(float(d["area"]) for d in districts)
            mean_lat = sum(float(d["area"]) * float(d["lat"]) for d in districts) / area
            mean_lon = sum(float(d["area"]) * float(d["long"]) for d in districts) / area
            off = km(lat, lon, mean_lat, mean_lon)
            if off > COUNTY_TOLERANCE_KM:
                print(f"{c.name}: position {off:.0f} km from its districts'; using theirs")
                lat, lon = mean_lat, mean_lon
        out.append((lat, lon))
    return out


def km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance in km."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    h = math.sin((p2 - p1) / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(math.radians(lon2 - lon1) / 2) ** 2
    return 2 * 6371.0 * math.asin(math.sqrt(h))


def project(latlon: list[tuple[float, float]]) -> np.ndarray:
    """Positions in km on the plane x = lon * cos(mean lat), y = lat."""
    lat = np.array([p[0] for p in latlon])
    lon = np.array([p[1] for p in latlon])
    return np.column_stack([lon * math.cos(math.radians(lat.mean())), lat]) * KM_PER_DEGREE


def nearest_neighbours(latlon: list[tuple[float, float]]) -> list[int]:
    """Index of each council's nearest other council by great-circle distance."""
    dist = np.array([[km(*a, *b) if a is not b else np.inf for b in latlon] for a in latlon])
    return [int(i) for i in dist.argmin(axis=1)]


def relax(points: np.ndarray, spacing: float, k: int = 3, steps: int = 400, rate: float = 0.1) -> np.ndarray:
    """Even out the density: springs of rest length `spacing` between each council and its
    k nearest neighbours (they only pull), repulsion between any two closer than that."""
    dist = np.sqrt(((points[:, None] - points[None]) ** 2).sum(axis=2))
    np.fill_diagonal(dist, np.inf)
    linked = np.zeros(dist.shape, dtype=bool)
    np.put_along_axis(linked, np.argsort(dist, axis=1)[:, :k], True, axis=1)
    linked |= linked.T
    p = points.copy()
    for _ in range(steps):
        diff = p[:, None] - p[None]
        dist = np.sqrt((diff**2).sum(axis=2))
        np.fill_diagonal(dist, np.inf)
        push = np.clip(spacing - dist, 0, None) - np.where(linked, np.clip(dist - spacing, 0, None), 0)
        p = p + rate * (diff / dist[:, :, None] * push[:, :, None]).sum(axis=1)
    return p


def lay_out(
    codes: list[str],
    points: np.ndarray,
    nearest: list[int],
    spacing: float,
    offset: tuple[float, float],
    reach: float,
    mode: str,
) -> Layout | None:
    """Assign councils to the cells of one grid; None if it has too few or too many cells."""
    row_height = spacing * SQRT3 / 2
    top = points[:, 1].max() + offset[1] * row_height
    left = points[:, 0].min() - offset[0] * spacing
    rows = int((top - points[:, 1].min()) / row_height) + 3
    cols = int((points[:, 0].max() - left) / spacing) + 3
    grid = [(q, r) for r in range(-2, rows) for q in range(-2, cols)]
    centres = np.array([(left + (q + 0.5 * (r & 1)) * spacing, top - r * row_height) for q, r in grid])
    squared = ((points[:, None, :] - centres[None, :, :]) ** 2).sum(axis=2)
    keep = squared.min(axis=0) <= (reach * spacing) ** 2
    if not len(codes) < keep.sum() <= MAX_CANDIDATES * len(codes):
        return None
    candidates = [cell for cell, k in zip(grid, keep, strict=True) if k]
    cost = squared[:, keep]
    who, where = linear_sum_assignment(cost)
    cells = {codes[i]: candidates[j] for i, j in zip(who, where, strict=True)}
    steps = [hex_distance(cells[code], cells[codes[n]]) for code, n in zip(codes, nearest, strict=True)]
    return Layout(
        cells=cells,
        within_two=sum(s <= 2 for s in steps) / len(steps),
        within_one=sum(s <= 1 for s in steps) / len(steps),
        pieces=components(cells, codes),
        mean_steps=float(np.sqrt(cost[who, where]).mean()) / spacing,
        spacing_km=spacing,
        offset=offset,
        reach=reach,
        mode=mode,
        candidates=len(candidates),
    )


def normalise(cells: dict[str, tuple[int, int]]) -> dict[str, tuple[int, int]]:
    """Translate the layout so the smallest q and r are 0, keeping the odd-r geometry."""
    axial = {g: (q - (r - (r & 1)) // 2, r) for g, (q, r) in cells.items()}
    top = min(r for _, r in axial.values())
    shifted = {g: (a + (r - top - ((r - top) & 1)) // 2, r - top) for g, (a, r) in axial.items()}
    left = min(q for q, _ in shifted.values())
    return {g: (q - left, r) for g, (q, r) in shifted.items()}


def components(cells: dict[str, tuple[int, int]], codes: list[str]) -> int:
    """How many connected groups of cells the given councils form."""
    todo = {cells[g] for g in codes}
    count = 0
    while todo:
        count += 1
        stack = [todo.pop()]
        while stack:
            cell = stack.pop()
            near = {other for other in todo if hex_distance(cell, other) == 1}
            todo -= near
            stack.extend(near)
    return count


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else REFERENCE)
