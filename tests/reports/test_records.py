"""RecordBuilder and schema: exact money, derived metrics, zero handling, schema conformance."""

from __future__ import annotations

from decimal import Decimal

import pytest

from tap_pinterest_ads.conventions import Attribution
from tap_pinterest_ads.reports.columns import resolve_report_columns
from tap_pinterest_ads.reports.records import (
    MissingKeyError,
    RecordBuilder,
    ReportValueError,
)
from tap_pinterest_ads.reports.schema import build_schema

ACCOUNT = "549755885175"
KEYS = {"DATE": "2024-03-01", "PIN_PROMOTION_ID": "687195905986"}
PYTHON_TYPES = {"string": str, "integer": int, "number": (int, Decimal)}


def build(row: dict, extras=(), attribution=None, currency="EUR") -> dict:
    builder = RecordBuilder(extra_columns=extras, attribution=attribution or Attribution())
    return builder.build(KEYS | row, ACCOUNT, currency)


def test_money_is_converted_from_micro_units_exactly():
    record = build(
        {
            "SPEND_IN_MICRO_DOLLAR": 1234567,
            "TOTAL_CONVERSIONS_VALUE_IN_MICRO_DOLLAR": 99999999999,
            "TOTAL_CHECKOUT_VALUE_IN_MICRO_DOLLAR": 1,
            "TOTAL_CLICK_CHECKOUT_VALUE_IN_MICRO_DOLLAR": 500000,
            "TOTAL_VIEW_CHECKOUT_VALUE_IN_MICRO_DOLLAR": 1000000,
            "TOTAL_ENGAGEMENT_CHECKOUT_VALUE_IN_MICRO_DOLLAR": 10,
        }
    )

    assert record["spend"] == Decimal("1.234567")
    assert record["conversion_value"] == Decimal("99999.999999")
    assert record["checkout_value"] == Decimal("0.000001")
    assert record["click_checkout_value"] == Decimal("0.5")
    assert record["view_checkout_value"] == Decimal("1")
    assert record["engagement_checkout_value"] == Decimal("0.00001")
    assert all(type(record[f]) is Decimal for f in ("spend", "conversion_value"))


def test_every_derived_metric_is_recomputed_from_the_base_metrics():
    record = build(
        {
            "SPEND_IN_MICRO_DOLLAR": 12_500_000,
            "IMPRESSION_1": 2000,
            "CLICKTHROUGH_1": 50,
            "VIDEO_3SEC_VIEWS_1": 400,
            "VIDEO_P100_COMPLETE_1": 100,
            "TOTAL_CONVERSIONS_VALUE_IN_MICRO_DOLLAR": 50_000_000,
            "CTR": Decimal("0.9"),  # Pinterest's own ratio is not used
        }
    )

    assert record["ctr"] == Decimal("0.025")
    assert record["cpc"] == Decimal("0.25")
    assert record["cpm"] == Decimal("6.25")
    assert record["cpv"] == Decimal("0.03125")
    assert record["vtr"] == Decimal("0.05")
    assert record["vcr"] == Decimal("0.25")
    assert record["roas"] == Decimal("4")


def test_repeating_ratios_are_decimals_with_28_significant_digits():
    record = build({"IMPRESSION_1": 3, "CLICKTHROUGH_1": 1})

    assert record["ctr"] == Decimal("0.3333333333333333333333333333")


def test_zero_denominators_give_none_and_zero_numerators_give_zero():
    record = build({"IMPRESSION_1": 10})

    assert {f: record[f] for f in ("cpc", "cpv", "vcr", "roas")} == dict.fromkeys(
        ("cpc", "cpv", "vcr", "roas")
    )
    assert (record["ctr"], record["cpm"], record["vtr"]) == (0, 0, 0)
    spent = build({"SPEND_IN_MICRO_DOLLAR": 1_500_000})
    assert str(spent["roas"]) == "0"  # not "0E+1"


def test_absent_metrics_are_zero_and_absent_dimensions_none():
    record = build({"IMPRESSION_2": None})

    assert record["paid_impressions"] == 0
    assert record["earned_impressions"] == 0  # explicit null counts as absent
    assert record["total_saves"] == 0
    assert record["spend"] == Decimal(0)
    assert record["campaign_id"] is None


