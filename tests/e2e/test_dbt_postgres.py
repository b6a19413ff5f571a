"""The dbt layer (transform/) on a real PostgreSQL, built by Meltano after the loads.

Own simulator, database and Meltano state, two runs (module fixtures, in this order):
1. a first day: the Delivery Import job (load, then `dbt-postgres:build`) before any entity
   table exists: every model builds, names are NULL, the relationship checks only warn;
2. `meltano run tap-pinterest-ads target-postgres dbt-postgres:build` with the default streams
   and every opt-in stream selected: stream-named
   tables (entities, ad accounts, lookups, level, breakdown, hourly and conversion reports)
   beside the job's `pinterest_data_delivery`.
Model outputs are compared with values computed from the simulator's dataset. Names kept for
removed entities are checked on the jobs' tables in test_meltano_postgres.py.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
from collections import defaultdict
from decimal import Decimal
from pathlib import Path

import psycopg
import pytest

from pinterest_simulator import Dataset, Simulator
from tests.e2e.conftest import FAKE_CREDENTIALS, HISTORY_DAYS, MeltanoRunner, base_env, dbt_paths
from tests.e2e.dbt_expectations import (
    AD_REPORTING_COLUMNS,
    check_composites,
    conversion_totals,
    delivery_key,
    hourly_totals,
    name_of,
    requested_rows,
    targeting_spend,
    totals,
)
from tests.e2e.dbt_finality import check_day_finality, check_value_names, is_final
from tests.e2e.expectations import dbt_results, expected_delivery, micro
from tests.postgres import PostgresServer, query

pytestmark = pytest.mark.e2e

REPORTING = "pinterest_reporting"
STAGING = "pinterest_reporting_staging"
DEFAULT_STREAMS = [
    "ad_accounts", "campaigns", "ad_groups", "pin_promotions", "pin_promotion_delivery",
    "audiences", "customer_lists", "conversion_tags", "targeting_options", "ad_formats",
    "metrics_ready_state",
]  # fmt: skip
OPT_IN_STREAMS = [
    "ad_account_delivery", "campaign_delivery", "ad_group_delivery",
    "pin_promotion_targeting_delivery", "campaign_targeting_delivery",
    "pin_promotion_delivery_hourly", "pin_promotion_conversions", "keywords", "pins",
    "delivery_metrics",
]  # fmt: skip


@pytest.fixture(scope="module")
def ds() -> Dataset:
    return Dataset(
        accounts=2, campaigns_per_account=2, ad_groups_per_campaign=2, ads_per_ad_group=2,
        days=HISTORY_DAYS + 10, seed=9,
    )  # fmt: skip


@pytest.fixture(scope="module")
def sim(ds: Dataset):
    with Simulator(ds, report_delay_seconds=0.1) as simulator:
        yield simulator


@pytest.fixture(scope="module")
def start(ds: Dataset) -> dt.date:
    return ds.today - dt.timedelta(days=HISTORY_DAYS)


@pytest.fixture(scope="module")
def warehouse(postgres: PostgresServer) -> PostgresServer:
    with psycopg.connect(postgres.url, autocommit=True) as conn:
        conn.execute("CREATE DATABASE dbt_layer")
    return dataclasses.replace(postgres, database="dbt_layer")


@pytest.fixture(scope="module")
def runner(
    meltano_home: Path, tmp_path_factory: pytest.TempPathFactory, sim: Simulator,
    warehouse: PostgresServer, start: dt.date,
) -> MeltanoRunner:  # fmt: skip
    home = tmp_path_factory.mktemp("meltano-dbt")
    (home / ".env").write_text("")
    env = base_env(meltano_home)  # the installed plugins; state and logs of its own
    env.update(
        MELTANO_DATABASE_URI=f"sqlite:///{home / 'meltano.db'}",
        TAP_PINTEREST_ADS_API_URL=sim.base_url,
        TAP_PINTEREST_ADS_START_DATE=start.isoformat(),
        TAP_PINTEREST_ADS_TOKEN_STORE_PATH=str(home / "token-store.json"),
        PGHOST=warehouse.host, PGPORT=str(warehouse.port), PGUSER=warehouse.user,
        PGPASSWORD="unused-trust-auth", PGDATABASE=warehouse.database,
        **dbt_paths(home), **FAKE_CREDENTIALS,
    )  # fmt: skip
    return MeltanoRunner(env=env, home=home)


@pytest.fixture(scope="module")
def first_day(runner: MeltanoRunner) -> dict[str, str]:
    runner("run", "pinterest-ads-delivery-import")
    return dbt_results(runner.env["DBT_TARGET_PATH"])


@pytest.fixture(scope="module")
def opt_in_run(first_day: dict, runner: MeltanoRunner, sim: Simulator) -> dict[str, str]:
    selection = [f"{stream}.*" for stream in DEFAULT_STREAMS + OPT_IN_STREAMS]
    mark = len(sim.requests)
    runner.env["TAP_PINTEREST_ADS__SELECT"] = json.dumps(selection)
    try:
        runner("run", "tap-pinterest-ads", "target-postgres", "dbt-postgres:build")
    finally:
        del runner.env["TAP_PINTEREST_ADS__SELECT"]
    return {"results": dbt_results(runner.env["DBT_TARGET_PATH"]), "mark": mark}


# --------------------------------------------------------------------------- first day
def test_first_day_builds_every_model_before_any_entity_table_exists(
    first_day: dict[str, str], warehouse: PostgresServer, ds: Dataset, start: dt.date
) -> None:
    models = {node: s for node, s in first_day.items() if node.startswith("model.")}
    assert len(models) >= 30
    assert set(models.values()) == {"success"}, models
    # Delivery of entities no entity table lists yet: a warning, not a failed job.
    warned = {node for node, s in first_day.items() if s == "warn"}
    assert warned, "the relationship checks should warn while no entity table exists"
    assert all(".relationships_stg_pinterest__pin_promotion_delivery" in n for n in warned)
    assert {s for n, s in first_day.items() if n.startswith("test.") and n not in warned} == {
        "pass"
    }
    rows = query(warehouse, f"SELECT * FROM {REPORTING}.pinterest__delivery_report")
    expected = expected_delivery(ds, start, ds.today)
    assert len(rows) == len(expected)
    assert {delivery_key(r) for r in rows} == set(expected)
    assert all(r["campaign_name"] is None and r["pin_promotion_name"] is None for r in rows)
    # The job also loads the days it read and what Pinterest said of each (metrics_ready_state).
    days = query(warehouse, f"SELECT * FROM {STAGING}.stg_pinterest__metrics_ready_state")
    check_day_finality(rows, days, ds, start)
    assert not any(r["campaign_removed"] for r in rows)
    assert sum(r["spend"] for r in rows) == sum(
        micro(raw.get("SPEND_IN_MICRO_DOLLAR")) for raw in expected.values()
    )
    for empty in ("pinterest__hourly_report", "pinterest__pin_promotion_targeting_report",
                  "pinterest__conversions_report"):  # fmt: skip
        assert query(warehouse, f"SELECT count(*) AS n FROM {REPORTING}.{empty}") == [{"n": 0}]


# --------------------------------------------------------------------------- every stream
def test_with_every_stream_loaded_every_dbt_test_passes(opt_in_run: dict) -> None:
    results = opt_in_run["results"]
    assert set(results.values()) == {"success", "pass"}, {
        n: s for n, s in results.items() if s not in ("success", "pass")
    }
    assert "test.pinterest_ads.assert_pinterest__ad_spend_matches_account_spend" in results


def test_delivery_report_reads_the_jobs_table_with_names_from_the_stream_tables(
    opt_in_run: dict, warehouse: PostgresServer, ds: Dataset, start: dt.date
) -> None:
    rows = query(warehouse, f"SELECT * FROM {REPORTING}.pinterest__delivery_report")
    expected = expected_delivery(ds, start, ds.today)
    # Both pinterest_data_delivery (the job's) and pin_promotion_delivery exist: one is read.
    assert len(rows) == len(expected)
    accounts = {a["id"]: a for a in ds.ad_accounts()}
    for row in rows:
        raw = expected[delivery_key(row)]
        assert row["ad_account_name"] == accounts[row["ad_account_id"]]["name"]
        assert row["currency"] == accounts[row["ad_account_id"]]["currency"]
        assert row["campaign_name"] == name_of(ds, "campaign", str(raw["CAMPAIGN_ID"]))
        assert row["ad_group_name"] == name_of(ds, "ad_group", str(raw["AD_GROUP_ID"]))
        assert row["pin_promotion_name"] == name_of(ds, "ad", row["pin_promotion_id"])
        assert row["spend"] == micro(raw.get("SPEND_IN_MICRO_DOLLAR"))
        assert row["video_completes"] == int(raw.get("VIDEO_P100_COMPLETE_1") or 0)
    check_composites(rows, {key: totals([raw]) for key, raw in expected.items()}, delivery_key)


def test_daily_reports_sum_first_then_divide(
    opt_in_run: dict, warehouse: PostgresServer, ds: Dataset, start: dt.date
) -> None:
    expected = expected_delivery(ds, start, ds.today)
    grains = {
        "account": lambda raw: (raw["DATE"], raw["AD_ACCOUNT_ID"]),
        "campaign": lambda raw: (raw["DATE"], str(raw["CAMPAIGN_ID"])),
        "ad_group": lambda raw: (raw["DATE"], str(raw["AD_GROUP_ID"])),
    }
    for grain, key_of in grains.items():
        groups = defaultdict(list)
        for (day, account, _), raw in expected.items():
            groups[key_of({**raw, "DATE": day, "AD_ACCOUNT_ID": account})].append(raw)
        id_column = "ad_account_id" if grain == "account" else f"{grain}_id"
        rows = query(warehouse, f"SELECT * FROM {REPORTING}.pinterest__{grain}_daily_report")
        assert len(rows) == len(groups), grain
        wanted = {key: totals(raws) for key, raws in groups.items()}
        for row in rows:
            assert row["spend"] == wanted[(row["date_day"].isoformat(), row[id_column])]["spend"]
            # Every row of a day shares its finality: the total is final when the day is.
            assert row["is_final"] is is_final(ds, row["date_day"])
        # Daily totals of several ads: every one has video views, so no NULL ratio here.
        check_composites(
            rows, wanted, key=lambda r, c=id_column: (r["date_day"].isoformat(), r[c]),
            with_nulls=False,
        )  # fmt: skip


def test_cross_channel_model_has_the_documented_layout(
    opt_in_run: dict, warehouse: PostgresServer, ds: Dataset, start: dt.date
) -> None:
    columns = query(
        warehouse,
        "SELECT column_name, data_type FROM information_schema.columns "
        "WHERE table_schema = %s AND table_name = 'ad_reporting__daily' ORDER BY ordinal_position",
        REPORTING,
    )
    assert [(c["column_name"], c["data_type"]) for c in columns] == AD_REPORTING_COLUMNS
    rows = query(warehouse, f"SELECT * FROM {REPORTING}.ad_reporting__daily")
    expected = expected_delivery(ds, start, ds.today)
    assert {(r["date_day"].isoformat(), r["account_id"], r["ad_id"]) for r in rows} == set(expected)
    for row in rows:
        raw = expected[(row["date_day"].isoformat(), row["account_id"], row["ad_id"])]
        assert row["platform"] == "pinterest"
        assert row["ad_name"] == name_of(ds, "ad", row["ad_id"])
        assert row["spend"] == micro(raw.get("SPEND_IN_MICRO_DOLLAR"))
        assert row["impressions"] == int(raw.get("IMPRESSION_1") or 0)
        assert row["clicks"] == int(raw.get("CLICKTHROUGH_1") or 0)
        assert row["conversions"] == int(raw.get("TOTAL_CONVERSIONS") or 0)
        assert row["conversion_value"] == micro(raw.get("TOTAL_CONVERSIONS_VALUE_IN_MICRO_DOLLAR"))
        assert row["is_final"] is is_final(ds, row["date_day"])


def test_breakdown_hourly_and_conversion_models(
    opt_in_run: dict, warehouse: PostgresServer, sim: Simulator
) -> None:
    mark = opt_in_run["mark"]
    raw = requested_rows(sim, mark, "PIN_PROMOTION_TARGETING")
    spend = targeting_spend(raw)
    rows = query(
        warehouse,
        "SELECT targeting_type, targeting_value, min(targeting_value_name) AS value_name, "
        "sum(spend) AS spend, count(*) AS n "
        f"FROM {REPORTING}.pinterest__pin_promotion_targeting_report GROUP BY 1, 2",
    )
    assert {(r["targeting_type"], r["targeting_value"]): r["spend"] for r in rows} == spend
    assert sum(r["n"] for r in rows) == len(raw)
    names = {(r["targeting_type"], r["targeting_value"]): r["value_name"] for r in rows}
    assert names[("LOCATION", "500")] == "Portland-Auburn, ME"  # targeting_options LOCATION
    assert names[("REGION", "US-CA")] == "United States: California"  # ... GEO
    assert names[("GENDER", "female")] == "Female"
    assert names[("KEYWORD", "linen shirt")] is None  # a value that is its own name
    check_value_names(names, sim.dataset)  # audiences, Pinner interests, geo

    hourly = requested_rows(sim, mark, "PIN_PROMOTION", "HOUR")
    got = query(
        warehouse,
        f"SELECT count(*) AS n, sum(spend) AS spend, "
        f"count(pin_promotion_name) AS named FROM {REPORTING}.pinterest__hourly_report",
    )
    assert got == [hourly_totals(sim.dataset, hourly)]

    conversions = requested_rows(sim, mark, "PIN_PROMOTION", spend=False)
    got = query(
        warehouse,
        f"SELECT count(*) AS n, sum(conversions) AS conversions, "
        f"sum(checkout_value) AS checkout FROM {REPORTING}.pinterest__conversions_report",
    )
    assert got == [conversion_totals(conversions)]


def test_spend_consistency_test_fails_when_account_spend_disagrees(
    opt_in_run: dict, runner: MeltanoRunner, warehouse: PostgresServer
) -> None:
    """The dbt test passed above; the same SQL finds a day whose account spend is off."""
    compiled = next(
        Path(runner.env["DBT_TARGET_PATH"]).glob(
            "compiled/pinterest_ads/tests/assert_pinterest__ad_spend_matches_account_spend.sql"
        )
    )
    sql = compiled.read_text()
    loaded = f"SELECT count(*) AS n FROM {STAGING}.stg_pinterest__ad_account_delivery"
    assert query(warehouse, loaded)[0]["n"], "ad_account_delivery should be loaded"
    assert query(warehouse, sql) == []
    with psycopg.connect(warehouse.url, autocommit=True) as conn:
        conn.execute(
            "UPDATE pinterest.ad_account_delivery SET spend = spend + 0.01 "
            "WHERE (date, ad_account_id) IN (SELECT date, ad_account_id "
            "FROM pinterest.ad_account_delivery ORDER BY date DESC LIMIT 1)"
        )
    off = query(warehouse, sql)
    assert len(off) == 1
    assert off[0]["account_level_spend"] - off[0]["ad_level_spend"] == Decimal("0.01")
