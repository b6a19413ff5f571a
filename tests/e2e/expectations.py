"""What the warehouse must hold and how to compare what it holds.

From the simulator's data (its report rows and entities, the report creations in its request
log) and from the tap's own output (`emitted_delivery` in conftest.py): what each end-to-end test
expects, and the comparisons that say which differences a loader may make (numbers as doubles).
dbt's own files (run_results.json) are read here too.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
from decimal import Decimal
from pathlib import Path

import psycopg

from pinterest_simulator import Dataset, Simulator
from tests.e2e.conftest import DELIVERY_TABLE, SCHEMA
from tests.postgres import PostgresServer

MONEY_DECIMALS = 6  # micro-units


def dbt_results(target_path: str | Path) -> dict[str, str]:
    """Status of every node of the last dbt invocation (run_results.json), by unique_id."""
    results = json.loads((Path(target_path) / "run_results.json").read_text())["results"]
    return {result["unique_id"]: result["status"] for result in results}


@dataclasses.dataclass(frozen=True)
class ReportRequest:
    """One `POST /ad_accounts/{id}/reports` the tap made."""

    account_id: str
    body: dict

    @property
    def start(self) -> dt.date:
        return dt.date.fromisoformat(self.body["start_date"])

    @property
    def end(self) -> dt.date:
        return dt.date.fromisoformat(self.body["end_date"])


def report_requests(sim: Simulator, since: int = 0) -> list[ReportRequest]:
    """The report creations in the simulator's request log from position `since` on."""
    found = []
    for request in sim.requests.snapshot()[since:]:
        parts = request.path.rstrip("/").split("/")
        if request.method == "POST" and parts[-1] == "reports" and request.status == 200:
            found.append(ReportRequest(parts[-2], request.json()))
    return found


def default_report_columns() -> list[str]:
    """The API columns the tap requests by default."""
    from tap_pinterest_ads.reports.shapes import DELIVERY  # noqa: PLC0415

    return list(DELIVERY.requested_columns())


def expected_delivery(
    dataset: Dataset,
    start: dt.date,
    end: dt.date,
    columns: list[str] | None = None,
    accounts: list[str] | None = None,
) -> dict[tuple[str, str, str], dict]:
    """Raw report rows the tap should load, by key (date, ad_account_id, pin_promotion_id)."""
    columns = columns or default_report_columns()
    rows = {}
    for account in accounts or dataset.account_ids:
        for row in dataset.delivery_rows(account, start, end, columns):
            rows[(str(row["DATE"]), account, str(row["PIN_PROMOTION_ID"]))] = row
    return rows


def expected_entities(dataset: Dataset, kind: str, *, include_removed: bool) -> list[dict]:
    """Entities of every status (the tap asks for all of them), across accounts."""
    return [
        entity
        for account in dataset.account_ids
        for entity in dataset.entities(
            kind, account, statuses=None, include_removed=include_removed
        )
    ]


def micro(value: object) -> Decimal:
    """Micro-currency units (report) -> amount."""
    return Decimal(int(value or 0)) / Decimal(1_000_000)


def same_in_postgres(loaded: object, emitted: object) -> bool:
    if isinstance(loaded, dt.date):
        return loaded.isoformat() == emitted
    if isinstance(emitted, Decimal) and emitted.as_tuple().exponent < -MONEY_DECIMALS:
        return float(loaded) == float(emitted)  # a ratio: equal as doubles
    return loaded == emitted


def same_in_duckdb(loaded: object, emitted: object) -> bool:
    """target-duckdb 0.8.0 stores JSON numbers as DOUBLE: money (micro-units / 10^6, at most 6
    decimals) comes back exact to the micro-unit; the 28-digit ratios as the nearest double."""
    if isinstance(emitted, Decimal) and isinstance(loaded, float):
        if emitted.as_tuple().exponent >= -MONEY_DECIMALS:
            return round(Decimal(repr(loaded)), MONEY_DECIMALS) == emitted
        return loaded == float(emitted)
    return loaded == emitted


def query(postgres: PostgresServer, sql: str, *params: object) -> list[tuple]:
    with psycopg.connect(postgres.url, autocommit=True) as conn:
        return conn.execute(sql, params).fetchall()


def tables(postgres: PostgresServer) -> set[str]:
    rows = query(
        postgres, "SELECT table_name FROM information_schema.tables WHERE table_schema = %s", SCHEMA
    )
    return {name for (name,) in rows}


def delivery_keys(postgres: PostgresServer) -> list[tuple[str, str, str]]:
    rows = query(
        postgres, f"SELECT date, ad_account_id, pin_promotion_id FROM {SCHEMA}.{DELIVERY_TABLE}"
    )
    return [(d.isoformat(), account, promotion) for d, account, promotion in rows]


def bookmarks_by_account(state: dict, dataset: Dataset) -> dict[str, dt.date]:
    """Bookmark per ad account: per partition when the state has them, else the stream's."""
    stream_state = state.get("bookmarks", {}).get("pin_promotion_delivery", {})
    found: dict[str, dt.date] = {}
    for partition in stream_state.get("partitions", []):
        account = partition.get("context", {}).get("ad_account_id")
        if account and partition.get("replication_key_value"):
            found[account] = dt.date.fromisoformat(str(partition["replication_key_value"])[:10])
    if not found and stream_state.get("replication_key_value"):
        day = dt.date.fromisoformat(str(stream_state["replication_key_value"])[:10])
        found = dict.fromkeys(dataset.account_ids, day)
    assert found, f"no delivery bookmark in the state: {state}"
    return found
