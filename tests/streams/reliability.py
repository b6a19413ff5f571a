"""What the fault-injection suite (test_reliability_*.py) shares: the run window, the check that
a run's data is complete and exact, and the simulator's requests it counts."""

from __future__ import annotations

import datetime as dt
import itertools

from pinterest_simulator import Dataset, Simulator
from tests.tap_runner import (
    DELIVERY,
    ENTITY_STREAMS,
    delivery_facts,
    entity_ids,
    expected_delivery,
    expected_entity_ids,
    records,
    today,
)

TODAY = today()
START = TODAY - dt.timedelta(days=20)  # one report window per account
ALL = (*ENTITY_STREAMS, DELIVERY)
FAST_RETRY = {"Retry-After": "0"}
# Three accounts: one can fail while the others are read.
FAULT_INJECTION_DATASET = {
    "accounts": 3,
    "ad_groups_per_campaign": 2,
    "days": 220,
    "seed": 11,
    "today": TODAY,
}


def assert_complete(
    messages: list[dict],
    dataset: Dataset,
    accounts: list[str] | None = None,
    streams: tuple[str, ...] = ALL,
    start: dt.date = START,
) -> None:
    """Every entity and every delivery row of `accounts`, exactly once, and nothing else."""
    accounts = dataset.account_ids if accounts is None else accounts
    for stream in streams:
        if stream == DELIVERY:
            got = [delivery_facts(r) for r in records(messages, DELIVERY)]
            assert len(got) == len(set(got)), "no duplicate rows"
            assert set(got) == expected_delivery(dataset, accounts, start)
        else:
            assert entity_ids(messages, stream) == expected_entity_ids(dataset, stream, accounts)


def report_creations(sim: Simulator, account: str | None = None) -> list:
    path = rf"/ad_accounts/{account}/reports$" if account else r"/reports$"
    return sim.requests.filter("POST", path)


def downloads(sim: Simulator) -> list:
    return sim.requests.filter("GET", r"^/_files/")


def revoke_access_tokens_at(sim: Simulator, *requests_numbers: int) -> None:
    """Revoke every access token when the API receives its n-th authenticated request."""
    check, seen = sim.tokens.check_bearer, itertools.count(1)

    def revoking_check(header: str | None) -> str:
        if next(seen) in requests_numbers:
            sim.faults.revoke_access_token()
        return check(header)

    sim.tokens.check_bearer = revoking_check  # type: ignore[method-assign]
