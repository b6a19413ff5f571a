"""The sharded Meltano project of docs/orchestration.md, built for a test, its commands, and
the queries the test makes of the warehouse.

The project is a temporary directory: the repository's meltano.yml (read, never written) with an
`include_paths` entry for the documented shard snippet, the ids of that snippet replaced by the
simulator's. `transform/` and `.venv-meltano/` are links to the repository's, so the documented
commands run there as written.
"""

from __future__ import annotations

import contextlib
import dataclasses
import datetime as dt
import re
import subprocess
import threading
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest
import yaml

from pinterest_simulator import Simulator, api
from tests.e2e.conftest import REPO, RUN_TIMEOUT, MeltanoRunner
from tests.e2e.expectations import dbt_results, report_requests
from tests.postgres import PostgresServer

ORCHESTRATION_DOC = REPO / "docs" / "orchestration.md"
SHARDS = ("shard-a", "shard-b")
# The placeholder ids of the documented snippet, by shard.
PLACEHOLDERS = {"shard-a": "111111111111, 222222222222", "shard-b": "333333333333, 444444444444"}
SNIPPET_FILE = "shards.meltano.yml"
TOKEN_PATH = "/v5/oauth/token"


def delivery_state_id(shard: str) -> str:
    return f"dev:tap-pinterest-ads--delivery--{shard}-to-target-postgres--{shard}"


def _doc() -> str:
    return ORCHESTRATION_DOC.read_text(encoding="utf-8")


def shard_snippet() -> str:
    """The YAML between the doc's `shards:begin` and `shards:end` markers."""
    block = re.search(
        r"<!-- shards:begin -->\n```yaml\n(.*?)```\n<!-- shards:end -->", _doc(), re.S
    )
    assert block, f"no shard snippet between the markers of {ORCHESTRATION_DOC}"
    return block.group(1)


def crontab_command() -> str:
    """The command of the doc's crontab line (after `cd <project> &&`)."""
    line = re.search(r"^0 5 \* \* \*\s+cd /srv/pinterest && (.+)$", _doc(), re.M)
    assert line, f"no crontab line in {ORCHESTRATION_DOC}"
    return line.group(1)


def airflow_dag() -> str:
    block = re.search(r"```python\n(.*?)```", _doc(), re.S)
    assert block, f"no Airflow DAG in {ORCHESTRATION_DOC}"
    return block.group(1)


def build_project(directory: Path, accounts: dict[str, list[str]]) -> Path:
    """The repo's meltano.yml + the doc's shards with `accounts` (shard -> ad account ids)."""
    snippet = shard_snippet()
    for shard, placeholder in PLACEHOLDERS.items():
        assert snippet.count(f'"{placeholder}"') == 1, (shard, "placeholder ids not found once")
        snippet = snippet.replace(placeholder, ", ".join(accounts[shard]))
    project_file = (REPO / "meltano.yml").read_text(encoding="utf-8")
    assert "include_paths" not in yaml.safe_load(project_file)
    directory.mkdir(parents=True, exist_ok=True)
    (directory / "meltano.yml").write_text(
        f"{project_file}\ninclude_paths:\n- ./{SNIPPET_FILE}\n", encoding="utf-8"
    )
    (directory / SNIPPET_FILE).write_text(snippet, encoding="utf-8")
    for name in ("transform", ".venv-meltano"):
        (directory / name).symlink_to(REPO / name, target_is_directory=True)
    return directory


@contextlib.contextmanager
def runs_in_step(timeout: float) -> Iterator[list[float]]:
    """Hold each token request at the simulator until another one arrives, then let both on.

    Every tap run asks for a token once, at its start: two runs started together therefore
    provably run at the same time. Yields the list of times the pairs were let through.
    """
    barrier = threading.Barrier(2, timeout=timeout)
    released: list[float] = []
    route = api.handle

    def handle(sim, req):
        if req.path == TOKEN_PATH and barrier.wait() == 0:
            released.append(req.time)
        return route(sim, req)

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(api, "handle", handle)
        yield released


def run_crontab_line(runner: MeltanoRunner) -> list[float]:
    """The doc's crontab command in the project; the times the shards' runs were let on."""
    project = Path(runner.env["MELTANO_PROJECT_ROOT"])
    with runs_in_step(timeout=RUN_TIMEOUT) as released:
        result = subprocess.run(
            ["sh", "-c", crontab_command()], cwd=project, env=runner.env,
            capture_output=True, text=True, timeout=4 * RUN_TIMEOUT, check=False,
        )  # fmt: skip
    runner.runs += 1
    log = runner.home / f"meltano-{runner.runs:02d}-crontab-line.log"
    log.write_text(result.stdout + result.stderr)
    if result.returncode != 0:
        pytest.fail(f"the crontab line failed (exit {result.returncode}, log {log}):\n"
                    f"{result.stderr[-6000:]}", pytrace=False)  # fmt: skip
    return released


def bookmarks(runner: MeltanoRunner, shard: str) -> dict[str, dt.date]:
    stream = runner.state(delivery_state_id(shard)).get("bookmarks", {})
    partitions = stream.get("pin_promotion_delivery", {}).get("partitions", [])
    return {
        p["context"]["ad_account_id"]: dt.date.fromisoformat(str(p["replication_key_value"])[:10])
        for p in partitions
        if p.get("replication_key_value")
    }


@dataclasses.dataclass
class Round:
    released: list[float]  # one entry per pair of runs let on together
    requests: list  # report creations of the round
    bookmarks: dict[str, dict[str, dt.date]]  # shard -> account -> bookmark, before the round
    results: dict[str, str]  # the reporting job's dbt results


def run_round(runner: MeltanoRunner, sim: Simulator) -> Round:
    before = {shard: bookmarks(runner, shard) for shard in SHARDS}
    mark = len(sim.requests)
    released = run_crontab_line(runner)
    results = dbt_results(runner.env["DBT_TARGET_PATH"])
    return Round(released, report_requests(sim, since=mark), before, results)


# --------------------------------------------------------------------------- the warehouse
def new_database(postgres: PostgresServer, name: str) -> PostgresServer:
    with psycopg.connect(postgres.url, autocommit=True) as conn:
        conn.execute(f"CREATE DATABASE {name}")
    return dataclasses.replace(postgres, database=name)


def query(server: PostgresServer, sql: str, *params: object) -> list[dict]:
    with psycopg.connect(server.url, autocommit=True) as conn, conn.cursor() as cur:
        cur.execute(sql, params)
        names = [column.name for column in cur.description]
        return [dict(zip(names, row, strict=True)) for row in cur.fetchall()]
