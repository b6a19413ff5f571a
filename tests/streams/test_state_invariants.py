"""State invariants of the report streams, against the simulator.

A bookmark only ever holds a day the tap requested and finished (a window's end, never a
row's value) and never a day after today (UTC). A state that holds something else is read,
repaired with a WARNING, or refused in one line; it never causes a traceback.
"""

from __future__ import annotations

import datetime as dt
import logging

import pytest

from pinterest_simulator import Dataset
from tap_pinterest_ads.reports.bookmarks import StateBookmarkError
from tests.cli_runner import (
    run_tap,
)
from tests.simulator_factory import running_simulator
from tests.tap_runner import (
    DELIVERY,
    config_for,
    delivery_facts,
    error_lines,
    expected_delivery,
    run,
    state_with,
    today,
)

TODAY = today()
START = TODAY - dt.timedelta(days=20)
LOOKBACK = 5
WHERE = "Stream 'pin_promotion_delivery', ad account"
DATASET = {"days": 320, "seed": 17, "today": TODAY}
pytestmark = pytest.mark.usefixtures("quick_polls")


def report_starts(sim, account: str) -> list[str]:
    return [r.json()["start_date"] for r in sim.requests.filter("POST", rf"/{account}/reports$")]


def facts_of(outcome, account: str) -> set[tuple]:
    return {delivery_facts(r) for r in outcome.records(DELIVERY) if r["ad_account_id"] == account}


@pytest.mark.parametrize("future", ["2099-01-01", (TODAY + dt.timedelta(days=1)).isoformat()])
def test_a_bookmark_in_the_future_is_clamped_to_today_with_a_warning_naming_account_and_date(
    sim, dataset, future
):
    first, second = dataset.account_ids
    config = config_for(sim, START, lookback_days=LOOKBACK)

    outcome = run(config, (DELIVERY,), state_with({first: future}))

    assert outcome.error is None, outcome.error
    (warning,) = outcome.lines("clamping it to today", logging.WARNING)
    assert warning == (
        f"{WHERE} {first}: the state's bookmark '{future}' is after today ({TODAY}, UTC); "
        "clamping it to today"
    )
    resumed = TODAY - dt.timedelta(days=LOOKBACK)
    assert report_starts(sim, first) == [resumed.isoformat()]
    assert facts_of(outcome, first) == expected_delivery(dataset, [first], resumed)
    assert facts_of(outcome, second) == expected_delivery(dataset, [second], START)
    # Even the run's first STATE (the input state, echoed) holds no day after today.
    for state in outcome.states():
        values = outcome.bookmarks(DELIVERY, state).values()
        assert all(v <= TODAY.isoformat() for v in values if v is not None)
    assert outcome.bookmarks(DELIVERY) == {first: TODAY.isoformat(), second: TODAY.isoformat()}


def test_a_date_time_bookmark_an_older_version_wrote_is_read_as_its_day(sim, dataset):
    first = dataset.account_ids[0]
    day = TODAY - dt.timedelta(days=10)
    config = config_for(sim, START, lookback_days=LOOKBACK)

    outcome = run(config, (DELIVERY,), state_with({first: f"{day}T00:00:00"}))

    assert outcome.error is None, outcome.error
    (warning,) = outcome.lines("is a date-time", logging.WARNING)
    assert warning.endswith(f"'{day}T00:00:00' is a date-time; reading it as {day}")
    assert report_starts(sim, first) == [(day - dt.timedelta(days=LOOKBACK)).isoformat()]
    assert outcome.bookmarks(DELIVERY)[first] == TODAY.isoformat()


@pytest.mark.parametrize("value", ["31/12/2026", "yesterday", 20261126, ["2026-11-26"]])
def test_a_bookmark_that_is_not_a_date_stops_the_run_in_one_line_before_any_report(
    sim, dataset, value
):
    first = dataset.account_ids[0]

    outcome = run(config_for(sim, START), ("campaigns", DELIVERY), state_with({first: value}))

    assert isinstance(outcome.error, StateBookmarkError)
    assert outcome.error_line.startswith(f"{WHERE} {first}: the state's bookmark {value!r}")
    assert "is not a date (YYYY-MM-DD): correct it, or clear this stream's state" in (
        outcome.error_line
    )
    assert sim.requests.filter("POST", r"/reports$") == []
    assert outcome.records() == []  # stopped before any stream sent a record


def test_the_console_script_prints_one_error_line_for_an_unreadable_bookmark(
    sim, dataset, tmp_path
):
    first = dataset.account_ids[0]

    result = run_tap(tmp_path, config_for(sim, START), (DELIVERY,), state_with({first: "31/12"}))

    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    named = [line for line in error_lines(result.stderr) if "the state's bookmark" in line]
    assert named == [
        f"{WHERE} {first}: the state's bookmark '31/12' is not a date (YYYY-MM-DD): correct it, "
        "or clear this stream's state to start again at start_date"
    ]


