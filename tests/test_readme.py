"""The README and meltano.yml stay in step with the code."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from scripts.update_readme_settings import (
    HUB_DEFINITION,
    MELTANO_YML,
    README,
    about_settings,
    render,
    render_yaml,
)
from tap_pinterest_ads.tap import TapPinterestAds

ROOT = Path(__file__).resolve().parents[1]
CONFIG = {"access_token": "fake-token"}


def tap_settings() -> set[str]:
    return set(TapPinterestAds.config_jsonschema["properties"])


@pytest.fixture(scope="module")
def about_properties() -> dict[str, dict]:
    return about_settings()


def test_the_settings_table_is_generated_from_the_current_code(about_properties):
    readme = README.read_text(encoding="utf-8")
    assert render(readme, about_properties) == readme, (
        "run: .venv/bin/python scripts/update_readme_settings.py"
    )


@pytest.mark.parametrize("path", [MELTANO_YML, HUB_DEFINITION], ids=["meltano.yml", "hub"])
def test_the_meltano_settings_lists_are_generated_from_the_current_code(path, about_properties):
    text = path.read_text(encoding="utf-8")
    assert render_yaml(text, about_properties) == text, (
        "run: .venv/bin/python scripts/update_readme_settings.py"
    )


def test_every_stream_is_in_the_stream_catalogue_with_its_key():
    readme = README.read_text(encoding="utf-8")
    for stream in TapPinterestAds(config=CONFIG, validate_config=False).streams.values():
        row = re.search(rf"^\| `{stream.name}` \|.*$", readme, flags=re.M)
        assert row, f"{stream.name} is missing from the README's stream catalogue"
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


def test_the_authorization_steps_send_continuous_refresh_for_apps_before_2025_09_25():
    readme = README.read_text(encoding="utf-8")
    credentials = readme.split("## Credentials", 1)[1].split("\n## ", 1)[0]
    assert "grant_type=authorization_code" in credentials
    assert "continuous_refresh=true" in credentials
    assert "2025-09-25" in credentials
