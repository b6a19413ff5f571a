"""A STATE after each finished report window, with writing kept under a tenth of the run.

The state holds every account's bookmark, so one write costs O(accounts), and a write per window
O(accounts²) a run: with 1,000 accounts, longer than the run itself. A write is skipped until 10×
the last write's duration has passed since it; a skipped one only means a killed run redoes a
little more, and the SDK writes the final state when the stream ends.
"""

from __future__ import annotations

import math
import time
import typing as t


class WindowStateWrites:
    def __init__(self) -> None:
        self._written_at = -math.inf
        self._write_seconds = 0.0

    def write(self, writer: t.Any, state: t.Any) -> None:
        started = time.monotonic()
        if started - self._written_at < 10 * self._write_seconds:
            return
        writer.write_state(state)
        self._written_at = time.monotonic()
        self._write_seconds = self._written_at - started
