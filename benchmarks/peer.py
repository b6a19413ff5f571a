"""The peer: airbyte-source-pinterest 2.1.12 in its own venv (.venv-peer), run through
peer_wrapper.py against the same simulator and report as the tap's 150k run."""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import shutil
import subprocess
from pathlib import Path
from typing import Any

from benchmarks.harness import (
    FAKE_CLIENT_ID,
    FAKE_CLIENT_SECRET,
    FAKE_REFRESH_TOKEN,
    REPO,
    run_measured,
    write_json,
)
from benchmarks.simulator_process import SimulatorProcess, first_time
from benchmarks.tap_runs import check_rows, repeat

PEER_VENV = REPO / ".venv-peer"
PEER_PACKAGE = "airbyte-source-pinterest==2.1.12"
PEER_STREAM = "pin_promotion_report"


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
