"""`lacs publish DIR`: the dashboard as a static site with the data release (web/publish.py)."""

from __future__ import annotations

from pathlib import Path

import typer

from lacs.cli.common import BASE_URL_OPTION, DB_OPTION, _open, say
from lacs.cli.record import _progress_bar


def publish(
    folder: Path = typer.Argument(..., help="The folder to write the site into: new, empty, or one lacs "
                                            "published into before.", file_okay=False),
    base_url: str | None = BASE_URL_OPTION,
    db: Path | None = DB_OPTION,
) -> None:
    """Write the whole dashboard as static files, with the data release (CSV, Excel, Parquet,
    SQLite, datapackage.json), into a folder any static host can serve.

    Example:

    \b
        lacs publish site --base-url https://example.org/lacs
        python -m http.server --directory site 8001
    """
    from lacs.web.publish import publish as write_site

    with _progress_bar("writing pages") as advance:
        done = write_site(folder, _open(db), on_progress=advance, base_url=base_url)
    again = " (the previous release there replaced)" if done.replaced else ""
    line = f"lacs: published {done.pages} pages and the data release {done.release.version} into {done.folder}{again}"
    changes = done.release.changes
    if changes.previous:
        line += (f"; since release {changes.previous}: {_count(len(changes.new), 'new inspection')}, "
                 f"{len(changes.corrected)} corrected, {len(changes.removed)} no longer in the record")
    say(line)
    if not base_url:
        say("note: without --base-url the feeds' ids are tag: URIs and their self links assume the site is "
            "served from a host's root")


def _count(n: int, thing: str) -> str:
    return f"{n} {thing}" + ("" if n == 1 else "s")
