"""The simulator's GET /ad_accounts/{id}/campaigns/targeting_analytics: the spec's answer and
limits, and CREATIVE_TYPE rows that add up to the campaign's report rows."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

import pytest
import requests

from pinterest_simulator import json_row
from tests.openapi_contract import load_spec, validate_request, validate_response
from tests.simulator.calls import TODAY, small_dataset
from tests.simulator_factory import running_simulator

COLUMNS = ["CAMPAIGN_ID", "SPEND_IN_MICRO_DOLLAR", "IMPRESSION_1", "TOTAL_CONVERSIONS"]
START = TODAY - dt.timedelta(days=6)
TEMPLATE = "/ad_accounts/{ad_account_id}/campaigns/targeting_analytics"


@pytest.fixture(scope="module")
def sim():
    with running_simulator(small_dataset(days=120)) as simulator:
        yield simulator


@pytest.fixture(scope="module")
def auth(sim):
    return {"Authorization": f"Bearer {sim.issue_access_token()}"}


@pytest.fixture(scope="module")
def account(sim) -> str:
    return sim.dataset.account_ids[0]


def get(sim, auth, account_id, *, valid: bool = True, **overrides) -> requests.Response:
    """GET the endpoint with the defaults, changed by `overrides` (None drops a parameter);
    a `valid` request is checked against the spec first."""
    params = {
        "campaign_ids": [c["id"] for c in sim.dataset.campaigns(account_id, None)],
        "start_date": START.isoformat(),
        "end_date": TODAY.isoformat(),
        "targeting_types": "CREATIVE_TYPE",
        "columns": ",".join(COLUMNS),
        "granularity": "DAY",
        **overrides,
    }
    params = {k: v for k, v in params.items() if v is not None}
    url = f"{sim.base_url}/ad_accounts/{account_id}/campaigns/targeting_analytics"
    response = requests.get(url, params=params, headers=auth, timeout=10)
    if valid:
        validate_request("GET", response.request.url, auth)
    return response


def test_the_answer_is_a_metrics_response_of_daily_campaign_rows(sim, auth, account) -> None:
    response = get(sim, auth, account)
    assert response.status_code == 200
    body = response.json()
    assert validate_response("GET", TEMPLATE, 200, body) == TEMPLATE
    items = body["data"]
    assert {item["targeting_type"] for item in items} == {"CREATIVE_TYPE"}
    assert {item["targeting_value"] for item in items} == {"REGULAR", "VIDEO", "CAROUSEL"}
    days = {item["metrics"]["DATE"] for item in items}
    assert days == {(START + dt.timedelta(days=d)).isoformat() for d in range(7)}
    spec_enum = load_spec()["components"]["schemas"]["AdsAnalyticsCampaignTargetingType"]["enum"]
    assert "CREATIVE_TYPE" in spec_enum


def test_creative_types_add_up_to_the_campaign_report_rows(sim, auth, account) -> None:
    items = get(sim, auth, account).json()["data"]
    summed: dict[tuple, dict] = defaultdict(lambda: defaultdict(int))
    for item in items:
        metrics = item["metrics"]
        total = summed[(metrics["CAMPAIGN_ID"], metrics["DATE"])]
        for column in COLUMNS[1:]:
            total[column] += metrics.get(column, 0)
    rows = sim.dataset.delivery_rows(account, START, TODAY, COLUMNS, level="CAMPAIGN")
    campaign = {
        (row["CAMPAIGN_ID"], row["DATE"]): {c: row[c] for c in COLUMNS[1:] if row[c]}
        for row in rows
    }
    assert {key: {c: v for c, v in total.items() if v} for key, total in summed.items()} == (
        campaign
    )


def test_a_creative_types_row_is_the_sum_of_the_campaigns_ads_of_that_type(
    sim, auth, account
) -> None:
    ads = {ad["id"]: ad for ad in sim.dataset.ads(account, None)}
    columns = ["PIN_PROMOTION_ID", *COLUMNS]
    want: dict[tuple, dict] = defaultdict(lambda: defaultdict(int))
    for row in sim.dataset.delivery_rows(account, TODAY, TODAY, columns):
        ad = ads[row["PIN_PROMOTION_ID"]]
        for column in COLUMNS[1:]:
            want[(ad["campaign_id"], ad["creative_type"])][column] += row[column]
    items = get(sim, auth, account, start_date=TODAY.isoformat()).json()["data"]
    got = {
        (item["metrics"]["CAMPAIGN_ID"], item["targeting_value"]): item["metrics"] for item in items
    }
    assert got == {
        key: json_row({"DATE": TODAY.isoformat(), "CAMPAIGN_ID": key[0], **values})
        for key, values in want.items()
    }


def test_other_targeting_types_are_the_campaign_targeting_breakdowns(sim, auth, account) -> None:
    items = get(sim, auth, account, targeting_types="GENDER,CREATIVE_TYPE").json()["data"]
    gender = [i for i in items if i["targeting_type"] == "GENDER"]
    rows = sim.dataset.delivery_rows(
        account, START, TODAY, COLUMNS, level="CAMPAIGN_TARGETING", targeting_types=["GENDER"]
    )
    assert [(i["targeting_value"], i["metrics"]) for i in gender] == [
        (row["TARGETING_VALUE"], json_row({k: v for k, v in row.items()
                                          if not k.startswith("TARGETING_")}))
        for row in rows
    ]  # fmt: skip
    assert len(gender) > 0


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"start_date": (TODAY - dt.timedelta(days=91)).isoformat()}, "last 90 days"),
        (
            {"start_date": (TODAY - dt.timedelta(days=90)).isoformat(), "end_date": "2026-12-30"},
            "more than 90 days past start_date",
        ),
        ({"end_date": (START - dt.timedelta(days=1)).isoformat()}, "on or after start_date"),
        ({"campaign_ids": [str(i) for i in range(1, 252)]}, "1 to 250 campaign ids"),
        ({"campaign_ids": None}, "Missing required parameter: campaign_ids"),
        ({"targeting_types": "AUDIENCE_MULTIPLIER"}, "Invalid targeting_types"),
        ({"columns": "VIDEO_P25_COMBINED_1"}, "Invalid columns: VIDEO_P25_COMBINED_1"),
        ({"granularity": "YEAR"}, "Invalid granularity"),
        ({"click_window_days": "3"}, "Invalid click_window_days"),
    ],
)
def test_requests_outside_the_specs_limits_are_refused(
    sim, auth, account, overrides, message
) -> None:
    response = get(sim, auth, account, valid=False, **overrides)
    assert response.status_code == 400
    assert message in response.json()["message"]


def test_another_accounts_campaigns_have_no_rows_here(sim, auth, account) -> None:
    other = sim.dataset.account_ids[1]
    foreign = [c["id"] for c in sim.dataset.campaigns(other, None)]
    assert get(sim, auth, account, campaign_ids=foreign).json() == {"data": []}


def test_the_oldest_day_allowed_is_90_days_back(sim, auth, account) -> None:
    first = TODAY - dt.timedelta(days=90)
    response = get(sim, auth, account, start_date=first.isoformat(), end_date=first.isoformat())
    assert response.status_code == 200
    assert {i["metrics"]["DATE"] for i in response.json()["data"]} == {first.isoformat()}
