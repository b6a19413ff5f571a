"""Day finality: whether Pinterest had closed a day's books when the tap read it.

`GET /resources/metrics_ready_state?date=…` (BookClosedResponse) says, per UTC day, whether
its conversion and its non-conversion metrics are final. The answer is global (not per ad
account) and costs a request in the `ads_analytics` rate category, so a run asks once per
day its report windows cover, before it creates their reports: a day whose books close
while its report is being read is then recorded as still open, and read again next run
(the safe side). Never the other way round.

The adaptive lookback (`reopen_from`, `OpenDayMarker`) re-reads every day that was open when
last read, bounded by `max_lookback_days`; the state keeps, per ad account, the oldest one.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from tap_pinterest_ads.reports.windows import Window

# (metrics_final, conversion_metrics_final) of a day the tap knows nothing about: open.
OPEN = (False, False)


@dataclass(frozen=True)
class DayFinality:
    """One answer of the endpoint, as the `metrics_ready_state` stream emits it.

    A value that is not a JSON boolean is kept as None: not known to be final.
    """

    day: dt.date
    conversion_metrics_ready: bool | None
    non_conversion_metrics_ready: bool | None
    checked_at: str

    @property
    def flags(self) -> tuple[bool, bool]:
        """(metrics_final, conversion_metrics_final) of the day's delivery rows."""
        return (self.non_conversion_metrics_ready is True, self.conversion_metrics_ready is True)

    def record(self) -> dict[str, Any]:
        return {
            "date": self.day.isoformat(),
            "conversion_metrics_ready": self.conversion_metrics_ready,
            "non_conversion_metrics_ready": self.non_conversion_metrics_ready,
            "checked_at": self.checked_at,
        }


def _boolean(answer: Any, name: str) -> bool | None:
    value = answer.get(name) if isinstance(answer, dict) else None
    return value if isinstance(value, bool) else None


class FinalityBook:
    """The run's answers, one request per day at most (whatever streams and accounts ask)."""

    def __init__(
        self,
        fetch: Callable[[dt.date], Any],
        now: Callable[[], dt.datetime] = lambda: dt.datetime.now(dt.timezone.utc),
    ) -> None:
        self._fetch = fetch
        self._now = now
        self._days: dict[dt.date, DayFinality] = {}
        # ISO day -> flags: what every delivery record looks up.
        self.flags: dict[str, tuple[bool, bool]] = {}

    def ensure(self, windows: Iterable[Window]) -> None:
        """Ask about each day of the windows not asked yet, oldest first."""
        for day in sorted(days_of(windows) - self._days.keys()):
            answer = self._fetch(day)
            checked = self._now().replace(microsecond=0).isoformat()
            finality = DayFinality(
                day,
                _boolean(answer, "conversion_metrics_ready"),
                _boolean(answer, "non_conversion_metrics_ready"),
                checked,
            )
            self._days[day] = finality
            self.flags[day.isoformat()] = finality.flags

    def checked(self) -> list[DayFinality]:
        """Every day asked about, oldest first."""
        return [self._days[day] for day in sorted(self._days)]

    def is_open(self, day: dt.date, *, conversions: bool) -> bool:
        """A day not (known to be) final, for rows with or without conversion metrics."""
        metrics_final, conversions_final = self.flags.get(day.isoformat(), OPEN)
        return not metrics_final or (conversions and not conversions_final)

    def first_open_day(self, window: Window, *, conversions: bool) -> dt.date | None:
        day = window.start
        while day <= window.end:
            if self.is_open(day, conversions=conversions):
                return day
            day += dt.timedelta(days=1)
        return None


def days_of(windows: Iterable[Window]) -> set[dt.date]:
    """Every day the windows cover."""
    return {
        window.start + dt.timedelta(days=offset)
        for window in windows
        for offset in range(window.days)
    }


def reopen_from(
    oldest_open_day: dt.date | None, today: dt.date, max_lookback_days: int
) -> dt.date | None:
    """The first day the adaptive lookback re-reads: the oldest open day, but not more than
    `max_lookback_days` before today (older open days are given up)."""
    if oldest_open_day is None:
        return None
    return max(oldest_open_day, today - dt.timedelta(days=max_lookback_days))


class OpenDayMarker:
    """The state's `oldest_open_day` of one ad account, moved per finished window only.

    It is the oldest day a finished window of this run found open or, until a window has
    covered it, the previous run's marker: never a day no window finished, never after today
    (window ends are never after today).
    """

    def __init__(self, previous: dt.date | None) -> None:
        self._previous = previous
        self._found: dt.date | None = None

    def finished(self, window: Window, first_open: dt.date | None) -> dt.date | None:
        """The marker after `window` was read to its end; `first_open` is its oldest open day."""
        if self._found is None and first_open is not None:
            self._found = first_open
        if self._found is not None:
            return self._found
        if self._previous is not None and self._previous > window.end:
            return self._previous
        return None
