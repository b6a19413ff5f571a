"""The entity streams end to end against the mocked API: paging, filters, conversions,
ACTIVATE_VERSION, configured accounts and retries.

Each test runs a whole sync in-process, reads the Singer messages the tap wrote to stdout
(numbers parsed as ``Decimal``, so amounts are compared exactly) and the requests it made.
"""

from __future__ import annotations

import datetime as dt
import logging
import time
from decimal import Decimal
from urllib.parse import parse_qs, urlsplit

import pytest
from singer_sdk.exceptions import FatalAPIError

from tap_pinterest_ads.errors import AccountAccessError, AuthError, RateLimitError
from tests import mock_api
from tests.mock_api import ACCOUNT_WITH_ENTITIES, ACCOUNTS, API, fixture
from tests.openapi_contract import validate_history
from tests.tap_runner import run, sync

ALL_STATUSES = ["ACTIVE", "PAUSED", "ARCHIVED", "DRAFT", "DELETED_DRAFT"]
ENTITY_PATHS = ("campaigns", "ad_groups", "ads")
STREAMS = ("ad_accounts", "campaigns", "ad_groups", "pin_promotions")
UNIX_EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.timezone.utc)
CAMPAIGNS_PAGE2_URL = (
    f"{API}/ad_accounts/{ACCOUNT_WITH_ENTITIES}/campaigns"
    f"?bookmark={fixture('campaigns_page1.json')['bookmark']}"
)
FORBIDDEN = {"code": 29, "message": "You are not permitted to access that resource."}


# Helpers ------------------------------------------------------------------------------


def run_sync(**config) -> list[dict]:
    """Sync the entity streams with the mock config (plus `config`); the messages written."""
    return sync({**mock_api.CONFIG, **config}, STREAMS)


def records(messages: list[dict], stream: str) -> list[dict]:
    return [m["record"] for m in messages if m["type"] == "RECORD" and m["stream"] == stream]


def by_id(messages: list[dict], stream: str) -> dict[str, dict]:
    return {r["id"]: r for r in records(messages, stream)}


def path_of(entry) -> str:
    """`/ad_accounts/1/campaigns` from a history entry (the `/v5` prefix dropped)."""
    return urlsplit(entry.url).path.removeprefix("/v5")


def query_of(entry) -> dict[str, list[str]]:
    """The query exactly as sent (requests_mock's own `.qs` lower-cases values)."""
    return parse_qs(urlsplit(entry.url).query, keep_blank_values=True)


def calls(mocker, method: str, path: str) -> list:
    return [e for e in mocker.request_history if e.method == method and path_of(e) == path]


def token_requests(mocker) -> list:
    return calls(mocker, "POST", "/oauth/token")


def iso(epoch: int | None) -> str | None:
    """What an epoch-seconds field should become: ISO 8601 in UTC."""
    return None if epoch is None else (UNIX_EPOCH + dt.timedelta(seconds=epoch)).isoformat()


def micro(value: int | None) -> Decimal | None:
    return None if value is None else Decimal(value) / 1_000_000


def fixture_items(*names: str) -> list[dict]:
    return [item for name in names for item in fixture(name)["items"]]


@pytest.fixture
def retry_log(caplog):
    """The tap's "Retrying …" log lines."""
    caplog.set_level(logging.INFO)
    return lambda: [r.getMessage() for r in caplog.records if r.getMessage().startswith("Retrying")]


# Paging, filters, contract -------------------------------------------------------------


def test_ad_accounts_are_read_over_two_pages_with_the_bookmark(api):
    messages = run_sync()

    assert [r["id"] for r in records(messages, "ad_accounts")] == list(ACCOUNTS)
    first, second = calls(api, "GET", "/ad_accounts")  # bookmark null on page 2: stop
    assert "bookmark" not in query_of(first)
    assert query_of(second)["bookmark"] == [fixture("ad_accounts_page1.json")["bookmark"]]


def test_campaigns_are_read_over_two_pages_with_the_bookmark(api):
    messages = run_sync()

    expected = [c["id"] for c in fixture_items("campaigns_page1.json", "campaigns_page2.json")]
    assert [r["id"] for r in records(messages, "campaigns")] == expected
    first, second = calls(api, "GET", f"/ad_accounts/{ACCOUNT_WITH_ENTITIES}/campaigns")
    assert "bookmark" not in query_of(first)
    assert query_of(second)["bookmark"] == [fixture("campaigns_page1.json")["bookmark"]]


def test_every_list_request_asks_for_250_items(api):
    run_sync()

    lists = [e for e in api.request_history if e.method == "GET"]
    # 2 account pages + 3 accounts × 3 entity lists + 1 second campaigns page
    assert len(lists) == 12
    assert all(query_of(e)["page_size"] == ["250"] for e in lists)


def test_entity_lists_ask_for_every_status(api):
    run_sync()

    entity_requests = [e for e in api.request_history if path_of(e).endswith(ENTITY_PATHS)]
    assert {path_of(e).rsplit("/", 1)[1] for e in entity_requests} == set(ENTITY_PATHS)
    for entry in entity_requests:
        assert query_of(entry)["entity_statuses"] == ALL_STATUSES, entry.url


