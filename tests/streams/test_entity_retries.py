"""The entity streams' retries against the mocked API: 429, 5xx, 401, waits over the cap,
400s that say to retry, and plain 400s.
"""

from __future__ import annotations

import time

import pytest
from singer_sdk.exceptions import FatalAPIError

from tap_pinterest_ads.errors import AccountAccessError, RateLimitError
from tests.mock_api import ACCOUNT_WITH_ENTITIES, API, fixture
from tests.streams.entity_runs import (
    CAMPAIGNS_PAGE2_URL,
    calls,
    fixture_items,
    run_sync,
    token_requests,
)
from tests.tap_runner import records

# Retries ------------------------------------------------------------------------------


def campaigns_page2_answers(api, *first_answers: dict) -> None:
    """Page 2 of the campaigns answers `first_answers` in turn, then the real page."""
    api.get(CAMPAIGNS_PAGE2_URL, [*first_answers, {"json": fixture("campaigns_page2.json")}])


def campaign_ids(messages: list[dict]) -> list[str]:
    return [r["id"] for r in records(messages, "campaigns")]


ALL_CAMPAIGNS = [c["id"] for c in fixture_items("campaigns_page1.json", "campaigns_page2.json")]
CAMPAIGNS_PATH = f"/ad_accounts/{ACCOUNT_WITH_ENTITIES}/campaigns"


def test_a_429_with_retry_after_0_is_retried_once_at_once(api, retry_log):
    campaigns_page2_answers(
        api,
        {
            "status_code": 429,
            "headers": {"Retry-After": "0"},
            "json": {"code": 8, "message": "Rate limit exceeded."},
        },
    )

    messages = run_sync()

    assert campaign_ids(messages) == ALL_CAMPAIGNS
    assert len(calls(api, "GET", CAMPAIGNS_PATH)) == 3  # page 1, page 2 (429), page 2
    (line,) = retry_log()
    assert f"/v5{CAMPAIGNS_PATH}" in line
    assert "HTTP 429 (code 8)" in line
    assert "waiting 0.0 s" in line


def test_a_500_is_retried_after_a_short_backoff(api, retry_log):
    campaigns_page2_answers(
        api, {"status_code": 500, "json": {"code": 0, "message": "Internal error"}}
    )

    messages = run_sync()

    assert campaign_ids(messages) == ALL_CAMPAIGNS
    assert len(calls(api, "GET", CAMPAIGNS_PATH)) == 3
    (line,) = retry_log()
    assert "HTTP 500 (code 0)" in line
    assert "waiting 1.0 s" in line  # no hint from the server: 2 ** 0 seconds


def test_a_401_refreshes_the_token_once_and_retries_with_the_new_one(api, retry_log):
    first = fixture("token_refresh.json")
    second = {**first, "access_token": "fake-access-token-2", "refresh_token": "fake-refresh-3"}
    api.post(f"{API}/oauth/token", [{"json": first}, {"json": second}])
    # The SDK re-sends the same PreparedRequest, so history entries show its *last*
    # headers: record what each attempt carried when it arrived.
    sent: list[str] = []

    def ad_groups(request, context):
        sent.append(request.headers["Authorization"])
        if len(sent) == 1:
            context.status_code = 401
            return {"code": 2, "message": "Authentication failed."}
        return fixture("ad_groups.json")

    api.get(f"{API}/ad_accounts/{ACCOUNT_WITH_ENTITIES}/ad_groups", json=ad_groups)

    messages = run_sync()

    assert len(token_requests(api)) == 2
    assert sent == [f"Bearer {first['access_token']}", "Bearer fake-access-token-2"]
    assert len(records(messages, "ad_groups")) == 3
    assert api.request_history[-1].headers["Authorization"] == "Bearer fake-access-token-2"
    (line,) = retry_log()
    assert "HTTP 401 (code 2)" in line
    assert "waiting 0.0 s" in line


def test_a_wait_longer_than_allowed_fails_the_run_without_waiting(api, retry_log, monkeypatch):
    def sleep(seconds: float) -> None:  # fail instead of hanging if the tap ever waits
        raise AssertionError(f"the tap slept {seconds} s")

    monkeypatch.setattr(time, "sleep", sleep)
    campaigns_page2_answers(
        api,
        {
            "status_code": 429,
            "headers": {"Retry-After": "99999"},
            "json": {"code": 8, "message": "Rate limit exceeded."},
        },
    )

    with pytest.raises(RateLimitError) as error:
        run_sync()

    assert "max_rate_limit_wait_seconds=600" in str(error.value)
    assert "99999 s" in str(error.value)
    assert len(calls(api, "GET", CAMPAIGNS_PATH)) == 2  # page 1, then the 429: no retry
    assert retry_log() == []


def test_a_400_that_says_retry_after_is_retried(api, retry_log):
    campaigns_page2_answers(
        api, {"status_code": 400, "json": {"code": 1, "message": "Retry after 0 seconds"}}
    )

    messages = run_sync()

    assert campaign_ids(messages) == ALL_CAMPAIGNS
    (line,) = retry_log()
    assert "HTTP 400 (code 1)" in line
    assert "waiting 0.0 s" in line


def test_a_plain_400_is_fatal(api, retry_log):
    campaigns_page2_answers(
        api, {"status_code": 400, "json": {"code": 1, "message": "Invalid parameters."}}
    )

    with pytest.raises(FatalAPIError) as error:
        run_sync()

    assert not isinstance(error.value, AccountAccessError)
    assert str(error.value) == (
        f"HTTP 400 code 1 from GET /v5{CAMPAIGNS_PATH}: Invalid parameters."
    )
    assert len(calls(api, "GET", CAMPAIGNS_PATH)) == 2
    assert retry_log() == []
