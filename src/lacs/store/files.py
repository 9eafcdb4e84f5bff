"""Writing a database file safely: one writer at a time, and every change made on a copy that
is swapped in only when whole. `lacs build`, `lacs update` and `lacs official import` all
write this way.

    with exclusive_lock(db_path):          # BuildLocked if another process holds it
        remove_leftovers(db_path)
        write_copy(db_path, write)         # write(conn) runs in one transaction on the copy
"""

from __future__ import annotations

import fcntl
import os
import sqlite3
from collections.abc import Callable
from pathlib import Path

from lacs.errors import BuildLocked
from lacs.store.schema import check_lacs_database, connect, connect_read_only, create


def write_copy(db_path: Path, write: Callable[[sqlite3.Connection], None],
               seed: Callable[[sqlite3.Connection], None] | None = None) -> None:
    """Run `write` in one transaction on a copy of the database (a new one if there is none, or
    one of an older schema), and swap the copy in when whole: a failed or killed write leaves
    the old file as it was. The caller holds the lock.

    A new database is created, then given `seed` (the official rows of the shipped dataset,
    for a build), before `write` runs."""
    temp = db_path.with_name(f"{db_path.name}.building-{os.getpid()}")
    try:
        conn = connect(temp)
        try:
            fresh = not check_lacs_database(db_path).ok
            if fresh:
                create(conn)
                if seed:
                    seed(conn)
            else:
                old = connect_read_only(db_path)
                try:
                    old.backup(conn)
                finally:
                    old.close()
            conn.execute("BEGIN")
            write(conn)
            conn.execute("COMMIT")
        finally:
            conn.close()
        os.replace(temp, db_path)
    finally:
        temp.unlink(missing_ok=True)


class exclusive_lock:
    """A POSIX lock on <db>.lock: the system drops it when the process dies, so no stale
    locks, and (unlike flock) the worker processes forked by the build do not inherit it."""

    def __init__(self, db_path: Path) -> None:
        self.path = db_path.with_name(db_path.name + ".lock")

    def __enter__(self) -> None:
        self.handle = self.path.open("a")
        try:
            fcntl.lockf(self.handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            self.handle.close()
            raise BuildLocked(f"{self.path.with_suffix('')}: another lacs build is writing this database; "
                              "try again when it has finished") from None

    def __exit__(self, *exc: object) -> None:
        fcntl.lockf(self.handle, fcntl.LOCK_UN)
        self.handle.close()


def remove_leftovers(db_path: Path) -> None:
    """Half-written copies from builds that were killed (we hold the lock, so none is live)."""
    for leftover in db_path.parent.glob(f"{db_path.name}.building-*"):
        leftover.unlink(missing_ok=True)
