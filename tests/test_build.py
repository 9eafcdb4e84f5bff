"""Building the database: incremental, atomic, one at a time, problems kept, copies merged."""

from __future__ import annotations

import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from lacs.errors import BuildLocked, NotADatabase
from lacs.store import build as build_module
from lacs.store.build import build, site_published
from samples import ILACS_2022, KENT, MANCHESTER, ascii_pdf, reports


def query(db: Path, sql: str, params: tuple = ()) -> list[tuple]:
    with sqlite3.connect(db) as conn:
        return conn.execute(sql, params).fetchall()


def test_build_writes_councils_inspections_judgements_and_problems(tmp_path: Path) -> None:
    db = tmp_path / "lacs.db"
    result = build([reports(tmp_path)], db, workers=1)
    assert (result.files, result.read, len(result.problems)) == (3, 3, 1)
    assert query(db, "SELECT count(*) FROM councils") == [(158,)]
    rows = query(db, "SELECT c.name, i.framework, i.published, i.published_source FROM inspections i "
                     "JOIN councils c USING (gss_code) ORDER BY c.name")
    assert rows == [("Kent", "sif", "2017-06-13", "report"), ("Manchester", "ilacs", "2022-05-19", "file_name")]
    assert query(db, "SELECT grade FROM judgements JOIN inspections i ON i.id = inspection_id "
                     "WHERE framework = 'sif' AND area = 'lscb'") == [("requires_improvement",)]
    assert query(db, "SELECT count(*) FROM improvements WHERE list = 'lscb'") == [(1,)]
    assert query(db, "SELECT status, error_kind FROM reports WHERE path LIKE '80429%'") == [("problem", "not_a_pdf")]
    assert query(db, "SELECT count(*) FROM pages_fts WHERE pages_fts MATCH 'disabled'") == [(1,)]


def test_build_is_incremental(tmp_path: Path) -> None:
    db, folder = tmp_path / "lacs.db", reports(tmp_path)
    build([folder], db, workers=1)
    again = build([folder], db, workers=1)
    assert (again.read, again.skipped, again.changed) == (0, 3, False)
    outstanding = ILACS_2022.replace("Overall effectiveness Good", "Overall effectiveness Outstanding")
    (folder / MANCHESTER).write_bytes(ascii_pdf(outstanding))
    (folder / KENT).unlink()
    changed = build([folder], db, workers=1)
    assert (changed.read, changed.removed) == (1, 1)
    assert query(db, "SELECT framework, grade FROM judgements JOIN inspections ON id = inspection_id "
                     "WHERE area = 'overall_effectiveness'") == [("ilacs", "outstanding")]


def test_the_full_text_index_follows_changed_and_removed_reports(tmp_path: Path) -> None:
    db, folder = tmp_path / "lacs.db", reports(tmp_path)
    build([folder], db, workers=1)
    (folder / MANCHESTER).write_bytes(ascii_pdf(ILACS_2022.replace("disabled", "zebra")))
    build([folder], db, workers=1)
    assert query(db, "SELECT count(*) FROM pages_fts WHERE pages_fts MATCH 'disabled'") == [(0,)]
    assert query(db, "SELECT count(*) FROM pages_fts WHERE pages_fts MATCH 'zebra'") == [(1,)]
    (folder / MANCHESTER).unlink()
    build([folder], db, workers=1)
    assert query(db, "SELECT count(*) FROM pages_fts WHERE pages_fts MATCH 'zebra'") == [(0,)]
    with sqlite3.connect(db) as conn:
        conn.execute("INSERT INTO pages_fts (pages_fts) VALUES ('integrity-check')")


def test_a_database_too_old_to_migrate_is_refused_and_left_as_it_is(tmp_path: Path) -> None:
    db, folder = tmp_path / "lacs.db", reports(tmp_path)
    with sqlite3.connect(db) as conn:
        conn.execute("CREATE TABLE reports (path TEXT, sha256 TEXT, extractor_version TEXT)")
    before = db.read_bytes()
    with pytest.raises(NotADatabase, match="schema 0.*too old to bring up to date"):
        build([folder], db, workers=1)
    assert db.read_bytes() == before


