"""`lacs publish DIR`: the dashboard as static files, with the data release, for any static host.

    from lacs.web.publish import publish
    done = publish(Path("site"))            # the record lacs.open() picks, today's pages
    done.pages, done.release.version        # 512, '2026-08-20+3f9c2a1b0d4e'

The server renders every page (the same app, the same templates); each link a template asks for
(web/render.py's `link`) is mapped to a file and written relative to the page, so the site works
from any folder of any host, and from the disk. A page is published when a published page links
to it and `publishable` allows it: every page type, every council and region, the front page's
areas, and the national snapshot at each 31 March since 2014. A link to something not published
(an as-at view of a council, a search, the HTTP API) points to the nearest published page: the
page itself without its query, or the data page; every page says the date it shows.

The folder must be new, empty, or one lacs published into before (its `lacs-release.json` lists
every file it made and their hashes); lacs never replaces a file it did not make, or one changed
since. The new site is written beside it and swapped in whole: a failure leaves the old one.
"""

from __future__ import annotations

import asyncio
import hashlib
import json
import os
import posixpath
import re
import shutil
from collections import deque
from collections.abc import Callable, MutableMapping
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit

from lacs import __version__
from lacs.errors import PublishRefused
from lacs.questions.release import OFSTED_ATTRIBUTION, Release, write_release
from lacs.store.database import Database, open_database
from lacs.store.files import process_alive, terminate_cleanly

MANIFEST = "lacs-release.json"
KEPT = ("CNAME", ".nojekyll")  # a static host's own files, made by the user: kept, never replaced
FIRST_SNAPSHOT_YEAR = 2014
DATA_PAGE = "/data"
PAGE_QUERIES: dict[str, frozenset[str]] = {  # the query parameters kept, by page; the rest are dropped
    "/": frozenset({"as_at", "judgement"}),
    "/compare": frozenset({"council", "group"}),
    "/themes": frozenset({"region"}),
}
NOT_PUBLISHED = ("/api/", "/search")  # these need the server: linked to the data page instead
Progress = Callable[[int, int], None]


@dataclass
class Published:
    folder: Path
    pages: int
    files: int
    release: Release
    replaced: bool  # a release lacs had published there before
    unresolved: list[str] = field(default_factory=list)  # links pointed at another page, as the docstring says


def publish(folder: Path | str, db: Database | None = None, on_progress: Progress | None = None,
            today: date | None = None, base_url: str | None = None) -> Published:
    """Write the site and its data release into `folder` (see the module's docstring)."""
    folder = Path(os.path.abspath(folder))  # "." has no name to write a copy beside
    db = db or open_database()
    previous = previous_release(folder)
    _check_writable(folder)
    _remove_leftovers(folder)
    temp = folder.parent / f".{folder.name}.publishing-{os.getpid()}"
    site: _Site | None = None
    with terminate_cleanly():  # SIGTERM unwinds as Ctrl-C does: the half-written copy is removed
        try:
            (temp / "data").mkdir(parents=True)
            previous_record = _read_json(folder / "data" / "record.json") if previous else None
            release = write_release(db, temp / "data", previous_record)
            site = _Site(db, temp, today or date.today(), base_url)
            site.app.state.release_version = release.version
            _write_release_page(site, release)  # first: the pages it links to are published with the rest
            site.write_all(on_progress)
            _carry_kept(folder, temp)
            files = _manifest(temp, release)
            _swap(temp, folder, previous is not None)
        except BaseException:
            shutil.rmtree(temp, ignore_errors=True)
            raise
        finally:
            if site is not None:
                site.close()
    return Published(folder, site.pages, len(files), release, previous is not None, sorted(site.unresolved))


def snapshot_days(today: date, first: date = date(FIRST_SNAPSHOT_YEAR, 1, 1)) -> list[date]:
    """31 March of every year since 2014 that has passed by `today`, from the record's `first` day."""
    return [date(year, 3, 31) for year in range(FIRST_SNAPSHOT_YEAR, today.year + 1)
            if first <= date(year, 3, 31) <= today]


# --- the folder ---------------------------------------------------------------------------------

def previous_release(folder: Path) -> dict[str, Any] | None:
    """The manifest of the release lacs published in `folder`, None for a folder that is missing
    or empty; PublishRefused for anything else, naming what is in the way."""
    if folder.is_symlink():
        raise PublishRefused(f"{folder}: a symbolic link; give the folder itself (lacs swaps a new site in "
                             "in its place)")
    if folder.exists() and not folder.is_dir():
        raise PublishRefused(f"{folder}: not a folder; give a folder to publish into")
    if not folder.exists() or not any(folder.iterdir()):
        return None
    manifest = _read_json(folder / MANIFEST)
    if not isinstance(manifest, dict) or not isinstance(manifest.get("files"), dict):
        if all(p.name in KEPT for p in folder.iterdir()):
            return None  # only a static host's own files: a first publish
        raise PublishRefused(f"{folder}: holds files lacs did not publish; choose an empty or new folder")
    made: dict[str, str] = manifest["files"]
    for path in sorted(p for p in folder.rglob("*") if not p.is_dir()):
        name = path.relative_to(folder).as_posix()
        if name == MANIFEST or name in KEPT:
            continue
        if name not in made:
            raise PublishRefused(f"{path}: not a file lacs published there; move it away or choose another folder")
        if path.is_symlink() or _sha256(path) != made[name]:
            raise PublishRefused(f"{path}: changed since lacs published it; move it away or choose another folder")
    return manifest


