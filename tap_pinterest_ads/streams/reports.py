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
from tap_pinterest_ads.reports.columns import requested_columns
from tap_pinterest_ads.reports.job import ReportJob, ReportQueue, ReportRequest, SystemClock
from tap_pinterest_ads.reports.records import RecordBuilder
from tap_pinterest_ads.reports.windows import Window, plan_windows

if t.TYPE_CHECKING:
    from collections.abc import Iterable, Iterator

    from tap_pinterest_ads.streams.accounts import AdAccountsStream

_NOTE = "Report rows are unsorted; the bookmark advances per finished report window."
# Without start_date and state, a first run reads this many days.
DEFAULT_FIRST_RUN_DAYS = 30


class _StreamReportApi:
    """The report engine's API calls, sent through the stream's retrying request path."""

    def __init__(self, stream: PinterestStream) -> None:
        self._stream = stream

    def create_report(self, ad_account_id: str, body: dict) -> dict:
        return self._stream.request_json("POST", f"/ad_accounts/{ad_account_id}/reports", json=body)

    def get_report(self, ad_account_id: str, token: str) -> dict:
        return self._stream.request_json(
            "GET", f"/ad_accounts/{ad_account_id}/reports", params={"token": token}
        )


class _AccountFeed:
    """Hands each partition its own jobs, in order, from the queue shared by all accounts."""

    def __init__(self, queue: Iterable[tuple[ReportRequest, ReportJob]]) -> None:
        self._items = iter(queue)
        self._next: tuple[ReportRequest, ReportJob] | None = None

    def jobs_for(self, ad_account_id: str) -> Iterator[tuple[ReportRequest, ReportJob]]:
        while True:
            if self._next is None:
                self._next = next(self._items, None)
            if self._next is None or self._next[0].ad_account_id != ad_account_id:
                return
            item, self._next = self._next, None
            yield item


class ReportStream(PinterestStream):
    """Daily report rows of one report level, incremental on `date` with a lookback."""

    level: t.ClassVar[str]
    replication_key = "date"
    # Rows come grouped by entity, not by date; the bookmark moves per finished window.
    is_sorted = False
    state_partitioning_keys: t.ClassVar[list[str]] = ["ad_account_id"]
    # Records are built from the column registry with their final types already.
    TYPE_CONFORMANCE_LEVEL = TypeConformanceLevel.NONE
    path = "/ad_accounts/{ad_account_id}/reports"

    def __init__(self, *args: t.Any, **kwargs: t.Any) -> None:
        super().__init__(*args, **kwargs)
        self._feed: _AccountFeed | None = None
        self._download_session = requests.Session()

    @property
    def _accounts(self) -> AdAccountsStream:
        return self._tap.streams["ad_accounts"]  # type: ignore[attr-defined,return-value]

    @property
    def partitions(self) -> list[dict]:
        """One partition (and one bookmark) per ad account."""
        return [{"ad_account_id": account["id"]} for account in self._accounts.accounts()]

    @cached_property
    def builder(self) -> RecordBuilder:
        """Turns raw report rows into typed records."""
        return RecordBuilder(
            extra_columns=self.settings.report_columns, attribution=self.settings.attribution
        )

    def get_records(self, context: dict | None) -> Iterator[dict]:
        """Every row of every window of this account's reports."""
        assert context is not None
        account_id = context["ad_account_id"]
        currency = self._accounts.currency_of(account_id)
        if self._feed is None:
            self._feed = self._start_reports()
        # Declared before the first record, so the SDK does not warn that unsorted
        # progress is not resumable: _mark_covered makes it resumable per window.
        self.get_context_state(context).setdefault("progress_markers", {"Note": _NOTE})
        build = self.builder.build
        for request, job in self._feed.jobs_for(account_id):
            for row in job.rows():
                yield build(row, account_id, currency)
            self._mark_covered(context, request.end_date)

    def _start_reports(self) -> _AccountFeed:
        requests_ = [
            self._report_request(partition["ad_account_id"], window)
            for partition in self.partitions
            for window in self._windows(partition)
        ]
        api = _StreamReportApi(self)
        queue = ReportQueue(
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
        return _AccountFeed(queue)

    def _windows(self, context: dict) -> tuple[Window, ...]:
        today = dt.datetime.now(dt.timezone.utc).date()
        bookmark = self.get_context_state(context).get("replication_key_value")
        start = self.settings.start_date or today - dt.timedelta(days=DEFAULT_FIRST_RUN_DAYS)
        plan = plan_windows(
            start_date=start,
            bookmark=dt.date.fromisoformat(bookmark) if bookmark else None,
            lookback_days=self.settings.lookback_days,
            today=today,
        )
        if plan.clamped_from:
            self.logger.warning(
                "Ad account %s: %s is older than the 914 days Pinterest keeps; starting at %s",
                context["ad_account_id"],
                plan.clamped_from,
                plan.start,
            )
        return plan.windows

    def _report_request(self, ad_account_id: str, window: Window) -> ReportRequest:
        attribution = self.settings.attribution
        return ReportRequest(
            ad_account_id=ad_account_id,
            start_date=window.start,
            end_date=window.end,
            columns=requested_columns(self.settings.report_columns),
            level=self.level,
            click_window_days=attribution.click_window_days,
            engagement_window_days=attribution.engagement_window_days,
            view_window_days=attribution.view_window_days,
            conversion_report_time=attribution.conversion_report_time,
            report_format=self.settings.report_format,
        )

    def _mark_covered(self, context: dict, end: dt.date) -> None:
        """Move the bookmark to the last day of a finished window.

        The bookmark is the last date *covered*, not the last date seen: days without
        activity have no rows. Setting it per window makes a killed run resume after the
        last finished window; the progress marker keeps the SDK's end-of-partition
        promotion from moving it back to the last day that had rows.
        """
        state = self.get_context_state(context)
        value = end.isoformat()
        state["replication_key"] = self.replication_key
        state["replication_key_value"] = max(value, state.get("replication_key_value") or value)
        markers = state.setdefault("progress_markers", {"Note": _NOTE})
        markers["replication_key"] = self.replication_key
        markers["replication_key_value"] = max(value, markers.get("replication_key_value") or value)
