"""The one in-process tap runner: `TapPinterestAds(...).sync_all()` in the test process, with the
Singer messages it wrote, its log records and the exception it raised; and the helpers that read
Singer output and the simulator's expected data.

`run` needs no pytest fixture (hypothesis calls it many times in one test): stdout is captured
with `redirect_stdout`, log records with a handler of its own, and an exception is classified the
way `tap_pinterest_ads.tap.main` does: a failure it explains in one ERROR line, or a bug that
would print a traceback. The console script itself (a subprocess, or `main()` in-process) is
tests/cli_runner.py.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import io
import json
import logging
from dataclasses import dataclass, field
from decimal import Decimal
from functools import lru_cache

from singer_sdk.exceptions import ConfigValidationError

from pinterest_simulator import Dataset, Simulator
from tap_pinterest_ads import tap as tap_module
from tap_pinterest_ads.reports.shapes import DELIVERY as DELIVERY_SHAPE
from tap_pinterest_ads.tap import TapPinterestAds
from tests import mock_api

DELIVERY = "pin_promotion_delivery"
ENTITY_STREAMS = ("ad_accounts", "campaigns", "ad_groups", "pin_promotions")
# Stream -> the simulator's entity kind.
ENTITY_KINDS = {"campaigns": "campaign", "ad_groups": "ad_group", "pin_promotions": "ad"}
MICRO = Decimal(1_000_000)


def today() -> dt.date:
    return dt.datetime.now(dt.timezone.utc).date()


# Calls a minute: far above what a test run makes, so pacing never waits.
UNPACED = 1_000_000


def config_for(sim: Simulator, start: dt.date, **extra: object) -> dict:
    """The simulator's (fake) credentials, its URL and `start_date`, plus `extra`.

    The simulator enforces no ads_analytics budget unless a test configures one, so the tap is
    not paced at Pinterest's 300 calls a minute here (a 913-day backfill asks metrics_ready_state
    914 times); tests of pacing pass their own `analytics_requests_per_minute`.
    """
    return {
        "api_url": sim.base_url,
        "analytics_requests_per_minute": UNPACED,
        "client_id": sim.tokens.client_id,
        "client_secret": sim.tokens.client_secret,
        "refresh_token": sim.current_refresh_token,
        "start_date": start.isoformat(),
        **extra,
    }


# In-process ---------------------------------------------------------------------------


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

    def raise_error(self) -> None:
        """Raise what the run raised, if anything."""
        if self.error is not None:
            raise self.error

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


def sync(config: dict, streams: tuple[str, ...], state: dict | None = None) -> list[dict]:
    """`run`, for a run that must succeed: its messages, or the exception it raised."""
    outcome = run(config, streams, state)
    outcome.raise_error()
    return outcome.messages


# Output -------------------------------------------------------------------------------


def parse_messages(stdout: str) -> list[dict]:
    """Singer messages, one per line; a line cut short by a kill is left out."""
    out = []
    for line in stdout.splitlines():
        try:
            out.append(json.loads(line, parse_float=Decimal))
        except ValueError:
            continue
    return out


def records(messages: list[dict], stream: str | None = None) -> list[dict]:
    return [
        m["record"]
        for m in messages
        if m["type"] == "RECORD" and (stream is None or m["stream"] == stream)
    ]


def states(messages: list[dict]) -> list[dict]:
    return [m["value"] for m in messages if m["type"] == "STATE"]


def bookmarks(state: dict, stream: str = DELIVERY) -> dict[str, str | None]:
    """ad account id -> replication_key_value of one report stream's partitions."""
    partitions = state.get("bookmarks", {}).get(stream, {}).get("partitions", [])
    return {p["context"]["ad_account_id"]: p.get("replication_key_value") for p in partitions}


def state_with(bookmark_by_account: dict[str, str], stream: str = DELIVERY) -> dict:
    """An input state with these per-account bookmarks."""
    return {
        "bookmarks": {
            stream: {
                "partitions": [
                    {
                        "context": {"ad_account_id": account},
                        "replication_key": "date",
                        "replication_key_value": value,
                    }
                    for account, value in bookmark_by_account.items()
                ]
            }
        }
    }


def error_lines(stderr: str) -> list[str]:
    """The messages of the ERROR log lines (`time | ERROR | logger | message`)."""
    return [line.split(" | ", 3)[-1] for line in stderr.splitlines() if " | ERROR " in line]


# Expected data ------------------------------------------------------------------------


def delivery_key(record: dict) -> tuple[str, str, str]:
    return (record["ad_account_id"], record["date"], record["pin_promotion_id"])


def delivery_facts(record: dict) -> tuple:
    """Key and the two headline metrics: enough to prove a row is the dataset's own."""
    return (*delivery_key(record), record["spend"], record["paid_impressions"])


def expected_delivery(
    dataset: Dataset, accounts: list[str], start: dt.date, end: dt.date | None = None
) -> set[tuple]:
    """`delivery_facts` of every row the dataset holds for these accounts and days."""
    columns = list(DELIVERY_SHAPE.requested_columns())
    return {
        (
            account,
            row["DATE"],
            str(row["PIN_PROMOTION_ID"]),
            Decimal(row.get("SPEND_IN_MICRO_DOLLAR") or 0) / MICRO,
            row.get("IMPRESSION_1") or 0,
        )
        for account in accounts
        for row in dataset.delivery_rows(account, start, end or today(), columns)
    }


def expected_entity_ids(dataset: Dataset, stream: str, accounts: list[str]) -> set[str]:
    """Ids of every entity (every status) of these accounts, for one entity stream."""
    if stream == "ad_accounts":
        return set(accounts)
    kind = ENTITY_KINDS[stream]
    return {e["id"] for a in accounts for e in dataset.entities(kind, a, statuses=None)}


def entity_ids(messages: list[dict], stream: str) -> set[str]:
    return {r["id"] for r in records(messages, stream)}
