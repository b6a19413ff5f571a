"""The command this tap exists for: `meltano run tap-pinterest-ads target-postgres`.

Run as the README shows it, on the repo's meltano.yml (opened read-only), against the local
simulator: (a) with the shipped default selection and (b) with every stream selected
(Meltano's TAP_PINTEREST_ADS__SELECT, no edit of meltano.yml), each into its own fresh
PostgreSQL database, and (c) every stream into the DuckDB sink. Every table's row count is
compared with what the simulator's dataset holds. Three `meltano run`s in all.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import re
import subprocess
from pathlib import Path

import psycopg
import pytest
from psycopg import sql

from pinterest_simulator import Dataset
from pinterest_simulator import lookups as sim_lookups
from tap_pinterest_ads.streams.ad_formats import AD_FORMATS
from tap_pinterest_ads.streams.delivery import REPORT_STREAMS
from tap_pinterest_ads.streams.lookups import TARGETING_OPTION_TYPES
from tap_pinterest_ads.warehouse_names import RESERVED_NAMES
from tests.e2e.conftest import DUCKDB_PYTHON, SCHEMA, MeltanoRunner
from tests.postgres import PostgresServer
from tests.streams.test_warehouse_names import TARGET_COLUMNS

pytestmark = pytest.mark.e2e

DEFAULT_STREAMS = {
    "ad_accounts", "campaigns", "ad_groups", "pin_promotions", "pin_promotion_delivery",
    "audiences", "customer_lists", "conversion_tags", "targeting_options", "ad_formats",
}  # fmt: skip
EVERY_STREAM = 20
# A short history: the breakdown reports have many rows per day, and the target's load of
# them, not the tap, is what a longer one would cost.
CARD_HISTORY_DAYS = 2
HOUR_HISTORY_DAYS = 8  # Pinterest keeps 8 days of hourly data
# Report key field -> the raw report column it comes from (ad_account_id: the account).
KEY_COLUMNS = {
    "date": "DATE",
    "date_hour": "DATE",
    "campaign_id": "CAMPAIGN_ID",
    "ad_group_id": "AD_GROUP_ID",
    "pin_promotion_id": "PIN_PROMOTION_ID",
    "targeting_type": "TARGETING_TYPE",
    "targeting_value": "TARGETING_VALUE",
}


# --------------------------------------------------------------------------- expectations
def report_row_count(stream_class, dataset: Dataset, start: dt.date) -> int:
    """Distinct keys of the rows the simulator's reports hold for this report stream."""
    shape = stream_class.shape
    if shape.granularity == "HOUR":
        start = max(start, dataset.today - dt.timedelta(days=HOUR_HISTORY_DAYS))
    keys = set()
    for account in dataset.account_ids:
        for batch in shape.targeting_batches:
            for row in dataset.delivery_rows(
                account,
                start,
                dataset.today,
                list(shape.requested_columns()),
                level=shape.level,
                granularity=shape.granularity,
                targeting_types=batch,
            ):
                keys.add(
                    tuple(
                        account if field == "ad_account_id" else str(row[KEY_COLUMNS[field]])
                        for field in shape.key
                    )
                )
    return len(keys)


def expected_rows(dataset: Dataset, start: dt.date) -> dict[str, int]:
    """Rows per stream: what the simulator serves now (entities removed by earlier tests
    are gone from it, as from a fresh warehouse)."""
    accounts = dataset.account_ids

    def entities(kind: str, account: str) -> list[dict]:
        return dataset.entities(kind, account, statuses=None)

    ads = [ad for a in accounts for ad in entities("ad", a)]
    counts = {
        "ad_accounts": len(dataset.ad_accounts()),
        "campaigns": sum(len(entities("campaign", a)) for a in accounts),
        "ad_groups": sum(len(entities("ad_group", a)) for a in accounts),
        "pin_promotions": len(ads),
        "audiences": sum(len(sim_lookups.audiences(dataset, a)) for a in accounts),
        "customer_lists": sum(len(sim_lookups.customer_lists(dataset, a)) for a in accounts),
        "conversion_tags": sum(len(sim_lookups.conversion_tags(dataset, a)) for a in accounts),
        "keywords": sum(
            len(sim_lookups.keywords(dataset, group["id"]))
            for a in accounts
            for group in entities("ad_group", a)
        ),
        "pins": len({ad["pin_id"] for ad in ads if not ad.get("is_pin_deleted")}),
        "targeting_options": sum(
            len(item)
            for kind in TARGETING_OPTION_TYPES
            for item in sim_lookups.TARGETING_OPTIONS[kind]
        ),
        "delivery_metrics": len(sim_lookups.delivery_metrics()["items"]),
        "ad_formats": len(AD_FORMATS),  # static in the tap: no request
    }
    for stream_class in REPORT_STREAMS:
        counts[stream_class.name] = report_row_count(stream_class, dataset, start)
    assert len(counts) == EVERY_STREAM
    assert all(counts.values()), counts  # every table has something to compare
    return counts


