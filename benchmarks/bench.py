"""The benchmark suite of tap-pinterest-ads (issue 3's benchmark, issue 7's suite).

    make bench                              # everything, 150k and 1.5M rows (several minutes)
    make bench BENCH_ARGS="--quick"         # 150k rows only
    .venv/bin/python -m benchmarks.bench --help

Every scenario runs against the local API simulator started through its CLI
(`python -m pinterest_simulator`), never the network. Results go to benchmarks/results/<stamp>/
(results.json, results.md, profile files, logs) and the Markdown table is printed at the end.
See benchmarks/README.md for what each number means.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import platform
import shutil
import signal
import sys
from typing import Any

from benchmarks.concurrency import concurrency
from benchmarks.economy import economy
from benchmarks.harness import REPO, log, timed, write_json
from benchmarks.many_accounts import many_accounts
from benchmarks.results_markdown import markdown
from benchmarks.summary import summary_table
from benchmarks.throughput import SIZES, throughput

RESULTS = REPO / "benchmarks" / "results"


def main() -> int:
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks.bench",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--quick", action="store_true", help="150k rows only (no 1.5M run)")
    parser.add_argument(
        "--sizes", nargs="+", choices=tuple(SIZES), help="throughput sizes (default: all)"
    )
    parser.add_argument("--runs", type=int, default=3, help="runs per measurement (median)")
    parser.add_argument("--peer-runs", type=int, default=1, help="peer runs (~4 min each)")
    parser.add_argument(
        "--csv-runs-large", type=int, default=1, help="CSV and BATCH runs at 1.5M rows"
    )
    parser.add_argument(
        "--delays", type=float, nargs="+", default=[5.0, 10.0], help="report delays L (s)"
    )
    parser.add_argument(
        "--only",
        nargs="+",
        choices=("throughput", "economy", "concurrency", "many_accounts"),
        help="run only these sections (throughput includes peer, profile, micro, load)",
    )
    parser.add_argument(
        "--parse-before",
        default="b74a3f8",
        help="git revision whose reports/parse.py gives the 'before' rows ('' to skip)",
    )
    parser.add_argument(
        "--many-window",
        type=float,
        default=60.0,
        help="the ads_analytics window of the many-accounts run (s; Pinterest: 60)",
    )
    parser.add_argument(
        "--many-accounts", type=int, nargs="+", default=[250, 1000], help="account counts"
    )
    for name in ("peer", "load", "profile", "variants"):
        parser.add_argument(f"--skip-{name}", action="store_true")
    args = parser.parse_args()
    # SIGTERM stops the simulators and PostgreSQL like Ctrl-C does (context managers exit).
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    sections = set(args.only or ("throughput", "economy", "concurrency", "many_accounts"))

    stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
    out_dir = RESULTS / stamp
    workdir = out_dir / "work"
    workdir.mkdir(parents=True)
    results: dict[str, Any] = {
        "started": stamp,
        "machine": (
            f"{platform.machine()}, {os.cpu_count()} CPUs, Python {platform.python_version()}"
        ),
        "loadavg": ", ".join(f"{x:.2f}" for x in os.getloadavg()),
        "runs": args.runs,
        "throughput": {},
    }
    try:
        if "throughput" in sections:
            for name, spec in SIZES.items():
                if (args.quick and name != "150k") or (args.sizes and name not in args.sizes):
                    continue
                throughput(name, spec, args, workdir, results)
                write_json(out_dir / "results.json", results)
        if "economy" in sections:
            with timed("API economy"):
                results["economy"] = economy(args, workdir)
        if "concurrency" in sections:
            with timed("concurrency"):
                results["concurrency"] = concurrency(args, workdir)
        if "many_accounts" in sections:
            with timed("many accounts"):
                results["many_accounts"] = many_accounts(args, workdir)
                write_json(out_dir / "results.json", results)
    finally:
        write_json(out_dir / "results.json", results)
        table = summary_table(results) + "\n" + markdown(results)
        (out_dir / "results.md").write_text(table, encoding="utf-8")
        for path in workdir.glob("*/reports"):
            shutil.rmtree(path, ignore_errors=True)
    print(table)
    log(f"results in {out_dir.relative_to(REPO)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
