"""Fault injection against the local simulator: every fault the tap must survive, one test each.

Each test switches on one simulator fault, runs a whole sync and then checks either that the
data is complete and exact (entity ids and delivery rows compared with the dataset, no
duplicates) together with the log line of the retry, or the exact error the run stops with.
Waits are kept short with `Retry-After: 0`, small `max_retries` and `report_timeout_seconds`.
"""

from __future__ import annotations

import datetime as dt
import itertools
import logging
import signal
import time
from functools import partial

import pytest
from singer_sdk.exceptions import RetriableAPIError

from pinterest_simulator import Dataset, Simulator
from tap_pinterest_ads.errors import AccountAccessError, AccountError, AuthError, RateLimitError
from tap_pinterest_ads.reports.job import ReportJob
from tap_pinterest_ads.streams import report_base
from tests.tap_runner import (
    DELIVERY,
    ENTITY_STREAMS,
    bookmarks,
    config_for,
    delivery_facts,
    entity_ids,
    expected_delivery,
    expected_entity_ids,
    parse_messages,
    records,
    start_tap,
    state_with,
    states,
    sync,
    today,
    written,
)

TODAY = today()
START = TODAY - dt.timedelta(days=20)  # one report window per account
ALL = (*ENTITY_STREAMS, DELIVERY)
FAST_RETRY = {"Retry-After": "0"}


@pytest.fixture(scope="module")
def dataset() -> Dataset:
    return Dataset(
        accounts=3,
        campaigns_per_account=1,
        ad_groups_per_campaign=2,
        ads_per_ad_group=2,
        days=220,
        seed=11,
        today=TODAY,
    )


@pytest.fixture
def sim(dataset):
    with Simulator(dataset=dataset) as simulator:
        yield simulator


@pytest.fixture(autouse=True)
def quick_polls(monkeypatch):
    """First report poll after 0.05 s instead of 1 s: the suite waits less, nothing else changes."""
    monkeypatch.setattr(report_base, "ReportJob", partial(ReportJob, poll_initial=0.05))


@pytest.fixture
def log(caplog):
    """Messages logged so far (INFO and up) that start with `prefix`."""
    caplog.set_level(logging.INFO)

    def lines(prefix: str = "", level: int = logging.INFO) -> list[str]:
        return [
            r.getMessage()
            for r in caplog.records
            if r.levelno >= level and r.getMessage().startswith(prefix)
        ]

    return lines


def assert_complete(
    messages: list[dict],
    dataset: Dataset,
    accounts: list[str] | None = None,
    streams: tuple[str, ...] = ALL,
    start: dt.date = START,
) -> None:
    """Every entity and every delivery row of `accounts`, exactly once, and nothing else."""
    accounts = dataset.account_ids if accounts is None else accounts
    for stream in streams:
        if stream == DELIVERY:
            got = [delivery_facts(r) for r in records(messages, DELIVERY)]
            assert len(got) == len(set(got)), "no duplicate rows"
            assert set(got) == expected_delivery(dataset, accounts, start)
        else:
            assert entity_ids(messages, stream) == expected_entity_ids(dataset, stream, accounts)


def report_creations(sim: Simulator, account: str | None = None) -> list:
    path = rf"/ad_accounts/{account}/reports$" if account else r"/reports$"
    return sim.requests.filter("POST", path)


def downloads(sim: Simulator) -> list:
    return sim.requests.filter("GET", r"^/_files/")


# Retries: rate limits ------------------------------------------------------------------


@pytest.mark.parametrize("header", ["Retry-After", "X-RateLimit-Reset"])
def test_a_429_waits_as_long_as_the_header_says_then_retries(sim, dataset, capsys, log, header):
    sim.faults.http_error(r"/campaigns$", 429, headers={header: "0"})

    assert_complete(
        sync(capsys, config_for(sim, START), ENTITY_STREAMS), dataset, streams=ENTITY_STREAMS
    )

    (line,) = log("Retrying")
    assert "/campaigns after HTTP 429 (code 8): waiting 0.0 s (attempt 2 of 8)" in line


