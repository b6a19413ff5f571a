"""The entity streams against the mocked API: the run, the requests it made, and the values
the fixtures should become."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from urllib.parse import parse_qs, urlsplit

from tests import mock_api
from tests.mock_api import ACCOUNT_WITH_ENTITIES, API, fixture
from tests.tap_runner import records, sync

ALL_STATUSES = ["ACTIVE", "PAUSED", "ARCHIVED", "DRAFT", "DELETED_DRAFT"]
ENTITY_PATHS = ("campaigns", "ad_groups", "ads")
STREAMS = ("ad_accounts", "campaigns", "ad_groups", "pin_promotions")
UNIX_EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.timezone.utc)
CAMPAIGNS_PAGE2_URL = (
    f"{API}/ad_accounts/{ACCOUNT_WITH_ENTITIES}/campaigns"
    f"?bookmark={fixture('campaigns_page1.json')['bookmark']}"
)
FORBIDDEN = {"code": 29, "message": "You are not permitted to access that resource."}


def run_sync(**config) -> list[dict]:
    """Sync the entity streams with the mock config (plus `config`); the messages written."""
    return sync({**mock_api.CONFIG, **config}, STREAMS)


def by_id(messages: list[dict], stream: str) -> dict[str, dict]:
    return {r["id"]: r for r in records(messages, stream)}


def path_of(entry) -> str:
    """`/ad_accounts/1/campaigns` from a history entry (the `/v5` prefix dropped)."""
    return urlsplit(entry.url).path.removeprefix("/v5")


def query_of(entry) -> dict[str, list[str]]:
    """The query exactly as sent (requests_mock's own `.qs` lower-cases values)."""
    return parse_qs(urlsplit(entry.url).query, keep_blank_values=True)


def calls(mocker, method: str, path: str) -> list:
    return [e for e in mocker.request_history if e.method == method and path_of(e) == path]


def token_requests(mocker) -> list:
    return calls(mocker, "POST", "/oauth/token")


def iso(epoch: int | None) -> str | None:
    """What an epoch-seconds field should become: ISO 8601 in UTC."""
    return None if epoch is None else (UNIX_EPOCH + dt.timedelta(seconds=epoch)).isoformat()


def micro(value: int | None) -> Decimal | None:
    return None if value is None else Decimal(value) / 1_000_000


def fixture_items(*names: str) -> list[dict]:
    return [item for name in names for item in fixture(name)["items"]]
