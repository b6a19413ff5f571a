"""Bad input stops the console script with one clear ERROR line, a non-zero exit and no traceback.

Complements tests/test_cli.py (advertiser ids, start_date, lookback_days, missing credentials,
a fake API's 401/400/403): here the report columns and on_account_error settings, and the
credential and access failures as the simulator produces them.
"""

from __future__ import annotations

import datetime as dt
import json
import subprocess
import sys

import pytest

from pinterest_simulator import Dataset, Simulator
from tests.tap_runner import (
    DELIVERY,
    ENTITY_STREAMS,
    bookmarks,
    config_for,
    error_lines,
    parse_messages,
    records,
    run_tap,
    states,
    today,
)

START = today() - dt.timedelta(days=5)
UNROUTABLE = "http://127.0.0.1:9/v5"
CREDENTIALS = {
    "client_id": "fake-client-id",
    "client_secret": "fake-client-secret",
    "refresh_token": "fake-refresh-0",
}


@pytest.fixture(scope="module")
def dataset() -> Dataset:
    return Dataset(
        accounts=2,
        campaigns_per_account=1,
        ad_groups_per_campaign=1,
        ads_per_ad_group=2,
        days=10,
        seed=41,
        today=today(),
    )


@pytest.fixture
def sim(dataset):
    with Simulator(dataset=dataset) as simulator:
        yield simulator


def run_console(tmp_path, config: dict) -> subprocess.CompletedProcess:
    """The console script with only --config, as a user first runs it."""
    path = tmp_path / "config.json"
    path.write_text(json.dumps(config), encoding="utf-8")
    return subprocess.run(
        [sys.executable, "-m", "tap_pinterest_ads", "--config", str(path)],
        capture_output=True,
        text=True,
        timeout=60,
        cwd=tmp_path,
        check=False,
    )


def only_error(result: subprocess.CompletedProcess, *needles: str) -> str:
    """The one ERROR line that carries all `needles`; the run failed cleanly."""
    assert result.returncode != 0
    assert "Traceback" not in result.stderr
    named = [line for line in error_lines(result.stderr) if all(n in line for n in needles)]
    assert len(named) == 1, result.stderr[-3000:]
    return named[0]


# Settings -----------------------------------------------------------------------------


def test_an_unknown_report_column_names_the_setting_and_suggests_the_right_one(tmp_path):
    result = run_console(
        tmp_path,
        {**CREDENTIALS, "api_url": UNROUTABLE, "report_columns": ["TOTAL_WEB_SESION"]},
    )

    line = only_error(result, "report_columns")
    assert line == (
        "setting report_columns: 'TOTAL_WEB_SESION' is not a Pinterest async report column; "
        "did you mean TOTAL_WEB_SESSIONS, TOTAL_WEB_SIGNUP, TOTAL_WEB_VIEW_SIGNUP?"
    )
    assert result.stdout == ""


def test_an_unknown_on_account_error_value_names_the_setting(tmp_path):
    result = run_console(
        tmp_path, {**CREDENTIALS, "api_url": UNROUTABLE, "on_account_error": "ignore"}
    )

    only_error(result, "on_account_error", "'ignore'")
    assert result.stdout == ""


# Credentials and access, as the simulator answers -----------------------------------------


def test_a_revoked_refresh_token_fails_with_one_clear_line(sim, tmp_path):
    sim.faults.revoke_refresh_tokens()

    result = run_tap(tmp_path, config_for(sim, START), (*ENTITY_STREAMS, DELIVERY))

    line = only_error(result, "refresh_token")
    assert line == (
        "Pinterest rejected the refresh_token (HTTP 400: Invalid refresh token): it was revoked "
        "or has expired; authorize the app again and update refresh_token"
    )
    assert records(parse_messages(result.stdout)) == []
    assert len(sim.requests) == 1  # the token request, nothing after it


def test_a_wrong_client_secret_fails_with_one_clear_line(sim, tmp_path):
    config = config_for(sim, START, client_secret="fake-client-secret-typo")

    result = run_tap(tmp_path, config, (*ENTITY_STREAMS, DELIVERY))

    assert only_error(result, "client_secret") == (
        "Pinterest rejected client_id/client_secret at the token endpoint "
        "(HTTP 401: Authentication failed.); check client_id and client_secret"
    )


def test_an_inaccessible_account_fails_the_delivery_stream_naming_it(sim, dataset, tmp_path):
    forbidden = dataset.account_ids[1]
    sim.faults.forbidden_accounts.add(forbidden)

    result = run_tap(tmp_path, config_for(sim, START), (DELIVERY,))

    line = only_error(result, f"ad account {forbidden}")
    assert line.startswith(
        f"ad account {forbidden} is not accessible with these credentials (HTTP 403: You are "
        "not permitted to access that resource.). Check the advertiser_ids setting"
    )


def test_with_skip_an_inaccessible_account_is_a_warning_and_the_run_succeeds(
    sim, dataset, tmp_path
):
    readable, forbidden = dataset.account_ids
    sim.faults.forbidden_accounts.add(forbidden)

    result = run_tap(tmp_path, config_for(sim, START, on_account_error="skip"), (DELIVERY,))

    assert result.returncode == 0, result.stderr[-3000:]
    assert error_lines(result.stderr) == []
    warnings = [line for line in result.stderr.splitlines() if " | WARNING " in line]
    assert any(f"Skipping ad account {forbidden} in stream '{DELIVERY}'" in w for w in warnings)
    assert any("Finished with 1 ad account(s) skipped" in w for w in warnings)
    messages = parse_messages(result.stdout)
    assert {r["ad_account_id"] for r in records(messages)} == {readable}
    assert bookmarks(states(messages)[-1]) == {readable: today().isoformat(), forbidden: None}
