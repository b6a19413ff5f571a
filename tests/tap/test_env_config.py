"""`tap-pinterest-ads --config ENV`: every setting from a TAP_PINTEREST_ADS_* variable.

In-process: each setting's variable gives the typed value (the list of settings is the tap's
own, so a new setting without a case here fails). Through the console script: a sync
configured from the environment alone, and bad values as one clear line.
"""

from __future__ import annotations

import copy
import datetime as dt
import json
import os
import subprocess
from pathlib import Path

import pytest

from pinterest_simulator import Dataset
from tap_pinterest_ads.config_errors import InvalidConfigError
from tap_pinterest_ads.tap import TapPinterestAds
from tests import mock_api
from tests.cli_runner import run_cli, tap_env
from tests.simulator_factory import running_simulator
from tests.tap_runner import (
    error_lines,
    parse_messages,
    records,
)

PREFIX = "TAP_PINTEREST_ADS_"

# setting -> (the variable's text, the value the tap gets)
ENV_CASES: dict[str, tuple[str, object]] = {
    "advertiser_ids": ('["123", "456"]', '["123", "456"]'),  # the settings parser reads it
    "client_id": ("fake-client-id", "fake-client-id"),
    "client_secret": ("fake-client-secret", "fake-client-secret"),
    "refresh_token": ("fake-refresh-token", "fake-refresh-token"),
    "access_token": ("fake-access-token", "fake-access-token"),
    "token_store_path": (
        "fake-store/pinterest-ads.json",
        "fake-store/pinterest-ads.json",
    ),
    "start_date": ("2024-01-31", "2024-01-31"),
    "lookback_days": ("7", 7),
    "max_lookback_days": ("12", 12),
    # A (click, engagement, view) triple Pinterest accepts (settings.py checks the three together).
    "click_window_days": ("60", 60),
    "engagement_window_days": (" 7 ", 7),
    "view_window_days": ("1", 1),
    "conversion_report_time": ("TIME_OF_CONVERSION", "TIME_OF_CONVERSION"),
    "report_columns": ('["TOTAL_WEB_SESSIONS", "CTR"]', ["TOTAL_WEB_SESSIONS", "CTR"]),
    "report_format": ("CSV", "CSV"),
    "report_timeout_seconds": ("600", 600),
    "max_reports_in_flight": ("3", 3),
    "api_url": ("http://127.0.0.1:9/v5", "http://127.0.0.1:9/v5"),
    "emit_activate_version_messages": ("false", False),
    "request_timeout_seconds": ("30", 30),
    "max_retries": ("2", 2),
    "max_rate_limit_wait_seconds": ("60", 60),
    "analytics_requests_per_minute": ("150", 150),
    "on_account_error": ("skip", "skip"),
    "stream_maps": ('{"campaigns": {"__alias__": "c"}}', {"campaigns": {"__alias__": "c"}}),
    "stream_map_config": ('{"salt": "x"}', {"salt": "x"}),
    "faker_config": ('{"seed": 1}', {"seed": 1}),
    "flattening_enabled": ("TRUE", True),
    "flattening_max_depth": ("2", 2),
    "flattening_max_key_length": ("60", 60),
    "flattening_separator": ("__", "__"),
    "batch_config": (
        '{"encoding": {"format": "jsonl", "compression": "gzip"}, '
        '"storage": {"root": "file://fake-batches"}}',
        {
            "encoding": {"format": "jsonl", "compression": "gzip"},
            "storage": {"root": "file://fake-batches"},
        },
    ),
}


def every_setting() -> set[str]:
    schema = copy.deepcopy(TapPinterestAds.config_jsonschema)
    TapPinterestAds.append_builtin_config(schema)
    return set(schema["properties"])


@pytest.fixture
def clean_env(monkeypatch: pytest.MonkeyPatch) -> pytest.MonkeyPatch:
    for name in list(os.environ):
        if name.startswith(PREFIX):
            monkeypatch.delenv(name)
    return monkeypatch


def test_every_setting_has_an_environment_case() -> None:
    assert set(ENV_CASES) == every_setting()


