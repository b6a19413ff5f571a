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
import gzip
import json
import math
import os
import platform
import shutil
import signal
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path
from typing import Any

from benchmarks.harness import (
    DELIVERY_STREAM,
    FAKE_CLIENT_ID,
    FAKE_CLIENT_SECRET,
    FAKE_REFRESH_TOKEN,
    REPO,
    TAP,
    DatasetSpec,
    SimulatorProcess,
    first_time,
    log,
    median,
    run_measured,
    tap_catalog,
    tap_config,
    timed,
    utc_today,
    write_json,
)

RESULTS = REPO / "benchmarks" / "results"
PEER_VENV = REPO / ".venv-peer"
PEER_PACKAGE = "airbyte-source-pinterest==2.1.12"
PEER_STREAM = "pin_promotion_report"
MELTANO = REPO / ".venv-meltano" / "bin" / "meltano"
TARGET_POSTGRES = (
    REPO / ".meltano" / "loaders" / "target-postgres" / "venv" / "bin" / "target-postgres"
)

# The README's two sizes (rows ≈ ads × days × 0.9 with 10 % inactive ad-days).
SIZES = {
    "150k": DatasetSpec(accounts=1, campaigns=10, ad_groups=10, ads=15, days=112),
    "1.5M": DatasetSpec(accounts=1, campaigns=20, ad_groups=25, ads=18, days=186),
}
ECONOMY = DatasetSpec(accounts=3, campaigns=3, ad_groups=4, ads=25, days=30)
# "Entities + delivery": the streams the minimum below is defined for.
ECONOMY_STREAMS = ("ad_accounts", "campaigns", "ad_groups", "pin_promotions", DELIVERY_STREAM)
CONCURRENCY = DatasetSpec(accounts=10, campaigns=1, ad_groups=1, ads=3, days=30)
# The what-if poll back-off factor of the concurrency section (the tap's default is
# reports/job.py POLL_FACTOR: 2.0 until commit 5cb7e24, 1.3 until 0e093f3, 1.25 since).
POLL_FACTOR = 1.25
# The what-if patches of benchmarks/tap_variant.py, sized on the 150k run.
VARIANTS = {
    "tap + skip deselect walk": ["--skip-deselect"],
    "tap + skip deselect walk + no per-record state": [
        "--skip-deselect",
        "--skip-increment-state",
    ],
    "tap + all three SDK-path changes (+ buffered writer)": [
        "--skip-deselect",
        "--skip-increment-state",
        "--buffered-writer",
    ],
}

# The same through a pipe (stdout read by the harness), with and without the buffered writer.
PIPED = {
    "tap (no patch), stdout piped": [],
    "tap + buffered writer, stdout piped": ["--buffered-writer"],
}

# One measured tap run -----------------------------------------------------------------------


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


def report_body(sim: SimulatorProcess) -> tuple[str, dict]:
    """The account id and JSON body of the report the tap just requested."""
    posts = [r for r in sim.requests() if r["method"] == "POST" and r["path"].endswith("/reports")]
    account = posts[0]["path"].split("/")[3]
    return account, json.loads(posts[0]["body"])


# Sections ------------------------------------------------------------------------------------


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
        batch_config = write_json(
            files / "config-batch.json",
            tap_config(
                sim,
                start,
                batch_config={
                    "encoding": {"format": "jsonl", "compression": "gzip"},
                    "storage": {"root": batch_dir.as_uri(), "prefix": "delivery-"},
                    "batch_size": 10000,
                },
            ),
        )
        catalog = tap_catalog(config, (DELIVERY_STREAM,), files / "catalog.json")
        runs = args.runs
        with timed(f"{name}: tap JSON x{runs}"):
            section["tap_json"] = repeat(
                f"{name} tap JSON", runs, lambda: run_tap(sim, config, catalog)
            )
        account, body = report_body(sim)
        with timed(f"{name}: baseline x{runs}"):
            section["baseline"] = repeat(
                f"{name} baseline", runs, lambda: run_baseline(sim, account, body, files)
            )
        csv_runs = runs if name == "150k" else min(runs, args.csv_runs_large)
        with timed(f"{name}: tap CSV x{csv_runs}"):
            section["tap_csv"] = repeat(
                f"{name} tap CSV", csv_runs, lambda: run_tap(sim, csv_config, catalog)
            )
        with timed(f"{name}: tap BATCH x{csv_runs}"):
            section["tap_batch"] = repeat(
                f"{name} tap BATCH",
                csv_runs,
                lambda: run_tap(sim, batch_config, catalog, batch_dir=batch_dir),
            )
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
            section["variants"] = {}
            for label, flags in VARIANTS.items():
                with timed(f"{name}: {label} x{runs}"):
                    section["variants"][label] = repeat(
                        label, runs, lambda f=flags: run_tap(sim, config, catalog, variant=f)
                    )
            # The writer's flush per message costs a write(2) per record only through a pipe.
            for label, flags in PIPED.items():
                with timed(f"{name}: {label} x{runs}"):
                    section["variants"][label] = repeat(
                        label,
                        runs,
                        lambda f=flags: run_tap(sim, config, catalog, variant=f, pipe=True),
                    )
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


