"""plan_windows: run range from start date, bookmark and lookback; API span and history limits."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from tap_pinterest_ads.reports.windows import Window, plan_windows

TODAY = date(2025, 6, 30)


def spans(plan) -> list[tuple[date, date]]:
    return [(w.start, w.end) for w in plan]


def test_first_run_covers_start_date_to_today_in_one_window():
    plan = plan_windows(start_date=date(2025, 6, 1), bookmark=None, lookback_days=7, today=TODAY)

    assert spans(plan) == [(date(2025, 6, 1), TODAY)]
    assert plan.clamped_from is None


def test_run_with_state_restarts_lookback_days_before_the_bookmark():
    plan = plan_windows(
        start_date=date(2025, 1, 1), bookmark=date(2025, 6, 20), lookback_days=7, today=TODAY
    )

    assert spans(plan) == [(date(2025, 6, 13), TODAY)]


def test_lookback_never_reaches_before_start_date():
    plan = plan_windows(
        start_date=date(2025, 6, 18), bookmark=date(2025, 6, 20), lookback_days=30, today=TODAY
    )

    assert plan.start == date(2025, 6, 18)


def test_400_days_are_split_into_186_186_and_28_day_consecutive_windows():
    start = TODAY - timedelta(days=399)
    plan = plan_windows(start_date=start, bookmark=None, lookback_days=0, today=TODAY)

    assert [w.days for w in plan] == [186, 186, 28]
    assert plan.windows[0].start == start
    assert plan.windows[-1].end == TODAY
    for before, after in zip(plan.windows, plan.windows[1:], strict=False):
        assert after.start == before.end + timedelta(days=1)


def test_start_older_than_913_days_is_clamped_and_the_wanted_start_reported():
    # Pinterest allows 914 days back from *its* today: one day of margin for a run whose
    # windows are planned before UTC midnight and sent after it.
    wanted = date(2020, 1, 1)
    plan = plan_windows(start_date=wanted, bookmark=None, lookback_days=0, today=TODAY)

    assert plan.start == TODAY - timedelta(days=913)
    assert plan.clamped_from == wanted
    assert sum(w.days for w in plan) == 914


def test_start_exactly_913_days_back_is_not_clamped():
    start = TODAY - timedelta(days=913)
    plan = plan_windows(start_date=start, bookmark=None, lookback_days=0, today=TODAY)

    assert plan.start == start
    assert plan.clamped_from is None


def test_start_after_today_plans_nothing():
    plan = plan_windows(start_date=date(2025, 7, 1), bookmark=None, lookback_days=0, today=TODAY)

    assert len(plan) == 0


def test_hourly_limits_are_parameters_only():
    plan = plan_windows(
        start_date=date(2025, 1, 1),
        bookmark=None,
        lookback_days=0,
        today=TODAY,
        max_span_days=3,
        max_history_days=8,
    )

    assert spans(plan) == [
        (date(2025, 6, 22), date(2025, 6, 24)),
        (date(2025, 6, 25), date(2025, 6, 27)),
        (date(2025, 6, 28), date(2025, 6, 30)),
    ]
    assert plan.clamped_from == date(2025, 1, 1)


def test_negative_lookback_is_rejected():
    with pytest.raises(ValueError, match="lookback_days"):
        plan_windows(start_date=TODAY, bookmark=TODAY, lookback_days=-1, today=TODAY)


def test_window_prints_as_an_inclusive_range():
    assert str(Window(date(2025, 1, 1), date(2025, 1, 31))) == "2025-01-01..2025-01-31"
