"""Shared benchmark machinery: the simulator CLI as a child process, measured child processes
(wall time, peak RSS, timestamped log marks), a tiny urllib client of the simulated API, and
tap config/catalog files. Standard library only (plus the repo itself)."""

from __future__ import annotations

import base64
import contextlib
import datetime as dt
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import threading
import time
import urllib.parse
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
VENV_BIN = REPO / ".venv" / "bin"
TAP = VENV_BIN / "tap-pinterest-ads"
# The simulator's defaults: fake values, never real secrets.
FAKE_CLIENT_ID = "fake-client-id"
FAKE_CLIENT_SECRET = "fake-client-secret"  # noqa: S105 - the simulator's fake default
FAKE_REFRESH_TOKEN = "fake-refresh-0"  # noqa: S105 - the simulator's fake default
DELIVERY_STREAM = "pin_promotion_delivery"

_RECORD_COUNT = re.compile(
    r'"metric":\s*"record_count",\s*"value":\s*(\d+),\s*"tags":\s*\{[^}]*?"stream":\s*"([^"]+)"'
)


def utc_today() -> dt.date:
    return dt.datetime.now(dt.timezone.utc).date()


def log(message: str) -> None:
    print(f"[bench {time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


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
    ) -> None:
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


# Measured child processes -------------------------------------------------------------------


@dataclass
class RunResult:
    argv: list[str]
    rc: int
    started: float  # epoch seconds (time.time), comparable with the simulator's request log
    ended: float
    maxrss_kib: int
    marks: dict[str, float] = field(default_factory=dict)  # first stderr line containing ...
    mark_cpu: dict[str, float] = field(default_factory=dict)  # the child's CPU s at each mark
    cpu_s: float = 0.0  # the child's user + system CPU seconds, from wait4()
    records: dict[str, int] = field(default_factory=dict)  # from the SDK's record_count METRICs
    stdout_count: int | None = None
    stderr_tail: list[str] = field(default_factory=list)

    @property
    def wall(self) -> float:
        return self.ended - self.started

    @property
    def peak_rss_mib(self) -> float:
        return self.maxrss_kib / 1024

    def check(self) -> RunResult:
        if self.rc != 0:
            tail = "\n".join(self.stderr_tail[-25:])
            raise RuntimeError(f"{' '.join(self.argv[:3])}... exited {self.rc}:\n{tail}")
        return self


def process_cpu_seconds(pid: int) -> float:
    """User + system CPU seconds of a running process so far (Linux /proc, 10 ms ticks)."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text(encoding="ascii")
    except OSError:
        return float("nan")
    fields = stat.rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _read_stderr(
    stream, pid: int, result: RunResult, marks: dict[str, str], keep: list[str]
) -> None:
    pending = dict(marks)
    for raw in stream:
        now = time.time()
        line = raw.decode("utf-8", "replace").rstrip("\n")
        for name, needle in list(pending.items()):
            if needle in line:
                result.marks[name] = now
                result.mark_cpu[name] = process_cpu_seconds(pid)
                del pending[name]
        if "record_count" in line:
            match = _RECORD_COUNT.search(line)
            if match:
                stream_name = match.group(2)
                result.records[stream_name] = result.records.get(stream_name, 0) + int(
                    match.group(1)
                )
        keep.append(line)
        if len(keep) > 400:
            del keep[:200]


def _count_stdout(stream, pattern: bytes, result: RunResult) -> None:
    count, tail = 0, b""
    while True:
        chunk = stream.read(1 << 20)
        if not chunk:
            break
        data = tail + chunk
        count += data.count(pattern)
        # Keep a tail shorter than the pattern, so no match is counted twice.
        tail = data[-(len(pattern) - 1) :] if len(pattern) > 1 else b""
    result.stdout_count = count


def run_measured(
    argv: list[str],
    *,
    env: dict[str, str] | None = None,
    cwd: Path = REPO,
    marks: dict[str, str] | None = None,
    count_stdout: bytes | None = None,
    stdout_path: Path | None = None,
    timeout: float = 3600,
) -> RunResult:
    """Run `argv`; stdout goes to /dev/null (or a file, or is counted), stderr is scanned.

    Peak RSS is the child's own ru_maxrss from wait4(2), so it is exact for that process
    (grandchildren, e.g. Meltano's plugins, are not included; see `peak_rss_tree`)."""
    if count_stdout is not None:
        stdout = subprocess.PIPE
    elif stdout_path is not None:
        stdout = stdout_path.open("wb")
    else:
        stdout = subprocess.DEVNULL
    result = RunResult(
        argv=[str(a) for a in argv], rc=-1, started=time.time(), ended=0, maxrss_kib=0
    )
    keep: list[str] = []
    proc = subprocess.Popen(  # noqa: S603 - argv built by the benchmark
        result.argv, cwd=cwd, env=env, stdout=stdout, stderr=subprocess.PIPE
    )
    threads = [
        threading.Thread(
            target=_read_stderr, args=(proc.stderr, proc.pid, result, marks or {}, keep)
        )
    ]
    if count_stdout is not None:
        threads.append(
            threading.Thread(target=_count_stdout, args=(proc.stdout, count_stdout, result))
        )
    for thread in threads:
        thread.start()
    killer = threading.Timer(timeout, proc.kill)
    killer.start()
    try:
        _pid, status, usage = os.wait4(proc.pid, 0)
    finally:
        killer.cancel()
    result.ended = time.time()
    proc.returncode = result.rc = os.waitstatus_to_exitcode(status)
    result.maxrss_kib = usage.ru_maxrss
    result.cpu_s = usage.ru_utime + usage.ru_stime
    for thread in threads:
        thread.join()
    if stdout_path is not None:
        stdout.close()
    result.stderr_tail = keep
    return result


# Tap files -----------------------------------------------------------------------------------


def write_json(path: Path, data: Any) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(data, indent=1), encoding="utf-8")
    return path


def tap_config(sim: SimulatorProcess, start_date: dt.date, **extra: Any) -> dict:
    return {
        "api_url": sim.base_url,
        "client_id": FAKE_CLIENT_ID,
        "client_secret": FAKE_CLIENT_SECRET,
        "refresh_token": FAKE_REFRESH_TOKEN,
        "start_date": start_date.isoformat(),
        **extra,
    }


def tap_catalog(config_path: Path, streams: tuple[str, ...] | None, out: Path) -> Path:
    """`--discover`, then select `streams` (None: every stream)."""
    found = subprocess.run(  # noqa: S603
        [str(TAP), "--config", str(config_path), "--discover"],
        cwd=REPO,
        capture_output=True,
        check=True,
    )
    catalog = json.loads(found.stdout)
    for entry in catalog["streams"]:
        for metadata in entry["metadata"]:
            if metadata["breadcrumb"] == []:
                selected = streams is None or entry["tap_stream_id"] in streams
                metadata["metadata"]["selected"] = selected
    return write_json(out, catalog)


def first_time(requests: list[dict], method: str, path_prefix: str) -> float | None:
    times = [
        r["time"] for r in requests if r["method"] == method and r["path"].startswith(path_prefix)
    ]
    return min(times) if times else None


def median(values: list[float]) -> float:
    ordered = sorted(values)
    middle = len(ordered) // 2
    return ordered[middle] if len(ordered) % 2 else (ordered[middle - 1] + ordered[middle]) / 2


@contextlib.contextmanager
def timed(label: str):
    started = time.monotonic()
    log(f"{label} ...")
    yield
    log(f"{label} done in {time.monotonic() - started:.1f} s")
