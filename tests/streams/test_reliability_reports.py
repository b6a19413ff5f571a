"""Fault injection against the local simulator, report jobs and isolation: reports that fail,
time out or cannot be downloaded, `on_account_error`, and termination by a signal. Every fault
the tap must survive, one test each (retries: test_reliability_retries.py).

Each test switches on one simulator fault, runs a whole sync and then checks either that the
data is complete and exact (entity ids and delivery rows compared with the dataset, no
duplicates) together with the log line of the retry, or the exact error the run stops with.
Waits are kept short with `Retry-After: 0`, small `max_retries` and `report_timeout_seconds`.
"""

from __future__ import annotations

import datetime as dt
import logging
import signal
import time

import pytest

from tap_pinterest_ads.errors import AccountAccessError, AccountError
from tests.cli_runner import (
    start_tap,
)
from tests.streams.reliability import (
    ALL,
    FAST_RETRY,
    FAULT_INJECTION_DATASET,
    START,
    TODAY,
    assert_complete,
    downloads,
    report_creations,
)
from tests.tap_runner import (
    DELIVERY,
    bookmarks,
    config_for,
    delivery_facts,
    entity_ids,
    expected_delivery,
    parse_messages,
    records,
    run,
    state_with,
    states,
    sync,
)

DATASET = FAULT_INJECTION_DATASET
pytestmark = pytest.mark.usefixtures("quick_polls")


# Report jobs -----------------------------------------------------------------------------


@pytest.mark.parametrize("status", ["FAILED", "EXPIRED", "CANCELLED", "DOES_NOT_EXIST"])
def test_a_report_that_ends_without_a_file_is_created_again(sim, dataset, log, status):
    sim.faults.report_status(status)

    assert_complete(sync(config_for(sim, START), (DELIVERY,)), dataset, streams=(DELIVERY,))

    assert len(report_creations(sim)) == len(dataset.account_ids) + 1
    (line,) = log(f"Report {status} for ad account")
    assert line.endswith("; creating it again")


def test_a_report_that_keeps_failing_stops_after_three_creations_naming_the_account(sim, dataset):
    sim.faults.report_status("FAILED", times=None)
    first = dataset.account_ids[0]

    with pytest.raises(AccountError) as error:
        sync(config_for(sim, START), (DELIVERY,))

    assert str(error.value) == (
        f"ad account {first}: report for ad account {first}, window {START}..{TODAY} failed: "
        "status FAILED after 3 creation(s)"
    )
    assert len(report_creations(sim, first)) == 3


def test_a_report_not_ready_by_the_deadline_fails_naming_report_timeout_seconds(sim, dataset):
    sim.faults.report_status("IN_PROGRESS", times=None)
    first = dataset.account_ids[0]

    with pytest.raises(AccountError) as error:
        sync(config_for(sim, START, report_timeout_seconds=1), (DELIVERY,))

    message = str(error.value)
    assert message.startswith(f"ad account {first}: report for ad account {first}, window ")
    assert "not ready after 1s (last status IN_PROGRESS)" in message
    assert message.endswith("raise report_timeout_seconds to wait longer")


def test_an_expired_download_link_is_polled_again_for_a_fresh_one(sim, dataset, log):
    sim.faults.expire_download()

    assert_complete(sync(config_for(sim, START), (DELIVERY,)), dataset, streams=(DELIVERY,))

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
def test_a_broken_download_is_downloaded_again(sim, dataset, log, fault, reason):
    if fault == "drop_connection":
        sim.faults.drop_connection(r"^/_files/")
    else:
        getattr(sim.faults, fault)()

    assert_complete(sync(config_for(sim, START), (DELIVERY,)), dataset, streams=(DELIVERY,))

    assert len(downloads(sim)) == len(dataset.account_ids) + 1
    assert len(report_creations(sim)) == len(dataset.account_ids)
    (line,) = log("Report download 1/3")
    assert reason in line
    assert "X-Amz-Signature" not in line
    assert line.endswith("/metrics_report.txt?<redacted>")


def test_a_download_that_keeps_failing_stops_after_three_attempts(sim, dataset):
    sim.faults.corrupt_download(times=None)
    first = dataset.account_ids[0]

    with pytest.raises(AccountError) as error:
        sync(config_for(sim, START), (DELIVERY,))

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
    sim, dataset, log, index
):
    accounts = dataset.account_ids
    forbidden = accounts[index]
    others = [a for a in accounts if a != forbidden]
    sim.faults.forbidden_accounts.add(forbidden)
    state = state_with(dict.fromkeys(accounts, BOOKMARK))

    messages = sync(config_for(sim, START, on_account_error="skip"), ALL, state)

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


def test_skip_carries_on_after_a_report_that_keeps_failing(sim, dataset, log):
    accounts = dataset.account_ids
    failing = accounts[1]
    others = [a for a in accounts if a != failing]
    sim.faults.report_status("FAILED", times=None, path=rf"/ad_accounts/{failing}/reports$")
    state = state_with(dict.fromkeys(accounts, BOOKMARK))

    messages = sync(config_for(sim, START, on_account_error="skip"), (DELIVERY,), state)

    assert_complete(messages, dataset, others, (DELIVERY,), start=RERUN_START)
    assert bookmarks(states(messages)[-1])[failing] == BOOKMARK
    (line,) = log(f"Skipping ad account {failing} in stream '{DELIVERY}'", logging.WARNING)
    assert "status FAILED after 3 creation(s)" in line


def test_skip_keeps_the_bookmark_at_the_last_window_read_before_the_failure(sim, dataset, log):
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

    messages = sync(config, (DELIVERY,))

    got = {delivery_facts(r) for r in records(messages, DELIVERY)}
    assert {f for f in got if f[0] == last} == expected_delivery(
        dataset, [last], start, first_window_end
    )
    assert bookmarks(states(messages)[-1])[last] == first_window_end.isoformat()
    assert log(f"Skipping ad account {last} in stream '{DELIVERY}'", logging.WARNING) != []


def test_fail_is_the_default_and_stops_the_run_naming_the_account(sim, dataset):
    forbidden = dataset.account_ids[1]
    sim.faults.forbidden_accounts.add(forbidden)

    with pytest.raises(AccountAccessError) as error:
        sync(config_for(sim, START), (DELIVERY,))

    assert str(error.value).startswith(
        f"ad account {forbidden} is not accessible with these credentials (HTTP 403"
    )


def test_skip_drops_a_configured_account_it_cannot_read_and_sends_no_activate_version(
    sim, dataset, log
):
    readable, forbidden = dataset.account_ids[0], dataset.account_ids[1]
    sim.faults.forbidden_accounts.add(forbidden)
    config = config_for(
        sim, START, on_account_error="skip", advertiser_ids=f"{readable},{forbidden}"
    )

    messages = sync(config, ALL)

    assert_complete(messages, dataset, [readable])
    assert [m for m in messages if m["type"] == "ACTIVATE_VERSION"] == []
    assert log("Not sending ACTIVATE_VERSION this run", logging.WARNING) != []
    assert list(bookmarks(states(messages)[-1])) == [readable]


def test_skip_still_fails_when_no_configured_account_can_be_read(sim, dataset):
    forbidden = dataset.account_ids[1]
    sim.faults.forbidden_accounts.add(forbidden)
    config = config_for(sim, START, on_account_error="skip", advertiser_ids=forbidden)

    outcome = run(config, ALL)

    with pytest.raises(AccountAccessError):
        outcome.raise_error()
    assert outcome.records() == []


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
