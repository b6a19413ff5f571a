"""The token store is proved usable before any token request, so a rotated refresh token is
never lost; a store that cannot be used is one ERROR line (exit 1) and no request at all."""

from __future__ import annotations

import datetime as dt
import errno
import json
import subprocess

import pytest

from tap_pinterest_ads import token_store
from tap_pinterest_ads.token_store import StoredToken, TokenStore, TokenStoreError
from tests.cli_runner import (
    run_tap,
)
from tests.tap_runner import (
    ENTITY_STREAMS,
    config_for,
    error_lines,
    today,
)

START = today() - dt.timedelta(days=5)
DATASET = {"accounts": 1, "ad_groups_per_campaign": 2, "ads_per_ad_group": 3, "seed": 5}
SIMULATOR = {"strict_rotation": True}


def only_error(result: subprocess.CompletedProcess) -> str:
    assert result.returncode == 1, result.stderr[-3000:]
    assert "Traceback" not in result.stderr
    (line,) = error_lines(result.stderr)
    return line


def test_an_unwritable_store_stops_the_run_before_any_token_request(sim, tmp_path):
    # Its folder would have to be inside a file: no user, root included, can write there.
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("")
    store = blocker / "token-store.json"

    result = run_tap(tmp_path, config_for(sim, START, token_store_path=str(store)), ENTITY_STREAMS)

    assert only_error(result) == (
        f"token_store_path {str(store)!r} is not writable (File exists): stopping before "
        "asking Pinterest for a token, because the rotated refresh token could not be kept"
    )
    assert len(sim.requests) == 0
    assert sim.current_refresh_token == "fake-refresh-0"  # nothing rotated, nothing lost


@pytest.mark.parametrize(
    ("content", "problem"),
    [
        ("{not json", "is not a token store: not JSON (Expecting property name enclosed in "),
        ('["fake-refresh-9"]', "is not a token store: the JSON is not an object"),
        (None, "is a directory, not a file"),
    ],
    ids=["corrupt", "list", "directory"],
)
def test_a_store_that_is_corrupt_or_a_directory_is_one_line_and_no_request(
    sim, tmp_path, content, problem
):
    store = tmp_path / "token-store.json"
    if content is None:
        store.mkdir()
    else:
        store.write_text(content)

    result = run_tap(tmp_path, config_for(sim, START, token_store_path=str(store)), ENTITY_STREAMS)

    line = only_error(result)
    assert line.startswith(f"token_store_path {str(store)!r} {problem}")
    assert line.endswith(
        "fix the setting, or move the file away and run again with the newest refresh_token in "
        "the config"
    )
    assert len(sim.requests) == 0


def test_a_writable_store_keeps_the_rotated_token_and_leaves_no_probe_behind(sim, tmp_path):
    store = tmp_path / "state" / "token-store.json"

    result = run_tap(tmp_path, config_for(sim, START, token_store_path=str(store)), ENTITY_STREAMS)

    assert result.returncode == 0, result.stderr[-3000:]
    saved = json.loads(store.read_text())
    assert saved["fake-client-id"]["refresh_token"] == sim.current_refresh_token
    assert sorted(p.name for p in store.parent.iterdir()) == ["token-store.json"]


def test_a_save_that_fails_after_the_refresh_is_one_clear_error(tmp_path, monkeypatch):
    store = TokenStore(tmp_path / "token-store.json")
    store.check_writable()

    def disk_full(*_args: object) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(token_store.os, "replace", disk_full)

    with pytest.raises(TokenStoreError) as error:
        store.save("fake-client-id", "fake-refresh-0", StoredToken("fake-refresh-1", None))

    assert str(error.value) == (
        f"could not write the rotated refresh token to token_store_path {str(store.path)!r} "
        "(No space left on device); if the next run's token request is refused, authorize the "
        "app again"
    )
    assert "fake-refresh-1" not in str(error.value)
    assert list(tmp_path.iterdir()) == []


def test_a_stored_entry_without_a_text_token_falls_back_to_the_configured_one(tmp_path):
    path = tmp_path / "token-store.json"
    path.write_text(json.dumps({"fake-client-id": {"refresh_token": 12345}}))

    assert TokenStore(path).load("fake-client-id", "fake-refresh-0") is None
