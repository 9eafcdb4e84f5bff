"""The record a running server answers from, and what it knows about it, read once per database.

    served = Served.open(db)          # the database, its span, its dates, its caches
    served = served.fresh()           # the same, or the database rebuilt under the server

A build or an update writes the database anew and puts it in place atomically (a new file),
so a server notices by the file's (st_mtime_ns, st_size, st_ino), looked at no more than once
every RECHECK_SECONDS, and reopens it; if the new file cannot be opened (half-copied by hand,
another program's), it goes on serving the one it has and says so in its log.

What the record can answer (`span`): from its first day (the earliest start of fieldwork,
placement or publication of any inspection in it) to today, or its latest day if that is
later, plus MARGIN_YEARS (a window for the next inspection reaches about three years ahead).
A date outside it is refused with 422 before any work is done.

The footer tells the record's own date (`freshness`, Database.freshness, read once per
database): the latest report published in it, and when and how lacs wrote the database (for the
dataset shipped with lacs, the version of lacs and the day it was made), never the date of the
file itself, which for the shipped dataset is the day it was unpacked into the cache folder.
"""

from __future__ import annotations

import hashlib
import logging
import os
import time
from dataclasses import dataclass, field
from datetime import date

from lacs import __version__
from lacs.errors import LacsError
from lacs.store.database import Database, Freshness

RECHECK_SECONDS = 1.0
MARGIN_YEARS = 5
log = logging.getLogger("lacs.web.served")
Stamp = tuple[int, int, int]


def stamp_of(db: Database) -> Stamp:
    stat = os.stat(db.path)
    return stat.st_mtime_ns, stat.st_size, stat.st_ino


@dataclass
class Served:
    db: Database
    stamp: Stamp
    first: date  # the span the record can answer, first and last day
    last: date
    latest_published: date | None
    freshness: Freshness  # the record's own date, for every page's footer
    etag_seed: str
    trend: dict[tuple[str, date], float | None] = field(default_factory=dict)  # (area, month end) -> share
    checked: float = field(default_factory=time.monotonic)
    refused: Stamp | None = None  # a changed file that could not be opened (said once in the log)

    @classmethod
    def open(cls, db: Database) -> Served:
        stamp = stamp_of(db)
        everything = db.inspections(improvements=False)
        days = [d for i in everything for d in (i.start, i.placed_on, i.published) if d]
        published = [i.published for i in everything if i.published]
        today = date.today()
        last = max([today, *days])
        last = last.replace(year=last.year + MARGIN_YEARS, day=min(last.day, 28) if last.month == 2 else last.day)
        seed = hashlib.sha256(f"{db.path}:{stamp}:{__version__}".encode()).hexdigest()[:16]
        return cls(db, stamp, min(days, default=today), last, max(published, default=None), db.freshness(), seed)

    def fresh(self) -> Served:
        """This, or the database reopened if its file has changed (looked at once a second at most)."""
        now = time.monotonic()
        if now - self.checked < RECHECK_SECONDS:
            return self
        self.checked = now
        try:
            stamp = stamp_of(self.db)
            if stamp in (self.stamp, self.refused):
                return self
            replaced = Served.open(Database(self.db.path, shipped=self.db.shipped))
        except (OSError, LacsError) as exc:  # gone for the moment, or not (yet) a database: keep this one
            refused = _stamp_or_gone(self.db)
            if refused != self.refused:
                log.warning("%s changed but cannot be opened (%s); still serving the database opened before",
                            self.db.path, exc)
            self.refused = refused
            return self
        log.warning("%s changed: serving the new database", self.db.path)
        return replaced


def _stamp_or_gone(db: Database) -> Stamp:
    """The file's stamp, or (0, 0, 0) while there is no file."""
    try:
        return stamp_of(db)
    except OSError:
        return 0, 0, 0
