"""Report shapes: the level → dimensions/key table, targeting batches, hourly and conversion
columns, and the records and schemas built from them."""

from __future__ import annotations

from decimal import Decimal

import pytest

from tap_pinterest_ads.reports.async_columns import ASYNC_REPORT_COLUMNS
from tap_pinterest_ads.reports.columns import DIMENSIONS, METRICS
from tap_pinterest_ads.reports.conversions import CONVERSION_COLUMNS, CONVERSION_METRICS
from tap_pinterest_ads.reports.job import ReportJob
from tap_pinterest_ads.reports.records import MissingKeyError, RecordBuilder, ReportValueError
from tap_pinterest_ads.reports.request import ReportRequest
from tap_pinterest_ads.reports.row_dates import HourlyRecordBuilder, utc_hour
from tap_pinterest_ads.reports.schema import build_schema
from tap_pinterest_ads.reports.shapes import (
    CONVERSIONS,
    DELIVERY,
    HOURLY,
    TARGETING_TYPES,
    ReportShape,
    batches,
    delivery,
    targeting,
)
from tap_pinterest_ads.streams.delivery import REPORT_STREAMS
from tests.openapi_spec import component
from tests.reports.fakes import FakeApi, FakeClock, finished

SHAPES = [s.shape for s in REPORT_STREAMS]
ATTRIBUTION_FIELDS = {
    "click_window_days",
    "engagement_window_days",
    "view_window_days",
    "conversion_report_time",
}


def test_the_delivery_shape_is_the_original_registry() -> None:
    assert DELIVERY.requested_columns() == tuple(c.api for c in (*DIMENSIONS[1:], *METRICS))
    assert DELIVERY.key == ("date", "ad_account_id", "pin_promotion_id")
    assert build_schema(shape=DELIVERY) == build_schema()
    assert DELIVERY.accepts_report_columns
    assert not any(s.accepts_report_columns for s in SHAPES if s is not DELIVERY)


@pytest.mark.parametrize("shape", SHAPES, ids=lambda s: f"{s.level}-{s.granularity}")
def test_every_shape_asks_for_official_columns_and_keys_its_fields(shape: ReportShape) -> None:
    columns = shape.requested_columns()
    assert columns
    assert set(columns) <= ASYNC_REPORT_COLUMNS
    schema = build_schema(shape=shape)
    assert set(shape.key) <= set(schema["properties"])
    assert schema["required"] == list(shape.key)
    for field in shape.key:
        assert "null" not in schema["properties"][field]["type"]


@pytest.mark.parametrize(
    ("level", "ids", "key"),
    [
        ("ADVERTISER", [], ("date", "ad_account_id")),
        ("CAMPAIGN", ["CAMPAIGN_ID"], ("date", "ad_account_id", "campaign_id")),
        ("AD_GROUP", ["CAMPAIGN_ID", "AD_GROUP_ID"], ("date", "ad_account_id", "ad_group_id")),
        (
            "PIN_PROMOTION",
            ["CAMPAIGN_ID", "AD_GROUP_ID", "PIN_PROMOTION_ID", "PIN_ID"],
            ("date", "ad_account_id", "pin_promotion_id"),
        ),
    ],
)
def test_each_level_asks_for_its_own_and_its_parents_ids(level, ids, key) -> None:
    shape = delivery(level)
    assert [c for c in shape.requested_columns() if c.endswith("_ID")] == ids
    assert shape.key == key
    assert [m.api for m in shape.metrics] == [m.api for m in METRICS]


