"""Benchmark: `lacs update` of all 153 councils from the tests' fake Ofsted site on 127.0.0.1,
politeness delay zero, from an empty database; then again with nothing new.

    python benchmarks/update.py ../shared/ofsted-reports [--repeat 3]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))

from fakesite import FakeSite, corpus_site  # noqa: E402
from lacs.site.fetch import Fetcher  # noqa: E402
from lacs.store.update import update  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("folder", type=Path)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    full, again = [], []
    with FakeSite(corpus_site(args.folder)) as site:
        for _ in range(args.repeat):
            with tempfile.TemporaryDirectory() as tmp:
                db, cache = Path(tmp) / "lacs.db", Path(tmp) / "cache"
                for times in (full, again):
                    fetcher = Fetcher(delay=0, cache=cache / "pages")
                    start = time.perf_counter()
                    result = update(db, cache, site.url, fetcher=fetcher)
                    times.append(time.perf_counter() - start)
                    fetcher.close()
                    print(f"  {result.providers} councils, fetched {len(result.fetched)}, built {result.built}, "
                          f"{len(result.failures)} failures, {fetcher.requests} requests, {times[-1]:.1f} s")
    print(f"full update from empty   median {statistics.median(full):6.1f} s")
    print(f"nothing new              median {statistics.median(again):6.1f} s")


if __name__ == "__main__":
    main()
