"""The rotated refresh token is kept by default in a Meltano project, and a plain run without a
store says so.

Pinterest rotates the refresh token on every refresh; a configuration that keeps using the
first one dies when it expires (60 days). meltano.yml therefore sets token_store_path to a
file inside the project that git never sees and `make clean` never deletes.
"""

from __future__ import annotations

import fnmatch
import json
import re
import subprocess
from pathlib import Path, PurePosixPath

import pytest
import yaml

from pinterest_simulator import Dataset, Simulator
from tests import mock_api
from tests.cli_runner import (
    run_cli,
    write_json,
)
from tests.simulator_factory import running_simulator
from tests.tap_runner import (
    error_lines,
)

REPO = Path(__file__).resolve().parents[2]
PROJECT_ROOT = "${MELTANO_PROJECT_ROOT}/"
NO_STORE_WARNING = "Pinterest rotated the refresh token; set token_store_path"


def default_store_path() -> PurePosixPath:
    """token_store_path of meltano.yml's extractor, relative to the project."""
    project = yaml.safe_load((REPO / "meltano.yml").read_text(encoding="utf-8"))
    tap = next(p for p in project["plugins"]["extractors"] if p["name"] == "tap-pinterest-ads")
    path = tap["config"]["token_store_path"]
    assert path.startswith(PROJECT_ROOT), "the store lives in the project, wherever it is"
    return PurePosixPath(path.removeprefix(PROJECT_ROOT))


def ignored_by_git(path: PurePosixPath) -> bool:
    """Whether a .gitignore pattern (no negations in this repo) matches the path or a parent."""
    patterns = [
        line.strip()
        for line in (REPO / ".gitignore").read_text(encoding="utf-8").splitlines()
        if line.strip() and not line.startswith("#")
    ]
    assert not [p for p in patterns if p.startswith("!")], "negations need a real matcher"
    parts = path.parts
    prefixes = [PurePosixPath(*parts[: i + 1]) for i in range(len(parts))]
    for pattern in patterns:
        anchored = pattern.strip("/")
        for prefix in prefixes:
            if "/" in anchored and fnmatch.fnmatch(str(prefix), anchored):
                return True
            if "/" not in anchored and fnmatch.fnmatch(prefix.name, anchored):
                return True
    return False


def removed_by_make_clean() -> list[str]:
    """The paths of the `clean` target's `rm -rf`, variables expanded."""
    makefile = (REPO / "Makefile").read_text(encoding="utf-8")
    variables = dict(re.findall(r"^(\w+) :?= (\S+)$", makefile, flags=re.MULTILINE))
    recipe = re.search(r"^clean:.*\n((?:\t.*\n)+)", makefile, flags=re.MULTILINE)
    assert recipe, "the Makefile has a clean target"
    removed = []
    for line in recipe.group(1).splitlines():
        words = line.split()
        if words[:2] == ["rm", "-rf"]:
            removed += [
                re.sub(r"\$\((\w+)\)", lambda m: variables[m.group(1)], w) for w in words[2:]
            ]
    assert removed, recipe.group(1)
    return removed


def test_meltano_yml_keeps_the_token_in_a_git_ignored_file_that_make_clean_keeps() -> None:
    store = default_store_path()

    assert ignored_by_git(store), f"{store} would be committed"
    for removed in removed_by_make_clean():
        first = PurePosixPath(removed.strip("/")).parts[0]
        assert not fnmatch.fnmatch(store.parts[0], first), f"make clean removes {removed}"


def test_the_checks_above_can_tell_a_bad_place() -> None:
    # Where the README used to suggest keeping it: ignored, but deleted by `make clean`.
    assert ignored_by_git(PurePosixPath(".meltano/pinterest-token-store.json"))
    assert ".meltano" in removed_by_make_clean()
    assert not ignored_by_git(PurePosixPath("pinterest-token-store.json"))


# The warning of a run without a store ------------------------------------------------------


@pytest.fixture(scope="module")
def simulator():
    dataset = Dataset(
        accounts=1, campaigns_per_account=1, ad_groups_per_campaign=1, ads_per_ad_group=1, days=3
    )
    with running_simulator(dataset) as sim:
        yield sim


def run_plain(tmp_path: Path, config: dict) -> subprocess.CompletedProcess[str]:
    """`tap-pinterest-ads --config … --catalog …` syncing ad_accounts only."""
    catalog = mock_api.catalog_selecting({"access_token": "fake"}, ("ad_accounts",))
    return run_cli(
        tmp_path,
        *("--config", write_json(tmp_path, "config.json", config)),
        *("--catalog", write_json(tmp_path, "catalog.json", catalog)),
        timeout=120,
        console_script=True,
    )


def credentials(sim: Simulator) -> dict:
    return {
        "api_url": sim.base_url,
        "client_id": sim.tokens.client_id,
        "client_secret": sim.tokens.client_secret,
        "refresh_token": sim.current_refresh_token,
    }


def test_a_run_with_a_refresh_token_and_no_store_warns_before_any_stream(
    tmp_path, simulator
) -> None:
    result = run_plain(tmp_path, credentials(simulator))

    assert result.returncode == 0, result.stderr[-3000:]
    assert error_lines(result.stderr) == []
    lines = result.stderr.splitlines()
    warned = [i for i, line in enumerate(lines) if NO_STORE_WARNING in line]
    assert len(warned) == 1, result.stderr[-3000:]
    assert " | WARNING " in lines[warned[0]]
    first_sync = next(i for i, line in enumerate(lines) if "Beginning sync of" in line)
    assert warned[0] < first_sync


def test_a_run_with_a_store_does_not_warn_and_keeps_the_new_token(tmp_path, simulator) -> None:
    store = tmp_path / ".token-store" / "pinterest-ads.json"

    result = run_plain(tmp_path, {**credentials(simulator), "token_store_path": str(store)})

    assert result.returncode == 0, result.stderr[-3000:]
    assert NO_STORE_WARNING not in result.stderr
    kept = json.loads(store.read_text())[simulator.tokens.client_id]["refresh_token"]
    assert kept == simulator.current_refresh_token
    assert store.stat().st_mode & 0o777 == 0o600