def test_a_new_extractor_version_rereads_everything(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    db, folder = tmp_path / "lacs.db", reports(tmp_path)
    build([folder], db, workers=1)
    monkeypatch.setattr(build_module, "EXTRACTOR_VERSION", "next")
    assert build([folder], db, workers=1).read == 3


def test_copies_of_one_report_are_one_inspection(tmp_path: Path) -> None:
    db, folder = tmp_path / "lacs.db", reports(tmp_path)
    shutil.copy(folder / MANCHESTER, folder / "80521_manchester" / "copy - 20 may 2022.pdf")
    build([folder], db, workers=1)
    assert query(db, "SELECT count(*) FROM inspections") == [(2,)]
    assert query(db, "SELECT count(DISTINCT inspection_id) FROM reports WHERE path LIKE '80521%'") == [(1,)]


def test_a_failed_build_leaves_the_old_database_whole(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    db, folder = tmp_path / "lacs.db", reports(tmp_path)
    build([folder], db, workers=1)
    before = db.read_bytes()
    (folder / MANCHESTER).write_bytes(ascii_pdf(ILACS_2022.replace("Good", "Outstanding")))

    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("disk full")

    monkeypatch.setattr(build_module.store, "add_record", broken)
    with pytest.raises(RuntimeError):
        build([folder], db, workers=1)
    assert db.read_bytes() == before
    assert not list(tmp_path.glob("lacs.db.building-*"))


def test_a_second_build_at_the_same_time_is_refused(tmp_path: Path) -> None:
    db = tmp_path / "lacs.db"
    holder = subprocess.Popen(
        [sys.executable, "-c",
         "import sys, time; from pathlib import Path; from lacs.store.build import exclusive_lock\n"
         f"with exclusive_lock(Path({str(db)!r})):\n    print('locked', flush=True); time.sleep(30)"],
        stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "locked"
        with pytest.raises(BuildLocked, match="another lacs build is writing this database"):
            build([reports(tmp_path)], db, workers=1)
    finally:
        holder.kill()
        holder.wait()
    assert build([tmp_path / "reports"], db, workers=1).read == 3, "free again once the other build is gone"


def test_killing_a_build_half_way_leaves_the_previous_database_usable(tmp_path: Path, corpus: Path) -> None:
    db, folder = tmp_path / "lacs.db", reports(tmp_path)
    build([folder], db, workers=1)
    before = db.read_bytes()
    code = f"from lacs.store.build import build; build([{str(corpus)!r}], {str(db)!r})"
    child = subprocess.Popen([sys.executable, "-c", code], start_new_session=True)
    deadline = time.monotonic() + 30
    while not list(tmp_path.glob("lacs.db.building-*")) and time.monotonic() < deadline:
        time.sleep(0.05)
    time.sleep(1.0)
    os.killpg(child.pid, signal.SIGKILL)
    child.wait()
    assert db.read_bytes() == before
    assert query(db, "SELECT count(*) FROM inspections") == [(2,)]
    assert build([folder], db, workers=1).files == 3, "the next build runs: the lock died with the process"


def test_site_published_date_from_the_file_name() -> None:
    assert str(site_published(Path("children's services inspection - 19 may 2022.pdf"))) == "2022-05-19"
    assert site_published(Path("report.pdf")) is None


def test_an_unreadable_report_is_one_problem_of_the_build_not_its_end(tmp_path: Path,
                                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    """One file the file system will not give (root reads past chmod, so the refusal is injected)."""
    folder, db = reports(tmp_path), tmp_path / "lacs.db"
    first = build([folder], db, workers=1)
    assert not any("cannot be read" in reason for _, reason in first.problems)
    real_read = Path.read_bytes

    def refuse_kent(self: Path) -> bytes:
        if "kent" in self.parent.name:
            raise PermissionError(13, "Permission denied", str(self))
        return real_read(self)

    monkeypatch.setattr(Path, "read_bytes", refuse_kent)
    again = build([folder], db, workers=1)
    assert (KENT, "cannot be read (Permission denied)") in again.problems
    assert query(db, "SELECT status FROM reports WHERE path = ?", (KENT,)) == [("ok",)]  # its record is kept

    fresh = tmp_path / "fresh.db"
    result = build([folder], fresh, workers=1)
    assert result.read == 2 and (KENT, "cannot be read (Permission denied)") in result.problems
    assert query(fresh, "SELECT status, sha256 FROM reports WHERE path = ?", (KENT,)) == [("problem", "")]
    monkeypatch.setattr(Path, "read_bytes", real_read)
    assert build([folder], fresh, workers=1).read == 1  # tried again once it can be read


def _children(pid: int) -> set[int]:
    found = set()
    for status in Path("/proc").glob("[0-9]*/status"):
        try:
            fields = dict(line.split(":\t", 1) for line in status.read_text().splitlines() if ":\t" in line)
        except OSError:
            continue
        if fields.get("PPid", "").strip() == str(pid):
            found.add(int(status.parent.name))
    return found


@pytest.mark.skipif(not Path("/proc/self/status").exists(), reason="needs Linux's /proc to find the workers")
def test_the_workers_of_a_killed_build_die_with_it(tmp_path: Path, corpus: Path) -> None:
    """Only the build's own process is killed (not its group): its workers must not run on."""
    db = tmp_path / "lacs.db"
    code = f"from lacs.store.build import build; build([{str(corpus)!r}], {str(db)!r}, workers=2)"
    child = subprocess.Popen([sys.executable, "-c", code])
    deadline = time.monotonic() + 30
    while len(workers := _children(child.pid)) < 2 and time.monotonic() < deadline:
        time.sleep(0.05)
    assert len(workers) >= 2, "the build started no workers"
    os.kill(child.pid, signal.SIGKILL)
    child.wait()
    deadline = time.monotonic() + 10
    while (alive := {w for w in workers if Path(f"/proc/{w}").exists()}) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not alive, f"workers {sorted(alive)} outlived the build"
