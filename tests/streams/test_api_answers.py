"""Answers the spec allows, or worse, served by the simulator: each ends in complete data or
one clear ERROR line (exit 1, no traceback).

Rate-limit hints (X-RateLimit-Reset only on a 429, the body's "Retry after N" first), a token
endpoint that answers 200 without a token, entity values the tap cannot convert, an API that
cannot be reached and a reader that closes the tap's stdout.
"""

from __future__ import annotations

import datetime as dt
import logging
import subprocess

import pytest
import requests

from pinterest_simulator import Dataset
from tap_pinterest_ads.errors import explain
from tests.cli_runner import (
    run_tap,
    start_tap,
)
from tests.simulator_factory import running_simulator
from tests.tap_runner import (
    ENTITY_STREAMS,
    config_for,
    entity_ids,
    error_lines,
    expected_entity_ids,
    parse_messages,
    records,
    sync,
    today,
)

START = today() - dt.timedelta(days=5)
DAILY_QUOTA_RESET = {"X-RateLimit-Reset": "67150"}
DATASET = {"campaigns_per_account": 2, "ads_per_ad_group": 1, "seed": 31}


@pytest.fixture
def retries(caplog):
    caplog.set_level(logging.INFO)
    return lambda: [r.getMessage() for r in caplog.records if r.getMessage().startswith("Retry")]


def only_error(result: subprocess.CompletedProcess) -> str:
    assert result.returncode == 1, result.stderr[-3000:]
    assert "Traceback" not in result.stderr
    (line,) = error_lines(result.stderr)
    return line


def assert_entities_complete(messages: list[dict], dataset: Dataset) -> None:
    for stream in ENTITY_STREAMS:
        assert entity_ids(messages, stream) == expected_entity_ids(
            dataset, stream, dataset.account_ids
        )


# Rate-limit hints -----------------------------------------------------------------------


@pytest.mark.parametrize("status", [500, 503])
def test_a_passing_5xx_with_a_daily_quota_reset_header_backs_off_and_the_run_completes(
    sim, dataset, retries, status
):
    sim.faults.http_error(r"/campaigns$", status, headers=DAILY_QUOTA_RESET)

    assert_entities_complete(sync(config_for(sim, START), ENTITY_STREAMS), dataset)

    (line,) = retries()
    assert f"/campaigns after HTTP {status} (code 1000): waiting 1.0 s (attempt 2 of 8)" in line


def test_a_5xx_asking_for_longer_than_the_cap_backs_off_instead_of_failing(sim, dataset, retries):
    sim.faults.http_error(r"/ad_groups$", 503, headers={"Retry-After": "5000"})

    assert_entities_complete(sync(config_for(sim, START), ENTITY_STREAMS), dataset)

    (line,) = retries()
    assert "/ad_groups after HTTP 503 (code 1000): waiting 1.0 s" in line


def test_the_bodys_retry_after_wins_over_the_rate_limit_headers(sim, dataset, retries):
    sim.faults.http_error(
        r"/campaigns$",
        429,
        headers=DAILY_QUOTA_RESET,
        body={"code": 8, "message": "Rate limit exceeded. Retry after 0 seconds"},
    )

    assert_entities_complete(sync(config_for(sim, START), ENTITY_STREAMS), dataset)

    (line,) = retries()
    assert "/campaigns after HTTP 429 (code 8): waiting 0.0 s (attempt 2 of 8)" in line


# The token endpoint -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("body", "content_type", "what"),
    [
        ("<html><body>Pinterest</body></html>", "text/html", "not JSON but text/html"),
        ({"token_type": "bearer", "expires_in": 3600}, None, "JSON without access_token"),
    ],
    ids=["html", "json-without-access-token"],
)
def test_a_token_endpoint_answering_200_without_a_token_fails_with_one_line(
    sim, tmp_path, body, content_type, what
):
    sim.faults.http_error(r"/oauth/token$", 200, body=body, content_type=content_type)

    result = run_tap(tmp_path, config_for(sim, START), ENTITY_STREAMS)

    assert only_error(result) == (
        f"the token endpoint /v5/oauth/token answered HTTP 200 with no access token ({what}): "
        "check api_url"
    )
    assert len(sim.requests) == 1
    assert records(parse_messages(result.stdout)) == []


# Entity values the tap cannot convert ---------------------------------------------------


@pytest.mark.parametrize(
    ("field", "value", "expected"),
    [
        ("created_time", 99999999999999, "a time in epoch seconds"),
        ("daily_spend_cap", "abc", "an amount in micro-units"),
    ],
)
def test_an_entity_value_the_tap_cannot_convert_fails_with_one_line_naming_it(
    tmp_path, field, value, expected
):
    dataset = Dataset(accounts=1, campaigns_per_account=2, days=10, seed=31, today=today())
    campaign = dataset.entities("campaign", dataset.account_ids[0], statuses=None)[0]
    with running_simulator(dataset) as sim:
        sim.update_entity("campaign", campaign["id"], **{field: value})

        result = run_tap(tmp_path, config_for(sim, START), ENTITY_STREAMS)

    assert only_error(result) == (
        f"stream 'campaigns', record id {campaign['id']}: field {field} is {value!r}, which is "
        f"not {expected}; Pinterest sent a value the tap cannot convert"
    )


# The network and the reader --------------------------------------------------------------


def test_an_unreachable_api_ends_with_a_line_that_shows_no_query(tmp_path):
    config = {
        "access_token": "fake-access-token-Qw9",
        "api_url": "http://127.0.0.1:9/v5",
        "max_retries": 1,
    }

    result = run_tap(tmp_path, config, ("ad_accounts",))

    line = only_error(result)
    assert line.startswith("network failure on GET http://127.0.0.1:9/v5/ad_accounts: ")
    assert line.endswith("; check api_url and the network")
    assert "?" not in line
    assert "fake-access-token-Qw9" not in result.stderr


def test_a_network_failure_line_never_shows_the_query_of_the_url():
    request = requests.Request(
        "GET", "http://127.0.0.1:9/v5/ad_accounts/1/reports?token=report-token-Zx1"
    ).prepare()
    failure = requests.ConnectionError(
        "HTTPConnectionPool(host='127.0.0.1', port=9): Max retries exceeded with url: "
        "/v5/ad_accounts/1/reports?token=report-token-Zx1 (Caused by NewConnectionError('"
        "<urllib3.connection.HTTPConnection object at 0x7f>: Failed to establish a new "
        "connection: [Errno 111] Connection refused'))",
        request=request,
    )

    assert explain(failure) == (
        "network failure on GET http://127.0.0.1:9/v5/ad_accounts/1/reports: [Errno 111] "
        "Connection refused; check api_url and the network"
    )


def test_a_reader_that_closes_stdout_early_gets_one_line_and_exit_1(sim, tmp_path):
    process = start_tap(tmp_path, config_for(sim, START), ENTITY_STREAMS)
    assert process.stdout is not None
    first = process.stdout.readline()
    process.stdout.close()  # what `| head -1` does
    process.wait(timeout=60)

    stderr = next(tmp_path.glob("stderr-*.log")).read_text()
    assert first.startswith("{")
    assert process.returncode == 1
    assert "Traceback" not in stderr
    assert "Exception ignored" not in stderr
    assert error_lines(stderr) == [
        "stdout was closed before the run finished (the reader, a target or a command such as "
        "`head`, stopped reading): the rest of the run was not written"
    ]