def test_every_request_matches_the_official_spec(api):
    run_sync()

    templates = validate_history(api)
    assert set(templates) == {
        "/oauth/token",
        "/ad_accounts",
        "/ad_accounts/{ad_account_id}/campaigns",
        "/ad_accounts/{ad_account_id}/ad_groups",
        "/ad_accounts/{ad_account_id}/ads",
    }


def test_one_token_request_serves_the_whole_run(api):
    messages = run_sync()

    assert {m["stream"] for m in messages if m["type"] == "RECORD"} == set(STREAMS)
    assert len(token_requests(api)) == 1
    bearer = {e.headers["Authorization"] for e in api.request_history if e.method == "GET"}
    assert bearer == {f"Bearer {fixture('token_refresh.json')['access_token']}"}


# Conversions --------------------------------------------------------------------------


def test_ids_are_strings_and_every_child_row_names_its_ad_account(api):
    messages = run_sync()

    for stream in STREAMS:
        rows = records(messages, stream)
        assert rows, stream
        assert all(isinstance(r["id"], str) for r in rows), stream
    for stream in ("campaigns", "ad_groups", "pin_promotions"):
        assert {r["ad_account_id"] for r in records(messages, stream)} == {ACCOUNT_WITH_ENTITIES}


def test_a_row_without_ad_account_id_gets_the_one_it_was_listed_under(api):
    ads = fixture("ads.json")
    for item in ads["items"]:
        del item["ad_account_id"]
    api.get(f"{API}/ad_accounts/{ACCOUNT_WITH_ENTITIES}/ads", json=ads)

    messages = run_sync()

    assert [r["ad_account_id"] for r in records(messages, "pin_promotions")] == [
        ACCOUNT_WITH_ENTITIES
    ] * 3


def test_epoch_seconds_become_iso_date_times_in_utc(api):
    messages = run_sync()

    raw = {
        "ad_accounts": fixture_items("ad_accounts_page1.json", "ad_accounts_page2.json"),
        "campaigns": fixture_items("campaigns_page1.json", "campaigns_page2.json"),
        "ad_groups": fixture_items("ad_groups.json"),
        "pin_promotions": fixture_items("ads.json"),
    }
    fields = {
        "ad_accounts": ("created_time", "updated_time"),
        "campaigns": ("created_time", "updated_time", "start_time", "end_time"),
        "ad_groups": ("created_time", "updated_time", "start_time", "end_time"),
        "pin_promotions": ("created_time", "updated_time"),
    }
    for stream, items in raw.items():
        rows = by_id(messages, stream)
        for item in items:
            for field in fields[stream]:
                assert rows[item["id"]][field] == iso(item[field]), (stream, item["id"], field)

    spring = by_id(messages, "campaigns")["626000000201"]
    assert spring["created_time"] == "2024-01-02T03:04:05+00:00"  # 1704164645, by hand
    assert by_id(messages, "ad_accounts")["549000000103"]["created_time"] is None


def test_campaign_spend_caps_keep_the_micros_and_get_exact_amounts(api):
    messages = run_sync()

    rows = by_id(messages, "campaigns")
    for item in fixture_items("campaigns_page1.json", "campaigns_page2.json"):
        row = rows[item["id"]]
        for name in ("daily_spend_cap", "lifetime_spend_cap"):
            assert row[name] == item[name]
            assert type(row[name]) is type(item[name])  # the integer stays an integer
            assert row[f"{name}_amount"] == micro(item[name]), (item["id"], name)

    assert rows["626000000201"]["daily_spend_cap_amount"] == Decimal(25)
    assert rows["626000000202"]["lifetime_spend_cap_amount"] == Decimal("1.234567")
    assert rows["626000000202"]["daily_spend_cap_amount"] is None


def test_amounts_stay_exact_beyond_float_precision(api):
    # 2**53 + 1 micro: a float division would print 9007199254.740992.
    page2 = fixture("campaigns_page2.json")
    page2["items"][0]["daily_spend_cap"] = 9_007_199_254_740_993
    api.get(CAMPAIGNS_PAGE2_URL, json=page2)

    messages = run_sync()

    row = by_id(messages, "campaigns")[page2["items"][0]["id"]]
    assert row["daily_spend_cap"] == 9_007_199_254_740_993
    assert row["daily_spend_cap_amount"] == Decimal("9007199254.740993")


def test_ad_group_budget_and_bid_get_exact_amounts(api):
    messages = run_sync()

    rows = by_id(messages, "ad_groups")
    assert {i: (r["budget_amount"], r["bid_amount"]) for i, r in rows.items()} == {
        "2680000000301": (None, Decimal("2.5")),
        "2680000000302": (Decimal(10), Decimal("1.234567")),
        "2680000000303": (Decimal(500), None),
    }
    for item in fixture_items("ad_groups.json"):
        row = rows[item["id"]]
        assert row["budget_in_micro_currency"] == item["budget_in_micro_currency"]
        assert row["bid_in_micro_currency"] == item["bid_in_micro_currency"]
        assert row["budget_amount"] == micro(item["budget_in_micro_currency"])
        assert row["bid_amount"] == micro(item["bid_in_micro_currency"])


