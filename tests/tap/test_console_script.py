"""The README's standalone commands, run as typed: the `tap-pinterest-ads` console script.

(`--test` is in test_connection_test.py, `--config ENV` in test_env_config.py, and
test_cli.py runs `python -m tap_pinterest_ads` for the JSON and Markdown `--about`.)
"""

from __future__ import annotations

import copy
import json
import subprocess
from pathlib import Path

from tap_pinterest_ads.tap import TapPinterestAds
from tests.cli_runner import run_cli, tap_env

EVERY_STREAM = 22


def run(tmp_path: Path, *args: str, **env: str) -> subprocess.CompletedProcess[str]:
    return run_cli(tmp_path, *args, env=tap_env(**env), timeout=120, console_script=True)


def test_about_names_every_setting(tmp_path) -> None:
    result = run(tmp_path, "--about")

    assert result.returncode == 0, result.stderr
    schema = copy.deepcopy(TapPinterestAds.config_jsonschema)
    TapPinterestAds.append_builtin_config(schema)
    missing = [name for name in schema["properties"] if name not in result.stdout]
    assert missing == []
    assert "Name: tap-pinterest-ads" in result.stdout


def test_discover_with_the_token_from_the_environment_lists_every_stream(tmp_path) -> None:
    result = run(
        tmp_path,
        "--discover",
        "--config",
        "ENV",
        TAP_PINTEREST_ADS_ACCESS_TOKEN="fake-access-token",
        TAP_PINTEREST_ADS_ADVERTISER_IDS="123, 456",
    )

    assert result.returncode == 0, result.stderr[-3000:]
    streams = {s["tap_stream_id"]: s for s in json.loads(result.stdout)["streams"]}
    assert len(streams) == EVERY_STREAM
    tags = streams["conversion_tags"]["schema"]["properties"]
    assert "pinterest_version" in tags
    assert "version" not in tags
