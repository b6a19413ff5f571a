"""The whole job against the loader's physical limit (issue 12, item 3).

    .venv/bin/python -m benchmarks.loading                 # 3 interleaved rounds, DEFAULT_CONFIGS
    .venv/bin/python -m benchmarks.loading --runs 5 --only pg:shipped "pg:batch gzip 10k"
    .venv/bin/python -m benchmarks.loading --list

`meltano run tap-pinterest-ads--delivery <loader>` on the project's meltano.yml, with the
configuration variants below applied through Meltano's environment variables, against the 150k
delivery rows of one report (the simulator's big-report dataset) and a throwaway PostgreSQL
(tests/postgres.py). The physical limit is a bare psycopg `COPY` of the same rows into the same
table shape (`CREATE TABLE ... (LIKE <the table target-postgres made> INCLUDING ALL)`), on the
same server. Rounds are interleaved (every config once per round), so a busy machine slows all
of them alike; the tables give medians and the load average during the rounds.

Every run is checked, not only timed: the row count, no duplicate key, and a digest of every
business column of every row (`_sdc_*` left out) must equal the first run's, so a faster
configuration that loses or changes a value shows up as a mismatch.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from benchmarks.harness import (
    FAKE_CLIENT_ID,
    FAKE_CLIENT_SECRET,
    FAKE_REFRESH_TOKEN,
    REPO,
    log,
    utc_today,
    write_json,
)
from benchmarks.loading_probes import (
    COPY_METHODS,
    TreeRss,
    copy_source,
    duckdb_landed,
    pg_landed,
    timed_copy,
)
from benchmarks.loading_report import headline, markdown, summarise
from benchmarks.simulator_process import DatasetSpec, SimulatorProcess, first_time

MELTANO = REPO / ".venv-meltano" / "bin" / "meltano"
PLUGINS = REPO / ".meltano"
DUCKDB_PYTHON = PLUGINS / "loaders" / "target-duckdb" / "venv" / "bin" / "python"
RESULTS = REPO / "benchmarks" / "results"
EXTRACTOR = "tap-pinterest-ads--delivery"
# The README's 150k dataset (tests/simulator/README.md, "Big reports"): 151,247 rows.
SPEC_150K = DatasetSpec(accounts=1, campaigns=10, ad_groups=10, ads=15, days=112)

# Meltano's variables for the delivery extractor's and the loaders' settings.
TAP_ENV = "TAP_PINTEREST_ADS__DELIVERY_"
BATCH_NONE = "{}"  # Meltano passes `{}`; the tap reads an empty batch_config as "no BATCH"


def batch_config(root: Path, *, gzip: bool = True, size: int = 10_000) -> str:
    return json.dumps(
        {
            "encoding": {"format": "jsonl", "compression": "gzip" if gzip else "none"},
            "storage": {"root": root.as_uri()},
            "batch_size": size,
        }
    )


# label -> (loader, {setting: value}); values are what Meltano's environment variables take.
# A setting not named keeps meltano.yml's value, so "shipped" is meltano.yml as it is.
def configs(batch_root: Path) -> dict[str, tuple[str, dict[str, str]]]:
    return {
        "pg:shipped": ("target-postgres", {}),
        "pg:records validate": (
            "target-postgres",
            {f"{TAP_ENV}BATCH_CONFIG": BATCH_NONE, "TARGET_POSTGRES_VALIDATE_RECORDS": "true"},
        ),
        "pg:records no-validate": (
            "target-postgres",
            {f"{TAP_ENV}BATCH_CONFIG": BATCH_NONE, "TARGET_POSTGRES_VALIDATE_RECORDS": "false"},
        ),
        "pg:records no-validate 100k": (
            "target-postgres",
            {
                f"{TAP_ENV}BATCH_CONFIG": BATCH_NONE,
                "TARGET_POSTGRES_VALIDATE_RECORDS": "false",
                "TARGET_POSTGRES_BATCH_SIZE_ROWS": "100000",
            },
        ),
        "pg:records no-validate insert": (
            "target-postgres",
            {
                f"{TAP_ENV}BATCH_CONFIG": BATCH_NONE,
                "TARGET_POSTGRES_VALIDATE_RECORDS": "false",
                "TARGET_POSTGRES_USE_COPY": "false",
            },
        ),
        "pg:batch gzip 10k": (
            "target-postgres",
            {f"{TAP_ENV}BATCH_CONFIG": batch_config(batch_root)},
        ),
        "pg:batch plain 10k": (
            "target-postgres",
            {f"{TAP_ENV}BATCH_CONFIG": batch_config(batch_root, gzip=False)},
        ),
        "pg:batch gzip 50k": (
            "target-postgres",
            {f"{TAP_ENV}BATCH_CONFIG": batch_config(batch_root, size=50_000)},
        ),
        "duckdb:shipped": ("target-duckdb", {}),
        "duckdb:batch 10k": ("target-duckdb", {"TARGET_DUCKDB_BATCH_SIZE_ROWS": "10000"}),
        "duckdb:batch 200k": ("target-duckdb", {"TARGET_DUCKDB_BATCH_SIZE_ROWS": "200000"}),
    }


# What `make bench` runs (about 4 minutes a round on 2 cores); the others with --only.
DEFAULT_CONFIGS = ("pg:shipped", "pg:records validate", "pg:batch gzip 10k", "duckdb:shipped")


# One `meltano run` -----------------------------------------------------------------------------


def meltano_home(workdir: Path) -> Path:
    """A private Meltano system directory whose plugin folders are the installed ones (as
    tests/e2e/conftest.py does): no state, no run files or logs in the project's .meltano/."""
    home = workdir / "meltano-home"
    if not home.exists():
        (home / ".meltano").mkdir(parents=True)
        for kind in ("extractors", "loaders", "transformers"):
            (home / ".meltano" / kind).symlink_to(PLUGINS / kind, target_is_directory=True)
    return home


