"""Property: whatever `oldest_open_day` a state holds and however far the books have closed,
a run re-reads from the oldest open day (within max_lookback_days and start_date) and ends
with the oldest day it found open, or none; a value that is not a date stops the run in one
line before any report. Never a traceback, never an open day after today in any STATE.
"""

from __future__ import annotations

import datetime as dt
from functools import partial

import pytest
from hypothesis import event, given
from hypothesis import strategies as st

from pinterest_simulator import Dataset, Simulator
from tap_pinterest_ads.reports.job import ReportJob
from tap_pinterest_ads.streams import report_base
from tap_pinterest_ads.streams.finality import OPEN_DAY_KEY
from tests.tap_runner import DELIVERY, config_for, run, today

TODAY = today()
START = TODAY - dt.timedelta(days=25)
LOOKBACK = 2
CONVERSION_DAYS = 6
OPEN_DAYS = st.one_of(
    st.just(("none", None, None)),
    st.integers(-3, 40).map(
        lambda n: ("day", (TODAY - dt.timedelta(days=n)).isoformat(), TODAY - dt.timedelta(n))
    ),
    st.integers(0, 20).map(
        lambda n: (
            "date-time",
            f"{TODAY - dt.timedelta(days=n)}T00:00:00Z",
            TODAY - dt.timedelta(days=n),
        )
    ),
    st.sampled_from(["soon", "2026-02-30", 7, True]).map(lambda v: ("not a date", v, None)),
)


@pytest.fixture(scope="module")
def sim():
    data = Dataset(accounts=1, campaigns_per_account=1, ad_groups_per_campaign=1,
                   ads_per_ad_group=1, days=60, seed=31, today=TODAY)  # fmt: skip
    with Simulator(dataset=data) as simulator, pytest.MonkeyPatch.context() as patch:
        patch.setattr(report_base, "ReportJob", partial(ReportJob, poll_initial=0.01))
        simulator.apply_settings(conversion_final_after_days=CONVERSION_DAYS)
        yield simulator


def open_days(outcome, state: dict) -> list[object]:
    partitions = state.get("bookmarks", {}).get(DELIVERY, {}).get("partitions", [])
    return [p.get(OPEN_DAY_KEY) for p in partitions]


@given(
    open_day=OPEN_DAYS,
    elapsed=st.integers(0, CONVERSION_DAYS + 1),
    max_lookback=st.integers(0, 35),
)
def test_a_run_rereads_from_the_oldest_open_day_and_keeps_the_next_one(
    sim, open_day, elapsed, max_lookback
):
    kind, value, meant = open_day
    account = sim.dataset.account_ids[0]
    state = {"bookmarks": {DELIVERY: {"partitions": [
        {"context": {"ad_account_id": account}, "replication_key": "date",
         "replication_key_value": TODAY.isoformat(), OPEN_DAY_KEY: value}]}}}  # fmt: skip
    sim.apply_settings(books_elapsed_days=elapsed)
    sim.requests.clear()

    config = config_for(sim, START, lookback_days=LOOKBACK, max_lookback_days=max_lookback)
    outcome = run(config, (DELIVERY,), state)

    event(f"{kind}: {'fails' if outcome.error else 'rows'}")
    assert outcome.explained, f"a traceback: {outcome.error!r}"
    for written in outcome.states():
        for day in open_days(outcome, written):
            assert day is None or (isinstance(day, str) and day <= TODAY.isoformat()), day
    if kind == "not a date":
        line = outcome.error_line
        assert line.startswith(f"Stream '{DELIVERY}', ad account {account}: "), line
        assert OPEN_DAY_KEY in line
        assert sim.requests.filter("POST", r"/reports$") == []
        return
    assert outcome.error is None, outcome.error_line
    start = TODAY - dt.timedelta(days=LOOKBACK)
    if meant is not None:
        reopen = max(min(meant, TODAY), TODAY - dt.timedelta(days=max_lookback), START)
        start = min(start, reopen)
    starts = {r.json()["start_date"] for r in sim.requests.filter("POST", r"/reports$")}
    assert starts == {start.isoformat()}
    # The books: conversions of a day are final CONVERSION_DAYS after it (elapsed days on).
    first_open = TODAY - dt.timedelta(days=CONVERSION_DAYS - 1 - elapsed)
    want = max(first_open, start) if first_open <= TODAY else None
    assert open_days(outcome, outcome.states()[-1]) == [want and want.isoformat()]
