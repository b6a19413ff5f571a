"""One in-process tap run against the simulator, judged as the console script would judge it.

Shared by the report-latitude, state-invariant and property-based tests. Unlike
`tap_runner.sync`, it needs no pytest fixture (hypothesis runs it many times in one test):
stdout is captured with `redirect_stdout`, log records with a handler of its own, and an
exception is classified the way `tap_pinterest_ads.tap.main` does: a failure it explains in
one ERROR line, or a bug that would print a traceback.
"""

from __future__ import annotations

import contextlib
import io
import json
import logging
from dataclasses import dataclass, field
from decimal import Decimal
from functools import lru_cache

from singer_sdk.exceptions import ConfigValidationError

from tap_pinterest_ads import tap as tap_module
from tap_pinterest_ads.tap import TapPinterestAds
from tests import mock_api


class _Records(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


@dataclass
class Outcome:
    """What one run wrote, logged and raised."""

    messages: list[dict]
    error: BaseException | None
    logs: list[logging.LogRecord] = field(default_factory=list)

    @property
    def explained(self) -> bool:
        """The run succeeded, or failed with an error main() prints as one ERROR line."""
        explained = (*tap_module._EXPLAINED, ConfigValidationError)
        return self.error is None or isinstance(self.error, explained)

    @property
    def error_line(self) -> str:
        """The one ERROR line main() would print (a bug fails the calling test)."""
        assert self.error is not None, "the run succeeded"
        assert self.explained, f"a traceback: {self.error!r}"
        if isinstance(self.error, ConfigValidationError):  # the SDK prints each of them
            return "; ".join(self.error.errors)
        return str(self.error)

    def records(self, stream: str | None = None) -> list[dict]:
        """RECORD messages of `stream` (None: of every stream)."""
        return [
            m["record"]
            for m in self.messages
            if m["type"] == "RECORD" and stream in (None, m["stream"])
        ]

    def states(self) -> list[dict]:
        return [m["value"] for m in self.messages if m["type"] == "STATE"]

    def bookmarks(self, stream: str, state: dict | None = None) -> dict[str, object]:
        """ad account id -> bookmark of one report stream, in the last STATE (or `state`)."""
        if state is None:
            states = self.states()
            state = states[-1] if states else {}
        partitions = state.get("bookmarks", {}).get(stream, {}).get("partitions", [])
        return {p["context"]["ad_account_id"]: p.get("replication_key_value") for p in partitions}

    def lines(self, text: str = "", level: int = logging.INFO) -> list[str]:
        """Logged messages of at least `level` that contain `text`."""
        return [r.getMessage() for r in self.logs if r.levelno >= level and text in r.getMessage()]


@lru_cache(maxsize=32)
def _catalog(config_json: str, streams: tuple[str, ...]) -> str:
    return json.dumps(mock_api.catalog_selecting(json.loads(config_json), streams))


def catalog_for(config: dict, streams: tuple[str, ...]) -> dict:
    """The discovered catalog selecting `streams` (discovery depends on report_columns only)."""
    schema_config = {
        "access_token": "fake-discovery-token",
        "report_columns": config.get("report_columns", []),
    }
    return json.loads(_catalog(json.dumps(schema_config, sort_keys=True), streams))


def run(config: dict, streams: tuple[str, ...], state: dict | None = None) -> Outcome:
    """Sync `streams` in-process; every message, log record and the exception, if any."""
    out = io.TextIOWrapper(io.BytesIO(), encoding="utf-8")
    handler = _Records()
    root = logging.getLogger()
    level = root.level
    root.addHandler(handler)
    root.setLevel(logging.DEBUG)
    error: BaseException | None = None
    try:
        with contextlib.redirect_stdout(out):
            try:
                tap = TapPinterestAds(config=config, catalog=catalog_for(config, streams),
                                      state=state)  # fmt: skip
                tap.sync_all()
            except Exception as exc:
                error = exc
            out.flush()
    finally:
        root.removeHandler(handler)
        root.setLevel(level)
    text = out.buffer.getvalue().decode()  # type: ignore[attr-defined]
    # Singer messages are separated by "\n" only: str.splitlines() would also split a record
    # at a U+0085 or U+2028 inside a string, which JSON writes unescaped.
    messages = [json.loads(line, parse_float=Decimal) for line in text.split("\n") if line]
    return Outcome(messages, error, handler.records)
