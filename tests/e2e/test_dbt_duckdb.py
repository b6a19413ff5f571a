"""`make demo` end to end: both jobs into the DuckDB sink, then dbt-duckdb on the same file.

scripts/demo.py runs as a user runs it (its own simulator process, one `meltano run` with
`dbt-duckdb:build`), writing to a temporary directory; the dbt models in the DuckDB file are
then compared with the simulator's dataset, rebuilt from the demo's parameters. The file is
read with the dbt-duckdb venv's duckdb (1.2.2, the version target-duckdb writes with).
"""

from __future__ import annotations

import datetime as dt
import json
import subprocess
import sys
from collections import defaultdict
from decimal import Decimal
from pathlib import Path

import pytest

from pinterest_simulator import Dataset
from scripts.demo import SIMULATED
from tests.e2e.conftest import REPO
from tests.e2e.dbt_expectations import check_composites, name_of, totals
from tests.e2e.dbt_finality import is_final
from tests.e2e.expectations import dbt_results, expected_delivery, micro

pytestmark = pytest.mark.e2e

DUCKDB_PYTHON = REPO / ".meltano" / "transformers" / "dbt-duckdb" / "venv" / "bin" / "python"
_DUMP = r"""
import json, sys
import duckdb
con = duckdb.connect(sys.argv[1], read_only=True)
out = {"columns": con.execute(
    "SELECT column_name, data_type FROM information_schema.columns WHERE table_schema = "
    "'pinterest_reporting' AND table_name = 'ad_reporting__daily' ORDER BY ordinal_position"
).fetchall()}
for model in sys.argv[2:]:
    cursor = con.execute(f"SELECT * FROM pinterest_reporting.{model}")
    names = [d[0] for d in cursor.description]
    out[model] = [dict(zip(names, row)) for row in cursor.fetchall()]
print(json.dumps(out, default=str))
"""
AD_REPORTING_TYPES = [
    ("date_day", "DATE"), ("platform", "VARCHAR"), ("account_id", "VARCHAR"),
    ("account_name", "VARCHAR"), ("campaign_id", "VARCHAR"), ("campaign_name", "VARCHAR"),
    ("ad_group_id", "VARCHAR"), ("ad_group_name", "VARCHAR"), ("ad_id", "VARCHAR"),
    ("ad_name", "VARCHAR"), ("currency", "VARCHAR"), ("spend", "DECIMAL(38,6)"),
    ("impressions", "BIGINT"), ("clicks", "BIGINT"), ("conversions", "BIGINT"),
    ("conversion_value", "DECIMAL(38,6)"), ("is_final", "BOOLEAN"),
]  # fmt: skip
MONEY = {"spend", "conversion_value", "cpc", "cpv", "vtr_pct", "vcr_pct", "ctr_pct", "cpm", "roas"}


@pytest.fixture(scope="module")
def demo(meltano_plugins: Path, tmp_path_factory: pytest.TempPathFactory) -> dict:
    out = tmp_path_factory.mktemp("demo")
    result = subprocess.run(
        [sys.executable, "scripts/demo.py", "--out", str(out)],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    dumped = subprocess.run(
        [str(DUCKDB_PYTHON), "-c", _DUMP, str(out / "warehouse.duckdb"),
         "ad_reporting__daily", "pinterest__delivery_report", "pinterest__campaign_daily_report"],
        capture_output=True, text=True, check=True, timeout=120,
    )  # fmt: skip
    models = json.loads(dumped.stdout)
    for name, rows in models.items():
        if name != "columns":
            models[name] = [typed(row) for row in rows]
    run = json.loads((out / "demo.json").read_text())
    today = dt.date.fromisoformat(run["today"])
    return {
        "stdout": result.stdout,
        "results": dbt_results(out / "dbt-target"),
        "models": models,
        "dataset": Dataset(**SIMULATED, seed=1, today=today),
        "start": dt.date.fromisoformat(run["start_date"]),
    }


def typed(row: dict) -> dict:
    """JSON values back to what PostgreSQL gives: dates and exact decimals."""
    row["date_day"] = dt.date.fromisoformat(row["date_day"])
    for column in MONEY & set(row):
        row[column] = None if row[column] is None else Decimal(row[column])
    return row


def test_demo_prints_the_cross_channel_model_and_every_dbt_test_passes(demo: dict) -> None:
    assert "(the simulator's reports held" in demo["stdout"]
    assert "all of them" in demo["stdout"]
    assert "ad_reporting__daily (dbt)" in demo["stdout"]
    assert "pinterest " in demo["stdout"]  # a row of the model, platform first
    results = demo["results"]
    assert sum(node.startswith("model.") for node in results) >= 30
    assert set(results.values()) == {"success", "pass"}, results


def test_cross_channel_model_on_duckdb_has_the_layout_and_exact_values(demo: dict) -> None:
    models, ds = demo["models"], demo["dataset"]
    assert [tuple(c) for c in models["columns"]] == AD_REPORTING_TYPES
    expected = expected_delivery(ds, demo["start"], ds.today)
    rows = models["ad_reporting__daily"]
    assert len(rows) == len(expected)
    for row in rows:
        raw = expected[(row["date_day"].isoformat(), row["account_id"], row["ad_id"])]
        assert row["platform"] == "pinterest"
        assert row["campaign_name"] == name_of(ds, "campaign", row["campaign_id"])
        assert row["ad_name"] == name_of(ds, "ad", row["ad_id"])
        assert row["spend"] == micro(raw.get("SPEND_IN_MICRO_DOLLAR"))
        assert row["clicks"] == int(raw.get("CLICKTHROUGH_1") or 0)
        assert row["conversion_value"] == micro(raw.get("TOTAL_CONVERSIONS_VALUE_IN_MICRO_DOLLAR"))
        assert row["is_final"] is is_final(ds, row["date_day"])
    # The last days are still open on the simulator's books, the older ones closed.
    assert {row["is_final"] for row in rows} == {True, False}


def test_composite_metrics_on_duckdb_are_rounded_exactly(demo: dict) -> None:
    """DuckDB divides decimals in floating point; the models must still round like Decimal."""
    ds = demo["dataset"]
    expected = expected_delivery(ds, demo["start"], ds.today)
    check_composites(
        demo["models"]["pinterest__delivery_report"],
        {key: totals([raw]) for key, raw in expected.items()},
        key=lambda r: (r["date_day"].isoformat(), r["ad_account_id"], r["pin_promotion_id"]),
    )
    by_campaign = defaultdict(list)
    for (day, _, _), raw in expected.items():
        by_campaign[(day, str(raw["CAMPAIGN_ID"]))].append(raw)
    rows = demo["models"]["pinterest__campaign_daily_report"]
    assert len(rows) == len(by_campaign)
    wanted = {key: totals(raws) for key, raws in by_campaign.items()}
    for row in rows:
        assert row["spend"] == wanted[(row["date_day"].isoformat(), row["campaign_id"])]["spend"]
        assert not row["campaign_removed"]  # target-duckdb ignores ACTIVATE_VERSION
    check_composites(
        rows, wanted, key=lambda r: (r["date_day"].isoformat(), r["campaign_id"]), with_nulls=False
    )
