"""Offline demo: the local Pinterest API simulator -> both Meltano jobs -> a DuckDB file -> dbt.

Run it with `make demo` (which first builds the dev venv, .venv-meltano and the plugins).
What it does:

1. starts the simulator (`python -m pinterest_simulator`, background, ready-file);
2. points the tap at it through environment variables only (TAP_PINTEREST_ADS_API_URL and the
   simulator's obviously fake credentials), exactly as a deployment would set real ones;
3. runs the connector spec's two jobs into the embedded DuckDB sink, then the dbt project
   (transform/) on the same file, in one `meltano run`:
   `tap-pinterest-ads--meta target-duckdb tap-pinterest-ads--delivery target-duckdb
   dbt-duckdb:build`;
4. prints the loaded tables with their row counts and the cross-channel model
   `ad_reporting__daily` built by dbt, then stops the simulator.

Everything it writes is under output/demo/ (or `--out DIR`): DuckDB file, Meltano system
database with the state, token store, dbt's target/ and logs. It is wiped at the start, so
every demo starts from nothing and the project's own .meltano/meltano.db state is left alone.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import shutil
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
MELTANO = REPO / ".venv-meltano" / "bin" / "meltano"
PLUGINS = REPO / ".meltano"
TAP = PLUGINS / "extractors" / "tap-pinterest-ads" / "venv" / "bin" / "tap-pinterest-ads"
DBT = PLUGINS / "transformers" / "dbt-duckdb" / "venv" / "bin" / "dbt"
# duckdb 1.2.2 like target-duckdb's (the dev venv has no duckdb).
DUCKDB_PYTHON = PLUGINS / "transformers" / "dbt-duckdb" / "venv" / "bin" / "python"
DEFAULT_OUT = REPO / "output" / "demo"
BLOCKS = [
    "tap-pinterest-ads--meta", "target-duckdb",
    "tap-pinterest-ads--delivery", "target-duckdb",
    "dbt-duckdb:build",
]  # fmt: skip

# The simulator's defaults; fake values, never real secrets.
FAKE_CREDENTIALS = {
    "TAP_PINTEREST_ADS_CLIENT_ID": "fake-client-id",
    "TAP_PINTEREST_ADS_CLIENT_SECRET": "fake-client-secret",
    "TAP_PINTEREST_ADS_REFRESH_TOKEN": "fake-refresh-0",
}
DAYS = 30  # delivery history the demo extracts
# The simulator's dataset (seed 1, its CLI default); tests rebuild it from these.
SIMULATED = {"accounts": 2, "campaigns_per_account": 3, "ad_groups_per_campaign": 2,
             "ads_per_ad_group": 3, "days": DAYS + 10}  # fmt: skip

_REPORT_SQL = r"""
import json, sys
import duckdb
con = duckdb.connect(sys.argv[1], read_only=True)
tables = [r[0] for r in con.execute(
    "SELECT table_name FROM information_schema.tables WHERE table_schema = 'pinterest' "
    "ORDER BY table_name").fetchall()]
counts = {t: con.execute(f'SELECT count(*) FROM pinterest."{t}"').fetchall()[0][0]
          for t in tables}
cross = con.execute('''
    SELECT platform, account_id, campaign_name, currency, count(DISTINCT ad_id) AS ads,
           count(DISTINCT date_day) AS days, sum(spend) AS spend, sum(impressions) AS impressions,
           sum(clicks) AS clicks, sum(conversions) AS conversions,
           sum(conversion_value) AS conversion_value
    FROM pinterest_reporting.ad_reporting__daily
    GROUP BY ALL ORDER BY spend DESC''').fetchall()
rows = con.execute("SELECT count(*) FROM pinterest_reporting.ad_reporting__daily").fetchall()
print(json.dumps({"counts": counts, "cross": cross, "rows": rows[0][0],
                  "duckdb": duckdb.__version__}, default=str))
