"""`lacs update` against a fake Ofsted site on 127.0.0.1: fetches what is new, retries what may
pass, reports what fails, and never changes the database for anything that failed."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
import time
from datetime import date
from pathlib import Path

import pytest

from fakesite import FakePublication, FakeSite, Markup, corpus_site, register_site, small_site
from lacs.domain.councils import resolve_council
from lacs.errors import BadSite, LayoutChanged
from lacs.site.fetch import Fetcher
from lacs.store.update import update
from pdfs import make_pdf
from samples import ILACS_2022


def fetcher() -> Fetcher:
    return Fetcher(delay=0, timeout=0.5, tries=3, backoff=0.01, backoff_cap=0.05)


def run(site: FakeSite, tmp_path: Path, **kwargs):
    """An update of tmp_path/lacs.db from the site, which stands for the whole register unless
    `register` says otherwise."""
    f = fetcher()
    kwargs.setdefault("register", len(site.councils))
    try:
        return update(tmp_path / "lacs.db", tmp_path / "cache", site.url, fetcher=f, **kwargs)
    finally:
        f.close()


def rows(db: Path, sql: str) -> list[tuple]:
    with sqlite3.connect(db) as conn:
        return conn.execute(sql).fetchall()


def state(db: Path) -> list[list[tuple]]:
    return [rows(db, f"SELECT * FROM {t} ORDER BY 1") for t in ("reports", "inspections", "judgements", "publications")]


def new_report(day: date) -> FakePublication:
    text = ILACS_2022.replace("’", "'").replace("●", "-").replace("21 March to 1 April 2022", "3 to 14 March 2025")
    return FakePublication("children's services inspection", day, make_pdf([text]), "new-report")


def test_update_fetches_everything_then_nothing_then_only_the_new_one(tmp_path: Path) -> None:
    with FakeSite(small_site()) as site:
        first = run(site, tmp_path)
        assert first.ok and first.providers == 3 and len(first.fetched) == 4 and first.built == 3
        db = tmp_path / "lacs.db"
        assert rows(db, "SELECT count(*) FROM inspections") == [(3,)]
        assert rows(db, "SELECT kind, count(*) FROM publications GROUP BY kind") == [
            ("focused_visit", 1), ("report", 3)]
        assert rows(db, "SELECT count(*) FROM pages_fts WHERE pages_fts MATCH 'focused'")[0][0] >= 1
        second = run(site, tmp_path)
        assert second.ok and second.new == [] and second.fetched == [] and second.built == 0
        assert not any("/v1/file/" in path for path in site.requests[-4:])
        site.add(80521, new_report(date(2025, 4, 30)))
        third = run(site, tmp_path)
        assert [p.url.rsplit("/", 1)[-1] for p in third.fetched] == ["new-report"] and third.built == 1
        assert rows(db, "SELECT count(*) FROM inspections") == [(4,)]


def test_dry_run_lists_and_changes_nothing(tmp_path: Path) -> None:
    with FakeSite(small_site()) as site:
        result = run(site, tmp_path, dry_run=True)
    assert len(result.new) == 4 and result.fetched == []
    assert not (tmp_path / "lacs.db").exists()


def test_one_council_only(tmp_path: Path) -> None:
    with FakeSite(small_site()) as site:
        result = run(site, tmp_path, council=resolve_council("Kent"))
    assert result.providers == 1 and len(result.fetched) == 1


def test_pages_are_asked_for_conditionally_and_politely(tmp_path: Path) -> None:
    with FakeSite(small_site()) as site:
        f = Fetcher(delay=0, cache=tmp_path / "pages")
        update(tmp_path / "lacs.db", tmp_path / "cache", site.url, fetcher=f)
        update(tmp_path / "lacs.db", tmp_path / "cache", site.url, fetcher=f)
        f.close()
        assert all(h.get("user-agent", h.get("User-Agent", "")).startswith("lacs/") for h in site.headers)
        assert any("If-None-Match" in h or "if-none-match" in h for h in site.headers)


@pytest.mark.parametrize("fault, options", [
    ("slow", {"seconds": 1.5}),
    ("status", {"status": 503, "retry_after": "0"}),
    ("status", {"status": 500}),
    ("reset", {}),
    ("short", {}),
])
def test_a_passing_fault_is_retried(tmp_path: Path, fault: str, options: dict) -> None:
    with FakeSite(small_site()) as site:
        site.misbehave("/v1/file/", fault, times=1, **options)
        result = run(site, tmp_path)
    assert result.ok and len(result.fetched) == 4


@pytest.mark.parametrize("fault, words", [
    ("status", "HTTP 503 on each of 3 tries"),
    ("reset", "connection failed"),
    ("short", "connection failed"),
    ("html", "not a PDF: an HTML page"),
])
def test_a_lasting_fault_is_reported_and_changes_nothing(tmp_path: Path, fault: str, words: str) -> None:
    with FakeSite(small_site()) as site:
        run(site, tmp_path)
        before = state(tmp_path / "lacs.db")
        site.add(80521, new_report(date(2025, 4, 30)))
        site.misbehave("new-report", fault, times=10)
        result = run(site, tmp_path)
    assert not result.ok and len(result.failures) == 1
    url, reason = result.failures[0]
    assert url.endswith("new-report") and words in reason
    assert state(tmp_path / "lacs.db") == before
    assert not list((tmp_path / "cache").rglob("*.part"))


def test_a_listing_without_councils_is_an_error_not_nothing_new(tmp_path: Path) -> None:
    with FakeSite(small_site()) as site:
        run(site, tmp_path)
        before = state(tmp_path / "lacs.db")
        site.misbehave("/search", "html", times=5)
        with pytest.raises(LayoutChanged, match="no councils in the listing"):
            run(site, tmp_path)
    assert state(tmp_path / "lacs.db") == before


def test_a_council_page_whose_layout_changed_is_a_failure(tmp_path: Path) -> None:
    with FakeSite(small_site()) as site:
        site.misbehave("/provider/44/80476", "layout", times=5)
        result = run(site, tmp_path)
    assert [url.rsplit("/", 1)[-1] for url, _ in result.failures] == ["80476"]
    assert "no publication links" in result.failures[0][1] and len(result.fetched) == 3


def test_a_report_built_from_a_folder_is_not_fetched_again(tmp_path: Path) -> None:
    from lacs.store.build import build
    councils = small_site()
    folder = tmp_path / "folder" / "80476_kent"
    folder.mkdir(parents=True)
    kent = next(c for c in councils if c.urn == 80476).publications[0]
    name = f"children's services inspection - {kent.published.day} {kent.published:%B %Y}.pdf".lower()
    (folder / name).write_bytes(kent.data)
    build([tmp_path / "folder"], tmp_path / "lacs.db", workers=1)
    with FakeSite(councils) as site:
        result = run(site, tmp_path)
    assert result.ok and len(result.fetched) == 3, "Kent's report was in the database already"
    assert rows(tmp_path / "lacs.db", "SELECT count(*) FROM inspections") == [(3,)]


KILLED_RUN = """
import sys
from pathlib import Path
from lacs.site.fetch import Fetcher
from lacs.store.update import update
update(Path(sys.argv[1]), Path(sys.argv[2]), sys.argv[3], fetcher=Fetcher(delay=float(sys.argv[4])),
       register=int(sys.argv[5]))
