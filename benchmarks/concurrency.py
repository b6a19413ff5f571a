"""Concurrency: 10 accounts whose reports each take L seconds; how long the delivery sync takes
against L, with the tap's poll back-off and with a what-if factor."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from benchmarks.harness import DELIVERY_STREAM, TAP, run_measured, utc_today, write_json
from benchmarks.simulator_process import DatasetSpec, SimulatorProcess, classify_request
from benchmarks.tap_runs import repeat, tap_catalog, tap_config

CONCURRENCY = DatasetSpec(accounts=10, campaigns=1, ad_groups=1, ads=3, days=30)
# The what-if poll back-off factor of the concurrency section (the tap's default is
# reports/job.py POLL_FACTOR: 2.0 until commit 5cb7e24, 1.3 until 0e093f3, 1.25 since).
POLL_FACTOR = 1.25


def concurrency(args: argparse.Namespace, workdir: Path) -> dict:
    """10 accounts whose reports each take L seconds: wall time of the delivery sync vs L.

    Also with the what-if poll back-off factor (benchmarks/tap_variant.py --poll-factor)."""
    spec, today = CONCURRENCY, utc_today()
    start = spec.first_day(today)
    out: dict[str, Any] = {"dataset": spec.__dict__, "what_if_poll_factor": POLL_FACTOR}
    for delay in args.delays:
        with SimulatorProcess(
            spec, workdir, today=today, report_delay=delay, name=f"sim-delay-{delay:g}"
        ) as sim:
            files = workdir / f"concurrency-{delay:g}"
            config = write_json(files / "config.json", tap_config(sim, start))
            catalog = tap_catalog(config, (DELIVERY_STREAM,), files / "catalog.json")
            tap_args = ["--config", str(config), "--catalog", str(catalog)]
            variants = {
                "": [str(TAP), *tap_args],
                f" poll factor {POLL_FACTOR:g}": [
                    sys.executable, "-m", "benchmarks.tap_variant",
                    "--poll-factor", str(POLL_FACTOR), "--", *tap_args,
                ],
            }  # fmt: skip
            for suffix, argv in variants.items():
                label = f"{delay:g}{suffix}"
                out[label] = repeat(
                    f"concurrency L={label}",
                    args.runs,
                    lambda sim=sim, argv=argv, delay=delay: _concurrency_run(sim, argv, delay),
                )
    return out


def _concurrency_run(sim: SimulatorProcess, argv: list[str], delay: float) -> dict[str, Any]:
    sim.clear_requests()
    result = run_measured(argv).check()
    requests = sim.requests()
    creates = [r["time"] for r in requests if classify_request(r) == "report create"]
    polls = [r for r in requests if classify_request(r) == "report poll"]
    downloads = [r["time"] for r in requests if classify_request(r) == "report download"]
    phase = result.ended - min(creates)
    return {
        "wall_s": result.wall,
        "delivery_s": phase,
        "ratio": phase / delay,
        "creates_span_s": max(creates) - min(creates),
        "last_download_after_first_create_s": max(downloads) - min(creates),
        "reports": len(creates),
        "polls": len(polls),
        "polls_per_report": len(polls) / len(creates),
        "records": result.records.get(DELIVERY_STREAM, 0),
    }
