"""A mocked Pinterest API (requests-mock) serving the spec-validated fixtures."""

from __future__ import annotations

import json
from pathlib import Path

import requests_mock

API = "https://api.pinterest.com/v5"
FIXTURES = Path(__file__).parent / "fixtures"
ACCOUNT_WITH_ENTITIES = "549000000101"
ACCOUNTS = ("549000000101", "549000000102", "549000000103")
EMPTY_PAGE = {"items": [], "bookmark": None}

CONFIG = {
    "client_id": "fake-client-id",
    "client_secret": "fake-client-secret",
    "refresh_token": "fake-refresh-token-1",
    "start_date": "2024-01-01",
}


def fixture(name: str) -> dict:
    return json.loads((FIXTURES / name).read_text(encoding="utf-8"))


def register(mocker: requests_mock.Mocker) -> None:
    """Token endpoint, ad accounts (two pages) and each account's entity lists."""
    mocker.post(f"{API}/oauth/token", json=fixture("token_refresh.json"))
    page1 = fixture("ad_accounts_page1.json")
    mocker.get(f"{API}/ad_accounts", json=page1)
    mocker.get(
        f"{API}/ad_accounts?bookmark={page1['bookmark']}", json=fixture("ad_accounts_page2.json")
    )
    mocker.get(
        f"{API}/ad_accounts/{ACCOUNT_WITH_ENTITIES}",
        json=fixture(f"ad_account_{ACCOUNT_WITH_ENTITIES}.json"),
    )
    campaigns1 = fixture("campaigns_page1.json")
    for account in ACCOUNTS:
        base = f"{API}/ad_accounts/{account}"
        has_entities = account == ACCOUNT_WITH_ENTITIES
        mocker.get(f"{base}/campaigns", json=campaigns1 if has_entities else EMPTY_PAGE)
        mocker.get(
            f"{base}/ad_groups", json=fixture("ad_groups.json") if has_entities else EMPTY_PAGE
        )
        mocker.get(f"{base}/ads", json=fixture("ads.json") if has_entities else EMPTY_PAGE)
    mocker.get(
        f"{API}/ad_accounts/{ACCOUNT_WITH_ENTITIES}/campaigns?bookmark={campaigns1['bookmark']}",
        json=fixture("campaigns_page2.json"),
    )