# The peer ------------------------------------------------------------------------------------


def ensure_peer_venv() -> Path:
    """airbyte-source-pinterest 2.1.12 in .venv-peer (Python 3.11: it requires <3.12)."""
    python = PEER_VENV / "bin" / "python"
    if (PEER_VENV / "bin" / "source-pinterest").exists():
        return python
    uv = REPO / ".venv-tools/bin/uv"  # `make setup`
    uv = uv if uv.exists() else None
    env = {**os.environ, "UV_PYTHON_DOWNLOADS": "never"}
    if uv is not None:
        subprocess.run(  # noqa: S603
            [str(uv), "venv", "--quiet", "--allow-existing", "--python", "3.11", str(PEER_VENV)],
            check=True,
            env=env,
        )
        subprocess.run(  # noqa: S603
            [str(uv), "pip", "install", "--quiet", "--python", str(python), PEER_PACKAGE],
            check=True,
            env=env,
        )
    else:
        interpreter = shutil.which("python3.11")
        if interpreter is None:
            raise RuntimeError("the peer needs Python 3.11 (python3.11 not found) or uv")
        subprocess.run([interpreter, "-m", "venv", str(PEER_VENV)], check=True)  # noqa: S603
        subprocess.run(  # noqa: S603
            [str(python), "-m", "pip", "install", "--quiet", PEER_PACKAGE], check=True
        )
    return python


def peer(
    sim: SimulatorProcess, account: str, start: dt.date, args: argparse.Namespace, workdir: Path
) -> dict:
    python = ensure_peer_venv()
    wrapper = str(REPO / "benchmarks" / "peer_wrapper.py")
    files = workdir / "peer"
    config = write_json(
        files / "config.json",
        {
            "start_date": start.isoformat(),
            "account_id": account,
            "credentials": {
                "auth_method": "oauth2.0",
                "client_id": FAKE_CLIENT_ID,
                "client_secret": FAKE_CLIENT_SECRET,
                "refresh_token": FAKE_REFRESH_TOKEN,
            },
        },
    )
    env = {**os.environ, "PINTEREST_API_BASE": sim.base_url + "/"}
    env.pop("DEPLOYMENT_MODE", None)
    found = subprocess.run(  # noqa: S603
        [str(python), wrapper, "discover", "--config", str(config)],
        cwd=files,
        env=env,
        capture_output=True,
        check=True,
    )
    stream = next(
        s
        for line in found.stdout.splitlines()
        if line.startswith(b'{"type":"CATALOG"')
        for s in json.loads(line)["catalog"]["streams"]
        if s["name"] == PEER_STREAM
    )
    catalog = write_json(
        files / "catalog.json",
        {
            "streams": [
                {
                    "stream": stream,
                    "sync_mode": "incremental",
                    "destination_sync_mode": "append",
                    "cursor_field": stream.get("default_cursor_field") or ["DATE"],
                }
            ]
        },
    )

    def once() -> dict[str, Any]:
        sim.clear_requests()
        result = run_measured(
            [str(python), wrapper, "read", "--config", str(config), "--catalog", str(catalog)],
            cwd=files,
            env=env,
            count_stdout=b'{"type":"RECORD"',
        ).check()
        requests = sim.requests()
        created = first_time(requests, "POST", "/v5/ad_accounts/")
        download_started = first_time(requests, "GET", "/_files/")
        records = result.stdout_count or 0
        check_rows(sim, requests, records)
        phase_s = result.ended - download_started
        return {
            "records": records,
            "wall_s": result.wall,
            "wait_s": download_started - created,
            "emit_s": phase_s,
            "phase_rate": records / phase_s,
            "emit_rate": records / phase_s,
            "rss_mib": result.peak_rss_mib,
            "requests": len(requests),
            "report_bytes": max(r["size"] or 0 for r in sim.reports()),
        }

    summary = repeat("peer", args.peer_runs, once)
    summary["stream"] = PEER_STREAM
    summary["package"] = PEER_PACKAGE
    return summary


