"""`lacs publish`: a static site whose every link resolves, a data release that validates, a folder
lacs never takes from the user, and what changed since the last release."""

from __future__ import annotations

import json
import os
import re
import shutil
import sqlite3
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest
from click.testing import Result
from typer.testing import CliRunner

import lacs
from lacs.cli.app import app
from lacs.errors import PublishRefused
from lacs.store.build import build
from lacs.web.publish import MANIFEST, Published, file_for, publish, snapshot_days
from samples import reports

LINK = re.compile(r'(?:href|src|action)="([^"]*)"')


@dataclass
class Releases:
    """Two releases into one folder: the first of a record without Kent's inspection, the second
    (by the command) of the record with it."""

    db: Path
    first: Published
    folder: Path
    command: Result


@pytest.fixture(scope="module")
def releases(tmp_path_factory: pytest.TempPathFactory) -> Releases:
    tmp = tmp_path_factory.mktemp("record")
    db, source, folder = tmp / "lacs.db", reports(tmp), tmp / "site"
    kent = next(p for p in source.rglob("*.pdf") if "kent" in p.parent.name.lower())
    kent.rename(tmp / "later.pdf")
    build([source], db, workers=1)
    first = publish(folder, lacs.open(db))
    (folder / "CNAME").write_text("lacs.example.org\n")  # a static host's own file, made by the user
    (tmp / ".site.publishing-999999999" / "data").mkdir(parents=True)  # a killed publish's (no such process)
    (tmp / "later.pdf").rename(kent)
    build([source], db, workers=1)
    command = CliRunner().invoke(app, ["publish", str(folder), "--db", str(db)])
    return Releases(db, first, folder, command)


@pytest.fixture(scope="module")
def site(releases: Releases) -> Path:
    assert releases.command.exit_code == 0, releases.command.output
    return releases.folder


@pytest.fixture(scope="module")
def small_db(releases: Releases) -> Path:
    return releases.db


def internal_links(page: Path) -> list[str]:
    found = LINK.findall(page.read_text(encoding="utf-8"))
    return [link for link in found if not urlsplit(link).scheme and not link.startswith(("#", "mailto:"))]


def test_every_internal_link_of_every_page_resolves_to_a_file_in_the_site(site: Path) -> None:
    pages = sorted(site.rglob("*.html"))
    assert len(pages) > 10
    broken = []
    for page in pages:
        for link in internal_links(page):
            assert not link.startswith("/"), f"{page}: {link} is absolute: the site would work only at a host's root"
            target = (page.parent / unquote(urlsplit(link).path)).resolve()
            if not target.is_file():
                broken.append(f"{page.relative_to(site)} -> {link}")
    assert not broken, "\n".join(broken[:20])


def test_the_site_holds_every_council_the_data_release_and_a_manifest_of_every_file(site: Path,
                                                                                   small_db: Path) -> None:
    from lacs.web.render import slug

    for council in lacs.open(small_db).councils():
        assert (site / "councils" / slug(council.name) / "index.html").is_file(), council.name
    for name in ("latest.csv", "history.xlsx", "judgements.parquet", "lacs.db", "datapackage.json",
                 "metadata.json", "version.json"):
        assert (site / "data" / name).is_file(), name
    manifest = json.loads((site / MANIFEST).read_text())
    on_disk = {p.relative_to(site).as_posix() for p in site.rglob("*") if p.is_file()} - {MANIFEST}
    assert set(manifest["files"]) == on_disk
    with sqlite3.connect(f"file:{site / 'data' / 'lacs.db'}?mode=ro", uri=True) as conn:
        assert conn.execute("SELECT count(*) FROM inspections").fetchone()[0] == 2


def test_the_national_snapshot_at_each_31_march_is_published(site: Path, small_db: Path) -> None:
    from datetime import date

    from lacs.web.served import Served

    days = snapshot_days(date(2026, 12, 1))
    assert days[0] == date(2014, 3, 31) and days[-1] == date(2026, 3, 31) and len(days) == 13
    first = Served.open(lacs.open(small_db)).first
    published = snapshot_days(date.today(), first)
    assert published and all(d >= first for d in published)
    for day in published:
        assert (site / file_for("/", [("as_at", day.isoformat())])).is_file(), day


def test_the_datapackage_validates_with_frictionless(site: Path) -> None:
    frictionless = pytest.importorskip("frictionless", reason="frictionless is not installed: pip install -e '.[test]'")
    report = frictionless.validate(str(site / "data" / "datapackage.json"))
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])[:10]
    package = json.loads((site / "data" / "datapackage.json").read_text())
    assert [lic["name"] for lic in package["licenses"]] == ["OGL-UK-3.0", "MIT"]
    assert "Open Government Licence v3.0" in package["description"]


def test_a_folder_with_files_lacs_did_not_make_is_refused_and_left_as_it_was(tmp_path: Path, small_db: Path) -> None:
    folder = tmp_path / "mine"
    folder.mkdir()
    (folder / "notes.txt").write_text("my notes")
    with pytest.raises(PublishRefused, match="did not publish"):
        publish(folder, lacs.open(small_db))
    assert [p.name for p in folder.iterdir()] == ["notes.txt"]
    assert not list(tmp_path.glob(".mine.*")), "nothing half-written left beside it"


