"""The SQLite store: the schema, opening and the one lacs-database check (schema.py), every write
(writes.py, pages.py), one writer at a time on a copy (files.py), building from report files
(build.py), official rows beside reports (reconcile.py), updating from the site (update.py), the
shipped dataset (shipped.py) and the read API `Database` (database.py). All SQL lives here.
"""
