"""Both Meltano jobs of the repo's meltano.yml into target-postgres on a real PostgreSQL server.

The runs build on each other (module fixtures, in this order): Meta Refresh; a campaign
removed from the API and Meta Refresh again (soft delete); Delivery Import; a second Delivery
Import (upsert + lookback). Each job ends with `dbt-postgres:build`: the delivery report model
on top of all of it is checked last (tests/e2e/test_dbt_postgres.py covers the rest of dbt).
"""

from __future__ import annotations

import dataclasses
import datetime as dt

import psycopg
import pytest

from pinterest_simulator import Dataset, Simulator
from tests.e2e.conftest import DELIVERY_TABLE, LOOKBACK_DAYS, META_TABLES, SCHEMA, MeltanoRunner
from tests.e2e.dbt_expectations import check_composites, name_of, totals
from tests.e2e.expectations import (
    ReportRequest,
    bookmarks_by_account,
    dbt_results,
    delivery_keys,
    expected_delivery,
    expected_entities,
    micro,
    query,
    report_requests,
    same_in_postgres,
    tables,
)
from tests.postgres import PostgresServer

pytestmark = pytest.mark.e2e

DELIVERY_STATE_ID = "dev:tap-pinterest-ads--delivery-to-target-postgres"
KEY = ("date", "ad_account_id", "pin_promotion_id")
REPORTING = "pinterest_reporting"  # the dbt models' schema (meltano.yml, dbt-postgres)


@dataclasses.dataclass
class DeliveryRun:
    requests: list[ReportRequest]
    started: dt.datetime  # UTC, naive like the _sdc_* columns


def run_delivery(meltano: MeltanoRunner, simulator: Simulator, *command: str) -> DeliveryRun:
    mark = len(simulator.requests)
    started = dt.datetime.now(dt.timezone.utc).replace(tzinfo=None)
    meltano(*(command or ("run", "pinterest-ads-delivery-import")))
    return DeliveryRun(report_requests(simulator, since=mark), started)


# --------------------------------------------------------------------------- the runs
@pytest.fixture(scope="module")
def meta_run(meltano: MeltanoRunner) -> None:
    meltano("run", "pinterest-ads-meta-refresh")


@pytest.fixture(scope="module")
def first_delivery(
    delivery_stream: str, meltano: MeltanoRunner, simulator: Simulator
) -> DeliveryRun:
    return run_delivery(meltano, simulator)


@pytest.fixture(scope="module")
def second_delivery(
    first_delivery: DeliveryRun, meltano: MeltanoRunner, simulator: Simulator
) -> tuple[DeliveryRun, dict[str, dt.date]]:
    """The bookmarks left by the first run, then the second run, as the README's crontab
    line starts it (`meltano schedule run` runs the schedule's job, on the same state)."""
    bookmarks = bookmarks_by_account(meltano.state(DELIVERY_STATE_ID), simulator.dataset)
    schedule = ("schedule", "run", "pinterest-ads-delivery-import-daily")
    return run_delivery(meltano, simulator, *schedule), bookmarks


@pytest.fixture(scope="module")
def removed_campaign(meta_run: None, meltano: MeltanoRunner, simulator: Simulator) -> str:
    """A campaign that disappears from the API, then the next Meta Refresh."""
    account = simulator.dataset.account_ids[0]
    campaign_id = simulator.dataset.all_ids("campaign", account)[1]
    simulator.remove_entity("campaign", campaign_id)
    meltano("run", "pinterest-ads-meta-refresh")
    return campaign_id


# --------------------------------------------------------------------------- meta
def test_meta_refresh_loads_every_entity_into_the_aliased_tables(
    meta_run: None, postgres: PostgresServer, dataset: Dataset
) -> None:
    present = tables(postgres)
    assert set(META_TABLES.values()) <= present
    # The stream-map aliases name the tables; the stream names do not appear.
    assert not {"campaigns", "ad_groups", "pin_promotions", "ad_accounts"} & present
    for kind, table in META_TABLES.items():
        everything = expected_entities(dataset, kind, include_removed=True)
        current = expected_entities(dataset, kind, include_removed=False)
        statuses = {e["status"] for e in everything}
        assert len(statuses) > 2, "the dataset should hold entities of several statuses"
        rows = query(
            postgres,
            f"SELECT id, name, status, _sdc_deleted_at, _sdc_table_version FROM {SCHEMA}.{table}",
        )
        assert sorted(r[0] for r in rows) == sorted(e["id"] for e in everything), table
        assert sum(r[3] is None for r in rows) == len(current), table
        names = {e["id"]: e["name"] for e in everything}
        assert all(name == names[eid] for eid, name, *_ in rows), table
        assert all(version is not None for *_, version in rows), "ACTIVATE_VERSION stamps rows"
        pkey = query(
            postgres,
            "SELECT a.attname FROM pg_index i JOIN pg_attribute a ON a.attrelid = i.indrelid "
            "AND a.attnum = ANY(i.indkey) WHERE i.indrelid = %s::regclass AND i.indisprimary",
            f"{SCHEMA}.{table}",
        )
        assert pkey == [("id",)], table
    # Not one of the spec's lookups: the reporting layer's account names and currencies.
    accounts = query(postgres, f"SELECT id, name, currency FROM {SCHEMA}.pinterest_meta_adaccount")
    assert sorted(accounts) == sorted(
        (a["id"], a["name"], a["currency"]) for a in dataset.ad_accounts()
    )