def _check_writable(folder: Path) -> None:
    """Refuse, before any work, a folder whose new copy could not be written beside it and swapped in."""
    if folder.is_dir() and os.path.ismount(folder):
        raise PublishRefused(f"{folder}: a mount point, which lacs cannot swap a new site into; publish into a "
                             "folder inside it")
    if not os.access(folder.parent, os.W_OK | os.X_OK):
        raise PublishRefused(f"{folder.parent}: lacs may not write here, and it writes the new site beside "
                             f"{folder.name} before swapping it in; choose a folder whose parent you can write in")


def _remove_leftovers(folder: Path) -> None:
    """Half-written copies of publishes that were killed (their process is gone)."""
    for leftover in folder.parent.glob(f".{folder.name}.publishing-*"):
        pid = leftover.name.rsplit("-", 1)[-1]
        if pid.isdigit() and not process_alive(int(pid)) and leftover.is_dir() and not leftover.is_symlink():
            shutil.rmtree(leftover, ignore_errors=True)


def _carry_kept(folder: Path, temp: Path) -> None:
    """A static host's own files (KEPT: GitHub Pages' CNAME...) stay in the folder, as the user made them."""
    for name in KEPT:
        if (folder / name).is_file() and not (folder / name).is_symlink():
            shutil.copy2(folder / name, temp / name)


def _read_json(path: Path) -> Any:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _manifest(temp: Path, release: Release) -> dict[str, str]:
    files = {p.relative_to(temp).as_posix(): _sha256(p) for p in sorted(temp.rglob("*")) if p.is_file()}
    manifest = {"lacs_version": __version__, "version": release.version, "files": files}
    (temp / MANIFEST).write_text(json.dumps(manifest, indent=1) + "\n", encoding="utf-8")
    return files


def _swap(temp: Path, folder: Path, replacing: bool) -> None:
    """Put the new site where the old one (or the empty folder) was: the old is moved aside first
    and removed last, so a failure in between leaves it whole beside the new."""
    if not folder.exists():
        temp.rename(folder)
        return
    old = folder.parent / f".{folder.name}.old-{os.getpid()}"
    folder.rename(old)
    try:
        temp.rename(folder)
    except OSError:
        old.rename(folder)
        raise
    shutil.rmtree(old, ignore_errors=True)


# --- the pages ----------------------------------------------------------------------------------

def file_for(path: str, query: list[tuple[str, str]]) -> str:
    """The file, relative to the site's root, that holds the page or file at `path?query`."""
    stem = path.strip("/")
    extra = "/".join(f"{name}-{value}" for name, value in query)
    if posixpath.splitext(stem)[1]:  # a file: the query goes into its name
        base, ext = posixpath.splitext(stem)
        return f"{base}{'-' + extra.replace('/', '-') if extra else ''}{ext}"
    parts = [p for p in (stem, extra) if p]
    return "/".join([*parts, "index.html"])


FORM = re.compile(r'<details class="change-form">.*?</details>|<form\b.*?</form>', re.S)


def without_forms(html: str) -> str:
    """The page without its forms: a static host cannot answer them (the pages link instead)."""
    return FORM.sub("", html)