def test_targeting_types_go_in_batches_of_at_most_five_valid_types() -> None:
    spec = component("TargetingTypeFilter")["properties"]["targeting_types"]
    assert spec["maxItems"] == 5
    shape = targeting("PIN_PROMOTION")
    assert shape.level == "PIN_PROMOTION_TARGETING"
    assert shape.targeting_batches == (
        ("AGE_BUCKET", "GENDER", "COUNTRY", "REGION", "APPTYPE"),
        ("LOCATION", "TARGETED_INTEREST", "KEYWORD", "PLACEMENT", "AUDIENCE_INCLUDE"),
        ("PINNER_INTEREST", "GEO", "AGE_BUCKET_AND_GENDER"),
    )
    assert set(TARGETING_TYPES) <= set(spec["items"]["enum"])
    # Only the synchronous campaign analytics offer it, not the async reports' enum.
    assert "CREATIVE_TYPE" not in spec["items"]["enum"]
    assert shape.key == (
        "date", "ad_account_id", "pin_promotion_id", "targeting_type", "targeting_value",
    )  # fmt: skip
    assert "TARGETING_TYPE" not in shape.requested_columns()
    assert batches(("a", "b", "c"), 2) == (("a", "b"), ("c",))


def test_hourly_asks_for_no_conversion_column_and_keys_the_hour() -> None:
    assert HOURLY.granularity == "HOUR"
    # Pinterest keeps 8 days of hours; the tap asks for 7 (a run may cross UTC midnight).
    assert (HOURLY.max_span_days, HOURLY.max_history_days) == (3, 7)
    assert not set(HOURLY.requested_columns()) & CONVERSION_COLUMNS
    assert HOURLY.key == ("date_hour", "ad_account_id", "pin_promotion_id")
    properties = build_schema(shape=HOURLY)["properties"]
    assert properties["date_hour"] == {"type": ["string"], "format": "date-time"}
    assert properties["date"] == {"type": ["string", "null"], "format": "date"}
    assert "roas" not in properties
    assert "conversions" not in properties
    assert {"ctr", "cpc", "cpm", "total_saves"} <= set(properties)


def test_conversions_by_event_and_attribution() -> None:
    fields = {m.field: m for m in CONVERSION_METRICS}
    assert len(fields) == len(CONVERSION_METRICS) == 89
    assert {c.api for c in CONVERSION_METRICS} <= ASYNC_REPORT_COLUMNS
    for event in ("signup", "checkout", "custom", "add_to_cart", "lead", "search"):
        for prefix in ("", "click_", "view_", "engagement_"):
            # Counts may include modeled conversions: fractions are kept, never truncated.
            assert fields[f"{prefix}{event}_conversions"].kind.name == "MODELED"
            assert fields[f"{prefix}{event}_value"].kind.name == "MONEY"
    assert fields["click_checkout_value"].api == "TOTAL_CLICK_CHECKOUT_VALUE_IN_MICRO_DOLLAR"
    assert fields["engagement_lead_conversions"].api == "TOTAL_ENGAGEMENT_LEAD"
    assert fields["page_visit_conversions"].api == "TOTAL_PAGE_VISIT"
    # Combinations the API does not have are left out.
    assert "page_visit_value" not in fields
    assert "unknown_conversions" not in fields
    assert "view_unknown_value" in fields
    assert "click_subscribe_conversions" not in fields
    # The delivery stream's conversion fields are named the same way.
    assert {m.api: m.field for m in METRICS if m.api in CONVERSION_COLUMNS} == {
        m.api: m.field for m in CONVERSION_METRICS if m.api in {x.api for x in METRICS}
    }
    assert CONVERSIONS.sums == CONVERSIONS.ratios == ()


