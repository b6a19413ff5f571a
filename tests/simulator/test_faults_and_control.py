"""The simulator's faults, its control endpoints and its command line."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
import requests

from tests.simulator.calls import (
    create_report,
    finished_report,
    poll,
    refresh,
)


# ----------------------------------------------------------------------------- faults
def test_http_error_drop_and_delay_faults(sim, auth):
    url = f"{sim.base_url}/ad_accounts"
    fault = sim.faults.http_error(r"/ad_accounts$", 429, headers={"Retry-After": "1"}, times=2)
    got = [requests.get(url, headers=auth, timeout=5) for _ in range(3)]
    assert [r.status_code for r in got] == [429, 429, 200]
    assert got[0].headers["Retry-After"] == "1"
    assert got[0].json()["code"] == 8
    assert fault.fired == 2
    assert fault.remaining == 0
    sim.faults.http_error(
        r"/reports$", 400, body={"code": 1, "message": "Retry after 1 seconds"}, method="POST"
    )
    account = sim.dataset.account_ids[0]
    assert create_report(sim, auth, account).json()["message"] == "Retry after 1 seconds"
    assert create_report(sim, auth, account).status_code == 200
    sim.faults.drop_connection(r"/ad_accounts$", times=1)
    with pytest.raises(requests.exceptions.ConnectionError):
        requests.get(url, headers=auth, timeout=5)
    assert requests.get(url, headers=auth, timeout=5).status_code == 200
    sim.faults.delay(r"/ad_accounts$", seconds=0.6, times=1)
    with pytest.raises(requests.exceptions.Timeout):
        requests.get(url, headers=auth, timeout=0.2)
    assert requests.get(url, headers=auth, timeout=5).status_code == 200
    always = sim.faults.http_error(r"/user_account$", 503, times=None)
    assert [
        requests.get(f"{sim.base_url}/user_account", headers=auth, timeout=5).status_code
        for _ in range(3)
    ] == [503, 503, 503]
    assert always.fired == 3
    sim.faults.clear()
    assert requests.get(f"{sim.base_url}/user_account", headers=auth, timeout=5).status_code == 200


def test_report_and_download_faults(sim, auth):
    account = sim.dataset.account_ids[2]
    done = finished_report(sim, auth, account)
    sim.faults.report_status("FAILED", times=2)
    statuses = [poll(sim, auth, account, done["token"])["report_status"] for _ in range(3)]
    assert statuses == ["FAILED", "FAILED", "FINISHED"]
    url = poll(sim, auth, account, done["token"])["url"]
    good = requests.get(url, timeout=5).content
    sim.faults.expire_download(times=1)
    assert requests.get(url, timeout=5).status_code == 403
    sim.faults.truncate_download(times=1, fraction=0.5)
    with pytest.raises(requests.exceptions.RequestException):
        requests.get(url, timeout=5)
    sim.faults.corrupt_download(times=1)
    corrupt = requests.get(url, timeout=5)
    assert len(corrupt.content) == len(good)
    assert corrupt.content != good
    with pytest.raises(UnicodeDecodeError):
        json.loads(corrupt.content)
    assert requests.get(url, timeout=5).content == good


def test_token_and_account_faults(sim, auth):
    url = f"{sim.base_url}/ad_accounts"
    assert requests.get(url, headers=auth, timeout=5).status_code == 200
    sim.faults.revoke_access_token()
    assert requests.get(url, headers=auth, timeout=5).status_code == 401
    new = refresh(sim, sim.current_refresh_token).json()["access_token"]
    headers = {"Authorization": f"Bearer {new}"}
    account = sim.dataset.account_ids[0]
    sim.faults.forbidden_accounts.add(account)
    forbidden = requests.get(f"{url}/{account}/campaigns", headers=headers, timeout=5)
    assert forbidden.status_code == 403
    assert forbidden.json()["code"] == 29
    sim.faults.revoke_refresh_tokens()
    assert refresh(sim, sim.current_refresh_token).status_code == 400


def test_control_endpoints(sim, auth):
    root = sim.base_url.removesuffix("/v5")
    spec = {
        "kind": "http_error",
        "path": "/campaigns$",
        "status": 429,
        "times": 1,
        "body": {
            "code": 2726,
            "message": "Reporting query cost limit exceeded. Retry after 1 seconds",
        },
        "headers": {"X-RateLimit-Reset": "2"},
    }
    assert requests.post(f"{root}/_sim/faults", json=spec, timeout=5).status_code == 200
    account = sim.dataset.account_ids[0]
    url = f"{sim.base_url}/ad_accounts/{account}/campaigns"
    first = requests.get(url, headers=auth, timeout=5)
    assert first.status_code == 429
    assert first.headers["X-RateLimit-Reset"] == "2"
    assert requests.get(url, headers=auth, timeout=5).status_code == 200
    campaign = sim.dataset.campaigns(account)[0]["id"]
    requests.post(f"{root}/_sim/remove", json={"kind": "campaign", "id": campaign}, timeout=5)
    assert sim.dataset.is_removed("campaign", campaign)
    log = requests.get(f"{root}/_sim/requests", timeout=5).json()
    assert log
    assert all(r["headers"].get("Authorization") in (None, "present") for r in log)
    assert not any(r["path"].startswith("/_sim") for r in log)
    requests.post(
        f"{root}/_sim/faults", json={"kind": "forbidden_accounts", "ids": [account]}, timeout=5
    )
    assert requests.get(url, headers=auth, timeout=5).status_code == 403
    assert requests.delete(f"{root}/_sim/faults", timeout=5).json()["forbidden_accounts"] == []
    assert requests.get(url, headers=auth, timeout=5).status_code == 200


def test_cli_prints_url_and_stops_on_sigterm(tmp_path):
    ready = tmp_path / "url.txt"
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "pinterest_simulator",
            "--port",
            "0",
            "--accounts",
            "1",
            "--days",
            "10",
            "--ready-file",
            str(ready),
        ],
        cwd=Path(__file__).resolve().parents[2],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        line = proc.stdout.readline().strip()
        assert line.startswith("SIMULATOR_URL=http://127.0.0.1:")
        url = line.split("=", 1)[1]
        assert ready.read_text().strip() == url
        health = requests.get(url.removesuffix("/v5") + "/_sim/health", timeout=5).json()
        assert health["ok"]
        assert health["dataset"]["accounts"] == 1
    finally:
        proc.terminate()
        assert proc.wait(timeout=10) == 0
        proc.stdout.close()
