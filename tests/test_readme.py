"""The README, docs/ and meltano.yml stay in step with the code, the tests and each other."""

from __future__ import annotations

import ast
import fnmatch
import re
from pathlib import Path

import pytest
import yaml

from scripts.settings_lists import (
    HUB_DEFINITION,
    MELTANO_YML,
    SETTINGS_DOC,
    about_settings,
    render_settings,
    render_yaml,
)
from scripts.update_docs import DEVELOPMENT_DOC, render_layout
from tap_pinterest_ads.tap import TapPinterestAds

ROOT = Path(__file__).resolve().parents[1]
README = ROOT / "README.md"
STREAMS_DOC = ROOT / "docs" / "streams.md"
RELIABILITY_DOC = ROOT / "docs" / "reliability.md"
DOCS = (README, *sorted((ROOT / "docs").glob("*.md")))
REGENERATE = "run: .venv/bin/python -m scripts.update_docs"
CONFIG = {"access_token": "fake-token"}


def tap_settings() -> set[str]:
    return set(TapPinterestAds.config_jsonschema["properties"])


@pytest.fixture(scope="module")
def about_properties() -> dict[str, dict]:
    return about_settings()


def streams():
    return TapPinterestAds(config=CONFIG, validate_config=False).streams.values()


def test_the_settings_table_is_generated_from_the_current_code(about_properties):
    doc = SETTINGS_DOC.read_text(encoding="utf-8")
    assert render_settings(doc, about_properties) == doc, REGENERATE


@pytest.mark.parametrize("path", [MELTANO_YML, HUB_DEFINITION], ids=["meltano.yml", "hub"])
def test_the_meltano_settings_lists_are_generated_from_the_current_code(path, about_properties):
    text = path.read_text(encoding="utf-8")
    assert render_yaml(text, about_properties) == text, REGENERATE


def test_every_stream_is_in_the_stream_catalogue_with_its_key():
    catalogue = STREAMS_DOC.read_text(encoding="utf-8")
    for stream in streams():
        row = re.search(rf"^\| `{stream.name}` \|.*$", catalogue, flags=re.M)
        assert row, f"{stream.name} is missing from the stream catalogue of docs/streams.md"
        for key in stream.primary_keys:
            assert f"`{key}`" in row.group(0), f"{stream.name}: key {key} not documented"


def test_meltano_yml_declares_every_setting_and_flags_the_secrets():
    project = yaml.safe_load((ROOT / "meltano.yml").read_text(encoding="utf-8"))
    extractor = next(
        e for e in project["plugins"]["extractors"] if e["name"] == "tap-pinterest-ads"
    )
    declared = {s["name"]: s for s in extractor["settings"]}
    assert tap_settings() <= set(declared)
    secrets = {"client_secret", "refresh_token", "access_token"}
    assert {name for name, s in declared.items() if s.get("sensitive")} == secrets


def test_every_stream_is_on_the_front_page():
    front_page = README.read_text(encoding="utf-8")
    missing = [s.name for s in streams() if f"`{s.name}`" not in front_page]
    assert missing == [], "add them to the README's streams at a glance"


def test_the_authorization_steps_send_continuous_refresh_for_apps_before_2025_09_25():
    doc = SETTINGS_DOC.read_text(encoding="utf-8")
    credentials = doc.split("## Credentials", 1)[1].split("\n## ", 1)[0]
    assert "grant_type=authorization_code" in credentials
    assert "continuous_refresh=true" in credentials
    assert "2025-09-25" in credentials


def test_the_layout_is_generated_from_the_current_tree():
    doc = DEVELOPMENT_DOC.read_text(encoding="utf-8")
    assert render_layout(doc) == doc, REGENERATE


def test_the_front_page_fits_on_two_screens():
    # The README is the front page; what does not fit belongs in docs/.
    assert len(README.read_text(encoding="utf-8").splitlines()) <= 100


# Tests the docs name -------------------------------------------------------------------------


def defined_tests() -> dict[str, set[str]]:
    """Test module (relative to tests/) -> the test functions it defines."""
    found = {}
    for path in (ROOT / "tests").rglob("test_*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        found[path.relative_to(ROOT / "tests").as_posix()] = {
            node.name
            for node in ast.walk(tree)
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef))
            and node.name.startswith("test_")
        }
    return found


