"""The one process runner: the console script as a user runs it, in a subprocess
(`python -m tap_pinterest_ads …`: `run_cli`, and `run_tap`/`start_tap` for a sync), or its
entry point (`tap_pinterest_ads.tap.main`) in-process (`run_main`), with exit code, stdout and
stderr.

In-process because the property-based tests run it many times (a subprocess costs ~2 s of
start-up on a busy machine); the subprocess runs keep the real console script covered. Whatever
singer-sdk's CLI changes globally (a console log handler per call, the root level, warnings
capture, the excepthook) is put back after each in-process run. A subprocess reaches the
simulator over HTTP on 127.0.0.1; it never inherits the caller's TAP_PINTEREST_ADS_* variables.
"""

from __future__ import annotations

import dataclasses
import json
import logging
import os
import subprocess
import sys
import typing as t
from pathlib import Path

from tap_pinterest_ads.tap import main
from tests.tap_runner import catalog_for

if t.TYPE_CHECKING:
    import pytest

REPO = Path(__file__).resolve().parents[1]
PYTHON_TAP = (sys.executable, "-m", "tap_pinterest_ads")
CONSOLE_SCRIPT = Path(sys.executable).parent / "tap-pinterest-ads"


@dataclasses.dataclass(frozen=True)
class Outcome:
    code: int
    stdout: str
    stderr: str

    @property
    def error_lines(self) -> list[str]:
        """The messages of the ERROR log lines (`time | ERROR | logger | message`)."""
        return [
            line.split(" | ", 3)[-1] for line in self.stderr.splitlines() if " | ERROR " in line
        ]


def write_json(directory: Path, name: str, content: object) -> str:
    """`content` as JSON in `directory/name` (a str is written as is); the path."""
    path = directory / name
    path.write_text(content if isinstance(content, str) else json.dumps(content), encoding="utf-8")
    return str(path)


def run_main(capfd: pytest.CaptureFixture[str], *argv: str) -> Outcome:
    """`tap-pinterest-ads *argv` in this process."""
    root = logging.getLogger()
    handlers, level, excepthook = list(root.handlers), root.level, sys.excepthook
    saved_argv = sys.argv
    capfd.readouterr()
    sys.argv = ["tap-pinterest-ads", *argv]
    try:
        main()
        code = 0
    except SystemExit as stop:
        code = stop.code if isinstance(stop.code, int) else (0 if stop.code is None else 1)
    finally:
        sys.argv = saved_argv
        for handler in root.handlers:
            if handler not in handlers:
                root.removeHandler(handler)
        root.setLevel(level)
        sys.excepthook = excepthook
        logging.captureWarnings(capture=False)
    out, err = capfd.readouterr()
    return Outcome(code, out, err)


# Subprocess ---------------------------------------------------------------------------


def run_cli(
    tmp_path: Path,
    *args: str,
    env: dict[str, str] | None = None,
    timeout: float = 60,
    console_script: bool = False,
) -> subprocess.CompletedProcess[str]:
    """`python -m tap_pinterest_ads *args` (or the installed `tap-pinterest-ads` console script,
    as the README shows it) to its end, in tmp_path."""
    command = (str(CONSOLE_SCRIPT),) if console_script else PYTHON_TAP
    return subprocess.run(
        [*command, *args],
        capture_output=True,
        text=True,
        timeout=timeout,
        cwd=tmp_path,
        env=env or tap_env(),
        check=False,
    )


def tap_files(
    tmp_path: Path, config: dict, streams: tuple[str, ...], state: dict | None = None
) -> list[str]:
    """`--config … --catalog … [--state …]` selecting `streams`, the files in tmp_path."""
    files = {"config": config, "catalog": catalog_for(config, streams)}
    if state is not None:
        files["state"] = state
    args = []
    for name, content in files.items():
        args += [f"--{name}", write_json(tmp_path, f"{name}-{os.urandom(4).hex()}.json", content)]
    return args


def tap_command(
    tmp_path: Path, config: dict, streams: tuple[str, ...], state: dict | None = None
) -> list[str]:
    """`python -m tap_pinterest_ads --config … --catalog … [--state …]`, files in tmp_path."""
    return [*PYTHON_TAP, *tap_files(tmp_path, config, streams, state)]


def tap_env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("TAP_PINTEREST_ADS_")}
    env.pop("LOGLEVEL", None)
    return {**env, "PYTHONPATH": str(REPO), **extra}


def run_tap(
    tmp_path: Path,
    config: dict,
    streams: tuple[str, ...],
    state: dict | None = None,
    *,
    env: dict[str, str] | None = None,
    timeout: float = 60,
) -> subprocess.CompletedProcess[str]:
    """Sync `streams` to the end in a subprocess."""
    return run_cli(tmp_path, *tap_files(tmp_path, config, streams, state), env=env, timeout=timeout)


def start_tap(
    tmp_path: Path,
    config: dict,
    streams: tuple[str, ...],
    state: dict | None = None,
    *,
    env: dict[str, str] | None = None,
) -> subprocess.Popen:
    """Start the tap; stdout is a pipe read line by line, stderr goes to a file."""
    stderr = (tmp_path / f"stderr-{os.urandom(4).hex()}.log").open("w")
    return subprocess.Popen(
        tap_command(tmp_path, config, streams, state),
        stdout=subprocess.PIPE,
        stderr=stderr,
        text=True,
        cwd=tmp_path,
        env=env or tap_env(),
    )