def test_a_campaign_row_becomes_a_campaign_record() -> None:
    builder = RecordBuilder(shape=delivery("CAMPAIGN"))
    record = builder.build(
        {"DATE": "2024-03-08", "CAMPAIGN_ID": 626000000201, "SPEND_IN_MICRO_DOLLAR": 2469134,
         "IMPRESSION_1": 2000, "CLICKTHROUGH_1": 50, "OUTBOUND_CLICK_1": 24, "REPIN_2": 4},
        "549000000101",
        "USD",
    )  # fmt: skip
    assert {k: record[k] for k in ("date", "ad_account_id", "campaign_id", "currency")} == {
        "date": "2024-03-08",
        "ad_account_id": "549000000101",
        "campaign_id": "626000000201",
        "currency": "USD",
    }
    assert "pin_promotion_id" not in record
    assert record["spend"] == Decimal("2.469134")
    assert record["cpc"] == Decimal("2.469134") / 50
    assert record["total_outbound_clicks"] == 24
    assert record["total_saves"] == 4
    with pytest.raises(MissingKeyError, match="CAMPAIGN_ID"):
        builder.build({"DATE": "2024-03-08", "IMPRESSION_1": 1}, "549000000101", "USD")


def test_a_targeting_value_sent_as_a_number_becomes_text() -> None:
    builder = RecordBuilder(shape=targeting("CAMPAIGN"))
    row = {"DATE": "2024-03-08", "CAMPAIGN_ID": "1", "TARGETING_TYPE": "LOCATION",
           "TARGETING_VALUE": 500, "IMPRESSION_1": 3}  # fmt: skip
    record = builder.build(row, "2", None)
    assert (record["targeting_type"], record["targeting_value"]) == ("LOCATION", "500")
    with pytest.raises(MissingKeyError, match="TARGETING_VALUE"):
        builder.build({**row, "TARGETING_VALUE": None}, "2", None)


@pytest.mark.parametrize(
    ("raw", "iso"),
    [
        ("2024-03-08 13:00:00", "2024-03-08T13:00:00+00:00"),
        ("2024-03-08T13", "2024-03-08T13:00:00+00:00"),
        ("2024-03-08T13:00:00Z", "2024-03-08T13:00:00+00:00"),
        ("2024-03-08T01:00:00+02:00", "2024-03-07T23:00:00+00:00"),
    ],
)
def test_an_hourly_date_becomes_an_iso_utc_hour(raw: str, iso: str) -> None:
    assert utc_hour(raw).isoformat() == iso


@pytest.mark.parametrize("raw", ["2024-03-08", "13:00", "2024-03-08 25:00:00"])
def test_an_hourly_date_without_a_valid_hour_is_refused(raw: str) -> None:
    with pytest.raises(ReportValueError, match="a date and hour"):
        utc_hour(raw)


def test_an_hourly_row_becomes_a_record_keyed_by_its_hour() -> None:
    builder = HourlyRecordBuilder(shape=HOURLY)
    record = builder.build(
        {"DATE": "2024-03-08 23:00:00", "PIN_PROMOTION_ID": "687", "IMPRESSION_1": 10,
         "SPEND_IN_MICRO_DOLLAR": 1500000},
        "549",
        "EUR",
    )  # fmt: skip
    assert (record["date_hour"], record["date"]) == ("2024-03-08T23:00:00+00:00", "2024-03-08")
    assert record["spend"] == Decimal("1.5")
    assert record["cpm"] == Decimal(150)
    assert list(record) == list(build_schema(shape=HOURLY)["properties"])
    assert not ATTRIBUTION_FIELDS - set(record)


@pytest.mark.parametrize(("created", "slept"), [("FINISHED", []), ("IN_PROGRESS", [1.0])])
def test_a_report_finished_at_creation_is_polled_at_once(created: str, slept: list) -> None:
    import datetime as dt  # noqa: PLC0415

    request = ReportRequest(
        ad_account_id="1", start_date=dt.date(2024, 1, 1), end_date=dt.date(2024, 1, 1),
        columns=("IMPRESSION_1",),
    )  # fmt: skip
    clock = FakeClock()
    api = FakeApi(finished("https://storage.example/r", None), created_status=created)
    job = ReportJob(request, api, None, clock)  # type: ignore[arg-type]
    job.submit()
    assert job.wait_for_url() == ("https://storage.example/r", None)
    assert clock.sleeps == slept
