"""`lacs update`: fetch what Ofsted has published since the last update and build it in.

    result = update(db_path, downloads)                     # Ofsted's site
    result = update(db_path, downloads, site="http://127.0.0.1:8000", delay=0)

0. `site` is checked before any request (BadSite).
1. Read the listing of councils' children's services as D2I's daily scraper does: every
   `/provider/<n>/<urn>` link on a results page, pages asked for by `start=` until a page
   comes back empty, short, or with only councils already read (no 'next' link or class is
   relied on). What was read is checked against the page's own 'N results' and against the
   register's current councils: fewer is a `shortfall`, named with how many and why; what
   was read is still updated, and the result is not ok.
2. Read each council's page. A publication is new unless its URL is stored as read, or (for
   a report) the database already has a report of that council with that site date (read
   from a folder by `lacs build`). A publication lacs cannot read (no date it can parse, a
   kind it does not know) is `pending`: stored as nothing, listed on every run, and the
   result is not ok until it can be read.
3. Download each new one into this database's own record of downloads in the `downloads`
   folder, kept apart by site (`<site>/reports/<urn>_<name>/`, `<site>/letters/`; each file
   named by its URL) and recorded in a journal per database (`<site>/fetched/<db>.json`:
   URL, size, SHA-256 of every file it fetched). Downloads are validated and renamed only
   when whole.
4. Build the reports it recorded fetching in (never another file in the folder: they are
   staged by hard link into a folder of their own), with every publication's URL, kind and
   date, in one atomic write (build.py). What failed is listed with its URL and reason and
   changes nothing; a re-run fetches it again. Each letter (a focused or monitoring visit...)
   becomes a visit with the kind, dates and theme its text states (store/visits.py, when the
   build reconciles). An interrupted update keeps the files it
   finished and recorded, and the re-run builds them without fetching them again. The
   budget (`Fetcher(budget=...)`) stops the fetching when it runs out; what was fetched
   whole is built, and the result is not ok.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from urllib.parse import urlsplit

from lacs.domain.councils import Council, council_by_urn, load_councils
from lacs.errors import FetchError, LacsError, OutOfTime
from lacs.reports.pdf import read_pdf
from lacs.site.fetch import Fetcher
from lacs.site.listing import (
    OFSTED,
    ROWS,
    LayoutChanged,
    Provider,
    Publication,
    check_site,
    listing_url,
    read_listing,
    read_provider,
)
from lacs.store import writes as store
from lacs.store.build import build
from lacs.store.files import process_alive
from lacs.store.schema import check_lacs_database, connect_read_only

MAX_LISTING_PAGES = 200  # a guard only: paging ends on an empty, short or repeated page


@dataclass
class UpdateResult:
    providers: int = 0  # the councils updated (one with --council)
    listed: int = 0  # the councils the listing gave
    stated: int | None = None  # the results the listing says it has
    new: list[Publication] = field(default_factory=list)
    fetched: list[Publication] = field(default_factory=list)
    failures: list[tuple[str, str]] = field(default_factory=list)  # (url, reason)
    pending: list[tuple[Publication, str]] = field(default_factory=list)  # listed, not readable: (it, why)
    shortfall: str | None = None  # why fewer councils were read than the listing or register says
    built: int = 0
    requests: int = 0

    @property
    def ok(self) -> bool:
        return not self.failures and not self.pending and self.shortfall is None


def update(db_path: Path, cache: Path, site: str = OFSTED, council: Council | None = None,
           dry_run: bool = False, fetcher: Fetcher | None = None,
           on_progress: Callable[[str, int, int], None] | None = None,
           register: int | None = None) -> UpdateResult:
    """Fetch and build what is new; see the module's docstring. `cache` is the downloads folder;
    `register` is how many councils the listing must give (default: the register's current
    councils). Raises BadSite before any request, and LayoutChanged or a FetchError only when
    the listing itself cannot be read (nothing is then changed)."""
    site = check_site(site)
    expected = register if register is not None else len(_current_urns())
    fetcher = fetcher or Fetcher(cache=cache / "pages")
    result = UpdateResult()
    known_urls, known_dated = _known(db_path)
    providers = _providers(fetcher, site, result, expected)
    if council is not None:
        providers = [p for p in providers if p.urn == council.urn]
        if not providers:
            raise LayoutChanged(f"{site}: {council.name} (URN {council.urn}) is not in the listing"
                                + (f"; {result.shortfall}" if result.shortfall else ""))
    result.providers = len(providers)
    found: list[tuple[Provider, Publication]] = []
    for n, provider in enumerate(providers, 1):
        try:
            publications = read_provider(fetcher.page(provider.url).text, provider.url)
        except OutOfTime as exc:
            result.failures.append((provider.url, f"{exc.reason}: {len(providers) - n + 1} of {len(providers)} "
                                                  "council pages not read"))
            break
        except (FetchError, LayoutChanged) as exc:
            result.failures.append((provider.url, _reason(exc)))
            continue
        found += [(provider, p) for p in publications]
        if on_progress:
            on_progress("council pages", n, len(providers))
    new = [(prov, p) for prov, p in found if p.url not in known_urls]
    readable = []
    for prov, p in new:
        if (why := _unreadable(p)) is not None:
            result.pending.append((p, why))
        else:
            readable.append((prov, p))
    built_already = [(prov, p) for prov, p in readable if p.is_report and (prov.urn, _iso(p.published)) in known_dated]
    to_fetch = [pair for pair in readable if pair not in built_already]
    result.new = [p for _, p in to_fetch]
    result.requests = fetcher.requests
    if dry_run:
        return result
    downloads = Downloads(cache, site, db_path)
    rows = [_row(prov, p, None, None) for prov, p in built_already]  # keep their URLs, fetch nothing
    for n, (provider, publication) in enumerate(to_fetch, 1):
        try:
            row = _fetch(fetcher, downloads, provider, publication, result)
        except OutOfTime as exc:
            result.failures.append((publication.url, f"{exc.reason}: {len(to_fetch) - n + 1} of {len(to_fetch)} "
                                                     "new publications not fetched"))
            break
        if row is not None:
            rows.append(row)
        if on_progress:
            on_progress("downloads", n, len(to_fetch))
    result.requests = fetcher.requests
    with downloads.staged() as staging:
        if rows or any(staging.iterdir()):
            result.built = build([staging], db_path, remove_missing=False, publications=rows, how="update").read
    return result


_FOLDERS = {"report": "reports", "focused_visit": "letters", "monitoring_visit": "letters",
            "joint_targeted_area_inspection": "letters"}


def _unreadable(publication: Publication) -> str | None:
    """Why a publication cannot be read as lacs reads them, or None."""
    if publication.published is None:
        return f"no publication date lacs can read in {publication.text.strip()!r}"
    if publication.kind not in _FOLDERS:
        return f"a kind of publication lacs does not read ({publication.kind!r})"
    return None


def _current_urns() -> set[int]:
    return {c.urn for c in load_councils() if c.is_current and c.urn is not None}


def _providers(fetcher: Fetcher, site: str, result: UpdateResult, expected: int) -> list[Provider]:
    """Every provider in the listing, paged by `start=`; LayoutChanged if it has none. Sets
    result.listed, result.stated and, if fewer were read than the page says or the register
    has, result.shortfall."""
    providers: dict[int, Provider] = {}
    start, first_size, stated, ended = 0, None, None, None
    for _ in range(MAX_LISTING_PAGES):
        page = fetcher.page(listing_url(site, start, ROWS))
        listing = read_listing(page.text, page.url)
        if listing.stated is not None:
            stated = max(stated or 0, listing.stated)
        if not listing.providers and not providers:
            raise LayoutChanged(f"{page.url}: no councils in the listing (there were about 153 last time); "
                                "the site's layout may have changed, so nothing was changed")
        fresh = [p for p in listing.providers if p.urn not in providers]
        if not listing.providers:
            ended = f"the page from result {start + 1} listed none"
            break
        if not fresh:
            ended = f"the page from result {start + 1} listed only councils already read"
            break
        providers.update((p.urn, p) for p in fresh)
        first_size = first_size or len(listing.providers)
        start += len(listing.providers)
        if stated is not None and len(providers) >= stated:
            break
        if len(listing.providers) < first_size:
            ended = (f"the page from result {start - len(listing.providers) + 1} listed {len(listing.providers)}, "
                     f"fewer than the first page's {first_size}")
            break
    else:
        ended = f"lacs stopped after {MAX_LISTING_PAGES} pages"
    result.listed, result.stated = len(providers), stated
    claims = []
    if stated is not None and len(providers) < stated:
        claims.append(f"the {stated} results the listing says it has")
    if len(providers) < expected:
        claims.append(f"the {expected} current councils in the register")
    if claims:
        missing = sorted(c.name for c in load_councils() if c.urn in _current_urns() - set(providers))
        named = (f" (not read: {', '.join(missing[:5])}{', ...' if len(missing) > 5 else ''})"
                 if missing and len(missing) < len(_current_urns()) else "")
        result.shortfall = (f"the listing gave {len(providers)} councils, fewer than {' and '.join(claims)}"
                            f"{named}; its pages ended where {ended or 'the count was reached'}")
    return list(providers.values())


def _fetch(fetcher: Fetcher, downloads: Downloads, provider: Provider, publication: Publication,
           result: UpdateResult) -> store.PublicationRow | None:
    """Download one publication (unless this database's journal records a whole copy of it,
    fetched by an interrupted run). OutOfTime is the caller's."""
    folder = _FOLDERS[publication.kind]
    relative = f"{provider.urn}_{_slug(provider.name)}/{_file_name(publication)}"
    key = f"{folder}/{relative}"
    try:
        if not downloads.has(key, publication.url):
            downloads.fetch(fetcher, key, publication.url)
        result.fetched.append(publication)
    except OutOfTime:
        raise
    except FetchError as exc:
        result.failures.append((publication.url, exc.reason))
        return None
    if folder == "reports":
        return _row(provider, publication, relative, None)
    try:
        pdf = read_pdf(downloads.path(key))
    except LacsError as exc:
        result.failures.append((publication.url, str(exc)))
        return None
    return _row(provider, publication, key, pdf.sha256, pdf.pages)


