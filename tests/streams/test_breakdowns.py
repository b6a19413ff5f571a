"""The report streams beside `pin_promotion_delivery`, end to end against the local simulator
(exact values) and the mocked API (bookmarks of multi-report windows)."""

from __future__ import annotations

import datetime as dt
import json
from collections import Counter, defaultdict
from decimal import Decimal

import pytest

from pinterest_simulator import Dataset
from tap_pinterest_ads.errors import TapError
from tap_pinterest_ads.reports import ReportError
from tap_pinterest_ads.reports.columns import Kind
from tap_pinterest_ads.reports.conversions import CONVERSION_COLUMNS
from tap_pinterest_ads.reports.shapes import TARGETING_TYPES
from tap_pinterest_ads.tap import TapPinterestAds
from tests import mock_api
from tests.mock_api import ACCOUNT_WITH_ENTITIES, API, DOWNLOAD
from tests.openapi_contract import validate_history, validate_request
from tests.simulator_factory import running_simulator
from tests.tap_runner import config_for, records, run, sync

TODAY = dt.datetime.now(dt.timezone.utc).date()
START = TODAY - dt.timedelta(days=9)
# The oldest day an HOUR report asks for: Pinterest keeps 8, the tap keeps a day of margin.
HOUR_START = TODAY - dt.timedelta(days=7)
MICRO = Decimal(1_000_000)
LEVELS = {
    "ad_account_delivery": "ADVERTISER",
    "campaign_delivery": "CAMPAIGN",
    "ad_group_delivery": "AD_GROUP",
    "pin_promotion_delivery": "PIN_PROMOTION",
}
TARGETING = {
    "pin_promotion_targeting_delivery": "PIN_PROMOTION_TARGETING",
    "campaign_targeting_delivery": "CAMPAIGN_TARGETING",
}
DATASET = {"campaigns_per_account": 2, "days": 40, "seed": 5, "today": TODAY}
STREAMS = (
    *LEVELS, *TARGETING, "pin_promotion_delivery_hourly", "pin_promotion_conversions",
)  # fmt: skip
ID_FIELDS = {
    "CAMPAIGN_ID": "campaign_id",
    "AD_GROUP_ID": "ad_group_id",
    "PIN_PROMOTION_ID": "pin_promotion_id",
    "PIN_ID": "pin_id",
    "TARGETING_TYPE": "targeting_type",
    "TARGETING_VALUE": "targeting_value",
}


def bookmarks(messages: list[dict], stream: str) -> dict[str, str | None]:
    state = [m for m in messages if m["type"] == "STATE"][-1]["value"]
    partitions = state["bookmarks"].get(stream, {}).get("partitions", [])
    return {p["context"]["ad_account_id"]: p.get("replication_key_value") for p in partitions}


def expected(stream, row: dict, account: dict) -> dict:
    """The record the tap should make of a raw simulator row (identity and metrics)."""
    out = {"ad_account_id": account["id"], "currency": account["currency"]}
    out.update((field, str(row[api])) for api, field in ID_FIELDS.items() if api in row)
    for metric in stream.shape.metrics:
        value = row.get(metric.api) or 0
        out[metric.field] = Decimal(value) / MICRO if metric.kind is Kind.MONEY else value
    return out


def rows_for(dataset: Dataset, stream, start: dt.date, **kw) -> list[tuple[dict, dict]]:
    columns = list(stream.shape.requested_columns())
    return [
        (row, account)
        for account in dataset.ad_accounts()
        for row in dataset.delivery_rows(account["id"], start, TODAY, columns, **kw)
    ]


def by_key(rows: list[dict], key: tuple[str, ...]) -> dict[tuple, dict]:
    keyed = {tuple(r[k] for k in key): r for r in rows}
    assert len(keyed) == len(rows), "the key is unique"
    return keyed


# The simulator ----------------------------------------------------------------------------


@pytest.fixture(scope="module")
def synced(dataset):
    """One run of every report stream; (tap, messages, report request bodies)."""
    with running_simulator(dataset) as sim:
        config = config_for(sim, START)
        messages = sync(config, STREAMS)
        creates = sim.requests.filter("POST", r"/reports$")
        for request in creates:
            validate_request("POST", f"{sim.root_url}{request.path}", request.headers, request.body)
        bodies = [json.loads(r.body) for r in creates]
        tap = TapPinterestAds(config=config, validate_config=False)
        yield tap, messages, bodies