@pytest.mark.parametrize("mode", ["fail", "skip"])
def test_a_rate_limit_wait_over_the_cap_fails_the_run_at_once_and_is_never_skipped(
    sim, capsys, log, mode
):
    # A spent daily quota: X-RateLimit-Reset says come back in ~18 hours.
    sim.faults.http_error(
        r"/reports$", 429, method="POST", headers={"X-RateLimit-Reset": "67000"}, times=None
    )
    began = time.monotonic()

    with pytest.raises(RateLimitError) as error:
        sync(capsys, config_for(sim, START, on_account_error=mode), (DELIVERY,))

    assert time.monotonic() - began < 10
    assert "HTTP 429 code 8 from POST" in str(error.value)
    assert "Pinterest asks to wait 67000 s, longer than max_rate_limit_wait_seconds=600" in str(
        error.value
    )
    assert len(report_creations(sim)) == 1
    assert records(written(capsys), DELIVERY) == []
    assert log("Skipping ad account") == []


@pytest.mark.parametrize("mode", ["fail", "skip"])
def test_a_code_8_rate_limit_that_outlasts_the_retries_fails_and_is_never_skipped(
    sim, capsys, log, mode
):
    sim.faults.http_error(r"/campaigns$", 429, headers=FAST_RETRY, times=None)

    with pytest.raises(RetriableAPIError, match="HTTP 429 code 8"):
        sync(capsys, config_for(sim, START, max_retries=3, on_account_error=mode), ENTITY_STREAMS)

    assert len(sim.requests.filter("GET", r"/campaigns$")) == 3
    assert len(log("Retrying")) == 2
    assert log("Skipping ad account") == []


# Retries: server errors, connections, timeouts ------------------------------------------


@pytest.mark.parametrize("status", [500, 502, 503, 504])
def test_a_5xx_is_retried(sim, dataset, capsys, log, status):
    sim.faults.http_error(r"/ad_groups$", status, headers=FAST_RETRY)

    assert_complete(
        sync(capsys, config_for(sim, START), ENTITY_STREAMS), dataset, streams=ENTITY_STREAMS
    )

    (line,) = log("Retrying")
    assert f"/ad_groups after HTTP {status} (code 1000): waiting 0.0 s" in line


def test_a_5xx_without_a_hint_backs_off_exponentially(sim, dataset, capsys, log):
    sim.faults.http_error(r"/ads$", 503)

    assert_complete(
        sync(capsys, config_for(sim, START), ENTITY_STREAMS), dataset, streams=ENTITY_STREAMS
    )

    (line,) = log("Retrying")
    assert "/ads after HTTP 503 (code 1000): waiting 1.0 s (attempt 2 of 8)" in line


def test_a_5xx_on_every_attempt_fails_after_max_retries(sim, dataset, capsys, log):
    sim.faults.http_error(r"/campaigns$", 500, headers=FAST_RETRY, times=None)
    first = dataset.account_ids[0]

    with pytest.raises(RetriableAPIError) as error:
        sync(capsys, config_for(sim, START, max_retries=3), ENTITY_STREAMS)

    assert str(error.value).startswith(
        f"HTTP 500 code 1000 from GET /v5/ad_accounts/{first}/campaigns: Internal server error."
    )
    assert len(sim.requests.filter("GET", r"/campaigns$")) == 3
    assert [line.split(": ")[-1] for line in log("Retrying")] == [
        "waiting 0.0 s (attempt 2 of 3)",
        "waiting 0.0 s (attempt 3 of 3)",
    ]


def test_a_dropped_connection_is_retried(sim, dataset, capsys, log):
    sim.faults.drop_connection(r"/campaigns$")

    assert_complete(
        sync(capsys, config_for(sim, START), ENTITY_STREAMS), dataset, streams=ENTITY_STREAMS
    )

    (line,) = log("Retrying")
    assert "/campaigns after ConnectionError: waiting 1.0 s" in line


def test_a_request_that_times_out_is_retried(sim, dataset, capsys, log):
    sim.faults.delay(r"/ad_groups$", 3)

    config = config_for(sim, START, request_timeout_seconds=1)
    assert_complete(sync(capsys, config, ENTITY_STREAMS), dataset, streams=ENTITY_STREAMS)

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
    sim, dataset, capsys, log, status, body, wait
):
    sim.faults.http_error(r"/reports$", status, method="POST", body=body)

    assert_complete(sync(capsys, config_for(sim, START), (DELIVERY,)), dataset, streams=(DELIVERY,))

    assert len(report_creations(sim)) == len(dataset.account_ids) + 1
    (line,) = log("Retrying")
    assert f"/reports after HTTP {status} (code {body['code']}): waiting {wait} s" in line


