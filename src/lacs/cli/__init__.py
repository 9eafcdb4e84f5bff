"""The command line: `lacs COMMAND`, a thin layer over the questions and the store."""

from lacs.cli.app import app

__all__ = ["app"]
