"""Every list of the tap's settings, written from `tap-pinterest-ads --about --format=json`.

The settings are declared once, in tap_pinterest_ads/config_schema.py. Three files list them
again for their readers: the settings table of docs/settings.md, the extractor's `settings:` in
meltano.yml and the Meltano Hub definition (meltano-hub/extractors/tap-pinterest-ads.yml). Each
list sits between two marker lines; scripts/update_docs.py rewrites them and tests/test_readme.py
fails when one is not what these functions write.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
import textwrap
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SETTINGS_DOC = ROOT / "docs" / "settings.md"
MELTANO_YML = ROOT / "meltano.yml"
HUB_DEFINITION = ROOT / "meltano-hub" / "extractors" / "tap-pinterest-ads.yml"
BEGIN, END = "<!-- settings:begin -->", "<!-- settings:end -->"
YAML_BEGIN, YAML_END = "# settings:begin", "# settings:end"
_YAML_WIDTH = 96
_KIND_OF_JSON_TYPE = {"string": "string", "integer": "integer", "boolean": "boolean"}
_KIND_OF_JSON_TYPE |= {"array": "array", "object": "object"}
_PLAIN = re.compile(r"[A-Za-z0-9][A-Za-z0-9 _.()/,'-]*")


def about_settings() -> dict[str, dict]:
    """The `properties` of the settings schema `--about` shows, in order."""
    about = json.loads(
        subprocess.run(
            [sys.executable, "-m", "tap_pinterest_ads", "--about", "--format=json"],
            check=True,
            capture_output=True,
            text=True,
        ).stdout
    )
    return about["settings"]["properties"]


def settings_table(properties: dict[str, dict]) -> str:
    rows = ["| setting | type | default | secret | description |", "|---|---|---|---|---|"]
    for name, spec in properties.items():
        kind = spec.get("type") or "string or array"
        kind = " or ".join(t for t in kind if t != "null") if isinstance(kind, list) else kind
        default = f"`{json.dumps(spec['default'])}`" if "default" in spec else ""
        secret = "yes" if spec.get("secret") else ""
        text = spec.get("description", "").replace("|", "\\|")
        rows.append(f"| `{name}` | {kind} | {default} | {secret} | {text} |")
    return "\n".join(rows)


def meltano_kind(spec: dict) -> str:
    """The Meltano `kind` of a setting.

    A setting of several shapes (advertiser_ids: "123, 456" or a list) is a string: Meltano's
    `kind: array` would turn "1,2" into integers. Integer enums stay `integer`: option values
    from environment variables would reach the tap as text.
    """
    types = spec.get("type") or []
    types = {types} if isinstance(types, str) else set(types)
    types -= {"null"}
    if spec.get("format") == "date":
        return "date_iso8601"
    if "enum" in spec and types == {"string"}:
        return "options"
    if len(types) == 1:
        return _KIND_OF_JSON_TYPE.get(types.pop(), "string")
    return "string"


def option_label(value: str) -> str:
    """`TIME_OF_AD_ACTION` -> `Time of ad action`, `fail` -> `Fail`; `JSON` stays."""
    if value.isupper() and "_" not in value:
        return value
    return value.replace("_", " ").capitalize()


def _scalar(text: str) -> str:
    return text if _PLAIN.fullmatch(text) else json.dumps(text, ensure_ascii=False)


def meltano_settings(properties: dict[str, dict], indent: str) -> str:
    """The `settings:` items of a Meltano plugin definition, as YAML lines."""
    lines: list[str] = []
    for name, spec in properties.items():
        title = spec.get("title")
        if not title:
            msg = f"setting {name} has no title in config_schema.py (its label in Meltano)"
            raise SystemExit(msg)
        lines += [f"- name: {name}", f"  kind: {meltano_kind(spec)}", f"  label: {_scalar(title)}"]
        if spec.get("secret"):
            lines.append("  sensitive: true")
        description = spec.get("description") or title
        if spec.get("default") not in (None, [], {}):
            description += f" Default: {json.dumps(spec['default'])}."
        wrapped = textwrap.wrap(
            description,
            _YAML_WIDTH - len(indent) - 4,
            break_long_words=False,
            break_on_hyphens=False,
        )
        lines += ["  description: >-", *("    " + line for line in wrapped)]
        if meltano_kind(spec) == "options":
            lines.append("  options:")
            lines += [
                f"  - {{label: {_scalar(option_label(v))}, value: {_scalar(v)}}}"
                for v in spec["enum"]
                if v is not None
            ]
    return "\n".join(indent + line for line in lines)


def render_settings(doc: str, properties: dict[str, dict] | None = None) -> str:
    """docs/settings.md with its settings table regenerated."""
    block = f"{BEGIN}\n{settings_table(properties or about_settings())}\n{END}"
    return re.sub(re.escape(BEGIN) + ".*?" + re.escape(END), lambda _: block, doc, flags=re.S)


def render_yaml(text: str, properties: dict[str, dict] | None = None) -> str:
    """A Meltano YAML file with the list between its settings markers regenerated."""
    marker = re.compile(
        rf"^(?P<indent>[ ]*){re.escape(YAML_BEGIN)}[^\n]*\n.*?^[ ]*{re.escape(YAML_END)}[^\n]*$",
        flags=re.S | re.M,
    )
    match = marker.search(text)
    if match is None:
        msg = f"no {YAML_BEGIN} ... {YAML_END} lines"
        raise ValueError(msg)
    indent = match["indent"]
    first_line = match.group(0).split("\n", 1)[0]
    block = "\n".join(
        [
            first_line,
            meltano_settings(properties or about_settings(), indent),
            f"{indent}{YAML_END}",
        ]
    )
    return text[: match.start()] + block + text[match.end() :]
