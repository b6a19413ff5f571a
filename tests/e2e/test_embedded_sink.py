"""The embedded default sink (target-duckdb, no server) holds every row of both jobs.

target-duckdb 0.8.0 loads through a CSV COPY that lets DuckDB sniff a header; from duckdb 1.3
on that silently eats the first row of every batch. meltano.yml pins duckdb==1.2.2, and these
counts are what catches a regression. The file is read with target-duckdb's own venv (the dev
venv has no duckdb).
"""

from __future__ import annotations

import datetime as dt
import json
import subprocess
from decimal import Decimal
from pathlib import Path

import pytest

from pinterest_simulator import Dataset
from tests.e2e.conftest import DELIVERY_TABLE, DUCKDB_PYTHON, META_TABLES, SCHEMA, MeltanoRunner
from tests.e2e.expectations import (
    expected_delivery,
    expected_entities,
    micro,
    same_in_duckdb,
)

pytestmark = pytest.mark.e2e

_READ = r"""
import json, sys
import duckdb
con = duckdb.connect(sys.argv[1], read_only=True)
schema = sys.argv[2]
out = {"duckdb": duckdb.__version__, "tables": {}}
for (table,) in con.execute(
        "SELECT table_name FROM information_schema.tables WHERE table_schema = ?",
        [schema]).fetchall():
    cols = [c[0] for c in con.execute(
        "SELECT column_name FROM information_schema.columns "
        "WHERE table_schema = ? AND table_name = ?", [schema, table]).fetchall()]
    keys = ["id"] if "id" in cols else [
        k for k in ("date", "ad_account_id", "pin_promotion_id") if k in cols]
    rows = con.execute(
        f"SELECT {', '.join(keys)} FROM {schema}.{table}").fetchall()
    spend = None
    if "spend" in cols:
        spend = con.execute(f"SELECT sum(spend::DECIMAL(38, 6)) FROM {schema}.{table}").fetchall()
    out["tables"][table] = {"keys": [[str(v) for v in r] for r in rows],
                            "spend": str(spend[0][0]) if spend else None}
print(json.dumps(out))
"""


_READ_DELIVERY = r"""
import json, sys
import duckdb
con = duckdb.connect(sys.argv[1], read_only=True)
cur = con.execute(f"SELECT * FROM {sys.argv[2]}")
names = [d[0] for d in cur.description]
print(json.dumps([dict(zip(names, row)) for row in cur.fetchall()], default=str))
"""


def read_delivery_rows(path: Path) -> list[dict]:
    """Every row of the delivery table; DOUBLE columns come back as floats (repr round-trips)."""
    result = subprocess.run(
        [str(DUCKDB_PYTHON), "-c", _READ_DELIVERY, str(path), f"{SCHEMA}.{DELIVERY_TABLE}"],
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    )
    return json.loads(result.stdout.splitlines()[-1])


def read_duckdb(path: Path) -> dict:
    result = subprocess.run(
        [str(DUCKDB_PYTHON), "-c", _READ, str(path), SCHEMA],
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    )
    return json.loads(result.stdout)


@pytest.fixture(scope="module")
def duckdb_file(meltano: MeltanoRunner) -> Path:
    return Path(meltano.env["TARGET_DUCKDB_FILEPATH"])


def test_meta_refresh_into_duckdb_holds_every_entity(
    meltano: MeltanoRunner, duckdb_file: Path, dataset: Dataset
) -> None:
    meltano("run", "tap-pinterest-ads--meta", "target-duckdb")
    content = read_duckdb(duckdb_file)
    assert content["duckdb"] == "1.2.2"
    for kind, table in META_TABLES.items():
        # target-duckdb ignores ACTIVATE_VERSION: a fresh file holds what the API lists now.
        ids = sorted(e["id"] for e in expected_entities(dataset, kind, include_removed=False))
        loaded = [key[0] for key in content["tables"][table]["keys"]]
        assert len(loaded) == len(ids), f"{table}: {len(loaded)} rows, expected {len(ids)}"
        assert sorted(loaded) == ids, table


def test_delivery_import_into_duckdb_holds_every_row(
    delivery_stream: str,
    meltano: MeltanoRunner,
    duckdb_file: Path,
    dataset: Dataset,
    start_date: dt.date,
) -> None:
    meltano("run", "tap-pinterest-ads--delivery", "target-duckdb")
    table = read_duckdb(duckdb_file)["tables"][DELIVERY_TABLE]
    expected = expected_delivery(dataset, start_date, dataset.today)
    loaded = [tuple(key) for key in table["keys"]]
    assert len(loaded) == len(expected), f"{len(loaded)} rows, expected {len(expected)}"
    assert sorted(loaded) == sorted(expected)
    total = sum(micro(row.get("SPEND_IN_MICRO_DOLLAR")) for row in expected.values())
    assert Decimal(table["spend"]) == total


def test_second_delivery_import_into_duckdb_keeps_every_row_once_with_every_value(
    delivery_stream: str,
    meltano: MeltanoRunner,
    duckdb_file: Path,
    emitted_delivery: dict[tuple[str, str, str], dict],
) -> None:
    """After the run above, a second one re-pulls the lookback window: upserted on the key."""
    meltano("run", "tap-pinterest-ads--delivery", "target-duckdb")
    rows = read_delivery_rows(duckdb_file)
    keys = [(row["date"], row["ad_account_id"], row["pin_promotion_id"]) for row in rows]
    assert len(keys) == len(set(keys)) == len(emitted_delivery)
    for key, row in zip(keys, rows, strict=True):
        emitted = emitted_delivery[key]
        assert set(emitted) <= set(row)
        different = {f: (row[f], v) for f, v in emitted.items() if not same_in_duckdb(row[f], v)}
        assert not different, key
