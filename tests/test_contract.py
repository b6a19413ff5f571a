"""The fixtures and the contract helper against Pinterest's OpenAPI description."""

from __future__ import annotations

import hashlib
import json
import re
from pathlib import Path
from typing import Any

import pytest
import requests

from tests.openapi_contract import (
    openapi,
    validate_exchange,
    validate_history,
    validate_request,
    validate_response,
)
from tests.openapi_schemas import validate_component
from tests.openapi_spec import (
    LOAD_TIMINGS,
    SPEC_PATH,
    ContractError,
    SpecNotFoundError,
    api_path,
    find_operation,
    load_spec,
    resolved_component,
)

FIXTURES = Path(__file__).parent / "fixtures"
ACCOUNT_ID = "549000000101"
BASE = "http://127.0.0.1:8765/v5"
BEARER = {"Authorization": "Bearer fake-access-token-1"}
BASIC = {
    "Authorization": "Basic ZmFrZS1jbGllbnQtaWQ6ZmFrZS1jbGllbnQtc2VjcmV0",
    "Content-Type": "application/x-www-form-urlencoded",
}

#: fixture file -> (method, path template, component of the items / body)
FIXTURE_ENDPOINTS: dict[str, tuple[str, str, str]] = {
    "ad_accounts_page1.json": ("GET", "/ad_accounts", "AdAccount"),
    "ad_accounts_page2.json": ("GET", "/ad_accounts", "AdAccount"),
    f"ad_account_{ACCOUNT_ID}.json": ("GET", "/ad_accounts/{ad_account_id}", "AdAccount"),
    "campaigns_page1.json": ("GET", "/ad_accounts/{ad_account_id}/campaigns", "CampaignResponse"),
    "campaigns_page2.json": ("GET", "/ad_accounts/{ad_account_id}/campaigns", "CampaignResponse"),
    "ad_groups.json": ("GET", "/ad_accounts/{ad_account_id}/ad_groups", "AdGroupResponse"),
    "ads.json": ("GET", "/ad_accounts/{ad_account_id}/ads", "AdResponse"),
    "token_refresh.json": ("POST", "/oauth/token", "OauthAccessTokenResponseRefresh"),
}


def load_fixture(name: str) -> Any:
    return json.loads((FIXTURES / name).read_text(encoding="utf-8"))


def fixture_objects(name: str) -> list[dict[str, Any]]:
    body = load_fixture(name)
    return body.get("items", [body])


# --------------------------------------------------------------------------------------
# Spec loading
# --------------------------------------------------------------------------------------


def test_spec_loads_once_and_is_the_official_v5() -> None:
    spec = load_spec()
    assert spec["openapi"].startswith("3.0")
    assert spec["servers"][0]["url"] == "https://api.pinterest.com/v5"
    assert load_spec() is spec  # cached
    assert openapi() is openapi()
    assert {"yaml", "openapi"} <= LOAD_TIMINGS.keys()


def test_missing_spec_fails_with_a_clear_message(tmp_path: Path) -> None:
    # The unwrapped loader: the cached copy used by the other tests stays untouched.
    with pytest.raises(SpecNotFoundError, match="vendor/pinterest-api-v5"):
        load_spec.__wrapped__(tmp_path / "nope" / "openapi.yaml")
    assert issubclass(SpecNotFoundError, AssertionError)  # a failure, never a skip


def test_vendored_spec_is_byte_for_byte_the_upstream_file_named_in_source_md() -> None:
    repo = Path(__file__).resolve().parents[1]
    assert repo / "vendor" / "pinterest-api-v5" / "openapi.yaml" == SPEC_PATH
    assert "Copyright © 2021 Pinterest, Inc." in (SPEC_PATH.parent / "LICENSE").read_text("utf-8")
    source = (SPEC_PATH.parent / "SOURCE.md").read_text(encoding="utf-8")
    blob = re.search(r"git blob `([0-9a-f]{40})`, ([\d,]+) bytes", source)
    assert blob, "SOURCE.md names the upstream git blob and size"
    data = SPEC_PATH.read_bytes()
    # git's blob id: sha1 over "blob <size>\0" + content, as `git hash-object` computes it.
    git_blob_id = hashlib.sha1(b"blob %d\0" % len(data) + data, usedforsecurity=False)
    assert (git_blob_id.hexdigest(), f"{len(data):,}") == blob.groups()
    assert "c05b18971472342ebdf4bafc15fea8a91c78bf79" in source
    assert load_spec()["info"]["version"] == "5.23.0"


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("https://api.pinterest.com/v5/ad_accounts", "/ad_accounts"),
        (
            "https://api-sandbox.pinterest.com/v5/ad_accounts/1/ads?page_size=2",
            "/ad_accounts/1/ads",
        ),
        ("http://127.0.0.1:8765/v5/oauth/token", "/oauth/token"),
        ("http://localhost:1/prefix/v5/ad_accounts/", "/ad_accounts"),
        ("/ad_accounts/{ad_account_id}/campaigns", "/ad_accounts/{ad_account_id}/campaigns"),
    ],
)
def test_api_path_strips_any_base_url(url: str, expected: str) -> None:
    assert api_path(url) == expected


