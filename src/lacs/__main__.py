"""`python -m lacs`: the same as the `lacs` command."""

from lacs.cli import main

main()
