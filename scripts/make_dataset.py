"""Make the dataset shipped in the package, src/lacs/data/lacs.db.gz, from a folder of reports
and Ofsted's official statistics spreadsheets.

    python scripts/make_dataset.py ../shared/ofsted-reports ../shared/reference/ofsted-official/*.ods

Builds a database from scratch in a temporary folder (not seeded from the shipped file),
imports the official releases, then writes its compact, canonical copy (no page text).
tests/test_dataset.py checks that the shipped file equals what a build of the corpus gives,
so run this after any change to the extractor or the schema.
"""

from __future__ import annotations

import argparse
import tempfile
from pathlib import Path

from lacs.store.build import build
from lacs.store.reconcile import import_official
from lacs.store.shipped import pack, write_compact


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("folder", type=Path)
    parser.add_argument("official", type=Path, nargs="*", help="Ofsted's underlying-data spreadsheets (.ods)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        built = Path(tmp) / "lacs.db"
        result = build([args.folder], built, seed_official=False)
        if args.official:
            import_official(args.official, built)
        compact = write_compact(built, Path(tmp) / "compact.db")
        size = compact.stat().st_size
        out = pack(compact)
    print(f"{out}: {result.read} files read, {len(result.problems)} problems, {size:,} bytes "
          f"({out.stat().st_size:,} gzipped)")


if __name__ == "__main__":
    main()
