"""The simulator as the benchmarks run it: its CLI (`python -m pinterest_simulator`) as a child
process sized by a `DatasetSpec`, a tiny urllib client of the simulated API, and helpers that
read its request log."""

from __future__ import annotations

import base64
import datetime as dt
import json
import shutil
import signal
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from benchmarks.harness import FAKE_CLIENT_ID, FAKE_CLIENT_SECRET, FAKE_REFRESH_TOKEN, REPO


@dataclass(frozen=True)
class DatasetSpec:
    """The simulator's Dataset arguments; a PIN_PROMOTION DAY report has ≈ ads × days × 0.9 rows."""

    accounts: int = 1
    campaigns: int = 1
    ad_groups: int = 1
    ads: int = 1
    days: int = 30

    @property
    def ads_per_account(self) -> int:
        return self.campaigns * self.ad_groups * self.ads

    def cli_args(self) -> list[str]:
        return [
            "--accounts", str(self.accounts),
            "--campaigns-per-account", str(self.campaigns),
            "--ad-groups-per-campaign", str(self.ad_groups),
            "--ads-per-ad-group", str(self.ads),
            "--days", str(self.days),
        ]  # fmt: skip

    def first_day(self, today: dt.date) -> dt.date:
        return today - dt.timedelta(days=self.days - 1)


class SimulatorProcess:
    """`python -m pinterest_simulator` in the background (its CLI, as the brief asks)."""

    def __init__(
        self,
        spec: DatasetSpec,
        workdir: Path,
        *,
        today: dt.date,
        report_delay: float = 0.0,
        name: str = "sim",
        extra_args: tuple[str, ...] = (),
    ) -> None:
        self.extra_args = extra_args
        self.spec = spec
        self.today = today
        self.report_delay = report_delay
        self.dir = workdir / name
        self.base_url = ""
        self.root = ""
        self._proc: subprocess.Popen | None = None

    def __enter__(self) -> SimulatorProcess:
        shutil.rmtree(self.dir, ignore_errors=True)
        (self.dir / "reports").mkdir(parents=True)
        ready = self.dir / "url"
        argv = [
            sys.executable, "-m", "pinterest_simulator", "--port", "0", *self.spec.cli_args(),
            "--today", self.today.isoformat(), "--report-delay", str(self.report_delay),
            "--report-dir", str(self.dir / "reports"), "--ready-file", str(ready),
            *self.extra_args,
        ]  # fmt: skip
        with (self.dir / "simulator.log").open("wb") as out:
            self._proc = subprocess.Popen(argv, cwd=REPO, stdout=out, stderr=subprocess.STDOUT)  # noqa: S603
        deadline = time.monotonic() + 60
        while not ready.exists():
            if self._proc.poll() is not None or time.monotonic() > deadline:
                self.__exit__()
                raise RuntimeError(f"simulator did not start; see {self.dir / 'simulator.log'}")
            time.sleep(0.05)
        self.base_url = ready.read_text(encoding="utf-8").strip()
        self.root = self.base_url.removesuffix("/v5")
        return self

    def __exit__(self, *_exc: object) -> None:
        if self._proc is not None and self._proc.poll() is None:
            self._proc.send_signal(signal.SIGTERM)
            try:
                self._proc.wait(30)
            except subprocess.TimeoutExpired:
                self._proc.kill()
                self._proc.wait()
        shutil.rmtree(self.dir / "reports", ignore_errors=True)

    # Control endpoints ------------------------------------------------------------------

    def control(self, method: str, path: str) -> Any:
        request = urllib.request.Request(f"{self.root}/_sim/{path}", method=method)  # noqa: S310
        with urllib.request.urlopen(request, timeout=60) as response:  # noqa: S310 - local
            return json.loads(response.read() or b"null")

    def requests(self) -> list[dict]:
        return self.control("GET", "requests")

    def clear_requests(self) -> None:
        self.control("DELETE", "requests")

    def reports(self) -> list[dict]:
        return self.control("GET", "reports")

    # The API, as a client would call it ------------------------------------------------------

    def token(self) -> str:
        basic = base64.b64encode(f"{FAKE_CLIENT_ID}:{FAKE_CLIENT_SECRET}".encode()).decode()
        body = urllib.parse.urlencode(
            {"grant_type": "refresh_token", "refresh_token": FAKE_REFRESH_TOKEN}
        ).encode()
        request = urllib.request.Request(  # noqa: S310 - local simulator
            f"{self.base_url}/oauth/token",
            data=body,
            headers={
                "Authorization": f"Basic {basic}",
                "Content-Type": "application/x-www-form-urlencoded",
            },
        )
        with urllib.request.urlopen(request, timeout=60) as response:  # noqa: S310
            return json.loads(response.read())["access_token"]

    def api(self, method: str, path: str, token: str, body: dict | None = None) -> Any:
        data = json.dumps(body).encode() if body is not None else None
        headers = {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}
        request = urllib.request.Request(  # noqa: S310 - local simulator
            f"{self.base_url}{path}", data=data, headers=headers, method=method
        )
        with urllib.request.urlopen(request, timeout=60) as response:  # noqa: S310
            return json.loads(response.read())

    def account_ids(self) -> list[str]:
        token = self.token()
        return [a["id"] for a in self.api("GET", "/ad_accounts?page_size=250", token)["items"]]

    def report_url(self, account_id: str, body: dict, timeout: float = 600) -> str:
        """Create a report with `body`, poll every 0.2 s, return its download URL."""
        token = self.token()
        path = f"/ad_accounts/{account_id}/reports"
        created = self.api("POST", path, token, body)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            status = self.api("GET", f"{path}?token={created['token']}", token)
            if status["report_status"] == "FINISHED":
                return status["url"]
            time.sleep(0.2)
        raise RuntimeError(f"report not finished after {timeout} s")


# Its request log ----------------------------------------------------------------------------


def first_time(requests: list[dict], method: str, path_prefix: str) -> float | None:
    times = [
        r["time"] for r in requests if r["method"] == method and r["path"].startswith(path_prefix)
    ]
    return min(times) if times else None


def classify_request(request: dict) -> str:  # noqa: PLR0911 - one return per request class
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