# Loading -------------------------------------------------------------------------------------

LOAD_VARIANTS = {
    "meltano.yml as is (use_copy: true, validate_records: true)": {},
    "use_copy: true + validate_records: false": {"TARGET_POSTGRES_VALIDATE_RECORDS": "false"},
    "target defaults (use_copy: false, validate_records: true)": {
        "TARGET_POSTGRES_USE_COPY": "false"
    },
}


def load(sim: SimulatorProcess, start: dt.date, workdir: Path) -> dict:
    """`meltano run tap-pinterest-ads--delivery target-postgres` into a throwaway PostgreSQL."""
    if not (REPO / "meltano.yml").exists() or not MELTANO.exists():
        return {"skipped": "meltano.yml or .venv-meltano missing (make meltano-setup)"}
    if not TARGET_POSTGRES.exists():
        return {"skipped": "target-postgres plugin not installed (make meltano-setup)"}
    import psycopg  # noqa: PLC0415

    from tests.postgres import running_postgres  # noqa: PLC0415

    out: dict[str, Any] = {"command": "meltano run tap-pinterest-ads--delivery target-postgres"}
    with running_postgres("bench") as pg:
        for index, (label, overrides) in enumerate(LOAD_VARIANTS.items()):
            schema = f"bench_{index}"
            env = {
                **os.environ,
                "MELTANO_DATABASE_URI": f"sqlite:///{workdir / f'meltano-{index}.db'}",
                "MELTANO_SEND_ANONYMOUS_USAGE_STATS": "false",
                "MELTANO_CLI_DISABLE_VERSION_CHECK": "true",
                "TAP_PINTEREST_ADS_API_URL": sim.base_url,
                "TAP_PINTEREST_ADS_CLIENT_ID": FAKE_CLIENT_ID,
                "TAP_PINTEREST_ADS_CLIENT_SECRET": FAKE_CLIENT_SECRET,
                "TAP_PINTEREST_ADS_REFRESH_TOKEN": FAKE_REFRESH_TOKEN,
                "TAP_PINTEREST_ADS_START_DATE": start.isoformat(),
                "PGHOST": pg.host,
                "PGPORT": str(pg.port),
                "PGUSER": pg.user,
                "PGPASSWORD": "unused",
                "PGDATABASE": pg.database,
                "TARGET_POSTGRES_DEFAULT_TARGET_SCHEMA": schema,
                **overrides,
            }
            sim.clear_requests()
            result = run_measured(
                [str(MELTANO), "run", "tap-pinterest-ads--delivery", "target-postgres"],
                env=env,
            ).check()
            download_started = first_time(sim.requests(), "GET", "/_files/")
            with psycopg.connect(pg.url) as connection:
                rows = connection.execute(
                    f'SELECT count(*) FROM "{schema}".pinterest_data_delivery'  # noqa: S608
                ).fetchone()[0]
            out[label] = {
                "rows": rows,
                "wall_s": result.wall,
                "rows_per_s_wall": rows / result.wall,
                "rows_per_s_from_download": rows / (result.ended - download_started),
            }
            log(f"load {label}: {rows} rows in {result.wall:.1f} s")
    return out


# API economy -----------------------------------------------------------------------------------


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
    windows = len(plan_windows(start_date=start, bookmark=None, lookback_days=5, today=today))
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
    actual: Counter[str] = Counter(_classify(r) for r in requests)
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


def _classify(request: dict) -> str:  # noqa: PLR0911 - one return per request class
    method, path = request["method"], request["path"]
    parts = path.strip("/").split("/")
    if path == "/v5/oauth/token":
        return "token"
    if path.startswith("/_files/"):
        return "report download"
    if path == "/v5/ad_accounts":
        return "list /ad_accounts"
    if len(parts) == 3 and parts[1] == "ad_accounts":
        return "get /ad_accounts/{id}"
    if len(parts) >= 4 and parts[3] == "reports":
        return "report create" if method == "POST" else "report poll"
    if len(parts) >= 4:
        return f"list /{parts[3]}"
    return f"other {method} {path}"


