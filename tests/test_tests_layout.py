"""The tests' own shape: small modules in folders that mirror the package, and one copy of each
shared fixture (tests/conftest.py), so a newcomer finds a behaviour's tests where its code is."""

from __future__ import annotations

import ast
from pathlib import Path

TESTS = Path(__file__).resolve().parent
MAX_LINES = 300
# Modules still over MAX_LINES, each with the size it may not grow past: split one by behaviour,
# then remove it here (the test fails on an entry that is no longer needed).
OVERSIZED: dict[str, int] = {}
# Folders of test modules: the package's parts, and the kinds of tests that span them.
FOLDERS = {"tap", "streams", "reports", "simulator", "property", "e2e"}
# Project-wide checks that stay at the top of tests/.
TOP_LEVEL_TESTS = {
    "test_contract_fixtures.py",
    "test_contract_requests.py",
    "test_contract_responses.py",
    "test_contract_spec.py",
    "test_import_graph.py",
    "test_package_layout.py",
    "test_readme.py",
    "test_tests_layout.py",
}
SHARED_FIXTURES = {"dataset", "sim", "quick_polls", "api"}
# The simulator's own tests build it as their subject: over a dataset of its own per test (its
# tests remove entities), or with the options under test.
OWN_SIMULATOR = {"simulator/conftest.py", "simulator/test_rate_limits.py"}


def modules() -> dict[str, Path]:
    return {p.relative_to(TESTS).as_posix(): p for p in sorted(TESTS.rglob("*.py"))}


def lines_of(path: Path) -> int:
    return len(path.read_text(encoding="utf-8").splitlines())


def test_no_module_of_the_tests_exceeds_300_lines():
    sizes = {name: lines_of(path) for name, path in modules().items()}
    too_long = {name: size for name, size in sizes.items() if size > OVERSIZED.get(name, MAX_LINES)}
    assert too_long == {}, f"split by behaviour into modules of at most {MAX_LINES} lines"


def test_the_list_of_oversized_modules_only_names_modules_still_over_300_lines():
    sizes = {name: lines_of(path) for name, path in modules().items()}
    stale = sorted(name for name in OVERSIZED if sizes.get(name, 0) <= MAX_LINES)
    assert stale == [], "remove them from OVERSIZED"


def test_every_test_module_sits_in_a_folder_that_mirrors_the_package():
    misplaced = [
        name
        for name in modules()
        if ("/" in name and name.split("/", 1)[0] not in FOLDERS)
        or ("/" not in name and name.startswith("test_") and name not in TOP_LEVEL_TESTS)
    ]
    assert misplaced == []


def fixtures_per_test(path: Path) -> dict[str, list[str]]:
    """Fixture name -> the names of its parameters, for each function-scoped @pytest.fixture of
    a module (a module-scoped simulator, for read-only or hypothesis tests, is another thing)."""
    found = {}
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if not isinstance(node, ast.FunctionDef):
            continue
        for decorator in node.decorator_list:
            target = decorator.func if isinstance(decorator, ast.Call) else decorator
            scoped = isinstance(decorator, ast.Call) and any(
                k.arg == "scope" for k in decorator.keywords
            )
            if isinstance(target, ast.Attribute) and target.attr == "fixture" and not scoped:
                found[node.name] = [a.arg for a in node.args.args]
    return found


def test_the_shared_fixtures_are_defined_once_in_conftest():
    """A module shapes them with DATASET / SIMULATOR; it may extend one (`def sim(sim)`), never
    copy it. The end-to-end tests keep their own long-lived simulator (tests/e2e/conftest.py)."""
    copies = [
        f"{name}::{fixture}"
        for name, path in modules().items()
        if name != "conftest.py" and not name.startswith("e2e/") and name not in OWN_SIMULATOR
        for fixture, params in fixtures_per_test(path).items()
        if fixture in SHARED_FIXTURES and fixture not in params
    ]
    assert copies == []
