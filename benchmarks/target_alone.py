"""target-postgres alone on the tap's 150k-row output, stock and with what-if patches.

    .venv/bin/python -m benchmarks.target_alone [--runs 3]
    .venv/bin/python -m benchmarks.target_alone --profile   # cProfile of the stock target

`benchmarks.loading` times the whole `meltano run`; this takes the tap and Meltano out. The
tap's output is written once to a file (RECORD messages, and BATCH messages with their jsonl.gz
files), then target-postgres reads it from stdin, timed from start to exit:

- stock, RECORD messages with `validate_records: false`;
- stock, BATCH messages;
- the same two with `benchmarks/target_variant.py --lean-rows --lean-parse`, a what-if of
  changes to target-postgres's `bulk_insert_records` and singer-sdk's timestamp parse (see that
  file), to size proposals upstream.

`--profile` instead runs the stock target once per input under cProfile and prints where its
time goes (own time and cumulative time of the top functions): the profile behind the loading
figures in benchmarks/README.md.

Runs are interleaved; each loads into a fresh schema, which is checked for the report's row
count and the stock run's digest of every value.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import pstats
import subprocess
import sys
import time
from pathlib import Path

from benchmarks.harness import (
    DELIVERY_STREAM,
    REPO,
    TAP,
    log,
    median,
    utc_today,
    write_json,
)
from benchmarks.loading import PLUGINS, RESULTS, SPEC_150K
from benchmarks.loading_probes import pg_landed
from benchmarks.simulator_process import SimulatorProcess
from benchmarks.tap_runs import tap_catalog, tap_config

TARGET_VENV = PLUGINS / "loaders" / "target-postgres" / "venv" / "bin"
VARIANT = REPO / "benchmarks" / "target_variant.py"
# The stream-map alias is the delivery job's; the table name is the same as in a meltano run.
ALIAS = {"pin_promotion_delivery": {"__alias__": "pinterest_data_delivery"}}


def tap_output(sim: SimulatorProcess, workdir: Path, *, batch: bool) -> Path:
    """The tap's stdout for one 150k sync, as `meltano run` would pass it to the target."""
    name = "batch" if batch else "records"
    extra: dict = {"stream_maps": ALIAS}
    if batch:
        (workdir / "files").mkdir(exist_ok=True)
        extra["batch_config"] = {
            "encoding": {"format": "jsonl", "compression": "gzip"},
            "storage": {"root": (workdir / "files").as_uri()},
            "batch_size": 10_000,
        }
    config = write_json(
        workdir / f"tap-{name}.json",
        tap_config(sim, SPEC_150K.first_day(sim.today), **extra),
    )
    catalog = tap_catalog(config, (DELIVERY_STREAM,), workdir / "catalog.json")
    out = workdir / f"{name}.jsonl"
    with out.open("wb") as handle:
        subprocess.run(  # noqa: S603
            [str(TAP), "--config", str(config), "--catalog", str(catalog)],
            stdout=handle,
            stderr=subprocess.DEVNULL,
            check=True,
        )
    return out


def run_target(argv: list[str], messages: Path, log_path: Path) -> float:
    env = {**os.environ, "PYTHONWARNINGS": "ignore"}
    with messages.open("rb") as stdin, log_path.open("wb") as err:
        started = time.perf_counter()
        subprocess.run(  # noqa: S603
            argv, stdin=stdin, stdout=subprocess.DEVNULL, stderr=err, env=env, check=True
        )
        return time.perf_counter() - started


def target_config(workdir: Path, pg, schema: str) -> Path:
    return write_json(
        workdir / f"{schema}.json",
        {
            "host": pg.host,
            "port": pg.port,
            "user": pg.user,
            "password": "unused-trust-auth",
            "database": pg.database,
            "default_target_schema": schema,
            "use_copy": True,
            "validate_records": False,
            "load_method": "upsert",
            "add_record_metadata": True,
            "hard_delete": False,
        },
    )


def profile_report(path: Path, top: int = 18) -> str:
    """Own and cumulative time of the target's top functions (pstats of the same Python)."""
    stream = io.StringIO()
    stats = pstats.Stats(str(path), stream=stream)
    total = stats.total_tt  # type: ignore[attr-defined]
    stream.write(f"total {total:.2f} s profiled\n")
    for key in ("tottime", "cumulative"):
        stats.sort_stats(key).print_stats(top)
    return stream.getvalue()


def profile(workdir: Path, sim: SimulatorProcess, pg, connection) -> None:
    for kind, batch in (("records", False), ("batch", True)):
        messages = tap_output(sim, workdir, batch=batch)
        schema = f"profile_{kind}"
        prof = workdir / f"{schema}.prof"
        argv = [str(TARGET_VENV / "python"), "-m", "cProfile", "-o", str(prof)]
        argv += [str(TARGET_VENV / "target-postgres")]
        config = target_config(workdir, pg, schema)
        seconds = run_target([*argv, "--config", str(config)], messages, workdir / f"{schema}.log")
        landed = pg_landed(connection, schema)
        report = profile_report(prof)
        (workdir.parent / f"profile-{kind}.txt").write_text(report, encoding="utf-8")
        log(f"profile {kind}: {landed['rows']} rows in {seconds:.1f} s under cProfile")
        print(report)


def main() -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.target_alone")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--profile", action="store_true", help="cProfile the stock target")
    args = parser.parse_args()
    import psycopg  # noqa: PLC0415

    from tests.postgres import running_postgres  # noqa: PLC0415

    out_dir = RESULTS / f"{time.strftime('%Y%m%d-%H%M%S')}-target-alone"
    workdir = out_dir / "work"
    workdir.mkdir(parents=True)
    stock = [str(TARGET_VENV / "target-postgres")]
    lean = [str(TARGET_VENV / "python"), str(VARIANT), "--lean-rows", "--lean-parse"]
    rates: dict[str, list[float]] = {}
    landed_as: set[tuple] = set()  # (rows, digest) of every run: one element when all agree
    loads = []
    with (
        SimulatorProcess(SPEC_150K, workdir, today=utc_today()) as sim,
        running_postgres("alone") as pg,
        psycopg.connect(pg.url) as connection,
    ):
        if args.profile:
            profile(workdir, sim, pg, connection)
            return 0
        inputs = {"records": tap_output(sim, workdir, batch=False)}
        inputs["BATCH"] = tap_output(sim, workdir, batch=True)
        for round_no in range(1, args.runs + 1):
            loads.append(os.getloadavg()[0])
            for kind, messages in inputs.items():
                for variant, argv in (("stock", stock), ("lean rows", lean)):
                    schema = f"r{round_no}_{kind}_{variant.replace(' ', '_')}".lower()
                    config = target_config(workdir, pg, schema)
                    seconds = run_target(
                        [*argv, "--config", str(config)], messages, workdir / f"{schema}.log"
                    )
                    landed = pg_landed(connection, schema)
                    connection.execute(f'DROP SCHEMA "{schema}" CASCADE')
                    connection.commit()
                    label = f"{kind}, {variant}"
                    rates.setdefault(label, []).append(landed["rows"] / seconds)
                    landed_as.add((landed["rows"], landed["digest"]))
                    log(f"round {round_no} {label}: {landed['rows'] / seconds:,.0f} rows/s")
        loads.append(os.getloadavg()[0])
    summary = {
        "rows_per_s": {label: median(values) for label, values in rates.items()},
        "runs": rates,
        "same_rows_and_values": len(landed_as) == 1,
        "loadavg": loads,
    }
    write_json(out_dir / "results.json", summary)
    print(json.dumps(summary, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
