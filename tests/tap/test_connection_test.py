"""`tap-pinterest-ads --test`: a cheap connection test, through the console script, against
the local simulator whose request log shows every request it makes."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from pinterest_simulator import Dataset, Simulator
from tap_pinterest_ads.client import PAGE_SIZE
from tap_pinterest_ads.streams.lookups import TARGETING_OPTION_TYPES
from tests.cli_runner import (
    run_cli,
    tap_env,
    write_json,
)
from tests.simulator_factory import running_simulator
from tests.tap_runner import (
    error_lines,
)

# The account-level lists a default run reads (stream -> path under /ad_accounts/{id}).
DEFAULT_ACCOUNT_LISTS = (
    "campaigns", "ad_groups", "ads", "audiences", "customer_lists", "conversion_tags",
)  # fmt: skip


@pytest.fixture(scope="module")
def simulator():
    # More ad groups and ads than fit on one page: a sync would read two pages of each.
    dataset = Dataset(
        accounts=2,
        campaigns_per_account=PAGE_SIZE // 2 + 5,
        ad_groups_per_campaign=2,
        ads_per_ad_group=1,
        days=5,
        seed=8,
    )
    assert len(dataset.all_ids("ad_group", dataset.account_ids[0])) > PAGE_SIZE
    with running_simulator(dataset) as sim:
        yield sim


def run_test(tmp_path: Path, config: dict) -> subprocess.CompletedProcess[str]:
    config_file = write_json(tmp_path, "config.json", config)
    return run_cli(tmp_path, "--config", config_file, "--test", timeout=120, console_script=True)


def credentials(sim: Simulator, tmp_path: Path) -> dict:
    return {
        "api_url": sim.base_url,
        "client_id": sim.tokens.client_id,
        "client_secret": sim.tokens.client_secret,
        "refresh_token": sim.current_refresh_token,
        "token_store_path": str(tmp_path / "token-store.json"),
    }


def requests_since(sim: Simulator, mark: int) -> list[tuple[str, str]]:
    return [(r.method, r.path) for r in sim.requests.snapshot()[mark:]]


def test_test_reads_the_token_the_accounts_and_one_page_per_default_stream(
    tmp_path, simulator
) -> None:
    mark = len(simulator.requests)

    result = run_test(tmp_path, credentials(simulator, tmp_path))

    assert result.returncode == 0, result.stderr[-3000:]
    assert error_lines(result.stderr) == []
    assert "Traceback" not in result.stderr
    assert result.stdout == ""
    first = simulator.dataset.account_ids[0]
    expected = [
        ("POST", "/v5/oauth/token"),
        ("GET", "/v5/ad_accounts"),
        *[("GET", f"/v5/ad_accounts/{first}/{name}") for name in DEFAULT_ACCOUNT_LISTS],
        ("GET", f"/v5/resources/targeting/{TARGETING_OPTION_TYPES[0]}"),
    ]
    made = requests_since(simulator, mark)
    assert sorted(made) == sorted(expected)
    assert not [path for method, path in made if method == "POST" and "/reports" in path]
    assert "Connection test passed" in result.stderr
    assert "no report was created" in result.stderr


def test_test_with_the_settings_from_the_environment_reads_each_configured_account(
    tmp_path, simulator
) -> None:
    ids = simulator.dataset.account_ids
    config = {**credentials(simulator, tmp_path), "advertiser_ids": ", ".join(ids)}
    env = tap_env(**{f"TAP_PINTEREST_ADS_{k.upper()}": v for k, v in config.items()})
    mark = len(simulator.requests)

    result = run_cli(
        tmp_path, "--config", "ENV", "--test", env=env, timeout=120, console_script=True
    )

    assert result.returncode == 0, result.stderr[-3000:]
    assert error_lines(result.stderr) == []
    made = requests_since(simulator, mark)
    one_account = [p for _, p in made if p.startswith("/v5/ad_accounts/") and p.count("/") == 3]
    assert one_account == [f"/v5/ad_accounts/{account}" for account in ids]
    assert len(made) == 1 + len(ids) + len(DEFAULT_ACCOUNT_LISTS) + 1


def test_test_with_bad_credentials_fails_with_one_clear_line(tmp_path, simulator) -> None:
    config = {**credentials(simulator, tmp_path), "client_secret": "fake-wrong-secret"}
    mark = len(simulator.requests)

    result = run_test(tmp_path, config)

    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert result.stdout == ""
    errors = error_lines(result.stderr)
    assert len(errors) == 1, result.stderr
    assert "check client_id and client_secret" in errors[0]
    assert requests_since(simulator, mark) == [("POST", "/v5/oauth/token")]
