"""The console entry point (`tap_pinterest_ads.tap.main`) run in-process, as a user's command
line would run it, with its exit code, stdout and stderr.

In-process because the property-based tests run it many times (a subprocess costs ~2 s of
start-up on a busy machine); the subprocess tests in test_cli.py, test_bad_input.py and
test_cli_inputs.py keep the real console script covered. Whatever singer-sdk's CLI changes
globally (a console log handler per call, the root level, warnings capture, the excepthook)
is put back after each run.
"""

from __future__ import annotations

import dataclasses
import json
import logging
import sys
import typing as t
from pathlib import Path

from tap_pinterest_ads.tap import main

if t.TYPE_CHECKING:
    import pytest


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
