"""Fixtures shared by every test module: the simulator factory and the mocked API.

* `dataset` (per module) and `sim` (per test): the local Pinterest API simulator on 127.0.0.1
  over a small deterministic dataset. A module shapes them with two dicts, read by name:
  `DATASET = {"days": 60, "seed": 13}` (overrides of `simulator_factory.DATASET_DEFAULTS`) and
  `SIMULATOR = {"strict_rotation": True}` (keyword arguments of `Simulator`). A test that needs
  another API beside it builds one with tests/simulator_factory.py.
* `quick_polls`: the first report poll after 0.02 s instead of 1 s (the simulator finishes a
  report at once; the tests wait less and nothing else changes). A module opts in with
  `pytestmark = pytest.mark.usefixtures("quick_polls")`.
* `api`: the mocked Pinterest API of tests/mock_api.py (requests-mock) for unit tests; a test may
  override routes after it.

Which harness to use for what: tests/README.md.
"""

from __future__ import annotations

import typing as t
from functools import partial

import pytest

from pinterest_simulator import Dataset, Simulator
from tap_pinterest_ads.reports.job import ReportJob
from tap_pinterest_ads.streams import report_base
from tests import mock_api
from tests.simulator_factory import make_dataset, running_simulator

if t.TYPE_CHECKING:
    import requests_mock

QUICK_FIRST_POLL_SECONDS = 0.02


@pytest.fixture(scope="module")
def dataset(request: pytest.FixtureRequest) -> Dataset:
    """The module's dataset: `DATASET_DEFAULTS` updated by its `DATASET` dict."""
    return make_dataset(**getattr(request.module, "DATASET", {}))


@pytest.fixture
def sim(request: pytest.FixtureRequest, dataset: Dataset) -> t.Iterator[Simulator]:
    """A fresh simulator per test (faults, tokens and request log start empty) over the module's
    dataset, with the module's `SIMULATOR` options."""
    with running_simulator(dataset, **getattr(request.module, "SIMULATOR", {})) as simulator:
        yield simulator


@pytest.fixture
def quick_polls(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(
        report_base, "ReportJob", partial(ReportJob, poll_initial=QUICK_FIRST_POLL_SECONDS)
    )


@pytest.fixture
def api(requests_mock: requests_mock.Mocker) -> requests_mock.Mocker:
    """The mocked Pinterest API of tests/mock_api.py (tests may override routes after it)."""
    mock_api.register(requests_mock)
    return requests_mock