def test_a_plain_400_on_report_creation_is_not_retried_and_names_the_account(sim, dataset, capsys):
    account = dataset.account_ids[1]
    sim.faults.http_error(
        rf"/ad_accounts/{account}/reports$",
        400,
        method="POST",
        body={"code": 1, "message": "Invalid parameters."},
    )

    with pytest.raises(AccountError) as error:
        sync(capsys, config_for(sim, START), (DELIVERY,))

    assert str(error.value).startswith(
        f"ad account {account}: HTTP 400 code 1 from POST /v5/ad_accounts/{account}/reports: "
        "Invalid parameters. [x-pinterest-rid "
    )
    assert len(report_creations(sim, account)) == 1


# Retries: the access token expires mid-run ---------------------------------------------


def revoke_access_tokens_at(sim: Simulator, *requests_numbers: int) -> None:
    """Revoke every access token when the API receives its n-th authenticated request."""
    check, seen = sim.tokens.check_bearer, itertools.count(1)

    def revoking_check(header: str | None) -> str:
        if next(seen) in requests_numbers:
            sim.faults.revoke_access_token()
        return check(header)

    sim.tokens.check_bearer = revoking_check  # type: ignore[method-assign]


def test_an_access_token_revoked_mid_run_is_refreshed_once_and_the_request_retried(
    sim, dataset, capsys, log
):
    revoke_access_tokens_at(sim, 6)

    assert_complete(sync(capsys, config_for(sim, START), ALL), dataset)

    assert len(sim.requests.filter("POST", r"/oauth/token$")) == 2
    assert log("Access token refused (HTTP 401); refreshing it once") != []
    (line,) = log("Retrying")
    assert "after HTTP 401 (code 2): waiting 0.0 s" in line


def test_a_401_right_after_the_refresh_fails_clearly_instead_of_looping(sim, capsys):
    revoke_access_tokens_at(sim, *range(6, 100))

    with pytest.raises(AuthError, match="rejected a freshly refreshed access token"):
        sync(capsys, config_for(sim, START), ALL)

    assert len(sim.requests.filter("POST", r"/oauth/token$")) == 2


# Report jobs -----------------------------------------------------------------------------


@pytest.mark.parametrize("status", ["FAILED", "EXPIRED", "CANCELLED", "DOES_NOT_EXIST"])
def test_a_report_that_ends_without_a_file_is_created_again(sim, dataset, capsys, log, status):
    sim.faults.report_status(status)

    assert_complete(sync(capsys, config_for(sim, START), (DELIVERY,)), dataset, streams=(DELIVERY,))

    assert len(report_creations(sim)) == len(dataset.account_ids) + 1
    (line,) = log(f"Report {status} for ad account")
    assert line.endswith("; creating it again")


def test_a_report_that_keeps_failing_stops_after_three_creations_naming_the_account(
    sim, dataset, capsys
):
    sim.faults.report_status("FAILED", times=None)
    first = dataset.account_ids[0]

    with pytest.raises(AccountError) as error:
        sync(capsys, config_for(sim, START), (DELIVERY,))

    assert str(error.value) == (
        f"ad account {first}: report for ad account {first}, window {START}..{TODAY} failed: "
        "status FAILED after 3 creation(s)"
    )
    assert len(report_creations(sim, first)) == 3


def test_a_report_not_ready_by_the_deadline_fails_naming_report_timeout_seconds(
    sim, dataset, capsys
):
    sim.faults.report_status("IN_PROGRESS", times=None)
    first = dataset.account_ids[0]

    with pytest.raises(AccountError) as error:
        sync(capsys, config_for(sim, START, report_timeout_seconds=1), (DELIVERY,))

    message = str(error.value)
    assert message.startswith(f"ad account {first}: report for ad account {first}, window ")
    assert "not ready after 1s (last status IN_PROGRESS)" in message
    assert message.endswith("raise report_timeout_seconds to wait longer")


