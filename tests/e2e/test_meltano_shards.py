"""Advertiser-id shards (docs/orchestration.md) run in parallel into one PostgreSQL server.

Own simulator (four ad accounts, two per shard), database and Meltano state; the project is the
repository's meltano.yml plus the documented shard snippet (tests/e2e/shards_project.py). The runs
build on each other (module fixtures, in this order):
1. the doc's crontab line: both shards' Meta Refresh, then both shards' Delivery Import, two
   `meltano run` processes at a time, held in step on their token requests so that they overlap;
   then the reporting job (dbt);
2. a campaign of shard A removed from the API, shard B's bookmark of one account moved back a
   week, and the same line again.
Besides: two shards loading one shared schema (the trap the design avoids).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
from pathlib import Path

import pytest

from pinterest_simulator import Dataset, Simulator
from tests.e2e.conftest import (
    FAKE_CREDENTIALS,
    HISTORY_DAYS,
    LOOKBACK_DAYS,
    META_TABLES,
    MeltanoRunner,
    base_env,
    dbt_paths,
)
from tests.e2e.expectations import expected_delivery
from tests.e2e.shards_project import (
    SHARDS,
    Round,
    airflow_dag,
    bookmarks,
    build_project,
    crontab_command,
    delivery_state_id,
    new_database,
    query,
    run_round,
)
from tests.postgres import PostgresServer

pytestmark = pytest.mark.e2e

SCHEMAS = {"shard-a": "pinterest__shard_a", "shard-b": "pinterest__shard_b"}
ENTITY_TABLES = {"ad_account": "pinterest_meta_adaccount", **META_TABLES}
DELIVERY_TABLE = "pinterest_data_delivery"
STAGING = "pinterest_reporting_staging"
REPORTING = "pinterest_reporting"


@pytest.fixture(scope="module")
def ds() -> Dataset:
    return Dataset(
        accounts=4, campaigns_per_account=2, ad_groups_per_campaign=2, ads_per_ad_group=2,
        days=HISTORY_DAYS + 10, seed=12,
    )  # fmt: skip


@pytest.fixture(scope="module")
def sim(ds: Dataset):
    with Simulator(ds, report_delay_seconds=0.1) as simulator:
        yield simulator


@pytest.fixture(scope="module")
def accounts(ds: Dataset) -> dict[str, list[str]]:
    """Ad account ids by shard: every other one, so neither shard is a prefix of the list."""
    return {"shard-a": ds.account_ids[0::2], "shard-b": ds.account_ids[1::2]}


def first_day(ds: Dataset) -> dt.date:
    return ds.today - dt.timedelta(days=HISTORY_DAYS)


@pytest.fixture(scope="module")
def start(ds: Dataset) -> dt.date:
    return first_day(ds)


@pytest.fixture(scope="module")
def warehouse(postgres: PostgresServer) -> PostgresServer:
    return new_database(postgres, "shards")


@pytest.fixture(scope="module")
def runner(
    meltano_home: Path, tmp_path_factory: pytest.TempPathFactory, sim: Simulator,
    warehouse: PostgresServer, accounts: dict[str, list[str]],
) -> MeltanoRunner:  # fmt: skip
    home = tmp_path_factory.mktemp("meltano-shards")
    (home / ".env").write_text("")
    project = build_project(home / "project", accounts)
    env = base_env(meltano_home)  # the installed plugins; project, state and logs of its own
    env.update(
        MELTANO_PROJECT_ROOT=str(project),
        MELTANO_DATABASE_URI=f"sqlite:///{home / 'meltano.db'}",
        TAP_PINTEREST_ADS_API_URL=sim.base_url,
        TAP_PINTEREST_ADS_START_DATE=first_day(sim.dataset).isoformat(),
        TAP_PINTEREST_ADS_TOKEN_STORE_PATH=str(home / "token-store.json"),
        # What the unsharded jobs read: every account. Each shard's own ids must win over it.
        TAP_PINTEREST_ADS_ADVERTISER_IDS=",".join(sim.dataset.account_ids),
        PGHOST=warehouse.host, PGPORT=str(warehouse.port), PGUSER=warehouse.user,
        PGPASSWORD="unused-trust-auth", PGDATABASE=warehouse.database,
        **dbt_paths(home), **FAKE_CREDENTIALS,
    )  # fmt: skip
    return MeltanoRunner(env=env, home=home)


@pytest.fixture(scope="module")
def first_round(delivery_stream: str, runner: MeltanoRunner, sim: Simulator) -> Round:
    return run_round(runner, sim)


@pytest.fixture(scope="module")
def moved_back(first_round: Round, runner: MeltanoRunner, accounts: dict) -> tuple[str, dt.date]:
    """Shard B's bookmark of its first account, a week earlier (the other bookmarks stay)."""
    state_id = delivery_state_id("shard-b")
    state = runner.state(state_id)
    account = accounts["shard-b"][0]
    partition = next(
        p
        for p in state["bookmarks"]["pin_promotion_delivery"]["partitions"]
        if p["context"]["ad_account_id"] == account
    )
    value = str(partition["replication_key_value"])
    day = dt.date.fromisoformat(value[:10])
    earlier = day - dt.timedelta(days=7)
    partition["replication_key_value"] = value.replace(day.isoformat(), earlier.isoformat())
    runner("state", "set", "--force", state_id, json.dumps({"singer_state": state}))
    return account, earlier


