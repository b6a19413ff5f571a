"""Day finality and the adaptive lookback, on the simulator with a book-closing clock.

The simulator finalises a day's non-conversion metrics 1 day after it and its conversions
CONVERSION_DAYS after it; until then conversions are still arriving (a re-read gets more).
`sim.close_books(n)` lets n days pass on the books without moving the calendar.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from tap_pinterest_ads.reports.shapes import DELIVERY as DELIVERY_SHAPE
from tap_pinterest_ads.streams.finality import OPEN_DAY_KEY
from tests.tap_runner import DELIVERY, MICRO, config_for, records, states, sync, today

TODAY = today()
START = TODAY - dt.timedelta(days=20)
CONVERSION_DAYS = 7
LOOKBACK = 2
READY = "/v5/resources/metrics_ready_state"
STREAMS = (DELIVERY, "metrics_ready_state")


def days_back(first: int, last: int = 0) -> list[dt.date]:
    """TODAY - first … TODAY - last, oldest first."""
    return [TODAY - dt.timedelta(days=n) for n in range(first, last - 1, -1)]


DATASET = {"days": 60, "seed": 41, "inactive_percent": 0}
pytestmark = pytest.mark.usefixtures("quick_polls")


@pytest.fixture
def sim(sim):
    """The books clock lives in the module's dataset: each test starts it anew."""
    sim.apply_settings(books_elapsed_days=0, conversion_final_after_days=CONVERSION_DAYS)
    return sim


def run(sim, state=None, **settings):
    sim.requests.clear()
    config = config_for(sim, START, lookback_days=LOOKBACK, **settings)
    return sync(config, STREAMS, state)


def asked_days(sim) -> list[dt.date]:
    return [dt.date.fromisoformat(r.query["date"][0]) for r in sim.requests.filter("GET", READY)]


def report_starts(sim) -> set[dt.date]:
    return {
        dt.date.fromisoformat(r.json()["start_date"])
        for r in sim.requests.filter("POST", r"/reports$")
    }


def open_days_in_state(state: dict) -> dict[str, str | None]:
    partitions = state["bookmarks"][DELIVERY]["partitions"]
    return {p["context"]["ad_account_id"]: p.get(OPEN_DAY_KEY) for p in partitions}


def conversions_by_key(messages) -> dict[tuple, Decimal]:
    return {
        (r["ad_account_id"], r["date"], r["pin_promotion_id"]): r["conversions"]
        for r in records(messages, DELIVERY)
    }


def expected_conversions(sim, day: dt.date) -> dict[tuple, Decimal]:
    columns = list(DELIVERY_SHAPE.requested_columns())
    return {
        (account, row["DATE"], str(row["PIN_PROMOTION_ID"])): row.get("TOTAL_CONVERSIONS") or 0
        for account in sim.dataset.account_ids
        for row in sim.dataset.delivery_rows(account, day, day, columns)
    }


def test_a_first_run_asks_once_per_day_and_flags_every_row_as_the_books_said(sim):
    messages = run(sim)
    # One request per day of the windows, whatever the number of ad accounts.
    assert asked_days(sim) == days_back(20)
    for record in records(messages, DELIVERY):
        age = (TODAY - dt.date.fromisoformat(record["date"])).days
        assert record["metrics_final"] is (age >= 1)
        assert record["conversion_metrics_final"] is (age >= CONVERSION_DAYS)
    ready = records(messages, "metrics_ready_state")
    assert [r["date"] for r in ready] == [d.isoformat() for d in days_back(20)]
    assert all(isinstance(r["checked_at"], str) for r in ready)
    # The oldest day whose conversions were still open, per account.
    oldest_open = (TODAY - dt.timedelta(days=CONVERSION_DAYS - 1)).isoformat()
    assert set(open_days_in_state(states(messages)[-1]).values()) == {oldest_open}


