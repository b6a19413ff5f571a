"""The contract helper rejects the requests the spec rejects (query, path, security, bodies) and
accepts what the tap should send, one by one or as a requests-mock history."""

from __future__ import annotations

from typing import Any

import pytest
import requests

from tests.contract_fixtures import ACCOUNT_ID, BASE, BEARER, load_fixture
from tests.openapi_contract import validate_exchange, validate_history, validate_request
from tests.openapi_spec import ContractError

BASIC = {
    "Authorization": "Basic ZmFrZS1jbGllbnQtaWQ6ZmFrZS1jbGllbnQtc2VjcmV0",
    "Content-Type": "application/x-www-form-urlencoded",
}


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
