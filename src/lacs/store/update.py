"""`lacs update`: fetch what Ofsted has published since the last update and build it in.

    result = update(db_path, cache_folder)                  # Ofsted's site
    result = update(db_path, cache_folder, site="http://127.0.0.1:8000", delay=0)

1. Walk the listing of councils' children's services, page by page, then each council's page.
2. A publication is new unless its URL is stored, or (for a report) the database already has
   a report of that council with that site date (read from a folder by `lacs build`).
3. Download each new one into the cache folder (validated, renamed only when whole): reports
   to `reports/<urn>_<name>/`, letters (focused and monitoring visits...) to `letters/`.
4. Build the new reports in, with every publication's URL, kind and date, in one atomic
   write (build.py). What failed is listed with its URL and reason and changes nothing; a
   re-run fetches it again. An interrupted update keeps the files it finished, and the re-run
   builds them without fetching them again.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from lacs.domain.councils import Council, council_by_urn
from lacs.errors import FetchError, LacsError
from lacs.reports.pdf import read_pdf
from lacs.site.fetch import Fetcher
from lacs.site.listing import OFSTED, LayoutChanged, Provider, Publication, listing_url, read_listing, read_provider
from lacs.store import writes as store
from lacs.store.build import build
from lacs.store.schema import check_lacs_database, connect_read_only

MAX_LISTING_PAGES = 20  # 153 councils at 100 a page is 2; more means the paging is broken


@dataclass
class UpdateResult:
    providers: int = 0
    new: list[Publication] = field(default_factory=list)
    fetched: list[Publication] = field(default_factory=list)
    failures: list[tuple[str, str]] = field(default_factory=list)  # (url, reason)
    built: int = 0
    requests: int = 0

    @property
    def ok(self) -> bool:
        return not self.failures


def update(db_path: Path, cache: Path, site: str = OFSTED, council: Council | None = None,
           dry_run: bool = False, fetcher: Fetcher | None = None,
           on_progress: Callable[[str, int, int], None] | None = None) -> UpdateResult:
    """Fetch and build what is new; see the module's docstring. Raises LayoutChanged or a
    FetchError only when the listing itself cannot be read (nothing is then changed)."""
    fetcher = fetcher or Fetcher(cache=cache / "pages")
    result = UpdateResult()
    known_urls, known_dated = _known(db_path)
    providers = _providers(fetcher, site, council)
    result.providers = len(providers)
    found: list[tuple[Provider, Publication]] = []
    for n, provider in enumerate(providers, 1):
        try:
            publications = read_provider(fetcher.page(provider.url).text, provider.url)
        except (FetchError, LayoutChanged) as exc:
            result.failures.append((provider.url, _reason(exc)))
            continue
        found += [(provider, p) for p in publications]
        if on_progress:
            on_progress("council pages", n, len(providers))
    new = [(prov, p) for prov, p in found if p.url not in known_urls]
    built_already = [(prov, p) for prov, p in new if p.is_report and (prov.urn, _iso(p.published)) in known_dated]
    to_fetch = [pair for pair in new if pair not in built_already]
    result.new = [p for _, p in to_fetch]
    if dry_run:
        return result
    rows = [_row(prov, p, None, None) for prov, p in built_already]  # keep their URLs, fetch nothing
    for n, (provider, publication) in enumerate(to_fetch, 1):
        if publication.published is None or publication.kind not in _FOLDERS:
            rows.append(_row(provider, publication, None, None))  # a kind lacs does not read: listed only
        elif (row := _fetch(fetcher, cache, provider, publication, result)) is not None:
            rows.append(row)
        if on_progress:
            on_progress("downloads", n, len(to_fetch))
    result.requests = fetcher.requests
    if rows or (cache / "reports").is_dir():
        (cache / "reports").mkdir(parents=True, exist_ok=True)
        result.built = build([cache / "reports"], db_path, remove_missing=False, publications=rows).read
    return result


_FOLDERS = {"report": "reports", "focused_visit": "letters", "monitoring_visit": "letters",
            "joint_targeted_area_inspection": "letters"}


def _providers(fetcher: Fetcher, site: str, council: Council | None) -> list[Provider]:
    """Every provider in the listing, following its pages; LayoutChanged if it has none."""
    url: str | None = listing_url(site)
    providers: list[Provider] = []
    for _ in range(MAX_LISTING_PAGES):
        if url is None:
            break
        page = fetcher.page(url)
        found, url = read_listing(page.text, page.url)
        if not found and not providers:
            raise LayoutChanged(f"{page.url}: no councils in the listing (there were about 153 last time); "
                                "the site's layout may have changed, so nothing was changed")
        providers += [p for p in found if p.urn not in {q.urn for q in providers}]
        if not found:
            break
    if council is not None:
        providers = [p for p in providers if p.urn == council.urn]
        if not providers:
            raise LayoutChanged(f"{site}: {council.name} (URN {council.urn}) is not in the listing")
    return providers


def _fetch(fetcher: Fetcher, cache: Path, provider: Provider, publication: Publication,
           result: UpdateResult) -> store.PublicationRow | None:
    """Download one publication (unless a whole copy is in the cache from an interrupted run)."""
    folder = _FOLDERS[publication.kind]
    relative = Path(f"{provider.urn}_{_slug(provider.name)}") / _file_name(publication)
    dest = cache / folder / relative
    try:
        if not dest.is_file():
            fetcher.download(publication.url, dest)
        result.fetched.append(publication)
    except FetchError as exc:
        result.failures.append((publication.url, exc.reason))
        return None
    if folder == "reports":
        return _row(provider, publication, relative.as_posix(), None)
    try:
        pdf = read_pdf(dest)
    except LacsError as exc:
        result.failures.append((publication.url, str(exc)))
        return None
    return _row(provider, publication, f"letters/{relative.as_posix()}", pdf.sha256, pdf.pages)


def _row(provider: Provider, publication: Publication, path: str | None, sha256: str | None,
         pages: tuple[str, ...] = ()) -> store.PublicationRow:
    council = council_by_urn(provider.urn)
    return store.PublicationRow(publication.url, provider.urn, council.gss_code if council else None,
                                publication.kind, publication.published, publication.text, path, sha256, pages)


def _file_name(publication: Publication) -> str:
    """'children's services inspection - 19 may 2022.pdf', as the corpus names files (build
    reads the site date from it); the URL's last part keeps two files of one day apart."""
    words = {"report": "children's services inspection"}.get(publication.kind, publication.kind.replace("_", " "))
    tag = re.sub(r"[^A-Za-z0-9]+", "", publication.url.rstrip("/").rsplit("/", 1)[-1])[:24]
    day = publication.published.strftime("%-d %B %Y").lower() if publication.published else "undated"
    return f"{tag} {words} - {day}.pdf"


def _slug(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", " ", name.lower()).strip()


def _known(db_path: Path) -> tuple[set[str], set[tuple[int, str]]]:
    """What the database holds already; nothing if it is not a lacs database of this version
    (the build then starts it afresh)."""
    if not check_lacs_database(db_path).ok:
        return set(), set()
    conn = connect_read_only(db_path)
    try:
        return store.known_publications(conn)
    finally:
        conn.close()


def _reason(exc: Exception) -> str:
    return getattr(exc, "reason", None) or str(exc)


def _iso(day: date | None) -> str | None:
    return day.isoformat() if day else None