def test_the_next_run_rereads_exactly_the_open_days_which_become_final(sim):
    first = run(sim)
    state = states(first)[-1]
    sim.close_books(3)
    second = run(sim, state)
    # Re-read from the oldest open day (6 days back), not just bookmark - lookback (2).
    assert report_starts(sim) == {TODAY - dt.timedelta(days=CONVERSION_DAYS - 1)}
    assert asked_days(sim) == days_back(CONVERSION_DAYS - 1)
    now_final = days_back(CONVERSION_DAYS - 1, CONVERSION_DAYS - 3)
    got = conversions_by_key(second)
    before = conversions_by_key(first)
    changed = False
    for day in now_final:
        want = expected_conversions(sim, day)
        assert {k: got[k] for k in want} == want
        changed |= any(before[k] != want[k] for k in want)
        for record in records(second, DELIVERY):
            if record["date"] == day.isoformat():
                assert record["metrics_final"]
                assert record["conversion_metrics_final"]
    assert changed  # the re-read mattered: conversions had arrived since
    oldest_open = (TODAY - dt.timedelta(days=CONVERSION_DAYS - 4)).isoformat()
    assert set(open_days_in_state(states(second)[-1]).values()) == {oldest_open}


def test_a_run_without_open_days_rereads_only_lookback_days(sim):
    state = states(run(sim))[-1]
    sim.close_books(CONVERSION_DAYS + 1)
    messages = run(sim, state)
    assert report_starts(sim) == {TODAY - dt.timedelta(days=CONVERSION_DAYS - 1)}
    final_state = states(messages)[-1]
    assert set(open_days_in_state(final_state).values()) == {None}
    # Only today's books are open again tomorrow; a third run needs lookback_days only.
    third = run(sim, final_state)
    assert report_starts(sim) == {TODAY - dt.timedelta(days=LOOKBACK)}
    assert asked_days(sim) == days_back(LOOKBACK)
    assert all(r["conversion_metrics_final"] for r in records(third, DELIVERY))


def test_open_days_older_than_max_lookback_days_are_given_up(sim):
    state = states(run(sim))[-1]
    for partition in state["bookmarks"][DELIVERY]["partitions"]:
        partition[OPEN_DAY_KEY] = (TODAY - dt.timedelta(days=40)).isoformat()
    messages = run(sim, state, max_lookback_days=10)
    assert report_starts(sim) == {TODAY - dt.timedelta(days=10)}
    assert asked_days(sim) == days_back(10)
    oldest_open = (TODAY - dt.timedelta(days=CONVERSION_DAYS - 1)).isoformat()
    assert set(open_days_in_state(states(messages)[-1]).values()) == {oldest_open}


def test_max_lookback_days_zero_keeps_the_fixed_lookback(sim):
    state = states(run(sim))[-1]
    run(sim, state, max_lookback_days=0)
    assert report_starts(sim) == {TODAY - dt.timedelta(days=LOOKBACK)}


def test_spend_is_untouched_by_the_books_clock(sim):
    first = {(r["date"], r["pin_promotion_id"]): r["spend"] for r in records(run(sim), DELIVERY)}
    sim.close_books(5)
    second = {(r["date"], r["pin_promotion_id"]): r["spend"] for r in records(run(sim), DELIVERY)}
    assert first == second
    assert all(isinstance(v, Decimal) and v * MICRO == int(v * MICRO) for v in first.values())


def test_hourly_rows_carry_their_utc_days_flags_and_stay_open_only_until_that_day_closes(sim):
    hourly = "pin_promotion_delivery_hourly"
    config = config_for(sim, START, lookback_days=LOOKBACK)
    messages = sync(config, (hourly,))
    rows = records(messages, hourly)
    assert {r["date"] for r in rows} == {d.isoformat() for d in days_back(7)}
    for record in rows:
        age = (TODAY - dt.date.fromisoformat(record["date"])).days
        assert record["metrics_final"] is (age >= 1)
        assert record["conversion_metrics_final"] is (age >= CONVERSION_DAYS)
    # Hourly rows have no conversions: only today (its other metrics not final) is open.
    partitions = states(messages)[-1]["bookmarks"][hourly]["partitions"]
    assert {p.get(OPEN_DAY_KEY) for p in partitions} == {TODAY.isoformat()}