def job_env(sim: SimulatorProcess, start: dt.date, pg, home: Path, run: str) -> dict[str, str]:
    keep = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("MELTANO_", "TAP_", "TARGET_", "PG"))
    }
    return {
        **keep,
        "MELTANO_SEND_ANONYMOUS_USAGE_STATS": "false",
        "MELTANO_CLI_DISABLE_VERSION_CHECK": "true",
        "MELTANO_PROJECT_READONLY": "true",
        "MELTANO_SYS_DIR_ROOT": str(home / ".meltano"),
        "MELTANO_DATABASE_URI": f"sqlite:///{home / f'{run}.db'}",
        "TAP_PINTEREST_ADS_API_URL": sim.base_url,
        "TAP_PINTEREST_ADS_CLIENT_ID": FAKE_CLIENT_ID,
        "TAP_PINTEREST_ADS_CLIENT_SECRET": FAKE_CLIENT_SECRET,
        "TAP_PINTEREST_ADS_REFRESH_TOKEN": FAKE_REFRESH_TOKEN,
        "TAP_PINTEREST_ADS_START_DATE": start.isoformat(),
        "TAP_PINTEREST_ADS_TOKEN_STORE_PATH": str(home / "token-store.json"),
        "PGHOST": pg.host,
        "PGPORT": str(pg.port),
        "PGUSER": pg.user,
        "PGPASSWORD": "unused-trust-auth",
        "PGDATABASE": pg.database,
        "TARGET_POSTGRES_DEFAULT_TARGET_SCHEMA": run,
        "TARGET_DUCKDB_FILEPATH": str(home / f"{run}.duckdb"),
    }


def run_job(
    sim: SimulatorProcess, loader: str, env: dict[str, str], log_path: Path
) -> dict[str, Any]:
    """One measured `meltano run`, its process tree's memory sampled while it runs."""
    sim.clear_requests()
    argv = [str(MELTANO), "run", EXTRACTOR, loader]
    with log_path.open("wb") as out:
        started = time.time()
        proc = subprocess.Popen(  # noqa: S603 - argv built here
            argv, cwd=REPO, env=env, stdout=out, stderr=subprocess.STDOUT
        )
        try:
            with TreeRss(proc.pid) as rss:
                _pid, status, _usage = os.wait4(proc.pid, 0)
        except BaseException:
            proc.terminate()  # Meltano stops its tap and target
            proc.wait()
            raise
        ended = time.time()
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode != 0:
        tail = log_path.read_text(encoding="utf-8", errors="replace")[-4000:]
        raise RuntimeError(f"meltano run {EXTRACTOR} {loader} exited {proc.returncode}:\n{tail}")
    download_started = first_time(sim.requests(), "GET", "/_files/")
    return {
        "wall_s": ended - started,
        "from_download_s": ended - download_started,
        "peak_rss_mib": {k: round(v / 1024, 1) for k, v in sorted(rss.peak_kib.items())},
        "peak_rss_total_mib": round(rss.peak_total_kib / 1024, 1),
    }


# The rounds ------------------------------------------------------------------------------------


