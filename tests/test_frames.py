"""db.frame(): the export tables as pandas, polars and arrow frames, typed: grades ordered worst
first, dates as dates, the same columns as the exports; a missing library said in one line."""

from __future__ import annotations

import sys
from datetime import date

import pytest

import lacs
from lacs.errors import BadQuestion, MissingPackage
from lacs.questions.columns import EXPORT_COLUMNS, GRADE_ORDER, WHATS, column_names, date_columns
from lacs.questions.frames import FramesDatabase, frame
from lacs.store.database import Database
from lacs.store.schema import connect, create
from lacs.store.shipped import SHIPPED

pd = pytest.importorskip("pandas")
pl = pytest.importorskip("polars")
pa = pytest.importorskip("pyarrow")


@pytest.fixture(scope="module")
def db() -> FramesDatabase:
    return lacs.open(SHIPPED)


@pytest.fixture(scope="module")
def empty(tmp_path_factory) -> FramesDatabase:
    path = tmp_path_factory.mktemp("empty") / "lacs.db"
    conn = connect(path)
    create(conn)
    conn.close()
    return lacs.open(path)


def _grades(what: str) -> list[str]:
    return [c.name for c in EXPORT_COLUMNS[what] if c.type == "grade"]


def test_lacs_open_gives_the_database_with_frames(db):
    assert isinstance(db, FramesDatabase) and isinstance(db, Database)
    assert db.shipped is False and db.path == SHIPPED  # as lacs.open(path) always opened it
    assert len(db.inspections()) == 717  # every method as before


# --- pandas ---------------------------------------------------------------------------------------

@pytest.mark.parametrize("what", WHATS)
def test_pandas_frames_have_the_export_columns_typed(db, what):
    found = db.frame(what)
    assert list(found.columns) == column_names(what)
    kinds = {"string": pd.StringDtype(), "integer": pd.Int64Dtype(), "date": "datetime64[ns]",
             "grade": pd.CategoricalDtype(GRADE_ORDER, ordered=True)}
    assert {c: found[c].dtype for c in found.columns} == {c.name: kinds[c.type] for c in EXPORT_COLUMNS[what]}


def test_pandas_sorts_grades_worst_first_and_compares_them(db):
    history = db.frame("history")
    graded = history.dropna(subset=["overall_effectiveness"]).sort_values("overall_effectiveness")
    assert graded["overall_effectiveness"].iloc[0] == "inadequate"
    assert graded["overall_effectiveness"].iloc[-1] == "outstanding"
    assert list(history["overall_effectiveness"].cat.categories) == list(GRADE_ORDER)
    good = (history["overall_effectiveness"] >= "good").sum()
    assert good == sum(1 for i in db.inspections() if i.overall and i.overall.rank and i.overall.rank <= 2)
    manchester = history[(history["council"] == "Manchester") & (history["end"] == pd.Timestamp(2022, 4, 1))]
    assert list(manchester["overall_effectiveness"]) == ["good"]
    assert history["end"].dt.year.max() >= 2025


def test_pandas_latest_is_as_at_a_day(db):
    latest = db.frame("latest", as_at=date(2024, 3, 31))
    assert len(latest) == 153 and latest["end"].max() <= pd.Timestamp(2024, 3, 31)


# --- polars ---------------------------------------------------------------------------------------

@pytest.mark.parametrize("what", WHATS)
def test_polars_frames_have_the_export_columns_typed(db, what):
    found = db.frame(what, library="polars")
    kinds = {"string": pl.String, "integer": pl.Int64, "date": pl.Date, "grade": pl.Enum(list(GRADE_ORDER))}
    assert found.schema == pl.Schema({c.name: kinds[c.type] for c in EXPORT_COLUMNS[what]})


def test_polars_sorts_grades_worst_first_and_compares_them(db):
    judgements = db.frame("judgements", library="polars")
    graded = judgements.filter(pl.col("grade") != "not_judged").sort("grade")
    assert graded["grade"][0] == "inadequate" and graded["grade"][-1] == "outstanding"
    assert graded.sort("grade")["grade_rank"].is_sorted(descending=True)  # rank 4 (inadequate) first
    latest = db.frame("latest", as_at=date(2024, 3, 31), library="polars")
    good = latest.filter(pl.col("overall_effectiveness") >= "good").height
    assert 0 < good < 153 and latest["end"].max() <= date(2024, 3, 31)


# --- arrow ----------------------------------------------------------------------------------------

@pytest.mark.parametrize("what", WHATS)
def test_arrow_tables_have_the_export_columns_typed_with_the_order_in_the_metadata(db, what):
    found = db.frame(what, library="arrow")
    assert found.column_names == column_names(what)
    for name in date_columns(what):
        assert found.schema.field(name).type == pa.date32()
    for name in _grades(what):
        field = found.schema.field(name)
        assert field.type == pa.dictionary(pa.int8(), pa.string(), ordered=True)
        assert field.metadata[b"grade_order"].decode() == ",".join(GRADE_ORDER)
        assert found.column(name).combine_chunks().dictionary.to_pylist() == list(GRADE_ORDER)
    assert all(b"description" in (found.schema.field(c).metadata or {}) for c in found.column_names)


def test_arrow_grades_sort_worst_first_by_their_indices(db):
    import pyarrow.compute as pc

    grades = db.frame("judgements", library="arrow").column("grade").combine_chunks()
    ordered = grades.take(pc.sort_indices(grades.indices)).to_pylist()  # arrow cannot sort a dictionary itself
    assert ordered[0] == "inadequate" and ordered[-1] == "not_judged"


# --- fixed columns, a missing library, a bad question -----------------------------------------------

@pytest.mark.parametrize("library", ["pandas", "polars", "arrow"])
def test_an_empty_record_gives_the_same_typed_columns(db, empty, library):
    for what in WHATS:
        full, none = db.frame(what, library=library), empty.frame(what, library=library)
        if library == "pandas":
            assert list(full.dtypes.items()) == list(none.dtypes.items())
        else:
            assert full.schema == none.schema
        assert len(none) == (153 if what == "latest" else 0)


@pytest.mark.parametrize("library", ["pandas", "polars"])
def test_a_missing_library_is_said_in_one_line_with_how_to_install_it(db, monkeypatch, library):
    monkeypatch.setitem(sys.modules, library, None)  # `import pandas` now raises ImportError
    with pytest.raises(MissingPackage) as raised:
        db.frame("history", library=library)
    assert str(raised.value) == (f"library {library}: needs the {library} package, which is not installed; install "
                                 f"it with `pip install 'lacs[{library}]'`")


def test_a_library_lacs_does_not_know_and_as_at_on_another_table_are_refused(db):
    with pytest.raises(BadQuestion, match="^library 'numpy': accepted are pandas, polars, arrow$"):
        frame(db, "history", library="numpy")
    with pytest.raises(BadQuestion, match="as at applies to what latest only"):
        db.frame("history", as_at=date(2024, 3, 31))
    with pytest.raises(BadQuestion, match="^what 'councils': accepted are latest, history"):
        db.frame("councils")