def test_an_expired_download_link_is_polled_again_for_a_fresh_one(sim, dataset, capsys, log):
    sim.faults.expire_download()

    assert_complete(sync(capsys, config_for(sim, START), (DELIVERY,)), dataset, streams=(DELIVERY,))

    assert len(report_creations(sim)) == len(dataset.account_ids)
    expired, fresh = downloads(sim)[:2]
    assert expired.status == 403
    assert fresh.status == 200
    assert expired.query["X-Amz-Signature"] != fresh.query["X-Amz-Signature"]
    (line,) = log("Report download 1/3")
    assert "failed (storage answered HTTP 403)" in line


@pytest.mark.parametrize(
    ("fault", "reason"),
    [
        ("truncate_download", "bytes"),
        ("corrupt_download", "JSON report ends mid-document"),
        ("drop_connection", "Error after 0 bytes"),
    ],
    ids=["truncated", "corrupt", "connection-dropped"],
)
def test_a_broken_download_is_downloaded_again(  # noqa: PLR0917 - pytest fixtures
    sim, dataset, capsys, log, fault, reason
):
    if fault == "drop_connection":
        sim.faults.drop_connection(r"^/_files/")
    else:
        getattr(sim.faults, fault)()

    assert_complete(sync(capsys, config_for(sim, START), (DELIVERY,)), dataset, streams=(DELIVERY,))

    assert len(downloads(sim)) == len(dataset.account_ids) + 1
    assert len(report_creations(sim)) == len(dataset.account_ids)
    (line,) = log("Report download 1/3")
    assert reason in line
    assert "X-Amz-Signature" not in line
    assert line.endswith("/metrics_report.txt?<redacted>")


def test_a_download_that_keeps_failing_stops_after_three_attempts(sim, dataset, capsys):
    sim.faults.corrupt_download(times=None)
    first = dataset.account_ids[0]

    with pytest.raises(AccountError) as error:
        sync(capsys, config_for(sim, START), (DELIVERY,))

    assert str(error.value).startswith(
        f"ad account {first}: report for ad account {first}, window {START}..{TODAY} could not "
        "be downloaded after 3 attempt(s): JSON report ends mid-document after "
    )
    assert len(downloads(sim)) == 3


# Isolation: on_account_error -----------------------------------------------------------

BOOKMARK = (TODAY - dt.timedelta(days=10)).isoformat()
RERUN_START = TODAY - dt.timedelta(days=15)  # the bookmark minus the default 5-day lookback


@pytest.mark.parametrize("index", [0, 1], ids=["first-account", "middle-account"])
def test_skip_carries_on_without_an_inaccessible_account_and_keeps_its_bookmark(
    sim, dataset, capsys, log, index
):
    accounts = dataset.account_ids
    forbidden = accounts[index]
    others = [a for a in accounts if a != forbidden]
    sim.faults.forbidden_accounts.add(forbidden)
    state = state_with(dict.fromkeys(accounts, BOOKMARK))

    messages = sync(capsys, config_for(sim, START, on_account_error="skip"), ALL, state)

    assert entity_ids(messages, "ad_accounts") == set(accounts)  # it is listed, not readable
    assert_complete(messages, dataset, others, ALL[1:], start=RERUN_START)
    assert bookmarks(states(messages)[-1]) == {
        **dict.fromkeys(others, TODAY.isoformat()),
        forbidden: BOOKMARK,
    }
    skipped = log(f"Skipping ad account {forbidden} in stream", logging.WARNING)
    assert [line.split("'")[1] for line in skipped] == [
        "campaigns",
        "ad_groups",
        "pin_promotions",
        DELIVERY,
    ]
    assert all("is not accessible with these credentials (HTTP 403" in line for line in skipped)
    assert log("Finished with 1 ad account(s) skipped", logging.WARNING) != []


def test_skip_carries_on_after_a_report_that_keeps_failing(sim, dataset, capsys, log):
    accounts = dataset.account_ids
    failing = accounts[1]
    others = [a for a in accounts if a != failing]
    sim.faults.report_status("FAILED", times=None, path=rf"/ad_accounts/{failing}/reports$")
    state = state_with(dict.fromkeys(accounts, BOOKMARK))

    messages = sync(capsys, config_for(sim, START, on_account_error="skip"), (DELIVERY,), state)

    assert_complete(messages, dataset, others, (DELIVERY,), start=RERUN_START)
    assert bookmarks(states(messages)[-1])[failing] == BOOKMARK
    (line,) = log(f"Skipping ad account {failing} in stream '{DELIVERY}'", logging.WARNING)
    assert "status FAILED after 3 creation(s)" in line


