"""Building the database from folders of reports: incremental, atomic, one build at a time.

    build(["../shared/ofsted-reports"], db_path) -> BuildResult

- Incremental: a file whose SHA-256 and extractor version are stored already is not read
  again; files gone from the folders are dropped. With nothing to do, nothing is written.
- Atomic: changes go into a copy of the database, swapped in with os.replace() only when
  whole; a failed or killed build leaves the old file as it was.
- One at a time: a build holds an exclusive lock on `<db>.lock` (released by the system
  when the process dies), and a second build is refused with BuildLocked.
- The user's record is always whole: the database lacs answers from by default
  (default_db_path()) starts as the shipped record, and a build or update adds to it: reports
  not in the folders are kept, and a write that would leave it with fewer inspections, councils
  with an inspection, official releases or publications is refused (WouldLoseRecord), unless
  `replace=True` (`lacs build --replace`: that database becomes these folders' record alone).
  Any other database holds only what was built into it.
- Only a lacs database is written: anything else given as the database is refused and left
  as it is (files.writable_database); one of an older schema is migrated, keeping its rows.
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
from lacs.errors import ReportError, UnreadableFile, WouldLoseRecord
from lacs.reports.corpus import find_reports
from lacs.reports.extract import EXTRACTOR_VERSION, extract_many
from lacs.store import writes as store
from lacs.store.files import exclusive_lock, remove_leftovers, writable_database, write_copy
from lacs.store.reconcile import reconcile
from lacs.store.schema import Verdict, check_lacs_database, connect_read_only, default_db_path
from lacs.store.shipped import seed_official_rows, seed_shipped_record

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
    created: bool = False  # the database did not exist: made new (the user's: from the shipped record)
    upgraded: bool = False  # a database of an older schema, migrated in place
    users_record: bool = False  # the database lacs answers from by default (see is_users_record)
    rethemed: bool = False  # the taxonomy (data/themes.toml) had changed: every point's themes found again

    @property
    def changed(self) -> bool:
        return bool(self.read or self.removed or self.created or self.upgraded or self.rethemed)


@dataclass(frozen=True)
class FileInfo:
    key: str  # the path relative to the folder built, as stored
    path: Path
    sha256: str
    size: int


def build(folders: Iterable[Path | str], db_path: Path | str, workers: int | None = None,
          on_progress: Callable[[int, int], None] | None = None, remove_missing: bool = True,
          publications: Sequence[store.PublicationRow] = (), seed_official: bool = False,
          replace: bool = False, how: str = "build") -> BuildResult:
    """Bring the database at db_path up to date with the reports in folders.

    `remove_missing=False` keeps reports that are not in the folders (`lacs update` adds to a
    database that may have been built from elsewhere); `publications` are stored in the same
    transaction, so that a report and the site's record of it land together or not at all.
    The user's record (is_users_record) is kept whole, as the module's docstring says, unless
    `replace`. NotADatabase, before anything is read, if db_path is not a database lacs may write."""
    db_path = Path(db_path)
    writable_database(db_path)
    users_record = is_users_record(db_path)
    keep_whole = users_record and not replace
    if keep_whole:
        remove_missing = False
    if users_record and not replace:
        seed: Callable[[sqlite3.Connection], None] | None = seed_shipped_record
    else:
        seed = seed_official_rows if seed_official or users_record else None
    db_path.parent.mkdir(parents=True, exist_ok=True)
    with exclusive_lock(db_path):
        remove_leftovers(db_path)
        verdict = writable_database(db_path)
        files, unreadable = _file_infos(folders)
        stored = _stored_versions(db_path)
        # An unreadable file keeps what an earlier read of it stored; one never read is stored as a
        # problem with no hash, so that the next build tries it again.
        wanted = {f.key for f in files} | {u.key for u in unreadable}
        known = _stored_versions(db_path, with_text=False) if unreadable else {}
        new_problems = [u for u in unreadable if u.key not in known]
        to_read = [f for f in files if stored.get(f.key) != (f.sha256, EXTRACTOR_VERSION)]
        gone = [key for key in stored if key not in wanted] if remove_missing else []
        result = BuildResult(db_path, files=len(files) + len(unreadable), skipped=len(files) - len(to_read),
                             removed=len(gone), problems=[(u.key, u.reason) for u in unreadable],
                             created=verdict is Verdict.MISSING, upgraded=verdict is Verdict.OTHER_VERSION,
                             users_record=users_record)
        if (not to_read and not gone and not publications and not new_problems and verdict is Verdict.CURRENT
                and _themes_current(db_path)):
            return result

        def write(conn: sqlite3.Connection) -> None:
            before = store.record_counts(conn)
            if not store.themes_current(conn):  # first: the points stored below are themed with this taxonomy
                store.retheme(conn)
                result.rethemed = True
            _write(conn, to_read, gone, result, workers, on_progress, publications)
            for u in new_problems:
                store.add_problem(conn, u.key, "", 0, EXTRACTOR_VERSION, UnreadableFile(u.path, u.reason),
                                  site_published(u.path))
            reconcile(conn)
            if keep_whole:
                _refuse_less(db_path, before, store.record_counts(conn))

        write_copy(db_path, write, seed=seed, how=how)
        return result


def is_users_record(db_path: Path) -> bool:
    """True if db_path is the database lacs answers from by default ($LACS_DB, else the one in
    the user's data folder): the one kept whole."""
    try:
        return db_path.resolve() == default_db_path().resolve()
    except OSError:
        return False


def _refuse_less(db_path: Path, before: dict[str, int], after: dict[str, int]) -> None:
    fewer = [f"{what} {before[what]} -> {after[what]}" for what in before if after[what] < before[what]]
    if fewer:
        raise WouldLoseRecord(f"{db_path}: this would leave the record with less than it had ({', '.join(fewer)}); "
                              "nothing was changed (to rebuild it from these folders alone, use --replace)")


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


@dataclass(frozen=True)
class Unreadable:
    """A report file the file system would not give: one problem of the build, not its end."""

    key: str
    path: Path
    reason: str


def _file_infos(folders: Iterable[Path | str]) -> tuple[list[FileInfo], list[Unreadable]]:
    infos, unreadable = [], []
    for folder in map(Path, folders):
        for path in find_reports([folder]):
            key = path.relative_to(folder).as_posix() if folder.is_dir() else path.name
            try:
                data = path.read_bytes()
            except OSError as exc:
                unreadable.append(Unreadable(key, path, f"cannot be read ({exc.strerror or exc})"))
                continue
            infos.append(FileInfo(key, path, hashlib.sha256(data).hexdigest(), len(data)))
    return infos, unreadable


def _themes_current(db_path: Path) -> bool:
    """Whether the themes in the database at db_path (of this schema) were found with this taxonomy."""
    conn = connect_read_only(db_path)
    try:
        return store.themes_current(conn)
    finally:
        conn.close()


def _stored_versions(db_path: Path, with_text: bool = True) -> dict[str, tuple[str, str]]:
    """Those of the database at db_path (none if there is none yet); `with_text`: but reports
    whose page text it lacks (the shipped record's): a build reads those again, to index their pages."""
    if check_lacs_database(db_path).verdict is Verdict.MISSING:
        return {}
    conn = connect_read_only(db_path)
    try:
        return store.stored_versions(conn, with_text=with_text)
    finally:
        conn.close()
