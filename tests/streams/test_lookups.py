"""Keywords, audiences, customer lists, conversion tags, pins, targeting options, delivery
metrics and ad formats against the mocked API (spec-checked fixtures); against the simulator:
test_lookups_simulated.py."""

from __future__ import annotations

import datetime as dt
import logging
from decimal import Decimal
from urllib.parse import parse_qs, urlsplit

import pytest

from tap_pinterest_ads.streams.ad_formats import AD_FORMATS
from tests import mock_api
from tests.mock_api import (
    ACCOUNT_WITH_ENTITIES,
    ACCOUNTS,
    API,
    LOOKUPS,
    TARGETING_OPTION_TYPES,
    lookup,
)
from tests.openapi_contract import validate_history, validate_response
from tests.openapi_schemas import validate_component
from tests.tap_runner import records, sync

STREAMS = (
    "keywords", "audiences", "customer_lists", "conversion_tags", "pins",
    "targeting_options", "delivery_metrics", "ad_formats",
)  # fmt: skip
UTC = dt.timezone.utc


def iso(seconds: int) -> str:
    return dt.datetime.fromtimestamp(seconds, UTC).isoformat()


def page(items: list[dict]) -> dict:
    return {"items": items, "bookmark": None}


def query(entry) -> dict[str, list[str]]:
    return parse_qs(urlsplit(entry.url).query, keep_blank_values=True)


def paths(api) -> list[str]:
    return [urlsplit(e.url).path.removeprefix("/v5") for e in api.request_history]


@pytest.fixture
def synced(api):
    return sync(mock_api.CONFIG, STREAMS)


# The fixtures -----------------------------------------------------------------------------

FIXTURE_ENDPOINTS = {
    "keywords.json": ("/ad_accounts/{ad_account_id}/keywords", "Keyword"),
    "audiences_page1.json": ("/ad_accounts/{ad_account_id}/audiences", "Audience"),
    "audiences_page2.json": ("/ad_accounts/{ad_account_id}/audiences", "Audience"),
    "customer_lists.json": ("/ad_accounts/{ad_account_id}/customer_lists", "CustomerList"),
    "conversion_tags.json": ("/ad_accounts/{ad_account_id}/conversion_tags", "ConversionTag"),
    "pin_813000000000000001.json": ("/pins/{pin_id}", "Pin"),
    "pin_813000000000000002.json": ("/pins/{pin_id}", "Pin"),
    "delivery_metrics.json": ("/resources/delivery_metrics", None),
    **{f"targeting_{t}.json": (f"/resources/targeting/{t}", None) for t in TARGETING_OPTION_TYPES},
}


def test_every_lookup_fixture_is_a_documented_response() -> None:
    assert {p.name for p in LOOKUPS.glob("*.json")} == set(FIXTURE_ENDPOINTS)
    for name, (template, component) in FIXTURE_ENDPOINTS.items():
        body = lookup(name)
        validate_response("GET", template, 200, body)
        for item in body.get("items", [body]) if component else []:  # type: ignore[union-attr]
            validate_component(component, item)


# Requests ---------------------------------------------------------------------------------


def test_every_request_matches_the_official_spec(api, synced) -> None:
    assert set(validate_history(api)) == {
        "/oauth/token",
        "/ad_accounts",
        "/ad_accounts/{ad_account_id}/ad_groups",
        "/ad_accounts/{ad_account_id}/ads",
        "/ad_accounts/{ad_account_id}/keywords",
        "/ad_accounts/{ad_account_id}/audiences",
        "/ad_accounts/{ad_account_id}/customer_lists",
        "/ad_accounts/{ad_account_id}/conversion_tags",
        "/pins/{pin_id}",
        "/resources/targeting/{targeting_type}",
        "/resources/delivery_metrics",
    }


def test_keywords_are_read_per_ad_group_of_the_account(api, synced) -> None:
    calls = [e for e in api.request_history if e.path.endswith("/keywords")]
    assert [query(e)["ad_group_id"] for e in calls] == [
        ["2680000000301"], ["2680000000302"], ["2680000000303"],
    ]  # fmt: skip
    assert all(query(e)["page_size"] == ["250"] for e in calls)
    rows = records(synced, "keywords")
    assert [(r["id"], r["parent_id"], r["ad_account_id"]) for r in rows] == [
        ("383791336903426301", "2680000000301", ACCOUNT_WITH_ENTITIES),
        ("383791336903426302", "2680000000301", ACCOUNT_WITH_ENTITIES),
        ("383791336903426303", "2680000000302", ACCOUNT_WITH_ENTITIES),
    ]
    assert [r["bid_amount"] for r in rows] == [None, Decimal("1.5"), None]


def test_audiences_follow_the_bookmark_and_get_iso_timestamps(api, synced) -> None:
    calls = [
        e for e in api.request_history if e.path.endswith(f"{ACCOUNT_WITH_ENTITIES}/audiences")
    ]
    assert [query(e).get("bookmark") for e in calls] == [None, ["ZmFrZS1hdWRpZW5jZXMtcGFnZS0y"]]
    assert all("entity_statuses" not in query(e) for e in calls)
    first, second = records(synced, "audiences")
    source = lookup("audiences_page1.json")["items"][0]  # type: ignore[index]
    assert first == {
        **source,
        "created_timestamp": "2024-01-02T03:04:05+00:00",
        "updated_timestamp": iso(1706842800),
    }
    assert (second["id"], second["created_timestamp"], second["size"]) == (
        "2542620905402", None, None,
    )  # fmt: skip


