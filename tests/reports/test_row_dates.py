"""A report row's DATE: read strictly, and only inside the window its report asked for."""

from __future__ import annotations

import contextlib
import gc
from datetime import date

import pytest

from tap_pinterest_ads.reports.records import ReportValueError
from tap_pinterest_ads.reports.row_dates import (
    RowDateError,
    WindowDates,
    parse_day,
    utc_hour,
    window_records,
)
from tap_pinterest_ads.reports.windows import Window
from tests.reports.fakes import URL, FakeApi, FakeClock, finished, make_job, make_request

WINDOW = Window(date(2026, 11, 1), date(2026, 11, 26))


@pytest.mark.parametrize("value", ["2026-11-26", "2024-02-29"])
def test_a_day_is_exactly_yyyy_mm_dd(value):
    assert parse_day(value) == date.fromisoformat(value)


@pytest.mark.parametrize(
    "value",
    ["2026-11-26T00:00:00", "26/11/2026", "20261126", "2026-W48-4", " 2026-11-26", "2026-02-30",
     "2026-11-26 ", "", 20261126, None, ["2026-11-26"]],
)  # fmt: skip
def test_anything_else_is_not_a_day(value):
    assert parse_day(value) is None


def check(value: object, raw: object = None) -> None:
    WindowDates(WINDOW)({"date": value}, {"DATE": value if raw is None else raw})


@pytest.mark.parametrize("value", ["2026-11-01", "2026-11-15", "2026-11-26"])
def test_a_day_of_the_window_passes(value):
    check(value)


@pytest.mark.parametrize("value", ["2026-11-27", "2026-10-31", "2099-01-01"])
def test_a_row_outside_its_window_names_the_window_and_the_value(value):
    with pytest.raises(RowDateError) as error:
        check(value)

    assert str(error.value) == (
        f"report for window 2026-11-01..2026-11-26 has a row dated '{value}', outside the "
        "window it was requested for"
    )


@pytest.mark.parametrize("value", ["2026-11-26T00:00:00", "26/11/2026", "2026-11-1"])
def test_a_row_whose_date_is_not_a_day_names_the_value(value):
    with pytest.raises(RowDateError, match=f"has a row whose DATE '{value}' is not a date"):
        check(value)


def test_each_distinct_date_is_checked_once_and_a_bad_one_never_passes_later():
    in_window = WindowDates(WINDOW)
    for _ in range(3):
        in_window({"date": "2026-11-02"}, {})
    with pytest.raises(RowDateError):
        in_window({"date": "2026-11-27"}, {})
    with pytest.raises(RowDateError):
        in_window({"date": "2026-11-27"}, {})


@pytest.mark.parametrize(
    ("raw", "hour", "iso"),
    [
        ("2024-03-08 13:00:00", None, "2024-03-08T13:00:00+00:00"),
        ("2024-03-08T13", None, "2024-03-08T13:00:00+00:00"),
        ("2024-03-08T13:00", None, "2024-03-08T13:00:00+00:00"),
        ("2024-03-08T13:00:00Z", None, "2024-03-08T13:00:00+00:00"),
        ("2024-03-08T13:00:00.000000+00:00", None, "2024-03-08T13:00:00+00:00"),
        ("2024-03-08T01:00:00+02:00", None, "2024-03-07T23:00:00+00:00"),
        ("2024-03-08T01:00:00+0200", None, "2024-03-07T23:00:00+00:00"),
        ("2024-03-08T01:00:00-01", None, "2024-03-08T02:00:00+00:00"),
        ("2024-03-08", 13, "2024-03-08T13:00:00+00:00"),
        ("2024-03-08", "7", "2024-03-08T07:00:00+00:00"),
        ("2024-03-08", "07:00", "2024-03-08T07:00:00+00:00"),
        ("2024-03-08", "23:00:00", "2024-03-08T23:00:00+00:00"),
        # A date-time wins over a separate hour column.
        ("2024-03-08 13:00:00", 5, "2024-03-08T13:00:00+00:00"),
    ],
)
def test_an_hourly_date_is_a_utc_hour(raw, hour, iso):
    assert utc_hour(raw, hour).isoformat() == iso


@pytest.mark.parametrize(
    ("raw", "hour"),
    [
        ("2024-03-08", None),  # a bare day without an hour column: the hours would collide
        ("2024-03-08", 24),
        ("2024-03-08", -1),
        ("2024-03-08", "7:30"),
        ("2024-03-08", True),
        ("2024-03-08", 7.0),
        ("2024-03-08 13:30:00", None),  # not on the hour
        ("2024-03-08T01:00:00+05:30", None),  # on the hour locally, not in UTC
        ("2024-03-08 25:00:00", None),
        ("08/03/2024 13:00", None),
        ("13:00", None),
        (20240308, 13),
        (None, None),
    ],
)
def test_an_hourly_date_without_a_valid_hour_is_refused(raw, hour):
    with pytest.raises(ReportValueError, match="DATE: expected a date and hour"):
        utc_hour(raw, hour)


@pytest.mark.parametrize("report_format", ["JSON", "CSV"])
def test_a_window_that_fails_on_a_row_closes_its_parser_before_its_file(
    requests_mock, report_format
):
    # Left to the garbage collector, the CSV parser would be finalized on a closed file and
    # print "Exception ignored in: <generator ...>" to stderr (pytest turns it into an error).
    body = (
        b'{"1":[{"DATE":"2026-12-01","PIN_PROMOTION_ID":"1"},{"DATE":"2026-11-02"}]}'
        if report_format == "JSON"
        else b"DATE,PIN_PROMOTION_ID\n2026-12-01,1\n2026-11-02,1\n"
    )
    requests_mock.get(URL, content=body)
    request = make_request(report_format=report_format)
    job = make_job(FakeApi(finished(size=len(body))), FakeClock(), request=request)

    with pytest.raises(RowDateError), contextlib.closing(job.rows()) as rows:
        list(window_records(rows, lambda row: {"date": row["DATE"]}, WINDOW))
    gc.collect()
