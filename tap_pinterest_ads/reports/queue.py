"""Many report jobs in flight at once, across ad accounts, handed out account by account."""

from __future__ import annotations

import itertools
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass

from tap_pinterest_ads.reports.job import ReportJob
from tap_pinterest_ads.reports.request import ReportRequest


@dataclass(frozen=True)
class ReportFailure:
    """A report of `ad_account_id` that could not be created or finished: `error` says why."""

    ad_account_id: str
    error: Exception


class ReportQueue:
    """Runs many jobs so a run costs about one report's latency, not their sum.

    Up to `max_in_flight` reports are created ahead, in request order, across ad accounts.
    `jobs_for(account)` hands out that account's jobs in order, each once its URL is ready, and
    creates the next report when the caller asks for the next job. Consume each job's rows
    before asking: a report lives 1 hour after it finishes (a job that waited too long
    re-creates its report within its `max_creates`).

    A report that cannot be created or waited for comes out of `jobs_for` as a `ReportFailure`
    of its account, which is not always the account being read: reports are created ahead.
    The queue then drops that account's other reports; `drop(account)` does the same after a
    failure the caller finds itself (a report that cannot be read). No report is created twice.
    """

    def __init__(
        self,
        report_requests: Iterable[ReportRequest],
        factory: Callable[[ReportRequest], ReportJob],
        *,
        max_in_flight: int = 20,
    ) -> None:
        if max_in_flight < 1:
            raise ValueError("max_in_flight must be >= 1")
        self._waiting: deque[ReportRequest] = deque(report_requests)  # not handed out, in order
        self._jobs: dict[ReportRequest, ReportJob] = {}  # created, not handed out
        self._factory = factory
        self._max_in_flight = max_in_flight
        self._handed_out: ReportJob | None = None  # closed when the caller asks for the next
        self._ready = False  # the first waiting report's URL is known
        self._dropped: set[str] = set()

    def jobs_for(
        self, ad_account_id: str
    ) -> Iterator[tuple[ReportRequest, ReportJob] | ReportFailure]:
        """The account's jobs in order, and the failure of any account's report as it comes."""
        while ad_account_id not in self._dropped:
            failure = self._make_first_ready()
            if failure is not None:
                yield failure
                continue
            if not self._waiting or self._waiting[0].ad_account_id != ad_account_id:
                return
            request = self._waiting.popleft()
            job = self._handed_out = self._jobs.pop(request)
            self._ready = False
            yield request, job

    def drop(self, ad_account_id: str) -> None:
        """Forget the account's reports not handed out yet, and hand out no more of them."""
        self._dropped.add(ad_account_id)
        if self._waiting and self._waiting[0].ad_account_id == ad_account_id:
            self._ready = False
        for request in [r for r in self._jobs if r.ad_account_id == ad_account_id]:
            self._jobs.pop(request).close()
        self._waiting = deque(r for r in self._waiting if r.ad_account_id != ad_account_id)

    def _make_first_ready(self) -> ReportFailure | None:
        """Top up the reports in flight and wait for the first one's URL; None once it is
        known (or nothing waits), else the failure met on the way."""
        if self._ready:
            return None
        if self._handed_out is not None:
            self._handed_out.close()
            self._handed_out = None
        for request in list(itertools.islice(self._waiting, self._max_in_flight)):
            if request not in self._jobs:
                job = self._jobs[request] = self._factory(request)
                failure = self._attempt(request, job.submit)
                if failure is not None:
                    return failure
        if not self._waiting:
            return None
        first = self._waiting[0]
        failure = self._attempt(first, self._jobs[first].wait_for_url)
        self._ready = failure is None
        return failure

    def _attempt(self, request: ReportRequest, step: Callable[[], object]) -> ReportFailure | None:
        try:
            step()
        except Exception as exc:
            self.drop(request.ad_account_id)
            return ReportFailure(request.ad_account_id, exc)
        return None