def test_customer_lists_turn_number_timestamps_into_date_times(synced) -> None:
    rows = {r["id"]: r for r in records(synced, "customer_lists")}
    assert rows["643000000501"]["created_time"] == "2016-01-07T23:17:02+00:00"
    assert rows["643000000501"]["updated_time"] == iso(1461269616)
    assert rows["643000000502"]["exceptions"] == {"code": 2}
    assert rows["643000000501"]["num_uploaded_user_records"] == 1100


def test_conversion_tags_are_one_unpaged_call_with_the_firing_time(api, synced) -> None:
    calls = [e for e in api.request_history if e.path.endswith("/conversion_tags")]
    assert len(calls) == 3
    assert all(query(e) == {} for e in calls)
    rows = {r["id"]: r for r in records(synced, "conversion_tags")}
    assert rows["2617998078201"]["last_fired_time"] == "2020-09-02T07:00:00+00:00"
    assert rows["2617998078201"]["last_fired_time_ms"] == 1599030000123
    assert rows["2617998078202"]["last_fired_time"] is None
    assert rows["2617998078201"]["configs"]["aem_enabled"] is True


def test_pins_are_read_once_each_for_the_ads_that_promote_them(api, synced) -> None:
    pin_calls = [e for e in api.request_history if e.path.startswith("/v5/pins/")]
    # The third ad's pin is flagged deleted: not requested.
    assert [(e.path, query(e)) for e in pin_calls] == [
        (f"/v5/pins/81300000000000000{i}", {"ad_account_id": [ACCOUNT_WITH_ENTITIES]})
        for i in (1, 2)
    ]
    image, carousel = records(synced, "pins")
    assert {k: image[k] for k in ("id", "title", "link", "creative_type", "media_type")} == {
        "id": "813000000000000001",
        "title": "Linen shirt",
        "link": "https://shop.example.com/products/1",
        "creative_type": "REGULAR",
        "media_type": "image",
    }
    assert image["image_url"] == "https://i.pinimg.com/1200x/fa/ke/01.jpg"
    assert image["video_url"] is None
    assert image["ad_account_id"] == ACCOUNT_WITH_ENTITIES
    assert (carousel["media_type"], carousel["image_url"]) == (
        "multiple_images", "https://i.pinimg.com/600x/fa/ke/02a.jpg",
    )  # fmt: skip
    assert len(carousel["media"]["items"]) == 2


def test_a_pin_promoted_by_two_accounts_is_read_once(api) -> None:
    api.get(f"{API}/ad_accounts/{ACCOUNTS[1]}/ads", json=mock_api.fixture("ads.json"))

    messages = sync(mock_api.CONFIG, ("pins",))

    pin_calls = [e for e in api.request_history if e.path.startswith("/v5/pins/")]
    assert len(pin_calls) == 2
    assert [(r["id"], r["ad_account_id"]) for r in records(messages, "pins")] == [
        ("813000000000000001", ACCOUNT_WITH_ENTITIES),
        ("813000000000000002", ACCOUNT_WITH_ENTITIES),
    ]


def test_a_pin_that_is_gone_is_logged_and_skipped(api, caplog) -> None:
    ads = mock_api.fixture("ads.json")
    ads["items"][2]["is_pin_deleted"] = False  # its pin has no fixture: 404
    api.get(f"{API}/ad_accounts/{ACCOUNT_WITH_ENTITIES}/ads", json=ads)
    caplog.set_level(logging.WARNING)

    messages = sync(mock_api.CONFIG, ("pins",))

    assert [r["id"] for r in records(messages, "pins")] == [
        "813000000000000001", "813000000000000002",
    ]  # fmt: skip
    (line,) = [r.getMessage() for r in caplog.records if "813000000000000003" in r.getMessage()]
    assert "HTTP 404 code 50" in line
    assert "Pin not found." in line


def test_targeting_options_are_code_name_rows_per_type(api, synced) -> None:
    rows = records(synced, "targeting_options")
    assert [e.path for e in api.request_history if "/targeting/" in e.path] == [
        f"/v5/resources/targeting/{t.lower()}" for t in TARGETING_OPTION_TYPES
    ]
    expected = [
        {"targeting_type": kind, "id": code, "name": name}
        for kind in TARGETING_OPTION_TYPES
        for item in lookup(f"targeting_{kind}.json")  # type: ignore[union-attr]
        for code, name in item.items()
    ]
    assert rows == expected
    assert {"targeting_type": "GEO", "id": "US-CA", "name": "United States: California"} in rows


def test_delivery_metrics_are_the_async_definitions(api, synced) -> None:
    (call,) = [e for e in api.request_history if e.path.endswith("/delivery_metrics")]
    assert query(call) == {"report_type": ["ASYNC"]}
    rows = records(synced, "delivery_metrics")
    assert rows == lookup("delivery_metrics.json")["items"]  # type: ignore[index]


def test_ad_formats_are_a_static_lookup(api, synced) -> None:
    rows = records(synced, "ad_formats")
    assert len(rows) == len(AD_FORMATS) == 13
    assert rows[5] == {
        "creative_type": "SHOP_THE_PIN",
        "name": "Shop the Pin",
        "description": "A lifestyle image with tagged products; deprecated, use COLLECTION.",
        "is_deprecated": True,
    }


def test_every_stream_has_a_full_table_version_and_its_key(synced) -> None:
    schemas = {m["stream"]: m for m in synced if m["type"] == "SCHEMA"}
    assert {s: m["key_properties"] for s, m in schemas.items()} == {
        "keywords": ["id"],
        "audiences": ["id"],
        "customer_lists": ["id"],
        "conversion_tags": ["id"],
        "pins": ["id"],
        "targeting_options": ["targeting_type", "id"],
        "delivery_metrics": ["name"],
        "ad_formats": ["creative_type"],
    }
    activated = {m["stream"] for m in synced if m["type"] == "ACTIVATE_VERSION"}
    assert activated == set(STREAMS)
