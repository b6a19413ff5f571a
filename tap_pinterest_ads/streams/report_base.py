"""Streams read from Pinterest's asynchronous reports, one state partition per ad account.

The SDK syncs partitions one after another; the reports of *all* accounts are created up
front by one shared `ReportQueue`, so a run waits for about one report, not their sum.
"""

from __future__ import annotations

import datetime as dt
import typing as t
from functools import cached_property

import requests
from singer_sdk.helpers.conform import TypeConformanceLevel

from tap_pinterest_ads.client import PinterestStream
from tap_pinterest_ads.isolation import named
from tap_pinterest_ads.reports.batch_files import BatchFileWriter
from tap_pinterest_ads.reports.bookmarks import check_partitions, read_bookmark
from tap_pinterest_ads.reports.job import ReportJob
from tap_pinterest_ads.reports.queue import ReportFailure, ReportQueue
from tap_pinterest_ads.reports.records import RecordBuilder
from tap_pinterest_ads.reports.request import ReportRequest, SystemClock
from tap_pinterest_ads.reports.row_dates import WindowRecords
from tap_pinterest_ads.reports.schema import build_schema
from tap_pinterest_ads.reports.shapes import DELIVERY, ReportShape
from tap_pinterest_ads.reports.windows import Window, plan_windows
from tap_pinterest_ads.sdk_compat import PROGRESS_MARKERS
from tap_pinterest_ads.streams.finality import RunPlan, with_finality
from tap_pinterest_ads.streams.report_api import StreamReportApi
from tap_pinterest_ads.streams.state_writes import WindowStateWrites
from tap_pinterest_ads.typing_compat import override

if t.TYPE_CHECKING:
    from collections.abc import Iterator

    from singer_sdk.helpers.types import Context, Record

    from tap_pinterest_ads.reports.columns import PassThrough
    from tap_pinterest_ads.sdk_compat import BaseBatchFileEncoding, BatchConfig
    from tap_pinterest_ads.streams.accounts import AdAccountsStream
    from tap_pinterest_ads.tap import TapPinterestAds


_NOTE = "Report rows are unsorted; the bookmark advances per finished report window."
# Without start_date and state, a first run reads this many days.
DEFAULT_FIRST_RUN_DAYS = 30


