"""The entity streams against the mocked API: paging, filters and the spec, ACTIVATE_VERSION,
configured accounts.

Each test runs a whole sync in-process and reads the Singer messages the tap wrote and the
requests it made.
"""

from __future__ import annotations

import pytest

from tap_pinterest_ads.errors import AccountAccessError, AuthError
from tests import mock_api
from tests.mock_api import ACCOUNT_WITH_ENTITIES, ACCOUNTS, API, fixture
from tests.openapi_contract import validate_history
from tests.streams.entity_runs import (
    ALL_STATUSES,
    ENTITY_PATHS,
    FORBIDDEN,
    STREAMS,
    calls,
    fixture_items,
    path_of,
    query_of,
    run_sync,
    token_requests,
)
from tests.tap_runner import records, run

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