# --------------------------------------------------------------------------- runners
@dataclasses.dataclass
class CardRun:
    runner: MeltanoRunner
    database: str | None = None
    duckdb_file: Path | None = None


def card_runner(
    meltano: MeltanoRunner,
    tmp_path_factory: pytest.TempPathFactory,
    name: str,
    **env: str,
) -> MeltanoRunner:
    """The session's Meltano settings (simulator, credentials, token store), with its own
    system database (so its own state), logs and .env, and `env` on top."""
    home = tmp_path_factory.mktemp(f"card-{name}")
    (home / ".env").write_text("")
    own = {
        "MELTANO_DATABASE_URI": f"sqlite:///{home / 'meltano.db'}",
        "TAP_PINTEREST_ADS_START_DATE": card_start(meltano).isoformat(),
    }
    return MeltanoRunner(env={**meltano.env, **own, **env}, home=home)


def card_start(meltano: MeltanoRunner) -> dt.date:
    session_start = dt.date.fromisoformat(meltano.env["TAP_PINTEREST_ADS_START_DATE"])
    today = dt.datetime.now(dt.timezone.utc).date()
    return max(session_start, today - dt.timedelta(days=CARD_HISTORY_DAYS))


@pytest.fixture(scope="module")
def card_start_date(meltano: MeltanoRunner) -> dt.date:
    return card_start(meltano)


def fresh_database(postgres: PostgresServer, name: str) -> str:
    with psycopg.connect(postgres.url, autocommit=True) as conn:
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    return name


@pytest.fixture(scope="module")
def default_selection_run(meltano, postgres, tmp_path_factory) -> CardRun:
    database = fresh_database(postgres, "card_default")
    runner = card_runner(meltano, tmp_path_factory, "default", PGDATABASE=database)
    runner("run", "tap-pinterest-ads", "target-postgres")
    return CardRun(runner, database=database)


@pytest.fixture(scope="module")
def every_stream_run(meltano, postgres, tmp_path_factory) -> CardRun:
    database = fresh_database(postgres, "card_every_stream")
    runner = card_runner(
        meltano,
        tmp_path_factory,
        "every-stream",
        PGDATABASE=database,
        TAP_PINTEREST_ADS__SELECT='["*.*"]',
    )
    runner("run", "tap-pinterest-ads", "target-postgres")
    return CardRun(runner, database=database)


@pytest.fixture(scope="module")
def every_stream_duckdb_run(meltano, tmp_path_factory) -> CardRun:
    duckdb_file = tmp_path_factory.mktemp("card-duckdb") / "warehouse.duckdb"
    runner = card_runner(
        meltano,
        tmp_path_factory,
        "every-stream-duckdb",
        TARGET_DUCKDB_FILEPATH=str(duckdb_file),
        TAP_PINTEREST_ADS__SELECT='["*.*"]',
    )
    runner("run", "tap-pinterest-ads", "target-duckdb")
    return CardRun(runner, duckdb_file=duckdb_file)


# --------------------------------------------------------------------------- warehouses
def postgres_counts(postgres: PostgresServer, database: str) -> dict[str, int]:
    url = f"postgresql://{postgres.user}@{postgres.host}:{postgres.port}/{database}"
    with psycopg.connect(url, autocommit=True) as conn:
        tables = [
            name
            for (name,) in conn.execute(
                "SELECT table_name FROM information_schema.tables WHERE table_schema = %s",
                (SCHEMA,),
            ).fetchall()
        ]
        counts = {}
        for table in tables:
            query = sql.SQL("SELECT count(*), count(_sdc_deleted_at) FROM {}.{}").format(
                sql.Identifier(SCHEMA), sql.Identifier(table)
            )
            rows, deleted = conn.execute(query).fetchone()
            assert deleted == 0, f"{table}: a first run into a fresh database deletes nothing"
            counts[table] = rows
    return counts


