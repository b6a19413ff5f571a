"""How report streams reach the report engine: API calls and each account's share of the queue."""

from __future__ import annotations

import typing as t
from collections import deque

from tap_pinterest_ads.reports.job import ReportFailed
from tap_pinterest_ads.reports.queue import ReportQueue

if t.TYPE_CHECKING:
    from collections.abc import Callable, Iterable, Iterator

    from tap_pinterest_ads.client import PinterestStream
    from tap_pinterest_ads.reports.job import ReportJob, ReportRequest


class StreamReportApi:
    """The report engine's API calls, sent through the stream's retrying request path."""

    def __init__(self, stream: PinterestStream) -> None:
        self._stream = stream

    def create_report(self, ad_account_id: str, body: dict) -> dict:
        return self._object("POST", f"/ad_accounts/{ad_account_id}/reports", json=body)

    def get_report(self, ad_account_id: str, token: str) -> dict:
        return self._object("GET", f"/ad_accounts/{ad_account_id}/reports", params={"token": token})

    def _object(self, method: str, path: str, **kwargs: t.Any) -> dict:
        """The JSON object the endpoint answered; anything else fails the account's report."""
        try:
            answer = self._stream.request_json(method, path, **kwargs)
        except ValueError:  # requests' JSONDecodeError is a ValueError
            raise ReportFailed(f"{method} {path} answered with a body that is not JSON") from None
        if not isinstance(answer, dict):
            kind = type(answer).__name__
            raise ReportFailed(f"{method} {path} answered with a JSON {kind}, not an object")
        return answer


class AccountFeed:
    """Hands each partition its own jobs, in order, from the queue shared by all accounts.

    A failure belongs to the account of the report it came from, which is not always the
    partition being read: reports are created ahead, across accounts. `on_failure` raises
    (the run stops) or returns (that account is skipped). A `ReportQueue` generator that
    raised is finished, so the queue is then rebuilt over the reports not handed out yet,
    without the failed account's; reports already created are reused, not created again.
    """

    def __init__(
        self,
        report_requests: Iterable[ReportRequest],
        factory: Callable[[ReportRequest], ReportJob],
        *,
        max_in_flight: int,
        on_failure: Callable[[str, Exception], None],
    ) -> None:
        self._waiting: deque[ReportRequest] = deque(report_requests)  # not handed out yet
        self._jobs: dict[ReportRequest, ReportJob] = {}  # created, not handed out yet
        self._factory = factory
        self._max_in_flight = max_in_flight
        self._on_failure = on_failure
        self._next: tuple[ReportRequest, ReportJob] | None = None
        self.failed: set[str] = set()
        self._queue, self._items = self._start_queue()

    def jobs_for(self, ad_account_id: str) -> Iterator[tuple[ReportRequest, ReportJob]]:
        while ad_account_id not in self.failed:
            if self._next is None:
                self._next = self._pull()
            if self._next is None or self._next[0].ad_account_id != ad_account_id:
                return
            item, self._next = self._next, None
            yield item

    def fail(self, ad_account_id: str, exc: Exception) -> None:
        """Record an account's failure: raise it, or drop the account's reports and go on."""
        self._on_failure(ad_account_id, exc)
        self.failed.add(ad_account_id)
        for request in [r for r in self._jobs if r.ad_account_id == ad_account_id]:
            self._jobs.pop(request).close()
        if self._next is not None and self._next[0].ad_account_id == ad_account_id:
            self._next[1].close()
            self._next = None
        self._items.close()  # type: ignore[attr-defined] - a generator
        self._waiting = deque(r for r in self._waiting if r.ad_account_id != ad_account_id)
        self._queue, self._items = self._start_queue()

    def _start_queue(self) -> tuple[ReportQueue, Iterator[tuple[ReportRequest, ReportJob]]]:
        queue = ReportQueue(list(self._waiting), self._job, max_in_flight=self._max_in_flight)
        return queue, iter(queue)

    def _job(self, request: ReportRequest) -> ReportJob:
        job = self._jobs.get(request)
        if job is None:
            job = self._jobs[request] = self._factory(request)
        return job

    def _pull(self) -> tuple[ReportRequest, ReportJob] | None:
        while True:
            try:
                item = next(self._items, None)
            except Exception as exc:
                failed = self._queue.failed_request
                if failed is None:
                    raise
                self.fail(failed.ad_account_id, exc)
                continue
            if item is not None:
                handed_out = self._waiting.popleft()
                assert handed_out == item[0], "the queue yields in request order"
                self._jobs.pop(handed_out, None)
            return item
