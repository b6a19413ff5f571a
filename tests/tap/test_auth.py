"""The authenticator: token request shape, refresh timing, 401s, rotation, warnings."""

from __future__ import annotations

import base64
import json
import logging
import stat
from urllib.parse import parse_qs

import pytest
import requests

from tap_pinterest_ads.auth import PinterestAuthenticator
from tap_pinterest_ads.errors import AuthError
from tap_pinterest_ads.token_store import TokenStore

TOKEN_URL = "https://api.pinterest.com/v5/oauth/token"
DAY = 86400


class FakeClock:
    def __init__(self, now: float = 1_800_000_000.0) -> None:
        self.now = now
        self.sleeps: list[float] = []

    def __call__(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.now += seconds


def token_body(n: int, *, expires_in: int = 3600, refresh_days: float = 60, now: float) -> dict:
    return {
        "access_token": f"fake-access-{n}",
        "token_type": "bearer",
        "expires_in": expires_in,
        "scope": "ads:read",
        "refresh_token": f"fake-refresh-{n}",
        "refresh_token_expires_in": int(refresh_days * DAY),
        "refresh_token_expires_at": int(now + refresh_days * DAY),
        "response_type": "refresh_token",
    }


def make_auth(clock: FakeClock, **kwargs) -> PinterestAuthenticator:
    options = {
        "token_url": TOKEN_URL,
        "client_id": "fake-client-id",
        "client_secret": "fake-client-secret",
        "refresh_token": "fake-refresh-0",
        "clock": clock,
        "sleep": clock.sleep,
    }
    options.update(kwargs)
    return PinterestAuthenticator(**options)


def sign(auth: PinterestAuthenticator) -> str:
    request = requests.Request("GET", "https://api.pinterest.com/v5/ad_accounts").prepare()
    return auth(request).headers["Authorization"]


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


def test_token_request_uses_basic_auth_and_a_refresh_token_form(requests_mock, clock):
    requests_mock.post(TOKEN_URL, json=token_body(1, now=clock.now))

    assert sign(make_auth(clock)) == "Bearer fake-access-1"

    sent = requests_mock.last_request
    expected = base64.b64encode(b"fake-client-id:fake-client-secret").decode()
    assert sent.headers["Authorization"] == f"Basic {expected}"
    assert sent.headers["Content-Type"] == "application/x-www-form-urlencoded"
    assert parse_qs(sent.text) == {
        "grant_type": ["refresh_token"],
        "refresh_token": ["fake-refresh-0"],
    }


def test_one_token_request_serves_many_requests(requests_mock, clock):
    requests_mock.post(TOKEN_URL, json=token_body(1, now=clock.now))
    auth = make_auth(clock)
    for _ in range(5):
        sign(auth)
    assert requests_mock.call_count == 1


def test_refreshes_five_minutes_before_expiry(requests_mock, clock):
    requests_mock.post(
        TOKEN_URL,
        [{"json": token_body(1, now=clock.now)}, {"json": token_body(2, now=clock.now)}],
    )
    auth = make_auth(clock)
    assert sign(auth) == "Bearer fake-access-1"
    clock.now += 3600 - 301
    assert sign(auth) == "Bearer fake-access-1"
    clock.now += 2
    assert sign(auth) == "Bearer fake-access-2"


def test_a_401_refreshes_once_then_a_second_401_fails(requests_mock, clock):
    requests_mock.post(
        TOKEN_URL,
        [{"json": token_body(1, now=clock.now)}, {"json": token_body(2, now=clock.now)}],
    )
    auth = make_auth(clock)
    first = requests.Request("GET", "https://x/v5/a").prepare()
    auth(first)

    auth.handle_unauthorized(first)
    second = requests.Request("GET", "https://x/v5/a").prepare()
    assert auth(second).headers["Authorization"] == "Bearer fake-access-2"

    with pytest.raises(AuthError, match="freshly refreshed"):
        auth.handle_unauthorized(second)
    assert requests_mock.call_count == 2


def test_a_rejected_static_access_token_is_an_auth_error(clock):
    auth = make_auth(
        clock, client_id=None, client_secret=None, refresh_token=None, access_token="fake-static"
    )
    request = requests.Request("GET", "https://x/v5/a").prepare()
    assert auth(request).headers["Authorization"] == "Bearer fake-static"
    with pytest.raises(AuthError, match="access_token"):
        auth.handle_unauthorized(request)


def test_rotated_refresh_token_is_kept_and_used_next_run(requests_mock, clock, tmp_path):
    store_path = tmp_path / "state" / "pinterest-token.json"
    requests_mock.post(TOKEN_URL, json=token_body(1, now=clock.now))
    sign(make_auth(clock, token_store=TokenStore(store_path)))

    assert stat.S_IMODE(store_path.stat().st_mode) == 0o600
    assert json.loads(store_path.read_text())["fake-client-id"]["refresh_token"] == "fake-refresh-1"

    # Next run: same config, so the stored descendant is sent, not the configured token.
    requests_mock.post(TOKEN_URL, json=token_body(2, now=clock.now))
    sign(make_auth(clock, token_store=TokenStore(store_path)))
    assert parse_qs(requests_mock.last_request.text)["refresh_token"] == ["fake-refresh-1"]
    assert json.loads(store_path.read_text())["fake-client-id"]["refresh_token"] == "fake-refresh-2"


def test_a_newly_configured_refresh_token_wins_over_the_store(requests_mock, clock, tmp_path):
    store = TokenStore(tmp_path / "token.json")
    requests_mock.post(TOKEN_URL, json=token_body(1, now=clock.now))
    sign(make_auth(clock, token_store=store))

    sign(make_auth(clock, token_store=store, refresh_token="fake-reauthorized"))
    assert parse_qs(requests_mock.last_request.text)["refresh_token"] == ["fake-reauthorized"]


def test_warns_with_the_date_when_the_refresh_token_is_near_expiry(requests_mock, clock, caplog):
    requests_mock.post(TOKEN_URL, json=token_body(1, refresh_days=3, now=clock.now))
    with caplog.at_level(logging.WARNING):
        sign(make_auth(clock))
    # 1_800_000_000 + 3 days = 2027-01-18
    assert any("expires on 2027-01-18" in r.getMessage() for r in caplog.records)


def test_wrong_client_secret_names_the_settings_not_the_secret(requests_mock, clock):
    requests_mock.post(
        TOKEN_URL, status_code=401, json={"code": 2, "message": "Authentication failed."}
    )
    with pytest.raises(AuthError) as error:
        sign(make_auth(clock))
    assert "client_secret" in str(error.value)
    assert "fake-client-secret" not in str(error.value)


def test_revoked_refresh_token_says_to_authorize_again(requests_mock, clock):
    requests_mock.post(
        TOKEN_URL,
        status_code=400,
        json={"code": 1, "message": "Invalid refresh token fake-refresh-0"},
    )
    with pytest.raises(AuthError) as error:
        sign(make_auth(clock))
    assert "refresh_token" in str(error.value)
    assert "authorize" in str(error.value)
    assert "fake-refresh-0" not in str(error.value)


def test_transient_token_endpoint_failures_are_retried(requests_mock, clock):
    requests_mock.post(
        TOKEN_URL,
        [
            {"status_code": 503, "json": {"code": 0, "message": "unavailable"}},
            {"exc": requests.ConnectionError},
            {"json": token_body(1, now=clock.now)},
        ],
    )
    assert sign(make_auth(clock)) == "Bearer fake-access-1"
    assert clock.sleeps == [1.0, 2.0]