class ReportStream(PinterestStream):
    """Daily report rows of one report level, incremental on `date` with a lookback."""

    # Level, granularity, breakdowns, columns and key: all that differs between streams.
    shape: t.ClassVar[ReportShape] = DELIVERY
    replication_key = "date"
    # Rows come grouped by entity, not by date; the bookmark moves per finished window.
    is_sorted = False
    state_partitioning_keys: t.ClassVar[list[str]] = ["ad_account_id"]
    # Records are built from the column registry with their final types already.
    TYPE_CONFORMANCE_LEVEL = TypeConformanceLevel.NONE
    # The bookmark moves per finished window (_mark_covered), never per record.
    bookmark_per_record = False
    path = "/ad_accounts/{ad_account_id}/reports"

    # Hourly reports read their DATE differently.
    record_builder: t.ClassVar[type[RecordBuilder]] = RecordBuilder

    def __init__(self, tap: TapPinterestAds) -> None:
        # The `report_columns` setting, for the shape that takes it.
        self.extra_columns: tuple[PassThrough, ...] = ()
        if self.shape.accepts_report_columns:
            self.extra_columns = tap.settings.report_columns
        super().__init__(tap, schema=build_schema(self.extra_columns, self.shape))
        self.primary_keys = self.shape.key
        self._queue: ReportQueue | None = None
        self._download_session = requests.Session()
        self.run_plan = RunPlan(self)
        self._state_writes = WindowStateWrites()

    @property
    def _accounts(self) -> AdAccountsStream:
        return self.tap.ad_accounts

    @property
    @override
    def partitions(self) -> list[Record]:
        """One partition (and one bookmark) per ad account."""
        return [{"ad_account_id": account["id"]} for account in self._accounts.accounts()]

    @cached_property
    def builder(self) -> RecordBuilder:
        """Turns raw report rows into typed records."""
        return self.record_builder(
            extra_columns=self.extra_columns,
            attribution=self.settings.attribution,
            shape=self.shape,
        )

    @override
    def get_records(self, context: Context | None) -> Iterator[Record]:
        """Every row of every window of this account's reports."""
        assert context is not None
        for records in self._window_records(context):
            yield from records

    @override
    def get_batches(
        self, batch_config: BatchConfig, context: Context | None = None
    ) -> Iterator[tuple[BaseBatchFileEncoding, list[str]]]:
        """The bulk path: records go straight into BATCH files, window by window.

        A window's bookmark (and its STATE) follows the BATCH messages of its rows.
        """
        writer = BatchFileWriter(batch_config, tap_name=self.tap_name, stream_name=self.name)
        for partition in [context] if context else self.partitions:
            for records in self._window_records(partition):
                for manifest in writer.write(records):
                    yield batch_config.encoding, manifest
            # What the SDK's per-record path does when a partition ends.
            self.get_context_state(partition).pop(PROGRESS_MARKERS, None)

    def _window_records(self, context: Context) -> Iterator[WindowRecords]:
        """The records of each report window, in order; a window whose records were all
        consumed moves the bookmark."""
        account_id = context["ad_account_id"]
        currency = self._accounts.currency_of(account_id)
        if self._queue is None:
            self._queue = self._start_reports()
        # Declared before the first record, so the SDK does not warn that unsorted
        # progress is not resumable: _mark_covered makes it resumable per window.
        self.get_context_state(context).setdefault(PROGRESS_MARKERS, {"Note": _NOTE})
        build = with_finality(self.builder.build, self.tap.finality.flags)
        for item in self._queue.jobs_for(account_id):
            if isinstance(item, ReportFailure):
                # Any account's: reports are created ahead. The queue dropped its reports.
                self._judge(item)
                continue
            request, job = item
            window = WindowRecords(
                job,
                lambda row: build(row, account_id, currency),
                Window(request.start_date, request.end_date),
            )
            yield window
            if window.error is not None:
                self._judge(ReportFailure(account_id, window.error))
                self._queue.drop(account_id)
                self._keep_bookmark(context)
                return
            # A window is covered once the report of its last targeting batch is read.
            if request.targeting_types == self.shape.targeting_batches[-1]:
                self._mark_covered(context, Window(request.start_date, request.end_date))

    def _start_reports(self) -> ReportQueue:
        requests_ = [
            self._report_request(account, window, targeting_types)
            for account, window in self.run_plan.planned()
            for targeting_types in self.shape.targeting_batches
        ]
        api = StreamReportApi(self)
        return ReportQueue(
            requests_,
            lambda request: ReportJob(
                request,
                api,
                self._download_session,
                SystemClock(),
                deadline_seconds=self.settings.report_timeout,
                logger=self.logger,
            ),
            max_in_flight=self.settings.max_reports_in_flight,
        )

    def _judge(self, failure: ReportFailure) -> None:
        """Return when `on_account_error` skips this failure; raise it, naming the account."""
        account, exc = failure.ad_account_id, failure.error
        if self.tap.isolation.skip(account, self.name, exc):
            return
        error = named(account, exc)
        if error is exc:
            raise exc
        raise error from exc

    def repair_bookmarks(self) -> None:
        """Read every bookmark the input state holds for this stream, before the run starts.

        A date-time or a day in the future is repaired in the state (with a WARNING), so even
        the run's first STATE message holds no bookmark after today; a value that is not a
        date stops the run in one line before any stream has sent a record. Only the run's
        ad accounts are read: another account's bookmark is left as it is. Partitions that are
        not {context, …} objects (which singer-sdk would fail on with a traceback) stop the
        run in one line too, selected or not.
        """
        stream_state = self.tap.state.get("bookmarks", {}).get(self.name)
        partitions = stream_state.get("partitions") if isinstance(stream_state, dict) else None
        check_partitions(self.name, partitions, contexts_required=self.selected)
        if not self.selected:
            return
        today = dt.datetime.now(dt.timezone.utc).date()
        accounts = {partition["ad_account_id"] for partition in self.partitions}
        for partition in partitions or ():
            if (account := partition["context"].get("ad_account_id")) in accounts:
                self._repaired(partition, account, today)
                self.run_plan.repair(partition, account, today)

    def _repaired(
        self, state: dict[str, t.Any], ad_account_id: str, today: dt.date
    ) -> dt.date | None:
        value = state.get("replication_key_value")
        where = f"Stream '{self.name}', ad account {ad_account_id}"
        bookmark = read_bookmark(value, today, where=where)
        if bookmark.warning:
            self.logger.warning("%s", bookmark.warning)
        if bookmark.day is not None and value != bookmark.day.isoformat():
            state["replication_key_value"] = bookmark.day.isoformat()
        return bookmark.day

    def _bookmark(self, context: Context, today: dt.date) -> dt.date | None:
        """The partition's bookmark (repaired before the run; read again in case today
        changed since, e.g. a run that crossed UTC midnight)."""
        return self._repaired(self.get_context_state(context), context["ad_account_id"], today)

    def windows(self, context: Context) -> tuple[Window, ...]:
        today = dt.datetime.now(dt.timezone.utc).date()
        start = self.settings.start_date or today - dt.timedelta(days=DEFAULT_FIRST_RUN_DAYS)
        plan = plan_windows(
            start_date=start,
            bookmark=self._bookmark(context, today),
            lookback_days=self.settings.lookback_days,
            today=today,
            max_span_days=self.shape.max_span_days,
            max_history_days=self.shape.max_history_days,
            reopen_from=self.run_plan.plan_start(context, today),
        )
        if plan.clamped_from:
            self.logger.warning(
                "Ad account %s: %s is older than the %d days of history the tap asks for in "
                "%s reports (Pinterest keeps one day more); starting at %s",
                context["ad_account_id"],
                plan.clamped_from,
                self.shape.max_history_days,
                self.shape.granularity,
                plan.start,
            )
        return plan.windows

    def _report_request(
        self, ad_account_id: str, window: Window, targeting_types: tuple[str, ...] = ()
    ) -> ReportRequest:
        return ReportRequest(
            ad_account_id=ad_account_id,
            start_date=window.start,
            end_date=window.end,
            columns=self.shape.requested_columns(self.extra_columns),
            level=self.shape.level,
            granularity=self.shape.granularity,
            targeting_types=targeting_types,
            attribution=self.settings.attribution,
            report_format=self.settings.report_format,
        )

    def _keep_bookmark(self, context: Context) -> None:
        """After a skipped failure: the bookmark stays at the last window fully read.

        The SDK promotes the progress marker to the bookmark when the partition ends; only
        `_mark_covered` may move it (rows do not: `bookmark_per_record` is False), and a
        failed window must not leave it anywhere the state's bookmark is not.
        """
        markers = self.get_context_state(context).get(PROGRESS_MARKERS, {})
        markers.pop("replication_key", None)
        markers.pop("replication_key_value", None)

    def _mark_covered(self, context: Context, window: Window) -> None:
        """Move the bookmark to the last day of a finished window (and the oldest open day).

        The bookmark is the last date *covered*, not the last date seen: days without
        activity have no rows. Setting it per window makes a killed run resume after the
        last finished window; the progress marker keeps the SDK's end-of-partition
        promotion from moving it back to the last day that had rows.
        """
        state = self.get_context_state(context)
        value = window.end.isoformat()
        self.run_plan.finished(context, window)
        # Window ends are days the tap requested, never after today; the state's own value
        # was read and repaired by _bookmark before the first window was planned.
        state["replication_key"] = self.replication_key
        state["replication_key_value"] = max(value, state.get("replication_key_value") or value)
        markers = state.setdefault(PROGRESS_MARKERS, {"Note": _NOTE})
        markers["replication_key"] = self.replication_key
        markers["replication_key_value"] = max(value, markers.get("replication_key_value") or value)
        # A STATE per finished window, not only every 10,000 records and at the end: a run
        # killed mid-way resumes after its last finished window.
        self._state_writes.write(self.tap.state_writer, self.tap.state)
