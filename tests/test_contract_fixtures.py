"""The JSON fixtures of tests/fixtures/ (served by tests/mock_api.py) match the spec, use only
documented fields, and hold the cases the unit tests rely on."""

from __future__ import annotations

from typing import Any

import pytest

from tests.contract_fixtures import ACCOUNT_ID, BASE, FIXTURES, load_fixture
from tests.openapi_contract import validate_response
from tests.openapi_schemas import validate_component
from tests.openapi_spec import resolved_component

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


def fixture_objects(name: str) -> list[dict[str, Any]]:
    body = load_fixture(name)
    return body.get("items", [body])


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
