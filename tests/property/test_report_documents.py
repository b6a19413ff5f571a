"""Property: any report document gives exactly its rows, or fails its window in one line.

The report engine alone (download, checks, stream parser, record builder, window dates), with
a fake clock and a mocked storage link: thousands of documents a minute. The same documents
through a whole tap run are in test_report_runs.py.
"""

from __future__ import annotations

import contextlib
import datetime as dt

import requests
import requests_mock
from hypothesis import event, given, settings

from tap_pinterest_ads.reports import ReportError
from tap_pinterest_ads.reports.job import ReportJob
from tap_pinterest_ads.reports.records import RecordBuilder
from tap_pinterest_ads.reports.request import ReportRequest
from tap_pinterest_ads.reports.row_dates import window_records
from tap_pinterest_ads.reports.shapes import DELIVERY
from tap_pinterest_ads.reports.windows import Window
from tests.property.documents import Document, documents

ACCOUNT = "549755000123"
WINDOW = Window(dt.date(2026, 11, 1), dt.date(2026, 11, 7))
URL = "https://storage.example.test/async_reporting_v3/r/metrics_report.txt?X-Amz-Signature=f"
# Parsing costs microseconds: this property gets ten times the profile's examples.
EXAMPLES = settings().max_examples * 10


class _Clock:
    now = 0.0

    def monotonic(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.now += seconds


class _OneReport:
    """A report that is FINISHED at once, with the document's byte count as its size."""

    def __init__(self, size: int) -> None:
        self.size = size

    def create_report(self, ad_account_id: str, body: dict) -> dict:
        return {"token": "t", "report_status": "IN_PROGRESS", "message": None}

    def get_report(self, ad_account_id: str, token: str) -> dict:
        return {"report_status": "FINISHED", "url": URL, "size": self.size}


def read_window(document: Document) -> list[dict]:
    """The records the engine makes of `document` as the report of WINDOW."""
    request = ReportRequest(ad_account_id=ACCOUNT, start_date=WINDOW.start, end_date=WINDOW.end,
                            columns=DELIVERY.requested_columns(),
                            report_format=document.report_format)  # fmt: skip
    builder = RecordBuilder()
    with requests_mock.Mocker() as storage:
        storage.get(URL, content=document.body)
        job = ReportJob(request, _OneReport(len(document.body)), requests.Session(), _Clock())
        with contextlib.closing(job.rows()) as rows:
            build = lambda row: builder.build(row, ACCOUNT, "EUR")  # noqa: E731
            return list(window_records(rows, build, WINDOW))


def projected(record: dict) -> dict:
    fields = ("date", "pin_promotion_id", "campaign_id", "paid_impressions", "paid_clicks",
              "spend", "conversions")  # fmt: skip
    return {field: record[field] for field in fields}


def by_key(records) -> list[dict]:
    return sorted(records, key=lambda r: (r["date"], r["pin_promotion_id"]))


@settings(max_examples=EXAMPLES)
@given(documents((WINDOW.start, WINDOW.end)))
def test_a_report_document_gives_exactly_its_rows_or_fails_its_window_in_one_line(document):
    error, records = None, []
    try:
        records = read_window(document)
    except ReportError as exc:  # anything else is a bug: the test fails with its traceback
        error = exc
    event(f"{document.how}: {'fails' if error else 'rows'}")
    if document.must_fail:
        assert error is not None, f"{document.how}: accepted"
        assert "\n" not in str(error)
    else:
        assert error is None, f"{document.how}: {error}"
        assert by_key(projected(r) for r in records) == by_key(document.expected)
    assert all(WINDOW.start.isoformat() <= r["date"] <= WINDOW.end.isoformat() for r in records)