def test_find_operation_prefers_literal_paths() -> None:
    template, operation = find_operation("GET", f"{BASE}/ad_accounts/{ACCOUNT_ID}/ads")
    assert template == "/ad_accounts/{ad_account_id}/ads"
    assert operation["operationId"] == "ads/list"
    template, _ = find_operation("GET", f"{BASE}/ad_accounts/{ACCOUNT_ID}/ads/analytics")
    assert template == "/ad_accounts/{ad_account_id}/ads/analytics"


# --------------------------------------------------------------------------------------
# Fixtures
# --------------------------------------------------------------------------------------


def test_every_fixture_file_has_an_endpoint() -> None:
    # `*_report.json` files are report downloads from storage: the spec does not describe them.
    api_fixtures = {p.name for p in FIXTURES.glob("*.json") if not p.name.endswith("_report.json")}
    assert api_fixtures == set(FIXTURE_ENDPOINTS)


@pytest.mark.parametrize("name", sorted(FIXTURE_ENDPOINTS))
def test_fixture_matches_the_spec(name: str) -> None:
    method, template, _ = FIXTURE_ENDPOINTS[name]
    assert validate_response(method, template, 200, load_fixture(name)) == template
    # Same thing through a concrete URL with a local base.
    concrete = template.replace("{ad_account_id}", ACCOUNT_ID)
    assert validate_response(method, BASE + concrete, 200, load_fixture(name)) == template


@pytest.mark.parametrize("name", sorted(FIXTURE_ENDPOINTS))
def test_fixture_objects_only_use_documented_fields(name: str) -> None:
    """The spec allows extra keys; the fixtures must not invent any (also nested)."""
    _, _, component = FIXTURE_ENDPOINTS[name]
    schema = resolved_component(component)
    for obj in fixture_objects(name):
        validate_component(component, obj)
        assert_no_undocumented_keys(obj, schema, name)


def assert_no_undocumented_keys(value: Any, schema: dict[str, Any], where: str) -> None:
    if isinstance(schema.get("additionalProperties"), dict):
        return  # a map (e.g. bid_options.app_type_multipliers: {"iphone": 1.2})
    if isinstance(value, dict) and "properties" in schema:
        unknown = set(value) - set(schema["properties"])
        assert not unknown, f"{where}: keys not in the spec: {sorted(unknown)}"
        for key, item in value.items():
            assert_no_undocumented_keys(item, schema["properties"][key], f"{where}.{key}")
    elif isinstance(value, list) and isinstance(schema.get("items"), dict):
        for index, item in enumerate(value):
            assert_no_undocumented_keys(item, schema["items"], f"{where}[{index}]")


def test_ad_account_fixtures_page_by_bookmark() -> None:
    page1, page2 = load_fixture("ad_accounts_page1.json"), load_fixture("ad_accounts_page2.json")
    assert page1["bookmark"]
    assert page2["bookmark"] is None
    accounts = page1["items"] + page2["items"]
    assert len({a["id"] for a in accounts}) == 3
    assert {"USD", "GBP", "EUR"} <= {a["currency"] for a in accounts}
    single = load_fixture(f"ad_account_{ACCOUNT_ID}.json")
    assert single == next(a for a in accounts if a["id"] == ACCOUNT_ID)


def test_campaign_fixtures_cover_statuses_and_micro_caps() -> None:
    page1, page2 = load_fixture("campaigns_page1.json"), load_fixture("campaigns_page2.json")
    assert page1["bookmark"]
    assert page2["bookmark"] is None
    campaigns = page1["items"] + page2["items"]
    assert {c["status"] for c in campaigns} == {
        "ACTIVE",
        "PAUSED",
        "ARCHIVED",
        "DRAFT",
        "DELETED_DRAFT",
    }
    caps = [c[f] for c in campaigns for f in ("daily_spend_cap", "lifetime_spend_cap")]
    assert {25_000_000, 1_234_567} <= set(caps)
    assert None in caps
    assert {c["ad_account_id"] for c in campaigns} == {ACCOUNT_ID}


def test_token_fixture_is_fake() -> None:
    token = load_fixture("token_refresh.json")
    assert token["access_token"] == "fake-access-token-1"
    assert token["refresh_token"] == "fake-refresh-token-2"
    assert token["expires_in"] == 2_592_000
    assert isinstance(token["refresh_token_expires_at"], int)