def test_skip_keeps_the_bookmark_at_the_last_window_read_before_the_failure(
    sim, dataset, capsys, log
):
    last = dataset.account_ids[-1]
    start = TODAY - dt.timedelta(days=200)  # two windows: 186 days, then 15
    first_window_end = start + dt.timedelta(days=185)
    create = sim.reports.create

    def create_then_break_the_second_window(account_id: str, payload: dict):
        # Once the last account's second report exists, every poll of it answers 500.
        if account_id == last and payload["start_date"] > first_window_end.isoformat():
            sim.faults.http_error(
                rf"/ad_accounts/{last}/reports$", 500, method="GET", headers=FAST_RETRY, times=None
            )
        return create(account_id, payload)

    sim.reports.create = create_then_break_the_second_window  # type: ignore[method-assign]
    config = config_for(sim, start, on_account_error="skip", max_reports_in_flight=1, max_retries=2)

    messages = sync(capsys, config, (DELIVERY,))

    got = {delivery_facts(r) for r in records(messages, DELIVERY)}
    assert {f for f in got if f[0] == last} == expected_delivery(
        dataset, [last], start, first_window_end
    )
    assert bookmarks(states(messages)[-1])[last] == first_window_end.isoformat()
    assert log(f"Skipping ad account {last} in stream '{DELIVERY}'", logging.WARNING) != []


def test_fail_is_the_default_and_stops_the_run_naming_the_account(sim, dataset, capsys):
    forbidden = dataset.account_ids[1]
    sim.faults.forbidden_accounts.add(forbidden)

    with pytest.raises(AccountAccessError) as error:
        sync(capsys, config_for(sim, START), (DELIVERY,))

    assert str(error.value).startswith(
        f"ad account {forbidden} is not accessible with these credentials (HTTP 403"
    )


def test_skip_drops_a_configured_account_it_cannot_read_and_sends_no_activate_version(
    sim, dataset, capsys, log
):
    readable, forbidden = dataset.account_ids[0], dataset.account_ids[1]
    sim.faults.forbidden_accounts.add(forbidden)
    config = config_for(
        sim, START, on_account_error="skip", advertiser_ids=f"{readable},{forbidden}"
    )

    messages = sync(capsys, config, ALL)

    assert_complete(messages, dataset, [readable])
    assert [m for m in messages if m["type"] == "ACTIVATE_VERSION"] == []
    assert log("Not sending ACTIVATE_VERSION this run", logging.WARNING) != []
    assert list(bookmarks(states(messages)[-1])) == [readable]


def test_skip_still_fails_when_no_configured_account_can_be_read(sim, dataset, capsys):
    forbidden = dataset.account_ids[1]
    sim.faults.forbidden_accounts.add(forbidden)
    config = config_for(sim, START, on_account_error="skip", advertiser_ids=forbidden)

    with pytest.raises(AccountAccessError):
        sync(capsys, config, ALL)

    assert records(written(capsys)) == []


# Termination by a signal ---------------------------------------------------------------


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGINT])
def test_a_signal_writes_the_state_and_exits_non_zero(sim, dataset, tmp_path, signum):
    sim.report_delay_seconds = 60  # the tap is waiting for a report when the signal comes
    state = state_with(dict.fromkeys(dataset.account_ids, BOOKMARK))
    process = start_tap(tmp_path, config_for(sim, START), (DELIVERY,), state)
    try:
        deadline = time.monotonic() + 30
        while not sim.requests.filter("GET", r"/reports$") and time.monotonic() < deadline:
            time.sleep(0.05)
        process.send_signal(signum)
        stdout, _ = process.communicate(timeout=20)
    finally:
        process.kill()

    assert process.returncode == 128 + signum
    last = parse_messages(stdout.splitlines()[-1])
    assert [m["type"] for m in last] == ["STATE"]
    assert bookmarks(last[0]["value"]) == dict.fromkeys(dataset.account_ids, BOOKMARK)
    stderr = next(tmp_path.glob("stderr-*.log")).read_text()
    assert f"Stopped by {signal.Signals(signum).name}: writing the state and exiting" in stderr
    assert "Traceback" not in stderr