@pytest.mark.parametrize("value", [None, ""])
def test_a_null_or_empty_bookmark_is_a_first_run_from_start_date(sim, dataset, value):
    first = dataset.account_ids[0]

    outcome = run(config_for(sim, START), (DELIVERY,), state_with({first: value}))

    assert outcome.error is None, outcome.error
    assert report_starts(sim, first) == [START.isoformat()]
    assert facts_of(outcome, first) == expected_delivery(dataset, [first], START)


def test_every_bookmark_written_is_the_end_of_a_window_the_run_finished(sim, dataset):
    start = TODAY - dt.timedelta(days=300)  # two windows per account: 186 days, then 115
    first_end = (start + dt.timedelta(days=185)).isoformat()
    config = config_for(sim, start, max_reports_in_flight=1)

    outcome = run(config, (DELIVERY,))

    assert outcome.error is None, outcome.error
    for account in dataset.account_ids:
        seen = [outcome.bookmarks(DELIVERY, s).get(account) for s in outcome.states()]
        written = [value for value in dict.fromkeys(seen) if value is not None]
        assert written == [first_end, TODAY.isoformat()]


@pytest.fixture
def quiet_sim():
    """An API whose data stops three days ago: the last days of a window have no rows."""
    three_days_ago = TODAY - dt.timedelta(days=3)
    data = Dataset(accounts=1, campaigns_per_account=1, ad_groups_per_campaign=1,
                   ads_per_ad_group=2, days=30, seed=9, today=three_days_ago)  # fmt: skip
    with running_simulator(data) as simulator:
        yield simulator


def test_the_bookmark_is_the_windows_end_not_the_last_rows_date(quiet_sim):
    outcome = run(config_for(quiet_sim, START), (DELIVERY,))

    assert outcome.error is None, outcome.error
    last_row = max(r["date"] for r in outcome.records(DELIVERY))
    assert last_row == (TODAY - dt.timedelta(days=3)).isoformat()
    assert set(outcome.bookmarks(DELIVERY).values()) == {TODAY.isoformat()}


def test_a_future_progress_marker_left_by_a_killed_run_never_becomes_the_bookmark(sim, dataset):
    first = dataset.account_ids[0]
    state = state_with({first: START.isoformat()})
    state["bookmarks"][DELIVERY]["partitions"][0]["progress_markers"] = {
        "Note": "a killed run's marker",
        "replication_key": "date",
        "replication_key_value": "2099-01-01",
    }

    outcome = run(config_for(sim, START), (DELIVERY,), state)

    assert outcome.error is None, outcome.error
    for written in outcome.states():
        values = outcome.bookmarks(DELIVERY, written).values()
        assert all(v <= TODAY.isoformat() for v in values if v is not None)
    assert outcome.bookmarks(DELIVERY)[first] == TODAY.isoformat()


def test_an_unreadable_bookmark_of_an_account_outside_the_run_is_left_as_it_is(sim, dataset):
    first, second = dataset.account_ids
    config = config_for(sim, START, advertiser_ids=first)

    outcome = run(config, (DELIVERY,), state_with({second: "31/12/2026"}))

    assert outcome.error is None, outcome.error
    assert outcome.bookmarks(DELIVERY) == {second: "31/12/2026", first: TODAY.isoformat()}


BROKEN_PARTITIONS = ["abc", [1], [{"replication_key_value": "2026-11-01"}],
                     [{"context": "549755000123"}], {"context": {}}]  # fmt: skip


@pytest.mark.parametrize("partitions", BROKEN_PARTITIONS)
def test_partitions_that_are_not_objects_with_a_context_stop_the_run_in_one_line(sim, partitions):
    state = {"bookmarks": {DELIVERY: {"partitions": partitions}}}

    outcome = run(config_for(sim, START), ("campaigns", DELIVERY), state)

    assert outcome.error_line == (
        f"Stream '{DELIVERY}': the state's partitions {partitions!r:.60} are not a list of "
        "objects with a context: correct them, or clear this stream's state"
    )
    assert outcome.records() == []


def test_a_partition_without_a_context_of_a_stream_not_selected_is_left_alone(sim, dataset):
    state = {"bookmarks": {DELIVERY: {"partitions": [{"replication_key_value": "2026-11-01"}]}}}

    outcome = run(config_for(sim, START), ("campaigns",), state)

    assert outcome.error is None, outcome.error
    assert outcome.records("campaigns")