@pytest.mark.parametrize("name", list(LEVELS))
def test_each_level_gives_the_simulators_rows_exactly(synced, dataset, name) -> None:
    tap, messages, _ = synced
    stream = tap.streams[name]
    got = by_key(records(messages, name), stream.primary_keys)
    want = [
        {"date": row["DATE"], **expected(stream, row, account)}
        for row, account in rows_for(dataset, stream, START, level=LEVELS[name])
    ]
    assert len(got) == len(want) > 0
    for record in want:
        have = got[tuple(record[k] for k in stream.primary_keys)]
        assert {k: have[k] for k in record} == record
        clicks, impressions = record["paid_clicks"], record["paid_impressions"]
        assert have["ctr"] == (Decimal(clicks) / impressions if impressions else None)


def test_the_levels_add_up_to_the_same_spend_per_account_and_day(synced) -> None:
    _, messages, _ = synced
    totals = {}
    for name in LEVELS:
        spend: dict[tuple, Decimal] = defaultdict(Decimal)
        for r in records(messages, name):
            spend[(r["ad_account_id"], r["date"])] += r["spend"]
        totals[name] = dict(spend)
    assert len(totals["ad_account_delivery"]) == 2 * 10
    assert (
        totals["ad_account_delivery"]
        == totals["campaign_delivery"]
        == totals["ad_group_delivery"]
        == totals["pin_promotion_delivery"]
    )


def test_level_reports_ask_only_for_ids_the_level_has(synced) -> None:
    _, _, bodies = synced
    ids = {b["level"]: [c for c in b["columns"] if c.endswith("_ID")] for b in bodies}
    assert ids["ADVERTISER"] == []
    assert ids["CAMPAIGN"] == ["CAMPAIGN_ID"] == ids["CAMPAIGN_TARGETING"]
    assert ids["AD_GROUP"] == ["CAMPAIGN_ID", "AD_GROUP_ID"]


@pytest.mark.parametrize("name", list(TARGETING))
def test_targeting_breakdowns_give_the_simulators_rows_exactly(synced, dataset, name) -> None:
    tap, messages, _ = synced
    stream = tap.streams[name]
    got = by_key(records(messages, name), stream.primary_keys)
    want = [
        {"date": row["DATE"], **expected(stream, row, account)}
        for batch in stream.shape.targeting_batches
        for row, account in rows_for(
            dataset, stream, START, level=TARGETING[name], targeting_types=batch
        )
    ]
    assert len(got) == len(want) > 0
    for record in want:
        assert {k: v for k, v in got[tuple(record[k] for k in stream.primary_keys)].items()
                if k in record} == record  # fmt: skip
    assert {r["targeting_type"] for r in got.values()} == set(TARGETING_TYPES)
    locations = {r["targeting_value"] for r in got.values() if r["targeting_type"] == "LOCATION"}
    assert locations == {"500", "501", "803"}  # JSON numbers in the report, text in the record


def test_targeting_windows_take_three_reports_and_are_bookmarked_after_all(synced) -> None:
    _, messages, bodies = synced
    targeting = [b for b in bodies if b["level"] == "PIN_PROMOTION_TARGETING"]
    assert Counter(tuple(b["targeting_types"]) for b in targeting) == {
        ("AGE_BUCKET", "GENDER", "COUNTRY", "REGION", "APPTYPE"): 2,
        ("LOCATION", "TARGETED_INTEREST", "KEYWORD", "PLACEMENT", "AUDIENCE_INCLUDE"): 2,
        ("PINNER_INTEREST", "GEO", "AGE_BUCKET_AND_GENDER"): 2,
    }
    assert {(b["start_date"], b["end_date"]) for b in targeting} == {
        (START.isoformat(), TODAY.isoformat())
    }
    assert all("targeting_types" not in b for b in bodies if not b["level"].endswith("_TARGETING"))
    for name in TARGETING:
        assert set(bookmarks(messages, name).values()) == {TODAY.isoformat()}


