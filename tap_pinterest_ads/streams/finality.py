"""Day finality in the streams: the `metrics_ready_state` stream, the flags on every delivery
record, and the adaptive lookback's state key (the engine is in reports/finality.py)."""

from __future__ import annotations

import datetime as dt
import typing as t

from tap_pinterest_ads.client import PinterestStream
from tap_pinterest_ads.reports.bookmarks import read_bookmark
from tap_pinterest_ads.reports.finality import OPEN, FinalityBook, OpenDayMarker, reopen_from
from tap_pinterest_ads.reports.windows import Window
from tap_pinterest_ads.typing_compat import override

if t.TYPE_CHECKING:
    from collections.abc import Callable, Iterator

    from singer_sdk.helpers.types import Context, Record

    from tap_pinterest_ads.streams.report_base import ReportStream
    from tap_pinterest_ads.tap import TapPinterestAds

# The partition state's key: the oldest day a finished window found not final.
OPEN_DAY_KEY = "oldest_open_day"
PATH = "/resources/metrics_ready_state"


class MetricsReadyStateStream(PinterestStream):
    """Whether Pinterest had finalised each day the run's reports cover, when it asked.

    One row per day the report streams of this run read (nothing when none is selected);
    the target upserts on `date`, so a day's row turns final once a run asks after
    Pinterest closed its books.
    """

    name = "metrics_ready_state"
    path = PATH
    primary_keys: t.ClassVar[list[str]] = ["date"]
    replication_key = None
    schema: t.ClassVar[dict[str, t.Any]] = {
        "type": "object",
        "properties": {
            "date": {"type": ["string"], "format": "date"},
            "conversion_metrics_ready": {"type": ["boolean", "null"]},
            "non_conversion_metrics_ready": {"type": ["boolean", "null"]},
            "checked_at": {"type": ["string"], "format": "date-time"},
        },
        "required": ["date", "checked_at"],
    }

    def __init__(self, tap: TapPinterestAds) -> None:
        super().__init__(tap, schema=self.schema)

    @property
    @override
    def emit_activate_version_messages(self) -> bool:
        """Never: a run reads only recent days, the others must not look deleted."""
        return False

    def fetch(self, day: dt.date) -> t.Any:
        """The endpoint's answer for one day (None when it was not JSON: not known final)."""
        try:
            return self.request_json("GET", PATH, params={"date": day.isoformat()})
        except ValueError:  # requests' JSONDecodeError
            self.logger.warning("GET %s?date=%s answered with a body that is not JSON", PATH, day)
            return None

    @override
    def request_records(self, context: Context | None) -> Iterator[Record]:
        """Today's answer: what `--test` reads to prove the endpoint answers (a sync emits
        `get_records` instead)."""
        today = dt.datetime.now(dt.timezone.utc).date()
        book = FinalityBook(self.fetch)
        book.ensure([Window(today, today)])
        yield from (finality.record() for finality in book.checked())

    @override
    def get_records(self, context: Context | None) -> Iterator[Record]:
        """The days the run's selected report streams read, oldest first."""
        for stream in self.tap.streams.values():
            run_plan = getattr(stream, "run_plan", None)
            if stream.selected and isinstance(run_plan, RunPlan):
                run_plan.planned()
        for finality in self.tap.finality.checked():
            yield finality.record()


def with_finality(
    build: Callable[[dict[str, t.Any], str, str | None], dict[str, t.Any]],
    flags: dict[str, tuple[bool, bool]],
) -> Callable[[dict[str, t.Any], str, str | None], dict[str, t.Any]]:
    """`build`, then the flags of the record's day (a day not asked about is open)."""

    def build_with_flags(row: dict[str, t.Any], account: str, currency: str | None) -> t.Any:
        record = build(row, account, currency)
        record["metrics_final"], record["conversion_metrics_final"] = flags.get(
            record["date"], OPEN
        )
        return record

    return build_with_flags


class RunPlan:
    """One report stream's windows of this run and its adaptive lookback: per ad account,
    the oldest open day."""

    def __init__(self, stream: ReportStream) -> None:
        self._stream = stream
        self._tap = stream.tap
        self._stream_name = stream.name
        self._conversions = stream.shape.has_conversions
        self._markers: dict[str, OpenDayMarker] = {}
        self._planned: list[tuple[str, Window]] | None = None

    def planned(self) -> list[tuple[str, Window]]:
        """(ad account, window) of every report of the run, planned once. The finality of
        their days is asked first, before any report is created: a day whose books close
        while it is being read stays open."""
        if self._planned is None:
            stream = self._stream
            self._planned = [
                (p["ad_account_id"], w) for p in stream.partitions for w in stream.windows(p)
            ]
            self._tap.finality.ensure(window for _, window in self._planned)
        return self._planned

    def repair(self, state: dict[str, t.Any], ad_account_id: str, today: dt.date) -> None:
        """Read the state's key with the bookmark's rules (a date-time or a future day is
        repaired with a WARNING; anything else stops the run in one line)."""
        value = state.get(OPEN_DAY_KEY)
        where = f"Stream '{self._stream_name}', ad account {ad_account_id}"
        day = read_bookmark(value, today, where=where, name=OPEN_DAY_KEY)
        if day.warning:
            self._tap.logger.warning("%s", day.warning)
        if day.day is None:
            state.pop(OPEN_DAY_KEY, None)
        elif value != day.day.isoformat():
            state[OPEN_DAY_KEY] = day.day.isoformat()

    def plan_start(self, context: Context, today: dt.date) -> dt.date | None:
        """The day the adaptive lookback re-reads from, if any."""
        state, ad_account_id = self._stream.get_context_state(context), context["ad_account_id"]
        self.repair(state, ad_account_id, today)
        value = state.get(OPEN_DAY_KEY)
        previous = dt.date.fromisoformat(value) if value else None
        self._markers[ad_account_id] = OpenDayMarker(previous)
        start = reopen_from(previous, today, self._tap.settings.max_lookback_days)
        if previous is not None and start is not None and start > previous:
            self._tap.logger.info(
                "Stream '%s', ad account %s: %s was not final when last read, but is more "
                "than max_lookback_days (%d) ago: re-reading from %s",
                self._stream_name,
                ad_account_id,
                previous,
                self._tap.settings.max_lookback_days,
                start,
            )
        return start

    def finished(self, context: Context, window: Window) -> None:
        """After a finished window: the state's oldest open day."""
        state, ad_account_id = self._stream.get_context_state(context), context["ad_account_id"]
        marker = self._markers.setdefault(ad_account_id, OpenDayMarker(None))
        first_open = self._tap.finality.first_open_day(window, conversions=self._conversions)
        oldest = marker.finished(window, first_open)
        if oldest is None:
            state.pop(OPEN_DAY_KEY, None)
        else:
            state[OPEN_DAY_KEY] = oldest.isoformat()
