"""Benchmark: full-text search over the corpus database, in-process and as a user runs it.

    python benchmarks/search.py ../shared/ofsted-reports [--repeat 20]
    python benchmarks/search.py --db lacs.db

Builds the corpus database once into a temporary folder (or reads --db), then times a few
searches in-process and `lacs search "domestic abuse" --db PATH` as a new process (when the
command exists). Prints medians in milliseconds; target: "domestic abuse" well under 100 ms.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from functools import partial
from pathlib import Path

import lacs
from lacs.questions.search import search
from lacs.store.build import build

LACS = str(Path(sys.executable).with_name("lacs"))
QUERIES = [
    ("domestic abuse", {}),
    ('"domestic abuse"', {}),
    ("protect*", {}),
    ("neglect OR abuse", {}),
    ("children", {}),
    ("domestic abuse", {"council": "kent"}),
]


def median_ms(fn, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times) * 1000


def run(db_path: Path, repeat: int) -> None:
    db = lacs.open(db_path)
    pages = db.conn.execute("SELECT count(*) FROM pages").fetchone()[0]
    print(f"database {db_path} ({pages} pages)")
    for text, options in QUERIES:
        hits = search(db, text, **options)
        ms = median_ms(partial(search, db, text, **options), repeat)
        label = text + "".join(f" --{k} {v}" for k, v in options.items())
        print(f"  search {label:<32} median {ms:6.1f} ms   ({len(hits)} hits)")
    command = [LACS, "search", "domestic abuse", "--db", str(db_path)]
    if not Path(LACS).exists() or subprocess.run([LACS, "search", "--help"], capture_output=True).returncode:
        print("  lacs search: no such command yet; skipped")
        return
    ms = median_ms(lambda: subprocess.run(command, capture_output=True, check=True), repeat)
    label = 'lacs search "domestic abuse" (process)'
    print(f"  {label:<39} median {ms:6.1f} ms")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("folder", type=Path, nargs="?", help="the reports to build a database from")
    parser.add_argument("--db", type=Path, help="a database already built (skips the build)")
    parser.add_argument("--repeat", type=int, default=20)
    args = parser.parse_args()
    if args.db:
        run(args.db, args.repeat)
        return
    if not args.folder:
        parser.error("give a FOLDER of reports or --db PATH")
    with tempfile.TemporaryDirectory() as tmp:
        db_path = Path(tmp) / "lacs.db"
        start = time.perf_counter()
        build([args.folder], db_path)
        print(f"built in {time.perf_counter() - start:.1f} s")
        run(db_path, args.repeat)


if __name__ == "__main__":
    main()
