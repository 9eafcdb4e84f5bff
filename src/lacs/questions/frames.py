"""The export tables as DataFrames: pandas, polars or a pyarrow Table, typed.

    import lacs
    db = lacs.open()                                       # the record, with .frame()
    history = db.frame("history")                          # pandas (pip install 'lacs[pandas]')
    history[["council", "end", "overall_effectiveness"]].dropna().sort_values("overall_effectiveness").head(3)
    #        council        end overall_effectiveness
    # 220     Slough 2013-12-11            inadequate       (inadequate first: the grades are ordered)
    latest = db.frame("latest", as_at=date(2024, 3, 31), library="polars")    # pip install 'lacs[polars]'
    latest.filter(pl.col("overall_effectiveness") >= "good").height          # 91 (of 151 with a grade)
    db.frame("judgements", library="arrow").schema.field("grade").metadata   # the order, in words

Every table of the exports (WHATS: latest, history, judgements, visits, improvements) with the
same columns, in the same order (lacs.questions.columns.EXPORT_COLUMNS), typed:

    type      pandas                           polars      arrow
    string    string (StringDtype)             String      string
    integer   Int64 (nullable)                 Int64       int64
    date      datetime64 (midnight)            Date        date32
    grade     ordered CategoricalDtype         Enum        dictionary<int8, string>, ordered

A grade column's categories are GRADE_ORDER, worst first: inadequate < adequate <
requires_improvement < good < outstanding, then not_judged. Adequate and requires_improvement
rank the same (3), which an ordered categorical cannot say: adequate, the older word, sits just
before requires_improvement, so comparisons with good, outstanding or inadequate are exact and
one with either tied word splits the tie (the judgements table's grade_rank holds the tie).
Not judged is no grade; it sorts last, after outstanding, beside the empty cells, so leave it
out before asking for "good or better" with >=. Sorting by a grade puts inadequate first.

Arrow keeps the order in the dictionary's indices (sort by `column.combine_chunks().indices`;
pyarrow cannot sort a dictionary column itself) and says it in each grade field's metadata.
pandas has no date-only type, so dates are datetime64 at midnight (`.dt.year` works); polars and
arrow have one. pandas and polars are optional: MissingPackage says how to install the one asked for.

`lacs.open()` returns a FramesDatabase: the store's Database (every method as before) with
frame(). The store cannot give frames itself, since the store sits below the questions.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

from lacs.errors import BadQuestion
from lacs.questions.columns import EXPORT_COLUMNS, GRADE_ORDER, needs
from lacs.questions.export import arrow_table, export_table
from lacs.store.database import Database, open_database

LIBRARIES = ("pandas", "polars", "arrow")


def frame(db: Database, what: str, *, as_at: date | None = None, library: str = "pandas") -> Any:
    """The table `what` (one of WHATS) as a pandas DataFrame, a polars DataFrame or a pyarrow
    Table (`library`); `as_at` is the day of the `latest` table (default today)."""
    if library not in LIBRARIES:
        raise BadQuestion("library", library, LIBRARIES)
    if library != "arrow":
        needs(library, f"library {library}", extra=library)
    table = arrow_table(export_table(db, what, as_at), ordered_grades=library != "polars")
    if library == "pandas":
        return _pandas(table, what)
    if library == "polars":
        return _polars(table, what)
    return table


def _pandas(table: Any, what: str) -> Any:
    import pandas as pd
    import pyarrow as pa

    types = {pa.string(): pd.StringDtype(), pa.int64(): pd.Int64Dtype()}
    found = table.to_pandas(types_mapper=types.get, date_as_object=False)
    for column in EXPORT_COLUMNS[what]:
        if column.type == "date":
            found[column.name] = found[column.name].astype("datetime64[ns]")
        elif column.type == "grade":  # arrow's ordered dictionary gives it; made sure of here
            found[column.name] = found[column.name].astype(pd.CategoricalDtype(GRADE_ORDER, ordered=True))
    return found


def _polars(table: Any, what: str) -> Any:
    import polars as pl

    grades = [c.name for c in EXPORT_COLUMNS[what] if c.type == "grade"]
    return pl.DataFrame(table).with_columns(pl.col(name).cast(pl.Enum(list(GRADE_ORDER))) for name in grades)


class FramesDatabase(Database):
    """The record (lacs.store.database.Database, every method as it is) with `frame()`."""

    def frame(self, what: str, *, as_at: date | None = None, library: str = "pandas") -> Any:
        """The table `what` as a DataFrame: see lacs.questions.frames.

            db.frame("history")                                  # pandas
            db.frame("latest", as_at=date(2024, 3, 31), library="polars")
            db.frame("judgements", library="arrow")
        """
        return frame(self, what, as_at=as_at, library=library)


def open_frames_database(path: Path | str | None = None) -> FramesDatabase:
    """`lacs.open()`: the record as lacs.store.database.open_database finds it (`path`, $LACS_DB,
    the built database, else the shipped dataset), as a FramesDatabase."""
    found = open_database(path)
    found.close()
    return FramesDatabase(found.path, shipped=found.shipped)
