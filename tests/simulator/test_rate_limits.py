"""The simulator's ads_analytics quota (pinterest_simulator/ratelimit.py): calls per window per
user and app, 429 code 8 beyond it, X-RateLimit-* headers on every answer of the category."""

from __future__ import annotations

import datetime as dt
import time

import pytest
import requests

from pinterest_simulator import Dataset, Simulator
from pinterest_simulator.ratelimit import category
from tests.simulator_factory import running_simulator

BODY = {
    "start_date": "2026-11-20",
    "end_date": "2026-11-26",
    "granularity": "DAY",
    "level": "PIN_PROMOTION",
    "columns": ["SPEND_IN_MICRO_DOLLAR"],
}


@pytest.fixture
def sim():
    dataset = Dataset(accounts=2, days=30, today=dt.date(2026, 11, 28))
    with running_simulator(
        dataset, ads_analytics_limit=3, rate_limit_window_seconds=2.0
    ) as simulator:
        yield simulator


def _create(sim: Simulator, account: str, headers: dict) -> requests.Response:
    url = f"{sim.base_url}/ad_accounts/{account}/reports"
    return requests.post(url, json=BODY, headers=headers, timeout=10)


def test_report_calls_beyond_the_window_budget_are_refused_with_429_code_8(sim):
    headers = sim.auth_headers()
    accounts = sim.dataset.account_ids
    answers = [_create(sim, accounts[i % 2], headers) for i in range(4)]
    assert [a.status_code for a in answers] == [200, 200, 200, 429]
    assert [a.headers["X-RateLimit-Remaining"] for a in answers] == ["2", "1", "0", "0"]
    assert {a.headers["X-RateLimit-Limit"] for a in answers} == {"3"}
    assert answers[3].json()["code"] == 8
    reset = float(answers[3].headers["X-RateLimit-Reset"])
    assert 0 < reset <= 2
    assert sim.rate_limits.rejected == 1


def test_polls_share_the_budget_and_a_new_window_restores_it(sim):
    headers = sim.auth_headers()
    account = sim.dataset.account_ids[0]
    token = _create(sim, account, headers).json()["token"]
    poll = f"{sim.base_url}/ad_accounts/{account}/reports"
    statuses = [
        requests.get(poll, params={"token": token}, headers=headers, timeout=10).status_code
        for _ in range(3)
    ]
    assert statuses == [200, 200, 429]
    refused = requests.get(poll, params={"token": token}, headers=headers, timeout=10)
    time.sleep(float(refused.headers["X-RateLimit-Reset"]) + 0.05)
    again = requests.get(poll, params={"token": token}, headers=headers, timeout=10)
    assert again.status_code == 200
    assert again.headers["X-RateLimit-Remaining"] == "2"


def test_entity_listings_are_another_category_and_not_limited_by_default(sim):
    headers = sim.auth_headers()
    for _ in range(5):
        answer = requests.get(f"{sim.base_url}/ad_accounts", headers=headers, timeout=10)
        assert answer.status_code == 200
        assert "X-RateLimit-Remaining" not in answer.headers


def test_a_refused_report_request_still_counts_and_carries_the_headers(sim):
    headers = sim.auth_headers()
    url = f"{sim.base_url}/ad_accounts/{sim.dataset.account_ids[0]}/reports"
    bad = requests.post(url, json={"level": "PIN_PROMOTION"}, headers=headers, timeout=10)
    assert bad.status_code == 400
    assert bad.headers["X-RateLimit-Remaining"] == "2"


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        ("/v5/ad_accounts/1/reports", "ads_analytics"),
        ("/v5/ad_accounts/1/ads/analytics", "ads_analytics"),
        ("/v5/ad_accounts/1/targeting_analytics", "ads_analytics"),
        ("/v5/resources/metrics_ready_state", "ads_analytics"),
        ("/v5/ad_accounts/1/campaigns", "ads_read"),
        ("/v5/ad_accounts", "ads_read"),
        ("/v5/pins/1", None),
    ],
)
def test_paths_fall_in_the_spec_rate_limit_categories(path, expected):
    assert category(path) == expected


def test_reset_formats_and_limits_change_at_run_time(sim):
    sim.apply_settings(
        rate_limits={"ads_analytics": {"calls": 10, "window_seconds": 60}},
        rate_limit_reset_format="epoch",
    )
    answer = _create(sim, sim.dataset.account_ids[0], sim.auth_headers())
    assert answer.headers["X-RateLimit-Limit"] == "10"
    assert int(answer.headers["X-RateLimit-Reset"]) > time.time()
    sim.apply_settings(rate_limits={"ads_analytics": None})
    unlimited = _create(sim, sim.dataset.account_ids[0], sim.auth_headers())
    assert unlimited.status_code == 200
    assert "X-RateLimit-Limit" not in unlimited.headers