def postgres_column(postgres: PostgresServer, database: str, table: str, column: str) -> list:
    url = f"postgresql://{postgres.user}@{postgres.host}:{postgres.port}/{database}"
    query = sql.SQL("SELECT {} FROM {}.{}").format(
        sql.Identifier(column), sql.Identifier(SCHEMA), sql.Identifier(table)
    )
    with psycopg.connect(url, autocommit=True) as conn:
        return [value for (value,) in conn.execute(query).fetchall()]


_DUCKDB_COUNTS = r"""
import json, sys
import duckdb
con = duckdb.connect(sys.argv[1], read_only=True)
tables = [t for (t,) in con.execute(
    "SELECT table_name FROM information_schema.tables WHERE table_schema = ?",
    [sys.argv[2]]).fetchall()]
print(json.dumps({t: con.execute(f'SELECT count(*) FROM {sys.argv[2]}."{t}"').fetchone()[0]
                  for t in tables}))
"""


def duckdb_counts(path: Path) -> dict[str, int]:
    result = subprocess.run(
        [str(DUCKDB_PYTHON), "-c", _DUCKDB_COUNTS, str(path), SCHEMA],
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    )
    return json.loads(result.stdout)


# --------------------------------------------------------------------------- the tests
def test_the_default_selection_loads_every_default_stream_into_postgres(
    default_selection_run: CardRun, postgres: PostgresServer, dataset: Dataset, card_start_date
) -> None:
    loaded = postgres_counts(postgres, default_selection_run.database)
    expected = expected_rows(dataset, card_start_date)

    assert set(loaded) == DEFAULT_STREAMS
    assert loaded == {name: expected[name] for name in DEFAULT_STREAMS}


def test_every_stream_selected_loads_every_table_into_postgres(
    every_stream_run: CardRun, postgres: PostgresServer, dataset: Dataset, card_start_date
) -> None:
    loaded = postgres_counts(postgres, every_stream_run.database)

    assert loaded == expected_rows(dataset, card_start_date)
    # The API's conversion tag `version` reached the warehouse under its documented name.
    versions = postgres_column(
        postgres, every_stream_run.database, "conversion_tags", "pinterest_version"
    )
    served = [tag["version"] for a in dataset.account_ids
              for tag in sim_lookups.conversion_tags(dataset, a)]  # fmt: skip
    assert sorted(versions) == sorted(served)


def test_every_stream_selected_loads_every_table_into_duckdb(
    every_stream_duckdb_run: CardRun, dataset: Dataset, card_start_date
) -> None:
    assert duckdb_counts(every_stream_duckdb_run.duckdb_file) == expected_rows(
        dataset, card_start_date
    )


def test_the_installed_targets_reserve_no_column_name_the_tap_does_not_rename(
    meltano_plugins: Path,
) -> None:
    """The survey behind warehouse_names.py, pinned to the installed target versions."""
    postgres_venv = meltano_plugins / "loaders" / "target-postgres" / "venv"
    duckdb_venv = meltano_plugins / "loaders" / "target-duckdb" / "venv"
    sql_sources = [
        *postgres_venv.glob("lib/python3*/site-packages/target_postgres/*.py"),
        *postgres_venv.glob("lib/python3*/site-packages/singer_sdk/sql/*.py"),
    ]
    assert sql_sources
    bound = {
        name
        for source in sql_sources
        for name in re.findall(r"bindparam\(\s*\"(\w+)\"", source.read_text(encoding="utf-8"))
    }
    assert bound == set(RESERVED_NAMES)
    metadata_sources = [
        *postgres_venv.glob("lib/python3*/site-packages/singer_sdk/sinks/core.py"),
        *duckdb_venv.glob("lib/python3*/site-packages/target_duckdb/*.py"),
    ]
    assert len(metadata_sources) > 1
    metadata = {
        name
        for source in metadata_sources
        for name in re.findall(r"\"(_sdc_\w+)\"", source.read_text(encoding="utf-8"))
    }
    assert metadata
    assert metadata <= TARGET_COLUMNS
