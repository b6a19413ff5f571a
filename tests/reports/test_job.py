"""ReportJob: create -> poll -> download -> parse with a fake clock and API."""

from __future__ import annotations

import logging

import pytest
import requests

from tap_pinterest_ads.redaction import redact_url
from tap_pinterest_ads.reports.job import (
    ReportDownloadFailed,
    ReportFailed,
    ReportJob,
    ReportTimeout,
)
from tests.reports.fakes import (
    ACCOUNT,
    BODY,
    ROWS,
    URL,
    FakeApi,
    FakeClock,
    finished,
    make_job,
    make_request,
)

FRESH_URL = "https://storage.example.test/async_reporting_v3/x/metrics_report.txt?X-Amz-Signature=fake-sig-2"


# --- polling -----------------------------------------------------------------------------


def test_by_default_each_poll_waits_25_percent_longer_than_the_last():
    clock = FakeClock()
    api = FakeApi(*["IN_PROGRESS"] * 4, finished())
    job = ReportJob(make_request(), api, requests.Session(), clock)

    job.wait_for_url()
    assert [round(s, 4) for s in clock.sleeps] == [1, 1.25, 1.5625, 1.9531, 2.4414]


def test_in_progress_report_is_polled_on_a_doubling_schedule_capped_at_poll_max():
    clock = FakeClock()
    api = FakeApi(*["IN_PROGRESS"] * 7, finished())
    job = make_job(api, clock)

    assert job.wait_for_url() == (URL, len(BODY))
    assert clock.sleeps == [1, 2, 4, 8, 16, 30, 30, 30]
    assert api.created == 1


def test_each_poll_logs_one_info_line_with_account_window_status_and_elapsed(caplog):
    caplog.set_level(logging.INFO, logger="tap_pinterest_ads.reports.job")
    api = FakeApi("IN_PROGRESS", finished())
    make_job(api, FakeClock()).wait_for_url()

    polls = [r.getMessage() for r in caplog.records if r.getMessage().startswith("Report ")]
    polls = [m for m in polls if "elapsed" in m]
    assert polls == [
        f"Report IN_PROGRESS: ad account {ACCOUNT}, window 2024-01-01..2024-01-31, 1s elapsed",
        f"Report FINISHED: ad account {ACCOUNT}, window 2024-01-01..2024-01-31, 3s elapsed",
    ]


def test_failed_report_is_created_again_and_its_new_token_polled_from_the_start():
    clock = FakeClock()
    api = FakeApi("IN_PROGRESS", "IN_PROGRESS", "FAILED", "IN_PROGRESS", finished(), clock=clock)
    job = make_job(api, clock)

    assert job.wait_for_url()[0] == URL
    assert job.creates == 2
    tokens = [c[2] for c in api.calls if c[0] == "get"]
    assert tokens == ["token-1"] * 3 + ["token-2"] * 2
    assert clock.sleeps == [1, 2, 4, 1, 2]


@pytest.mark.parametrize("status", ["FAILED", "EXPIRED", "CANCELLED", "DOES_NOT_EXIST"])
def test_report_failing_on_every_creation_raises_report_failed_after_max_creates(status):
    api = FakeApi(status)
    job = make_job(api, FakeClock(), max_creates=3)

    with pytest.raises(ReportFailed) as error:
        job.wait_for_url()

    assert api.created == 3
    assert str(error.value) == (
        f"report for ad account {ACCOUNT}, window 2024-01-01..2024-01-31 failed: "
        f"status {status} after 3 creation(s)"
    )


def test_report_still_in_progress_at_the_deadline_raises_report_timeout():
    clock = FakeClock()
    job = make_job(FakeApi("IN_PROGRESS"), clock, deadline_seconds=60)

    with pytest.raises(ReportTimeout) as error:
        job.wait_for_url()

    assert clock.sleeps == [1, 2, 4, 8, 16, 29]  # the last wait is cut to end at the deadline
    message = str(error.value)
    assert ACCOUNT in message
    assert "2024-01-01..2024-01-31" in message
    assert "60s" in message
    assert "report_timeout_seconds" in message


def test_report_waited_on_after_its_deadline_is_polled_once_before_timing_out():
    # A queued job may be reached long after creation; its report may well be ready.
    clock = FakeClock()
    job = make_job(FakeApi(finished()), clock, deadline_seconds=60)
    job.submit()
    clock.now = 500.0

    assert job.wait_for_url()[0] == URL
    assert clock.sleeps == []


def test_request_body_matches_the_create_async_report_schema():
    request = make_request(columns=["SPEND_IN_MICRO_DOLLAR", "IMPRESSION_1"])
    assert request.body() == {
        "start_date": "2024-01-01",
        "end_date": "2024-01-31",
        "granularity": "DAY",
        "level": "PIN_PROMOTION",
        "columns": ["SPEND_IN_MICRO_DOLLAR", "IMPRESSION_1"],
        "click_window_days": 30,
        "engagement_window_days": 30,
        "view_window_days": 1,
        "conversion_report_time": "TIME_OF_AD_ACTION",
        "report_format": "JSON",
    }
    targeted = make_request(level="PIN_PROMOTION_TARGETING", targeting_types=["GENDER"])
    assert targeted.body()["targeting_types"] == ["GENDER"]


# --- download ----------------------------------------------------------------------------


