"""Benchmark: `lacs build` from empty, again with nothing changed, and with one report added.

    python benchmarks/build.py ../shared/ofsted-reports [--repeat 3]

Each figure is the median of --repeat runs, in seconds, on a fresh temporary database.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import tempfile
import time
from functools import partial
from pathlib import Path

from lacs.store.build import build


def timed(fn) -> float:
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("folder", type=Path)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    empty, unchanged, one_more = [], [], []
    for _ in range(args.repeat):
        with tempfile.TemporaryDirectory() as tmp:
            work = Path(tmp) / "reports"
            shutil.copytree(args.folder, work)
            held_back = sorted(work.rglob("*.pdf"))[-1]
            spare = Path(tmp) / held_back.name
            held_back.rename(spare)
            db = Path(tmp) / "lacs.db"
            empty.append(timed(partial(build, [work], db)))
            unchanged.append(timed(partial(build, [work], db)))
            spare.rename(held_back)
            one_more.append(timed(partial(build, [work], db)))
    print(f"from empty        median {statistics.median(empty):6.2f} s   runs {[round(t, 2) for t in empty]}")
    print(f"nothing changed   median {statistics.median(unchanged):6.2f} s   runs {[round(t, 2) for t in unchanged]}")
    print(f"one report added  median {statistics.median(one_more):6.2f} s   runs {[round(t, 2) for t in one_more]}")


if __name__ == "__main__":
    main()
