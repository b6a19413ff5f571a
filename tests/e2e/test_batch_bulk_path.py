"""The bulk path: BATCH files straight from the report, loaded exactly by target-postgres."""

from __future__ import annotations

import gzip
import json
import os
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import psycopg
import pytest

from tests.e2e.conftest import PLUGINS_DIR
from tests.e2e.expectations import expected_delivery
from tests.mock_api import catalog_selecting

pytestmark = pytest.mark.e2e

TARGET = PLUGINS_DIR / "loaders" / "target-postgres" / "venv" / "bin" / "target-postgres"
SCHEMA = "bulk"
MICRO = Decimal(1_000_000)


def tap_config(simulator, start_date, batch_root: Path) -> dict:
    return {
        "api_url": simulator.base_url,
        "client_id": "fake-client-id",
        "client_secret": "fake-client-secret",
        "refresh_token": "fake-refresh-0",
        "start_date": start_date.isoformat(),
        "batch_config": {
            "encoding": {"format": "jsonl", "compression": "gzip"},
            "storage": {"root": batch_root.as_uri(), "prefix": "delivery-"},
            "batch_size": 40,  # several files per report
        },
    }


def run_tap(config_path: Path, catalog_path: Path) -> list[dict]:
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "tap_pinterest_ads",
            "--config",
            str(config_path),
            "--catalog",
            str(catalog_path),
        ],
        capture_output=True,
        text=True,
        check=True,
        timeout=300,
    )
    return [json.loads(line) for line in result.stdout.splitlines() if line]


@pytest.fixture(scope="module")
def bulk_run(meltano_plugins, simulator, start_date, postgres, tmp_path_factory):

    work = tmp_path_factory.mktemp("bulk")
    config = tap_config(simulator, start_date, work / "files")
    (work / "files").mkdir()
    (work / "tap.json").write_text(json.dumps(config))
    catalog = catalog_selecting(config, ("pin_promotion_delivery",))
    (work / "catalog.json").write_text(json.dumps(catalog))
    messages = run_tap(work / "tap.json", work / "catalog.json")

    target_config = {
        "host": postgres.host,
        "port": postgres.port,
        "user": postgres.user,
        "password": "unused",
        "database": postgres.database,
        "default_target_schema": SCHEMA,
        "use_copy": True,
    }
    (work / "target.json").write_text(json.dumps(target_config))
    stdin = "".join(json.dumps(m) + "\n" for m in messages)
    subprocess.run(
        [str(TARGET), "--config", str(work / "target.json")],
        input=stdin,
        capture_output=True,
        text=True,
        check=True,
        timeout=300,
        env={**os.environ, "PYTHONWARNINGS": "ignore"},
    )
    return messages


def test_the_bulk_path_emits_batch_messages_and_no_records(bulk_run):
    types = [m["type"] for m in bulk_run]
    assert "RECORD" not in types
    assert types.count("BATCH") > 2


def test_each_window_bookmark_follows_the_batches_of_its_rows(bulk_run, dataset):
    last_batch = max(i for i, m in enumerate(bulk_run) if m["type"] == "BATCH")
    final = [m for m in bulk_run if m["type"] == "STATE"][-1]["value"]
    partitions = final["bookmarks"]["pin_promotion_delivery"]["partitions"]
    assert {p["replication_key_value"] for p in partitions} == {dataset.today.isoformat()}
    assert bulk_run.index([m for m in bulk_run if m["type"] == "STATE"][-1]) > last_batch


def test_the_batch_files_hold_every_row(bulk_run, dataset, start_date):
    rows = []
    for message in (m for m in bulk_run if m["type"] == "BATCH"):
        for url in message["manifest"]:
            with gzip.open(url.removeprefix("file://"), "rt") as handle:
                rows.extend(json.loads(line) for line in handle)
    expected = expected_delivery(dataset, start_date, dataset.today)
    assert {(r["date"], r["ad_account_id"], r["pin_promotion_id"]) for r in rows} == set(expected)
    assert len(rows) == len(expected)


def test_target_postgres_loads_the_batch_files_exactly(bulk_run, dataset, start_date, postgres):
    expected = expected_delivery(dataset, start_date, dataset.today)
    with psycopg.connect(postgres.url, autocommit=True) as conn:
        loaded = conn.execute(
            f"SELECT date::text, ad_account_id, pin_promotion_id, spend, paid_impressions "
            f"FROM {SCHEMA}.pin_promotion_delivery"
        ).fetchall()
    assert len(loaded) == len(expected)
    for date, account, pin_promotion, spend, impressions in loaded:
        row = expected[(date, account, pin_promotion)]
        assert spend == Decimal(row.get("SPEND_IN_MICRO_DOLLAR") or 0) / MICRO
        assert impressions == (row.get("IMPRESSION_1") or 0)