def test_download_sends_no_authorization_header_even_if_the_session_has_one(requests_mock):
    requests_mock.get(URL, content=BODY)
    session = requests.Session()
    session.headers["Authorization"] = "Bearer fake-token"
    session.auth = ("fake-user", "fake-password")
    job = make_job(FakeApi(finished()), FakeClock(), session=session)

    assert list(job.rows()) == ROWS
    assert "Authorization" not in requests_mock.request_history[-1].headers


def test_expired_link_is_replaced_by_polling_again_for_a_fresh_url(requests_mock):
    requests_mock.get(URL, status_code=403, text="<Error>Request has expired</Error>")
    requests_mock.get(FRESH_URL, content=BODY)
    clock = FakeClock()
    api = FakeApi(finished(URL), finished(FRESH_URL), clock=clock)
    job = make_job(api, clock)

    assert list(job.rows()) == ROWS
    assert [c[3] for c in api.calls if c[0] == "get"] == [1.0, 1.0]  # re-polled at once
    assert [r.url for r in requests_mock.request_history] == [URL, FRESH_URL]


def test_truncated_download_is_retried(requests_mock):
    requests_mock.get(URL, [{"content": BODY[:-20]}, {"content": BODY}])
    job = make_job(FakeApi(finished()), FakeClock())

    assert list(job.rows()) == ROWS
    assert job.downloads == 2


@pytest.mark.parametrize("report_format", ["JSON", "CSV"])
@pytest.mark.parametrize("delta", [-3, 5])
def test_a_size_that_differs_from_the_bytes_received_is_a_debug_note_not_a_retry(
    requests_mock, caplog, report_format, delta
):
    # The spec calls `size` a nullable number, and it has been seen off by a few bytes; a cut
    # transfer is caught by HTTP framing, a cut JSON document by its missing end.
    caplog.set_level(logging.DEBUG, logger="tap_pinterest_ads.reports.job")
    body = BODY if report_format == "JSON" else b"DATE,PIN_PROMOTION_ID\n2024-01-01,1\n"
    requests_mock.get(URL, content=body)
    request = make_request(report_format=report_format)
    job = make_job(FakeApi(finished(size=len(body) + delta)), FakeClock(), request=request)

    assert len(list(job.rows())) == (3 if report_format == "JSON" else 1)
    assert job.downloads == 1
    (note,) = [r for r in caplog.records if "bytes received" in r.getMessage()]
    assert note.levelno == logging.DEBUG
    assert f"{len(body)} bytes received, the poll said {len(body) + delta}" in note.getMessage()


def test_broken_transfer_is_retried(requests_mock):
    requests_mock.get(URL, [{"exc": requests.exceptions.ChunkedEncodingError}, {"content": BODY}])
    job = make_job(FakeApi(finished()), FakeClock())

    assert list(job.rows()) == ROWS
    assert job.downloads == 2


def test_json_cut_at_a_row_boundary_is_retried_when_the_api_gave_no_size(requests_mock):
    requests_mock.get(URL, [{"content": BODY[: BODY.index(b"]") + 1]}, {"content": BODY}])
    job = make_job(FakeApi(finished(size=None)), FakeClock())

    assert list(job.rows()) == ROWS


def test_download_failing_every_attempt_raises_without_the_signed_url(requests_mock, caplog):
    requests_mock.get(URL, content=BODY[:-1])
    job = make_job(FakeApi(finished()), FakeClock(), max_downloads=3)

    with pytest.raises(ReportDownloadFailed) as error:
        list(job.rows())

    assert len(requests_mock.request_history) == 3
    assert "after 3 attempt(s)" in str(error.value)
    assert "fake-sig" not in str(error.value)
    assert "fake-sig" not in caplog.text
    assert "metrics_report.txt?<redacted>" in caplog.text


def test_corrupt_report_found_before_any_row_is_downloaded_again(requests_mock):
    corrupt = b'{"1": [{"DATE" "2024-01-01"}]}'  # right size and closing brace, bad JSON
    requests_mock.get(URL, [{"content": corrupt}, {"content": BODY}])
    job = make_job(FakeApi(finished(size=None)), FakeClock())

    assert list(job.rows()) == ROWS
    assert job.downloads == 2


def test_corrupt_report_found_after_rows_were_yielded_fails_rather_than_duplicate(requests_mock):
    corrupt = b'{"1": [{"PIN_PROMOTION_ID": "1"}, {"PIN_PROMOTION_ID" "2"}]}'
    requests_mock.get(URL, content=corrupt)
    job = make_job(FakeApi(finished(size=None)), FakeClock())
    rows = job.rows()

    assert next(rows) == {"PIN_PROMOTION_ID": "1"}
    with pytest.raises(ReportDownloadFailed, match="corrupt after 1 row"):
        next(rows)
    assert job.downloads == 1


def test_csv_report_rows_are_parsed_with_numbers_converted(requests_mock):
    requests_mock.get(URL, content=b"DATE,PIN_PROMOTION_ID,IMPRESSION_1\n2024-01-01,12,0\n")
    job = make_job(
        FakeApi(finished(size=None)), FakeClock(), request=make_request(report_format="CSV")
    )

    assert list(job.rows()) == [{"DATE": "2024-01-01", "PIN_PROMOTION_ID": 12, "IMPRESSION_1": 0}]


def test_redact_url_keeps_host_and_path_and_drops_the_signature():
    assert redact_url(URL) == (
        "https://storage.example.test/async_reporting_v3/x/metrics_report.txt?<redacted>"
    )
    assert redact_url("https://user:fake-password@host.test/a") == "https://host.test/a"
