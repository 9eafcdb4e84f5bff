"""The command line, a thin layer: each command a few lines over the questions and the store
(app.py, official.py); common.py holds the shared options and the one map from error class to
exit code; render.py and grid.py draw terminal tables.
"""

from lacs.cli.app import app

__all__ = ["app"]
