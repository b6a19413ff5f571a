"""ACTIVATE_VERSION and soft deletes in a real PostgreSQL: `tap | target-postgres`, directly.

A run that fails on page 2 of a listing must soft-delete nothing (singer-sdk 0.54 announces the
version when a stream starts, so such a run used to leave every campaign not yet re-read marked
deleted); the next complete run soft-deletes exactly the campaign that disappeared. The tap
runs from the dev venv, target-postgres from the plugin venv Meltano installed.
"""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import psycopg
import pytest

from pinterest_simulator import Dataset, Simulator
from tests.cli_runner import (
    tap_command,
    tap_env,
)
from tests.e2e.conftest import PLUGINS_DIR
from tests.postgres import PostgresServer
from tests.tap_runner import (
    ENTITY_STREAMS,
    config_for,
    error_lines,
    today,
)

pytestmark = pytest.mark.e2e

TARGET = PLUGINS_DIR / "loaders" / "target-postgres" / "venv" / "bin" / "target-postgres"
SCHEMA = "listing_versions"
START = today()


@pytest.fixture(scope="module")
def sim() -> Simulator:
    dataset = Dataset(
        accounts=2, campaigns_per_account=5, ad_groups_per_campaign=1, days=5, seed=61
    )
    with Simulator(dataset=dataset) as simulator:
        simulator.max_page_size = 2  # 5 campaigns of every status: 3 pages per account
        yield simulator


@pytest.fixture(scope="module")
def target_config(
    meltano_plugins: Path, postgres: PostgresServer, tmp_path_factory: pytest.TempPathFactory
) -> Path:
    path = tmp_path_factory.mktemp("listing-versions") / "target.json"
    config = {
        "host": postgres.host,
        "port": postgres.port,
        "user": postgres.user,
        "password": "unused-trust-auth",
        "database": postgres.database,
        "default_target_schema": SCHEMA,
        "load_method": "upsert",
        "hard_delete": False,
        "activate_version": True,
        "add_record_metadata": True,
    }
    path.write_text(json.dumps(config))
    return path


def tap_into_postgres(sim: Simulator, target_config: Path, tmp_path: Path) -> tuple[int, str]:
    """`tap-pinterest-ads | target-postgres`; the tap's exit code and stderr."""
    stderr = tmp_path / "tap-stderr.log"
    with stderr.open("w") as tap_err:
        tap = subprocess.Popen(
            tap_command(tmp_path, config_for(sim, START), ENTITY_STREAMS),
            stdout=subprocess.PIPE,
            stderr=tap_err,
            cwd=tmp_path,
            env=tap_env(),
        )
        target = subprocess.run(
            [str(TARGET), "--config", str(target_config)],
            stdin=tap.stdout,
            capture_output=True,
            text=True,
            timeout=240,
            check=False,
        )
        assert tap.stdout is not None
        tap.stdout.close()
        code = tap.wait(timeout=60)
    assert target.returncode == 0, target.stderr[-4000:]
    return code, stderr.read_text()


def campaigns(postgres: PostgresServer) -> dict[str, bool]:
    """Campaign id -> soft-deleted?"""
    with psycopg.connect(postgres.url, autocommit=True) as conn:
        rows = conn.execute(f"SELECT id, _sdc_deleted_at FROM {SCHEMA}.campaigns").fetchall()
    return {campaign_id: deleted is not None for campaign_id, deleted in rows}


def test_a_run_that_fails_on_page_2_soft_deletes_nothing_and_the_next_run_deletes_exactly(
    sim, target_config, postgres, tmp_path
):
    every = {
        e["id"]
        for a in sim.dataset.account_ids
        for e in sim.dataset.entities("campaign", a, statuses=None)
    }
    code, stderr = tap_into_postgres(sim, target_config, tmp_path)
    assert code == 0, stderr[-3000:]
    assert campaigns(postgres) == dict.fromkeys(every, False)

    removed = sim.dataset.all_ids("campaign", sim.dataset.account_ids[1])[2]
    sim.remove_entity("campaign", removed)
    sim.faults.listing_page(r"/campaigns$", "null_items", on_page="later")

    code, stderr = tap_into_postgres(sim, target_config, tmp_path)

    assert code == 1
    (line,) = error_lines(stderr)
    assert '"items" is null, not a list' in line
    assert campaigns(postgres) == dict.fromkeys(every, False), (
        "an incomplete listing deletes nothing"
    )

    code, stderr = tap_into_postgres(sim, target_config, tmp_path)

    assert code == 0, stderr[-3000:]
    assert campaigns(postgres) == {cid: cid == removed for cid in every}
