"""Property: whatever bookmark values a state holds, a run reads the days they mean and ends
with every bookmark at today, or stops in one ERROR line naming the account before any
report; never a traceback, never a bookmark after today in any STATE message.

Values are generated with their meaning: no bookmark, a day (in the past or the future), a
date-time (what older versions wrote), or something that is not a date at all.
"""

from __future__ import annotations

import datetime as dt
import re
from functools import partial

import pytest
from hypothesis import event, given
from hypothesis import strategies as st

from pinterest_simulator import Dataset
from tap_pinterest_ads.reports.job import ReportJob
from tap_pinterest_ads.streams import report_base
from tests.simulator_factory import running_simulator
from tests.tap_runner import (
    DELIVERY,
    config_for,
    delivery_facts,
    expected_delivery,
    run,
    today,
)

TODAY = today()
START = TODAY - dt.timedelta(days=20)
LOOKBACK = 5
# Days near today (past and future: the edges that matter) and anywhere in ±8 years.
DAYS = st.one_of(
    st.integers(-40, 40).map(lambda offset: TODAY + dt.timedelta(days=offset)),
    st.dates(min_value=TODAY - dt.timedelta(days=3000), max_value=TODAY + dt.timedelta(3000)),
)
_DATE_LIKE = re.compile(r"\s*[0-9]{4}-[0-9]{2}-[0-9]{2}")


@pytest.fixture(scope="module")
def sim():
    data = Dataset(accounts=2, campaigns_per_account=1, ad_groups_per_campaign=1,
                   ads_per_ad_group=1, days=30, seed=29, today=TODAY)  # fmt: skip
    with running_simulator(data) as simulator, pytest.MonkeyPatch.context() as patch:
        patch.setattr(report_base, "ReportJob", partial(ReportJob, poll_initial=0.01))
        yield simulator


def _date_time(day: dt.date, hour: int, zone: str) -> str:
    return f"{day}T{hour:02d}:00:00{zone}"


# (kind, value, the day it means or None)
BOOKMARKS = st.one_of(
    st.sampled_from([("none", None, None), ("none", "", None)]),
    DAYS.map(lambda day: ("day", day.isoformat(), day)),
    st.builds(
        lambda day, hour, zone: ("date-time", _date_time(day, hour, zone), day),
        DAYS, st.integers(0, 23), st.sampled_from(["", "Z", "+02:00", "-05:00"]),
    ),
    st.one_of(
        st.text(max_size=12).filter(lambda text: text and not _DATE_LIKE.match(text)),
        st.sampled_from(["2026-02-30", "2026-13-01", "31/12/2026", "2026-11-26T25:00:00",
                         "2026-11-26Tnoon", "20261126"]),
        st.integers(), st.booleans(), st.floats(allow_nan=False, allow_infinity=False),
        st.lists(st.integers(), max_size=2), st.dictionaries(st.text(max_size=3), st.integers(),
                                                              max_size=2),
    ).map(lambda value: ("not a date", value, None)),
)  # fmt: skip


def resumed_at(day: dt.date | None) -> dt.date:
    """Where a run resumes from a bookmark that means `day` (clamped to today)."""
    if day is None:
        return START
    return max(START, min(day, TODAY) - dt.timedelta(days=LOOKBACK))


@given(bookmarks=st.tuples(BOOKMARKS, BOOKMARKS))
def test_a_run_reads_the_days_its_bookmarks_mean_or_stops_in_one_line(sim, bookmarks):
    accounts = sim.dataset.account_ids
    state = {"bookmarks": {DELIVERY: {"partitions": [
        {"context": {"ad_account_id": account}, "replication_key": "date",
         "replication_key_value": value}
        for account, (_, value, _) in zip(accounts, bookmarks, strict=True)]}}}  # fmt: skip
    sim.requests.clear()

    outcome = run(config_for(sim, START, lookback_days=LOOKBACK), (DELIVERY,), state)

    kinds = [kind for kind, _, _ in bookmarks]
    event(f"{' + '.join(kinds)}: {'fails' if outcome.error else 'rows'}")
    assert outcome.explained, f"a traceback: {outcome.error!r}"
    # Every STATE, the first (the input state, echoed) included, holds readable days only.
    for written in outcome.states():
        for value in outcome.bookmarks(DELIVERY, written).values():
            assert value is None or (isinstance(value, str) and value <= TODAY.isoformat()), value
    unreadable = [a for a, (kind, _, _) in zip(accounts, bookmarks, strict=True)
                  if kind == "not a date"]  # fmt: skip
    if unreadable:
        line = outcome.error_line
        assert line.startswith(f"Stream '{DELIVERY}', ad account {unreadable[0]}: "), line
        assert "\n" not in line
        assert sim.requests.filter("POST", r"/reports$") == []
        assert outcome.records() == []
        return
    assert outcome.error is None, outcome.error_line
    assert outcome.bookmarks(DELIVERY) == dict.fromkeys(accounts, TODAY.isoformat())
    for account, (_, _, day) in zip(accounts, bookmarks, strict=True):
        got = {
            delivery_facts(r) for r in outcome.records(DELIVERY) if r["ad_account_id"] == account
        }
        assert got == expected_delivery(sim.dataset, [account], resumed_at(day))
