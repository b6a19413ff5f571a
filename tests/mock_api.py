"""A mocked Pinterest API (requests-mock) serving the spec-validated fixtures."""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path

import requests_mock

API = "https://api.pinterest.com/v5"
FIXTURES = Path(__file__).parent / "fixtures"
ACCOUNT_WITH_ENTITIES = "549000000101"
ACCOUNTS = ("549000000101", "549000000102", "549000000103")
EMPTY_PAGE = {"items": [], "bookmark": None}

# A pre-signed storage link, as Pinterest hands out for finished reports.
DOWNLOAD = "https://pinterest-media-upload.s3.amazonaws.com/async_reporting_v3/fake"
# Recent enough that a run asks for one report window per account.
START = dt.datetime.now(dt.timezone.utc).date() - dt.timedelta(days=2)

CONFIG = {
    "client_id": "fake-client-id",
    "client_secret": "fake-client-secret",
    "refresh_token": "fake-refresh-token-1",
    "start_date": START.isoformat(),
}


def catalog_selecting(config: dict, streams: tuple[str, ...] | None = None) -> dict:
    """The tap's discovered catalog with only `streams` selected (None: every stream)."""
    from tap_pinterest_ads.tap import TapPinterestAds  # noqa: PLC0415 - tests import lazily

    catalog = TapPinterestAds(config=config, setup_mapper=False).catalog_dict
    for entry in catalog["streams"]:
        for metadata in entry["metadata"]:
            if metadata["breadcrumb"] == []:
                metadata["metadata"]["selected"] = (
                    streams is None or entry["tap_stream_id"] in streams
                )
    return catalog


def fixture(name: str) -> dict:
    return json.loads((FIXTURES / name).read_text(encoding="utf-8"))


def register(mocker: requests_mock.Mocker) -> None:
    """Token endpoint, ad accounts (two pages) and each account's entity lists."""
    mocker.post(f"{API}/oauth/token", json=fixture("token_refresh.json"))
    page1 = fixture("ad_accounts_page1.json")
    mocker.get(f"{API}/ad_accounts", json=page1)
    mocker.get(
        f"{API}/ad_accounts?bookmark={page1['bookmark']}", json=fixture("ad_accounts_page2.json")
    )
    mocker.get(
        f"{API}/ad_accounts/{ACCOUNT_WITH_ENTITIES}",
        json=fixture(f"ad_account_{ACCOUNT_WITH_ENTITIES}.json"),
    )
    campaigns1 = fixture("campaigns_page1.json")
    for account in ACCOUNTS:
        base = f"{API}/ad_accounts/{account}"
        has_entities = account == ACCOUNT_WITH_ENTITIES
        mocker.get(f"{base}/campaigns", json=campaigns1 if has_entities else EMPTY_PAGE)
        mocker.get(
            f"{base}/ad_groups", json=fixture("ad_groups.json") if has_entities else EMPTY_PAGE
        )
        mocker.get(f"{base}/ads", json=fixture("ads.json") if has_entities else EMPTY_PAGE)
    mocker.get(
        f"{API}/ad_accounts/{ACCOUNT_WITH_ENTITIES}/campaigns?bookmark={campaigns1['bookmark']}",
        json=fixture("campaigns_page2.json"),
    )
    register_reports(mocker)
    from tests import mock_streams  # noqa: PLC0415 - it builds on this module

    mock_streams.register(mocker)  # the other streams; same delivery reports as above


def report_rows_for(account: str, start: dt.date) -> dict:
    """The fixture report of the account with entities, its dates moved into the window."""
    if account != ACCOUNT_WITH_ENTITIES:
        return {}
    report = fixture("delivery_report.json")
    first = min(dt.date.fromisoformat(r["DATE"]) for rows in report.values() for r in rows)
    shift = start - first
    for rows in report.values():
        for row in rows:
            row["DATE"] = (dt.date.fromisoformat(row["DATE"]) + shift).isoformat()
    return report


def register_reports(mocker: requests_mock.Mocker) -> None:
    """Create → FINISHED at the first poll → download of the fixture report."""
    created: dict[str, tuple[str, dt.date]] = {}

    def create(request, context):
        account = re.search(r"/ad_accounts/(\d+)/", request.path).group(1)
        token = f"fake-report-{len(created) + 1}"
        created[token] = (account, dt.date.fromisoformat(request.json()["start_date"]))
        return {"token": token, "report_status": "IN_PROGRESS", "message": None}

    def status(request, context):
        token = request.qs["token"][0]
        return {
            "report_status": "FINISHED",
            "url": f"{DOWNLOAD}/{token}/metrics_report.txt?X-Amz-Signature=fake-signature",
            "size": None,
        }

    def download(request, context):
        token = request.path.split("/")[-2]
        return report_rows_for(*created[token])

    register_finality(mocker)
    for account in ACCOUNTS:
        mocker.post(f"{API}/ad_accounts/{account}/reports", json=create)
        mocker.get(f"{API}/ad_accounts/{account}/reports", json=status)
    mocker.get(re.compile(re.escape(DOWNLOAD) + r"/.*"), json=download)


def register_finality(mocker: requests_mock.Mocker, open_days: int = 1) -> None:
    """GET /resources/metrics_ready_state: the last `open_days` days (today included) open."""

    def ready(request, context):
        day = dt.date.fromisoformat(request.qs["date"][0])
        final = day <= dt.datetime.now(dt.timezone.utc).date() - dt.timedelta(days=open_days)
        return {"conversion_metrics_ready": final, "non_conversion_metrics_ready": final}

    mocker.get(f"{API}/resources/metrics_ready_state", json=ready)
