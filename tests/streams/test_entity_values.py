"""The entity streams' values against the mocked API: ids, the account each row names, epoch
seconds as ISO date-times, money as exact amounts, the documented fields.

Numbers are parsed as ``Decimal``, so amounts are compared exactly.
"""

from __future__ import annotations

from decimal import Decimal

from tests.mock_api import ACCOUNT_WITH_ENTITIES, API, fixture
from tests.streams.entity_runs import (
    CAMPAIGNS_PAGE2_URL,
    STREAMS,
    by_id,
    fixture_items,
    iso,
    micro,
    run_sync,
)
from tests.tap_runner import records

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
