"""The loading benchmark's results as tables and as the one row `make bench`'s summary reads.

`headline()` is that row, "end-to-end to PostgreSQL vs COPY": the job as meltano.yml ships it
(`pg:shipped`), its rows/s from the download's start, the bare COPY limit and the ratio, against
the goal (>= 10k rows/s and >= 0.3x COPY). `latest_headline()` reads it from the newest
`benchmarks/results/*-loading/results.json`.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from benchmarks.harness import REPO, median

PG_LOADER = "target-postgres"
SHIPPED = "pg:shipped"
GOAL_ROWS_PER_S = 10_000
GOAL_RATIO_TO_COPY = 0.3


def summarise(results: dict[str, Any]) -> dict[str, Any]:
    """Medians per config, the COPY limit (the fastest COPY) and each config's ratio to it, and
    what landed: rows and distinct keys, a digest of every value, the ratios' digits."""
    copy = {method: median(rates) for method, rates in results["copy"].items()}
    limit = max(copy.values(), default=None)
    table = {}
    for label, data in results["configs"].items():
        runs = data["runs"]
        rate = median([r["rows"] / r["from_download_s"] for r in runs])
        digests = {r["digest"] for r in runs}
        programs = {name for r in runs for name in r["peak_rss_mib"] if name != "?"}
        table[label] = {
            "loader": data["loader"],
            "runs": len(runs),
            "rows": sorted({r["rows"] for r in runs}),
            "keys_unique": all(r["keys"] == r["rows"] for r in runs),
            "digest": digests.pop()[:8] if len(digests) == 1 else "varies",
            "ctr_max_scale": runs[0].get("ctr_max_scale"),
            "rows_per_s_from_download": rate,
            "rows_per_s_wall": median([r["rows"] / r["wall_s"] for r in runs]),
            "ratio_to_copy": rate / limit if limit and data["loader"] == PG_LOADER else None,
            "peak_rss_total_mib": median([r["peak_rss_total_mib"] for r in runs]),
            "peak_rss_mib": {
                name: median([r["peak_rss_mib"].get(name, 0) for r in runs]) for name in programs
            },
            "sdc_extracted_at_set": runs[0]["sdc_extracted_at_set"],
            "batch_files_left": results["files_left"].get(label, 0),
        }
    return {"copy_rows_per_s": copy, "copy_limit": limit, "configs": table}


def markdown(results: dict[str, Any], summary: dict[str, Any]) -> str:
    loads = results["loadavg"]
    limit = summary["copy_limit"]
    lines = [
        f"Run {results['started']} on {results['machine']}; {results['runs']} interleaved rounds, "
        f"medians; 1-min load average during the rounds {min(loads):.2f}-{max(loads):.2f} "
        f"(median {median(loads):.2f}). `× COPY`: against the fastest bare COPY.",
        "",
        "| Configuration | Rows (all keys distinct) | Rows/s from download | × COPY "
        "| Rows/s (wall) | Peak RSS tap / target / Meltano (MiB) | Values digest | ctr digits "
        "| `_sdc_extracted_at` set |",
        "|---|---:|---:|---:|---:|---|---|---:|---:|",
    ]
    for label, row in summary["configs"].items():
        rss = row["peak_rss_mib"]
        target = max((v for k, v in rss.items() if k.startswith("target-")), default=0)
        ratio = f"{row['ratio_to_copy']:.3f}×" if row["ratio_to_copy"] is not None else "–"
        rows = "/".join(f"{n:,}" for n in row["rows"]) + ("" if row["keys_unique"] else " DUP")
        digits = row["ctr_max_scale"] if row["ctr_max_scale"] is not None else "–"
        lines.append(
            f"| {label} | {rows} | {row['rows_per_s_from_download']:,.0f} | {ratio} | "
            f"{row['rows_per_s_wall']:,.0f} | {rss.get('tap-pinterest-ads', 0):.0f} / "
            f"{target:.0f} / {rss.get('meltano', 0):.0f} | `{row['digest']}` | {digits} | "
            f"{row['sdc_extracted_at_set']:,} |"
        )
    for method, rate in summary["copy_rows_per_s"].items():
        lines.append(
            f"| bare psycopg COPY, {method} | {results.get('copy_rows', 0):,} | {rate:,.0f} | "
            f"{rate / limit:.2f}× | – | – | – | – | – |"
        )
    return "\n".join(lines) + "\n"


def headline(results: dict[str, Any]) -> dict[str, Any] | None:
    """The row "end-to-end to PostgreSQL vs COPY" of `make bench`'s summary table."""
    summary = results.get("summary") or summarise(results)
    shipped = summary["configs"].get(SHIPPED)
    if shipped is None or summary["copy_limit"] is None:
        return None
    rate = shipped["rows_per_s_from_download"]
    ratio = shipped["ratio_to_copy"]
    loads = results["loadavg"]
    return {
        "row": "end-to-end to PostgreSQL vs COPY",
        "command": "meltano run tap-pinterest-ads--delivery target-postgres (meltano.yml as is)",
        "rows": shipped["rows"],
        "rows_per_s_from_download": round(rate),
        "copy_limit_rows_per_s": round(summary["copy_limit"]),
        "ratio_to_copy": round(ratio, 3),
        "goal": f">= {GOAL_ROWS_PER_S:,} rows/s and >= {GOAL_RATIO_TO_COPY}x COPY",
        "met": rate >= GOAL_ROWS_PER_S and ratio >= GOAL_RATIO_TO_COPY,
        "runs": shipped["runs"],
        "loadavg_median": round(median(loads), 2),
        "started": results["started"],
    }


def latest_headline(results_dir: Path = REPO / "benchmarks" / "results") -> dict[str, Any] | None:
    for path in sorted(results_dir.glob("*-loading/results.json"), reverse=True):
        found = headline(json.loads(path.read_text(encoding="utf-8")))
        if found is not None:
            return found
    return None
