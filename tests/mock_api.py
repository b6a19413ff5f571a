"""The mocked Pinterest API of the unit tests (requests-mock), serving the spec-validated fixtures
of tests/fixtures/: token, ad accounts, entities, lookups, pins, targeting options, and reports
shaped by each request (every level, targeting breakdown and HOUR).

Processes (the console script, Meltano) reach the simulator instead (tests/conftest.py)."""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

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
    register_lookups(mocker)


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


LOOKUPS = FIXTURES / "lookups"
TARGETING_OPTION_TYPES = (
    "APPTYPE",
    "GENDER",
    "LOCALE",
    "AGE_BUCKET",
    "LOCATION",
    "GEO",
    "INTEREST",
)
# Two values of each targeting breakdown; every fixture row is repeated for each.
TARGETING_VALUES = {
    "AGE_BUCKET": ("25-34", "35-44"),
    "GENDER": ("female", "male"),
    "COUNTRY": ("US", "GB"),
    "REGION": ("US-CA", "US-NY"),
    "APPTYPE": ("iphone", "web"),
    "LOCATION": (500, 501),  # metro codes arrive as JSON numbers
    "TARGETED_INTEREST": ("Food and Drinks", "Home Decor"),
    "KEYWORD": ("christmas decor ideas", "linen shirt"),
    "PLACEMENT": ("SEARCH", "BROWSE"),
    "AUDIENCE_INCLUDE": ("2542620905401", "643000000017"),  # audience and customer list ids
    "PINNER_INTEREST": ("924581335376", "918105274631"),
    "GEO": ("US-CA", "GB-ENG"),
    "AGE_BUCKET_AND_GENDER": ("25-34&female", "35-44&male"),
}
# Hours of each fixture day in an HOUR report, each with the day's metrics.
HOURS = (0, 13)
LEVEL_IDS = {
    "ADVERTISER": (),
    "CAMPAIGN": ("CAMPAIGN_ID",),
    "AD_GROUP": ("CAMPAIGN_ID", "AD_GROUP_ID"),
    "PIN_PROMOTION": ("CAMPAIGN_ID", "AD_GROUP_ID", "PIN_PROMOTION_ID", "PIN_ID"),
}
PIN_NOT_FOUND = {"code": 50, "message": "Pin not found."}


def lookup(name: str) -> object:
    return json.loads((LOOKUPS / name).read_text(encoding="utf-8"))


def is_delivery(body: dict) -> bool:
    """The request `pin_promotion_delivery` sends."""
    plain = (body["level"], body["granularity"], body.get("targeting_types"))
    return plain == ("PIN_PROMOTION", "DAY", None) and "SPEND_IN_MICRO_DOLLAR" in body["columns"]


def report_for(account: str, body: dict) -> dict:
    """The fixture delivery report reshaped for the request's level, breakdown and hours.

    PIN_PROMOTION by DAY without breakdown answers the fixture exactly, as before. Other
    requests get the requested columns only, metrics summed per (date, level ids, breakdown).
    """
    start = dt.date.fromisoformat(body["start_date"])
    level, granularity = body["level"], body["granularity"]
    targeting = body.get("targeting_types") or []
    if is_delivery(body):
        return report_rows_for(account, start)
    ids = LEVEL_IDS[level.removesuffix("_TARGETING")]
    wanted = set(body["columns"])
    breakdown = [(t, v) for t in targeting for v in TARGETING_VALUES[t]] or [(None, None)]
    hours = HOURS if granularity == "HOUR" else (None,)
    report: dict[str, dict[tuple, dict]] = {}
    for rows in report_rows_for(account, start).values():
        for row in rows:
            entity = str(row[ids[-1]]) if ids else account
            for kind, value in breakdown:
                for hour in hours:
                    date = row["DATE"] if hour is None else f"{row['DATE']} {hour:02d}:00:00"
                    key = (date, kind, value, *(row.get(c) for c in ids))
                    out = report.setdefault(entity, {}).setdefault(
                        key, {"DATE": date, **{c: row[c] for c in ids if c in wanted}}
                    )
                    if kind:
                        out.update(TARGETING_TYPE=kind, TARGETING_VALUE=value)
                    for column, number in row.items():
                        if column in wanted and column not in ids and isinstance(number, int):
                            out[column] = out.get(column, 0) + number
    return {entity: list(rows.values()) for entity, rows in report.items()}


