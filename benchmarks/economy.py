"""API economy: the requests of one entities + delivery sync of 3 accounts against the minimum
the dataset needs."""

from __future__ import annotations

import argparse
import math
from collections import Counter
from pathlib import Path

from benchmarks.harness import DELIVERY_STREAM, TAP, run_measured, utc_today, write_json
from benchmarks.simulator_process import DatasetSpec, SimulatorProcess, classify_request
from benchmarks.tap_runs import tap_catalog, tap_config

ECONOMY = DatasetSpec(accounts=3, campaigns=3, ad_groups=4, ads=25, days=30)
# "Entities + delivery": the streams the minimum below is defined for.
ECONOMY_STREAMS = ("ad_accounts", "campaigns", "ad_groups", "pin_promotions", DELIVERY_STREAM)


def economy(args: argparse.Namespace, workdir: Path) -> dict:
    """Requests of one entities + delivery sync of 3 accounts vs the minimum."""
    from pinterest_simulator.dataset import Dataset  # noqa: PLC0415
    from tap_pinterest_ads.reports.windows import plan_windows  # noqa: PLC0415

    spec, today = ECONOMY, utc_today()
    start = spec.first_day(today)
    with SimulatorProcess(spec, workdir, today=today, name="sim-economy") as sim:
        files = workdir / "economy"
        config = write_json(files / "config.json", tap_config(sim, start))
        catalog = tap_catalog(config, ECONOMY_STREAMS, files / "catalog.json")
        sim.clear_requests()
        run_measured([str(TAP), "--config", str(config), "--catalog", str(catalog)]).check()
        requests = sim.requests()
    dataset = Dataset(
        accounts=spec.accounts,
        campaigns_per_account=spec.campaigns,
        ad_groups_per_campaign=spec.ad_groups,
        ads_per_ad_group=spec.ads,
        days=spec.days,
        seed=1,
        today=today,
    )
    plan = plan_windows(start_date=start, bookmark=None, lookback_days=5, today=today)
    windows = len(plan)
    accounts = dataset.account_ids
    minimum: Counter[str] = Counter()
    minimum["token"] = 1
    minimum["list /ad_accounts"] = math.ceil(len(accounts) / 250) or 1
    entity_counts = {}
    for kind, endpoint in (("campaign", "campaigns"), ("ad_group", "ad_groups"), ("ad", "ads")):
        counts = [len(dataset.entities(kind, a, statuses=None)) for a in accounts]
        entity_counts[endpoint] = counts
        minimum[f"list /{endpoint}"] = sum(max(1, math.ceil(n / 250)) for n in counts)
    reports = len(accounts) * windows
    minimum["report create"] = reports
    minimum["report poll"] = reports
    minimum["report download"] = reports
    # Day finality: one metrics_ready_state per day the windows cover, for every account.
    minimum["metrics_ready_state"] = (plan.end - plan.start).days + 1
    actual: Counter[str] = Counter(classify_request(r) for r in requests)
    polls_excluded = {k: v for k, v in actual.items() if k != "report poll"}
    minimum_excluded = {k: v for k, v in minimum.items() if k != "report poll"}
    return {
        "dataset": spec.__dict__,
        "entities_per_account": entity_counts,
        "report_windows_per_account": windows,
        "actual": dict(actual),
        "minimum": dict(minimum),
        "total_actual": sum(actual.values()),
        "total_minimum": sum(minimum.values()),
        "ratio": sum(actual.values()) / sum(minimum.values()),
        "ratio_without_polls": sum(polls_excluded.values()) / sum(minimum_excluded.values()),
        "polls_per_report": actual["report poll"] / reports,
        "failed_requests": sum(1 for r in requests if (r["status"] or 0) >= 400),
    }
