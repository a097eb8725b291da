"""The package's shape: no import cycle, no module that holds two jobs, the CLI on top.

Read from the source with ``ast`` (nothing is imported), so a cycle hidden in a function's
body counts as much as one at the top of a module. Imports under ``if TYPE_CHECKING:`` are
left out: they never run.
"""

from __future__ import annotations

import ast
from pathlib import Path

SRC = Path(__file__).resolve().parents[1] / "src" / "relnotes"


def modules() -> dict[str, Path]:
    """Every module of the package by its dotted name (a package by its ``__init__``)."""
    found: dict[str, Path] = {}
    for path in sorted(SRC.rglob("*.py")):
        parts = list(path.relative_to(SRC.parent).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts.pop()
        found[".".join(parts)] = path
    return found


def _type_only(node: ast.AST) -> bool:
    if not isinstance(node, ast.If):
        return False
    test = node.test
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def imports(name: str, path: Path, known: dict[str, Path]) -> set[str]:
    """The package's modules that ``name`` imports when it runs, wherever the import stands."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    hidden = {id(n) for node in ast.walk(tree) if _type_only(node) for n in ast.walk(node)}
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found: set[str] = set()
    for node in ast.walk(tree):
        if id(node) in hidden:
            continue
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parts = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*parts, *([base] if base else [])])
            targets = [
                f"{base}.{alias.name}" if f"{base}.{alias.name}" in known else base
                for alias in node.names
            ]
        else:
            continue
        found.update(t for t in targets if t in known and t != name)
    return found


def graph() -> dict[str, set[str]]:
    known = modules()
    return {name: imports(name, path, known) for name, path in known.items()}


def cycles(edges: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components of more than one module (Tarjan, iteratively)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []
    for start, targets in edges.items():
        if start in index:
            continue
        work = [(start, iter(sorted(targets)))]
        index[start] = low[start] = len(index)
        stack.append(start)
        on_stack.add(start)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in index:
                    index[child] = low[child] = len(index)
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(edges[child]))))
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
            work.pop()
            if work:
                parent = work[-1][0]
                low[parent] = min(low[parent], low[node])
            if low[node] == index[node]:
                component: list[str] = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.append(member)
                    if member == node:
                        break
                if len(component) > 1:
                    found.append(sorted(component))
    return found


def test_the_cycle_finder_finds_a_cycle_hidden_in_a_function(tmp_path: Path) -> None:
    package = tmp_path / "relnotes"
    package.mkdir()
    (package / "a.py").write_text("import os\n\nfrom relnotes import b\n", encoding="utf-8")
    (package / "b.py").write_text("def f():\n    from relnotes.a import x\n", encoding="utf-8")
    (package / "c.py").write_text(
        "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from relnotes import a\n",
        encoding="utf-8",
    )
    known = {"relnotes.a": package / "a.py", "relnotes.b": package / "b.py"}
    known["relnotes.c"] = package / "c.py"
    edges = {name: imports(name, path, known) for name, path in known.items()}
    assert edges == {
        "relnotes.a": {"relnotes.b"},
        "relnotes.b": {"relnotes.a"},
        "relnotes.c": set(),
    }
    assert cycles(edges) == [["relnotes.a", "relnotes.b"]]


def test_no_import_cycle_in_the_package() -> None:
    edges = graph()
    assert len(edges) > 50  # the whole package was read
    assert cycles(edges) == []


def test_nothing_below_the_cli_imports_it() -> None:
    edges = graph()
    users = sorted(
        name
        for name, targets in edges.items()
        if not name.startswith("relnotes.cli")
        and name != "relnotes.__main__"
        and any(t == "relnotes.cli" or t.startswith("relnotes.cli.") for t in targets)
    )
    assert users == []
    assert "relnotes.cli" in edges["relnotes.__main__"]  # the console script's way in


#: The most lines a module holds: past it, a module holds two jobs (issue 13).
MAX_LINES = 500


def test_no_module_is_over_500_lines() -> None:
    sizes = {
        name: len(path.read_text(encoding="utf-8").splitlines()) for name, path in modules().items()
    }
    assert sizes["relnotes.git"] > 100  # the files were read
    assert {name: n for name, n in sizes.items() if n > MAX_LINES} == {}


def test_every_package_imported_at_run_time_is_a_dependency() -> None:
    """[project].dependencies is what src imports (type-only imports aside), no more, no less."""
    import re
    import sys
    import tomllib

    pyproject = tomllib.loads((SRC.parents[1] / "pyproject.toml").read_text(encoding="utf-8"))
    declared = {
        re.split(r"[<>=!~\[; ]", requirement, maxsplit=1)[0].lower()
        for requirement in pyproject["project"]["dependencies"]
    }
    # Import names that differ from the distribution's name.
    distribution = {"yaml": "pyyaml", "git": "gitpython"}
    imported: set[str] = set()
    for path in modules().values():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        hidden = {id(n) for node in ast.walk(tree) if _type_only(node) for n in ast.walk(node)}
        for node in ast.walk(tree):
            if id(node) in hidden:
                continue
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and not node.level and node.module:
                names = [node.module]
            else:
                continue
            imported.update(name.split(".")[0] for name in names)
    third_party = {
        distribution.get(name, name)
        for name in imported
        if name not in sys.stdlib_module_names and name != "relnotes"
    }
    assert "jinja2" in third_party  # the sources were read
    assert third_party == declared
