"""Fault injection against the local simulator, retries: rate limits, server errors, dropped
connections, timeouts, report-creation cost limits and an access token that expires mid-run.
Every fault the tap must survive, one test each (reports and isolation:
test_reliability_reports.py).

Each test switches on one simulator fault, runs a whole sync and then checks either that the
data is complete and exact (entity ids and delivery rows compared with the dataset, no
duplicates) together with the log line of the retry, or the exact error the run stops with.
Waits are kept short with `Retry-After: 0`, small `max_retries` and `report_timeout_seconds`.
"""

from __future__ import annotations

import time

import pytest
from singer_sdk.exceptions import RetriableAPIError

from tap_pinterest_ads.errors import AccountError, AuthError, RateLimitError
from tests.streams.reliability import (
    ALL,
    FAST_RETRY,
    FAULT_INJECTION_DATASET,
    START,
    assert_complete,
    report_creations,
    revoke_access_tokens_at,
)
from tests.tap_runner import (
    DELIVERY,
    ENTITY_STREAMS,
    config_for,
    run,
    sync,
)

DATASET = FAULT_INJECTION_DATASET
pytestmark = pytest.mark.usefixtures("quick_polls")


# Retries: rate limits ------------------------------------------------------------------


@pytest.mark.parametrize("header", ["Retry-After", "X-RateLimit-Reset"])
def test_a_429_waits_as_long_as_the_header_says_then_retries(sim, dataset, log, header):
    sim.faults.http_error(r"/campaigns$", 429, headers={header: "0"})

    assert_complete(sync(config_for(sim, START), ENTITY_STREAMS), dataset, streams=ENTITY_STREAMS)

    (line,) = log("Retrying")
    assert "/campaigns after HTTP 429 (code 8): waiting 0.0 s (attempt 2 of 8)" in line


@pytest.mark.parametrize("mode", ["fail", "skip"])
def test_a_rate_limit_wait_over_the_cap_fails_the_run_at_once_and_is_never_skipped(sim, log, mode):
    # A spent daily quota: X-RateLimit-Reset says come back in ~18 hours.
    sim.faults.http_error(
        r"/reports$", 429, method="POST", headers={"X-RateLimit-Reset": "67000"}, times=None
    )
    began = time.monotonic()

    outcome = run(config_for(sim, START, on_account_error=mode), (DELIVERY,))
    with pytest.raises(RateLimitError) as error:
        outcome.raise_error()

    assert time.monotonic() - began < 10
    assert "HTTP 429 code 8 from POST" in str(error.value)
    assert "Pinterest asks to wait 67000 s, longer than max_rate_limit_wait_seconds=600" in str(
        error.value
    )
    assert len(report_creations(sim)) == 1
    assert outcome.records(DELIVERY) == []
    assert log("Skipping ad account") == []


@pytest.mark.parametrize("mode", ["fail", "skip"])
def test_a_code_8_rate_limit_that_outlasts_the_retries_fails_and_is_never_skipped(sim, log, mode):
    sim.faults.http_error(r"/campaigns$", 429, headers=FAST_RETRY, times=None)

    with pytest.raises(RetriableAPIError, match="HTTP 429 code 8"):
        sync(config_for(sim, START, max_retries=3, on_account_error=mode), ENTITY_STREAMS)

    assert len(sim.requests.filter("GET", r"/campaigns$")) == 3
    assert len(log("Retrying")) == 2
    assert log("Skipping ad account") == []


# Retries: server errors, connections, timeouts ------------------------------------------


@pytest.mark.parametrize("status", [500, 502, 503, 504])
def test_a_5xx_is_retried(sim, dataset, log, status):
    sim.faults.http_error(r"/ad_groups$", status, headers=FAST_RETRY)

    assert_complete(sync(config_for(sim, START), ENTITY_STREAMS), dataset, streams=ENTITY_STREAMS)

    (line,) = log("Retrying")
    assert f"/ad_groups after HTTP {status} (code 1000): waiting 0.0 s" in line


def test_a_5xx_without_a_hint_backs_off_exponentially(sim, dataset, log):
    sim.faults.http_error(r"/ads$", 503)

    assert_complete(sync(config_for(sim, START), ENTITY_STREAMS), dataset, streams=ENTITY_STREAMS)

    (line,) = log("Retrying")
    assert "/ads after HTTP 503 (code 1000): waiting 1.0 s (attempt 2 of 8)" in line


