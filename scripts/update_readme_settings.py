"""Regenerate the README's settings table from `tap-pinterest-ads --about --format=json`.

Run `.venv/bin/python scripts/update_readme_settings.py`; tests/test_readme.py checks it is current.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

README = Path(__file__).resolve().parents[1] / "README.md"
BEGIN, END = "<!-- settings:begin -->", "<!-- settings:end -->"


def settings_table() -> str:
    about = json.loads(
        subprocess.run(
            [sys.executable, "-m", "tap_pinterest_ads", "--about", "--format=json"],
            check=True,
            capture_output=True,
            text=True,
        ).stdout
    )
    rows = ["| setting | type | default | secret | description |", "|---|---|---|---|---|"]
    for name, spec in about["settings"]["properties"].items():
        kind = spec.get("type") or "string or array"
        kind = " or ".join(t for t in kind if t != "null") if isinstance(kind, list) else kind
        default = f"`{json.dumps(spec['default'])}`" if "default" in spec else ""
        secret = "yes" if spec.get("secret") else ""
        text = spec.get("description", "").replace("|", "\\|")
        rows.append(f"| `{name}` | {kind} | {default} | {secret} | {text} |")
    return "\n".join(rows)


def render(readme: str) -> str:
    block = f"{BEGIN}\n{settings_table()}\n{END}"
    return re.sub(re.escape(BEGIN) + ".*?" + re.escape(END), lambda _: block, readme, flags=re.S)


if __name__ == "__main__":
    README.write_text(render(README.read_text(encoding="utf-8")), encoding="utf-8")
