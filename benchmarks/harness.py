"""Shared benchmark machinery: where things are, the simulator's fake credentials, logging, and
measured child processes (wall time, CPU time, peak RSS, timestamped log marks). Standard library
only (plus the repo itself)."""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import os
import re
import subprocess
import sys
import threading
import time
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


# Small helpers -------------------------------------------------------------------------------


def write_json(path: Path, data: Any) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(data, indent=1), encoding="utf-8")
    return path


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