class Downloads:
    """One database's downloads from one site: files under `<cache>/<site>/`, and the journal
    of those this database fetched (`fetched/<db>.json`: key -> URL, size, SHA-256, mtime)."""

    def __init__(self, cache: Path, site: str, db_path: Path) -> None:
        self.root = cache / _site_key(site)
        self.db_key = hashlib.sha256(str(Path(db_path).resolve()).encode()).hexdigest()[:16]
        self.journal_path = self.root / "fetched" / f"{self.db_key}.json"
        self.entries: dict[str, dict] = self._load()

    def path(self, key: str) -> Path:
        return self.root / key

    def has(self, key: str, url: str) -> bool:
        """Whether the journal records this file as fetched from url, and it is still the file fetched."""
        entry = self.entries.get(key)
        return entry is not None and entry.get("url") == url and self._unchanged(key, entry)

    def fetch(self, fetcher: Fetcher, key: str, url: str) -> None:
        dest = fetcher.download(url, self.path(key))
        data = dest.read_bytes()
        stat = dest.stat()
        self.entries[key] = {"url": url, "size": stat.st_size, "mtime_ns": stat.st_mtime_ns,
                             "sha256": hashlib.sha256(data).hexdigest()}
        self._save()

    def staged(self) -> _Staging:
        """A folder holding (by hard link) the reports this database recorded fetching, no others."""
        return _Staging(self)

    def _unchanged(self, key: str, entry: dict) -> bool:
        try:
            stat = self.path(key).stat()
        except OSError:
            return False
        return stat.st_size == entry.get("size") and stat.st_mtime_ns == entry.get("mtime_ns")

    def _load(self) -> dict[str, dict]:
        try:
            files = json.loads(self.journal_path.read_text(encoding="utf-8")).get("files", {})
        except (OSError, ValueError, AttributeError):
            return {}
        return files if isinstance(files, dict) else {}

    def _save(self) -> None:
        self.journal_path.parent.mkdir(parents=True, exist_ok=True)
        temp = self.journal_path.with_name(self.journal_path.name + f".{os.getpid()}.part")
        try:
            temp.write_text(json.dumps({"files": self.entries}, indent=0, sort_keys=True), encoding="utf-8")
            os.replace(temp, self.journal_path)
        finally:
            temp.unlink(missing_ok=True)


