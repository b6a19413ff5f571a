"""Offline demo: the local Pinterest API simulator -> both Meltano jobs -> a DuckDB file.

Run it with `make demo` (which first builds the dev venv, .venv-meltano and the plugins).
What it does:

1. starts the simulator (`python -m tests.simulator`, background, ready-file);
2. points the tap at it through environment variables only (TAP_PINTEREST_ADS_API_URL and the
   simulator's obviously fake credentials), exactly as a deployment would set real ones;
3. runs the connector spec's two jobs into the embedded DuckDB sink in one `meltano run`:
   `tap-pinterest-ads--meta target-duckdb tap-pinterest-ads--delivery target-duckdb`;
4. prints the tables, their row counts and the spend by campaign name, then stops the simulator.

Everything it writes is under output/demo/ (DuckDB file, Meltano system database with the
state, token store, logs) and is wiped at the start, so every demo starts from nothing and the
project's own .meltano/meltano.db state is left alone.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
MELTANO = REPO / ".venv-meltano" / "bin" / "meltano"
PLUGINS = REPO / ".meltano"
TAP = PLUGINS / "extractors" / "tap-pinterest-ads" / "venv" / "bin" / "tap-pinterest-ads"
DUCKDB_PYTHON = PLUGINS / "loaders" / "target-duckdb" / "venv" / "bin" / "python"
OUT = REPO / "output" / "demo"
DELIVERY_STREAM = "pin_promotion_delivery"

# The simulator's defaults; fake values, never real secrets.
FAKE_CREDENTIALS = {
    "TAP_PINTEREST_ADS_CLIENT_ID": "fake-client-id",
    "TAP_PINTEREST_ADS_CLIENT_SECRET": "fake-client-secret",
    "TAP_PINTEREST_ADS_REFRESH_TOKEN": "fake-refresh-0",
}
DAYS = 30  # delivery history the demo extracts

# Runs inside target-duckdb's own venv (the dev venv has no duckdb).
_REPORT_SQL = r"""
import json, sys
import duckdb
con = duckdb.connect(sys.argv[1], read_only=True)
tables = [r[0] for r in con.execute(
    "SELECT table_name FROM information_schema.tables WHERE table_schema = 'pinterest' "
    "ORDER BY table_name").fetchall()]
counts = {t: con.execute(f'SELECT count(*) FROM pinterest."{t}"').fetchall()[0][0]
          for t in tables}
spend = []
if {"pinterest_data_delivery", "pinterest_meta_campaign"} <= set(tables):
    spend = con.execute('''
        SELECT coalesce(c.name, '(unknown campaign ' || d.campaign_id || ')') AS campaign,
               d.currency, count(*) AS days, sum(d.spend) AS spend,
               sum(d.paid_impressions) AS impressions, sum(d.paid_clicks) AS clicks
        FROM pinterest.pinterest_data_delivery AS d
        LEFT JOIN pinterest.pinterest_meta_campaign AS c ON c.id = d.campaign_id
        GROUP BY 1, 2 ORDER BY 4 DESC''').fetchall()
print(json.dumps({"counts": counts, "spend": spend,
                  "duckdb": duckdb.__version__}, default=str))
"""


def log(message: str) -> None:
    print(f"[demo] {message}", flush=True)


def start_simulator(ready_file: Path, today: dt.date) -> subprocess.Popen:
    """The simulator CLI in the background; returns once it serves (its URL in ready_file)."""
    argv = [
        sys.executable, "-m", "tests.simulator", "--port", "0", "--accounts", "2",
        "--campaigns-per-account", "3", "--ad-groups-per-campaign", "2", "--ads-per-ad-group",
        "3", "--days", str(DAYS + 10), "--today", today.isoformat(), "--report-delay", "0.5",
        "--ready-file", str(ready_file),
    ]  # fmt: skip
    proc = subprocess.Popen(  # noqa: S603 - fixed argv
        argv, cwd=REPO, stdout=subprocess.DEVNULL, stderr=(OUT / "simulator.log").open("w")
    )
    deadline = time.monotonic() + 30
    while not ready_file.exists():
        if proc.poll() is not None or time.monotonic() > deadline:
            stop_simulator(proc)
            sys.exit(f"the simulator did not start; see {OUT / 'simulator.log'}")
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


def meltano_env(api_url: str, start_date: dt.date) -> dict[str, str]:
    """Everything the run needs, as environment variables (nothing is written to meltano.yml)."""
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("TAP_PINTEREST_ADS", "TARGET_DUCKDB_", "MELTANO_"))
    }
    env.update(
        MELTANO_SEND_ANONYMOUS_USAGE_STATS="false",
        MELTANO_CLI_DISABLE_VERSION_CHECK="true",
        MELTANO_ENVIRONMENT="dev",
        # A throwaway system database: the demo's state never mixes with the project's.
        MELTANO_DATABASE_URI=f"sqlite:///{OUT / 'meltano.db'}",
        TAP_PINTEREST_ADS_API_URL=api_url,
        TAP_PINTEREST_ADS_START_DATE=start_date.isoformat(),
        TAP_PINTEREST_ADS_TOKEN_STORE_PATH=str(OUT / "token-store.json"),
        TARGET_DUCKDB_FILEPATH=str(OUT / "warehouse.duckdb"),
        **FAKE_CREDENTIALS,
    )
    return env


def delivery_stream_available(env: dict[str, str]) -> bool:
    """Is the delivery stream in the tap's catalog (it is being built alongside this demo)?"""
    with tempfile.NamedTemporaryFile("w", suffix=".json", dir=OUT, delete=False) as cfg:
        json.dump({"access_token": "fake-access-token"}, cfg)
    try:
        result = subprocess.run(  # noqa: S603 - fixed argv
            [str(TAP), "--discover", "--config", cfg.name],
            capture_output=True,
            text=True,
            check=True,
            env=env,
        )
    finally:
        Path(cfg.name).unlink()
    streams = {s["tap_stream_id"] for s in json.loads(result.stdout)["streams"]}
    return DELIVERY_STREAM in streams


