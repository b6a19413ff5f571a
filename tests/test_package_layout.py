"""The package's shape: small modules, and the report engine (reports/) below the streams and
the tap, plain Python without singer-sdk. (No import cycle anywhere: tests/test_import_graph.py.)
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from tests.test_import_graph import _run_time_imports, import_graph, module_files

PACKAGE = "tap_pinterest_ads"
ROOT = Path(__file__).resolve().parents[1]
MODULES = module_files(ROOT, (PACKAGE,))
GRAPH = import_graph(ROOT, (PACKAGE,))


def top_level_imports(module: str) -> set[str]:
    """The top-level names of the absolute imports `module` runs (singer_sdk, json, …)."""
    tree = ast.parse(MODULES[module].read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in _run_time_imports(tree):
        if isinstance(node, ast.Import):
            names |= {alias.name.split(".")[0] for alias in node.names}
        elif node.level == 0 and node.module:
            names.add(node.module.split(".")[0])
    return names


def imported_with(module: str) -> set[str]:
    """`module` and every module of the package it imports at run time, directly or not."""
    seen, todo = {module}, [module]
    while todo:
        for name in GRAPH[todo.pop()] - seen:
            seen.add(name)
            todo.append(name)
    return seen


def test_the_graph_sees_the_imports() -> None:
    # The tests below are only as good as the graph: a module known to import others.
    assert {f"{PACKAGE}.streams", f"{PACKAGE}.sdk_compat"} <= GRAPH[f"{PACKAGE}.tap"]
    assert f"{PACKAGE}.reports.job" in GRAPH[f"{PACKAGE}.reports.queue"]
    assert "singer_sdk" in top_level_imports(f"{PACKAGE}.sdk_compat")


REPORT_ENGINE = sorted(m for m in MODULES if m.startswith(f"{PACKAGE}.reports"))


@pytest.mark.parametrize("module", REPORT_ENGINE)
def test_the_report_engine_runs_without_singer_sdk(module: str) -> None:
    """reports/ is plain Python: neither it nor what it imports (the modules at the bottom
    of the graph) needs singer-sdk, so nothing above it (streams, tap) either."""
    imported = imported_with(module)
    assert not any("singer_sdk" in top_level_imports(m) for m in imported)
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