class _Staging:
    def __init__(self, downloads: Downloads) -> None:
        self.downloads = downloads
        self.folder: Path | None = None

    def __enter__(self) -> Path:
        root = self.downloads.root
        root.mkdir(parents=True, exist_ok=True)
        for leftover in root.glob(f".staging-{self.downloads.db_key}-*"):  # of a killed run
            pid = leftover.name.rsplit("-", 2)[-2]
            if not (pid.isdigit() and process_alive(int(pid))):
                shutil.rmtree(leftover, ignore_errors=True)
        self.folder = Path(tempfile.mkdtemp(prefix=f".staging-{self.downloads.db_key}-{os.getpid()}-", dir=root))
        for key, entry in sorted(self.downloads.entries.items()):
            if not key.startswith("reports/") or not self.downloads._unchanged(key, entry):
                continue
            target = self.folder / key.removeprefix("reports/")
            target.parent.mkdir(parents=True, exist_ok=True)
            try:
                os.link(self.downloads.path(key), target)
            except OSError:
                shutil.copy2(self.downloads.path(key), target)
        return self.folder

    def __exit__(self, *exc: object) -> None:
        if self.folder is not None:
            shutil.rmtree(self.folder, ignore_errors=True)


def _site_key(site: str) -> str:
    """A folder name for a site: its host and port, and a hash of its whole address."""
    parts = urlsplit(site)
    host = re.sub(r"[^A-Za-z0-9.]+", "_", f"{parts.hostname}_{parts.port}" if parts.port else str(parts.hostname))
    return f"{host}-{hashlib.sha256(site.encode()).hexdigest()[:8]}"


