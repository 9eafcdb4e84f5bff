"""Building the database from folders of reports: incremental, atomic, one build at a time.

    build(["../shared/ofsted-reports"], db_path) -> BuildResult

- Incremental: a file whose SHA-256 and extractor version are stored already is not read
  again; files gone from the folders are dropped. With nothing to do, nothing is written.
- Atomic: changes go into a copy of the database, swapped in with os.replace() only when
  whole; a failed or killed build leaves the old file as it was.
- One at a time: a build holds an exclusive lock on `<db>.lock` (released by the system
  when the process dies), and a second build is refused with BuildLocked.
"""

from __future__ import annotations

import hashlib
import re
import sqlite3
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from lacs.domain.dates import parse_date
from lacs.errors import ReportError
from lacs.reports.corpus import find_reports
from lacs.reports.extract import EXTRACTOR_VERSION, extract_many
from lacs.store import writes as store
from lacs.store.files import exclusive_lock, remove_leftovers, write_copy
from lacs.store.reconcile import reconcile
from lacs.store.schema import check_lacs_database, connect_read_only
from lacs.store.shipped import seed_official_rows

__all__ = ["BuildResult", "FileInfo", "build", "exclusive_lock", "site_published"]

INDEX_BATCH = 50  # reports whose pages are added to the full-text index at a time


@dataclass
class BuildResult:
    db: Path
    files: int = 0
    read: int = 0
    skipped: int = 0
    removed: int = 0
    problems: list[tuple[str, str]] = field(default_factory=list)  # (path, reason)

    @property
    def changed(self) -> bool:
        return bool(self.read or self.removed)


@dataclass(frozen=True)
class FileInfo:
    key: str  # the path relative to the folder built, as stored
    path: Path
    sha256: str
    size: int


def build(folders: Iterable[Path | str], db_path: Path | str, workers: int | None = None,
          on_progress: Callable[[int, int], None] | None = None, remove_missing: bool = True,
          publications: Sequence[store.PublicationRow] = (), seed_official: bool = False) -> BuildResult:
    """Bring the database at db_path up to date with the reports in folders.

    `remove_missing=False` keeps reports that are not in the folders (`lacs update` adds to a
    database that may have been built from elsewhere); `publications` are stored in the same
    transaction, so that a report and the site's record of it land together or not at all."""
    db_path = Path(db_path)
    db_path.parent.mkdir(parents=True, exist_ok=True)
    with exclusive_lock(db_path):
        remove_leftovers(db_path)
        files = _file_infos(folders)
        stored = _stored_versions(db_path)
        wanted = {f.key for f in files}
        to_read = [f for f in files if stored.get(f.key) != (f.sha256, EXTRACTOR_VERSION)]
        gone = [key for key in stored if key not in wanted] if remove_missing else []
        result = BuildResult(db_path, files=len(files), skipped=len(files) - len(to_read), removed=len(gone))
        if not to_read and not gone and not publications:
            return result

        def write(conn: sqlite3.Connection) -> None:
            _write(conn, to_read, gone, result, workers, on_progress, publications)
            reconcile(conn)

        write_copy(db_path, write, seed=seed_official_rows if seed_official else None)
        return result


def _write(conn: sqlite3.Connection, to_read: list[FileInfo], gone: list[str], result: BuildResult,
           workers: int | None, on_progress: Callable[[int, int], None] | None,
           publications: Sequence[store.PublicationRow] = ()) -> None:
    for key in gone + [f.key for f in to_read]:
        store.forget(conn, key)
    # Largest first, so that no core is left alone with a big file at the end.
    by_path = {str(f.path): f for f in sorted(to_read, key=lambda f: (-f.size, f.key))}
    indexed = store.last_page_id(conn)
    for n, (path, outcome) in enumerate(extract_many(by_path, workers), 1):
        info = by_path[path]
        site_date = site_published(info.path)
        if isinstance(outcome, ReportError):
            store.add_problem(conn, info.key, info.sha256, info.size, EXTRACTOR_VERSION, outcome, site_date)
            result.problems.append((info.key, outcome.reason))
        else:
            store.add_record(conn, info.key, info.size, outcome, site_date)
        result.read += 1
        if n % INDEX_BATCH == 0:
            indexed = store.index_pages_after(conn, indexed)
        if on_progress:
            on_progress(n, len(to_read))
    for publication in publications:
        store.add_publication(conn, publication)
    store.index_pages_after(conn, indexed)


_FILE_DATE = re.compile(r" - (\d{1,2} \w+ \d{4})\.pdf$", re.IGNORECASE)


def site_published(path: Path) -> date | None:
    """The publication date the site gave, as the crawler put it in the file name ('... - 19 may 2022.pdf')."""
    match = _FILE_DATE.search(path.name)
    if not match:
        return None
    try:
        return parse_date(match.group(1).title())
    except ValueError:
        return None


def _file_infos(folders: Iterable[Path | str]) -> list[FileInfo]:
    infos = []
    for folder in map(Path, folders):
        for path in find_reports([folder]):
            data = path.read_bytes()
            key = path.relative_to(folder).as_posix() if folder.is_dir() else path.name
            infos.append(FileInfo(key, path, hashlib.sha256(data).hexdigest(), len(data)))
    return infos


def _stored_versions(db_path: Path) -> dict[str, tuple[str, str]]:
    """Those of the database at db_path; none if it is not a lacs database of this version (it is rebuilt)."""
    if not check_lacs_database(db_path).ok:
        return {}
    conn = connect_read_only(db_path)
    try:
        return store.stored_versions(conn)
    finally:
        conn.close()