def test_every_setting_is_read_from_its_variable_with_its_type(clean_env) -> None:
    for name, (text, _) in ENV_CASES.items():
        clean_env.setenv(PREFIX + name.upper(), text)

    tap = TapPinterestAds(config=None, parse_env_config=True, setup_mapper=False)

    assert {name: tap.config.get(name) for name in ENV_CASES} == {
        name: value for name, (_, value) in ENV_CASES.items()
    }
    assert tap.settings.advertiser_ids == ("123", "456")


@pytest.mark.parametrize("text", ["123, 456", '["123","456"]', "[123, 456]", " 123 ,456, "])
def test_advertiser_ids_from_the_environment_in_every_documented_form(clean_env, text) -> None:
    clean_env.setenv(f"{PREFIX}ADVERTISER_IDS", text)
    clean_env.setenv(f"{PREFIX}ACCESS_TOKEN", "fake-access-token")

    tap = TapPinterestAds(config=None, parse_env_config=True, setup_mapper=False)

    assert tap.settings.advertiser_ids == ("123", "456")


def test_report_columns_from_the_environment_as_a_comma_list(clean_env) -> None:
    clean_env.setenv(f"{PREFIX}REPORT_COLUMNS", "total_web_sessions, CTR")
    clean_env.setenv(f"{PREFIX}ACCESS_TOKEN", "fake-access-token")

    tap = TapPinterestAds(config=None, parse_env_config=True, setup_mapper=False)

    assert [c.field for c in tap.settings.report_columns] == ["total_web_sessions", "pinterest_ctr"]


def test_an_empty_typed_variable_leaves_the_setting_at_its_default(clean_env) -> None:
    clean_env.setenv(f"{PREFIX}LOOKBACK_DAYS", "")
    clean_env.setenv(f"{PREFIX}ACCESS_TOKEN", "fake-access-token")

    tap = TapPinterestAds(config=None, parse_env_config=True, setup_mapper=False)

    assert tap.config["lookback_days"] == 5  # the schema's default
    assert tap.settings.lookback_days == 5


# Through the console script --------------------------------------------------------------


