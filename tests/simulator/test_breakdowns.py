"""The simulator's targeting breakdowns, HOUR granularity and lookup endpoints."""

from __future__ import annotations

import datetime as dt
import time

import pytest
import requests

from pinterest_simulator import Dataset, json_row
from pinterest_simulator.breakdowns import TARGETING_VALUES
from tests.openapi_contract import validate_request, validate_response
from tests.simulator_factory import running_simulator

TODAY = dt.date(2026, 11, 28)
COLUMNS = ["CAMPAIGN_ID", "SPEND_IN_MICRO_DOLLAR", "IMPRESSION_1", "TOTAL_CONVERSIONS"]


@pytest.fixture(scope="module")
def sim():
    dataset = Dataset(accounts=1, campaigns_per_account=2, ad_groups_per_campaign=1,
                      ads_per_ad_group=2, days=30, seed=2, today=TODAY)  # fmt: skip
    with running_simulator(dataset) as simulator:
        yield simulator


@pytest.fixture(scope="module")
def auth(sim):
    return {"Authorization": f"Bearer {sim.issue_access_token()}"}


def create(sim, auth, **overrides) -> requests.Response:
    """POST a report request: the defaults, changed by `overrides` (None drops a field)."""
    body = {
        "start_date": (TODAY - dt.timedelta(days=1)).isoformat(),
        "end_date": TODAY.isoformat(),
        "granularity": "DAY",
        "level": "CAMPAIGN_TARGETING",
        "targeting_types": ["GENDER", "LOCATION"],
        "columns": COLUMNS,
    }
    body = {k: v for k, v in {**body, **overrides}.items() if v is not None}
    url = f"{sim.base_url}/ad_accounts/{sim.dataset.account_ids[0]}/reports"
    return requests.post(url, json=body, headers=auth, timeout=5)


def download(sim, auth, **overrides) -> dict:
    response = create(sim, auth, **overrides)
    validate_request(response.request)
    token = response.json()["token"]
    account = sim.dataset.account_ids[0]
    for _ in range(200):
        status = requests.get(f"{sim.base_url}/ad_accounts/{account}/reports", headers=auth,
                              params={"token": token}, timeout=5).json()  # fmt: skip
        if status["report_status"] == "FINISHED":
            return requests.get(status["url"], timeout=5).json()
        time.sleep(0.02)
    raise AssertionError("report never finished")


def test_a_targeting_report_has_one_row_per_entity_day_and_value(sim, auth) -> None:
    report = download(sim, auth)

    account = sim.dataset.account_ids[0]
    rows = sim.dataset.delivery_rows(
        account, TODAY - dt.timedelta(days=1), TODAY, COLUMNS,
        level="CAMPAIGN_TARGETING", targeting_types=["GENDER", "LOCATION"],
    )  # fmt: skip
    assert [row for rows_ in report.values() for row in rows_] == [json_row(r) for r in rows]
    assert set(report) == set(sim.dataset.all_ids("campaign", account))
    values = {(r["TARGETING_TYPE"], r["TARGETING_VALUE"]) for r in rows}
    assert values == {("GENDER", v) for v in TARGETING_VALUES["GENDER"]} | {
        ("LOCATION", v) for v in (500, 501, 803)
    }
    keys = {(r["DATE"], r["CAMPAIGN_ID"], r["TARGETING_TYPE"], r["TARGETING_VALUE"]) for r in rows}
    assert len(keys) == len(rows)


def test_an_hourly_report_has_a_row_per_hour(sim, auth) -> None:
    report = download(sim, auth, level="PIN_PROMOTION", targeting_types=None,
                      granularity="HOUR", columns=["PIN_PROMOTION_ID", "IMPRESSION_1"])  # fmt: skip
    hours = sorted({r["DATE"] for rows in report.values() for r in rows})
    assert hours[0] == f"{TODAY - dt.timedelta(days=1)} 00:00:00"
    assert hours[-1] == f"{TODAY} 23:00:00"
    assert len(hours) == 48


@pytest.mark.parametrize(
    ("override", "message"),
    [
        ({"targeting_types": None}, "targeting_types must list 1 to 5"),
        ({"targeting_types": ["GENDER"] * 2}, "lists a type twice"),
        ({"targeting_types": ["AGE_BUCKET", "GENDER", "COUNTRY", "REGION", "APPTYPE", "GEO"]},
         "1 to 5"),
        ({"targeting_types": ["MEDIA_TYPE"]}, "not supported by the simulator"),
        ({"level": "CAMPAIGN"}, "requires a level ending in _TARGETING"),
        ({"granularity": "HOUR", "start_date": "2026-11-24"}, "exceeds 3 days"),
        ({"granularity": "HOUR", "start_date": "2026-11-19", "end_date": "2026-11-20"},
         "more than 8 days"),
    ],
)  # fmt: skip
def test_bad_breakdown_requests_are_refused(sim, auth, override, message) -> None:
    response = create(sim, auth, **override)
    assert response.status_code == 400
    assert message in response.json()["message"]
    validate_response("POST", "/ad_accounts/{ad_account_id}/reports", 400, response.json())


@pytest.mark.parametrize(
    "path",
    ["/pins/1", "/resources/targeting/NOPE", "/resources/delivery_metrics?report_type=X"],
)
def test_unknown_lookups_are_refused(sim, auth, path) -> None:
    response = requests.get(f"{sim.base_url}{path}", headers=auth, timeout=5)
    assert response.status_code in (400, 404)
    validate_response("GET", path.split("?")[0], response.status_code, response.json())