# --------------------------------------------------------------------------------------
# The helper rejects what the spec rejects
# --------------------------------------------------------------------------------------


def test_campaign_id_as_number_is_rejected() -> None:
    body = load_fixture("campaigns_page1.json")
    body["items"][0]["id"] = 626000000201
    with pytest.raises(ContractError, match=r"is not of type 'string'.*items/0/id"):
        validate_response("GET", "/ad_accounts/{ad_account_id}/campaigns", 200, body)


def test_unknown_status_in_a_response_is_rejected() -> None:
    body = load_fixture("ad_groups.json")
    body["items"][1]["status"] = "RUNNING_WILD"
    with pytest.raises(ContractError, match="RUNNING_WILD"):
        validate_response("GET", f"{BASE}/ad_accounts/{ACCOUNT_ID}/ad_groups", 200, body)


def test_page_without_items_is_rejected() -> None:
    with pytest.raises(ContractError, match="'items' is a required property"):
        validate_response("GET", "/ad_accounts", 200, {"bookmark": None})


def test_token_response_without_new_refresh_token_is_rejected() -> None:
    body = load_fixture("token_refresh.json")
    del body["refresh_token"]
    with pytest.raises(ContractError, match="OauthAccessTokenResponseRefresh"):
        validate_response("POST", "/oauth/token", 200, body)


def test_error_bodies_use_the_documented_error_schema() -> None:
    validate_response("GET", "/ad_accounts", 429, {"code": 8, "message": "Fake rate limit"})
    validate_response(
        "GET", "/ad_accounts/{ad_account_id}/ads", 400, {"code": 400, "message": "Invalid."}
    )
    with pytest.raises(ContractError):
        validate_response("GET", "/ad_accounts", 401, {"code": "unauthorized"})


def test_unknown_path_or_method_is_rejected() -> None:
    with pytest.raises(ContractError, match="No path in the spec"):
        validate_response("GET", f"{BASE}/ad_accounts/{ACCOUNT_ID}/nope", 200, {})
    with pytest.raises(ContractError, match="DELETE is not an operation"):
        validate_request("DELETE", f"{BASE}/ad_accounts/{ACCOUNT_ID}/campaigns", BEARER)


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("entity_statuses=BOGUS", "'BOGUS' is not one of"),
        ("page_size=500", "500 is greater than the maximum of 250"),
        ("page_size=0", "less than the minimum of 1"),
        ("order=SIDEWAYS", "'SIDEWAYS' is not one of"),
        # No style/explode in the spec -> form + explode: repeat the key, do not comma-join.
        ("entity_statuses=ACTIVE,PAUSED", "'ACTIVE,PAUSED' is not one of"),
    ],
)
def test_bad_list_query_is_rejected(query: str, message: str) -> None:
    url = f"{BASE}/ad_accounts/{ACCOUNT_ID}/campaigns?{query}"
    with pytest.raises(ContractError, match=message):
        validate_request("GET", url, BEARER)


def test_bad_path_parameter_is_rejected() -> None:
    with pytest.raises(ContractError, match="ad_account_id"):
        validate_request("GET", f"{BASE}/ad_accounts/not-a-number/campaigns", BEARER)


def test_missing_bearer_token_is_rejected() -> None:
    with pytest.raises(ContractError, match="Security"):
        validate_request("GET", f"{BASE}/ad_accounts", {})
    with pytest.raises(ContractError, match="Security"):
        validate_request("GET", f"{BASE}/ad_accounts", {"Authorization": "Bearer "})


def test_token_request_needs_basic_auth_and_a_refresh_token() -> None:
    url = f"{BASE}/oauth/token"
    with pytest.raises(ContractError, match="Security"):
        validate_request(
            "POST", url, {**BASIC, **BEARER}, "grant_type=refresh_token&refresh_token=x"
        )
    with pytest.raises(ContractError, match="'refresh_token' is a required property"):
        validate_request("POST", url, BASIC, "grant_type=refresh_token")
    with pytest.raises(ContractError, match="'password' is not one of"):
        validate_request("POST", url, BASIC, "grant_type=password&username=u")


def report_request() -> dict[str, Any]:
    return {
        "start_date": "2024-01-01",
        "end_date": "2024-01-31",
        "granularity": "DAY",
        "level": "PIN_PROMOTION",
        "columns": ["SPEND_IN_MICRO_DOLLAR", "IMPRESSION_1", "CLICKTHROUGH_1"],
        "report_format": "JSON",
        "click_window_days": 30,
        "engagement_window_days": 30,
        "view_window_days": 1,
        "conversion_report_time": "TIME_OF_AD_ACTION",
    }


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"granularity": "YEAR"}, "'YEAR' is not one of"),
        ({"columns": ["NOT_A_COLUMN"]}, "'NOT_A_COLUMN' is not one of"),
        ({"start_date": "01/01/2024"}, "does not match"),
        ({"click_window_days": 3}, "3 is not one of"),
        ({"level": None}, "None for not nullable"),
    ],
)
def test_bad_report_request_body_is_rejected(change: dict[str, Any], message: str) -> None:
    url = f"{BASE}/ad_accounts/{ACCOUNT_ID}/reports"
    with pytest.raises(ContractError, match=message):
        validate_request("POST", url, BEARER, {**report_request(), **change})


