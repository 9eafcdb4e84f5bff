"""The command line, a thin layer: each command a few lines over the questions and the store
(app.py, official.py); common.py holds the shared options and the one map from error class to
exit code; render.py and grid.py draw terminal tables.
"""

from __future__ import annotations

import sys

from lacs import __version__


def main() -> None:
    """The `lacs` command. `lacs --version` alone is answered before the parser (typer, some
    40 ms to import) is loaded; everything else, `--version` with other words included, goes
    to the typer app in app.py."""
    if sys.argv[1:] == ["--version"]:
        print(f"lacs {__version__}")
        return
    from lacs.cli.app import app
    app(prog_name="lacs")


__all__ = ["main"]
