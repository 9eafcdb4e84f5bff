"""The one error tree: drawn in errors.py's docstring, every class in it, every class with an exit
code, and a question's parameter named as each caller knows it (the CLI --as-at, the API as_at)."""

from __future__ import annotations

import pickle
import re
from importlib import import_module
from pathlib import Path

from fastapi.testclient import TestClient
from typer.testing import CliRunner

import lacs.errors
from lacs.cli.app import app
from lacs.cli.common import EXIT_CODES, exit_code, option
from lacs.errors import BadDate, BadQuestion, LacsError, QuestionError
from lacs.store.shipped import SHIPPED
from lacs.web.app import create_app

SRC = Path(lacs.errors.__file__).parent


def every_subclass(cls: type) -> set[type]:
    found = set(cls.__subclasses__())
    for sub in list(found):
        found |= every_subclass(sub)
    return found


def import_everything() -> None:
    for path in SRC.rglob("*.py"):
        name = ".".join(path.relative_to(SRC.parent).with_suffix("").parts).removesuffix(".__init__")
        if name != "lacs.__main__":
            import_module(name)


def drawn() -> dict[str, str]:
    """Each class in the docstring's tree, and its parent there."""
    parents: dict[str, str] = {}
    stack: list[tuple[int, str]] = []
    for line in lacs.errors.__doc__.splitlines():
        m = re.match(r"^(\s*(?:[│ ]   )*(?:[├└]── )?)(\w+)", line)
        if not m or not re.search(r"LacsError|[├└]── ", line):
            continue
        depth = len(m.group(1))
        while stack and stack[-1][0] >= depth:
            stack.pop()
        parents[m.group(2)] = stack[-1][1] if stack else ""
        stack.append((depth, m.group(2)))
    return parents


def test_the_tree_in_the_docstring_is_every_error_and_its_parent() -> None:
    import_everything()
    classes = every_subclass(LacsError) | {LacsError}
    assert {c.__module__ for c in classes} == {"lacs.errors"}, "every error is defined in errors.py"
    tree = drawn()
    assert set(tree) == {c.__name__ for c in classes}
    for cls in classes - {LacsError}:
        lacs_bases = [b.__name__ for b in cls.__bases__ if issubclass(b, LacsError)]
        assert lacs_bases == [tree[cls.__name__]], cls


def test_every_error_has_an_exit_code_and_each_group_its_own() -> None:
    import_everything()
    assert all(isinstance(exit_code(cls.__new__(cls)), int) for cls in every_subclass(LacsError))
    groups = set(LacsError.__subclasses__())
    assert groups <= set(EXIT_CODES), "each group of the tree is in the table"
    assert exit_code(lacs.errors.BuildLocked("x")) == 3 and exit_code(lacs.errors.NoDatabase("x")) == 2


def test_a_question_error_speaks_in_neither_flags_nor_api_names_unless_asked() -> None:
    error = BadQuestion("start", "2024-01-01", "a day on or before the end", "{parameter} {value} is after {end} "
                        "{end_value}", {"end": "2023-01-01"})
    assert str(error) == "start 2024-01-01 is after end 2023-01-01"
    assert error.spoken(option) == "--from 2024-01-01 is after --to 2023-01-01"
    assert (error.parameter, error.value, error.parameters) == ("start", "2024-01-01", ["start", "end"])
    again = pickle.loads(pickle.dumps(BadDate("as_at", "yesterday")))
    assert isinstance(again, BadDate) and again.spoken(option) == BadDate("as_at", "yesterday").spoken(option)
    assert isinstance(BadDate("as_at", "x"), QuestionError) and "--" not in str(BadDate("with_", "x"))


def test_the_cli_says_as_at_and_the_api_as_at_for_the_same_bad_date() -> None:
    result = CliRunner().invoke(app, ["snapshot", "--as-at", "31/03/2024", "--db", str(SHIPPED)])
    assert result.exit_code == 2
    assert result.stderr.strip() == "error: --as-at '31/03/2024' is not a date; give it as YYYY-MM-DD, e.g. 2024-03-31"
    response = TestClient(create_app(SHIPPED)).get("/api/v1/snapshot", params={"as_at": "31/03/2024"})
    assert response.status_code == 422
    [detail] = response.json()["detail"]
    assert detail["loc"] == ["query", "as_at"] and detail["type"] == "value_error"
    assert detail["msg"] == "as_at '31/03/2024' is not a date; give it as YYYY-MM-DD, e.g. 2024-03-31"


def test_the_api_names_the_parameter_at_fault_as_its_url_does() -> None:
    client = TestClient(create_app(SHIPPED))
    [detail] = client.get("/api/v1/changes", params={"from": "2024-01-01", "to": "2023-01-01"}).json()["detail"]
    assert detail["loc"] == ["query", "from"] and detail["msg"].startswith("from 2024-01-01 is after to 2023-01-01")
    [detail] = client.get("/api/v1/snapshot", params={"judgement": "leaders"}).json()["detail"]
    assert detail["loc"] == ["query", "judgement"] and "--" not in detail["msg"]
    assert "overall_effectiveness" in detail["ctx"]["accepted"] and detail["input"] == "leaders"
