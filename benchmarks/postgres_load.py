"""Loading: `meltano run tap-pinterest-ads--delivery target-postgres` into a throwaway
PostgreSQL (tests/postgres.py), as meltano.yml configures target-postgres and with two variants."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path
from typing import Any

from benchmarks.harness import (
    FAKE_CLIENT_ID,
    FAKE_CLIENT_SECRET,
    FAKE_REFRESH_TOKEN,
    REPO,
    log,
    run_measured,
)
from benchmarks.simulator_process import SimulatorProcess, first_time

MELTANO = REPO / ".venv-meltano" / "bin" / "meltano"
TARGET_POSTGRES = (
    REPO / ".meltano" / "loaders" / "target-postgres" / "venv" / "bin" / "target-postgres"
)


LOAD_VARIANTS = {
    "meltano.yml as is (use_copy: true, validate_records: true)": {},
    "use_copy: true + validate_records: false": {"TARGET_POSTGRES_VALIDATE_RECORDS": "false"},
    "target defaults (use_copy: false, validate_records: true)": {
        "TARGET_POSTGRES_USE_COPY": "false"
    },
}


def load(sim: SimulatorProcess, start: dt.date, workdir: Path) -> dict:
    """`meltano run tap-pinterest-ads--delivery target-postgres` into a throwaway PostgreSQL."""
    if not (REPO / "meltano.yml").exists() or not MELTANO.exists():
        return {"skipped": "meltano.yml or .venv-meltano missing (make meltano-setup)"}
    if not TARGET_POSTGRES.exists():
        return {"skipped": "target-postgres plugin not installed (make meltano-setup)"}
    import psycopg  # noqa: PLC0415

    from tests.postgres import running_postgres  # noqa: PLC0415

    out: dict[str, Any] = {"command": "meltano run tap-pinterest-ads--delivery target-postgres"}
    with running_postgres("bench") as pg:
        for index, (label, overrides) in enumerate(LOAD_VARIANTS.items()):
            schema = f"bench_{index}"
            env = {
                **os.environ,
                "MELTANO_DATABASE_URI": f"sqlite:///{workdir / f'meltano-{index}.db'}",
                "MELTANO_SEND_ANONYMOUS_USAGE_STATS": "false",
                "MELTANO_CLI_DISABLE_VERSION_CHECK": "true",
                "TAP_PINTEREST_ADS_API_URL": sim.base_url,
                "TAP_PINTEREST_ADS_CLIENT_ID": FAKE_CLIENT_ID,
                "TAP_PINTEREST_ADS_CLIENT_SECRET": FAKE_CLIENT_SECRET,
                "TAP_PINTEREST_ADS_REFRESH_TOKEN": FAKE_REFRESH_TOKEN,
                "TAP_PINTEREST_ADS_START_DATE": start.isoformat(),
                "PGHOST": pg.host,
                "PGPORT": str(pg.port),
                "PGUSER": pg.user,
                "PGPASSWORD": "unused",
                "PGDATABASE": pg.database,
                "TARGET_POSTGRES_DEFAULT_TARGET_SCHEMA": schema,
                **overrides,
            }
            sim.clear_requests()
            result = run_measured(
                [str(MELTANO), "run", "tap-pinterest-ads--delivery", "target-postgres"],
                env=env,
            ).check()
            download_started = first_time(sim.requests(), "GET", "/_files/")
            with psycopg.connect(pg.url) as connection:
                rows = connection.execute(
                    f'SELECT count(*) FROM "{schema}".pinterest_data_delivery'  # noqa: S608
                ).fetchone()[0]
            out[label] = {
                "rows": rows,
                "wall_s": result.wall,
                "rows_per_s_wall": rows / result.wall,
                "rows_per_s_from_download": rows / (result.ended - download_started),
            }
            log(f"load {label}: {rows} rows in {result.wall:.1f} s")
    return out
