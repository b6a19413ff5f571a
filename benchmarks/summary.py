"""The one table `make bench` prints first: each goal of issue 12 against its figure.

Rows read the run's results.json; the end-to-end PostgreSQL row and the 1,000-account row
come from their own benchmarks' result files when those ran (the newest one found).
"""

from __future__ import annotations

import importlib
import importlib.util
import json
from pathlib import Path
from typing import Any

from benchmarks.harness import REPO

RESULTS = REPO / "benchmarks" / "results"
RECORD_PATH_GOAL = 0.5
BATCH_PATH_GOAL = 1.2
BATCH_RSS_GOAL_MIB = 150
PEER_GOAL = 30


def summary_table(results: dict[str, Any], results_dir: Path = RESULTS) -> str:
    """Markdown: | Measure | Figure | Goal | Met |."""
    rows: list[tuple[str, str, str, str]] = []
    throughput = results.get("throughput", {})
    for size, section in throughput.items():
        rows.append(_versus_baseline(f"record path, {size} rows", section, "tap_json", None))
    for size, section in throughput.items():
        rows.append(_versus_baseline(f"BATCH path, {size} rows", section, "tap_batch", "batch"))
        if "tap_batch_plain" in section:
            label = f"BATCH path, plain files, {size} rows"
            rows.append(_versus_baseline(label, section, "tap_batch_plain", "batch"))
    rows.append(_batch_rss(throughput))
    rows.append(_postgres(results))
    rows.append(_peer(results))
    rows.append(_many_accounts(results, results_dir))
    loads = [
        run["loadavg"]
        for section in throughput.values()
        for data in section.values()
        if isinstance(data, dict)
        for run in data.get("raw", ())
        if "loadavg" in run
    ]
    load_note = (
        f"1-min load average over the measured runs {min(loads):.2f}-{max(loads):.2f}"
        if loads
        else f"load average at start {results.get('loadavg', '?')}"
    )
    lines = [
        f"## Summary (run {results.get('started', '?')}, {results.get('machine', '?')}; "
        f"{load_note}; medians of {results.get('runs', '?')} interleaved runs)",
        "",
        "| Measure | Figure | Goal | Met |",
        "|---|---|---|---|",
        *(f"| {a} | {b} | {c} | {d} |" for a, b, c, d in rows),
    ]
    return "\n".join(lines) + "\n"


def _met(ok: bool | None) -> str:
    return "–" if ok is None else ("yes" if ok else "**no**")


def _versus_baseline(
    label: str, section: dict[str, Any], key: str, kind: str | None
) -> tuple[str, str, str, str]:
    goal = BATCH_PATH_GOAL if kind else RECORD_PATH_GOAL
    data, base = section.get(key), section.get("baseline")
    goal_text = f">= {goal}× the stdlib reader"
    if not data or not base:
        return label, "not run", goal_text, _met(None)
    ratio = data["emit_rate"] / base["emit_rate"]
    cpu = data.get("emit_cpu_rate")
    cpu_text = (
        f", CPU {cpu / base['emit_cpu_rate']:.2f}×" if cpu and base.get("emit_cpu_rate") else ""
    )
    figure = (
        f"{data['emit_rate']:,.0f} records/s = {ratio:.2f}× ({base['emit_rate']:,.0f}/s)"
        f"{cpu_text}; {data['rss_mib']:.0f} MiB (n={data['runs']})"
    )
    return label, figure, goal_text, _met(ratio >= goal)


def _batch_rss(throughput: dict[str, Any]) -> tuple[str, str, str, str]:
    peaks = {size: s["tap_batch"]["rss_mib"] for size, s in throughput.items() if "tap_batch" in s}
    goal = f"<= {BATCH_RSS_GOAL_MIB} MiB, flat"
    if not peaks:
        return "BATCH path peak RSS", "not run", goal, _met(None)
    figure = " → ".join(f"{size}: {mib:.0f} MiB" for size, mib in peaks.items())
    return "BATCH path peak RSS", figure, goal, _met(max(peaks.values()) <= BATCH_RSS_GOAL_MIB)


def _postgres(results: dict[str, Any]) -> tuple[str, str, str, str]:
    label = "end-to-end to PostgreSQL vs bare COPY"
    found = None
    # benchmarks/loading_report.py (the loading benchmark) writes its own results files.
    if importlib.util.find_spec("benchmarks.loading_report") is not None:
        found = importlib.import_module("benchmarks.loading_report").latest_headline()
    if found:
        figure = (
            f"{found['rows_per_s_from_download']:,} rows/s from the download's start = "
            f"{found['ratio_to_copy']:.2f}× COPY ({found['copy_limit_rows_per_s']:,}/s); "
            f"run {found['started']}, load {found['loadavg_median']}"
        )
        return label, figure, found["goal"], _met(found["met"])
    load = results.get("load") or {}
    shipped = next((v for v in load.values() if isinstance(v, dict)), None)
    if shipped:
        figure = (
            f"{shipped['rows_per_s_from_download']:,.0f} rows/s from download; COPY not measured"
        )
        return label, figure, ">= 10,000 rows/s and >= 0.3× COPY", _met(None)
    return label, "not run", ">= 10,000 rows/s and >= 0.3× COPY", _met(None)


def _peer(results: dict[str, Any]) -> tuple[str, str, str, str]:
    peer = results.get("peer") or {}
    tap = results.get("throughput", {}).get("150k", {}).get("tap_json")
    goal = f">= {PEER_GOAL}× airbyte-source-pinterest"
    if "phase_rate" not in peer or not tap:
        return "Airbyte peer, 150k rows", "not run", goal, _met(None)
    ratio = tap["phase_rate"] / peer["phase_rate"]
    figure = (
        f"tap {tap['phase_rate']:,.0f} vs peer {peer['phase_rate']:,.0f} records/s = {ratio:.1f}×"
    )
    return "Airbyte peer, 150k rows", figure, goal, _met(ratio >= PEER_GOAL)


def _many_accounts(results: dict[str, Any], results_dir: Path) -> tuple[str, str, str, str]:
    """The 1,000-account run of benchmarks/many_accounts.py: this run's, else the newest."""
    label = "1,000 ad accounts under the ads_analytics limit"
    goal = "0 × 429, requests <= 1.1× the minimum, wall <= 1.2× the floor + 1 report latency"
    many = results.get("many_accounts")
    if not (isinstance(many, dict) and "1000" in many):
        many = None
        for path in sorted(results_dir.glob("*/results.json"), reverse=True):
            found = json.loads(path.read_text(encoding="utf-8")).get("many_accounts")
            if isinstance(found, dict) and "1000" in found:
                many = found
                break
    if many is None:
        return label, "not run", goal, _met(None)
    d = many["1000"]
    figure = (
        f"{many['limit']} calls per {many['window_s']:g} s: {d['requests']:,} requests "
        f"({d['ratio']:.3f}× the minimum), {d['http_429']} × 429, wall {d['wall_s']:.0f} s "
        f"(floor {d['floor_s']:.0f} s, target {d['target_s']:.0f} s), {d['rss_mib']:.0f} MiB"
    )
    met = d["http_429"] == 0 and d["ratio"] <= 1.1 and d["wall_s"] <= d["target_s"]
    return label, figure, goal, _met(met)