def run_meltano(blocks: list[str], env: dict[str, str]) -> None:
    log_path = OUT / "meltano-run.log"
    log(f"meltano run {' '.join(blocks)}")
    started = time.monotonic()
    with log_path.open("w") as out:
        rc = subprocess.call(  # noqa: S603 - fixed argv
            [str(MELTANO), "--env-file", str(OUT / ".env"), "run", *blocks],
            cwd=REPO,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    lines = log_path.read_text(encoding="utf-8", errors="replace").splitlines()
    if rc != 0:
        print("\n".join(lines[-40:]), file=sys.stderr)
        sys.exit(f"meltano run failed (exit {rc}); full log: {log_path}")
    for line in lines:
        if "Loading" in line and "rows into" in line:
            print("   ", line.split("]", 1)[-1].strip())
    log(f"meltano run finished in {time.monotonic() - started:.1f} s (log: {log_path})")


def served_report_rows(api_url: str) -> int:
    """Rows in the reports the simulator rendered (its control endpoint, not the Pinterest API)."""
    root = api_url.rsplit("/v5", 1)[0]
    with urllib.request.urlopen(f"{root}/_sim/reports", timeout=10) as response:  # noqa: S310
        return sum(job["rows"] or 0 for job in json.load(response))


def show_results(served_rows: int | None) -> None:
    result = subprocess.run(  # noqa: S603 - fixed argv
        [str(DUCKDB_PYTHON), "-c", _REPORT_SQL, str(OUT / "warehouse.duckdb")],
        capture_output=True,
        text=True,
        check=True,
    )
    data = json.loads(result.stdout)
    where = f"output/demo/warehouse.duckdb (duckdb {data['duckdb']})"
    print(f"\nDuckDB file {where}, schema pinterest:")
    for table, count in data["counts"].items():
        note = ""
        if table == "pinterest_data_delivery" and served_rows is not None:
            verdict = "all of them" if count == served_rows else "ROWS MISSING"
            note = f"   (the simulator's reports held {served_rows}: {verdict})"
        print(f"  {table:<32} {count:>6} rows{note}")
    if data["spend"]:
        print("\nSpend by campaign (pinterest_data_delivery LEFT JOIN pinterest_meta_campaign):")
        header = ("campaign", "currency", "rows", "spend", "impr.", "clicks")
        print("  {:<28} {:<8} {:>5} {:>12} {:>9} {:>7}".format(*header))
        for name, currency, days, spend, impressions, clicks in data["spend"]:
            print(
                f"  {name:<28} {currency or '':<8} {days:>5} {float(spend):>12,.2f}"
                f" {impressions:>9,} {clicks:>7,}"
            )


def main() -> int:
    for path in (MELTANO, TAP, DUCKDB_PYTHON):
        if not path.exists():
            sys.exit(f"{path} is missing: run `make meltano-setup` (or `make demo`) first")
    shutil.rmtree(OUT, ignore_errors=True)
    OUT.mkdir(parents=True)
    (OUT / ".env").write_text("")  # keep a developer's own .env out of the demo
    began = time.monotonic()
    today = dt.datetime.now(dt.timezone.utc).date()
    start_date = today - dt.timedelta(days=DAYS - 1)

    proc = start_simulator(OUT / "simulator.url", today)
    try:
        api_url = (OUT / "simulator.url").read_text().strip()
        log(f"simulator serving at {api_url} (fake credentials, {DAYS} days of delivery)")
        env = meltano_env(api_url, start_date)
        blocks = ["tap-pinterest-ads--meta", "target-duckdb"]
        served_rows = None
        if delivery_stream_available(env):
            blocks += ["tap-pinterest-ads--delivery", "target-duckdb"]
        else:
            log(
                f"NOTE: the tap has no '{DELIVERY_STREAM}' stream yet (not in --discover): "
                "running the Meta Refresh job only"
            )
        run_meltano(blocks, env)
        if len(blocks) > 2:
            served_rows = served_report_rows(api_url)
    finally:
        stop_simulator(proc)
        log("simulator stopped")
    show_results(served_rows)
    print(f"\n[demo] done in {time.monotonic() - began:.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