# Concurrency -----------------------------------------------------------------------------------


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
    creates = [r["time"] for r in requests if _classify(r) == "report create"]
    polls = [r for r in requests if _classify(r) == "report poll"]
    downloads = [r["time"] for r in requests if _classify(r) == "report download"]
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


# Report --------------------------------------------------------------------------------------


def markdown(results: dict) -> str:  # noqa: PLR0912
    lines = [
        f"Run {results['started']} on {results['machine']} (load average at start "
        f"{results['loadavg']}); medians of {results['runs']} runs unless noted.",
        "",
        "### Throughput of pin_promotion_delivery (stdout to /dev/null)",
        "",
        "| Scenario | Rows | Records/s (record path) | Records per CPU-s (record path) | "
        "Records/s incl. download | Ratio to baseline (wall) | Ratio (CPU) | Peak RSS (MiB) | "
        "Report wait (s) |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for name, section in results.get("throughput", {}).items():
        base = section.get("baseline")
        rows = [
            ("tap, JSON", section.get("tap_json")),
            ("tap, CSV", section.get("tap_csv")),
            ("tap, BATCH files (jsonl.gz, batch_config)", section.get("tap_batch")),
            *(
                (f"before: parse.py as of {section['parse_before']['revision']}, {fmt}", data)
                for fmt, data in section.get("parse_before", {}).items()
                if fmt != "revision"
            ),
            *((f"what-if: {k}", v) for k, v in section.get("variants", {}).items()),
            ("baseline (json.loads + json.dumps)", base),
        ]
        for label, data in rows:
            if not data:
                continue
            ratio = f"{data['emit_rate'] / base['emit_rate']:.2f}×" if base else "–"
            cpu = data.get("emit_cpu_rate")
            cpu_ratio = f"{cpu / base['emit_cpu_rate']:.2f}×" if base and cpu else "–"
            wait = f"{data['wait_s']:.1f}" if "wait_s" in data else "–"
            lines.append(
                f"| {name} {label} (n={data['runs']}) | {data['records']:,.0f} | "
                f"{data['emit_rate']:,.0f} | {f'{cpu:,.0f}' if cpu else '–'} | "
                f"{data['phase_rate']:,.0f} | {ratio} | {cpu_ratio} | "
                f"{data['rss_mib']:.0f} | {wait} |"
            )
    peer_data = results.get("peer")
    tap150 = results.get("throughput", {}).get("150k", {}).get("tap_json")
    if peer_data and "records" in peer_data:
        lines += [
            "",
            "### Peer: airbyte-source-pinterest 2.1.12, stream pin_promotion_report, 150k rows",
            "",
            "| | Rows | Records/s incl. download | Peak RSS (MiB) | Report wait (s) | Wall (s) | "
            "Report file (MB) | Tap/peer |",
            "|---|---:|---:|---:|---:|---:|---:|---:|",
            f"| peer (n={peer_data['runs']}) | {peer_data['records']:,.0f} | "
            f"{peer_data['phase_rate']:,.0f} | {peer_data['rss_mib']:.0f} | "
            f"{peer_data['wait_s']:.1f} | {peer_data['wall_s']:.0f} | "
            f"{peer_data['report_bytes'] / 1e6:.0f} | "
            + (f"{tap150['phase_rate'] / peer_data['phase_rate']:.1f}× |" if tap150 else "– |"),
        ]
        if tap150:
            lines.append(
                f"| tap JSON (same simulator) | {tap150['records']:,.0f} | "
                f"{tap150['phase_rate']:,.0f} | {tap150['rss_mib']:.0f} | {tap150['wait_s']:.1f} | "
                f"{tap150['wall_s']:.0f} | – | 1× |"
            )
    eco = results.get("economy")
    if eco:
        lines += [
            "",
            f"### API economy: one entities + delivery sync of {eco['dataset']['accounts']} "
            "accounts",
            "",
            "| Requests | Actual | Minimum |",
            "|---|---:|---:|",
        ]
        for key in sorted(set(eco["actual"]) | set(eco["minimum"])):
            lines.append(f"| {key} | {eco['actual'].get(key, 0)} | {eco['minimum'].get(key, 0)} |")
        lines.append(
            f"| **total** | **{eco['total_actual']}** | **{eco['total_minimum']}** "
            f"(ratio {eco['ratio']:.2f}×; without polls {eco['ratio_without_polls']:.2f}×; "
            f"{eco['polls_per_report']:.1f} polls per report) |"
        )
    conc = results.get("concurrency")
    if conc:
        lines += [
            "",
            f"### Concurrency: {conc['dataset']['accounts']} accounts, each report takes L s",
            "",
            "| L (s), tap | Delivery sync (s, first create → exit) | ÷ L | Process wall (s) | "
            "Polls per report | Creates spread (s) |",
            "|---:|---:|---:|---:|---:|---:|",
        ]
        for delay, data in conc.items():
            if not isinstance(data, dict) or "delivery_s" not in data:
                continue
            lines.append(
                f"| {delay} | {data['delivery_s']:.1f} | {data['ratio']:.2f}× | "
                f"{data['wall_s']:.1f} | {data['polls_per_report']:.1f} | "
                f"{data['creates_span_s']:.2f} |"
            )
    loading = results.get("load")
    if loading:
        lines += ["", "### Loading into PostgreSQL (150k rows, one run each)", ""]
        if "skipped" in loading:
            lines.append(f"Skipped: {loading['skipped']}")
        else:
            lines += [
                f"`{loading['command']}`",
                "",
                "| target-postgres 0.8.1 config | Rows | Wall (s) | Rows/s (wall) | "
                "Rows/s from download |",
                "|---|---:|---:|---:|---:|",
            ]
            for label, data in loading.items():
                if isinstance(data, dict):
                    lines.append(
                        f"| {label} | {data['rows']:,} | {data['wall_s']:.1f} | "
                        f"{data['rows_per_s_wall']:,.0f} | "
                        f"{data['rows_per_s_from_download']:,.0f} |"
                    )
    prof = results.get("profile")
    if prof:
        lines += [
            "",
            "### Profile of the 150k JSON sync (cProfile; record path "
            f"{prof['record_path_s']:.1f} s profiled, waits excluded)",
            "",
            "| # | Function (own time) | Calls | Own s | Share |",
            "|---:|---|---:|---:|---:|",
        ]
        for index, entry in enumerate(prof["top"], 1):
            lines.append(
                f"| {index} | `{entry['function']}` | {entry['ncalls']:,} | "
                f"{entry['tottime_s']:.2f} | {entry['share']:.0%} |"
            )
        lines += ["", "| Stage (cumulative) | s | Share |", "|---|---:|---:|"]
        for stage in prof["stages"]:
            lines.append(f"| {stage['stage']} | {stage['cum_s']:.2f} | {stage['share']:.0%} |")
    mic = results.get("micro")
    if mic:
        lines += [
            "",
            "### Micro: the tap's own stages, µs per row (best of 3, in-process)",
            "",
            "| Format | Rows | parse.py | records.py build |",
            "|---|---:|---:|---:|",
        ]
        for fmt, data in mic.items():
            lines.append(
                f"| {fmt} | {data['rows']:,} | {data['parse_us']:.1f} | {data['build_us']:.1f} |"
            )
    return "\n".join(lines) + "\n"


def main() -> int:
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks.bench",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--quick", action="store_true", help="150k rows only (no 1.5M run)")
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
        choices=("throughput", "economy", "concurrency"),
        help="run only these sections (throughput includes peer, profile, micro, load)",
    )
    parser.add_argument(
        "--parse-before",
        default="b74a3f8",
        help="git revision whose reports/parse.py gives the 'before' rows ('' to skip)",
    )
    for name in ("peer", "load", "profile", "variants"):
        parser.add_argument(f"--skip-{name}", action="store_true")
    args = parser.parse_args()
    # SIGTERM stops the simulators and PostgreSQL like Ctrl-C does (context managers exit).
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    sections = set(args.only or ("throughput", "economy", "concurrency"))

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
                if args.quick and name != "150k":
                    continue
                throughput(name, spec, args, workdir, results)
                write_json(out_dir / "results.json", results)
        if "economy" in sections:
            with timed("API economy"):
                results["economy"] = economy(args, workdir)
        if "concurrency" in sections:
            with timed("concurrency"):
                results["concurrency"] = concurrency(args, workdir)
    finally:
        write_json(out_dir / "results.json", results)
        table = markdown(results)
        (out_dir / "results.md").write_text(table, encoding="utf-8")
        for path in workdir.glob("*/reports"):
            shutil.rmtree(path, ignore_errors=True)
    print(table)
    log(f"results in {out_dir.relative_to(REPO)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
