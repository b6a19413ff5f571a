"""Many ad accounts in one run under Pinterest's ads_analytics budget (issue 12, item 4).

The simulator enforces 300 calls per window per user and app, the window scaled from 60 s down
to WINDOW_SECONDS (the tap's share scales with it: 300 per window is 300 × 60 / WINDOW_SECONDS
per minute), and the report latency with it (5 s becomes 5 × WINDOW_SECONDS / 60). The run must
meet no 429, make few requests beyond the minimum (one create and one poll per report, one
download) and deliver every row. How close the run comes to the budget's floor is a benchmark
(benchmarks/many_accounts.py), not a test: a shared machine's load would make it flaky.

1,000 accounts, as the issue asks, with the window scaled down 10× (6 s): the budget's floor is
then about 41 s (2,030 analytics calls at 50 a second). Each call has 20 ms of budget, about what
a report costs the tap in CPU on a quiet machine, so on a loaded one the CPU, not the budget, may
set the pace: slower than the budget is never a 429, and there is no wall-time assertion.
benchmarks/many_accounts.py runs the same 1,000 accounts at Pinterest's real 60 s window.
"""

from __future__ import annotations

import datetime as dt
import math

import pytest

from pinterest_simulator import Dataset
from pinterest_simulator.ratelimit import ADS_ANALYTICS, category
from tests.cli_runner import run_tap
from tests.simulator_factory import running_simulator
from tests.tap_runner import (
    DELIVERY,
    config_for,
    delivery_facts,
    expected_delivery,
    parse_messages,
    records,
    today,
)

ACCOUNTS = 1000
ADS_PER_ACCOUNT = 3
DAYS = 30
LIMIT = 300  # calls per window: Pinterest's ads_analytics, Standard access
WINDOW_SECONDS = 6.0  # Pinterest's 60 s, scaled down 10×
REPORT_LATENCY = 5.0 * WINDOW_SECONDS / 60  # a 5 s report, scaled the same way
ALLOWED_PER_SECOND = LIMIT / WINDOW_SECONDS


@pytest.fixture(scope="module")
def run(tmp_path_factory):
    """One run of the delivery stream over every account; the simulator's view of it."""
    dataset = Dataset(
        accounts=ACCOUNTS,
        campaigns_per_account=1,
        ad_groups_per_campaign=1,
        ads_per_ad_group=ADS_PER_ACCOUNT,
        days=DAYS,
        today=today(),
    )
    start = today() - dt.timedelta(days=DAYS - 1)
    with running_simulator(
        dataset,
        report_delay_seconds=REPORT_LATENCY,
        ads_analytics_limit=LIMIT,
        rate_limit_window_seconds=WINDOW_SECONDS,
    ) as sim:
        config = config_for(
            sim,
            start,
            analytics_requests_per_minute=round(ALLOWED_PER_SECOND * 60),
        )
        tmp = tmp_path_factory.mktemp("many-accounts")
        result = run_tap(tmp, config, (DELIVERY,), timeout=900)
        yield {
            "result": result,
            "requests": sim.requests.snapshot(),
            "rejected": sim.rate_limits.rejected,
            "expected": expected_delivery(dataset, dataset.account_ids, start),
        }


def _analytics(run) -> list:
    return [r for r in run["requests"] if category(r.path) == ADS_ANALYTICS]


def test_many_accounts_run_without_a_single_429(run):
    assert run["result"].returncode == 0, run["result"].stderr[-3000:]
    assert run["rejected"] == 0
    assert [r for r in run["requests"] if r.status == 429] == []


def test_many_accounts_cost_at_most_a_tenth_more_requests_than_the_minimum(run):
    reports = [r for r in run["requests"] if r.method == "POST" and r.path.endswith("/reports")]
    assert len(reports) == ACCOUNTS  # 30 days: one report window per account
    # Minimum: the token, the account listing (250 a page), per report a create, a poll and a
    # download (downloads are not analytics calls), and per day the run covers one
    # metrics_ready_state (an analytics call, whatever the number of accounts).
    minimum = 1 + math.ceil(ACCOUNTS / 250) + 3 * ACCOUNTS + DAYS
    assert len(run["requests"]) <= 1.1 * minimum
    assert len(_analytics(run)) <= 1.1 * (2 * ACCOUNTS + DAYS)


def test_many_accounts_deliver_every_row(run):
    delivered = records(parse_messages(run["result"].stdout), DELIVERY)
    assert {delivery_facts(r) for r in delivered} == run["expected"]
    assert len(delivered) == len(run["expected"])
