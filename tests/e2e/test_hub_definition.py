"""The Meltano Hub definition (meltano-hub/extractors/) agrees with the tap and Meltano adds it.

The static checks compare it with `tap-pinterest-ads --about` and with the project's meltano.yml
(whose settings tests/e2e/test_meltano_project.py checks kind by kind against --about). The e2e
check runs what a user runs in a new project, offline: `meltano init`, `meltano add --from-ref`,
`meltano config list`, then an install from this checkout and `meltano invoke ... --about`.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from importlib import metadata
from pathlib import Path

import pytest
import yaml

from tests.e2e.conftest import MELTANO, REPO

HUB_FILE = REPO / "meltano-hub" / "extractors" / "tap-pinterest-ads.yml"
MELTANO_TIMEOUT = 300


@pytest.fixture(scope="module")
def hub() -> dict:
    return yaml.safe_load(HUB_FILE.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def project_tap() -> dict:
    project = yaml.safe_load((REPO / "meltano.yml").read_text(encoding="utf-8"))
    return next(p for p in project["plugins"]["extractors"] if p["name"] == "tap-pinterest-ads")


@pytest.fixture(scope="module")
def about() -> dict:
    out = subprocess.run(
        [sys.executable, "-m", "tap_pinterest_ads", "--about", "--format=json"],
        capture_output=True,
        text=True,
        check=True,
        cwd=REPO,
    ).stdout
    return json.loads(out)


def without_descriptions(settings: list[dict]) -> list[dict]:
    """Descriptions may be worded for the Hub; name, kind, label, options, secrecy may not."""
    return [{k: v for k, v in s.items() if k != "description"} for s in settings]


def test_hub_definition_settings_are_the_taps_about(hub: dict, about: dict) -> None:
    properties = about["settings"]["properties"]
    names = [s["name"] for s in hub["settings"]]
    assert len(names) == len(set(names))
    assert set(names) == set(properties)
    for setting in hub["settings"]:
        secret = properties[setting["name"]].get("secret", False)
        assert bool(setting.get("sensitive")) == secret, setting["name"]
        assert setting.get("description"), setting["name"]


def test_hub_definition_settings_are_the_meltano_projects(hub: dict, project_tap: dict) -> None:
    assert without_descriptions(hub["settings"]) == without_descriptions(project_tap["settings"])
    assert hub["settings_group_validation"] == project_tap["settings_group_validation"]
    assert hub["capabilities"] == project_tap["capabilities"]


def test_hub_definition_installs_the_published_package(hub: dict, about: dict) -> None:
    package = metadata.distribution("tap-pinterest-ads")
    assert hub["name"] == package.metadata["Name"] == about["name"]
    assert hub["pip_url"] == package.metadata["Name"]  # from PyPI, not a path or a git URL
    scripts = {e.name for e in package.entry_points if e.group == "console_scripts"}
    assert hub["executable"] in scripts
    assert hub["namespace"] == "tap_pinterest_ads"
    assert hub["variant"]
    assert set(hub["capabilities"]) <= set(about["capabilities"])


# --------------------------------------------------------------------------- with Meltano
def clean_env() -> dict[str, str]:
    """No Meltano or tap settings of the caller: a new user's shell."""
    prefixes = ("MELTANO_", "TAP_PINTEREST_ADS")
    env = {k: v for k, v in os.environ.items() if not k.startswith(prefixes)}
    env.update(
        MELTANO_SEND_ANONYMOUS_USAGE_STATS="false",
        MELTANO_CLI_DISABLE_VERSION_CHECK="true",
        UV_PYTHON_DOWNLOADS="never",
    )
    return env


def meltano(cwd: Path, *args: str) -> str:
    result = subprocess.run(
        [str(MELTANO), *args],
        cwd=cwd,
        env=clean_env(),
        capture_output=True,
        text=True,
        timeout=MELTANO_TIMEOUT,
        check=False,
    )
    if result.returncode != 0:
        pytest.fail(
            f"meltano {' '.join(args)} failed with exit {result.returncode}:\n"
            f"{result.stdout[-3000:]}\n{result.stderr[-3000:]}",
            pytrace=False,
        )
    return result.stdout


@pytest.mark.e2e
def test_meltano_adds_the_tap_from_the_hub_definition_offline(
    meltano_plugins: Path, tmp_path: Path, hub: dict
) -> None:
    meltano(tmp_path, "init", "project")
    project = tmp_path / "project"

    # The README's command. Meltano 4 would read `meltano add extractor NAME` as two plugins.
    meltano(project, "add", "--plugin-type", "extractor", "tap-pinterest-ads",
            "--from-ref", str(HUB_FILE), "--no-install")  # fmt: skip

    plugins = yaml.safe_load((project / "meltano.yml").read_text(encoding="utf-8"))["plugins"]
    assert list(plugins) == ["extractors"]  # nothing else, e.g. no bogus utility
    [added] = plugins["extractors"]
    for key in ("name", "namespace", "variant", "pip_url", "executable", "capabilities"):
        assert added[key] == hub[key], key
    assert added["settings_group_validation"] == hub["settings_group_validation"]
    assert [s["name"] for s in added["settings"]] == [s["name"] for s in hub["settings"]]

    listing = meltano(project, "config", "list", "tap-pinterest-ads", "--all")
    for setting in hub["settings"]:
        assert f"{setting['name']} " in listing, setting["name"]

    # Not on PyPI from here: install this checkout in its place, then run it through Meltano.
    spec = yaml.safe_load((project / "meltano.yml").read_text(encoding="utf-8"))
    spec["plugins"]["extractors"][0]["pip_url"] = str(REPO)
    (project / "meltano.yml").write_text(yaml.safe_dump(spec, sort_keys=False), encoding="utf-8")
    meltano(project, "install", "--plugin-type", "extractor", "tap-pinterest-ads")
    about = json.loads(meltano(project, "invoke", "tap-pinterest-ads", "--about", "--format=json"))
    assert about["name"] == "tap-pinterest-ads"
    assert set(about["settings"]["properties"]) == {s["name"] for s in hub["settings"]}