class _Site:
    """The pages as the app renders them, with links made relative and followed."""

    def __init__(self, db: Database, root: Path, today: date, base_url: str | None = None) -> None:
        from lacs.web.app import create_app

        self.root = root
        self.app = create_app(db.path)
        self.app.state.base_url = base_url
        snapshots = snapshot_days(today, self.app.state.served.first)
        self.app.state.links = self.links
        self.app.state.static = True
        self.loop = asyncio.new_event_loop()
        self.snapshots = {d.isoformat() for d in snapshots}
        self.queue: deque[tuple[str, tuple[tuple[str, str], ...]]] = deque()
        self.seen: set[tuple[str, tuple[tuple[str, str], ...]]] = set()
        self.unresolved: set[str] = set()
        self.pages = 0
        self.db = db
        self.current: str | None = None  # the file of the page being written

    def close(self) -> None:
        """End the event loop's tasks (an interrupted request's too, so that the app's worker
        threads end with them and the process can exit), then the loop."""
        pending = asyncio.all_tasks(self.loop)
        for task in pending:
            task.cancel()
        if pending:
            self.loop.run_until_complete(asyncio.gather(*pending, return_exceptions=True))
        self.loop.run_until_complete(self.loop.shutdown_default_executor())
        self.loop.close()

    def links(self, page: str) -> Callable[..., str]:
        """The link function of the page being written (its query gives its file, so the app's
        `page` path alone does not say where it is: pages are written one at a time)."""
        here = posixpath.dirname(self.current or file_for(page, []))

        def link(target: str, **query: Any) -> str:
            split = urlsplit(target)
            given = [(k, str(v)) for k, v in [*parse_qsl(split.query), *query.items()] if v is not None and v != ""]
            path, kept = self.publishable(split.path, given)
            self.want(path, kept)
            return posixpath.relpath(file_for(path, list(kept)), here or ".") + (f"#{split.fragment}" if
                                                                                 split.fragment else "")

        return link

    def publishable(self, path: str, query: list[tuple[str, str]]) -> tuple[str, tuple[tuple[str, str], ...]]:
        """The published page or file that stands for `path?query`."""
        if path.startswith(NOT_PUBLISHED) or path == "/search":
            self.unresolved.add(path + ("?" + urlencode(query) if query else ""))
            return DATA_PAGE, ()
        allowed = PAGE_QUERIES.get(path, frozenset())
        if path.startswith("/downloads/"):
            allowed = frozenset({"as_at"})
        kept = tuple(sorted((k, v) for k, v in query if k in allowed and self._kept_value(k, v)))
        if len(kept) < len(query):
            self.unresolved.add(path + "?" + urlencode(query))
        return path, kept

    def _kept_value(self, name: str, value: str) -> bool:
        return name != "as_at" or value in self.snapshots

    def want(self, path: str, query: tuple[tuple[str, str], ...]) -> None:
        if path.startswith("/data/") and posixpath.splitext(path)[1]:
            return  # a file of the data release, written before the pages
        if (path, query) not in self.seen:
            self.seen.add((path, query))
            self.queue.append((path, query))

    def write_all(self, on_progress: Progress | None) -> None:
        self.want("/", ())
        self.want(DATA_PAGE, ())
        self.want("/feed.xml", ())
        for day in sorted(self.snapshots):
            self.want("/", (("as_at", day),))
        from lacs.domain.councils import slug

        for council in self.db.councils():
            self.want(f"/councils/{slug(council.name)}", ())
            self.want(f"/councils/{slug(council.name)}/feed.xml", ())
        for region in sorted({c.region for c in self.db.councils() if c.region}):
            self.want(f"/regions/{slug(region)}", ())
            self.want(f"/regions/{slug(region)}/feed.xml", ())
        while self.queue:
            path, query = self.queue.popleft()
            self._write(path, query)
            if on_progress:
                on_progress(self.pages, self.pages + len(self.queue))

    def _write(self, path: str, query: tuple[tuple[str, str], ...]) -> None:
        self.current = file_for(path, list(query))
        status, media, body = self.loop.run_until_complete(self._get(path, urlencode(query)))
        if status != 200:
            self.unresolved.add(f"{path}?{urlencode(query)} ({status})")
            return
        target = self.root / file_for(path, list(query))
        target.parent.mkdir(parents=True, exist_ok=True)
        if media.startswith("text/html"):
            body = without_forms(body.decode("utf-8")).encode("utf-8")
            self.pages += 1
        target.write_bytes(body)

    async def _get(self, path: str, query: str) -> tuple[int, str, bytes]:
        """One GET through the whole app, as a server would send it (no network: an ASGI call)."""
        scope = {"type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1", "method": "GET",
                 "scheme": "http", "path": path, "raw_path": path.encode(), "query_string": query.encode(),
                 "root_path": "", "headers": [(b"host", b"127.0.0.1"), (b"accept", b"text/html")],
                 "client": ("127.0.0.1", 0), "server": ("127.0.0.1", 80)}
        answer: dict[str, Any] = {"status": 500, "media": "", "body": b""}

        async def receive() -> dict[str, Any]:
            return {"type": "http.request", "body": b"", "more_body": False}

        async def send(message: MutableMapping[str, Any]) -> None:
            if message["type"] == "http.response.start":
                answer["status"] = message["status"]
                answer["media"] = dict(message.get("headers", [])).get(b"content-type", b"").decode()
            elif message["type"] == "http.response.body":
                answer["body"] += message.get("body", b"")

        await self.app(scope, receive, send)
        return answer["status"], answer["media"], answer["body"]


def _write_release_page(site: _Site, release: Release) -> None:
    """data/changes/index.html: what changed since the previous release published into the folder."""
    from lacs.web.render import page

    path = "/data/changes"
    site.current = file_for(path, [])
    html = page(site.app.state, path, "release.html", release=release, changes=release.changes,
                attribution=OFSTED_ATTRIBUTION, crumbs=[("Data and downloads", DATA_PAGE), ("What changed", None)])
    target = site.root / file_for(path, [])
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(html, encoding="utf-8")
