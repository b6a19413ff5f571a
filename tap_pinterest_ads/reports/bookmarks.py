"""A report stream's bookmark as the state holds it, read into a day the tap may resume from.

The tap only ever writes the last day of a report window it finished, and never a day after
today (UTC). A state may still hold something else: a value an older version took from a
report row (`2026-11-26T00:00:00`, `31/12/2026`), a day in the future, or a hand edit. Such
a value must not stop every later run with a traceback, nor silently skip days.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from tap_pinterest_ads.reports import ReportError
from tap_pinterest_ads.reports.row_dates import parse_day


class StateBookmarkError(ReportError, ValueError):
    """A bookmark that is not a date: the tap cannot tell which days were read."""


@dataclass(frozen=True)
class Bookmark:
    """The day to resume from (None: no bookmark), and a WARNING to log if it was repaired."""

    day: dt.date | None
    warning: str | None = None


def _day_of_date_time(value: str) -> dt.date | None:
    """The day of an ISO date-time such as 2026-11-26T00:00:00 (what old states may hold)."""
    if len(value) <= 10 or value[10] not in "T " or parse_day(value[:10]) is None:
        return None
    text = value[:-1] + "+00:00" if value.endswith("Z") else value
    try:
        dt.datetime.fromisoformat(text.replace(" ", "T", 1))
    except ValueError:
        return None
    return parse_day(value[:10])


def read_bookmark(value: Any, today: dt.date, *, where: str, name: str = "bookmark") -> Bookmark:
    """Read a state's `replication_key_value`; `where` names the stream and the ad account.

    The same rules read the state's `oldest_open_day` (`name`), which the tap also only
    writes as a day of a finished window, never after today.

    - absent, null or "": no bookmark (the run starts at start_date);
    - YYYY-MM-DD: that day;
    - an ISO date-time: its day, with a WARNING (the form older versions wrote);
    - a day after today: today, with a WARNING (a bookmark in the future would make the
      account return nothing, and no warning, until that day comes);
    - anything else: StateBookmarkError, one line naming the value.
    """
    if value is None or value == "":
        return Bookmark(None)
    day = parse_day(value)
    warning = None
    if day is None and isinstance(value, str):
        day = _day_of_date_time(value)
        if day is not None:
            warning = f"{where}: the state's {name} {value!r} is a date-time; reading it as {day}"
    if day is None:
        raise StateBookmarkError(
            f"{where}: the state's {name} {value!r:.60} is not a date (YYYY-MM-DD): correct "
            "it, or clear this stream's state to start again at start_date"
        )
    if day > today:
        warning = (
            f"{where}: the state's {name} {value!r:.60} is after today ({today}, UTC); "
            "clamping it to today"
        )
        day = today
    return Bookmark(day, warning)


def check_partitions(stream: str, partitions: object, *, contexts_required: bool) -> None:
    """Stop on a state's partitions singer-sdk would fail on with a traceback.

    singer-sdk resets every partition of every stream (a list of objects); it looks up the
    selected streams' partitions by their context.
    """
    if partitions is None or (
        isinstance(partitions, list)
        and all(isinstance(p, dict) for p in partitions)
        and (not contexts_required or all(isinstance(p.get("context"), dict) for p in partitions))
    ):
        return
    raise StateBookmarkError(
        f"Stream '{stream}': the state's partitions {partitions!r:.60} are not a list "
        "of objects with a context: correct them, or clear this stream's state"
    )
