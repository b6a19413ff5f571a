"""A report row's DATE, read strictly and checked against the window it was requested for.

DATE is part of every report stream's key, and a window's end becomes the bookmark; a row
dated outside its window, or in another format, would duplicate rows in the target under an
odd key, or (when a bookmark followed row dates) poison the state. Such a row fails its
window instead, with one line naming the value: it never reaches a key or the state.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import re
from collections.abc import Callable, Iterable, Iterator
from typing import TYPE_CHECKING, Any

from tap_pinterest_ads.reports import ReportError
from tap_pinterest_ads.reports.records import MissingKeyError, RecordBuilder, ReportValueError
from tap_pinterest_ads.reports.windows import Window
from tap_pinterest_ads.typing_compat import override

if TYPE_CHECKING:
    from tap_pinterest_ads.reports.job import ReportJob

_DAY = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
# What an hourly DATE may look like: the spec types DATE as a date and shows no hourly form,
# so "YYYY-MM-DD HH:MM:SS", "YYYY-MM-DDTHH[:MM[:SS]]" and a UTC offset are all read.
_HOUR = re.compile(
    r"(?P<day>[0-9]{4}-[0-9]{2}-[0-9]{2})[T ](?P<time>[0-9]{2}(?::[0-9]{2}(?::[0-9]{2}"
    r"(?:\.[0-9]{1,6})?)?)?)(?P<zone>Z|[+-][0-9]{2}(?::?[0-9]{2})?)?"
)
# A separate hour column, for an hourly DATE that is a bare day (the spec names none).
HOUR_COLUMNS = ("HOUR", "hour")
_HOUR_TEXT = re.compile(r"(?P<hour>[0-9]{1,2})(?::00(?::00)?)?")


class RowDateError(ReportError, ValueError):
    """A row whose DATE is not a day (or hour) of the report's window."""


class RowError(ReportError, ValueError):
    """A row of a window that cannot become a record (a value of the wrong kind, no key)."""

    def __init__(self, window: Window, cause: Exception) -> None:
        super().__init__(f"report for window {window} has a row it cannot read: {cause}")


def parse_day(value: Any) -> dt.date | None:
    """A YYYY-MM-DD day, strictly (no time, no other form); None for anything else."""
    if type(value) is not str or not _DAY.fullmatch(value):
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        return None


def _hour_of(value: Any) -> int | None:
    if type(value) is int:
        hour = value
    elif type(value) is str and (match := _HOUR_TEXT.fullmatch(value.strip())):
        hour = int(match["hour"])
    else:
        return None
    return hour if 0 <= hour <= 23 else None


def utc_hour(value: Any, hour: Any = None) -> dt.datetime:
    """An hourly row's DATE (and HOUR column, if any) as an aware UTC date-time on the hour.

    A bare date is read only with a separate hour; a time that is not on the hour (after
    conversion to UTC) is refused: each hour is one row and one key.
    """
    text = value if type(value) is str else ""
    moment = None
    if (match := _HOUR.fullmatch(text)) is not None:
        zone = match["zone"] or "+00:00"
        if zone == "Z":
            zone = "+00:00"
        elif len(zone) == 3:
            zone += ":00"
        elif ":" not in zone:
            zone = f"{zone[:3]}:{zone[3:]}"
        time = match["time"] + ":00" * (2 - match["time"].count(":"))
        try:
            moment = dt.datetime.fromisoformat(f"{match['day']}T{time}{zone}")
        except ValueError:
            moment = None
    elif (day := parse_day(text)) is not None and (number := _hour_of(hour)) is not None:
        moment = dt.datetime(day.year, day.month, day.day, number, tzinfo=dt.timezone.utc)
    if moment is not None:
        moment = moment.astimezone(dt.timezone.utc)
        if moment.minute == moment.second == moment.microsecond == 0:
            return moment
    shown = value if hour is None else f"{value!r} with HOUR {hour!r}"
    raise ReportValueError("DATE", shown, "a date and hour")


class WindowDates:
    """Checks each record's `date` is a YYYY-MM-DD day of the window its report asked for.

    Reports repeat a handful of dates over many rows: each distinct value is checked once.
    """

    def __init__(self, window: Window) -> None:
        self.window = window
        self._first = window.start.isoformat()
        self._last = window.end.isoformat()
        self._seen: set[str] = set()

    def __call__(self, record: dict[str, Any], raw_row: dict[str, Any]) -> None:
        """Raise RowDateError unless the record's date is a day of the window."""
        value = record["date"]
        if value in self._seen:
            return
        shown = raw_row.get("DATE", value)
        if parse_day(value) is None:
            raise RowDateError(
                f"report for window {self.window} has a row whose DATE {shown!r:.60} is not "
                "a date (YYYY-MM-DD)"
            )
        if not self._first <= value <= self._last:
            raise RowDateError(
                f"report for window {self.window} has a row dated {shown!r:.60}, outside the "
                "window it was requested for"
            )
        self._seen.add(value)


def window_records(
    rows: Iterable[dict[str, Any]],
    build: Callable[[dict[str, Any]], dict[str, Any]],
    window: Window,
) -> Iterator[dict[str, Any]]:
    """The records of one report window's rows; a row that cannot be one fails the window.

    A row dated outside the window (or in another format) fails it before it reaches a key;
    the bookmark is the window's end, never a row's date.
    """
    in_window = WindowDates(window)
    for row in rows:
        try:
            record = build(row)
        except (ReportValueError, MissingKeyError) as exc:
            raise RowError(window, exc) from exc
        in_window(record, row)
        yield record


class WindowRecords:
    """The records of one report window's job; `error` is what stopped them, if anything.

    The consumer (singer-sdk's record loop, or the BATCH writer) reads them to the end; a
    failure is kept here instead of raised through the consumer, and judged once it is done
    with the window (skip the account, or stop the run).
    """

    def __init__(
        self,
        job: ReportJob,
        build: Callable[[dict[str, Any]], dict[str, Any]],
        window: Window,
    ) -> None:
        self._job = job
        self._build = build
        self._window = window
        self.error: Exception | None = None

    def __iter__(self) -> Iterator[dict[str, Any]]:
        try:
            with contextlib.closing(self._job.rows()) as rows:
                yield from window_records(rows, self._build, self._window)
        except Exception as exc:
            self.error = exc


class HourlyRecordBuilder(RecordBuilder):
    """`date_hour` as an ISO date-time and `date` as its UTC day, both from DATE.

    DATE is usually a date-time; a bare date is read with a separate hour column if the row
    has one (`HOUR`, or `hour`), and fails its window otherwise: the hours of a day would
    share one key.
    """

    @override
    def build(
        self, raw_row: dict[str, Any], ad_account_id: str, currency: str | None
    ) -> dict[str, Any]:
        """The delivery record of one hour."""
        record = super().build(raw_row, ad_account_id, currency)
        hour = next((raw_row[c] for c in HOUR_COLUMNS if c in raw_row), None)
        moment = utc_hour(raw_row["DATE"], hour).isoformat()
        record["date_hour"] = moment
        record["date"] = moment[:10]
        return record