def _row(provider: Provider, publication: Publication, path: str | None, sha256: str | None,
         pages: tuple[str, ...] = ()) -> store.PublicationRow:
    council = council_by_urn(provider.urn)
    return store.PublicationRow(publication.url, provider.urn, council.gss_code if council else None,
                                publication.kind, publication.published, publication.text, path, sha256, pages)


def _file_name(publication: Publication) -> str:
    """'<tag> children's services inspection - 19 may 2022.pdf', as the corpus names files (build
    reads the site date from it); the tag (the URL's last part and a hash of the whole URL)
    gives each URL a file of its own."""
    words = {"report": "children's services inspection"}.get(publication.kind, publication.kind.replace("_", " "))
    tag = re.sub(r"[^A-Za-z0-9]+", "", publication.url.rstrip("/").rsplit("/", 1)[-1])[:24]
    tag += "-" + hashlib.sha256(publication.url.encode()).hexdigest()[:8]
    day = publication.published.strftime("%-d %B %Y").lower() if publication.published else "undated"
    return f"{tag} {words} - {day}.pdf"


def _slug(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", " ", name.lower()).strip()


def _known(db_path: Path) -> tuple[set[str], set[tuple[int, str]]]:
    """What the database holds already; nothing if it is not a lacs database of this version
    (the build then starts it afresh). A publication stored unread by an earlier lacs (no date,
    or a kind it does not read) is not held: it is pending again."""
    if not check_lacs_database(db_path).ok:
        return set(), set()
    conn = connect_read_only(db_path)
    try:
        urls, dated = store.known_publications(conn)
        kinds = ", ".join("?" * len(_FOLDERS))
        unread = {url for (url,) in conn.execute(
            f"SELECT url FROM publications WHERE site_published IS NULL OR kind NOT IN ({kinds})", tuple(_FOLDERS))}
        return urls - unread, dated
    finally:
        conn.close()


def _reason(exc: Exception) -> str:
    return getattr(exc, "reason", None) or str(exc)


def _iso(day: date | None) -> str | None:
    return day.isoformat() if day else None
