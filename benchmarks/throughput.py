"""Throughput of `pin_promotion_delivery` at 150k and 1.5M rows: the tap (JSON, CSV, BATCH files)
against the bare baseline; at 150k also the what-if variants, the parser's before/after, the
micro benchmark, the profile, the peer and loading, which reuse the same simulator."""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

from benchmarks.harness import DELIVERY_STREAM, REPO, log, timed, utc_today, write_json
from benchmarks.peer import peer
from benchmarks.postgres_load import load
from benchmarks.simulator_process import DatasetSpec, SimulatorProcess
from benchmarks.tap_runs import (
    interleaved,
    repeat,
    report_body,
    run_baseline,
    run_tap,
    tap_catalog,
    tap_config,
)

# The README's two sizes (rows ≈ ads × days × 0.9 with 10 % inactive ad-days).
SIZES = {
    "150k": DatasetSpec(accounts=1, campaigns=10, ad_groups=10, ads=15, days=112),
    "1.5M": DatasetSpec(accounts=1, campaigns=20, ad_groups=25, ads=18, days=186),
}
# The what-if patches of benchmarks/tap_variant.py, sized on the 150k run. P1 and P2 (skip the
# deselection walk, no per-record state) are in the tap now: the "SDK record path" row undoes
# them, for a before/after in the same run.
VARIANTS = {
    "tap + buffered writer": ["--buffered-writer"],
}

# The same through a pipe (stdout read by the harness), with and without the buffered writer.
PIPED = {
    "tap (no patch), stdout piped": [],
    "tap + buffered writer, stdout piped": ["--buffered-writer"],
}


def throughput(
    name: str, spec: DatasetSpec, args: argparse.Namespace, workdir: Path, results: dict
) -> None:
    """Tap (JSON and CSV) vs the bare baseline; at 150k also the what-if variants, the micro
    benchmark, the profile, the peer and loading, which reuse the same simulator."""
    today = utc_today()
    start = spec.first_day(today)
    section: dict[str, Any] = {"dataset": spec.__dict__, "start_date": start.isoformat()}
    results["throughput"][name] = section
    with SimulatorProcess(spec, workdir, today=today, name=f"sim-{name}") as sim:
        files = workdir / name
        config = write_json(files / "config.json", tap_config(sim, start))
        csv_config = write_json(
            files / "config-csv.json", tap_config(sim, start, report_format="CSV")
        )
        batch_dir = files / "batch"

        def batch_files(compression: str) -> Path:
            return write_json(
                files / f"config-batch-{compression}.json",
                tap_config(
                    sim,
                    start,
                    batch_config={
                        "encoding": {"format": "jsonl", "compression": compression},
                        "storage": {"root": batch_dir.as_uri(), "prefix": "delivery-"},
                        "batch_size": 10000,
                    },
                ),
            )

        batch_config, plain_batch_config = batch_files("gzip"), batch_files("none")
        catalog = tap_catalog(config, (DELIVERY_STREAM,), files / "catalog.json")
        runs = args.runs
        requested: list[tuple[str, dict]] = []

        def baseline() -> dict[str, Any]:
            # The report the tap's first run requested, read by the bare reader.
            if not requested:
                requested.append(report_body(sim))
            return run_baseline(sim, *requested[0], files)

        actions: dict[str, Any] = {
            "tap_json": lambda: run_tap(sim, config, catalog),
            "baseline": baseline,
            "tap_batch": lambda: run_tap(sim, batch_config, catalog, batch_dir=batch_dir),
            "tap_batch_plain": lambda: run_tap(
                sim, plain_batch_config, catalog, batch_dir=batch_dir
            ),
        }
        if name == "150k":
            actions["sdk_record_path"] = lambda: run_tap(
                sim, config, catalog, variant=["--sdk-record-path"]
            )
        csv_runs = runs if name == "150k" else min(runs, args.csv_runs_large)
        if csv_runs == runs:
            actions["tap_csv"] = lambda: run_tap(sim, csv_config, catalog)
        with timed(f"{name}: {', '.join(actions)} interleaved x{runs}"):
            section.update(interleaved(actions, runs))
        if "tap_csv" not in section and csv_runs:
            with timed(f"{name}: tap CSV x{csv_runs}"):
                section["tap_csv"] = repeat(
                    f"{name} tap CSV", csv_runs, lambda: run_tap(sim, csv_config, catalog)
                )
        account, body = requested[0]
        if name != "150k":
            return
        before = parse_before(args.parse_before, files)
        if before is not None:
            section["parse_before"] = {"revision": args.parse_before}
            for fmt, cfg in (("JSON", config), ("CSV", csv_config)):
                label = f"tap {fmt}, parse.py as of {args.parse_before}"
                with timed(f"{name}: {label} x{runs}"):
                    section["parse_before"][fmt] = repeat(
                        label,
                        runs,
                        lambda c=cfg: run_tap(
                            sim, c, catalog, variant=["--parse-from", str(before)]
                        ),
                    )
        if not args.skip_variants:
            section["variants"] = variants(sim, config, catalog, runs)
        with timed("micro benchmark of parse.py and records.py"):
            results["micro"] = micro(sim, account, body, files)
        if not args.skip_profile:
            with timed("cProfile of the 150k JSON sync"):
                results["profile"] = profile(config, catalog, files)
        if not args.skip_peer:
            with timed("peer airbyte-source-pinterest 2.1.12"):
                results["peer"] = peer(sim, account, start, args, files)
        if not args.skip_load:
            with timed("loading into PostgreSQL"):
                results["load"] = load(sim, start, files)


