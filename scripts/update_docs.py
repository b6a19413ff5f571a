"""Regenerate the documentation's generated blocks, each between its markers:

- every list of the settings (docs/settings.md, meltano.yml, the Meltano Hub definition), from
  `tap-pinterest-ads --about --format=json` (scripts/settings_lists.py);
- the layout of docs/development.md: the repository's top-level directories, and the modules of
  the tap and of the simulator, each with the first sentence of its docstring.

Run `.venv/bin/python -m scripts.update_docs`; tests/test_readme.py checks they are current.
"""

from __future__ import annotations

import ast
import fnmatch
import re
from pathlib import Path

from scripts import settings_lists
from scripts.settings_lists import HUB_DEFINITION, MELTANO_YML, SETTINGS_DOC

ROOT = Path(__file__).resolve().parents[1]
DEVELOPMENT_DOC = ROOT / "docs" / "development.md"
LAYOUT_MARKERS = ("<!-- layout:begin -->", "<!-- layout:end -->")
# The packages whose modules the layout lists one by one.
EXPANDED = ("tap_pinterest_ads", "pinterest_simulator")
# Directories without a docstring to describe them. A new one fails the run until it is added.
NOTES = {
    "docs": "This documentation; README.md is the front page.",
    "meltano-hub": "The Meltano Hub definition of the extractor.",
    "scripts": "The demo, and the generators of the report columns, lookup schemas and these docs.",
    "tests": "Unit, property-based and end-to-end tests (pytest).",
    "transform": "The dbt project: staging and report models, the cross-channel model, data tests.",
    "vendor": "Pinterest's OpenAPI description (MIT), see its SOURCE.md.",
    "tap_pinterest_ads/schemas": "JSON Schemas of the entity and lookup streams (generated).",
}


def _ignored(name: str) -> bool:
    """Top-level names git ignores (.gitignore patterns without a slash inside), hidden ones."""
    patterns = [
        line.strip().rstrip("/")
        for line in (ROOT / ".gitignore").read_text(encoding="utf-8").splitlines()
        if line.strip() and not line.startswith("#") and "/" not in line.strip().rstrip("/")
    ]
    return name.startswith(".") or any(fnmatch.fnmatch(name, p) for p in patterns)


def _summary(path: Path) -> str | None:
    """The first sentence of a module's docstring, on one line."""
    docstring = ast.get_docstring(ast.parse(path.read_text(encoding="utf-8")))
    if not docstring:
        return None
    paragraph = " ".join(docstring.split("\n\n")[0].split()).replace("``", "`")
    match = re.match(r"(.+?[.?])(\s|$)", paragraph)
    return match.group(1) if match else paragraph


def _describe(directory: Path) -> str:
    relative = directory.relative_to(ROOT).as_posix()
    init = directory / "__init__.py"
    text = NOTES.get(relative) or (_summary(init) if init.exists() else None)
    if text is None:
        raise SystemExit(f"describe {relative}/ in NOTES of scripts/update_docs.py")
    return text


def _package_rows(package: Path, depth: int) -> list[tuple[str, str]]:
    rows = []
    for path in sorted(package.iterdir()):
        indent = "  " * depth
        if path.is_dir() and (path / "__init__.py").exists():
            rows.append((f"{indent}{path.name}/", _describe(path)))
            rows.extend(_package_rows(path, depth + 1))
        elif path.suffix == ".py" and path.name != "__init__.py":
            summary = _summary(path)
            if summary is None:
                raise SystemExit(f"{path.relative_to(ROOT)} needs a module docstring")
            rows.append((f"{indent}{path.name}", summary))
    return rows


def layout() -> str:
    rows: list[tuple[str, str]] = []
    first = {name: index for index, name in enumerate(EXPANDED)}
    for path in sorted(ROOT.iterdir(), key=lambda p: (first.get(p.name, len(first)), p.name)):
        if not path.is_dir() or _ignored(path.name) or path.name == "__pycache__":
            continue
        rows.append((f"{path.name}/", _describe(path)))
        if path.name in EXPANDED:
            rows.extend(_package_rows(path, 1))
    width = max(len(name) for name, _ in rows) + 2
    return "```\n" + "\n".join(f"{name:<{width}}{text}" for name, text in rows) + "\n```"


def _between(markers: tuple[str, str], block: str, text: str) -> str:
    begin, end = markers
    replacement = f"{begin}\n{block}\n{end}"
    pattern = re.escape(begin) + ".*?" + re.escape(end)
    return re.sub(pattern, lambda _: replacement, text, flags=re.S)


def render_layout(text: str) -> str:
    return _between(LAYOUT_MARKERS, layout(), text)


def main() -> None:
    properties = settings_lists.about_settings()
    doc = SETTINGS_DOC.read_text(encoding="utf-8")
    SETTINGS_DOC.write_text(settings_lists.render_settings(doc, properties), encoding="utf-8")
    for path in (MELTANO_YML, HUB_DEFINITION):
        text = path.read_text(encoding="utf-8")
        path.write_text(settings_lists.render_yaml(text, properties), encoding="utf-8")
    DEVELOPMENT_DOC.write_text(
        render_layout(DEVELOPMENT_DOC.read_text(encoding="utf-8")), encoding="utf-8"
    )


if __name__ == "__main__":
    main()
