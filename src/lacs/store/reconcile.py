"""The record and Ofsted's official statistics, side by side.

    import_official(["LA_Inspection_Outcomes_as_at_31_March_2025.ods"], db_path) -> ImportResult
    reconcile(conn)   # after any change to reports or official rows

Each official row (one inspection as one release's table gives it) is matched to the
inspection it records (the matching is official/match.py's; this module reads and writes):

1. Rows of one council and framework that record the same inspection are grouped: their
   inspection dates within START_DAYS of each other, or their publication dates within
   PUBLISHED_DAYS, or (when one gives only the start and the other only the publication)
   published 0 to FIELDWORK_TO_REPORT_DAYS after the start. A group takes at most one row
   from each table.
2. A group whose inspection a report in the record gives is linked to it; where the two
   differ (a grade, the inspection date, the publication date) the difference is kept in
   `disagreements`, with both values and where each came from. The report wins.
3. A group no report gives becomes an inspection of source 'official' ("Ofsted official
   statistics"), with the dates and grades the tables give (the newest release's value
   where they differ). A report that arrives later takes its place, since every build
   reconciles again.

Visits between inspections are kept apart, in `visits` (store/visits.py): the in-year tables'
focused and monitoring visits, with their themes, replaced with their release; and, at every
reconciliation, a visit for each letter `lacs update` stored, read from the letter's text.

Grades renamed between frameworks (a report's "adequate", a table's "requires improvement")
are the same judgement and not a disagreement. A grade a table files under an inspection that
the council's separate board review holds (the LSCB's, from 2014) is compared with the review's
record; where they agree it is kept as a filing note, not counted as a disagreement.
"""

from __future__ import annotations

import sqlite3
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from lacs.official.match import (
    Dated,
    Review,
    best_match,
    dated_report,
    dated_row,
    differences,
    group_rows,
    is_filing_note,
    merged_inspection,
    review_after,
)
from lacs.official.tables import OfficialRelease, OfficialRow, read_release
from lacs.store import visits as visits_store
from lacs.store import writes as store
from lacs.store.files import exclusive_lock, write_copy
from lacs.store.schema import Verdict, check_lacs_database, connect_read_only


@dataclass
class ImportResult:
    db: Path
    releases: list[str] = field(default_factory=list)  # newly imported or replaced
    unchanged: list[str] = field(default_factory=list)  # already imported from the same file
    rows: int = 0
    filled: int = 0  # inspections only the official statistics give
    matched: int = 0  # inspections of the record that official rows confirm or dispute
    disagreements: int = 0
    visits: int = 0  # visits between inspections that the releases' in-year tables list


def import_official(paths: Iterable[Path | str], db_path: Path | str,
                    on_progress: Callable[[str], None] | None = None) -> ImportResult:
    """Read every spreadsheet first (a bad one changes nothing), then store their rows and
    reconcile, in one transaction on a copy of the database swapped in when whole."""
    db_path = Path(db_path)
    result = ImportResult(db_path)
    with exclusive_lock(db_path):
        imported = _imported(db_path)
        releases: list[OfficialRelease] = []
        for path in paths:
            if on_progress:
                on_progress(str(path))
            found = read_release(path)
            if imported.get(found.release.key) == found.release.sha256:
                result.unchanged.append(found.release.key)
            else:
                releases.append(found)
        if not releases:
            return result

        def write(conn: sqlite3.Connection) -> None:
            for found in releases:
                store.store_release(conn, found)
                result.visits += visits_store.store_official_visits(conn, found)
                result.releases.append(found.release.key)
                result.rows += len(found.rows)
            _count(reconcile(conn), result)

        write_copy(db_path, write, how="official import")
    return result


def _imported(db_path: Path) -> dict[str, str]:
    check = check_lacs_database(db_path)
    if check.verdict is Verdict.MISSING:
        raise store.NoStore(f"{db_path}: no lacs database here yet; run `lacs build FOLDER` first")
    if not check.ok:
        raise store.NoStore(f"{db_path}: not a lacs database of this version ({check.detail}); "
                            "run `lacs build FOLDER` first")
    conn = connect_read_only(db_path)
    try:
        stale = visits_store.releases_without_themes(conn)  # an older lacs did not read visits' themes
        return {key: sha for key, sha in store.imported_releases(conn).items() if key not in stale}
    finally:
        conn.close()


@dataclass(frozen=True)
class Reconciled:
    filled: int
    matched: int
    disagreements: int


def reconcile(conn: sqlite3.Connection) -> Reconciled:
    """Match every graded official row to the record, fill the gaps, keep the disagreements; and
    read the letters of visits stored (lacs.store.visits)."""
    visits_store.refresh_letter_visits(conn)
    store.forget_official_matches(conn)
    reports = _report_inspections(conn)
    reviews = _reviews(conn)
    groups = group_rows([(row, dated_row(row)) for row in store.graded_official_rows(conn)])
    filled = matched = disagreements = 0
    for pairs in groups:
        rows = [row for row, _ in pairs]
        inspection_id = best_match(pairs, reports.get(pairs[0][1].gss_code, []))
        if inspection_id is None:
            inspection_id = store.add_official_inspection(conn, merged_inspection(rows))
            filled += 1
        else:
            matched += 1
            gss = pairs[0][1].gss_code
            disagreements += _disagree(conn, inspection_id, rows,
                                       _review_of(inspection_id, reports.get(gss, []), reviews.get(gss, [])))
        store.link_official_rows(conn, inspection_id, rows)
    return Reconciled(filled, matched, disagreements)


def _count(done: Reconciled, result: ImportResult) -> None:
    result.filled, result.matched, result.disagreements = done.filled, done.matched, done.disagreements


def _report_inspections(conn: sqlite3.Connection) -> dict[str, list[tuple[int, Dated]]]:
    found: dict[str, list[tuple[int, Dated]]] = defaultdict(list)
    for i, gss, framework, start, end, published in store.report_inspection_dates(conn):
        found[gss].append((i, dated_report(gss, framework, start, end, published)))
    return found


def _reviews(conn: sqlite3.Connection) -> dict[str, list[Review]]:
    found: dict[str, list[Review]] = defaultdict(list)
    for _, gss, start, end, published, grades in store.review_inspections(conn):
        found[gss].append(Review(start, end, published, grades))
    return found


def _review_of(inspection_id: int, reports: list[tuple[int, Dated]], reviews: list[Review]) -> Review | None:
    """The council's separate board review after this inspection and before its next one."""
    starts = sorted(d.start for _, d in reports if d.start)
    mine = next((d.start for i, d in reports if i == inspection_id), None)
    later = [s for s in starts if mine and s > mine]
    return review_after(mine, reviews, later[0] if later else None)


def _disagree(conn: sqlite3.Connection, inspection_id: int, rows: list[OfficialRow], review: Review | None) -> int:
    """Keep where the rows differ from the report's record (and the filing notes); returns how many
    disagreements."""
    start, published, source = store.inspection_dates(conn, inspection_id)
    found = differences(start, published, source, store.inspection_grades(conn, inspection_id), rows, review)
    store.add_disagreements(conn, inspection_id, found)
    return sum(1 for d in found if not is_filing_note(d))
