"""The contract helper rejects the response bodies, paths and methods the spec rejects."""

from __future__ import annotations

import pytest

from tests.contract_fixtures import ACCOUNT_ID, BASE, BEARER, load_fixture
from tests.openapi_contract import validate_request, validate_response
from tests.openapi_spec import ContractError


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
