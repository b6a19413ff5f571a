"""Requests to the simulator, and the dataset its own tests run on."""

from __future__ import annotations

import time
from datetime import date

import requests

from pinterest_simulator import Dataset

TODAY = date(2026, 11, 28)
CLIENT = ("fake-client-id", "fake-client-secret")
REPORT_COLUMNS = [
    "AD_ACCOUNT_ID",
    "CAMPAIGN_ID",
    "AD_GROUP_ID",
    "AD_ID",
    "PIN_PROMOTION_ID",
    "PIN_ID",
    "SPEND_IN_MICRO_DOLLAR",
    "IMPRESSION_1",
    "IMPRESSION_2",
    "TOTAL_IMPRESSION",
    "CLICKTHROUGH_1",
    "CLICKTHROUGH_2",
    "TOTAL_CLICKTHROUGH",
    "OUTBOUND_CLICK_1",
    "OUTBOUND_CLICK_2",
    "ENGAGEMENT_1",
    "ENGAGEMENT_2",
    "TOTAL_ENGAGEMENT",
    "REPIN_1",
    "REPIN_2",
    "VIDEO_3SEC_VIEWS_1",
    "VIDEO_P0_COMBINED_1",
    "VIDEO_P25_COMBINED_1",
    "VIDEO_P50_COMBINED_1",
    "VIDEO_P75_COMBINED_1",
    "VIDEO_P95_COMBINED_1",
    "VIDEO_P100_COMPLETE_1",
    "TOTAL_CONVERSIONS",
    "TOTAL_CONVERSIONS_VALUE_IN_MICRO_DOLLAR",
    "TOTAL_CHECKOUT",
    "TOTAL_CHECKOUT_VALUE_IN_MICRO_DOLLAR",
    "TOTAL_CLICK_CHECKOUT",
    "TOTAL_CLICK_CHECKOUT_VALUE_IN_MICRO_DOLLAR",
    "TOTAL_VIEW_CHECKOUT",
    "TOTAL_VIEW_CHECKOUT_VALUE_IN_MICRO_DOLLAR",
    "TOTAL_ENGAGEMENT_CHECKOUT",
    "TOTAL_ENGAGEMENT_CHECKOUT_VALUE_IN_MICRO_DOLLAR",
    "CTR",
    "TOTAL_WEB_SESSIONS",
]


def small_dataset(**kw) -> Dataset:
    params = {
        "accounts": 3,
        "campaigns_per_account": 2,
        "ad_groups_per_campaign": 2,
        "ads_per_ad_group": 3,
        "days": 400,
        "seed": 1,
        "today": TODAY,
        **kw,
    }
    return Dataset(**params)


def refresh(sim, token, client=CLIENT):
    return requests.post(
        sim.token_url,
        auth=client,
        timeout=5,
        data={"grant_type": "refresh_token", "refresh_token": token},
    )


def create_report(sim, auth, account_id, **overrides):
    body = {
        "start_date": "2026-10-01",
        "end_date": "2026-10-31",
        "granularity": "DAY",
        "level": "PIN_PROMOTION",
        "columns": REPORT_COLUMNS,
        **overrides,
    }
    return requests.post(
        f"{sim.base_url}/ad_accounts/{account_id}/reports", json=body, headers=auth, timeout=5
    )


def poll(sim, auth, account_id, token):
    return requests.get(
        f"{sim.base_url}/ad_accounts/{account_id}/reports",
        headers=auth,
        params={"token": token},
        timeout=5,
    ).json()


def finished_report(sim, auth, account_id, **overrides) -> dict:
    token = create_report(sim, auth, account_id, **overrides).json()["token"]
    for _ in range(200):
        status = poll(sim, auth, account_id, token)
        if status["report_status"] != "IN_PROGRESS":
            return {**status, "token": token}
        time.sleep(0.02)
    raise AssertionError("report never finished")