def measure(
    sim: SimulatorProcess, start: dt.date, workdir: Path, runs: int, only: list[str] | None
) -> dict[str, Any]:
    import psycopg  # noqa: PLC0415

    from tests.postgres import running_postgres  # noqa: PLC0415

    home = meltano_home(workdir)
    batch_root = workdir / "batches"
    chosen = {k: v for k, v in configs(batch_root).items() if k in (only or DEFAULT_CONFIGS)}
    out: dict[str, Any] = {"configs": {}, "copy": {}, "loadavg": [], "files_left": {}}
    with running_postgres("bench") as pg, psycopg.connect(pg.url) as connection:
        source = None
        for round_no in range(1, runs + 1):
            out["loadavg"].append(os.getloadavg()[0])
            for index, (label, (loader, settings)) in enumerate(chosen.items()):
                run = f"r{round_no}_c{index}"
                batch_root.mkdir(exist_ok=True)
                env = {**job_env(sim, start, pg, home, run), **settings}
                result = run_job(sim, loader, env, workdir / f"{run}.log")
                if loader == "target-postgres":
                    result.update(pg_landed(connection, run))
                    if source is None:
                        source = copy_source(connection, run)
                    connection.execute(f'DROP SCHEMA "{run}" CASCADE')
                    connection.commit()
                else:
                    duckdb_file = Path(env["TARGET_DUCKDB_FILEPATH"])
                    result.update(duckdb_landed(DUCKDB_PYTHON, duckdb_file))
                    duckdb_file.unlink()
                left = sorted(p.name for p in batch_root.rglob("*") if p.is_file())
                out["files_left"][label] = len(left)
                shutil.rmtree(batch_root, ignore_errors=True)
                out["loadavg"].append(os.getloadavg()[0])
                out["configs"].setdefault(label, {"loader": loader, "settings": settings})
                out["configs"][label].setdefault("runs", []).append(result)
                write_json(workdir.parent / "partial.json", out)  # a stopped run keeps its rounds
                log(
                    f"round {round_no} {label}: {result['rows']} rows, "
                    f"{result['rows'] / result['from_download_s']:,.0f} rows/s from download, "
                    f"wall {result['wall_s']:.1f} s, RSS {result['peak_rss_mib']}"
                )
            if source is not None:
                for method in COPY_METHODS:
                    seconds = timed_copy(connection, source, method, f"copy_{round_no}")
                    rate = len(source["rows"]) / seconds
                    out["copy"].setdefault(method, []).append(rate)
                    log(f"round {round_no} COPY {method}: {rate:,.0f} rows/s")
            out["loadavg"].append(os.getloadavg()[0])
        if source is not None:
            out["copy_rows"] = len(source["rows"])
            out["copy_columns"] = len(source["types"])
    return out


def main() -> int:
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks.loading",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--runs", type=int, default=3, help="interleaved rounds (medians)")
    parser.add_argument(
        "--only", nargs="+", help="configuration labels (see --list; default: DEFAULT_CONFIGS)"
    )
    parser.add_argument("--list", action="store_true", help="print the configurations")
    parser.add_argument("--out", type=Path, help="results folder (default benchmarks/results/)")
    parser.add_argument("--render", type=Path, help="print the tables of a results.json again")
    args = parser.parse_args()
    # SIGTERM stops the simulator and PostgreSQL like Ctrl-C does (context managers exit).
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    unknown = set(args.only or ()) - set(configs(Path("/BATCH_ROOT")))
    if unknown:
        parser.error(f"unknown configuration(s) {sorted(unknown)}; see --list")
    if args.render:
        results = json.loads(args.render.read_text(encoding="utf-8"))
        print(markdown(results, summarise(results)))
        return 0
    if args.list:
        for label, (loader, settings) in configs(Path("/BATCH_ROOT")).items():
            print(f"{label}: {loader} {settings}")
        return 0
    for needed in (MELTANO, PLUGINS / "loaders" / "target-postgres", DUCKDB_PYTHON):
        if not needed.exists():
            log(f"skipped: {needed} missing (make meltano-setup)")
            return 0
    stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
    out_dir = (args.out or RESULTS / f"{stamp}-loading").resolve()
    workdir = out_dir / "work"
    workdir.mkdir(parents=True, exist_ok=True)
    results: dict[str, Any] = {
        "started": stamp,
        "machine": (
            f"{platform.machine()}, {os.cpu_count()} CPUs, Python {platform.python_version()}"
        ),
        "runs": args.runs,
    }
    today = utc_today()
    with SimulatorProcess(SPEC_150K, workdir, today=today) as sim:
        results.update(measure(sim, SPEC_150K.first_day(today), workdir, args.runs, args.only))
    summary = summarise(results)
    results["summary"] = summary
    results["headline"] = headline(results)
    write_json(out_dir / "results.json", results)
    table = markdown(results, summary)
    (out_dir / "results.md").write_text(table, encoding="utf-8")
    shutil.rmtree(workdir / "meltano-home", ignore_errors=True)
    print(table)
    print(json.dumps(results["headline"], indent=1))
    log(f"results in {out_dir}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
