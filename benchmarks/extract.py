"""Benchmark: lacs extraction against a simple baseline (pypdf text of every page).

For every report in a folder it measures, in one run:
  - per-report milliseconds on one core (median, 90th percentile, max), lacs and baseline;
  - whole-corpus wall time using every core, lacs and baseline;
and prints the ratios. Needs `pip install -e '.[bench]'` for pypdf.

    python benchmarks/extract.py ../shared/ofsted-reports [--sample 100] [--workers 2]
"""

from __future__ import annotations

import argparse
import contextlib
import logging
import os
import statistics
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

from lacs.errors import ReportError
from lacs.reports.corpus import find_reports
from lacs.reports.extract import extract_report


def lacs_one(path: str) -> float:
    start = time.perf_counter()
    with contextlib.suppress(ReportError):
        extract_report(path)
    return (time.perf_counter() - start) * 1000


def baseline_one(path: str) -> float:
    """The simple baseline: pypdf's text of every page, no parsing at all."""
    import pypdf

    start = time.perf_counter()
    try:
        for page in pypdf.PdfReader(path).pages:
            page.extract_text()
    except Exception:  # the baseline has no error handling of its own; failures still cost time
        pass
    return (time.perf_counter() - start) * 1000


def per_report(fn, paths: list[str]) -> list[float]:
    return [fn(p) for p in paths]


def wall(fn, paths: list[str], workers: int) -> float:
    start = time.perf_counter()
    with ProcessPoolExecutor(max_workers=workers) as pool:
        list(pool.map(fn, paths, chunksize=4))
    return time.perf_counter() - start


def describe(ms: list[float]) -> str:
    ms = sorted(ms)
    p90 = ms[int(len(ms) * 0.9) - 1] if len(ms) >= 10 else ms[-1]
    return f"median {statistics.median(ms):7.1f} ms   p90 {p90:7.1f} ms   max {ms[-1]:7.1f} ms"


def main() -> None:
    logging.getLogger("pypdf").setLevel(logging.ERROR)  # the baseline complains about the HTML pages
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("folder", type=Path)
    parser.add_argument("--sample", type=int, default=0, help="only the first N reports (0: all)")
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    args = parser.parse_args()
    paths = [str(p) for p in find_reports([args.folder])]
    if args.sample:
        paths = paths[: args.sample]
    print(f"{len(paths)} reports, {args.workers} workers for the whole-corpus runs")

    lacs_ms = per_report(lacs_one, paths)
    base_ms = per_report(baseline_one, paths)
    print(f"per report, one core   lacs     {describe(lacs_ms)}")
    print(f"                       baseline {describe(base_ms)}")
    print(f"  median ratio baseline/lacs: {statistics.median(base_ms) / statistics.median(lacs_ms):.1f}x")

    lacs_wall = wall(lacs_one, paths, args.workers)
    base_wall = wall(baseline_one, paths, args.workers)
    print(f"whole corpus, {args.workers} cores  lacs {lacs_wall:6.1f} s   baseline {base_wall:6.1f} s   "
          f"ratio baseline/lacs {base_wall / lacs_wall:.1f}x")


if __name__ == "__main__":
    main()
