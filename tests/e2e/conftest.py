"""Session fixtures for the end-to-end tests.

* `meltano_plugins`: Meltano and the plugins of the repo's meltano.yml, installed once into
  .venv-meltano and .meltano/ by `make meltano-setup` (a no-op when they are up to date).
* `meltano`: runs `meltano` in a subprocess on the repo's meltano.yml, isolated from the
  project's own state: MELTANO_SYS_DIR_ROOT is a temporary directory whose `extractors`,
  `loaders` and `transformers` are symlinks to the installed plugin venvs, so the system
  database (state), the run directory (catalog, config, state files) and the logs are private
  to the test session, while the venvs are reused. Configuration comes from environment
  variables only, the way a deployment sets it, and the project file is opened read-only.
* `simulator`: the Pinterest API simulator, in-process (its request log and dataset are
  inspected by the tests); the tap reaches it through TAP_PINTEREST_ADS_API_URL.
* `postgres`: a throwaway PostgreSQL server (tests/postgres.py).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import fcntl
import json
import os
import shutil
import subprocess
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path

import pytest

from pinterest_simulator import Dataset, Simulator
from tests.postgres import PostgresServer, running_postgres

REPO = Path(__file__).resolve().parents[2]
MELTANO = REPO / ".venv-meltano" / "bin" / "meltano"
PLUGINS_DIR = REPO / ".meltano"
TAP_EXE = PLUGINS_DIR / "extractors" / "tap-pinterest-ads" / "venv" / "bin" / "tap-pinterest-ads"
DUCKDB_PYTHON = PLUGINS_DIR / "loaders" / "target-duckdb" / "venv" / "bin" / "python"
PLUGIN_EXECUTABLES = (
    TAP_EXE,
    PLUGINS_DIR / "loaders" / "target-postgres" / "venv" / "bin" / "target-postgres",
    PLUGINS_DIR / "loaders" / "target-duckdb" / "venv" / "bin" / "target-duckdb",
    PLUGINS_DIR / "transformers" / "dbt-postgres" / "venv" / "bin" / "dbt",
    PLUGINS_DIR / "transformers" / "dbt-duckdb" / "venv" / "bin" / "dbt",
)

DELIVERY_STREAM = "pin_promotion_delivery"
DELIVERY_TABLE = "pinterest_data_delivery"
META_TABLES = {
    "campaign": "pinterest_meta_campaign",
    "ad_group": "pinterest_meta_adgroup",
    "ad": "pinterest_meta_pinpromotion",
}
SCHEMA = "pinterest"
HISTORY_DAYS = 14  # start_date = today - HISTORY_DAYS: a small, quick report
LOOKBACK_DAYS = 5  # meltano.yml, tap-pinterest-ads--delivery
RUN_TIMEOUT = 240

# The simulator's defaults: obviously fake.
FAKE_CREDENTIALS = {
    "TAP_PINTEREST_ADS_CLIENT_ID": "fake-client-id",
    "TAP_PINTEREST_ADS_CLIENT_SECRET": "fake-client-secret",
    "TAP_PINTEREST_ADS_REFRESH_TOKEN": "fake-refresh-0",
}


# --------------------------------------------------------------------------- installation
def _missing_plugins() -> list[Path]:
    return [p for p in (MELTANO, *PLUGIN_EXECUTABLES) if not p.exists()]


@pytest.fixture(scope="session")
def meltano_plugins() -> Path:
    """Meltano + plugins, installed once under the repo and reused by later sessions."""
    make = shutil.which("make")
    if make is None:
        pytest.fail("`make` is needed to install Meltano and its plugins (make meltano-setup)")
    PLUGINS_DIR.mkdir(exist_ok=True)
    stamp = PLUGINS_DIR / ".plugins-installed"
    # One installer at a time when several sessions start together.
    with (PLUGINS_DIR / ".setup.lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if _missing_plugins():
            stamp.unlink(missing_ok=True)  # the stamp lies: install again
        result = subprocess.run(
            [make, "--no-print-directory", "meltano-setup"],
            cwd=REPO,
            capture_output=True,
            text=True,
            timeout=900,
            check=False,
        )
    if result.returncode != 0 or _missing_plugins():
        pytest.fail(
            f"make meltano-setup failed (exit {result.returncode}); missing: "
            f"{[str(p) for p in _missing_plugins()]}\n{(result.stdout + result.stderr)[-4000:]}"
        )
    return PLUGINS_DIR


# --------------------------------------------------------------------------- services
@pytest.fixture(scope="session")
def dataset() -> Dataset:
    return Dataset(
        accounts=2,
        campaigns_per_account=3,
        ad_groups_per_campaign=2,
        ads_per_ad_group=2,
        days=HISTORY_DAYS + 10,
        seed=4,
    )


@pytest.fixture(scope="session")
def simulator(dataset: Dataset) -> Iterator[Simulator]:
    with Simulator(dataset, report_delay_seconds=0.2) as sim:
        yield sim


@pytest.fixture(scope="session")
def start_date(dataset: Dataset) -> dt.date:
    return dataset.today - dt.timedelta(days=HISTORY_DAYS)


@pytest.fixture(scope="session")
def postgres() -> Iterator[PostgresServer]:
    with running_postgres("warehouse") as server:
        yield server


# --------------------------------------------------------------------------- meltano
@dataclasses.dataclass
class MeltanoRunner:
    """`meltano ...` on the repo's meltano.yml with a private system directory."""

    env: dict[str, str]
    home: Path
    runs: int = 0

    def __call__(self, *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
        self.runs += 1
        log = self.home / f"meltano-{self.runs:02d}-{args[0]}.log"
        result = subprocess.run(
            [str(MELTANO), "--env-file", str(self.home / ".env"), *args],
            cwd=REPO,
            env=self.env,
            capture_output=True,
            text=True,
            timeout=RUN_TIMEOUT,
            check=False,
        )
        log.write_text(f"$ meltano {' '.join(args)}\n{result.stdout}\n{result.stderr}")
        if check and result.returncode != 0:
            pytest.fail(
                f"meltano {' '.join(args)} failed with exit {result.returncode} (log {log}):\n"
                f"{result.stderr[-6000:]}",
                pytrace=False,
            )
        return result

    def state(self, state_id: str) -> dict:
        """The Singer state Meltano keeps for `state_id` (an empty dict when none)."""
        result = self("state", "get", state_id, check=False)
        if result.returncode != 0 or not result.stdout.strip():
            return {}
        return json.loads(result.stdout).get("singer_state", {})


@pytest.fixture(scope="session")
def meltano_home(tmp_path_factory: pytest.TempPathFactory, meltano_plugins: Path) -> Path:
    home = tmp_path_factory.mktemp("meltano")
    sys_dir = home / ".meltano"
    sys_dir.mkdir()
    for kind in ("extractors", "loaders", "transformers"):
        (sys_dir / kind).symlink_to(meltano_plugins / kind, target_is_directory=True)
    (home / ".env").write_text("")  # a developer's own .env stays out of the tests
    return home


def base_env(home: Path) -> dict[str, str]:
    """The caller's environment without any Meltano, tap, target or libpq settings."""
    prefixes = (
        "MELTANO_", "TAP_PINTEREST_ADS", "TARGET_POSTGRES_", "TARGET_DUCKDB_", "PG", "DBT_",
    )  # fmt: skip
    env = {k: v for k, v in os.environ.items() if not k.startswith(prefixes)}
    env.update(
        MELTANO_SEND_ANONYMOUS_USAGE_STATS="false",
        MELTANO_CLI_DISABLE_VERSION_CHECK="true",
        MELTANO_PROJECT_ROOT=str(REPO),
        MELTANO_PROJECT_READONLY="true",  # meltano.yml is never rewritten by a test
        MELTANO_SYS_DIR_ROOT=str(home / ".meltano"),
        MELTANO_DATABASE_URI=f"sqlite:///{home / 'meltano.db'}",
        MELTANO_ENVIRONMENT="dev",
    )
    return env


@pytest.fixture(scope="session")
def meltano_project(meltano_home: Path) -> MeltanoRunner:
    """Meltano on the project alone: no tap or target settings."""
    return MeltanoRunner(env=base_env(meltano_home), home=meltano_home)


@pytest.fixture(scope="session")
def meltano(
    meltano_home: Path,
    simulator: Simulator,
    postgres: PostgresServer,
    start_date: dt.date,
) -> MeltanoRunner:
    env = base_env(meltano_home)
    env.update(
        TAP_PINTEREST_ADS_API_URL=simulator.base_url,
        TAP_PINTEREST_ADS_START_DATE=start_date.isoformat(),
        TAP_PINTEREST_ADS_TOKEN_STORE_PATH=str(meltano_home / "token-store.json"),
        TAP_PINTEREST_ADS_MAX_RETRIES="3",
        PGHOST=postgres.host,
        PGPORT=str(postgres.port),
        PGUSER=postgres.user,
        PGPASSWORD="unused-trust-auth",
        PGDATABASE=postgres.database,
        TARGET_DUCKDB_FILEPATH=str(meltano_home / "warehouse.duckdb"),
        DBT_DUCKDB_PATH=str(meltano_home / "warehouse.duckdb"),
        **dbt_paths(meltano_home),
        **FAKE_CREDENTIALS,
    )
    return MeltanoRunner(env=env, home=meltano_home)


def dbt_paths(home: Path) -> dict[str, str]:
    """dbt's target/ (compiled SQL, run_results.json) and logs/ out of the repo's transform/."""
    return {"DBT_TARGET_PATH": str(home / "dbt-target"), "DBT_LOG_PATH": str(home / "dbt-logs")}


def dbt_results(target_path: str | Path) -> dict[str, str]:
    """Status of every node of the last dbt invocation (run_results.json), by unique_id."""
    results = json.loads((Path(target_path) / "run_results.json").read_text())["results"]
    return {result["unique_id"]: result["status"] for result in results}


# --------------------------------------------------------------------------- expectations
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


@pytest.fixture(scope="session")
def tap_stream_ids(meltano_home: Path) -> set[str]:
    """Stream ids of the installed tap's --discover (a fake token is all it needs)."""
    config = meltano_home / "discover-config.json"
    config.write_text(json.dumps({"access_token": "fake-access-token"}))
    out = subprocess.run(
        [str(TAP_EXE), "--discover", "--config", str(config)],
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
    ).stdout
    return {stream["tap_stream_id"] for stream in json.loads(out)["streams"]}


@pytest.fixture(scope="session")
def delivery_stream(tap_stream_ids: set[str]) -> str:
    """Fail (not skip) with one clear line while the delivery stream is not in --discover."""
    if DELIVERY_STREAM not in tap_stream_ids:
        pytest.fail(
            f"the tap has no '{DELIVERY_STREAM}' stream in --discover yet "
            f"(streams: {sorted(tap_stream_ids)}); the delivery job cannot run",
            pytrace=False,
        )
    return DELIVERY_STREAM