def defined_in(defined: dict[str, set[str]], pattern: str) -> set[str]:
    """The tests of the modules a doc names: `tests/x/test_y.py`, `x/test_y.py` or `test_y.py`
    (any folder); a glob such as `test_reliability*.py` names each module it matches."""
    pattern = pattern.removeprefix("tests/")
    return {
        name
        for module, names in defined.items()
        if fnmatch.fnmatch(module, pattern) or fnmatch.fnmatch(module, f"*/{pattern}")
        for name in names
    }


def test_every_test_the_reliability_table_names_exists():
    """A bare name is in the module named before it in the same cell, else in the fault
    injection suite (tests/streams/test_reliability*.py)."""
    defined = defined_tests()
    unknown = []
    for line in RELIABILITY_DOC.read_text(encoding="utf-8").splitlines():
        if not line.startswith("| ") or line.startswith("| Fault "):
            continue
        module = "streams/test_reliability*.py"
        for ref in re.findall(r"`([^`]+)`", line.rstrip(" |").rsplit(" | ", 1)[1]):
            module, name = ref.split("::") if "::" in ref else (module, ref)
            if name not in defined_in(defined, module):
                unknown.append(f"{module}::{name}")
    assert len(re.findall(r"^\| ", RELIABILITY_DOC.read_text(encoding="utf-8"), re.M)) > 40
    assert unknown == []


def test_every_test_file_and_test_the_docs_name_exists():
    defined = defined_tests()
    unknown = []
    for doc in DOCS:
        text = doc.read_text(encoding="utf-8")
        for ref in re.findall(r"`((?:tests/)?[\w/]*test_\w+\.py)(?:::(test_\w+))?`", text):
            path, name = ref[0], ref[1]
            if not defined_in(defined, path) or (name and name not in defined_in(defined, path)):
                unknown.append(f"{doc.name}: {'::'.join(filter(None, ref))}")
    assert unknown == []


# Commands and links --------------------------------------------------------------------------


def commands_shown(doc: Path) -> list[str]:
    """The commands of a document's ```bash blocks: continuation lines joined, comments, `export`
    lines and output redirections dropped, the project's venv prefix removed."""
    commands = []
    for block in re.findall(r"^```bash\n(.*?)^```", doc.read_text(encoding="utf-8"), re.M | re.S):
        for raw in block.replace("\\\n", " ").splitlines():
            line = re.sub(r"\s+#\s.*$", "", raw).strip()
            if not line or line.startswith(("#", "export ")):
                continue
            command = re.sub(r"\s*>.*$", "", re.sub(r"^\.venv(-meltano)?/bin/", "", line))
            commands.append(" ".join(command.split()))
    return commands


def test_every_command_the_docs_show_is_in_the_table_of_what_runs_it():
    doc = DEVELOPMENT_DOC.read_text(encoding="utf-8")
    table = doc.split("## Every command the documentation shows", 1)[1].split("\n## ", 1)[0]
    entries = [
        re.escape(entry).replace("…", ".*")
        for row in re.findall(r"^\| (.*?) \| ", table, re.M)
        for entry in re.findall(r"`([^`]+)`", row)
    ]
    shown = {command for doc in DOCS for command in commands_shown(doc)}
    assert {"make test", "make demo", "meltano run tap-pinterest-ads target-postgres"} <= shown
    missing = sorted(c for c in shown if not any(re.fullmatch(e, c) for e in entries))
    assert missing == [], "add them to docs/development.md, with what runs them"


def anchors(doc: Path) -> set[str]:
    """GitHub's anchors for the headings of a Markdown file (code blocks skipped)."""
    text = re.sub(r"^```.*?^```", "", doc.read_text(encoding="utf-8"), flags=re.M | re.S)
    headings = re.findall(r"^#+ (.+)$", text, re.M)
    return {re.sub(r"[^\w\- ]", "", h.strip().lower()).replace(" ", "-") for h in headings}


def test_every_relative_link_of_the_docs_leads_somewhere():
    broken = []
    for doc in (*DOCS, ROOT / "pinterest_simulator" / "README.md"):
        text = re.sub(r"^```.*?^```", "", doc.read_text(encoding="utf-8"), flags=re.M | re.S)
        for target in re.findall(r"\]\(([^)\s]+)\)", text):
            if re.match(r"[a-z]+:", target):
                continue
            path, _, anchor = target.partition("#")
            resolved = (doc.parent / path).resolve() if path else doc
            if not resolved.exists() or (anchor and anchor not in anchors(resolved)):
                broken.append(f"{doc.relative_to(ROOT)}: {target}")
    assert broken == []
