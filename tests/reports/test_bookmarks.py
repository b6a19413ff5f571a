"""A report stream's bookmark as the state holds it: a day to resume from, never after today."""

from __future__ import annotations

from datetime import date

import pytest

from tap_pinterest_ads.reports.bookmarks import Bookmark, StateBookmarkError, read_bookmark

TODAY = date(2026, 11, 28)
WHERE = "Stream 'pin_promotion_delivery', ad account 549755000123"


def read(value: object) -> Bookmark:
    return read_bookmark(value, TODAY, where=WHERE)


@pytest.mark.parametrize("value", [None, ""])
def test_no_bookmark(value):
    assert read(value) == Bookmark(None)


@pytest.mark.parametrize("value", ["2026-11-28", "2026-11-27", "2020-01-01"])
def test_a_day_up_to_today_is_read_as_it_is(value):
    assert read(value) == Bookmark(date.fromisoformat(value))


@pytest.mark.parametrize("value", ["2026-11-29", "2099-12-31"])
def test_a_bookmark_in_the_future_is_clamped_to_today_with_a_warning_naming_account_and_date(
    value,
):
    bookmark = read(value)

    assert bookmark.day == TODAY
    assert bookmark.warning == (
        f"{WHERE}: the state's bookmark '{value}' is after today (2026-11-28, UTC); "
        "clamping it to today"
    )


@pytest.mark.parametrize(
    ("value", "day"),
    [
        ("2026-11-26T00:00:00", date(2026, 11, 26)),
        ("2026-11-26 13:00:00", date(2026, 11, 26)),
        ("2026-11-26T00:00:00Z", date(2026, 11, 26)),
        ("2026-11-26T23:00:00-05:00", date(2026, 11, 26)),
    ],
)
def test_a_date_time_older_versions_wrote_is_read_as_its_day_with_a_warning(value, day):
    bookmark = read(value)

    assert bookmark.day == day
    assert bookmark.warning == (
        f"{WHERE}: the state's bookmark '{value}' is a date-time; reading it as {day}"
    )


def test_a_future_date_time_is_read_as_its_day_and_clamped():
    bookmark = read("2099-01-01T00:00:00")

    assert bookmark.day == TODAY
    assert "is after today" in (bookmark.warning or "")


@pytest.mark.parametrize(
    "value",
    ["31/12/2026", "2026-13-01", "2026-11-26Tnoon", "yesterday", 20261126, 1.5, True,
     ["2026-11-26"], {"date": "2026-11-26"}],
)  # fmt: skip
def test_anything_else_is_one_line_naming_the_value_and_what_to_do(value):
    with pytest.raises(StateBookmarkError) as error:
        read(value)

    message = str(error.value)
    assert message.startswith(f"{WHERE}: the state's bookmark {value!r}"[:120])
    assert "is not a date (YYYY-MM-DD): correct it, or clear this stream's state" in message
    assert "\n" not in message
