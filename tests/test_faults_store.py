"""Faults of the store, injected: the user's record kept whole, files that are not lacs databases
left untouched, schemas old and new, the shipped copy verified, kills, a full disk, errors of
the file system."""

from __future__ import annotations

import errno
import hashlib
import os
import random
import shutil
import signal
import sqlite3
import stat
import subprocess
import sys
import time
from datetime import date
from pathlib import Path

import pytest
from typer.testing import CliRunner

import lacs
from lacs.cli.app import app
from lacs.errors import CannotWrite, NotADatabase, WouldLoseRecord
from lacs.store import build as build_module
from lacs.store import files as files_module
from lacs.store import schema, shipped
from lacs.store.build import build
from lacs.store.shipped import open_shipped, table_rows
from samples import KENT, MANCHESTER, reports

runner = CliRunner()


def query(db: Path, sql: str) -> list[tuple]:
    with sqlite3.connect(db) as conn:
        return conn.execute(sql).fetchall()


def shipped_counts() -> tuple[int, int]:
    with open_shipped() as conn:
        return conn.execute("SELECT count(*), count(DISTINCT gss_code) FROM inspections").fetchone()


@pytest.fixture
def users_db(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The database lacs answers from by default, in tmp_path ($LACS_DB)."""
    path = tmp_path / "data" / "lacs.db"
    monkeypatch.setenv("LACS_DB", str(path))
    return path


# --- 1. the user's record is always whole ------------------------------------------------------

def test_a_build_of_one_council_into_the_users_record_keeps_the_national_record(
        tmp_path: Path, users_db: Path) -> None:
    folder = reports(tmp_path)
    (folder / KENT).unlink()
    result = build([folder], users_db, workers=1)
    assert result.created and result.users_record
    inspections, councils = shipped_counts()
    got = query(users_db, "SELECT count(*), count(DISTINCT gss_code) FROM inspections")[0]
    assert got[0] >= inspections and got[1] == councils, "the shipped record is there, with the build added"
    assert query(users_db, "SELECT count(*) FROM official_releases") == \
        [(len(table_rows(open_shipped())["official_releases"]),)]
    assert len(lacs.open().latest(as_at=date(2024, 3, 31))) > 140, "England has its councils' grades"


def test_an_update_of_one_council_into_a_new_users_record_keeps_the_national_record(
        tmp_path: Path, users_db: Path) -> None:
    """`lacs update --council manchester` builds what it fetched with remove_missing=False."""
    folder = reports(tmp_path)
    (folder / KENT).unlink()
    build([folder], users_db, workers=1, remove_missing=False)
    assert query(users_db, "SELECT count(DISTINCT gss_code) FROM inspections")[0][0] == shipped_counts()[1]


def test_a_later_build_of_part_of_the_reports_drops_nothing_from_the_users_record(
        tmp_path: Path, users_db: Path) -> None:
    folder = reports(tmp_path)
    build([folder], users_db, workers=1)
    before = query(users_db, "SELECT count(*) FROM reports")[0][0]
    (folder / KENT).unlink()
    again = build([folder], users_db, workers=1)
    assert again.removed == 0 and query(users_db, "SELECT count(*) FROM reports")[0][0] == before


def test_a_write_that_would_leave_the_users_record_with_less_is_refused(
        tmp_path: Path, users_db: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    folder = reports(tmp_path)
    build([folder], users_db, workers=1)
    before = users_db.read_bytes()
    real = build_module.reconcile

    def losing(conn: sqlite3.Connection) -> object:
        found = real(conn)
        conn.execute("DELETE FROM inspections WHERE gss_code = (SELECT min(gss_code) FROM inspections)")
        return found

    monkeypatch.setattr(build_module, "reconcile", losing)
    (folder / MANCHESTER).write_bytes((folder / MANCHESTER).read_bytes() + b"\n%changed")
    with pytest.raises(WouldLoseRecord, match="less than it had .*councils with an inspection"):
        build([folder], users_db, workers=1)
    assert users_db.read_bytes() == before
    result = runner.invoke(app, ["build", str(folder), "--workers", "1"])
    assert result.exit_code == 2 and "--replace" in result.stderr and "Traceback" not in result.stderr
    assert users_db.read_bytes() == before
    assert runner.invoke(app, ["build", str(folder), "--workers", "1", "--replace"]).exit_code == 0


def test_a_build_into_another_database_says_it_holds_those_folders_only(tmp_path: Path, users_db: Path) -> None:
    other = tmp_path / "other.db"
    result = runner.invoke(app, ["build", str(reports(tmp_path)), "--db", str(other), "--workers", "1"])
    assert result.exit_code == 0, result.stderr
    assert "holds these folders' reports only" in result.stderr
    assert query(other, "SELECT count(*) FROM inspections WHERE source = 'report'") == [(2,)]


def test_building_an_empty_folder_into_a_missing_database_creates_it(tmp_path: Path) -> None:
    (tmp_path / "empty").mkdir()
    db = tmp_path / "missing.db"
    result = runner.invoke(app, ["build", str(tmp_path / "empty"), "--db", str(db)])
    assert result.exit_code == 0, result.stderr
    assert "already up to date" not in result.stderr and "a new database" in result.stderr
    assert schema.check_lacs_database(db).ok


# --- 2. databases that know what they are ----------------------------------------------------

def _not_lacs_files(tmp_path: Path) -> dict[str, Path]:
    made = {}
    with sqlite3.connect(tmp_path / "other.db") as conn:
        conn.execute("CREATE TABLE things (name TEXT)")
        conn.execute("INSERT INTO things VALUES ('precious')")
    made["another program's database"] = tmp_path / "other.db"
    made["a text file"] = tmp_path / "notes.txt"
    made["a text file"].write_text("my notes\n")
    made["a read-only lacs database"] = tmp_path / "readonly.db"
    build([reports(tmp_path / "r")], made["a read-only lacs database"], workers=1)
    made["a read-only lacs database"].chmod(0o444)
    made["a read-only text file"] = tmp_path / "readonly.txt"
    made["a read-only text file"].write_text("keep\n")
    made["a read-only text file"].chmod(0o444)
    made["an empty file"] = tmp_path / "empty"
    made["an empty file"].write_bytes(b"")
    made["a folder"] = tmp_path / "folder"
    made["a folder"].mkdir()
    device = tmp_path / "null"
    try:
        os.mknod(device, stat.S_IFCHR | 0o666, os.makedev(1, 3))
        made["a device"] = device
    except OSError:
        pass
    return made


def _state(path: Path) -> object:
    info = path.lstat()
    return (info.st_mode, info.st_ino, path.read_bytes() if stat.S_ISREG(info.st_mode) else None)


def test_build_refuses_every_file_that_is_not_a_lacs_database_and_leaves_it_untouched(tmp_path: Path) -> None:
    folder = reports(tmp_path)
    for what, path in _not_lacs_files(tmp_path).items():
        before = _state(path)
        with pytest.raises(NotADatabase):
            build([folder], path, workers=1)
        result = runner.invoke(app, ["build", str(folder), "--db", str(path), "--workers", "1"])
        assert result.exit_code == 2, what
        lines = result.stderr.strip().splitlines()
        assert len(lines) == 1 and lines[0].startswith("error: ") and str(path) in lines[0], (what, lines)
        assert _state(path) == before, what
        assert not list(tmp_path.glob(f"{path.name}.building-*")), what


def test_build_with_an_empty_db_path_is_one_line(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    result = runner.invoke(app, ["build", str(reports(tmp_path)), "--db", "", "--workers", "1"])
    assert result.exit_code == 2 and "Traceback" not in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def test_a_database_of_a_newer_lacs_is_refused_by_every_command(tmp_path: Path) -> None:
    db = tmp_path / "lacs.db"
    build([reports(tmp_path)], db, workers=1)
    with sqlite3.connect(db) as conn:
        conn.execute(f"PRAGMA user_version = {schema.SCHEMA_VERSION + 1}")
    before = db.read_bytes()
    with pytest.raises(NotADatabase, match="made by a newer lacs"):
        build([tmp_path / "reports"], db, workers=1)
    with pytest.raises(NotADatabase, match="made by a newer lacs"):
        lacs.open(db)
    result = runner.invoke(app, ["snapshot", "--db", str(db), "--as-at", "2024-03-31"])
    assert result.exit_code == 2 and "made by a newer lacs" in result.stderr and "100%" not in result.stdout
    assert db.read_bytes() == before


def _as_schema_3(db: Path) -> None:
    """Make a database of this schema as schema 3 had it: no official statistics, no log of writes,
    no themes, no visits, no findings."""
    with sqlite3.connect(db) as conn:
        conn.execute("PRAGMA foreign_keys = OFF")
        for table in ("disagreements", "official_rows", "official_releases", "writes", "visits", "improvement_themes",
                      "themes", "findings_fts", "findings"):
            conn.execute(f"DROP TABLE {table}")
        conn.execute("DELETE FROM inspections WHERE source = 'official'")
        conn.execute("ALTER TABLE inspections DROP COLUMN source_ref")
        conn.execute("ALTER TABLE inspections DROP COLUMN source")
        conn.execute("PRAGMA user_version = 3")
        conn.execute("PRAGMA application_id = 0")


def test_a_database_of_schema_3_is_migrated_in_place_keeping_reports_and_publications(tmp_path: Path) -> None:
    db, folder = tmp_path / "lacs.db", reports(tmp_path)
    build([folder], db, workers=1)
    with sqlite3.connect(db) as conn:
        conn.execute("INSERT INTO publications (url, kind) VALUES ('https://example/fetched', 'report')")
    _as_schema_3(db)
    kept = query(db, "SELECT path, sha256 FROM reports ORDER BY path")
    assert schema.check_lacs_database(db).migratable
    opened = lacs.open(db)  # reading migrates it
    assert len(opened.inspections()) == 2
    assert schema.check_lacs_database(db).ok
    assert query(db, "SELECT path, sha256 FROM reports ORDER BY path") == kept
    assert query(db, "SELECT url FROM publications") == [("https://example/fetched",)]
    assert query(db, "PRAGMA application_id") == [(schema.APPLICATION_ID,)]
    assert build([folder], db, workers=1).read == 0, "nothing read again"
    assert query(db, "SELECT how FROM writes") == [("upgrade",)]


def test_two_schema_versions_one_database_a_made_up_migration(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A database of this schema meets a lacs whose schema is one newer: migrated by MIGRATIONS,
    keeping every row; the older lacs then refuses the migrated database."""
    db, folder = tmp_path / "lacs.db", reports(tmp_path)
    build([folder], db, workers=1)
    with sqlite3.connect(db) as conn:
        conn.execute("INSERT INTO official_releases (release, sha256) VALUES ('2099', 'x')")
        conn.execute("INSERT INTO publications (url, kind) VALUES ('https://example/fetched', 'report')")
        before = table_rows(conn)
    current = schema.SCHEMA_VERSION

    def add_notes(conn: sqlite3.Connection) -> None:
        conn.execute("CREATE TABLE notes (text TEXT)")

    with monkeypatch.context() as newer:
        newer.setattr(schema, "SCHEMA_VERSION", current + 1)
        newer.setitem(schema.MIGRATIONS, current, add_notes)
        assert build([folder], db, workers=1).upgraded
        with sqlite3.connect(db) as conn:
            assert table_rows(conn) == before
            assert conn.execute("PRAGMA user_version").fetchone() == (current + 1,)
            assert conn.execute("SELECT count(*) FROM notes").fetchone() == (0,)
    with pytest.raises(NotADatabase, match="made by a newer lacs"):
        build([folder], db, workers=1)


# --- export --force replaces only regular files ---------------------------------------------

def test_export_force_never_replaces_a_device(tmp_path: Path) -> None:
    device = tmp_path / "null"
    try:
        os.mknod(device, stat.S_IFCHR | 0o666, os.makedev(1, 3))
    except OSError:
        pytest.skip("cannot make a device file here")
    result = runner.invoke(app, ["export", "--format", "csv", "-o", str(device), "--force"])
    assert result.exit_code == 2 and "not a regular file" in result.stderr
    assert stat.S_ISCHR(device.lstat().st_mode)


@pytest.mark.parametrize("kind", ["loop", "dangling", "to a file"])
def test_export_force_never_replaces_a_symbolic_link(tmp_path: Path, kind: str) -> None:
    link, target = tmp_path / "out.csv", tmp_path / "target.csv"
    if kind == "to a file":
        target.write_text("theirs")
    os.symlink(link if kind == "loop" else target, link)
    result = runner.invoke(app, ["export", "--format", "csv", "-o", str(link), "--force"])
    assert result.exit_code == 2 and "is a symbolic link" in result.stderr and "Traceback" not in result.output
    assert link.is_symlink() and (kind != "to a file" or target.read_text() == "theirs")


# --- 7. the shipped copy verified ----------------------------------------------------------

def test_the_shipped_copy_is_unpacked_into_a_private_folder_and_unpacked_again_when_damaged(tmp_path: Path) -> None:
    folder = tmp_path / "cache" / "shipped"
    first = shipped.unpacked(folder=folder)
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700
    good = first.read_bytes()
    first.write_bytes(good[: len(good) // 2])  # damaged
    assert shipped.unpacked(folder=folder).read_bytes() == good
    tampered = sqlite3.connect(first)
    tampered.execute("UPDATE judgements SET grade = 'inadequate'")
    tampered.commit()
    tampered.close()
    assert shipped.unpacked(folder=folder).read_bytes() == good, "a changed copy is not trusted by its name"
    folder.chmod(0o777)
    shipped.unpacked(folder=folder)
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700


def test_when_the_cache_cannot_be_written_a_private_folder_is_used_not_a_shared_one(tmp_path: Path) -> None:
    blocked = tmp_path / "cache"
    blocked.write_text("a file where the cache folder should be")
    shared = tmp_path / "tmp" / "lacs"
    shared.mkdir(parents=True)
    planted = shared / f"shipped-{hashlib.sha256(shipped.PACKED.read_bytes()).hexdigest()[:16]}.db"
    planted.write_bytes(b"planted by another user")
    code = ("from lacs.store.shipped import shipped_path; import stat; p = shipped_path(); "
            "print(p); print(oct(stat.S_IMODE(p.parent.stat().st_mode)))")
    env = {**os.environ, "XDG_CACHE_HOME": str(blocked), "TMPDIR": str(tmp_path / "tmp")}
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=120,
                         check=True).stdout.split()
    assert Path(out[0]).parent != shared and out[1] == "0o700"
    assert planted.read_bytes() == b"planted by another user"


# --- 8. SIGTERM, kills, a full disk, errors of the file system -----------------------------

def _many_reports(tmp_path: Path, copies: int = 40) -> Path:
    folder = reports(tmp_path / "many")
    source = (folder / MANCHESTER).read_bytes()
    for n in range(copies):
        (folder / "80521_manchester" / f"copy {n} - 19 may 2022.pdf").write_bytes(source + f"\n%{n}".encode())
    return folder


def _slow_build(folder: Path, db: Path) -> subprocess.Popen:
    code = ("import time; from lacs.store import build as b; real = b.store.add_record\n"
            "def slow(*a, **k):\n    time.sleep(0.05); return real(*a, **k)\n"
            "b.store.add_record = slow\n"
            f"b.build([{str(folder)!r}], {str(db)!r}, workers=1)")
    return subprocess.Popen([sys.executable, "-c", code], start_new_session=True)


def _wait_for_copy(db: Path, child: subprocess.Popen) -> None:
    deadline = time.monotonic() + 60
    while not list(db.parent.glob(f"{db.name}.building-*")) and time.monotonic() < deadline:
        assert child.poll() is None, "the build ended before it began to write"
        time.sleep(0.02)


def test_sigterm_during_a_build_removes_the_copy_and_keeps_the_old_database(tmp_path: Path) -> None:
    db = tmp_path / "lacs.db"
    build([reports(tmp_path)], db, workers=1)
    before = db.read_bytes()
    child = _slow_build(_many_reports(tmp_path), db)
    _wait_for_copy(db, child)
    time.sleep(0.3)
    child.send_signal(signal.SIGTERM)
    assert child.wait(timeout=30) == -signal.SIGTERM
    assert not list(tmp_path.glob("lacs.db.building-*")), "SIGTERM cleans up as SIGINT does"
    assert db.read_bytes() == before


def test_kills_at_random_points_of_a_build_leave_the_old_database_whole(tmp_path: Path) -> None:
    db = tmp_path / "lacs.db"
    build([reports(tmp_path)], db, workers=1)
    with sqlite3.connect(db) as conn:
        before = table_rows(conn)
    folder = _many_reports(tmp_path, copies=20)
    chance = random.Random(16)
    for _ in range(4):
        child = _slow_build(folder, db)
        time.sleep(chance.uniform(0.2, 2.0))
        os.killpg(child.pid, signal.SIGKILL)
        child.wait()
        if child.returncode == 0:
            break
        with sqlite3.connect(db) as conn:
            assert table_rows(conn) == before
    assert build([folder], db, workers=1).files == 23, "the next run completes"
    assert not list(tmp_path.glob("lacs.db.building-*"))


def test_a_new_database_on_a_full_disk_is_an_error_not_an_empty_success(tmp_path: Path) -> None:
    """Seeding Ofsted's official rows into a new database must not swallow 'database or disk is full'."""
    small, empty = tmp_path / "small", tmp_path / "empty"
    small.mkdir()
    empty.mkdir()
    if subprocess.run(["mount", "-t", "tmpfs", "-o", "size=512k", "tmpfs", str(small)],
                      capture_output=True).returncode != 0:
        pytest.skip("cannot mount a small file system here")
    try:
        result = runner.invoke(app, ["build", str(empty), "--db", str(small / "x.db")])
        assert result.exit_code != 0 and "Traceback" not in result.output
        assert not (small / "x.db").exists() and not list(small.glob("x.db*"))
    finally:
        subprocess.run(["umount", str(small)], check=False)


def test_a_full_disk_changes_nothing_and_says_so(tmp_path: Path) -> None:
    small = tmp_path / "small"
    small.mkdir()
    if subprocess.run(["mount", "-t", "tmpfs", "-o", "size=1m", "tmpfs", str(small)],
                      capture_output=True).returncode != 0:
        pytest.skip("cannot mount a small file system here (see the injected test below)")
    try:
        db = small / "lacs.db"
        build([reports(tmp_path)], tmp_path / "built.db", workers=1)
        shutil.copy(tmp_path / "built.db", db)
        before = db.read_bytes()
        fd = os.open(small / "filler", os.O_WRONLY | os.O_CREAT)
        try:
            while os.write(fd, b"\0" * 4096):
                pass
        except OSError:
            pass
        finally:
            os.close(fd)
        folder = _many_reports(tmp_path, copies=5)
        with pytest.raises(CannotWrite, match="could not write the database .*nothing was changed"):
            build([folder], db, workers=1)
        assert db.read_bytes() == before
        assert not list(small.glob("lacs.db.building-*"))
    finally:
        subprocess.run(["umount", str(small)], check=False)


def test_injected_write_errors_change_nothing_and_are_one_line(tmp_path: Path,
                                                                monkeypatch: pytest.MonkeyPatch) -> None:
    db, folder = tmp_path / "lacs.db", reports(tmp_path)
    build([folder], db, workers=1)
    before = db.read_bytes()
    (folder / MANCHESTER).write_bytes((folder / MANCHESTER).read_bytes() + b"\n%changed")

    def no_space(*args: object) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    with monkeypatch.context() as m:
        m.setattr(files_module.os, "replace", no_space)
        result = runner.invoke(app, ["build", str(folder), "--db", str(db), "--workers", "1"])
    assert result.exit_code == 2 and "No space left on device" in result.stderr and "Traceback" not in result.stderr
    assert db.read_bytes() == before and not list(tmp_path.glob("lacs.db.building-*"))

    real_connect = files_module.connect

    def denied(path: object) -> sqlite3.Connection:
        if ".building-" in str(path):
            raise sqlite3.OperationalError("unable to open database file")
        return real_connect(path)

    with monkeypatch.context() as m:
        m.setattr(files_module, "connect", denied)
        with pytest.raises(CannotWrite, match="unable to open database file"):
            build([folder], db, workers=1)
    assert db.read_bytes() == before

    def no_lock(self: Path, *args: object, **kwargs: object) -> object:
        raise PermissionError(errno.EACCES, "Permission denied")

    with monkeypatch.context() as m:
        m.setattr(Path, "open", no_lock)
        with pytest.raises(CannotWrite, match="Permission denied"):
            build([folder], db, workers=1)
    assert db.read_bytes() == before


def test_a_write_that_made_nothing_leaves_no_lock_file_behind(tmp_path: Path) -> None:
    from lacs.store.files import exclusive_lock
    db = tmp_path / "new.db"
    with exclusive_lock(db):
        assert (tmp_path / "new.db.lock").exists()
    assert list(tmp_path.iterdir()) == []
