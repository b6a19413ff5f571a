"""One measured run of the tap (or of the bare baseline reader) against a simulator: its config
and catalog files, the run, the check that every report row became a record, and medians over
repeated runs."""

from __future__ import annotations

import datetime as dt
import gzip
import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from benchmarks.harness import (
    DELIVERY_STREAM,
    FAKE_CLIENT_ID,
    FAKE_CLIENT_SECRET,
    FAKE_REFRESH_TOKEN,
    REPO,
    TAP,
    log,
    median,
    run_measured,
    write_json,
)
from benchmarks.simulator_process import SimulatorProcess, first_time


def tap_config(sim: SimulatorProcess, start_date: dt.date, **extra: Any) -> dict:
    return {
        "api_url": sim.base_url,
        "client_id": FAKE_CLIENT_ID,
        "client_secret": FAKE_CLIENT_SECRET,
        "refresh_token": FAKE_REFRESH_TOKEN,
        "start_date": start_date.isoformat(),
        **extra,
    }


def tap_catalog(config_path: Path, streams: tuple[str, ...] | None, out: Path) -> Path:
    """`--discover`, then select `streams` (None: every stream)."""
    found = subprocess.run(  # noqa: S603
        [str(TAP), "--config", str(config_path), "--discover"],
        cwd=REPO,
        capture_output=True,
        check=True,
    )
    catalog = json.loads(found.stdout)
    for entry in catalog["streams"]:
        for metadata in entry["metadata"]:
            if metadata["breadcrumb"] == []:
                selected = streams is None or entry["tap_stream_id"] in streams
                metadata["metadata"]["selected"] = selected
    return write_json(out, catalog)


def run_tap(
    sim: SimulatorProcess,
    config: Path,
    catalog: Path,
    *,
    variant: list[str] | None = None,
    env: dict[str, str] | None = None,
    batch_dir: Path | None = None,
    pipe: bool = False,
) -> dict[str, Any]:
    """One delivery sync; the record path is timed from the end of the download to exit.

    With `batch_dir` (the config's BATCH storage), records are counted in the BATCH files,
    which are then deleted. With `pipe`, stdout is a pipe read (and counted) by the harness,
    as a target would read it, instead of /dev/null."""
    sim.clear_requests()
    if batch_dir is not None:
        shutil.rmtree(batch_dir, ignore_errors=True)
        batch_dir.mkdir(parents=True)
    args = ["--config", str(config), "--catalog", str(catalog)]
    if variant is None:
        argv = [str(TAP), *args]
    else:
        argv = [sys.executable, "-m", "benchmarks.tap_variant", *variant, "--", *args]
    result = run_measured(
        argv,
        env=env,
        marks={"downloaded": "Report downloaded"},
        count_stdout=b'{"type":"RECORD"' if pipe else None,
    ).check()
    requests = sim.requests()
    created = first_time(requests, "POST", "/v5/ad_accounts/")
    download_started = first_time(requests, "GET", "/_files/")
    downloaded = result.marks["downloaded"]
    records = result.records.get(DELIVERY_STREAM, 0)
    if batch_dir is not None:
        records = count_batch_records(batch_dir)
    check_rows(sim, requests, records)
    if pipe and result.stdout_count != records:
        raise RuntimeError(f"{result.stdout_count} RECORD lines on stdout, {records} counted")
    emit_s = result.ended - downloaded
    phase_s = result.ended - download_started
    emit_cpu_s = result.cpu_s - result.mark_cpu["downloaded"]
    return {
        "records": records,
        "wall_s": result.wall,
        "emit_cpu_s": emit_cpu_s,
        "emit_cpu_rate": records / emit_cpu_s,
        "wait_s": download_started - created,
        "download_s": downloaded - download_started,
        "emit_s": emit_s,
        "emit_rate": records / emit_s,
        "phase_rate": records / phase_s,
        "rss_mib": result.peak_rss_mib,
    }


def count_batch_records(batch_dir: Path) -> int:
    """Lines of the BATCH files (one record each), then delete them."""
    count = 0
    for path in sorted(batch_dir.iterdir()):
        opener = gzip.open if path.suffix == ".gz" else Path.open
        with opener(path, "rb") as lines:
            count += sum(1 for _ in lines)
    shutil.rmtree(batch_dir, ignore_errors=True)
    return count


def check_rows(sim: SimulatorProcess, requests: list[dict], records: int) -> None:
    """The records emitted must be exactly the rows of the reports this run polled."""
    tokens = {t for r in requests if "token" in r["query"] for t in r["query"]["token"]}
    expected = sum(job["rows"] or 0 for job in sim.reports() if job["token"] in tokens)
    if records != expected:
        raise RuntimeError(f"{records} records emitted, the reports had {expected} rows")


def run_baseline(sim: SimulatorProcess, account: str, body: dict, workdir: Path) -> dict[str, Any]:
    url = sim.report_url(account, body)
    out = workdir / "baseline.out"
    argv = [sys.executable, str(REPO / "benchmarks" / "baseline_reader.py"), url, DELIVERY_STREAM]
    result = run_measured(argv, stdout_path=out).check()
    timings = json.loads(out.read_text(encoding="utf-8"))
    emit_s = timings["parse_s"] + timings["write_s"]
    phase_s = timings["download_s"] + emit_s
    return {
        "records": timings["rows"],
        "emit_cpu_s": timings["record_path_cpu_s"],
        "emit_cpu_rate": timings["rows"] / timings["record_path_cpu_s"],
        "bytes": timings["bytes"],
        "download_s": timings["download_s"],
        "emit_s": emit_s,
        "emit_rate": timings["rows"] / emit_s,
        "phase_rate": timings["rows"] / phase_s,
        "rss_mib": result.peak_rss_mib,
    }


def summarise(runs: list[dict[str, Any]]) -> dict[str, Any]:
    """Median of every numeric field, plus the raw runs."""
    keys = [k for k, v in runs[0].items() if isinstance(v, (int, float))]
    summary: dict[str, Any] = {k: median([r[k] for r in runs]) for k in keys}
    summary["runs"] = len(runs)
    summary["raw"] = runs
    return summary


def repeat(label: str, runs: int, action) -> dict[str, Any]:
    results = []
    for index in range(runs):
        started = time.monotonic()
        results.append(action())
        log(
            f"{label} run {index + 1}/{runs}: {time.monotonic() - started:.1f} s, "
            f"{results[-1].get('emit_rate', 0):,.0f} rec/s"
        )
    return summarise(results)


def interleaved(actions: dict[str, Any], runs: int) -> dict[str, dict[str, Any]]:
    """Each action once per round, `runs` rounds: the machine's load moves every scenario
    alike, so their ratios hold better than with back-to-back repeats. Medians per action,
    with the 1-minute load average before each run (`loadavg`)."""
    found: dict[str, list[dict[str, Any]]] = {label: [] for label in actions}
    for index in range(runs):
        for label, action in actions.items():
            load = os.getloadavg()[0]
            started = time.monotonic()
            found[label].append({**action(), "loadavg": load})
            log(
                f"{label} run {index + 1}/{runs} (load {load:.2f}): "
                f"{time.monotonic() - started:.1f} s, "
                f"{found[label][-1].get('emit_rate', 0):,.0f} rec/s"
            )
    return {label: summarise(results) for label, results in found.items()}


def report_body(sim: SimulatorProcess) -> tuple[str, dict]:
    """The account id and JSON body of the report the tap just requested."""
    posts = [r for r in sim.requests() if r["method"] == "POST" and r["path"].endswith("/reports")]
    account = posts[0]["path"].split("/")[3]
    return account, json.loads(posts[0]["body"])
