"""Reading the database: the Python API that the CLI (and later the web) stand on.

    import lacs
    db = lacs.open()                      # $LACS_DB, else the user's data folder
    db.council("Manchster")               # UnknownCouncil: did you mean 'Manchester'?
    db.inspections(council="manchester")  # every inspection, oldest first

The file is opened read-only; nothing here writes.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from .councils import Council, load_councils, predecessors, resolve_council
from .errors import LacsError
from .grades import Grade
from .store import default_db_path


class NoDatabase(LacsError):
    """The database file is not there yet."""


@dataclass(frozen=True)
class Inspection:
    """One inspection as the record holds it."""

    id: int
    gss_code: str | None
    council: str  # the council's name in the register (the printed name if it is not in it)
    framework: str
    kind: str | None
    start: date | None
    end: date | None
    published: date | None
    published_source: str | None  # "report" (printed in it) or "file_name" (the date the site gave)
    lead_inspector: str | None
    judgements: dict[str, Grade] = field(default_factory=dict)
    improvements: tuple[str, ...] = ()
    predecessor: bool = False  # True: an inspection of a former council this one took over from


def open_database(path: Path | str | None = None) -> "Database":
    """Open the database read-only: `path`, else $LACS_DB, else the user's data folder."""
    return Database(Path(path) if path else default_db_path())


class Database:
    def __init__(self, path: Path) -> None:
        if not path.is_file():
            raise NoDatabase(f"{path}: no lacs database here yet; run `lacs build FOLDER` first")
        self.path = path
        self.conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True, check_same_thread=False)

    def councils(self) -> list[Council]:
        """Every council in the register, current and former, by name."""
        return sorted(load_councils(), key=lambda c: c.name)

    def council(self, name_or_code: str) -> Council:
        """The council meant by a URN, DfE code, GSS code or name; raises UnknownCouncil / AmbiguousCouncil."""
        return resolve_council(name_or_code)

    def inspections(self, council: str | None = None, framework: str | None = None,
                    since: date | None = None, until: date | None = None,
                    with_predecessors: bool = True) -> list[Inspection]:
        """Inspections, oldest first; for one council, its predecessors' too (marked) unless asked not to."""
        where, args = ["1 = 1"], []
        own: set[str] = set()
        if council is not None:
            found = self.council(council)
            own = {found.gss_code}
            codes = own | ({c.gss_code for c in predecessors(found)} if with_predecessors else set())
            where.append(f"i.gss_code IN ({','.join('?' * len(codes))})")
            args += sorted(codes)
        if framework:
            where.append("i.framework = ?")
            args.append(framework)
        if since:
            where.append("i.end_date >= ?")
            args.append(since.isoformat())
        if until:
            where.append("i.end_date <= ?")
            args.append(until.isoformat())
        rows = self.conn.execute(
            "SELECT i.id, i.gss_code, coalesce(c.name, i.council_printed), i.framework, i.kind, i.start_date, "
            "i.end_date, i.published, i.published_source, i.lead_inspector FROM inspections i "
            f"LEFT JOIN councils c USING (gss_code) WHERE {' AND '.join(where)} ORDER BY i.end_date, i.id",
            args).fetchall()
        return [self._inspection(row, bool(own) and row[1] not in own) for row in rows]

    def _inspection(self, row: tuple, predecessor: bool) -> Inspection:
        grades = dict(self.conn.execute("SELECT area, grade FROM judgements WHERE inspection_id = ?", (row[0],)))
        points = [t for (t,) in self.conn.execute(
            "SELECT text FROM improvements WHERE inspection_id = ? AND list = 'council' ORDER BY position", (row[0],))]
        return Inspection(
            id=row[0], gss_code=row[1], council=row[2], framework=row[3], kind=row[4], start=_date(row[5]),
            end=_date(row[6]), published=_date(row[7]), published_source=row[8], lead_inspector=row[9],
            judgements={area: Grade(g) for area, g in grades.items()}, improvements=tuple(points),
            predecessor=predecessor)

    def close(self) -> None:
        self.conn.close()


def _date(text: str | None) -> date | None:
    return date.fromisoformat(text) if text else None
