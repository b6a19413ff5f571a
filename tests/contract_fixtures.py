"""What the contract tests (tests/test_contract_*.py) share: the JSON files of tests/fixtures/,
the ad account they belong to, and the fake base URL and bearer token of the requests."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

FIXTURES = Path(__file__).parent / "fixtures"
ACCOUNT_ID = "549000000101"
BASE = "http://127.0.0.1:8765/v5"
BEARER = {"Authorization": "Bearer fake-access-token-1"}


def load_fixture(name: str) -> Any:
    return json.loads((FIXTURES / name).read_text(encoding="utf-8"))
