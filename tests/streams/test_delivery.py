"""`pin_promotion_delivery` end to end against the local Pinterest API simulator."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal

from pinterest_simulator import Simulator
from tap_pinterest_ads.reports.shapes import DELIVERY
from tests import tap_runner
from tests.openapi_contract import validate_request

TODAY = dt.datetime.now(dt.timezone.utc).date()
START = TODAY - dt.timedelta(days=200)  # two report windows: 186 days + 15 days
MICRO = Decimal(1_000_000)
DATASET = {"campaigns_per_account": 2, "days": 260, "seed": 3, "today": TODAY}
SIMULATOR = {"report_delay_seconds": 0.2}


def config_for(sim: Simulator, **extra) -> dict:
    return tap_runner.config_for(sim, START, **extra)


def sync(config: dict, state: dict | None = None) -> list[dict]:
    return tap_runner.sync(config, ("pin_promotion_delivery",), state)


def records(messages: list[dict]) -> list[dict]:
    return [m["record"] for m in messages if m["type"] == "RECORD"]


def final_state(messages: list[dict]) -> dict:
    return [m for m in messages if m["type"] == "STATE"][-1]["value"]


def report_bodies(sim: Simulator) -> list[dict]:
    return [json.loads(r.body) for r in sim.requests.filter("POST", r"/reports$")]


def ratio(above: Decimal, below: Decimal, factor: int = 1) -> Decimal | None:
    return None if below == 0 else factor * above / below


def expected_record(row: dict, account: dict) -> dict:
    """What the tap should make of one raw report row, computed here independently."""
    spend = Decimal(row.get("SPEND_IN_MICRO_DOLLAR") or 0) / MICRO
    value = Decimal(row.get("TOTAL_CONVERSIONS_VALUE_IN_MICRO_DOLLAR") or 0) / MICRO
    paid_impressions = row.get("IMPRESSION_1") or 0
    paid_clicks = row.get("CLICKTHROUGH_1") or 0
    views = row.get("VIDEO_3SEC_VIEWS_1") or 0
    completes = row.get("VIDEO_P100_COMPLETE_1") or 0
    return {
        "date": row["DATE"],
        "ad_account_id": account["id"],
        "currency": account["currency"],
        "campaign_id": str(row["CAMPAIGN_ID"]),
        "ad_group_id": str(row["AD_GROUP_ID"]),
        "pin_promotion_id": str(row["PIN_PROMOTION_ID"]),
        "pin_id": str(row["PIN_ID"]),
        "spend": spend,
        "paid_impressions": paid_impressions,
        "earned_impressions": row.get("IMPRESSION_2") or 0,
        "total_impressions": row.get("TOTAL_IMPRESSION") or 0,
        "paid_clicks": paid_clicks,
        "video_views": views,
        "video_completes": completes,
        "conversions": row.get("TOTAL_CONVERSIONS") or 0,
        "conversion_value": value,
        "ctr": ratio(Decimal(paid_clicks), Decimal(paid_impressions)),
        "cpc": ratio(spend, Decimal(paid_clicks)),
        "cpm": ratio(spend, Decimal(paid_impressions), 1000),
        "cpv": ratio(spend, Decimal(views)),
        "vtr": ratio(Decimal(completes), Decimal(paid_impressions)),
        "vcr": ratio(Decimal(completes), Decimal(views)),
        "roas": ratio(value, spend),
    }


def comparable(record: dict) -> dict:
    """Ratios to 15 significant digits (the order of Decimal operations may differ)."""
    return {
        key: value.normalize().__round__(15)
        if isinstance(value, Decimal) and key in ("ctr", "cpc", "cpm", "cpv", "vtr", "vcr", "roas")
        else value
        for key, value in record.items()
    }


def test_several_accounts_over_two_windows_give_exact_rows(sim, dataset):
    got = records(sync(config_for(sim)))

    columns = list(DELIVERY.requested_columns())
    expected = [
        expected_record(row, account)
        for account in dataset.ad_accounts()
        for row in dataset.delivery_rows(account["id"], START, TODAY, columns)
    ]
    assert len(got) == len(expected) > 1000
    got_by_key = {(r["date"], r["pin_promotion_id"]): r for r in got}
    assert len(got_by_key) == len(got), "the key (date, pin_promotion_id) is unique"
    for want in expected:
        have = got_by_key[(want["date"], want["pin_promotion_id"])]
        assert comparable({k: have[k] for k in want}) == comparable(want)


def test_each_account_is_read_in_windows_of_at_most_186_days(sim, dataset):
    sync(config_for(sim))

    windows = sorted((b["start_date"], b["end_date"]) for b in report_bodies(sim))
    first_end = START + dt.timedelta(days=185)
    assert windows == sorted(
        [(START.isoformat(), first_end.isoformat())] * 2
        + [((first_end + dt.timedelta(days=1)).isoformat(), TODAY.isoformat())] * 2
    )


def test_every_report_is_created_before_the_first_poll(sim):
    sync(config_for(sim))

    calls = [(r.method, r.path) for r in sim.requests if r.path.endswith("/reports")]
    creates = [i for i, (method, _) in enumerate(calls) if method == "POST"]
    polls = [i for i, (method, _) in enumerate(calls) if method == "GET"]
    assert len(creates) == 4
    assert max(creates) < min(polls)


def test_report_requests_match_the_official_spec_and_carry_the_attribution(sim):
    messages = sync(
        config_for(
            sim,
            click_window_days=60,
            view_window_days=7,
            conversion_report_time="TIME_OF_CONVERSION",
        ),
    )

    for request in sim.requests.filter("POST", r"/reports$"):
        validate_request("POST", f"{sim.root_url}{request.path}", request.headers, request.body)
    body = report_bodies(sim)[0]
    assert body["level"] == "PIN_PROMOTION"
    assert body["granularity"] == "DAY"
    assert (
        body["click_window_days"],
        body["engagement_window_days"],
        body["view_window_days"],
    ) == (60, 30, 7)
    assert body["conversion_report_time"] == "TIME_OF_CONVERSION"
    row = records(messages)[0]
    assert (row["click_window_days"], row["engagement_window_days"], row["view_window_days"]) == (
        60,
        30,
        7,
    )
    assert row["conversion_report_time"] == "TIME_OF_CONVERSION"


def test_the_report_download_carries_no_authorization_header(sim):
    sync(config_for(sim))

    downloads = [r for r in sim.requests if r.path.startswith("/_files/")]
    assert len(downloads) == 4
    assert all("authorization" not in {k.lower() for k in r.headers} for r in downloads)
    api_calls = [r for r in sim.requests if r.path.startswith("/v5/ad_accounts")]
    assert all(r.headers.get("Authorization", "").startswith("Bearer ") for r in api_calls)


def test_the_bookmark_is_the_last_day_covered_per_account(sim, dataset):
    state = final_state(sync(config_for(sim)))

    partitions = state["bookmarks"]["pin_promotion_delivery"]["partitions"]
    assert sorted(
        (p["context"]["ad_account_id"], p["replication_key_value"]) for p in partitions
    ) == sorted((account["id"], TODAY.isoformat()) for account in dataset.ad_accounts())
    assert all("progress_markers" not in p for p in partitions)


def test_a_second_run_rereads_exactly_the_lookback_window(sim, dataset):
    bookmark = TODAY - dt.timedelta(days=10)
    state = {
        "bookmarks": {
            "pin_promotion_delivery": {
                "partitions": [
                    {
                        "context": {"ad_account_id": a["id"]},
                        "replication_key": "date",
                        "replication_key_value": bookmark.isoformat(),
                    }
                    for a in dataset.ad_accounts()
                ]
            }
        }
    }
    got = records(sync(config_for(sim, lookback_days=5), state=state))

    rerun_start = bookmark - dt.timedelta(days=5)
    assert {(b["start_date"], b["end_date"]) for b in report_bodies(sim)} == {
        (rerun_start.isoformat(), TODAY.isoformat())
    }
    assert min(r["date"] for r in got) == rerun_start.isoformat()
    expected = sum(
        len(dataset.delivery_rows(a["id"], rerun_start, TODAY, list(DELIVERY.requested_columns())))
        for a in dataset.ad_accounts()
    )
    assert len(got) == expected


def test_report_columns_pass_through_as_lower_case_fields(sim, dataset):
    got = records(
        sync(
            config_for(
                sim,
                report_columns=["TOTAL_WEB_SESSIONS"],
                start_date=(TODAY - dt.timedelta(days=3)).isoformat(),
            ),
        )
    )

    assert "TOTAL_WEB_SESSIONS" in report_bodies(sim)[0]["columns"]
    account = dataset.ad_accounts()[0]["id"]
    rows = dataset.delivery_rows(
        account,
        TODAY - dt.timedelta(days=3),
        TODAY,
        [*DELIVERY.requested_columns(), "TOTAL_WEB_SESSIONS"],
    )
    want = {(r["DATE"], str(r["PIN_PROMOTION_ID"])): r["TOTAL_WEB_SESSIONS"] or None for r in rows}
    have = {
        (r["date"], r["pin_promotion_id"]): r["total_web_sessions"]
        for r in got
        if r["ad_account_id"] == account
    }
    assert have == want
