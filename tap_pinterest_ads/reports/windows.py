"""Pure date logic: which report windows a run requests.

Async reports accept at most 186 days per request and nothing older than 914 days (DAY and
coarser granularity); the tap plans 913 (see shapes.DAY_HISTORY_DAYS), and for the hourly
variant max_span_days=3, max_history_days=7.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta

from tap_pinterest_ads.typing_compat import override


@dataclass(frozen=True)
class Window:
    """Inclusive date range of one report request."""

    start: date
    end: date

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    @override
    def __str__(self) -> str:
        return f"{self.start.isoformat()}..{self.end.isoformat()}"


@dataclass(frozen=True)
class WindowPlan:
    """Windows covering [start, end] in order; `clamped_from` is the wanted start if it was
    older than the API allows (the caller should warn that history was cut)."""

    windows: tuple[Window, ...]
    start: date
    end: date
    clamped_from: date | None = None

    def __iter__(self) -> Iterator[Window]:
        return iter(self.windows)

    def __len__(self) -> int:
        return len(self.windows)


def plan_windows(
    *,
    start_date: date,
    bookmark: date | None,
    lookback_days: int,
    today: date,
    max_span_days: int = 186,
    max_history_days: int = 913,
) -> WindowPlan:
    """Cover [max(start_date, bookmark - lookback_days), today] in windows of <= max_span_days.

    A first run (no bookmark) starts at start_date. The lookback re-reads recent days because
    conversions are attributed to past days for up to the attribution window. The start is
    clamped to today - max_history_days. A start after today gives an empty plan.
    """
    if lookback_days < 0:
        raise ValueError(f"lookback_days must be >= 0, got {lookback_days}")
    if max_span_days < 1 or max_history_days < 0:
        raise ValueError("max_span_days must be >= 1 and max_history_days >= 0")
    start = start_date
    if bookmark is not None:
        start = max(start_date, bookmark - timedelta(days=lookback_days))
    floor = today - timedelta(days=max_history_days)
    clamped_from = None
    if start < floor:
        clamped_from, start = start, floor
    windows = []
    cursor = start
    span = timedelta(days=max_span_days - 1)
    while cursor <= today:
        end = min(cursor + span, today)
        windows.append(Window(cursor, end))
        cursor = end + timedelta(days=1)
    return WindowPlan(tuple(windows), start, today, clamped_from)
