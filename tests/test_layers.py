"""The layers: each subpackage imports only the layers below it, and no module imports itself
back through others, deferred imports (inside functions, under TYPE_CHECKING) included."""

from __future__ import annotations

import ast
from pathlib import Path

SRC = Path(__file__).resolve().parents[1] / "src" / "lacs"

# Lower numbers are lower layers. A module may import its own subpackage and lower layers.
# `lacs` itself (the package root) gives only __version__, so it counts as the bottom.
RANK = {
    "lacs": 0, "errors": 0,
    "domain": 1,
    "reports": 2, "official": 2,
    "site": 3,  # downloads are checked with the PDF reader
    "store": 4,
    "questions": 5,
    "web": 6,
    "cli": 7,  # `lacs serve` starts the web app
    "__main__": 8,
}


def module_name(path: Path) -> str:
    parts = path.relative_to(SRC.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imports_of(path: Path) -> set[str]:
    """Every lacs module the file imports, anywhere in it."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(a.name for a in node.names if a.name.split(".")[0] == "lacs")
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and (node.module or "").split(".")[0] == "lacs":
            assert node.module
            found.add(node.module)
            found.update(f"{node.module}.{a.name}" for a in node.names if (SRC.parent / node.module.replace(".", "/")
                                                                           / f"{a.name}.py").exists())
        elif isinstance(node, ast.ImportFrom) and node.level:
            raise AssertionError(f"{path}: relative import; lacs uses absolute imports")
    return found


def layer(module: str) -> str:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else "lacs"


def graph() -> dict[str, set[str]]:
    modules = {module_name(p): p for p in SRC.rglob("*.py")}
    return {name: {m for m in imports_of(path) if m in modules and m != name} for name, path in modules.items()}


def test_every_subpackage_has_a_rank():
    packages = {p.name for p in SRC.iterdir() if p.is_dir() and (p / "__init__.py").exists()}
    assert packages <= set(RANK), f"give these a place in RANK: {packages - set(RANK)}"


def test_each_layer_imports_only_the_layers_below_it():
    wrong = [f"{name} imports {imported}" for name, imported_set in graph().items() for imported in imported_set
             if layer(name) != layer(imported) and RANK[layer(imported)] >= RANK[layer(name)]]
    assert not wrong, "\n".join(sorted(wrong))


def test_no_import_cycles():
    edges = graph()
    cycles: list[list[str]] = []

    def visit(node: str, path: list[str]) -> None:
        for nxt in edges[node]:
            if nxt in path:
                cycles.append(path[path.index(nxt):] + [nxt])
            elif nxt not in done:
                visit(nxt, path + [nxt])
        done.add(node)

    done: set[str] = set()
    for start in sorted(edges):
        if start not in done:
            visit(start, [start])
    # a subpackage's __init__ re-exporting its own modules is not a cycle of ideas
    cycles = [c for c in cycles if not any(m.count(".") == 1 and c[0].startswith(m + ".") for m in c)]
    assert not cycles, "\n".join(" -> ".join(c) for c in cycles)


def test_the_test_sees_an_import_that_breaks_the_order(tmp_path):
    bad = tmp_path / "bad.py"
    bad.write_text("def f():\n    from lacs.cli.app import app\n")
    assert "lacs.cli.app" in imports_of(bad)


# --- the framework registry is the only place a framework is named -----------------------------

REGISTRY = SRC / "domain" / "frameworks.py"
# Ofsted's spreadsheets name their column groups "sif", "ilacs"...: there those words are the
# spreadsheet's own vocabulary (stored as official_rows.part), each group pointing at a registry entry.
SPREADSHEET_VOCABULARY = SRC / "official" / "tables.py"


def framework_keys() -> set[str]:
    from lacs.domain.frameworks import frameworks
    return {f.key for f in frameworks()}


def framework_constants() -> set[str]:
    import lacs.domain.frameworks as registry
    return {name for name, value in vars(registry).items() if isinstance(value, registry.Framework)}


def spelt_framework_ids(path: Path) -> list[str]:
    """Where a module outside the registry compares with or spells a framework's id."""
    keys, constants = framework_keys(), framework_constants()
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Compare):
            for side in [node.left, *node.comparators]:
                for part in ast.walk(side):
                    if isinstance(part, ast.Constant) and part.value in keys:
                        found.append(f"{path.name}:{node.lineno}: compares with {part.value!r}")
                    if isinstance(part, ast.Name) and part.id in constants:
                        found.append(f"{path.name}:{node.lineno}: compares with {part.id}")
        elif (isinstance(node, ast.Constant) and isinstance(node.value, str) and node.value in keys
              and path != SPREADSHEET_VOCABULARY):
            found.append(f"{path.name}:{node.lineno}: spells {node.value!r}")
    return found


def test_no_module_outside_the_registry_compares_or_spells_a_framework_id():
    found = [f for path in sorted(SRC.rglob("*.py")) if path != REGISTRY for f in spelt_framework_ids(path)]
    assert not found, "ask the registry instead:\n" + "\n".join(found)


def test_the_framework_check_sees_a_comparison_and_a_spelling(tmp_path):
    bad = tmp_path / "bad.py"
    bad.write_text('def f(i):\n    return i.framework == "ilacs_2026" or i.framework in (SIF.key,)\nX = "pre_sif"\n')
    found = "\n".join(spelt_framework_ids(bad))
    assert "bad.py:2: compares with 'ilacs_2026'" in found and "bad.py:2: compares with SIF" in found
    assert "bad.py:3: spells 'pre_sif'" in found


def test_no_test_imports_another_test():
    """Shared fixtures live in conftest.py and shared helpers in plain modules (samples.py, pdfs.py...)."""
    tests = Path(__file__).resolve().parent
    names = {p.stem for p in tests.glob("test_*.py")}
    found = [f"{path.name} imports {module}" for path in sorted(tests.glob("*.py"))
             for module in top_level_imports(path) if module in names]
    assert not found, "\n".join(found)


def test_all_sql_lives_in_the_store():
    outside = [path for path in sorted(SRC.rglob("*.py")) if "store" not in path.relative_to(SRC).parts]
    found = [f"{path.relative_to(SRC)} imports sqlite3" for path in outside if "sqlite3" in top_level_imports(path)]
    assert not found, "\n".join(found)


def top_level_imports(path: Path) -> set[str]:
    """The top-level names of every module the file imports, lacs's and others'."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(a.name.split(".")[0] for a in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            found.add(node.module.split(".")[0])
    return found


def test_no_module_is_over_600_lines():
    long = [f"{p.relative_to(SRC)}: {n} lines" for p in sorted(SRC.rglob("*.py"))
            if (n := len(p.read_text(encoding="utf-8").splitlines())) > 600]
    assert not long, "split these:\n" + "\n".join(long)
