"""The console script as a user meets it: `python -m tap_pinterest_ads …` in a subprocess.

No network: config errors stop the tap before any request. Sync failures (credentials, access)
against the simulator: tests/tap/test_bad_input.py.
"""

from __future__ import annotations

import datetime as dt
import json
import subprocess
from pathlib import Path

import pytest

from tests.cli_runner import run_cli, write_json

ACCOUNT = "549000000101"
# Distinctive fake secrets: none of them may ever reach stdout or stderr.
CLIENT_SECRET = "fake-secret-Zq81"
REFRESH_TOKEN = "fake-refresh-Kx72"
CREDENTIALS = {
    "client_id": "fake-client-id",
    "client_secret": CLIENT_SECRET,
    "refresh_token": REFRESH_TOKEN,
}
SECRETS = (CLIENT_SECRET, REFRESH_TOKEN)
STREAMS = {"ad_accounts", "campaigns", "ad_groups", "pin_promotions"}


def run_tap(tmp_path: Path, *args: str, config: dict | None = None) -> subprocess.CompletedProcess:
    """The console script with `args`, and `config` in a file, as Meltano runs it."""
    if config is not None:
        args = (*args, "--config", write_json(tmp_path, "config.json", config))
    return run_cli(tmp_path, *args, timeout=120)


def error_lines(stderr: str) -> list[str]:
    """The messages of the ERROR log lines (`time | ERROR | logger | message`)."""
    return [
        line.split(" | ", 3)[-1]
        for line in stderr.splitlines()
        if " | ERROR " in line or line.startswith("ERROR")
    ]


def assert_fails_cleanly(result: subprocess.CompletedProcess) -> None:
    assert result.returncode != 0
    assert "Traceback" not in result.stderr
    for secret in SECRETS:
        assert secret not in result.stdout
        assert secret not in result.stderr


# --about and --discover ----------------------------------------------------------------


def test_about_json_lists_the_settings_and_flags_the_secrets(tmp_path):
    result = run_tap(tmp_path, "--about", "--format=json")

    assert result.returncode == 0, result.stderr
    settings = json.loads(result.stdout)["settings"]["properties"]
    assert {
        "advertiser_ids",
        "client_id",
        "client_secret",
        "refresh_token",
        "access_token",
        "start_date",
        "lookback_days",
        "api_url",
        "emit_activate_version_messages",
        "token_store_path",
    } <= set(settings)
    # singer-sdk marks a secret with both `secret: true` and JSON Schema's `writeOnly`.
    secret = {name for name, prop in settings.items() if prop.get("secret") is True}
    write_only = {name for name, prop in settings.items() if prop.get("writeOnly") is True}
    assert secret == write_only == {"client_secret", "refresh_token", "access_token"}


def test_about_markdown_documents_the_settings(tmp_path):
    result = run_tap(tmp_path, "--about", "--format=markdown")

    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("# `tap-pinterest-ads`")
    assert "| advertiser_ids |" in result.stdout
    assert "| emit_activate_version_messages |" in result.stdout


def test_discover_lists_the_entity_streams_keyed_by_id(tmp_path):
    result = run_tap(tmp_path, "--discover", config=CREDENTIALS)

    assert result.returncode == 0, result.stderr
    catalog = json.loads(result.stdout)
    keys = {s["tap_stream_id"]: s["key_properties"] for s in catalog["streams"]}
    assert {name: keys.get(name) for name in STREAMS} == {name: ["id"] for name in STREAMS}


# Bad config ---------------------------------------------------------------------------

IN_TWO_DAYS = (dt.datetime.now(dt.timezone.utc).date() + dt.timedelta(days=2)).isoformat()


@pytest.mark.parametrize(
    ("config", "setting", "value"),
    [
        ({**CREDENTIALS, "advertiser_ids": "12x"}, "advertiser_ids", "'12x'"),
        ({**CREDENTIALS, "advertiser_ids": "5,5"}, "advertiser_ids", "'5' is listed twice"),
        ({**CREDENTIALS, "start_date": "2024-13-01"}, "start_date", "'2024-13-01'"),
        ({**CREDENTIALS, "start_date": IN_TWO_DAYS}, "start_date", f"'{IN_TWO_DAYS}'"),
        ({**CREDENTIALS, "lookback_days": -1}, "lookback_days", "-1"),
        (
            {"client_id": "fake-client-id"},
            "credentials",
            "missing: client_secret, refresh_token",
        ),
    ],
    ids=["non-digit-id", "duplicate-id", "bad-date", "future-date", "negative-lookback", "creds"],
)
def test_bad_config_fails_with_one_line_naming_the_setting(tmp_path, config, setting, value):
    # An unroutable api_url: the tap must stop before it tries the network.
    result = run_tap(tmp_path, config={**config, "api_url": "http://127.0.0.1:9/v5"})

    assert_fails_cleanly(result)
    assert result.stdout == ""
    named = [line for line in error_lines(result.stderr) if setting in line]
    assert len(named) == 1, result.stderr
    assert value in named[0]
