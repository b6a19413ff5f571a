"""Empty windows: a report FINISHED without a url, or a 0-byte file, has no rows and no error.

Quiet accounts, targeting batches and hourly spans often have no row at all; the spec allows
a null `url` (and `size`), and a 0-byte file has no document to check the end of.
"""

from __future__ import annotations

import logging

import pytest

from tap_pinterest_ads.reports.job import ReportDownloadFailed, ReportFailed
from tests.reports.fakes import (
    BODY,
    ROWS,
    URL,
    FakeApi,
    FakeClock,
    finished,
    make_job,
    make_request,
)


def test_a_report_finished_without_a_url_is_an_empty_window(caplog):
    caplog.set_level(logging.INFO, logger="tap_pinterest_ads.reports.job")
    api = FakeApi("IN_PROGRESS", {"report_status": "FINISHED", "url": None, "size": None})
    job = make_job(api, FakeClock())

    assert job.wait_for_url() == (None, None)
    assert list(job.rows()) == []
    assert job.downloads == 0
    assert [c[0] for c in api.calls] == ["create", "get", "get"]
    assert any("has no file: an empty window" in r.getMessage() for r in caplog.records)


def test_a_report_finished_without_the_url_key_at_all_is_empty_too():
    job = make_job(FakeApi({"report_status": "FINISHED"}), FakeClock())

    assert list(job.rows()) == []


@pytest.mark.parametrize("report_format", ["JSON", "CSV"])
@pytest.mark.parametrize("content", [b"", b"\n", b"\xef\xbb\xbf", b"  \r\n  "])
def test_a_zero_byte_or_blank_file_is_an_empty_window(requests_mock, report_format, content):
    requests_mock.get(URL, content=content)
    request = make_request(report_format=report_format)
    job = make_job(FakeApi(finished(size=len(content))), FakeClock(), request=request)

    assert list(job.rows()) == []
    assert job.downloads == 1


def test_a_zero_byte_file_the_poll_said_was_bigger_is_still_empty(requests_mock):
    # HTTP framing vouches for the transfer (Content-Length 0); the size is only a note.
    requests_mock.get(URL, content=b"")
    job = make_job(FakeApi(finished(size=1234)), FakeClock())

    assert list(job.rows()) == []
    assert job.downloads == 1


def test_a_report_that_offered_a_file_cannot_turn_empty_on_the_next_poll(requests_mock):
    # The link expired; the fresh poll answers FINISHED without one: that is not "no rows".
    requests_mock.get(URL, status_code=403)
    api = FakeApi(finished(), {"report_status": "FINISHED", "url": None})
    job = make_job(api, FakeClock())

    with pytest.raises(ReportDownloadFailed, match="no longer offers the file it offered"):
        list(job.rows())


@pytest.mark.parametrize("url", [123, ["https://x"], {"href": "https://x"}, True])
def test_a_download_link_that_is_not_a_string_fails_the_report_in_one_line(url):
    job = make_job(FakeApi({"report_status": "FINISHED", "url": url}), FakeClock())

    with pytest.raises(ReportFailed, match="finished with a download link that is not a URL"):
        job.wait_for_url()


@pytest.mark.parametrize(
    ("size", "read"),
    [(len(BODY), len(BODY)), (float(len(BODY)), len(BODY)), ("12", None), (-1, None),
     (float("nan"), None), (True, None), (None, None), ([1], None)],
)  # fmt: skip
def test_the_polls_size_is_used_only_when_it_is_a_byte_count(requests_mock, size, read):
    requests_mock.get(URL, content=BODY)
    job = make_job(FakeApi(finished(size=size)), FakeClock())

    assert job.wait_for_url() == (URL, read)
    assert list(job.rows()) == ROWS