@pytest.fixture(scope="module")
def removed_campaign(first_round: Round, sim: Simulator, accounts: dict) -> str:
    campaign = sim.dataset.all_ids("campaign", accounts["shard-a"][0])[1]
    sim.remove_entity("campaign", campaign)
    return campaign


@pytest.fixture(scope="module")
def second_round(
    removed_campaign: str, moved_back: tuple, runner: MeltanoRunner, sim: Simulator
) -> Round:
    return run_round(runner, sim)


def entity_ids(ds: Dataset, kind: str, shard_accounts: list[str]) -> set[str]:
    if kind == "ad_account":
        return set(shard_accounts)
    return {i for account in shard_accounts for i in ds.all_ids(kind, account)}


def delivery_keys(rows: list[dict]) -> list[tuple[str, str, str]]:
    return [(r["date"].isoformat(), r["ad_account_id"], r["pin_promotion_id"]) for r in rows]


# --------------------------------------------------------------------------- first round
def test_the_shards_runs_overlap_two_at_a_time(first_round: Round) -> None:
    # Meta Refresh A+B, then Delivery Import A+B: each pair met at the simulator.
    assert len(first_round.released) == 2


def test_each_shard_loads_its_own_accounts_into_its_own_schema(
    first_round: Round, warehouse: PostgresServer, ds: Dataset, start: dt.date, accounts: dict
) -> None:
    schemas = {r["schema_name"] for r in query(warehouse, "SELECT schema_name FROM "
                                              "information_schema.schemata")}  # fmt: skip
    assert set(SCHEMAS.values()) <= schemas
    assert "pinterest" not in schemas, "no shard writes the unsharded schema"
    for shard, schema in SCHEMAS.items():
        for kind, table in ENTITY_TABLES.items():
            rows = query(warehouse, f"SELECT id, _sdc_deleted_at FROM {schema}.{table}")
            ids = [r["id"] for r in rows]
            assert sorted(ids) == sorted(entity_ids(ds, kind, accounts[shard])), (shard, table)
            assert all(r["_sdc_deleted_at"] is None for r in rows), (shard, table)
        rows = query(warehouse, f"SELECT * FROM {schema}.{DELIVERY_TABLE}")
        keys = delivery_keys(rows)
        assert len(keys) == len(set(keys))
        assert set(keys) == set(expected_delivery(ds, start, ds.today, accounts=accounts[shard]))


def test_each_shard_keeps_bookmarks_for_its_own_accounts_only(
    first_round: Round, runner: MeltanoRunner, ds: Dataset, accounts: dict
) -> None:
    for shard in SHARDS:
        assert set(bookmarks(runner, shard)) == set(accounts[shard]), shard
    assert {r.account_id for r in first_round.requests} == set(ds.account_ids)


def test_each_delivery_shard_gets_its_share_of_the_budget(
    first_round: Round, runner: MeltanoRunner, accounts: dict
) -> None:
    shares = 0
    for shard in SHARDS:
        out = runner("config", "print", f"tap-pinterest-ads--delivery--{shard}").stdout
        config = json.loads(out)
        assert config["advertiser_ids"] == ", ".join(accounts[shard])
        shares += config["analytics_requests_per_minute"]
    assert shares == 300, "the shards that run at once share the app's 300 calls a minute"


def test_the_airflow_recipe_runs_the_snippets_jobs_then_the_reporting_job() -> None:
    dag = airflow_dag()
    compile(dag, "orchestration.md", "exec")  # valid Python, whatever Airflow is installed
    assert 'SHARDS = ["shard-a", "shard-b"]' in dag
    assert '("meta-refresh", "delivery-import")' in dag
    assert 'f"pinterest-ads-{job}--{shard}"' in dag
    assert 'shard_jobs >> meltano_run("pinterest-ads-reporting")' in dag
    line = crontab_command()
    for shard in SHARDS:
        for job in ("meta-refresh", "delivery-import"):
            assert f"pinterest-ads-{job}--{shard} " in line
    assert line.endswith("&& .venv-meltano/bin/meltano run pinterest-ads-reporting")