def run_env(tmp_path: Path, env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    """`tap-pinterest-ads --config ENV …` with only `env` among the TAP_PINTEREST_ADS_* vars."""
    return run_cli(
        tmp_path, "--config", "ENV", *args, env=tap_env(**env), timeout=120, console_script=True
    )


@pytest.fixture(scope="module")
def simulator():
    dataset = Dataset(
        accounts=3,
        campaigns_per_account=2,
        ad_groups_per_campaign=1,
        ads_per_ad_group=2,
        days=10,
        seed=11,
    )
    with running_simulator(dataset) as sim:
        yield sim


@pytest.mark.parametrize("form", ["comma", "json"])
def test_a_sync_configured_from_the_environment_alone(tmp_path, simulator, form) -> None:
    dataset = simulator.dataset
    chosen = dataset.account_ids[:2]
    ids = ", ".join(chosen) if form == "comma" else json.dumps(chosen)
    start = dataset.today - dt.timedelta(days=3)
    env = {
        f"{PREFIX}CLIENT_ID": simulator.tokens.client_id,
        f"{PREFIX}CLIENT_SECRET": simulator.tokens.client_secret,
        f"{PREFIX}REFRESH_TOKEN": simulator.current_refresh_token,
        f"{PREFIX}API_URL": simulator.base_url,
        f"{PREFIX}ADVERTISER_IDS": ids,
        f"{PREFIX}START_DATE": start.isoformat(),
        f"{PREFIX}REPORT_COLUMNS": '["TOTAL_WEB_SESSIONS"]',
        f"{PREFIX}CLICK_WINDOW_DAYS": "7",
        f"{PREFIX}ENGAGEMENT_WINDOW_DAYS": "7",  # 7/30/1 is not a triple Pinterest accepts
        f"{PREFIX}EMIT_ACTIVATE_VERSION_MESSAGES": "false",
        f"{PREFIX}MAX_RETRIES": "2",
        f"{PREFIX}TOKEN_STORE_PATH": str(tmp_path / "store.json"),
    }
    config = {"report_columns": ["TOTAL_WEB_SESSIONS"], "access_token": "fake-access-token"}
    catalog = tmp_path / "catalog.json"
    catalog.write_text(
        json.dumps(mock_api.catalog_selecting(config, ("campaigns", "pin_promotion_delivery")))
    )
    mark = len(simulator.requests)

    result = run_env(tmp_path, env, "--catalog", str(catalog))

    assert result.returncode == 0, result.stderr[-3000:]
    assert "Traceback" not in result.stderr
    requests = simulator.requests.snapshot()[mark:]
    account_gets = {
        r.path
        for r in requests
        if r.method == "GET" and r.path.startswith("/v5/ad_accounts") and r.path.count("/") == 3
    }
    assert account_gets == {f"/v5/ad_accounts/{a}" for a in chosen}
    reports = [r.json() for r in requests if r.method == "POST" and r.path.endswith("/reports")]
    assert {r.path.split("/")[3] for r in requests if r.path.endswith("/reports")} == set(chosen)
    assert all(body["click_window_days"] == 7 for body in reports)
    assert all("TOTAL_WEB_SESSIONS" in body["columns"] for body in reports)
    assert min(dt.date.fromisoformat(body["start_date"]) for body in reports) == start
    messages = parse_messages(result.stdout)
    campaigns = {r["id"] for r in records(messages, "campaigns")}
    assert campaigns == {e["id"] for a in chosen for e in dataset.entities("campaign", a, None)}
    delivery = records(messages, "pin_promotion_delivery")
    assert delivery
    assert all("total_web_sessions" in r and r["click_window_days"] == 7 for r in delivery)
    assert not [m for m in messages if m["type"] == "ACTIVATE_VERSION"]
    assert (tmp_path / "store.json").exists(), "the rotated token went to the store"


BAD_VARIABLES = [
    ("LOOKBACK_DAYS", "five", "lookback_days: TAP_PINTEREST_ADS_LOOKBACK_DAYS='five' is not"),
    (
        "EMIT_ACTIVATE_VERSION_MESSAGES",
        "maybe",
        "emit_activate_version_messages: TAP_PINTEREST_ADS_EMIT_ACTIVATE_VERSION_MESSAGES="
        "'maybe' is not a boolean",
    ),
    ("REPORT_COLUMNS", '["TOTAL_WEB_SESSIONS"', "report_columns: TAP_PINTEREST_ADS_REPORT_C"),
    ("STREAM_MAPS", "campaigns=c", "stream_maps: TAP_PINTEREST_ADS_STREAM_MAPS='campaigns=c'"),
    ("ADVERTISER_IDS", '["123",', """advertiser_ids: '["123",' is not a JSON array"""),
    ("ADVERTISER_IDS", "123, 12x", "advertiser_ids: '12x' is not an ad account id"),
]
BAD_IDS = ["integer", "boolean", "array", "object", "json-ids", "bad-id"]


@pytest.mark.parametrize(("variable", "text", "line"), BAD_VARIABLES, ids=BAD_IDS)
def test_a_bad_variable_is_one_error_naming_the_setting(clean_env, variable, text, line) -> None:
    clean_env.setenv(f"{PREFIX}ACCESS_TOKEN", "fake-access-token")
    clean_env.setenv(PREFIX + variable, text)

    with pytest.raises(InvalidConfigError) as failure:
        TapPinterestAds(config=None, parse_env_config=True, setup_mapper=False)

    setting = line.split(":", 1)[0]
    named = [error for error in failure.value.errors if setting in error]
    assert len(named) == 1, failure.value.errors
    assert named[0].startswith(line), named[0]


# The console script: the two places a bad value is caught (typing, then the settings).
@pytest.mark.parametrize(
    ("variable", "text", "line"), [BAD_VARIABLES[0], BAD_VARIABLES[4]], ids=["integer", "ids"]
)
def test_a_bad_variable_fails_with_one_line_naming_the_setting(tmp_path, variable, text, line):
    env = {
        f"{PREFIX}ACCESS_TOKEN": "fake-access-token",
        f"{PREFIX}API_URL": "http://127.0.0.1:9/v5",  # unroutable: no request may be sent
        PREFIX + variable: text,
    }

    result = run_env(tmp_path, env)

    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert result.stdout == ""
    setting = line.split(":", 1)[0]
    named = [msg for msg in error_lines(result.stderr) if setting in msg]
    assert len(named) == 1, result.stderr
    assert named[0].startswith(line), named[0]