def test_totals_missing_from_the_api_are_paid_plus_earned():
    record = build({"OUTBOUND_CLICK_1": 4, "OUTBOUND_CLICK_2": 3, "REPIN_1": 2, "REPIN_2": 5})

    assert (record["total_outbound_clicks"], record["total_saves"]) == (7, 7)


def test_numeric_ids_become_strings_and_context_comes_from_the_arguments():
    attribution = Attribution(7, 0, 1, "TIME_OF_CONVERSION")
    record = build({"CAMPAIGN_ID": 626736533506, "PIN_ID": 1234}, attribution=attribution)

    assert (record["campaign_id"], record["pin_id"]) == ("626736533506", "1234")
    assert record["ad_account_id"] == ACCOUNT
    assert record["currency"] == "EUR"
    assert record["date"] == "2024-03-01"
    assert (record["click_window_days"], record["engagement_window_days"]) == (7, 0)
    assert record["view_window_days"] == 1
    assert record["conversion_report_time"] == "TIME_OF_CONVERSION"


def test_pass_through_columns_keep_their_values_and_are_none_when_absent():
    extras = resolve_report_columns(["CPC_IN_MICRO_DOLLAR", "CAMPAIGN_NAME", "CTR", "LEADS"])
    record = build({"CPC_IN_MICRO_DOLLAR": 250000, "CTR": Decimal("0.0125")}, extras)

    assert record["cpc_in_micro_dollar"] == 250000
    assert record["pinterest_ctr"] == Decimal("0.0125")
    assert record["campaign_name"] is None
    assert record["leads"] is None


def test_fractional_count_is_refused_rather_than_truncated():
    with pytest.raises(ReportValueError, match="IMPRESSION_1"):
        build({"IMPRESSION_1": Decimal("2.5")})
    assert build({"IMPRESSION_1": Decimal("2.0")})["paid_impressions"] == 2


def test_row_without_a_key_value_is_refused():
    builder = RecordBuilder()
    with pytest.raises(MissingKeyError, match="PIN_PROMOTION_ID"):
        builder.build({"DATE": "2024-03-01", "IMPRESSION_1": 1}, ACCOUNT, None)


def test_csv_and_json_rows_give_the_same_record():
    json_row = {"CAMPAIGN_ID": 1, "SPEND_IN_MICRO_DOLLAR": 5, "CTR": Decimal("0.5")}
    csv_row = {"CAMPAIGN_ID": 1, "SPEND_IN_MICRO_DOLLAR": 5, "CTR": Decimal("0.5"), "REPIN_1": 0}
    extras = resolve_report_columns(["CTR"])

    assert build(json_row, extras) == build(csv_row, extras)


def test_schema_marks_key_fields_non_null_and_required():
    schema = build_schema()
    props = schema["properties"]

    assert schema["type"] == "object"
    assert props["date"] == {"type": ["string"], "format": "date"}
    assert props["ad_account_id"] == {"type": ["string"]}
    assert props["pin_promotion_id"] == {"type": ["string"]}
    assert set(schema["required"]) == {"date", "ad_account_id", "pin_promotion_id"}
    assert props["campaign_id"] == {"type": ["string", "null"]}
    assert props["paid_clicks"] == {"type": ["integer", "null"]}
    assert props["spend"] == {"type": ["number", "null"]}
    assert props["ctr"] == {"type": ["number", "null"]}
    assert props["click_window_days"] == {"type": ["integer", "null"]}
    assert props["conversion_report_time"] == {"type": ["string", "null"]}


def test_records_have_exactly_the_schema_fields_with_matching_python_types():
    extras = resolve_report_columns(["CPC_IN_MICRO_DOLLAR", "CAMPAIGN_NAME", "SPEND_IN_DOLLAR"])
    schema = build_schema(extras)
    record = build(
        {"SPEND_IN_MICRO_DOLLAR": 3, "IMPRESSION_1": 9, "SPEND_IN_DOLLAR": Decimal("0.1")},
        extras,
    )

    assert list(record) == list(schema["properties"])
    for field, value in record.items():
        types = schema["properties"][field]["type"]
        if value is None:
            assert "null" in types, field
        else:
            assert isinstance(value, PYTHON_TYPES[types[0]]), field
            assert not isinstance(value, bool), field
