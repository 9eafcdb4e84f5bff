"""The command line, a thin layer: each command a few lines over the questions and the store.
app.py has the questions; record.py the commands that read reports or change the record
(extract, build, status, update); official.py `lacs official`; common.py the shared options and
the one map from error class to exit code; render.py and grid.py draw terminal tables.
"""

from __future__ import annotations

import contextlib
import errno
import os
import sys

from lacs import __version__


def main() -> None:
    """The `lacs` command. `lacs --version` alone is answered before the parser (typer, some
    40 ms to import) is loaded; everything else, `--version` with other words included, goes
    to the typer app in app.py, whose Commands.invoke ends every command's errors. What is left
    for here: standard output failing outside a command (`lacs --help > /dev/full`), and
    Ctrl-C while loading; each one line and an exit code as Commands.invoke gives them."""
    code: object = 0
    try:
        try:
            if sys.argv[1:] == ["--version"]:
                print(f"lacs {__version__}")
            else:
                from lacs.cli.app import app
                app(prog_name="lacs")
        except SystemExit as done:
            code = done.code
        if sys.stdout is not None:
            sys.stdout.flush()
    except KeyboardInterrupt:
        _say("interrupted")
        code = 130
    except OSError as error:
        if error.filename is not None or sys.stdout is None:
            raise
        with contextlib.suppress(OSError, ValueError):  # so that the flush at exit cannot fail again
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, sys.stdout.fileno())
            os.close(devnull)
        if error.errno == errno.EPIPE:
            code = 1
        else:
            _say(f"error: standard output: {os.strerror(error.errno or 0).lower()}")
            code = 74
    raise SystemExit(code)


def _say(line: str) -> None:
    with contextlib.suppress(OSError, ValueError, AttributeError):
        print(line, file=sys.stderr)


__all__ = ["main"]
