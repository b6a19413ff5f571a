"""Run the tap against the local simulator, in-process or as a subprocess, and read its output.

Shared by the fault-injection suite (test_reliability.py, test_resume.py, test_secrets.py,
test_bad_input.py). The simulator always runs in the test process, so its request log, faults
and dataset can be inspected; a subprocess tap reaches it over HTTP on 127.0.0.1.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

from pinterest_simulator import Dataset, Simulator
from tap_pinterest_ads.reports.shapes import DELIVERY as DELIVERY_SHAPE
from tap_pinterest_ads.tap import TapPinterestAds
from tests import mock_api

DELIVERY = "pin_promotion_delivery"
ENTITY_STREAMS = ("ad_accounts", "campaigns", "ad_groups", "pin_promotions")
# Stream -> the simulator's entity kind.
ENTITY_KINDS = {"campaigns": "campaign", "ad_groups": "ad_group", "pin_promotions": "ad"}
MICRO = Decimal(1_000_000)
REPO = Path(__file__).resolve().parents[1]


def today() -> dt.date:
    return dt.datetime.now(dt.timezone.utc).date()


def config_for(sim: Simulator, start: dt.date, **extra: object) -> dict:
    """The simulator's (fake) credentials, its URL and `start_date`, plus `extra`."""
    return {
        "api_url": sim.base_url,
        "client_id": sim.tokens.client_id,
        "client_secret": sim.tokens.client_secret,
        "refresh_token": sim.current_refresh_token,
        "start_date": start.isoformat(),
        **extra,
    }


# In-process ---------------------------------------------------------------------------


def sync(capsys, config: dict, streams: tuple[str, ...], state: dict | None = None) -> list[dict]:
    """One in-process run; the Singer messages it wrote (numbers as exact Decimals).

    If the run raises, the messages written so far stay readable with `written(capsys)`.
    """
    catalog = mock_api.catalog_selecting(config, streams)
    TapPinterestAds(config=config, catalog=catalog, state=state).sync_all()
    return written(capsys)


def written(capsys) -> list[dict]:
    return parse_messages(capsys.readouterr().out)


# Subprocess ---------------------------------------------------------------------------


def tap_command(
    tmp_path: Path, config: dict, streams: tuple[str, ...], state: dict | None = None
) -> list[str]:
    """`python -m tap_pinterest_ads --config … --catalog … [--state …]`, files in tmp_path."""
    files = {"config": config, "catalog": mock_api.catalog_selecting(config, streams)}
    if state is not None:
        files["state"] = state
    command = [sys.executable, "-m", "tap_pinterest_ads"]
    for name, content in files.items():
        path = tmp_path / f"{name}-{os.urandom(4).hex()}.json"
        path.write_text(json.dumps(content), encoding="utf-8")
        command += [f"--{name}", str(path)]
    return command


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
) -> subprocess.CompletedProcess:
    """Run the tap to its end in a subprocess."""
    return subprocess.run(
        tap_command(tmp_path, config, streams, state),
        capture_output=True,
        text=True,
        timeout=timeout,
        cwd=tmp_path,
        env=env or tap_env(),
        check=False,
    )


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
