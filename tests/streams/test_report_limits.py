"""The limits Pinterest puts on report requests, checked by the tap before it asks: the oldest
day (913 days back, a day of margin for runs that cross UTC midnight) and the attribution
windows (only some click/engagement/view triples), against the simulator.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import logging
import subprocess
import sys

import pytest

from pinterest_simulator import Dataset
from tap_pinterest_ads.reports.shapes import DELIVERY
from tap_pinterest_ads.streams.delivery import PinPromotionDeliveryStream
from tests.cli_runner import (
    tap_env,
)
from tests.simulator_factory import running_simulator
from tests.tap_runner import (
    DELIVERY as DELIVERY_STREAM,
)
from tests.tap_runner import (
    catalog_for,
    config_for,
    error_lines,
    run,
    today,
)

TODAY = today()
START = TODAY - dt.timedelta(days=20)
DATASET = {"accounts": 1, "ads_per_ad_group": 1, "days": 30, "seed": 31, "today": TODAY}
pytestmark = pytest.mark.usefixtures("quick_polls")


# History floor --------------------------------------------------------------------------------


@pytest.fixture
def sim_past_midnight():
    """The API's clock is one day ahead: a run planned before UTC midnight, sent after it."""
    tomorrow = TODAY + dt.timedelta(days=1)
    data = Dataset(accounts=1, campaigns_per_account=1, ad_groups_per_campaign=1,
                   ads_per_ad_group=1, days=30, seed=3, today=tomorrow)  # fmt: skip
    with running_simulator(data) as simulator:
        yield simulator


def test_the_oldest_window_is_913_days_back_so_a_run_that_crosses_utc_midnight_is_accepted(
    sim_past_midnight,
):
    sim = sim_past_midnight
    start = TODAY - dt.timedelta(days=1200)

    outcome = run(config_for(sim, start), (DELIVERY_STREAM,))

    assert outcome.error is None, outcome.error
    first = min(r.json()["start_date"] for r in sim.requests.filter("POST", r"/reports$"))
    assert first == (TODAY - dt.timedelta(days=913)).isoformat()
    (clamped,) = outcome.lines("is older than the 913 days", logging.WARNING)
    assert f"starting at {TODAY - dt.timedelta(days=913)}" in clamped


def test_with_914_days_the_same_run_would_be_refused(sim_past_midnight, monkeypatch):
    # The contrast that motivates the margin: Pinterest counts from its own (later) today.
    monkeypatch.setattr(
        PinPromotionDeliveryStream, "shape", dataclasses.replace(DELIVERY, max_history_days=914)
    )

    outcome = run(config_for(sim_past_midnight, TODAY - dt.timedelta(days=1200)),
                  (DELIVERY_STREAM,))  # fmt: skip

    assert "start_date cannot be more than 914 days in the past" in outcome.error_line


# Attribution windows --------------------------------------------------------------------------


def test_an_attribution_triple_pinterest_refuses_stops_the_run_at_start_up_naming_the_settings(
    sim, tmp_path
):
    config = config_for(sim, START, click_window_days=7, engagement_window_days=30,
                        view_window_days=0)  # fmt: skip
    files = {"config": config, "catalog": catalog_for(config_for(sim, START), ("campaigns",))}
    for name, content in files.items():
        (tmp_path / f"{name}.json").write_text(json.dumps(content), encoding="utf-8")

    result = subprocess.run(
        [sys.executable, "-m", "tap_pinterest_ads", "--config", str(tmp_path / "config.json"),
         "--catalog", str(tmp_path / "catalog.json")],
        capture_output=True, text=True, timeout=60, cwd=tmp_path, env=tap_env(), check=False,
    )  # fmt: skip

    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    named = [line for line in error_lines(result.stderr) if "view_window_days" in line]
    assert len(named) == 1, result.stderr[-3000:]
    assert (
        "click_window_days, engagement_window_days, view_window_days: Pinterest does not accept "
        "7/30/0 (click/engagement/view days); use one of 60/60/60, 60/60/30"
    ) in named[0]
    assert len(sim.requests) == 0
    assert result.stdout == ""


@pytest.mark.parametrize("windows", [(30, 30, 1), (7, 7, 1), (60, 30, 7), (1, 1, 1)])
def test_accepted_attribution_triples_reach_the_report_request(sim, windows):
    config = config_for(sim, START, click_window_days=windows[0],
                        engagement_window_days=windows[1], view_window_days=windows[2])  # fmt: skip

    outcome = run(config, (DELIVERY_STREAM,))

    assert outcome.error is None, outcome.error
    body = sim.requests.filter("POST", r"/reports$")[0].json()
    assert (body["click_window_days"], body["engagement_window_days"],
            body["view_window_days"]) == windows  # fmt: skip
