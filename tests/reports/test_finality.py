"""Day finality and the adaptive lookback's pure parts: the book of answers, the open-day
marker of the state, and where a run's windows start."""

from __future__ import annotations

from datetime import date, timedelta

from tap_pinterest_ads.reports.finality import FinalityBook, OpenDayMarker, reopen_from
from tap_pinterest_ads.reports.windows import Window, plan_windows

TODAY = date(2026, 3, 20)


def day(n: int) -> date:
    return TODAY - timedelta(days=n)


def book_answering(answers: dict[date, object]) -> tuple[FinalityBook, list[date]]:
    asked: list[date] = []

    def fetch(when: date) -> object:
        asked.append(when)
        return answers.get(when, {"conversion_metrics_ready": True,
                                  "non_conversion_metrics_ready": True})  # fmt: skip

    return FinalityBook(fetch), asked


def test_each_day_is_asked_once_however_many_windows_cover_it() -> None:
    book, asked = book_answering({})
    book.ensure([Window(day(5), day(3)), Window(day(4), day(0))])
    book.ensure([Window(day(2), day(0))])
    assert asked == [day(n) for n in range(5, -1, -1)]
    assert [f.day for f in book.checked()] == asked


def test_an_answer_that_is_not_a_boolean_is_not_final() -> None:
    book, _ = book_answering({
        day(2): {"conversion_metrics_ready": "true", "non_conversion_metrics_ready": True},
        day(1): None,
        day(0): {"conversion_metrics_ready": False, "non_conversion_metrics_ready": 1},
    })  # fmt: skip
    book.ensure([Window(day(3), day(0))])
    assert book.flags[day(3).isoformat()] == (True, True)
    assert book.flags[day(2).isoformat()] == (True, False)
    assert book.flags[day(1).isoformat()] == (False, False)
    assert book.flags[day(0).isoformat()] == (False, False)
    records = {f.day: f.record() for f in book.checked()}
    assert records[day(2)]["conversion_metrics_ready"] is None
    assert records[day(0)]["non_conversion_metrics_ready"] is None


def test_rows_without_conversions_are_open_only_while_their_other_metrics_are() -> None:
    not_converted = {"conversion_metrics_ready": False, "non_conversion_metrics_ready": True}
    book, _ = book_answering({day(1): not_converted})
    book.ensure([Window(day(2), day(1))])
    window = Window(day(2), day(1))
    assert book.first_open_day(window, conversions=True) == day(1)
    assert book.first_open_day(window, conversions=False) is None
    # A day never asked about is open.
    assert book.is_open(day(9), conversions=False)


def test_the_adaptive_lookback_goes_back_at_most_max_lookback_days() -> None:
    assert reopen_from(None, TODAY, 30) is None
    assert reopen_from(day(12), TODAY, 30) == day(12)
    assert reopen_from(day(40), TODAY, 30) == day(30)
    assert reopen_from(day(40), TODAY, 0) == TODAY


def test_the_marker_is_the_oldest_open_day_a_finished_window_found() -> None:
    marker = OpenDayMarker(previous=day(10))
    # The previous marker stays until a window has covered it…
    assert marker.finished(Window(day(20), day(11)), None) == day(10)
    # …and goes once the window that covered it found every day final.
    assert marker.finished(Window(day(10), day(4)), None) is None
    assert marker.finished(Window(day(3), day(0)), day(2)) == day(2)
    # Later windows never move it forward.
    assert marker.finished(Window(day(1), day(0)), day(0)) == day(2)


def test_windows_start_at_the_oldest_open_day_within_start_date_and_history() -> None:
    def start(**kw: object) -> date:
        base = {"start_date": day(100), "bookmark": TODAY, "lookback_days": 2, "today": TODAY}
        return plan_windows(**{**base, **kw}).start  # type: ignore[arg-type]

    assert start() == day(2)
    assert start(reopen_from=day(9)) == day(9)
    # The lookback still applies when the open day is more recent.
    assert start(reopen_from=day(1)) == day(2)
    # Not before start_date; not beyond the history the shape may read, and without warning.
    assert start(reopen_from=day(9), start_date=day(5)) == day(5)
    plan = plan_windows(start_date=day(100), bookmark=TODAY, lookback_days=2, today=TODAY,
                        max_history_days=7, reopen_from=day(20))  # fmt: skip
    assert (plan.start, plan.clamped_from) == (day(7), None)