def test_a_file_added_or_changed_since_publishing_is_never_replaced(tmp_path: Path, site: Path,
                                                                  small_db: Path) -> None:
    folder = tmp_path / "site"
    shutil.copytree(site, folder)
    (folder / "index.html").write_text("edited by hand")
    with pytest.raises(PublishRefused, match="changed since"):
        publish(folder, lacs.open(small_db))
    assert (folder / "index.html").read_text() == "edited by hand"
    (folder / "index.html").unlink()
    (folder / "councils" / "mine.html").write_text("mine")
    with pytest.raises(PublishRefused, match="not a file lacs published"):
        publish(folder, lacs.open(small_db))
    assert (folder / "councils" / "mine.html").read_text() == "mine"


def test_publishing_again_says_what_changed_since_the_last_release(releases: Releases, site: Path) -> None:
    first = releases.first
    assert first.release.changes.previous is None and not first.replaced
    said = releases.command.stderr
    assert "published" in said and "(the previous release there replaced)" in said
    assert f"since release {first.release.version}: 1 new inspection, 0 corrected, 0 no longer in the record" in said
    page = (site / "data" / "changes" / "index.html").read_text()
    assert f"Compared with release {first.release.version}" in page
    assert "1 new inspection," in page and "Kent" in page


def test_the_command_refuses_a_folder_it_did_not_make_in_one_line(tmp_path: Path, small_db: Path) -> None:
    (tmp_path / "other").mkdir()
    (tmp_path / "other" / "x").write_text("x")
    refused = CliRunner().invoke(app, ["publish", str(tmp_path / "other"), "--db", str(small_db)])
    assert refused.exit_code != 0 and refused.stderr.count("\n") == 1 and "Traceback" not in refused.output
    assert [p.name for p in (tmp_path / "other").iterdir()] == ["x"]


def test_the_site_works_from_a_folder_served_by_a_plain_static_server(site: Path) -> None:
    """Every page is a file: python -m http.server (127.0.0.1 only) answers the front page and a council."""
    import socket
    import time
    import urllib.request

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    server = subprocess.Popen([sys.executable, "-m", "http.server", str(port), "--bind", "127.0.0.1",
                               "--directory", str(site)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        for _ in range(50):
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/index.html", timeout=2) as answer:
                    assert answer.status == 200
                break
            except OSError:
                time.sleep(0.1)
        else:
            pytest.fail("the static server did not start")
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/councils/kent/index.html", timeout=2) as answer:
            assert "Kent" in answer.read().decode()
    finally:
        server.terminate()
        server.wait()


def test_the_releases_sqlite_file_shows_every_table_in_datasette(site: Path) -> None:
    """The real datasette, in this process (its own ASGI client: no server, no network), on the
    release's own lacs.db and metadata.json: every table's page and JSON, labels followed."""
    import asyncio

    datasette_app = pytest.importorskip("datasette.app", reason="datasette is not installed: pip install -e '.[test]'")
    data = site / "data"
    with sqlite3.connect(f"file:{data / 'lacs.db'}?mode=ro", uri=True) as conn:
        tables = [n for (n,) in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
    assert "inspections" in tables and "visits" in tables
    ds = datasette_app.Datasette(immutables=[str(data / "lacs.db")],
                                 metadata=json.loads((data / "metadata.json").read_text()))

    async def statuses() -> dict[str, int]:
        await ds.invoke_startup()
        return {path: (await ds.client.get(path)).status_code
                for table in tables for path in (f"/lacs/{table}", f"/lacs/{table}.json?_labels=on")}

    failed = {path: status for path, status in asyncio.run(statuses()).items() if status != 200}
    assert not failed, failed
    assert "Open Government Licence" in (data / "metadata.json").read_text()


def test_feeds_are_published_for_england_each_council_and_each_region(site: Path) -> None:
    from xml.etree import ElementTree as ET

    for feed in ("feed.xml", "councils/kent/feed.xml", "regions/north-west/feed.xml"):
        root = ET.fromstring((site / feed).read_bytes())
        assert root.find("{http://www.w3.org/2005/Atom}link[@rel='self']") is not None, feed


def test_a_folder_that_cannot_be_swapped_is_refused_before_any_work(tmp_path: Path, site: Path,
                                                                    small_db: Path) -> None:
    link = tmp_path / "link"
    link.symlink_to(site, target_is_directory=True)
    with pytest.raises(PublishRefused, match="symbolic link"):
        publish(link, lacs.open(small_db))
    locked = tmp_path / "locked"
    (locked / "site").mkdir(parents=True)
    locked.chmod(0o555)
    try:
        if os.access(locked, os.W_OK):
            pytest.skip("running as a user who may write anywhere: the parent cannot be made read-only")
        with pytest.raises(PublishRefused, match="may not write here"):
            publish(locked / "site", lacs.open(small_db))
    finally:
        locked.chmod(0o755)


def test_a_killed_publishs_leftover_is_removed_and_a_hosts_own_files_are_kept(site: Path) -> None:
    assert not list(site.parent.glob(".site.*")), "the leftover of the killed publish is gone"
    assert (site / "CNAME").read_text() == "lacs.example.org\n"


def test_the_releases_lacs_db_keeps_the_records_own_log_of_writes(site: Path, small_db: Path) -> None:
    with sqlite3.connect(small_db) as conn:
        own = conn.execute("SELECT at, how FROM writes ORDER BY at").fetchall()
    with sqlite3.connect(f"file:{site / 'data' / 'lacs.db'}?mode=ro", uri=True) as conn:
        released = conn.execute("SELECT at, how FROM writes ORDER BY at").fetchall()
    assert released[:-1] == own and released[-1][1] == "publish"
    assert lacs.open(site / "data" / "lacs.db").freshness().written_at == lacs.open(small_db).freshness().written_at