def test_a_5xx_on_every_attempt_fails_after_max_retries(sim, dataset, log):
    sim.faults.http_error(r"/campaigns$", 500, headers=FAST_RETRY, times=None)
    first = dataset.account_ids[0]

    with pytest.raises(RetriableAPIError) as error:
        sync(config_for(sim, START, max_retries=3), ENTITY_STREAMS)

    assert str(error.value).startswith(
        f"HTTP 500 code 1000 from GET /v5/ad_accounts/{first}/campaigns: Internal server error."
    )
    assert len(sim.requests.filter("GET", r"/campaigns$")) == 3
    assert [line.split(": ")[-1] for line in log("Retrying")] == [
        "waiting 0.0 s (attempt 2 of 3)",
        "waiting 0.0 s (attempt 3 of 3)",
    ]


def test_a_dropped_connection_is_retried(sim, dataset, log):
    sim.faults.drop_connection(r"/campaigns$")

    assert_complete(sync(config_for(sim, START), ENTITY_STREAMS), dataset, streams=ENTITY_STREAMS)

    (line,) = log("Retrying")
    assert "/campaigns after ConnectionError: waiting 1.0 s" in line


def test_a_request_that_times_out_is_retried(sim, dataset, log):
    sim.faults.delay(r"/ad_groups$", 3)

    config = config_for(sim, START, request_timeout_seconds=1)
    assert_complete(sync(config, ENTITY_STREAMS), dataset, streams=ENTITY_STREAMS)

    (line,) = log("Retrying")
    assert "/ad_groups after ReadTimeout: waiting 1.0 s" in line


# Retries: report-creation cost limits ----------------------------------------------------


@pytest.mark.parametrize(
    ("status", "body", "wait"),
    [
        (
            429,
            {"code": 2726, "message": "Reporting query cost limit exceeded. Retry after 0 seconds"},
            "0.0",
        ),
        (400, {"code": 1, "message": "Retry after 0 seconds"}, "0.0"),
        (400, {"code": 12, "message": "Something went wrong on our end. Sorry about that."}, "1.0"),
    ],
    ids=["429-code-2726", "400-code-1", "400-code-12"],
)
def test_a_report_creation_cost_limit_is_waited_out(  # noqa: PLR0917 - pytest fixtures
    sim, dataset, log, status, body, wait
):
    sim.faults.http_error(r"/reports$", status, method="POST", body=body)

    assert_complete(sync(config_for(sim, START), (DELIVERY,)), dataset, streams=(DELIVERY,))

    assert len(report_creations(sim)) == len(dataset.account_ids) + 1
    (line,) = log("Retrying")
    assert f"/reports after HTTP {status} (code {body['code']}): waiting {wait} s" in line


def test_a_plain_400_on_report_creation_is_not_retried_and_names_the_account(sim, dataset):
    account = dataset.account_ids[1]
    sim.faults.http_error(
        rf"/ad_accounts/{account}/reports$",
        400,
        method="POST",
        body={"code": 1, "message": "Invalid parameters."},
    )

    with pytest.raises(AccountError) as error:
        sync(config_for(sim, START), (DELIVERY,))

    assert str(error.value).startswith(
        f"ad account {account}: HTTP 400 code 1 from POST /v5/ad_accounts/{account}/reports: "
        "Invalid parameters. [x-pinterest-rid "
    )
    assert len(report_creations(sim, account)) == 1


# Retries: the access token expires mid-run ---------------------------------------------


def test_an_access_token_revoked_mid_run_is_refreshed_once_and_the_request_retried(
    sim, dataset, log
):
    revoke_access_tokens_at(sim, 6)

    assert_complete(sync(config_for(sim, START), ALL), dataset)

    assert len(sim.requests.filter("POST", r"/oauth/token$")) == 2
    assert log("Access token refused (HTTP 401); refreshing it once") != []
    (line,) = log("Retrying")
    assert "after HTTP 401 (code 2): waiting 0.0 s" in line


def test_a_401_right_after_the_refresh_fails_clearly_instead_of_looping(sim):
    revoke_access_tokens_at(sim, *range(6, 100))

    with pytest.raises(AuthError, match="rejected a freshly refreshed access token"):
        sync(config_for(sim, START), ALL)

    assert len(sim.requests.filter("POST", r"/oauth/token$")) == 2