def test_removed_campaign_is_soft_deleted_by_the_next_meta_refresh(
    removed_campaign: str, postgres: PostgresServer, dataset: Dataset
) -> None:
    table = META_TABLES["campaign"]
    rows = query(
        postgres, f"SELECT id, name, _sdc_deleted_at, _sdc_table_version FROM {SCHEMA}.{table}"
    )
    by_id = {r[0]: r for r in rows}
    assert removed_campaign in by_id, "a soft delete keeps the row"
    assert by_id[removed_campaign][2] is not None
    assert (
        by_id[removed_campaign][1]
        == dataset.get_entity("campaign", removed_campaign, include_removed=True)["name"]
    )
    others = [r for r in rows if r[0] != removed_campaign]
    assert others
    assert all(r[2] is None for r in others)
    # The survivors carry the second run's (newer) table version; the removed one the first's.
    assert all(r[3] > by_id[removed_campaign][3] for r in others)
    # No cascade: its ad groups and ads are still listed by the API, so still live.
    for kind in ("ad_group", "ad"):
        deleted = query(
            postgres,
            f"SELECT count(*) FROM {SCHEMA}.{META_TABLES[kind]} WHERE _sdc_deleted_at IS NOT NULL",
        )
        assert deleted == [(0,)], kind


# --------------------------------------------------------------------------- delivery
def test_delivery_import_loads_every_report_row(
    first_delivery: DeliveryRun,
    postgres: PostgresServer,
    dataset: Dataset,
    start_date: dt.date,
) -> None:
    assert DELIVERY_TABLE in tables(postgres)
    assert "pin_promotion_delivery" not in tables(postgres)
    requests = first_delivery.requests
    assert {r.account_id for r in requests} == set(dataset.account_ids)
    for request in requests:
        assert request.body["level"] == "PIN_PROMOTION"
        assert request.body["granularity"] == "DAY"
    # A run without state starts at start_date and reaches today.
    assert min(r.start for r in requests) == start_date
    assert max(r.end for r in requests) == dataset.today

    expected = expected_delivery(dataset, start_date, dataset.today)
    keys = delivery_keys(postgres)
    assert len(keys) == len(set(keys))
    assert sorted(keys) == sorted(expected)
    pkey = query(
        postgres,
        "SELECT a.attname FROM pg_index i JOIN pg_attribute a ON a.attrelid = i.indrelid "
        "AND a.attnum = ANY(i.indkey) WHERE i.indrelid = %s::regclass AND i.indisprimary",
        f"{SCHEMA}.{DELIVERY_TABLE}",
    )
    assert {name for (name,) in pkey} == set(KEY)
    # Money is exact: micro-units / 10^6 in a numeric column.
    spend = query(postgres, f"SELECT sum(spend) FROM {SCHEMA}.{DELIVERY_TABLE}")[0][0]
    assert spend == sum(micro(row.get("SPEND_IN_MICRO_DOLLAR")) for row in expected.values())


def test_delivery_import_stores_every_value_the_tap_emits(
    first_delivery: DeliveryRun,
    postgres: PostgresServer,
    emitted_delivery: dict[tuple[str, str, str], dict],
) -> None:
    """meltano.yml sets `validate_records: false` (the tap's records are typed by construction):
    the table still holds every field of every record as emitted. Money (micro-units / 10^6),
    counts, ids and dates are exact; the 28-digit ratios (ctr, cpc, ...) keep a double's 17
    significant digits, because target-postgres's COPY path (`use_copy: true`) passes numbers
    through float."""
    with psycopg.connect(postgres.url, autocommit=True) as conn, conn.cursor() as cur:
        cur.execute(f"SELECT * FROM {SCHEMA}.{DELIVERY_TABLE}")
        names = [column.name for column in cur.description]
        rows = [dict(zip(names, row, strict=True)) for row in cur.fetchall()]
    assert len(rows) == len(emitted_delivery)
    for row in rows:
        key = (row["date"].isoformat(), row["ad_account_id"], row["pin_promotion_id"])
        emitted = emitted_delivery[key]
        assert {name for name in row if not name.startswith("_sdc_")} == set(emitted)
        different = {
            name: (row[name], value)
            for name, value in emitted.items()
            if not same_in_postgres(row[name], value)
        }
        assert not different, key
    # The Singer metadata is there too: when each row was extracted and loaded.
    assert all(row["_sdc_extracted_at"] and row["_sdc_batched_at"] for row in rows)


