"""Benchmark: each question command as a user runs it (a new process, start included), and the
snapshot query itself in-process.

    python benchmarks/questions.py [--repeat 7]

Reads the dataset shipped with lacs. Prints medians in milliseconds; targets: every command
under 300 ms, the snapshot query under 20 ms.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time
from datetime import date
from pathlib import Path

import lacs
from lacs.store.shipped import SHIPPED
from lacs.questions.snapshot import snapshot

LACS = str(Path(sys.executable).with_name("lacs"))
COMMANDS = [
    ["council", "manchester"],
    ["council", "manchester", "--json"],
    ["snapshot", "--as-at", "2024-03-31", "--by", "region"],
    ["snapshot", "--as-at", "2024-03-31", "--json"],
    ["changes", "--from", "2018-01-01"],
    ["compare", "manchester", "--with", "region"],
    ["export", "--what", "latest", "--format", "csv"],
    ["--help"],
]


def median_ms(fn, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times) * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--repeat", type=int, default=7)
    args = parser.parse_args()
    for command in COMMANDS:
        run = lambda: subprocess.run([LACS, *command, "--db", str(SHIPPED)] if command[0] != "--help"
                                     else [LACS, *command], check=True, capture_output=True)
        print(f"lacs {' '.join(command):50} median {median_ms(run, args.repeat):6.0f} ms")
    db = lacs.open(SHIPPED)
    snapshot(db, date(2024, 3, 31))  # the first question reads the record into memory
    query = median_ms(lambda: snapshot(db, date(2024, 3, 31), by="region"), args.repeat * 10)
    fresh = median_ms(lambda: snapshot(lacs.open(SHIPPED), date(2024, 3, 31), by="region"), args.repeat)
    print(f"snapshot query, record in memory                  median {query:6.1f} ms")
    print(f"snapshot query, opening the database first        median {fresh:6.1f} ms")


if __name__ == "__main__":
    main()