def test_hourly_rows_are_keyed_by_their_utc_hour(synced, dataset) -> None:
    tap, messages, _ = synced
    stream = tap.streams["pin_promotion_delivery_hourly"]
    got = by_key(records(messages, stream.name), stream.primary_keys)
    want = rows_for(dataset, stream, HOUR_START, granularity="HOUR")
    assert len(got) == len(want) > 24
    for row, account in want:
        hour = dt.datetime.fromisoformat(row["DATE"]).replace(tzinfo=dt.timezone.utc).isoformat()
        record = {"date_hour": hour, "date": row["DATE"][:10], **expected(stream, row, account)}
        have = got[(hour, account["id"], row["PIN_PROMOTION_ID"])]
        assert {k: have[k] for k in record} == record
    assert set(bookmarks(messages, stream.name).values()) == {TODAY.isoformat()}


def test_hourly_reports_reach_7_days_back_in_spans_of_3_days_without_conversions(synced) -> None:
    _, _, bodies = synced
    hourly = [b for b in bodies if b["granularity"] == "HOUR"]
    windows = sorted({(b["start_date"], b["end_date"]) for b in hourly})
    assert windows == [
        (HOUR_START.isoformat(), (HOUR_START + dt.timedelta(days=2)).isoformat()),
        ((TODAY - dt.timedelta(days=4)).isoformat(), (TODAY - dt.timedelta(days=2)).isoformat()),
        ((TODAY - dt.timedelta(days=1)).isoformat(), TODAY.isoformat()),
    ]
    assert len(hourly) == 3 * 2
    assert all(not set(b["columns"]) & CONVERSION_COLUMNS for b in hourly)


def test_conversions_by_event_and_attribution_are_exact(synced, dataset) -> None:
    tap, messages, bodies = synced
    stream = tap.streams["pin_promotion_conversions"]
    got = by_key(records(messages, stream.name), stream.primary_keys)
    want = [
        {"date": row["DATE"], **expected(stream, row, account)}
        for row, account in rows_for(dataset, stream, START)
    ]
    assert len(got) == len(want) > 0
    for record in want:
        assert {k: got[tuple(record[k] for k in stream.primary_keys)][k] for k in record} == record
    requested = next(b["columns"] for b in bodies if "TOTAL_VIEW_SIGNUP" in b["columns"])
    assert "SPEND_IN_MICRO_DOLLAR" not in requested
    assert len(requested) == 4 + 89


# The mocked API ---------------------------------------------------------------------------


def test_every_mocked_report_request_matches_the_spec(api) -> None:
    messages = sync(mock_api.CONFIG, STREAMS)

    templates = set(validate_history(api))
    assert templates == {
        "/oauth/token", "/ad_accounts", "/ad_accounts/{ad_account_id}/reports",
        "/resources/metrics_ready_state",
    }  # fmt: skip
    spend = sum(r["spend"] for r in records(messages, "ad_account_delivery"))
    assert spend == sum(r["spend"] for r in records(messages, "pin_promotion_delivery")) > 0
    hours = {r["date_hour"][11:] for r in records(messages, "pin_promotion_delivery_hourly")}
    assert hours == {"00:00:00+00:00", "13:00:00+00:00"}


def test_a_window_is_bookmarked_only_once_its_last_targeting_batch_is_read(api) -> None:
    created: list[dict] = []

    def create(request, context):
        created.append(request.json())
        token = f"fake-report-t{len(created)}"
        return {"token": token, "report_status": "FINISHED", "message": None}

    def download(request, context):
        token = request.path.split("/")[-2]
        body = created[int(token.removeprefix("fake-report-t")) - 1]
        if "PLACEMENT" in body.get("targeting_types", []):
            context.status_code = 403  # the second batch never downloads
            return {}
        return {}

    api.post(f"{API}/ad_accounts/{ACCOUNT_WITH_ENTITIES}/reports", json=create)
    api.get(f"{DOWNLOAD}/fake-report-t1/metrics_report.txt", json=download)
    api.get(f"{DOWNLOAD}/fake-report-t2/metrics_report.txt", json=download)
    config = {**mock_api.CONFIG, "advertiser_ids": ACCOUNT_WITH_ENTITIES}

    outcome = run(config, ("pin_promotion_targeting_delivery",))

    # ReportError, or the same failure named after its account (on_account_error=fail).
    with pytest.raises((ReportError, TapError), match="could not be downloaded"):
        outcome.raise_error()
    messages = outcome.messages
    assert [len(b["targeting_types"]) for b in created] == [5, 5, 3]
    # The first batch was read (a STATE would follow a covered window); today is never
    # bookmarked, since the window's second batch was not.
    states = [m["value"] for m in messages if m["type"] == "STATE"]
    assert TODAY.isoformat() not in json.dumps(states)
