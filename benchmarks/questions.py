"""Benchmark: each question command as a user runs it (a new process, start included), and the
snapshot query itself in-process.

    python benchmarks/questions.py [--repeat 7] [--startup-repeat 9]

Reads the dataset shipped with lacs. Prints medians in milliseconds; targets: every command
under 300 ms, the snapshot query under 20 ms.

Then `lacs themes` and `lacs themes --over-time` beside `lacs snapshot` (the three interleaved),
each within 1.5x the snapshot command: themes are computed when the record is built, not
matched at every question.

Then start-up against a bare `python -c "import sqlite3, json"` measured in the same run (the
three interleaved, so a busy machine slows them alike): `lacs council manchester --json` on the
default database (no --db, no $LACS_DB; a temporary home whose cache has the shipped dataset
unpacked before timing) within 5x, and `lacs --version` within 3x.

Run it from a non-editable install (`pip install .`, which compiles the bytecode): an editable
install under PYTHONDONTWRITEBYTECODE=1 compiles every lacs module from source at every start,
which alone adds some 25 ms a command.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date
from functools import partial
from pathlib import Path

import lacs
from lacs.questions.snapshot import snapshot
from lacs.store.shipped import SHIPPED

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
# Beside the snapshot: each command, its target as a multiple of the snapshot's (None: the yardstick).
BESIDE_SNAPSHOT = {
    "lacs snapshot --as-at 2024-03-31 --by region": (["snapshot", "--as-at", "2024-03-31", "--by", "region"], None),
    "lacs themes --as-at 2024-03-31 --by region": (["themes", "--as-at", "2024-03-31", "--by", "region"], 1.5),
    "lacs themes --over-time": (["themes", "--over-time"], 1.5),
}
# Start-up: each command, its target as a multiple of the bare start (None: the yardstick itself).
STARTUP = {
    "python -c 'import sqlite3, json'": ([sys.executable, "-c", "import sqlite3, json"], None),
    "lacs council manchester --json": ([LACS, "council", "manchester", "--json"], 5.0),
    "lacs --version": ([LACS, "--version"], 3.0),
}


def median_ms(fn, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times) * 1000


def interleaved_ms(commands: dict[str, list[str]], repeat: int, env: dict[str, str] | None = None) -> dict[str, float]:
    """The median time of each command, run in turn `repeat` times (so a busy machine slows them alike)."""
    times: dict[str, list[float]] = {name: [] for name in commands}
    for _ in range(repeat):
        for name, command in commands.items():
            start = time.perf_counter()
            subprocess.run(command, env=env, check=True, capture_output=True)
            times[name].append(time.perf_counter() - start)
    return {name: statistics.median(t) * 1000 for name, t in times.items()}


def beside_snapshot(repeat: int) -> None:
    medians = interleaved_ms({name: [LACS, *command, "--db", str(SHIPPED)]
                              for name, (command, _) in BESIDE_SNAPSHOT.items()}, repeat)
    yardstick = next(iter(medians.values()))
    print(f"beside the snapshot, median of {repeat}, interleaved:")
    for name, (_, target) in BESIDE_SNAPSHOT.items():
        verdict = "" if target is None else (
            f"{medians[name] / yardstick:5.2f}x the snapshot (target {target:.1f}x: "
            f"{'met' if medians[name] / yardstick <= target else 'NOT met'})")
        print(f"  {name:48} median {medians[name]:6.0f} ms  {verdict}".rstrip())


def startup(repeat: int) -> None:
    with tempfile.TemporaryDirectory() as home:
        env = {k: v for k, v in os.environ.items() if k not in ("LACS_DB", "LACS_REPORTS")}
        env.update(HOME=home, XDG_CACHE_HOME=f"{home}/cache", XDG_DATA_HOME=f"{home}/data",
                   XDG_CONFIG_HOME=f"{home}/config")
        for command, _ in STARTUP.values():  # once untimed: this unpacks the shipped dataset into the cache
            subprocess.run(command, env=env, check=True, capture_output=True)
        if not list(Path(home, "cache").rglob("shipped-*.db")):
            sys.exit(f"the shipped dataset was not unpacked into {home}/cache: the timings would include unpacking")
        medians = interleaved_ms({name: command for name, (command, _) in STARTUP.items()}, repeat, env)
    bare = next(iter(medians.values()))
    print(f"start-up, median of {repeat}, interleaved:")
    for name, (_, target) in STARTUP.items():
        verdict = "" if target is None else (
            f"{medians[name] / bare:5.1f}x the bare start (target {target:.0f}x: "
            f"{'met' if medians[name] / bare <= target else 'NOT met'})")
        print(f"  {name:48} median {medians[name]:6.0f} ms  {verdict}".rstrip())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--startup-repeat", type=int, default=9)
    args = parser.parse_args()
    for command in COMMANDS:
        argv = [LACS, *command, "--db", str(SHIPPED)] if command[0] != "--help" else [LACS, *command]
        run = partial(subprocess.run, argv, check=True, capture_output=True)
        print(f"lacs {' '.join(command):50} median {median_ms(run, args.repeat):6.0f} ms")
    db = lacs.open(SHIPPED)
    snapshot(db, date(2024, 3, 31))  # the first question reads the record into memory
    query = median_ms(lambda: snapshot(db, date(2024, 3, 31), by="region"), args.repeat * 10)
    fresh = median_ms(lambda: snapshot(lacs.open(SHIPPED), date(2024, 3, 31), by="region"), args.repeat)
    print(f"snapshot query, record in memory                  median {query:6.1f} ms")
    print(f"snapshot query, opening the database first        median {fresh:6.1f} ms")
    beside_snapshot(args.startup_repeat)
    startup(args.startup_repeat)


if __name__ == "__main__":
    main()