"""


def test_an_update_killed_half_way_completes_on_the_next_run(tmp_path: Path) -> None:
    with FakeSite(small_site()) as site:
        child = subprocess.Popen([sys.executable, "-c", KILLED_RUN, str(tmp_path / "lacs.db"),
                                  str(tmp_path / "cache"), site.url, "0.3", "3"])
        deadline = time.monotonic() + 20
        while sum("/v1/file/" in p for p in site.requests) < 2 and time.monotonic() < deadline:
            time.sleep(0.05)
        child.kill()
        child.wait()
        result = run(site, tmp_path)
    assert result.ok
    db = tmp_path / "lacs.db"
    assert rows(db, "SELECT count(*) FROM inspections") == [(3,)]
    assert rows(db, "SELECT count(*), count(DISTINCT url) FROM publications") == [(4, 4)]
    assert sum("/v1/file/" in p for p in site.requests) <= 4 + 1, "finished files are not fetched again"


def test_the_whole_corpus_from_the_fake_site(tmp_path: Path, corpus: Path) -> None:
    with FakeSite(corpus_site(corpus)) as site:
        first = run(site, tmp_path)
        assert first.providers == 153 and first.built == 493
        assert len(first.failures) == 4 and all("HTML page" in reason for _, reason in first.failures)
        second = run(site, tmp_path)
        assert second.fetched == [] and second.built == 0


def test_the_command_lists_failures_and_says_so_in_its_exit_code(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
) -> None:
    from typer.testing import CliRunner

    from lacs.cli.app import app
    monkeypatch.setenv("LACS_REPORTS", str(tmp_path / "cache"))
    with FakeSite(register_site()) as site:
        site.misbehave("-80476-0", "html", times=20)  # Kent's letter, not its page
        args = ["update", "--site", site.url, "--delay", "0", "--db", str(tmp_path / "lacs.db")]
        dry = CliRunner().invoke(app, [*args, "--dry-run"])
        assert dry.exit_code == 0 and dry.stdout.count("/v1/file/") == 153
        result = CliRunner().invoke(app, [*args, "--council", "Kent"])
    assert result.exit_code == 1
    failed = [line for line in result.stderr.splitlines() if line.startswith("failed: ")]
    assert len(failed) == 1 and "80476" in failed[0]
    assert "1 failures" in result.stderr.splitlines()[-1]


# -- the listing as the real site may write it (issue 16, item 3) --

@pytest.mark.parametrize("markup", [Markup(next_on="li"), Markup(result_class=False), Markup(per_page=10)],
                         ids=["next-on-li", "no-result-class", "10-a-page"])
def test_every_council_is_read_whatever_the_listing_markup(tmp_path: Path, markup: Markup) -> None:
    with FakeSite(register_site(), markup) as site:
        result = run(site, tmp_path, dry_run=True, register=None, council=resolve_council("Westmorland and Furness"))
    assert result.ok, result.shortfall
    assert result.listed == 153 and result.stated == 153 and result.providers == len(result.new) == 1


def test_a_listing_claiming_more_than_it_serves_is_named_after_keeping_what_was_read(tmp_path: Path) -> None:
    with FakeSite(small_site(), Markup(claim=200)) as site:
        result = run(site, tmp_path)
    assert not result.ok and result.failures == [] and result.pending == []
    assert result.shortfall is not None and result.shortfall.startswith(
        "the listing gave 3 councils, fewer than the 200 results the listing says it has")
    assert result.built == 3 and rows(tmp_path / "lacs.db", "SELECT count(*) FROM inspections") == [(3,)]


def test_a_listing_short_of_the_register_fails_the_command(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from typer.testing import CliRunner

    from lacs.cli.app import app
    monkeypatch.setenv("LACS_REPORTS", str(tmp_path / "cache"))
    with FakeSite(small_site()) as site:
        result = CliRunner().invoke(app, ["update", "--site", site.url, "--delay", "0",
                                          "--db", str(tmp_path / "lacs.db")])
    assert result.exit_code == 1
    named = [line for line in result.stderr.splitlines() if line.startswith("listing: ")]
    assert len(named) == 1 and "gave 3 councils, fewer than the 153 current councils in the register" in named[0]
    assert rows(tmp_path / "lacs.db", "SELECT count(*) FROM inspections") == [(3,)], "what was read is kept"


@pytest.mark.parametrize("kind, date_text, words", [
    ("children's services inspection", "date to follow", "no publication date lacs can read"),
    ("area SEND inspection", None, "a kind of publication lacs does not read"),
])
def test_a_publication_lacs_cannot_read_stays_pending_until_it_can(
    tmp_path: Path, kind: str, date_text: str | None, words: str,
) -> None:
    with FakeSite(small_site()) as site:
        run(site, tmp_path)
        odd = new_report(date(2025, 4, 30))
        odd.kind, odd.date_text = kind, date_text
        site.add(80521, odd)
        for _ in range(2):  # listed on every run, never stored as read
            result = run(site, tmp_path)
            assert not result.ok and [p.url.rsplit("/", 1)[-1] for p, _ in result.pending] == ["new-report"]
            assert words in result.pending[0][1] and result.fetched == []
            stored = rows(tmp_path / "lacs.db", "SELECT count(*) FROM publications WHERE url LIKE '%new-report'")
            assert stored == [(0,)]
        odd.kind, odd.date_text = "children's services inspection", None
        result = run(site, tmp_path)
    assert result.ok and [p.url.rsplit("/", 1)[-1] for p in result.fetched] == ["new-report"]
    assert rows(tmp_path / "lacs.db", "SELECT count(*) FROM inspections") == [(4,)]


def test_a_publication_stored_unread_by_an_earlier_lacs_is_pending_again(tmp_path: Path) -> None:
    with FakeSite(small_site()) as site:
        run(site, tmp_path)
        site.add(80521, new_report(date(2025, 4, 30)))
        url = f"{site.url}/v1/file/new-report"
        with sqlite3.connect(tmp_path / "lacs.db") as conn:  # as lacs before this fix left it
            conn.execute("INSERT INTO publications (url, urn, kind, description) VALUES (?, 80521, 'report', "
                         "'children''s services inspection, pdf - date to follow')", (url,))
        conn.close()
        result = run(site, tmp_path)
    assert result.ok and [p.url for p in result.fetched] == [url]
    assert rows(tmp_path / "lacs.db", f"SELECT site_published FROM publications WHERE url = '{url}'") == [
        ("2025-04-30",)]


@pytest.mark.parametrize("bad", ["http://[::1", "ftp://127.0.0.1/", "127.0.0.1:8000", "http://127.0.0.1:99999",
                                 "http://"])
def test_a_bad_site_is_one_line_and_no_request(tmp_path: Path, bad: str) -> None:
    from typer.testing import CliRunner

    from lacs.cli.app import app
    result = CliRunner().invoke(app, ["update", "--site", bad, "--db", str(tmp_path / "lacs.db")])
    assert result.exit_code == 2 and isinstance(result.exception, SystemExit)
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith(f"error: --site {bad!r}: ") and "Traceback" not in result.output
    with pytest.raises(BadSite):
        update(tmp_path / "lacs.db", tmp_path / "cache", bad)
    assert not (tmp_path / "lacs.db").exists() and not (tmp_path / "cache").exists()


def test_the_budget_holds_to_the_second_and_what_was_fetched_is_kept(tmp_path: Path) -> None:
    with FakeSite(small_site()) as site:
        site.misbehave("/v1/file/972de", "slow", times=10, seconds=20)  # Manchester's report hangs
        f = Fetcher(delay=0, timeout=10, tries=4, backoff=0.01, budget=2.0)
        began = time.monotonic()
        try:
            result = update(tmp_path / "lacs.db", tmp_path / "cache", site.url, fetcher=f, register=3)
        finally:
            f.close()
        took = time.monotonic() - began
    assert took < 4.5, f"a 2 s budget took {took:.1f} s (the build of what was fetched follows it)"
    assert not result.ok and any("time budget ran out" in reason for _, reason in result.failures)
    assert result.built >= 1, "the reports fetched whole before the budget ran out are built"


def test_each_database_is_built_only_from_the_files_it_fetched(tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    with FakeSite(small_site()) as site:
        f = fetcher()
        update(tmp_path / "a.db", cache, site.url, fetcher=f, register=3)
        update(tmp_path / "b.db", cache, site.url, fetcher=f, council=resolve_council("Kent"), register=3)
        f.close()
    assert rows(tmp_path / "a.db", "SELECT count(*) FROM inspections") == [(3,)]
    assert rows(tmp_path / "b.db", "SELECT count(*) FROM inspections") == [(1,)], "b fetched Kent's report only"


def test_a_report_of_the_same_name_from_another_site_is_downloaded_not_reused(tmp_path: Path) -> None:
    import hashlib
    cache = tmp_path / "cache"
    first, second = new_report(date(2025, 4, 30)), new_report(date(2025, 4, 30))
    second.data = make_pdf([ILACS_2022.replace("’", "'").replace("●", "-").replace(
        "21 March to 1 April 2022", "3 to 14 March 2025").replace("Leaders", "Managers")])
    for name, report in (("a.db", first), ("b.db", second)):
        councils = [c for c in small_site() if c.urn == 80521]
        councils[0].publications = [report]
        with FakeSite(councils) as site:
            f = fetcher()
            update(tmp_path / name, cache, site.url, fetcher=f, register=1)
            f.close()
    for name, report in (("a.db", first), ("b.db", second)):
        assert rows(tmp_path / name, "SELECT sha256 FROM reports") == [(hashlib.sha256(report.data).hexdigest(),)]


KILL_AT = ["pages", "first file", "building", "seeded"]


@pytest.mark.parametrize("moment", KILL_AT)
def test_an_update_killed_at_any_point_leaves_the_old_database_whole(tmp_path: Path, moment: str) -> None:
    import random
    db = tmp_path / "lacs.db"
    with FakeSite(small_site()) as site:
        run(site, tmp_path)
        before = state(db)
        site.add(80521, new_report(date(2025, 4, 30)))
        other = new_report(date(2025, 6, 30))
        other.file_id = "other-report"
        other.data = make_pdf([ILACS_2022.replace("’", "'").replace("●", "-").replace(
            "21 March to 1 April 2022", "2 to 13 June 2025")])
        site.add(80476, other)
        asked = len(site.requests)
        child = subprocess.Popen([sys.executable, "-c", KILLED_RUN, str(db), str(tmp_path / "cache"), site.url,
                                  "0.2", "3"])
        files = {"first file": 1, "second file": 2, "building": 2}
        deadline = time.monotonic() + 20
        if moment.startswith("seeded"):
            time.sleep(random.Random(moment).uniform(0.1, 1.8))
        else:
            def reached() -> bool:
                made = site.requests[asked:]
                if moment in files:
                    return sum("/v1/file/" in p for p in made) >= files[moment]
                return any(("/provider/" if moment == "pages" else "/search") in p for p in made)
            while not reached() and time.monotonic() < deadline:
                time.sleep(0.01)
            time.sleep(0.3 if moment == "building" else 0.05)
        child.kill()
        child.wait()
        assert rows(db, "PRAGMA integrity_check") == [("ok",)]
        middle = state(db)
        result = run(site, tmp_path)
        after = state(db)
    assert middle in (before, after), "the database is the old one or the new one, never half"
    assert result.ok and rows(db, "SELECT count(*) FROM inspections") == [(5,)]
    assert rows(db, "SELECT count(*), count(DISTINCT url) FROM publications") == [(6, 6)]
