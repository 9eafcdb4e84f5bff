"""Writing a database file safely: one writer at a time, and every change made on a copy that
is swapped in only when whole. `lacs build`, `lacs update` and `lacs official import` all
write this way.

    with exclusive_lock(db_path):          # BuildLocked if another process holds it
        remove_leftovers(db_path)
        write_copy(db_path, write)         # write(conn) runs in one transaction on the copy

Only a lacs database (or a file not there yet) is written, and only a regular file replaced:
writable_database refuses anything else, leaving it as it is. SIGTERM during a write unwinds
as SIGINT does, so no half-written copy is left behind.
"""

from __future__ import annotations

import fcntl
import os
import signal
import sqlite3
import stat
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from lacs.errors import BuildLocked, CannotWrite, NotADatabase
from lacs.store.schema import Verdict, check_lacs_database, connect, connect_read_only, create, log_write, migrate


def writable_database(db_path: Path) -> Verdict:
    """Check that db_path may be written: missing (a new one is made) or a lacs database of this
    schema or an older one lacs can migrate, in a regular, writable file. Anything else (another
    program's database, a text file, a folder, a device, a newer lacs's database, a read-only
    file) is refused with NotADatabase and left as it is."""
    check = check_lacs_database(db_path)
    if check.verdict is Verdict.MISSING:
        if not db_path.parent.is_dir() and db_path.parent.exists():
            raise NotADatabase(f"{db_path}: {db_path.parent} is not a folder")
        return check.verdict
    if not (check.ok or check.migratable):
        raise NotADatabase(f"{db_path}: not a lacs database of this version ({check.detail}); "
                           "lacs leaves it as it is")
    if not db_path.stat().st_mode & (stat.S_IWUSR | stat.S_IWGRP | stat.S_IWOTH):
        raise NotADatabase(f"{db_path}: the file is read-only; lacs leaves it as it is")
    return check.verdict


def write_copy(db_path: Path, write: Callable[[sqlite3.Connection], None],
               seed: Callable[[sqlite3.Connection], None] | None = None, how: str = "build") -> None:
    """Run `write` in one transaction on a copy of the database (a new one if there is none; one
    of an older schema is migrated first), and swap the copy in when whole: a failed or killed
    write leaves the old file as it was. The caller holds the lock. A file that is not a lacs
    database lacs can write (writable_database) is refused and left untouched.

    A new database is created, then given `seed` (the shipped record, or its official rows),
    before `write` runs. A full disk or a folder lacs may not write in is CannotWrite. The write
    is logged in the `writes` table (`how`: build, update, official import, upgrade) in the same
    transaction, so the record knows its own date wherever the file is copied."""
    verdict = writable_database(db_path)
    temp = db_path.with_name(f"{db_path.name}.building-{os.getpid()}")
    with terminate_cleanly():
        try:
            conn = connect(temp)
            try:
                if verdict is Verdict.MISSING:
                    create(conn)
                    if seed:
                        seed(conn)
                else:
                    old = connect_read_only(db_path)
                    try:
                        old.backup(conn)
                    finally:
                        old.close()
                    if verdict is not Verdict.CURRENT:
                        migrate(conn)
                conn.execute("BEGIN")
                write(conn)
                log_write(conn, how)
                conn.execute("COMMIT")
            finally:
                conn.close()
            if db_path.exists():
                os.chmod(temp, db_path.stat().st_mode & 0o777)
            os.replace(temp, db_path)
        except (sqlite3.OperationalError, OSError) as exc:
            reason = getattr(exc, "strerror", None) or str(exc)
            raise CannotWrite(f"{db_path}: could not write the database ({reason}); nothing was changed") from exc
        finally:
            temp.unlink(missing_ok=True)


def upgrade_in_place(db_path: Path) -> None:
    """Migrate a lacs database of an older schema to this one, keeping every row (write_copy
    migrates the copy it writes, and here writes nothing else)."""
    with exclusive_lock(db_path):
        if not check_lacs_database(db_path).ok:
            write_copy(db_path, lambda conn: None, how="upgrade")


class _Terminated(BaseException):
    """SIGTERM, raised where the process is, so that a killed write unwinds and cleans up."""


@contextmanager
def terminate_cleanly() -> Iterator[None]:
    """While writing, SIGTERM unwinds as Ctrl-C does (the copy is removed, the old file kept);
    then the process ends by SIGTERM, as it would have."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    parent = os.getpid()

    def terminated(signum: int, frame: object) -> None:
        if os.getpid() != parent:  # a worker forked by the build: end at once, the parent cleans up
            os._exit(128 + signum)
        raise _Terminated()

    previous = signal.signal(signal.SIGTERM, terminated)
    try:
        yield
    except _Terminated:
        signal.signal(signal.SIGTERM, signal.SIG_DFL)
        os.kill(parent, signal.SIGTERM)
        raise SystemExit(128 + signal.SIGTERM) from None  # not reached: the signal ends the process
    finally:
        signal.signal(signal.SIGTERM, previous)


class exclusive_lock:
    """A POSIX lock on <db>.lock: the system drops it when the process dies, so no stale
    locks, and (unlike flock) the worker processes forked by the build do not inherit it."""

    def __init__(self, db_path: Path) -> None:
        self.db_path = db_path
        self.path = db_path.with_name(db_path.name + ".lock")

    def __enter__(self) -> None:
        try:
            self.handle = self.path.open("a")
        except OSError as exc:
            raise CannotWrite(f"{self.path.with_suffix('')}: cannot write in {self.path.parent} "
                              f"({exc.strerror}); nothing was changed") from None
        try:
            fcntl.lockf(self.handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            self.handle.close()
            raise BuildLocked(f"{self.path.with_suffix('')}: another lacs build is writing this database; "
                              "try again when it has finished") from None

    def __exit__(self, *exc: object) -> None:
        if not self.db_path.exists():  # nothing was made: leave nothing behind (removed while still held)
            self.path.unlink(missing_ok=True)
        fcntl.lockf(self.handle, fcntl.LOCK_UN)
        self.handle.close()


def remove_leftovers(db_path: Path) -> None:
    """Half-written copies from builds that were killed (we hold the lock, so none is live)."""
    for leftover in db_path.parent.glob(f"{db_path.name}.building-*"):
        leftover.unlink(missing_ok=True)


def process_alive(pid: int) -> bool:
    """True while a process of that number runs (another user's included): its leftovers are not yet stale."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True
