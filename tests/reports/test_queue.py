"""ReportQueue: reports created ahead across ad accounts and handed out account by account; a
report that fails is a value naming its account."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

import pytest

from tap_pinterest_ads.errors import AccountAccessError
from tap_pinterest_ads.reports.queue import ReportFailure, ReportQueue
from tap_pinterest_ads.reports.request import ReportRequest
from tests.reports.fakes import ACCOUNT, FakeApi, FakeClock, finished, make_job, make_request


def queue_requests(count: int) -> list[ReportRequest]:
    return [make_request(start=date(2024, 1, day)) for day in range(1, count + 1)]


def test_queue_creates_every_report_before_the_first_poll():
    clock = FakeClock()
    api = FakeApi(finished(), clock=clock)
    queue = ReportQueue(queue_requests(5), lambda r: make_job(api, clock, request=r))

    yielded = [request.start_date.day for request, _job in queue.jobs_for(ACCOUNT)]

    assert [c[0] for c in api.calls[:6]] == ["create"] * 5 + ["get"]
    assert yielded == [1, 2, 3, 4, 5]
    assert clock.sleeps == [1]  # later reports were ready by the time they were polled


def test_queue_keeps_at_most_max_in_flight_reports_and_tops_up_as_jobs_are_consumed():
    clock = FakeClock()
    api = FakeApi(finished(), clock=clock)
    queue = ReportQueue(
        queue_requests(3), lambda r: make_job(api, clock, request=r), max_in_flight=2
    )
    jobs = queue.jobs_for(ACCOUNT)

    next(jobs)
    assert [c[0] for c in api.calls] == ["create", "create", "get"]
    next(jobs)
    assert [c[0] for c in api.calls] == ["create", "create", "get", "create", "get"]


# Several accounts, without HTTP ------------------------------------------------------------


@dataclass
class FakeJob:
    request: ReportRequest
    log: list[str]
    broken: set[str] = field(default_factory=set)  # steps that raise: "submit", "wait"
    token: str | None = None

    def submit(self) -> None:
        self.log.append(f"create {self.request.ad_account_id}/{self.request.start_date.day}")
        if "submit" in self.broken:
            raise AccountAccessError(self.request.ad_account_id, 403, "forbidden")
        self.token = "t"

    def wait_for_url(self) -> None:
        if "wait" in self.broken:
            raise AccountAccessError(self.request.ad_account_id, 404, "gone")

    def close(self) -> None:
        pass


def queue_of(plan: dict[str, int], broken: dict[str, set[str]]) -> tuple[ReportQueue, list[str]]:
    """A queue over `plan` (account -> number of one-day windows), and its log of creations."""
    log: list[str] = []
    requests_ = [
        ReportRequest(
            ad_account_id=account,
            start_date=date(2024, 1, day),
            end_date=date(2024, 1, day),
            columns=("SPEND_IN_MICRO_DOLLAR",),
        )
        for account, windows in plan.items()
        for day in range(1, windows + 1)
    ]
    queue = ReportQueue(
        requests_,
        lambda r: FakeJob(r, log, broken.get(r.ad_account_id, set())),
        max_in_flight=3,
    )
    return queue, log


def served(queue: ReportQueue, accounts: list[str]) -> list[str]:
    """What each account's `jobs_for` hands out, in order: `a/1` for a job, `b failed` for a
    failure (with the error it carries)."""
    out = []
    for account in accounts:
        for item in queue.jobs_for(account):
            if isinstance(item, ReportFailure):
                assert isinstance(item.error, AccountAccessError)
                assert item.error.ad_account_id == item.ad_account_id
                out.append(f"{item.ad_account_id} failed")
            else:
                out.append(f"{account}/{item[0].start_date.day}")
    return out


@pytest.mark.parametrize(
    ("step", "expected"),
    [
        # b/1 is created ahead, with a/1 and a/2: its failure comes before a's first job
        ("submit", ["b failed", "a/1", "a/2", "c/1", "c/2"]),
        # b/1 is waited for once a's jobs are handed out, still in a's partition
        ("wait", ["a/1", "a/2", "b failed", "c/1", "c/2"]),
    ],
)
def test_a_failure_of_another_account_is_a_value_and_its_reports_are_dropped(step, expected):
    queue, log = queue_of({"a": 2, "b": 2, "c": 2}, {"b": {step}})

    assert served(queue, ["a", "b", "c"]) == expected
    assert sorted(set(log)) == sorted(log), "no report created twice"
    assert {entry for entry in log if not entry.startswith("create b")} == {
        "create a/1",
        "create a/2",
        "create c/1",
        "create c/2",
    }


def test_dropping_an_account_in_its_own_partition_ends_its_jobs():
    queue, log = queue_of({"a": 3, "b": 2}, {})
    jobs = queue.jobs_for("a")
    next(jobs)
    queue.drop("a")

    assert list(jobs) == []
    assert served(queue, ["b"]) == ["b/1", "b/2"]
    assert sorted(set(log)) == sorted(log)