def variants(sim: SimulatorProcess, config: Path, catalog: Path, runs: int) -> dict[str, Any]:
    """The what-if rows of benchmarks/tap_variant.py (150k only)."""
    found: dict[str, Any] = {}
    for label, flags in VARIANTS.items():
        with timed(f"150k: {label} x{runs}"):
            found[label] = repeat(
                label, runs, lambda f=flags: run_tap(sim, config, catalog, variant=f)
            )
    # The writer's flush per message costs a write(2) per record only through a pipe.
    for label, flags in PIPED.items():
        with timed(f"150k: {label} x{runs}"):
            found[label] = repeat(
                label, runs, lambda f=flags: run_tap(sim, config, catalog, variant=f, pipe=True)
            )
    return found


def parse_before(revision: str | None, workdir: Path) -> Path | None:
    """reports/parse.py as of `revision` (for the before/after rows), or None."""
    if not revision:
        return None
    found = subprocess.run(  # noqa: S603
        ["git", "show", f"{revision}:tap_pinterest_ads/reports/parse.py"],  # noqa: S607
        cwd=REPO,
        capture_output=True,
        check=False,
    )
    if found.returncode != 0:
        log(f"no parse.py at {revision}: skipping the before/after rows")
        return None
    path = workdir / "parse_before.py"
    path.write_bytes(found.stdout)
    return path


def micro(sim: SimulatorProcess, account: str, body: dict, workdir: Path) -> dict:
    out: dict[str, Any] = {}
    for fmt in ("JSON", "CSV"):
        url = sim.report_url(account, {**body, "report_format": fmt})
        path = workdir / f"report.{fmt.lower()}"
        with urlopen(url) as response, path.open("wb") as target:
            shutil.copyfileobj(response, target, 1 << 20)
        found = subprocess.run(  # noqa: S603
            [sys.executable, "-m", "benchmarks.micro", str(path), fmt],
            cwd=REPO,
            capture_output=True,
            check=True,
        )
        out[fmt] = json.loads(found.stdout)
        out[fmt]["bytes"] = path.stat().st_size
        path.unlink()
    return out


def urlopen(url: str):
    import urllib.request  # noqa: PLC0415

    return urllib.request.urlopen(url, timeout=600)  # noqa: S310 - local simulator


def profile(config: Path, catalog: Path, workdir: Path) -> dict:
    out = workdir / "profile"
    found = subprocess.run(  # noqa: S603
        [
            sys.executable,
            "-m",
            "benchmarks.profile_tap",
            "--config",
            str(config),
            "--catalog",
            str(catalog),
            "--out",
            str(out),
            "--top",
            "10",
        ],
        cwd=REPO,
        capture_output=True,
        check=True,
    )
    summary = json.loads(found.stdout.splitlines()[-1])
    summary["files"] = str(out.relative_to(REPO))
    return summary