"""


def log(message: str) -> None:
    print(f"[demo] {message}", flush=True)


def start_simulator(out: Path, today: dt.date) -> subprocess.Popen:
    """The simulator CLI in the background; returns once it serves (its URL in a ready file)."""
    ready_file = out / "simulator.url"
    argv = [
        sys.executable, "-m", "pinterest_simulator", "--port", "0",
        "--accounts", str(SIMULATED["accounts"]),
        "--campaigns-per-account", str(SIMULATED["campaigns_per_account"]),
        "--ad-groups-per-campaign", str(SIMULATED["ad_groups_per_campaign"]),
        "--ads-per-ad-group", str(SIMULATED["ads_per_ad_group"]),
        "--days", str(SIMULATED["days"]), "--today", today.isoformat(), "--report-delay", "0.5",
        "--ready-file", str(ready_file),
    ]  # fmt: skip
    proc = subprocess.Popen(  # noqa: S603 - fixed argv
        argv, cwd=REPO, stdout=subprocess.DEVNULL, stderr=(out / "simulator.log").open("w")
    )
    deadline = time.monotonic() + 30
    while not ready_file.exists():
        if proc.poll() is not None or time.monotonic() > deadline:
            stop_simulator(proc)
            sys.exit(f"the simulator did not start; see {out / 'simulator.log'}")
        time.sleep(0.05)
    return proc


def stop_simulator(proc: subprocess.Popen) -> None:
    if proc.poll() is None:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def meltano_env(out: Path, api_url: str, start_date: dt.date) -> dict[str, str]:
    """Everything the run needs, as environment variables (nothing is written to meltano.yml)."""
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("TAP_PINTEREST_ADS", "TARGET_DUCKDB_", "MELTANO_", "DBT_"))
    }
    env.update(
        MELTANO_SEND_ANONYMOUS_USAGE_STATS="false",
        MELTANO_CLI_DISABLE_VERSION_CHECK="true",
        MELTANO_ENVIRONMENT="dev",
        # A throwaway system database: the demo's state never mixes with the project's.
        MELTANO_DATABASE_URI=f"sqlite:///{out / 'meltano.db'}",
        TAP_PINTEREST_ADS_API_URL=api_url,
        TAP_PINTEREST_ADS_START_DATE=start_date.isoformat(),
        TAP_PINTEREST_ADS_TOKEN_STORE_PATH=str(out / "token-store.json"),
        TARGET_DUCKDB_FILEPATH=str(out / "warehouse.duckdb"),
        DBT_DUCKDB_PATH=str(out / "warehouse.duckdb"),  # dbt builds on the file just loaded
        DBT_TARGET_PATH=str(out / "dbt-target"),
        DBT_LOG_PATH=str(out / "dbt-logs"),
        **FAKE_CREDENTIALS,
    )
    return env


def run_meltano(out: Path, env: dict[str, str]) -> None:
    log_path = out / "meltano-run.log"
    log(f"meltano run {' '.join(BLOCKS)}")
    started = time.monotonic()
    with log_path.open("w") as log_file:
        rc = subprocess.call(  # noqa: S603 - fixed argv
            [str(MELTANO), "--env-file", str(out / ".env"), "run", *BLOCKS],
            cwd=REPO,
            env=env,
            stdout=log_file,
            stderr=subprocess.STDOUT,
        )
    lines = log_path.read_text(encoding="utf-8", errors="replace").splitlines()
    if rc != 0:
        print("\n".join(lines[-40:]), file=sys.stderr)
        sys.exit(f"meltano run failed (exit {rc}); full log: {log_path}")
    for line in lines:
        if ("Loading" in line and "rows into" in line) or "Done. PASS=" in line:
            print("   ", line.split("]", 1)[-1].strip())
    log(f"meltano run finished in {time.monotonic() - started:.1f} s (log: {log_path})")


def served_report_rows(api_url: str) -> int:
    """Rows in the reports the simulator rendered (its control endpoint, not the Pinterest API)."""
    root = api_url.rsplit("/v5", 1)[0]
    with urllib.request.urlopen(f"{root}/_sim/reports", timeout=10) as response:  # noqa: S310
        return sum(job["rows"] or 0 for job in json.load(response))


def show_results(out: Path, served_rows: int) -> None:
    result = subprocess.run(  # noqa: S603 - fixed argv
        [str(DUCKDB_PYTHON), "-c", _REPORT_SQL, str(out / "warehouse.duckdb")],
        capture_output=True,
        text=True,
        check=True,
    )
    data = json.loads(result.stdout)
    where = f"{out / 'warehouse.duckdb'} (duckdb {data['duckdb']})"
    print(f"\nDuckDB file {where}, schema pinterest:")
    for table, count in data["counts"].items():
        note = ""
        if table == "pinterest_data_delivery":
            verdict = "all of them" if count == served_rows else "ROWS MISSING"
            note = f"   (the simulator's reports held {served_rows}: {verdict})"
        print(f"  {table:<32} {count:>6} rows{note}")
    print(
        f"\nCross-channel model pinterest_reporting.ad_reporting__daily (dbt): {data['rows']} rows"
        " (day x ad), summed by campaign:"
    )
    header = ("platform", "account", "campaign", "cur.", "ads", "days", "spend", "impr.",
              "clicks", "conv.", "conv. value")  # fmt: skip
    line = "  {:<9} {:<13} {:<22} {:<4} {:>3} {:>4} {:>10} {:>9} {:>6} {:>5} {:>11}"
    print(line.format(*header))
    for platform, account, campaign, currency, ads, days, *metrics in data["cross"]:
        spend, impressions, clicks, conversions, value = metrics
        print(
            line.format(
                platform,
                account,
                (campaign or "")[:22],
                currency,
                ads,
                days,
                f"{float(spend):,.2f}",
                f"{impressions:,}",
                f"{clicks:,}",
                f"{conversions:,}",
                f"{float(value):,.2f}",
            )
        )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help="output directory")
    out = parser.parse_args(argv).out.resolve()
    for path in (MELTANO, TAP, DBT, DUCKDB_PYTHON):
        if not path.exists():
            sys.exit(f"{path} is missing: run `make meltano-setup` (or `make demo`) first")
    shutil.rmtree(out, ignore_errors=True)
    out.mkdir(parents=True)
    (out / ".env").write_text("")  # keep a developer's own .env out of the demo
    began = time.monotonic()
    today = dt.datetime.now(dt.timezone.utc).date()
    start_date = today - dt.timedelta(days=DAYS - 1)
    (out / "demo.json").write_text(
        json.dumps({"today": today.isoformat(), "start_date": start_date.isoformat()})
    )

    proc = start_simulator(out, today)
    try:
        api_url = (out / "simulator.url").read_text().strip()
        log(f"simulator serving at {api_url} (fake credentials, {DAYS} days of delivery)")
        run_meltano(out, meltano_env(out, api_url, start_date))
        served_rows = served_report_rows(api_url)
    finally:
        stop_simulator(proc)
        log("simulator stopped")
    show_results(out, served_rows)
    print(f"\n[demo] done in {time.monotonic() - began:.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