def test_ad_accounts_carry_their_documented_fields(api):
    fields = (
        "id",
        "name",
        "owner",
        "country",
        "currency",
        "permissions",
        "created_time",
        "updated_time",
    )
    messages = run_sync()

    schema = next(m for m in messages if m["type"] == "SCHEMA" and m["stream"] == "ad_accounts")
    assert set(fields) <= set(schema["schema"]["properties"])
    assert schema["key_properties"] == ["id"]
    for row in records(messages, "ad_accounts"):
        assert set(fields) <= set(row), row["id"]
    us = by_id(messages, "ad_accounts")["549000000101"]
    source = fixture("ad_accounts_page1.json")["items"][0]
    assert {k: us[k] for k in fields} == {
        **{k: source[k] for k in fields},
        "created_time": iso(source["created_time"]),
        "updated_time": iso(source["updated_time"]),
    }


# ACTIVATE_VERSION ---------------------------------------------------------------------


def test_full_table_streams_activate_a_version_by_default_after_their_last_record(api):
    messages = run_sync()

    for stream in STREAMS:
        own = [m for m in messages if m.get("stream") == stream]
        kinds = [m["type"] for m in own]
        # The classic Singer order: announced once the listing of every account is read.
        assert kinds[0] == "SCHEMA", stream
        assert kinds.count("ACTIVATE_VERSION") == 1, stream
        assert kinds.index("ACTIVATE_VERSION") > max(
            i for i, kind in enumerate(kinds) if kind == "RECORD"
        ), stream
        versions = {m["version"] for m in own if m["type"] == "ACTIVATE_VERSION"}
        assert len(versions) == 1, stream
        assert {m.get("version") for m in own if m["type"] == "RECORD"} == versions, stream


def test_activate_version_can_be_turned_off(api):
    messages = run_sync(emit_activate_version_messages=False)

    assert [m for m in messages if m["type"] == "ACTIVATE_VERSION"] == []
    assert len([m for m in messages if m["type"] == "RECORD"]) == 14
    assert all("version" not in m for m in messages if m["type"] == "RECORD")


@pytest.mark.parametrize("failure", ["token endpoint 401", "configured account 403"])
def test_a_run_that_fails_before_reading_any_account_activates_no_version(api, failure):
    if failure == "token endpoint 401":
        api.post(
            f"{API}/oauth/token",
            status_code=401,
            json={"code": 2, "message": "Authentication failed."},
        )
    else:
        api.get(f"{API}/ad_accounts/{ACCOUNT_WITH_ENTITIES}", status_code=403, json=FORBIDDEN)

    outcome = run({**mock_api.CONFIG, "advertiser_ids": ACCOUNT_WITH_ENTITIES}, STREAMS)

    with pytest.raises((AuthError, AccountAccessError)):
        outcome.raise_error()
    messages = outcome.messages
    assert [m for m in messages if m["type"] == "RECORD"] == []
    assert [m for m in messages if m["type"] == "ACTIVATE_VERSION"] == []


# Configured accounts ------------------------------------------------------------------


def test_configured_advertiser_ids_are_fetched_one_by_one(api):
    messages = run_sync(advertiser_ids=ACCOUNT_WITH_ENTITIES)

    assert [r["id"] for r in records(messages, "ad_accounts")] == [ACCOUNT_WITH_ENTITIES]
    assert calls(api, "GET", "/ad_accounts") == []
    (single,) = calls(api, "GET", f"/ad_accounts/{ACCOUNT_WITH_ENTITIES}")
    assert query_of(single) == {}
    assert len(records(messages, "campaigns")) == 5
    assert len(records(messages, "ad_groups")) == 3
    assert len(records(messages, "pin_promotions")) == 3
    assert {path_of(e) for e in api.request_history if e.method == "GET"} == {
        f"/ad_accounts/{ACCOUNT_WITH_ENTITIES}",
        *(f"/ad_accounts/{ACCOUNT_WITH_ENTITIES}/{p}" for p in ENTITY_PATHS),
    }
    assert "/ad_accounts/{ad_account_id}" in validate_history(api)


def test_a_configured_account_we_cannot_read_fails_naming_it(api):
    api.get(f"{API}/ad_accounts/{ACCOUNT_WITH_ENTITIES}", status_code=403, json=FORBIDDEN)

    with pytest.raises(AccountAccessError) as error:
        run_sync(advertiser_ids=ACCOUNT_WITH_ENTITIES)

    assert error.value.ad_account_id == ACCOUNT_WITH_ENTITIES
    assert f"ad account {ACCOUNT_WITH_ENTITIES} is not accessible" in str(error.value)
    assert "HTTP 403: You are not permitted to access that resource." in str(error.value)
    assert len(calls(api, "GET", f"/ad_accounts/{ACCOUNT_WITH_ENTITIES}")) == 1  # not retried


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
