"""`campaign_creative_type_delivery`: daily campaign metrics per creative type, read from the
synchronous campaign targeting analytics of the local simulator (exact values, the spec's
request shape and limits, bookmarks per ad account, one-line failures)."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from decimal import Decimal
from urllib.parse import urlencode

import pytest

from tap_pinterest_ads.pacing import ADS_ANALYTICS, category
from tap_pinterest_ads.reports.columns import Kind
from tap_pinterest_ads.streams import creative_type
from tap_pinterest_ads.tap import TapPinterestAds
from tests.openapi_contract import load_spec, validate_request
from tests.simulator_factory import running_simulator
from tests.tap_runner import MICRO, config_for, records, run, sync, today

STREAM = "campaign_creative_type_delivery"
TODAY = today()
START = TODAY - dt.timedelta(days=9)
# Three ads per ad group: REGULAR, VIDEO and CAROUSEL ads in the same campaigns.
DATASET = {"campaigns_per_account": 2, "ads_per_ad_group": 3, "days": 120, "seed": 7}
ANALYTICS = r"/campaigns/targeting_analytics$"


def the_stream(config: dict) -> creative_type.CampaignCreativeTypeDeliveryStream:
    stream = TapPinterestAds(config=config, validate_config=False).streams[STREAM]
    assert isinstance(stream, creative_type.CampaignCreativeTypeDeliveryStream)
    return stream


def expected_records(dataset, stream, start: dt.date) -> dict[tuple, dict]:
    """The sums of each campaign's PIN_PROMOTION rows by the creative type of the ad, keyed as
    the stream's records; money in the account's currency."""
    columns = ["PIN_PROMOTION_ID", *stream.shape.requested_columns()]
    money = {m.api: m.field for m in stream.shape.metrics if m.kind is Kind.MONEY}
    counts = {m.api: m.field for m in stream.shape.metrics if m.kind is not Kind.MONEY}
    out: dict[tuple, dict] = {}
    for account in dataset.ad_accounts():
        ads = {ad["id"]: ad for ad in dataset.ads(account["id"], statuses=None)}
        for row in dataset.delivery_rows(account["id"], start, TODAY, columns):
            ad = ads[row["PIN_PROMOTION_ID"]]
            key = (row["DATE"], account["id"], ad["campaign_id"], "CREATIVE_TYPE",
                   ad["creative_type"])  # fmt: skip
            record = out.setdefault(key, defaultdict(int, currency=account["currency"]))
            for api, field in counts.items():
                record[field] += row.get(api) or 0
            for api, field in money.items():
                record[f"micro {field}"] += row.get(api) or 0
    for record in out.values():
        for field in money.values():
            record[field] = Decimal(record.pop(f"micro {field}")) / MICRO
    return out


@pytest.fixture(scope="module")
def synced(dataset):
    """One run of the stream and of campaign_delivery: (stream, messages, analytics requests)."""
    with running_simulator(dataset) as sim:
        config = config_for(sim, START)
        messages = sync(config, (STREAM, "campaign_delivery"))
        yield the_stream(config), messages, sim.requests.filter("GET", ANALYTICS), sim.root_url


def test_rows_are_the_sums_of_each_campaigns_ads_per_creative_type_exactly(synced, dataset) -> None:
    stream, messages, _, _ = synced
    got = {tuple(r[k] for k in stream.primary_keys): r for r in records(messages, STREAM)}
    want = expected_records(dataset, stream, START)
    assert got.keys() == want.keys()
    for key, record in want.items():
        assert {field: got[key][field] for field in record} == dict(record), key
    assert {key[4] for key in got} == {"REGULAR", "VIDEO", "CAROUSEL"}
    spend = next(r["spend"] for r in got.values() if r["spend"])
    assert isinstance(spend, Decimal)


def test_a_campaigns_creative_types_add_up_to_its_campaign_delivery(synced) -> None:
    _, messages, _, _ = synced
    by_type: dict[tuple, list] = defaultdict(lambda: [Decimal(0), 0])
    for r in records(messages, STREAM):
        total = by_type[(r["date"], r["ad_account_id"], r["campaign_id"])]
        total[0] += r["spend"]
        total[1] += r["paid_impressions"]
    campaigns = {
        (r["date"], r["ad_account_id"], r["campaign_id"]): [r["spend"], r["paid_impressions"]]
        for r in records(messages, "campaign_delivery")
    }
    assert dict(by_type) == campaigns
    assert len(campaigns) > 20


def test_the_stream_is_opt_in_and_keyed_like_campaign_targeting_delivery(synced) -> None:
    stream = synced[0]
    other = stream.tap.streams["campaign_targeting_delivery"]
    assert stream.selected_by_default is False
    assert stream.primary_keys == other.primary_keys
    assert stream.primary_keys == (
        "date", "ad_account_id", "campaign_id", "targeting_type", "targeting_value",
    )  # fmt: skip
    fields = set(stream.schema["properties"])
    # Not in the synchronous `columns` enum: absent rather than a misleading 0.
    assert not fields & {"video_completes", "video_p25", "conversion_value", "vtr", "roas"}
    assert set(other.schema["properties"]) - fields == {
        "video_starts", "video_p25", "video_p50", "video_p75", "video_p95", "video_completes",
        "conversion_value", "vtr", "vcr", "roas",
    }  # fmt: skip


def test_every_request_matches_the_spec_and_asks_for_creative_type_only(synced) -> None:
    _, _, requests, root_url = synced
    assert len(requests) == 2  # one window, two accounts of two campaigns each
    for request in requests:
        url = f"{root_url}{request.path}?{urlencode(request.query, doseq=True)}"
        validate_request("GET", url, request.headers, request.body)
        assert request.query["targeting_types"] == ["CREATIVE_TYPE"]
        assert request.query["granularity"] == ["DAY"]
        assert len(request.query["campaign_ids"]) == 2
        assert (request.query["start_date"], request.query["end_date"]) == (
            [START.isoformat()],
            [TODAY.isoformat()],
        )
        assert category(request.path) == ADS_ANALYTICS


def test_the_campaign_id_limit_is_the_specs() -> None:
    parameter = load_spec()["components"]["parameters"]["query_campaign_ids_required"]
    assert creative_type.MAX_CAMPAIGN_IDS == parameter["schema"]["maxItems"] == 250


def test_campaign_ids_go_in_batches_of_the_limit(sim, dataset, monkeypatch) -> None:
    monkeypatch.setattr(creative_type, "MAX_CAMPAIGN_IDS", 1)
    messages = sync(config_for(sim, TODAY), (STREAM,))
    requests = sim.requests.filter("GET", ANALYTICS)
    assert [len(r.query["campaign_ids"]) for r in requests] == [1] * 4
    campaigns = {r["campaign_id"] for r in records(messages, STREAM)}
    assert campaigns == {c["id"] for a in dataset.account_ids for c in dataset.campaigns(a, None)}


def test_each_account_is_bookmarked_and_the_next_run_rereads_the_lookback(sim) -> None:
    config = config_for(sim, START, lookback_days=3)
    first = run(config, (STREAM,))
    first.raise_error()
    assert set(first.bookmarks(STREAM).values()) == {TODAY.isoformat()}
    assert len(first.bookmarks(STREAM)) == 2
    sim.requests.clear()

    second = run(config, (STREAM,), state=first.states()[-1])
    second.raise_error()
    starts = {r.query["start_date"][0] for r in sim.requests.filter("GET", ANALYTICS)}
    assert starts == {(TODAY - dt.timedelta(days=3)).isoformat()}
    assert {r["date"] for r in second.records(STREAM)} <= {
        (TODAY - dt.timedelta(days=d)).isoformat() for d in range(4)
    }


def test_a_start_date_beyond_90_days_is_clamped_with_a_warning(sim) -> None:
    outcome = run(config_for(sim, TODAY - dt.timedelta(days=110)), (STREAM,))
    outcome.raise_error()
    first_day = TODAY - dt.timedelta(days=89)
    requests = sim.requests.filter("GET", ANALYTICS)
    assert {(r.query["start_date"][0], r.query["end_date"][0]) for r in requests} == {
        (first_day.isoformat(), TODAY.isoformat())
    }
    assert outcome.lines(f"starting at {first_day}")
    assert min(r["date"] for r in outcome.records(STREAM)) == first_day.isoformat()


def test_an_accounts_failure_is_skipped_and_keeps_its_bookmark(sim, dataset) -> None:
    failing, other = dataset.account_ids
    sim.faults.http_error(f"/ad_accounts/{failing}{ANALYTICS}", 403, times=None)
    outcome = run(config_for(sim, START, on_account_error="skip"), (STREAM,))
    outcome.raise_error()
    assert outcome.bookmarks(STREAM).get(failing) is None
    assert outcome.bookmarks(STREAM)[other] == TODAY.isoformat()
    assert {r["ad_account_id"] for r in outcome.records(STREAM)} == {other}
    assert outcome.lines(f"Skipping ad account {failing} in stream '{STREAM}'")


def test_an_answer_that_is_not_a_metrics_response_fails_in_one_line(sim) -> None:
    sim.faults.http_error(ANALYTICS, 200, body={"data": "nothing"}, times=None)
    outcome = run(config_for(sim, START), (STREAM,))
    assert outcome.explained
    assert "not {data: [...]}" in outcome.error_line
    assert not outcome.bookmarks(STREAM)
