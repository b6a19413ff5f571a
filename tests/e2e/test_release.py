"""A tagged commit builds into an sdist and a wheel that carry the tag's version.

What .github/workflows/release.yml does on a `v*` tag, on a copy of this repository: tag,
`make dist` (uv build: the sdist, then the wheel from the sdist, versioned by hatch-vcs from the
tag; twine check), install the wheel into a new venv and run the installed command. And the
README's `pip install .` from a clone. Reaches PyPI only (build requirements, twine, the tap's
dependencies).
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tarfile
from pathlib import Path

import pytest

from tests.e2e.conftest import REPO

pytestmark = pytest.mark.e2e

TAG, VERSION = "v9.8.7", "9.8.7"
UV = REPO / ".venv-tools" / "bin" / "uv"  # the Makefile's pinned uv (`make setup`)
# What an unpacked sdist holds besides its sources (PKG-INFO would override the tag's version).
NOT_SOURCES = shutil.ignore_patterns(
    "PKG-INFO", ".venv*", ".meltano", "output", "dist", "build", "__pycache__", ".*_cache"
)


def run(*argv: str | Path, cwd: Path | None = None) -> str:
    # A user's plain pip: this machine's pip configuration (local mirrors, constraints) stays out.
    env = {**os.environ, "UV_PYTHON_DOWNLOADS": "never", "PIP_CONFIG_FILE": os.devnull}
    env["PIP_DISABLE_PIP_VERSION_CHECK"] = "1"
    result = subprocess.run(
        [str(a) for a in argv],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    if result.returncode != 0:
        pytest.fail(
            f"{' '.join(map(str, argv))} failed with exit {result.returncode}:\n"
            f"{result.stdout[-3000:]}\n{result.stderr[-3000:]}",
            pytrace=False,
        )
    return result.stdout


def tagged_copy(dest: Path) -> Path:
    """The committed tree in a new repository, tagged TAG."""
    git = ("git", "-c", "user.name=release-test", "-c", "user.email=release-test@localhost")
    if (REPO / ".git").exists():
        run(*git, "clone", "--quiet", "--no-hardlinks", REPO, dest)
    else:  # an unpacked sdist: its files are the commit
        shutil.copytree(REPO, dest, ignore=NOT_SOURCES)
        run(*git, "init", "--quiet", cwd=dest)
        run(*git, "add", "--all", cwd=dest)
        run(*git, "commit", "--quiet", "--message", "unpacked sdist", cwd=dest)
    run(*git, "tag", TAG, cwd=dest)
    return dest


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, Path]:
    if not UV.exists():
        pytest.fail(f"{UV} is missing: run `make setup` first", pytrace=False)
    source = tagged_copy(tmp_path_factory.mktemp("release") / "source")
    run("make", "--no-print-directory", "dist", f"UV={UV}", cwd=source)
    dist = source / "dist"
    stem = f"tap_pinterest_ads-{VERSION}"
    return source, dist / f"{stem}.tar.gz", dist / f"{stem}-py3-none-any.whl"


def test_sdist_is_versioned_by_the_tag_and_holds_every_tracked_file(built) -> None:
    source, sdist, _ = built
    assert sdist.is_file(), sorted(p.name for p in sdist.parent.iterdir())
    tracked = set(run("git", "ls-files", cwd=source).splitlines()) - {""}
    with tarfile.open(sdist) as archive:
        prefix = f"tap_pinterest_ads-{VERSION}/"
        members = {m.name.removeprefix(prefix) for m in archive.getmembers() if m.isfile()}
        pkg_info = archive.extractfile(prefix + "PKG-INFO").read().decode()
    # The suite runs from an unpacked sdist: tests, vendor/, meltano.yml, Makefile, uv.lock...
    assert tracked - members == set()
    assert {"vendor/pinterest-api-v5/openapi.yaml", "Makefile", "meltano.yml"} <= members
    assert f"\nVersion: {VERSION}\n" in pkg_info


def test_wheel_installs_and_the_command_reports_the_tag_version(built, tmp_path: Path) -> None:
    _, _, wheel = built
    assert wheel.is_file(), sorted(p.name for p in wheel.parent.iterdir())
    venv = tmp_path / "venv"
    run(UV, "venv", "--quiet", "--python", sys.executable, venv)
    run(UV, "pip", "install", "--quiet", "--python", venv / "bin" / "python", wheel)
    command = venv / "bin" / "tap-pinterest-ads"

    about = json.loads(run(command, "--about", "--format=json", cwd=tmp_path))
    assert (about["name"], about["version"]) == ("tap-pinterest-ads", VERSION)

    # The packaged JSON schemas came along: discovery needs no source tree.
    config = tmp_path / "config.json"
    config.write_text(json.dumps({"access_token": "fake-access-token"}))
    catalog = json.loads(run(command, "--discover", "--config", config, cwd=tmp_path))
    assert {"campaigns", "pin_promotion_delivery", "conversion_tags"} <= {
        stream["tap_stream_id"] for stream in catalog["streams"]
    }


def test_pip_install_from_a_clone_reports_the_tag_version(built, tmp_path: Path) -> None:
    source, _, _ = built
    venv = tmp_path / "venv"
    run(sys.executable, "-m", "venv", venv)
    run(venv / "bin" / "python", "-m", "pip", "install", "--quiet", ".", cwd=source)

    about = json.loads(run(venv / "bin" / "tap-pinterest-ads", "--about", "--format=json"))
    assert about["version"] == VERSION
