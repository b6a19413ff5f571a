"""Bad input stops the console script with one clear ERROR line, a non-zero exit and no traceback.

Complements tests/tap/test_cli.py (advertiser ids, start_date, lookback_days, missing credentials):
here the report columns and on_account_error settings, and the credential and access failures
as the simulator produces them (401, 400, 403), none of which shows a secret.
"""

from __future__ import annotations

import datetime as dt
import subprocess

from tests.cli_runner import (
    run_cli,
    run_tap,
    write_json,
)
from tests.tap_runner import (
    DELIVERY,
    ENTITY_STREAMS,
    bookmarks,
    config_for,
    error_lines,
    parse_messages,
    records,
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
DATASET = {"seed": 41}


def run_console(tmp_path, config: dict) -> subprocess.CompletedProcess:
    """The console script with only --config, as a user first runs it."""
    return run_cli(tmp_path, "--config", write_json(tmp_path, "config.json", config))


def only_error(result: subprocess.CompletedProcess, *needles: str) -> str:
    """The one ERROR line that carries all `needles`; the run failed cleanly."""
    assert result.returncode != 0
    assert "Traceback" not in result.stderr
    named = [line for line in error_lines(result.stderr) if all(n in line for n in needles)]
    assert len(named) == 1, result.stderr[-3000:]
    return named[0]


def assert_no_secret_shown(result: subprocess.CompletedProcess, config: dict) -> None:
    for secret in (config["client_secret"], config["refresh_token"]):
        assert secret not in result.stdout
        assert secret not in result.stderr


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


def test_a_refresh_token_echoed_back_by_the_api_is_masked_in_the_error_line(sim, tmp_path):
    config = config_for(sim, START)
    echoed = {"code": 1, "message": f"Invalid refresh token {config['refresh_token']}"}
    sim.faults.http_error(r"/oauth/token$", 400, method="POST", body=echoed, times=None)

    result = run_tap(tmp_path, config, ENTITY_STREAMS)

    line = only_error(result, "refresh_token")
    assert "HTTP 400: Invalid refresh token ***" in line
    assert "authorize the app again" in line
    assert_no_secret_shown(result, config)


def test_a_wrong_client_secret_fails_with_one_clear_line(sim, tmp_path):
    config = config_for(sim, START, client_secret="fake-client-secret-typo")

    result = run_tap(tmp_path, config, (*ENTITY_STREAMS, DELIVERY))

    assert only_error(result, "client_secret") == (
        "Pinterest rejected client_id/client_secret at the token endpoint "
        "(HTTP 401: Authentication failed.); check client_id and client_secret"
    )
    assert [(r.method, r.path) for r in sim.requests] == [("POST", "/v5/oauth/token")]
    assert_no_secret_shown(result, config)


def test_an_inaccessible_account_fails_the_delivery_stream_naming_it(sim, dataset, tmp_path):
    forbidden = dataset.account_ids[1]
    sim.faults.forbidden_accounts.add(forbidden)

    result = run_tap(tmp_path, config_for(sim, START), (DELIVERY,))

    line = only_error(result, f"ad account {forbidden}")
    assert line.startswith(
        f"ad account {forbidden} is not accessible with these credentials (HTTP 403: You are "
        "not permitted to access that resource.). Check the advertiser_ids setting"
    )


def test_a_configured_account_we_cannot_read_fails_naming_it_before_any_listing(
    sim, dataset, tmp_path
):
    forbidden = dataset.account_ids[0]
    sim.faults.forbidden_accounts.add(forbidden)
    config = config_for(sim, START, advertiser_ids=forbidden)

    result = run_tap(tmp_path, config, ENTITY_STREAMS)

    line = only_error(result, f"ad account {forbidden}")
    assert line.startswith(f"ad account {forbidden} is not accessible with these credentials")
    assert "HTTP 403: You are not permitted to access that resource." in line
    assert [(r.method, r.path) for r in sim.requests] == [
        ("POST", "/v5/oauth/token"),
        ("GET", f"/v5/ad_accounts/{forbidden}"),
    ]
    assert_no_secret_shown(result, config)


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
