"""Many ad accounts in one run under Pinterest's ads_analytics budget (issue 12, item 4).

1,000 accounts × 3 ads × 30 days; the simulator (its CLI) enforces 300 ads_analytics calls per
window per user and app, 60 s by default as Pinterest documents (`--many-window` scales it down:
the tap's share, `analytics_requests_per_minute`, and the report latency scale with it). Reported
per account count: requests against the minimum (token, account pages, and per report one
create, one poll and one download), 429 answers, wall time from the first analytics call against
the budget's floor (analytics calls ÷ allowed rate) plus one report latency, peak RSS, rows.
"""

from __future__ import annotations

import argparse
import math
from collections import Counter
from pathlib import Path
from typing import Any

from benchmarks.harness import DELIVERY_STREAM, TAP, log, run_measured, utc_today, write_json
from benchmarks.simulator_process import DatasetSpec, SimulatorProcess, classify_request
from benchmarks.tap_runs import tap_catalog, tap_config

LIMIT = 300  # ads_analytics calls per minute per user and app (Standard access)
REPORT_LATENCY_AT_60S = 5.0  # seconds a report takes to build, at the real window
ANALYTICS = ("report create", "report poll")


def many_accounts(args: argparse.Namespace, workdir: Path) -> dict[str, Any]:
    """One run per account count in `args.many_accounts`, at window `args.many_window`."""
    window = args.many_window
    latency = REPORT_LATENCY_AT_60S * window / 60
    out: dict[str, Any] = {"window_s": window, "limit": LIMIT, "report_latency_s": latency}
    for accounts in args.many_accounts:
        spec = DatasetSpec(accounts=accounts, campaigns=1, ad_groups=1, ads=3, days=30)
        today = utc_today()
        extra = ("--ads-analytics-limit", str(LIMIT), "--rate-limit-window", str(window))
        with SimulatorProcess(
            spec,
            workdir,
            today=today,
            report_delay=latency,
            name=f"sim-many-{accounts}",
            extra_args=extra,
        ) as sim:
            files = workdir / f"many-{accounts}"
            per_minute = round(LIMIT * 60 / window)
            config = write_json(
                files / "config.json",
                tap_config(sim, spec.first_day(today), analytics_requests_per_minute=per_minute),
            )
            catalog = tap_catalog(config, (DELIVERY_STREAM,), files / "catalog.json")
            sim.clear_requests()
            log(f"many accounts: {accounts} accounts, {LIMIT} calls per {window:g} s")
            result = run_measured([str(TAP), "--config", str(config), "--catalog", str(catalog)])
            result.check()
            requests = sim.requests()
            report_rows = sum(job["rows"] or 0 for job in sim.reports())
        out[str(accounts)] = _figures(
            accounts, window, latency, result, requests=requests, rows=report_rows
        )
        log(f"many accounts {accounts}: {out[str(accounts)]}")
    return out


def _figures(
    accounts: int, window: float, latency: float, result: Any, *, requests: list[dict], rows: int
) -> dict[str, Any]:
    kinds = Counter(classify_request(r) for r in requests)
    analytics = [r["time"] for r in requests if classify_request(r) in ANALYTICS]
    reports = kinds["report create"]
    minimum = 1 + math.ceil(accounts / 250) + 3 * reports
    floor = len(analytics) / (LIMIT / window)
    wall = result.ended - min(analytics)
    return {
        "reports": reports,
        "requests": sum(kinds.values()),
        "minimum": minimum,
        "ratio": sum(kinds.values()) / minimum,
        "analytics_calls": len(analytics),
        "polls_per_report": kinds["report poll"] / reports,
        "http_429": sum(1 for r in requests if r["status"] == 429),
        "wall_s": wall,
        "floor_s": floor,
        "target_s": 1.2 * floor + latency,
        "wall_over_floor": wall / floor,
        "rss_mib": result.maxrss_kib / 1024,
        "rows_delivered": result.records.get(DELIVERY_STREAM, 0),
        "rows_in_reports": rows,
    }