def register_reports(mocker: requests_mock.Mocker) -> None:
    """Create → FINISHED at the first poll → a report shaped by the request."""
    created: dict[str, tuple[str, dict]] = {}

    def create(request, context):
        account = re.search(r"/ad_accounts/(\d+)/", request.path).group(1)
        token = f"fake-report-{len(created) + 1}"
        body = created[token] = (account, request.json())
        # Only the delivery report goes through IN_PROGRESS (and the first poll's 1 s
        # wait): the other streams would add that second each to every mocked run.
        status = "IN_PROGRESS" if is_delivery(body[1]) else "FINISHED"
        return {"token": token, "report_status": status, "message": None}

    def status(request, context):
        token = request.qs["token"][0]
        return {
            "report_status": "FINISHED",
            "url": f"{DOWNLOAD}/{token}/metrics_report.txt?X-Amz-Signature=fake-signature",
            "size": None,
        }

    def download(request, context):
        return report_for(*created[request.path.split("/")[-2]])

    def creative_types(request, context):
        # The CAMPAIGN report's rows as one creative type (request.qs lower-cases values).
        query = parse_qs(urlsplit(request.url).query)
        account = re.search(r"/ad_accounts/(\d+)/", request.path).group(1)
        body = {"start_date": query["start_date"][0], "level": "CAMPAIGN", "granularity": "DAY",
                "columns": query["columns"][0].split(",")}  # fmt: skip
        rows = [row for rows in report_for(account, body).values() for row in rows]
        return {"data": [{"targeting_type": "CREATIVE_TYPE", "targeting_value": "REGULAR",
                          "metrics": row} for row in rows]}  # fmt: skip

    register_finality(mocker)
    for account in ACCOUNTS:
        mocker.post(f"{API}/ad_accounts/{account}/reports", json=create)
        mocker.get(f"{API}/ad_accounts/{account}/reports", json=status)
        analytics = f"{API}/ad_accounts/{account}/campaigns/targeting_analytics"
        mocker.get(analytics, json=creative_types)
    mocker.get(re.compile(re.escape(DOWNLOAD) + r"/.*"), json=download)


def register_lookups(mocker: requests_mock.Mocker) -> None:
    """Keywords, audiences, customer lists, conversion tags, pins and the resources."""
    keywords = lookup("keywords.json")

    def keywords_of(request, context):
        group = request.qs.get("ad_group_id", [None])[0]
        return {
            "items": [k for k in keywords["items"] if k["parent_id"] == group],
            "bookmark": None,
        }

    def pin(request, context):
        path = LOOKUPS / f"pin_{request.path.rsplit('/', 1)[-1]}.json"
        if not path.is_file():
            context.status_code = 404
            return PIN_NOT_FOUND
        return json.loads(path.read_text(encoding="utf-8"))

    for account in ACCOUNTS:
        base = f"{API}/ad_accounts/{account}"
        full = account == ACCOUNT_WITH_ENTITIES
        mocker.get(f"{base}/keywords", json=keywords_of if full else EMPTY_PAGE)
        mocker.get(f"{base}/audiences", json=lookup("audiences_page1.json") if full else EMPTY_PAGE)
        mocker.get(
            f"{base}/customer_lists", json=lookup("customer_lists.json") if full else EMPTY_PAGE
        )
        mocker.get(
            f"{base}/conversion_tags",
            json=lookup("conversion_tags.json") if full else {"items": []},
        )
    page2 = lookup("audiences_page1.json")["bookmark"]  # type: ignore[index]
    mocker.get(
        f"{API}/ad_accounts/{ACCOUNT_WITH_ENTITIES}/audiences?bookmark={page2}",
        json=lookup("audiences_page2.json"),
    )
    mocker.get(re.compile(re.escape(f"{API}/pins/") + r"\d+"), json=pin)
    for kind in TARGETING_OPTION_TYPES:
        mocker.get(f"{API}/resources/targeting/{kind}", json=lookup(f"targeting_{kind}.json"))
    mocker.get(f"{API}/resources/delivery_metrics", json=lookup("delivery_metrics.json"))


def register_finality(mocker: requests_mock.Mocker, open_days: int = 1) -> None:
    """GET /resources/metrics_ready_state: the last `open_days` days (today included) open."""

    def ready(request, context):
        day = dt.date.fromisoformat(request.qs["date"][0])
        final = day <= dt.datetime.now(dt.timezone.utc).date() - dt.timedelta(days=open_days)
        return {"conversion_metrics_ready": final, "non_conversion_metrics_ready": final}

    mocker.get(f"{API}/resources/metrics_ready_state", json=ready)
