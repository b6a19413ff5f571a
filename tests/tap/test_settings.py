"""Settings: the accepted shapes, and one clear message per wrong value."""

from __future__ import annotations

import datetime as dt
from urllib.parse import urlsplit

import pytest
from singer_sdk.exceptions import ConfigValidationError

from tap_pinterest_ads.settings import Settings

CREDENTIALS = {
    "client_id": "fake-client-id",
    "client_secret": "fake-client-secret",
    "refresh_token": "fake-refresh-token",
}


def errors_for(**config) -> list[str]:
    with pytest.raises(ConfigValidationError) as error:
        Settings.from_config({**CREDENTIALS, **config})
    return error.value.errors


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("123, 456", ("123", "456")),
        ("123,456,", ("123", "456")),
        (["123", "456"], ("123", "456")),
        ([123, 456], ("123", "456")),  # what Meltano's kind: array makes of "123,456"
        ("", ()),
        (None, ()),
        ([], ()),
    ],
)
def test_advertiser_ids_accepts_a_string_or_a_list(value, expected):
    assert Settings.from_config({**CREDENTIALS, "advertiser_ids": value}).advertiser_ids == expected


def test_a_non_digit_advertiser_id_is_named():
    assert errors_for(advertiser_ids="123, 12x") == [
        "advertiser_ids: '12x' is not an ad account id (digits only, at most 18)"
    ]


def test_a_duplicate_advertiser_id_is_named():
    assert errors_for(advertiser_ids=["5", "5"]) == ["advertiser_ids: '5' is listed twice"]


@pytest.mark.parametrize("value", ["2024-13-01", "yesterday", "2024/01/02"])
def test_a_malformed_start_date_is_named(value):
    assert errors_for(start_date=value) == [
        f"start_date must be a date like 2024-01-31, got {value!r}"
    ]


def test_a_future_start_date_is_refused():
    tomorrow = (dt.datetime.now(dt.timezone.utc).date() + dt.timedelta(days=2)).isoformat()
    assert errors_for(start_date=tomorrow) == [f"start_date {tomorrow!r} is in the future"]


def test_a_date_time_start_date_is_read_as_its_day():
    settings = Settings.from_config({**CREDENTIALS, "start_date": "2024-01-02T00:00:00Z"})
    assert settings.start_date == dt.date(2024, 1, 2)


def test_negative_lookback_is_refused():
    assert errors_for(lookback_days=-1) == ["lookback_days must be a whole number ≥ 0, got -1"]


def test_missing_credentials_say_which_settings_are_needed():
    with pytest.raises(ConfigValidationError) as error:
        Settings.from_config({"client_id": "fake-client-id"})
    assert error.value.errors == [
        "credentials are incomplete: set client_id, client_secret and refresh_token "
        "(missing: client_secret, refresh_token), or set access_token"
    ]


def test_an_access_token_alone_is_enough():
    assert Settings.from_config({"access_token": "fake-token"}).advertiser_ids == ()


def test_defaults():
    settings = Settings.from_config(CREDENTIALS)
    assert settings.lookback_days == 5
    # Production by default (this test makes no request: it only reads the setting).
    assert urlsplit(settings.api_url)[:3] == ("https", "api.pinterest.com", "/v5")
    assert settings.emit_activate_version is True
    assert settings.start_date is None