def test_second_delivery_import_repulls_the_lookback_window_without_duplicates(
    second_delivery: tuple[DeliveryRun, dict[str, dt.date]],
    postgres: PostgresServer,
    dataset: Dataset,
    start_date: dt.date,
) -> None:
    run, bookmarks = second_delivery
    assert {r.account_id for r in run.requests} == set(dataset.account_ids)
    for account, bookmark in bookmarks.items():
        starts = [r.start for r in run.requests if r.account_id == account]
        assert min(starts) == max(start_date, bookmark - dt.timedelta(days=LOOKBACK_DAYS)), account
    assert max(r.end for r in run.requests) == dataset.today

    # Same rows as after the first run: the re-pulled days were upserted on the key.
    keys = delivery_keys(postgres)
    assert len(keys) == len(set(keys))
    assert sorted(keys) == sorted(expected_delivery(dataset, start_date, dataset.today))
    # ... and exactly the lookback window's rows were rewritten by the second run.
    rewritten = query(
        postgres,
        f"SELECT ad_account_id, min(date), count(*) FROM {SCHEMA}.{DELIVERY_TABLE} "
        "WHERE _sdc_extracted_at >= %s GROUP BY ad_account_id",
        run.started,
    )
    for account, first_day, count in rewritten:
        window_start = max(start_date, bookmarks[account] - dt.timedelta(days=LOOKBACK_DAYS))
        assert first_day == window_start
        assert count == len(
            expected_delivery(dataset, window_start, dataset.today, accounts=[account])
        )
    assert {r[0] for r in rewritten} == set(dataset.account_ids)


# --------------------------------------------------------------------------- dbt models
def test_every_job_run_ends_with_a_passing_dbt_build(
    second_delivery: tuple[DeliveryRun, dict[str, dt.date]], meltano: MeltanoRunner
) -> None:
    results = dbt_results(meltano.env["DBT_TARGET_PATH"])  # the last job's `dbt-postgres:build`
    assert any(node.endswith(".pinterest__delivery_report") for node in results)
    assert set(results.values()) == {"success", "pass"}, results


def test_delivery_report_keeps_the_names_of_removed_entities_and_flags_them(
    second_delivery: tuple[DeliveryRun, dict[str, dt.date]],
    removed_campaign: str,
    postgres: PostgresServer,
    dataset: Dataset,
    start_date: dt.date,
) -> None:
    with psycopg.connect(postgres.url, autocommit=True) as conn, conn.cursor() as cur:
        cur.execute(f"SELECT * FROM {REPORTING}.pinterest__delivery_report")
        names = [column.name for column in cur.description]
        rows = [dict(zip(names, row, strict=True)) for row in cur.fetchall()]
    expected = expected_delivery(dataset, start_date, dataset.today)
    assert len(rows) == len(expected)
    removed = 0
    for row in rows:
        raw = expected[(row["date_day"].isoformat(), row["ad_account_id"], row["pin_promotion_id"])]
        assert row["campaign_id"] == str(raw["CAMPAIGN_ID"])
        # Names stay, also for the soft-deleted campaign (its history still happened).
        assert row["campaign_name"] == name_of(dataset, "campaign", row["campaign_id"])
        assert row["ad_group_name"] == name_of(dataset, "ad_group", str(raw["AD_GROUP_ID"]))
        assert row["pin_promotion_name"] == name_of(dataset, "ad", row["pin_promotion_id"])
        assert row["campaign_removed"] == (row["campaign_id"] == removed_campaign)
        assert not row["ad_group_removed"]
        assert not row["pin_promotion_removed"]
        removed += row["campaign_removed"]
        assert row["spend"] == micro(raw.get("SPEND_IN_MICRO_DOLLAR"))
    assert removed, "the removed campaign has delivery in the window"
    check_composites(
        rows,
        {key: totals([raw]) for key, raw in expected.items()},
        key=lambda r: (r["date_day"].isoformat(), r["ad_account_id"], r["pin_promotion_id"]),
    )
