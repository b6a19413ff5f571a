"""The simulator's own tests: a fresh simulator per test over a dataset of its own (tests remove
entities from it), and a bearer token for it."""

from __future__ import annotations

import pytest

from tests.simulator.calls import small_dataset
from tests.simulator_factory import running_simulator


@pytest.fixture
def sim():
    with running_simulator(small_dataset(), report_delay_seconds=0.0) as s:
        yield s


@pytest.fixture
def auth(sim):
    return {"Authorization": f"Bearer {sim.issue_access_token()}"}
