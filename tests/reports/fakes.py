"""The report engine's fakes: a clock that only moves when slept, an API answering polls from a
script, and a report request and job built on them."""

from __future__ import annotations

import json
from datetime import date

import requests

from tap_pinterest_ads.reports.job import ReportJob
from tap_pinterest_ads.reports.request import ReportRequest

ACCOUNT = "549755885175"
URL = (
    "https://storage.example.test/async_reporting_v3/x/metrics_report.txt?X-Amz-Signature=fake-sig"
)
ROWS = [
    {"DATE": "2024-01-01", "PIN_PROMOTION_ID": "1", "SPEND_IN_MICRO_DOLLAR": 1200000},
    {"DATE": "2024-01-02", "PIN_PROMOTION_ID": "1", "IMPRESSION_1": 7},
    {"DATE": "2024-01-01", "PIN_PROMOTION_ID": "2", "CLICKTHROUGH_1": 3},
]
BODY = json.dumps({"1": ROWS[:2], "2": ROWS[2:]}).encode()


class FakeClock:
    """monotonic() only moves when sleep() is called; every sleep is recorded."""

    def __init__(self) -> None:
        self.now = 0.0
        self.sleeps: list[float] = []

    def monotonic(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.now += seconds


class FakeApi:
    """Answers polls from a script (a status, or a full response dict); logs every call."""

    def __init__(
        self,
        *polls: str | dict,
        clock: FakeClock | None = None,
        created_status: str = "IN_PROGRESS",
    ) -> None:
        self.polls = list(polls)
        self.clock = clock
        self.created_status = created_status
        self.calls: list[tuple] = []
        self.created = 0

    def create_report(self, ad_account_id: str, body: dict) -> dict:
        self.created += 1
        self.calls.append(("create", ad_account_id, body["start_date"]))
        return {
            "token": f"token-{self.created}",
            "report_status": self.created_status,
            "message": None,
        }

    def get_report(self, ad_account_id: str, token: str) -> dict:
        when = self.clock.now if self.clock else None
        assert len(self.calls) < 500, "polled forever"
        self.calls.append(("get", ad_account_id, token, when))
        poll = self.polls.pop(0) if len(self.polls) > 1 else self.polls[0]
        return poll if isinstance(poll, dict) else {"report_status": poll, "url": None}


def finished(url: str = URL, size: int | None = len(BODY)) -> dict:
    return {"report_status": "FINISHED", "url": url, "size": size}


def make_request(start: date = date(2024, 1, 1), **overrides) -> ReportRequest:
    fields = {"ad_account_id": ACCOUNT, "start_date": start, "end_date": date(2024, 1, 31)}
    fields["columns"] = ("PIN_PROMOTION_ID", "SPEND_IN_MICRO_DOLLAR")
    return ReportRequest(**(fields | overrides))


def make_job(api: FakeApi, clock: FakeClock, session=None, request=None, **options) -> ReportJob:
    session = session or requests.Session()
    options.setdefault("poll_factor", 2.0)  # whole-second schedules read best in tests
    return ReportJob(request or make_request(), api, session, clock, **options)
