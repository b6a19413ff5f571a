"""The package's shape: small modules, and an import graph (read from the source with ast)
without a cycle, the report engine (reports/) below the streams and the tap.

Run-time imports count, at module level or in a function; those under `if TYPE_CHECKING:` are
never executed and only serve annotations, so they do not.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = "tap_pinterest_ads"
ROOT = Path(__file__).resolve().parents[1] / PACKAGE


def module_name(path: Path) -> str:
    parts = path.relative_to(ROOT.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


MODULES = {module_name(path): path for path in ROOT.rglob("*.py")}


def _is_type_checking(test: ast.expr) -> bool:
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def _run_time_imports(node: ast.AST) -> list[ast.Import | ast.ImportFrom]:
    found: list[ast.Import | ast.ImportFrom] = []
    for child in ast.iter_child_nodes(node):
        if isinstance(child, ast.If) and _is_type_checking(child.test):
            for other in child.orelse:
                found += _run_time_imports(other)
            continue
        if isinstance(child, (ast.Import, ast.ImportFrom)):
            found.append(child)
        found += _run_time_imports(child)
    return found


def imports_of(module: str) -> set[str]:
    """The modules of the package `module` imports at run time, and the top-level names of
    the other packages it imports.

    Importing `a.b.c` imports the packages `a` and `a.b` first; those edges are left out: a
    package's __init__ importing its own modules is no cycle in Python's eyes."""
    tree = ast.parse(MODULES[module].read_text(encoding="utf-8"))
    targets: set[str] = set()
    for node in _run_time_imports(tree):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        else:
            assert node.level == 0, f"{module}: relative import"
            base = node.module or ""
            names = [
                f"{base}.{alias.name}" if f"{base}.{alias.name}" in MODULES else base
                for alias in node.names
            ]
        for name in names:
            targets.add(name if name.startswith(PACKAGE) else name.split(".")[0])
    return targets - {module}


GRAPH = {module: {m for m in imports_of(module) if m in MODULES} for module in MODULES}


def find_cycle() -> list[str] | None:
    done: set[str] = set()

    def visit(module: str, path: list[str]) -> list[str] | None:
        if module in path:
            return [*path[path.index(module) :], module]
        if module in done:
            return None
        for target in sorted(GRAPH[module]):
            cycle = visit(target, [*path, module])
            if cycle:
                return cycle
        done.add(module)
        return None

    for module in sorted(GRAPH):
        cycle = visit(module, [])
        if cycle:
            return cycle
    return None


def test_the_package_imports_have_no_cycle() -> None:
    cycle = find_cycle()
    assert cycle is None, "import cycle: " + " -> ".join(cycle or [])


def test_the_graph_sees_the_imports() -> None:
    # The test above is only as good as the graph: a module known to import others.
    assert {f"{PACKAGE}.streams", f"{PACKAGE}.sdk_compat"} <= GRAPH[f"{PACKAGE}.tap"]
    assert f"{PACKAGE}.reports.job" in GRAPH[f"{PACKAGE}.reports.queue"]


def imported_with(module: str) -> set[str]:
    """Every name `module` imports at run time, directly or through the package's modules."""
    seen, todo = set(), [module]
    while todo:
        for name in imports_of(todo.pop()) - seen:
            seen.add(name)
            if name in MODULES:
                todo.append(name)
    return seen


REPORT_ENGINE = sorted(m for m in MODULES if m.startswith(f"{PACKAGE}.reports"))


@pytest.mark.parametrize("module", REPORT_ENGINE)
def test_the_report_engine_runs_without_singer_sdk(module: str) -> None:
    """reports/ is plain Python: neither it nor what it imports (the modules at the bottom
    of the graph) needs singer-sdk, so nothing above it (streams, tap) either."""
    imported = imported_with(module)
    assert "singer_sdk" not in imported
    assert not any(name.startswith(f"{PACKAGE}.streams") for name in imported)


# Written by scripts/generate_async_columns.py from the spec.
GENERATED = {f"{PACKAGE}.reports.async_columns"}
MAX_LINES = 300


def test_no_module_is_over_300_lines() -> None:
    lines = {
        module: len(path.read_text(encoding="utf-8").splitlines())
        for module, path in MODULES.items()
        if module not in GENERATED
    }
    assert {module: n for module, n in lines.items() if n > MAX_LINES} == {}
