"""The package as others use it: its public names, `python -m lacs`, and its type information."""

from __future__ import annotations

import subprocess
import sys
import tomllib
from importlib.resources import files
from pathlib import Path

import lacs

PYPROJECT = Path(__file__).resolve().parents[1] / "pyproject.toml"


def test_the_public_names_are_pinned() -> None:
    # Adding or removing a public name is a change of the API: change this list on purpose.
    assert lacs.__all__ == [
        "AmbiguousCouncil", "Council", "Database", "EXTRACTOR_VERSION", "FramesDatabase", "Grade", "Inspection",
        "LacsError", "MissingPackage", "NoDatabase", "Record", "ReportError", "Summary", "UnknownCouncil",
        "extract_many", "extract_report", "find_reports", "open", "parse_grade", "resolve_council", "__version__",
    ]
    assert sorted(dir(lacs)) == sorted(lacs.__all__)


def test_every_public_name_resolves() -> None:
    for name in lacs.__all__:
        assert getattr(lacs, name) is not None, name
    assert lacs.open is lacs.questions.frames.open_frames_database
    assert issubclass(lacs.FramesDatabase, lacs.Database)
    assert isinstance(lacs.__version__, str) and lacs.__version__


def test_python_dash_m_lacs_is_the_command() -> None:
    done = subprocess.run([sys.executable, "-m", "lacs", "--version"], capture_output=True, text=True, timeout=60)
    assert (done.returncode, done.stdout.strip()) == (0, f"lacs {lacs.__version__}"), done.stderr


def test_py_typed_is_in_the_package_and_shipped_with_it() -> None:
    assert (files("lacs") / "py.typed").is_file()
    package_data = tomllib.loads(PYPROJECT.read_text())["tool"]["setuptools"]["package-data"]
    assert "py.typed" in package_data["lacs"]
