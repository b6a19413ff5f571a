"""The pacer (tap_pinterest_ads/pacing.py): ads_analytics calls spaced at the run's share of the
budget, and calls held when Pinterest says nothing remains; with a fake clock."""

from __future__ import annotations

import datetime as dt
import email.utils

import pytest
import requests_mock

from tap_pinterest_ads.pacing import (
    ADS_ANALYTICS,
    ADS_READ,
    HEADROOM,
    Pacer,
    category,
    remaining_calls,
    reset_seconds,
)
from tap_pinterest_ads.tap import TapPinterestAds
from tests import mock_api
from tests.reports.fakes import FakeClock

NOW = 1_800_000_000.0  # epoch seconds of the fake wall clock


def _pacer(per_minute: int = 300, max_wait: float = 600) -> tuple[Pacer, FakeClock]:
    clock = FakeClock()
    pacer = Pacer(
        per_minute,
        max_wait=max_wait,
        monotonic=clock.monotonic,
        wall_clock=lambda: NOW + clock.now,
        sleep=clock.sleep,
    )
    return pacer, clock


def test_analytics_calls_are_spaced_at_the_share_less_the_headroom():
    pacer, clock = _pacer(per_minute=300)
    for _ in range(301):
        pacer.before(ADS_ANALYTICS)
    # 301 calls span 300 intervals: never more than 300 × HEADROOM calls in any minute.
    assert clock.now == pytest.approx(300 * 60 / (300 * HEADROOM))
    assert clock.now > 60


def test_time_spent_elsewhere_counts_towards_the_next_slot():
    pacer, clock = _pacer(per_minute=60)
    pacer.before(ADS_ANALYTICS)
    clock.now += 5.0  # a download and its rows took longer than one interval
    assert pacer.before(ADS_ANALYTICS) == 0.0


def test_other_categories_are_not_paced_by_the_analytics_share():
    pacer, clock = _pacer(per_minute=1)
    for _ in range(10):
        pacer.before(ADS_READ)
    pacer.before(ADS_ANALYTICS)
    assert clock.now == 0.0


def test_an_answer_saying_nothing_remains_holds_its_category_until_the_reset():
    pacer, clock = _pacer()
    pacer.observe(ADS_READ, 200, {"X-RateLimit-Remaining": "0", "X-RateLimit-Reset": "7"})
    pacer.before(ADS_ANALYTICS)
    assert clock.now == 0.0
    pacer.before(ADS_READ)
    assert clock.now == 7.0


def test_a_reset_beyond_max_rate_limit_wait_is_left_to_the_429_that_fails_the_run():
    pacer, clock = _pacer(max_wait=600)
    pacer.observe(ADS_ANALYTICS, 200, {"X-RateLimit-Remaining": "0", "X-RateLimit-Reset": "67150"})
    pacer.before(ADS_ANALYTICS)
    assert clock.now == 0.0


@pytest.mark.parametrize(
    "headers",
    [
        {},
        {"X-RateLimit-Remaining": "5", "X-RateLimit-Reset": "7"},
        {"X-RateLimit-Remaining": "zero", "X-RateLimit-Reset": "7"},
        {"X-RateLimit-Remaining": "0", "X-RateLimit-Reset": "soon"},
        {"X-RateLimit-Remaining": "nan", "X-RateLimit-Reset": "inf"},
    ],
)
def test_headers_that_leave_calls_or_make_no_sense_hold_nothing(headers):
    pacer, clock = _pacer()
    pacer.observe(ADS_READ, 200, headers)
    pacer.before(ADS_READ)
    assert clock.now == 0.0


@pytest.mark.parametrize(
    ("value", "seconds"),
    [
        ("7", 7.0),
        ("2.5", 2.5),
        ("-3", 0.0),
        (str(int(NOW + 30)), 30.0),
        (str(int((NOW + 30) * 1000)), 30.0),
        (email.utils.formatdate(NOW + 30, usegmt=True), 30.0),
        (dt.datetime.fromtimestamp(NOW + 30, dt.timezone.utc).isoformat(), 30.0),
        ("2027-01-15T08:00:30Z", 30.0),
    ],
)
def test_reset_is_read_in_any_format(value, seconds):
    now = dt.datetime(2027, 1, 15, 8, 0, tzinfo=dt.timezone.utc).timestamp()
    if value.startswith("2027"):
        assert reset_seconds({"X-RateLimit-Reset": value}, now) == pytest.approx(seconds)
    else:
        assert reset_seconds({"X-RateLimit-Reset": value}, NOW) == pytest.approx(seconds)


def test_remaining_is_read_as_a_whole_number():
    assert remaining_calls({"X-RateLimit-Remaining": " 12 "}) == 12
    assert remaining_calls({"X-RateLimit-Remaining": "0.0"}) == 0
    assert remaining_calls({"X-RateLimit-Remaining": ""}) is None


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        ("/v5/ad_accounts/123/reports", ADS_ANALYTICS),
        ("/v5/ad_accounts/123/campaigns/analytics", ADS_ANALYTICS),
        ("/v5/ad_accounts/123/templates/9/reports", ADS_ANALYTICS),
        ("/v5/resources/metrics_ready_state", ADS_ANALYTICS),
        ("/v5/ad_accounts/123/campaigns", ADS_READ),
        ("/v5/ad_accounts", ADS_READ),
        ("/v5/pins/5", "pins"),
        ("/v5/resources/delivery_metrics", "resources"),
    ],
)
def test_paths_fall_in_pinterests_rate_limit_categories(path, expected):
    assert category(path) == expected


def test_the_summary_counts_calls_429s_and_waits():
    pacer, _clock = _pacer(per_minute=60)
    pacer.before(ADS_ANALYTICS)
    pacer.before(ADS_ANALYTICS)
    pacer.observe(ADS_ANALYTICS, 429, {})
    assert pacer.summary() == "ads_analytics 2 calls, 1 answered 429, waited 1.0 s"


def test_every_attempt_of_a_report_request_takes_a_slot_and_reads_the_answer(monkeypatch):
    """Through the stream's request path: a 429 retry is paced too, and its headers count."""
    config = {**mock_api.CONFIG, "analytics_requests_per_minute": 60}
    tap = TapPinterestAds(config=config)
    slots: list[str] = []
    monkeypatch.setattr(tap.pacer, "before", lambda name: slots.append(name) or 0.0)
    stream = tap.streams["pin_promotion_delivery"]
    url = f"{mock_api.API}/ad_accounts/1/reports"
    with requests_mock.Mocker() as mock:
        mock.post(f"{mock_api.API}/oauth/token", json=mock_api.fixture("token_refresh.json"))
        mock.get(
            url,
            [
                {"status_code": 429, "json": {"code": 8, "message": "limit"},
                 "headers": {"X-RateLimit-Reset": "0"}},
                {"json": {"report_status": "IN_PROGRESS"},
                 "headers": {"X-RateLimit-Remaining": "4", "X-RateLimit-Reset": "0"}},
            ],
        )  # fmt: skip
        answer = stream.request_json("GET", "/ad_accounts/1/reports", params={"token": "t"})
    assert answer == {"report_status": "IN_PROGRESS"}
    assert slots == [ADS_ANALYTICS, ADS_ANALYTICS]
    assert "1 answered 429" in tap.pacer.summary()