def test_missing_required_report_field_is_rejected() -> None:
    body = report_request()
    del body["columns"]
    with pytest.raises(ContractError, match="'columns' is a required property"):
        validate_request("POST", f"{BASE}/ad_accounts/{ACCOUNT_ID}/reports", BEARER, body)


# --------------------------------------------------------------------------------------
# The helper accepts what the tap should send
# --------------------------------------------------------------------------------------


def test_good_requests_are_accepted() -> None:
    statuses = "&".join(
        f"entity_statuses={s}" for s in ("ACTIVE", "PAUSED", "ARCHIVED", "DRAFT", "DELETED_DRAFT")
    )
    query = f"page_size=250&bookmark=abc&order=ASCENDING&{statuses}"
    url = f"{BASE}/ad_accounts/{ACCOUNT_ID}/campaigns?{query}"
    assert validate_request("GET", url, BEARER) == "/ad_accounts/{ad_account_id}/campaigns"
    assert validate_request("GET", f"{BASE}/ad_accounts?page_size=250", BEARER) == "/ad_accounts"
    reports = f"{BASE}/ad_accounts/{ACCOUNT_ID}/reports"
    assert validate_request("POST", reports, BEARER, report_request()) == (
        "/ad_accounts/{ad_account_id}/reports"
    )
    assert validate_request(
        "POST",
        "https://api.pinterest.com/v5/oauth/token",
        BASIC,
        b"grant_type=refresh_token&refresh_token=fake-refresh-token-1&scope=ads%3Aread",
    ) == ("/oauth/token")


def test_requests_mock_history_is_validated(requests_mock: Any) -> None:
    """How tests using the ``requests_mock`` fixture call the helper."""
    page1, page2 = load_fixture("ad_accounts_page1.json"), load_fixture("ad_accounts_page2.json")
    requests_mock.get(f"{BASE}/ad_accounts", [{"json": page1}, {"json": page2}])
    requests_mock.post(f"{BASE}/oauth/token", json=load_fixture("token_refresh.json"))

    with requests.Session() as session:
        token = session.post(
            f"{BASE}/oauth/token",
            data={"grant_type": "refresh_token", "refresh_token": "fake-refresh-token-1"},
            auth=("fake-client-id", "fake-client-secret"),
            timeout=5,
        ).json()
        headers = {"Authorization": f"Bearer {token['access_token']}"}
        first = session.get(
            f"{BASE}/ad_accounts", params={"page_size": 250}, headers=headers, timeout=5
        )
        params = {"page_size": 250, "bookmark": first.json()["bookmark"]}
        session.get(f"{BASE}/ad_accounts", params=params, headers=headers, timeout=5)

    assert validate_history(requests_mock) == ["/oauth/token", "/ad_accounts", "/ad_accounts"]
    history = requests_mock.request_history
    validate_exchange(history[0], 200, load_fixture("token_refresh.json"))
    validate_exchange(history[1], 200, page1)
    validate_exchange(history[2], 200, page2)


def test_history_skips_non_api_urls(requests_mock: Any) -> None:
    download = "https://fake-bucket.s3.example.com/reports/fake-report.json?sig=fake"
    requests_mock.get(download, json={})
    requests_mock.get(
        f"{BASE}/ad_accounts/{ACCOUNT_ID}", json=load_fixture(f"ad_account_{ACCOUNT_ID}.json")
    )
    requests.get(download, timeout=5)
    requests.get(f"{BASE}/ad_accounts/{ACCOUNT_ID}", headers=BEARER, timeout=5)
    assert validate_history(requests_mock) == ["/ad_accounts/{ad_account_id}"]
    with pytest.raises(ContractError, match="No path in the spec"):
        validate_history(requests_mock, api_only=False)


def test_requests_mock_history_catches_a_bad_request(requests_mock: Any) -> None:
    requests_mock.get(f"{BASE}/ad_accounts/{ACCOUNT_ID}/ads", json={"items": [], "bookmark": None})
    requests.get(
        f"{BASE}/ad_accounts/{ACCOUNT_ID}/ads",
        params={"entity_statuses": ["ACTIVE", "BOGUS"], "page_size": 25},
        headers=BEARER,
        timeout=5,
    )
    with pytest.raises(ContractError, match="'BOGUS' is not one of"):
        validate_history(requests_mock)
