"""`python -m lacs`: the same as the `lacs` command."""

from lacs.cli import app

app(prog_name="lacs")
