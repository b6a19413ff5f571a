"""Many report jobs in flight at once, consumed in order."""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Iterable, Iterator

from tap_pinterest_ads.reports.job import ReportJob
from tap_pinterest_ads.reports.request import ReportRequest


class ReportQueue:
    """Runs many jobs so a run costs about one report's latency, not their sum.

    Up to `max_in_flight` reports are created ahead; iteration yields (request, job) in input
    order once the job's URL is ready, and creates the next report when the caller moves on.
    Consume each job's rows before advancing: a report lives 1 hour after it finishes (a job
    that waited too long re-creates its report within its `max_creates`).

    When creating or waiting for a report raises, iteration ends and `failed_request` names
    the report it was for. A job the factory hands over already created (a queue rebuilt from
    the remains of one that failed) is not created again.
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
        self._requests = report_requests
        self._factory = factory
        self._max_in_flight = max_in_flight
        self.failed_request: ReportRequest | None = None

    def __iter__(self) -> Iterator[tuple[ReportRequest, ReportJob]]:
        pending: deque[tuple[ReportRequest, ReportJob]] = deque()
        source = iter(self._requests)

        def top_up() -> None:
            while len(pending) < self._max_in_flight:
                request = next(source, None)
                if request is None:
                    return
                job = self._factory(request)
                if job.token is None:
                    self._attempt(request, job.submit)
                pending.append((request, job))

        top_up()
        while pending:
            request, job = pending.popleft()
            self._attempt(request, job.wait_for_url)
            yield request, job
            job.close()
            top_up()

    def _attempt(self, request: ReportRequest, step: Callable[[], object]) -> None:
        try:
            step()
        except Exception:
            self.failed_request = request
            raise