# --------------------------------------------------------------------------- second round
def test_a_campaign_removed_from_shard_a_is_the_only_row_marked_deleted(
    second_round: Round, removed_campaign: str, warehouse: PostgresServer, ds: Dataset,
    accounts: dict,
) -> None:  # fmt: skip
    assert len(second_round.released) == 2
    for shard, schema in SCHEMAS.items():
        for kind, table in ENTITY_TABLES.items():
            rows = query(warehouse, f"SELECT id, _sdc_deleted_at FROM {schema}.{table}")
            # No row lost: the removed campaign's too.
            assert sorted(r["id"] for r in rows) == sorted(entity_ids(ds, kind, accounts[shard]))
            deleted = {r["id"] for r in rows if r["_sdc_deleted_at"] is not None}
            expected = {removed_campaign} if (shard, kind) == ("shard-a", "campaign") else set()
            assert deleted == expected, (shard, table)


def test_each_shard_resumes_from_its_own_bookmarks(
    second_round: Round, moved_back: tuple[str, dt.date], start: dt.date, ds: Dataset
) -> None:
    moved_account, moved_to = moved_back
    assert second_round.bookmarks["shard-b"][moved_account] == moved_to
    for shard, marks in second_round.bookmarks.items():
        for account, bookmark in marks.items():
            starts = [r.start for r in second_round.requests if r.account_id == account]
            assert starts, (shard, account)
            assert min(starts) == max(start, bookmark - dt.timedelta(days=LOOKBACK_DAYS))
    starts = {r.start for r in second_round.requests}
    assert len(starts) == 2, "the moved-back bookmark changed one account's window only"
    assert max(r.end for r in second_round.requests) == ds.today


def test_the_reporting_layer_sees_every_shard_exactly_once(
    second_round: Round, removed_campaign: str, warehouse: PostgresServer, ds: Dataset,
    start: dt.date,
) -> None:  # fmt: skip
    assert set(second_round.results.values()) == {"success", "pass"}, second_round.results
    campaigns = query(
        warehouse, f"SELECT campaign_id, is_removed FROM {STAGING}.stg_pinterest__campaigns"
    )
    assert sorted(r["campaign_id"] for r in campaigns) == sorted(ds.all_ids("campaign"))
    assert {r["campaign_id"] for r in campaigns if r["is_removed"]} == {removed_campaign}
    accounts = query(warehouse, f"SELECT ad_account_id FROM {STAGING}.stg_pinterest__ad_accounts")
    assert sorted(r["ad_account_id"] for r in accounts) == sorted(ds.account_ids)
    rows = query(warehouse, f"SELECT * FROM {REPORTING}.pinterest__delivery_report")
    keys = [(r["date_day"].isoformat(), r["ad_account_id"], r["pin_promotion_id"]) for r in rows]
    expected = expected_delivery(ds, start, ds.today)
    assert len(keys) == len(expected)
    assert set(keys) == set(expected)
    for row in rows:
        assert row["campaign_name"] is not None
        assert row["campaign_removed"] == (row["campaign_id"] == removed_campaign)


# --------------------------------------------------------------------------- the trap
def test_two_shards_sharing_one_entity_table_mark_each_others_rows_deleted(
    runner: MeltanoRunner, postgres: PostgresServer, ds: Dataset, accounts: dict
) -> None:
    """The unsharded loader for both shards: one `pinterest.pinterest_meta_campaign`."""
    shared = new_database(postgres, "shards_trap")
    trap = dataclasses.replace(runner, env={**runner.env, "PGDATABASE": shared.database})
    for shard in SHARDS:
        trap("run", f"tap-pinterest-ads--meta--{shard}", "target-postgres")
    rows = query(shared, f"SELECT id, _sdc_deleted_at FROM pinterest.{META_TABLES['campaign']}")
    deleted = {r["id"] for r in rows if r["_sdc_deleted_at"] is not None}
    # What the API lists now (the module's simulator may have lost a campaign of shard A).
    listed = {c["id"] for c in ds.entities("campaign", None, statuses=None)}
    assert {r["id"] for r in rows} == listed
    # Shard B's ACTIVATE_VERSION marked every campaign of shard A deleted: whatever B's run did
    # not load counts as gone, though shard A's run had just loaded it.
    assert deleted == listed & entity_ids(ds, "campaign", accounts["shard-a"])
    assert deleted
