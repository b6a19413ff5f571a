"""The vendored OpenAPI description, and how the contract helper finds an operation in it."""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

import pytest

from tests.contract_fixtures import ACCOUNT_ID, BASE
from tests.openapi_contract import openapi
from tests.openapi_spec import (
    LOAD_TIMINGS,
    SPEC_PATH,
    SpecNotFoundError,
    api_path,
    find_operation,
    load_spec,
)


def test_spec_loads_once_and_is_the_official_v5() -> None:
    spec = load_spec()
    assert spec["openapi"].startswith("3.0")
    assert spec["servers"][0]["url"] == "https://api.pinterest.com/v5"
    assert load_spec() is spec  # cached
    assert openapi() is openapi()
    assert {"yaml", "openapi"} <= LOAD_TIMINGS.keys()


def test_missing_spec_fails_with_a_clear_message(tmp_path: Path) -> None:
    # The unwrapped loader: the cached copy used by the other tests stays untouched.
    with pytest.raises(SpecNotFoundError, match="vendor/pinterest-api-v5"):
        load_spec.__wrapped__(tmp_path / "nope" / "openapi.yaml")
    assert issubclass(SpecNotFoundError, AssertionError)  # a failure, never a skip


def test_vendored_spec_is_byte_for_byte_the_upstream_file_named_in_source_md() -> None:
    repo = Path(__file__).resolve().parents[1]
    assert repo / "vendor" / "pinterest-api-v5" / "openapi.yaml" == SPEC_PATH
    assert "Copyright © 2021 Pinterest, Inc." in (SPEC_PATH.parent / "LICENSE").read_text("utf-8")
    source = (SPEC_PATH.parent / "SOURCE.md").read_text(encoding="utf-8")
    blob = re.search(r"git blob `([0-9a-f]{40})`, ([\d,]+) bytes", source)
    assert blob, "SOURCE.md names the upstream git blob and size"
    data = SPEC_PATH.read_bytes()
    # git's blob id: sha1 over "blob <size>\0" + content, as `git hash-object` computes it.
    git_blob_id = hashlib.sha1(b"blob %d\0" % len(data) + data, usedforsecurity=False)
    assert (git_blob_id.hexdigest(), f"{len(data):,}") == blob.groups()
    assert "c05b18971472342ebdf4bafc15fea8a91c78bf79" in source
    assert load_spec()["info"]["version"] == "5.23.0"


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("https://api.pinterest.com/v5/ad_accounts", "/ad_accounts"),
        (
            "https://api-sandbox.pinterest.com/v5/ad_accounts/1/ads?page_size=2",
            "/ad_accounts/1/ads",
        ),
        ("http://127.0.0.1:8765/v5/oauth/token", "/oauth/token"),
        ("http://localhost:1/prefix/v5/ad_accounts/", "/ad_accounts"),
        ("/ad_accounts/{ad_account_id}/campaigns", "/ad_accounts/{ad_account_id}/campaigns"),
    ],
)
def test_api_path_strips_any_base_url(url: str, expected: str) -> None:
    assert api_path(url) == expected


def test_find_operation_prefers_literal_paths() -> None:
    template, operation = find_operation("GET", f"{BASE}/ad_accounts/{ACCOUNT_ID}/ads")
    assert template == "/ad_accounts/{ad_account_id}/ads"
    assert operation["operationId"] == "ads/list"
    template, _ = find_operation("GET", f"{BASE}/ad_accounts/{ACCOUNT_ID}/ads/analytics")
    assert template == "/ad_accounts/{ad_account_id}/ads/analytics"
