"""Report values as the spec lets the API send them: fractional micro-currency columns,
modeled (fractional) conversion counts, both spellings of the targeting keys, and numbers
that are not numbers. Exact values or one clear error; never a truncation."""

from __future__ import annotations

import io
from decimal import Decimal

import pytest

from tap_pinterest_ads.reports.columns import resolve_report_columns
from tap_pinterest_ads.reports.parse import CorruptReport, iter_json_report
from tap_pinterest_ads.reports.records import MissingKeyError, RecordBuilder, ReportValueError
from tap_pinterest_ads.reports.schema import build_schema
from tap_pinterest_ads.reports.shapes import CONVERSIONS, targeting

ACCOUNT = "549755000123"
ROW = {"DATE": "2026-11-26", "PIN_PROMOTION_ID": "687195000355"}


def build(row: dict, extras=(), shape=None) -> dict:
    builder = RecordBuilder(extras, shape=shape) if shape else RecordBuilder(extras)
    return builder.build({**ROW, **row}, ACCOUNT, "EUR")


# Fractional micro-currency columns (report_columns) --------------------------------------


def test_a_fractional_micro_column_is_kept_exactly_and_its_amount_divided_exactly():
    extras = resolve_report_columns(["CPC_IN_MICRO_DOLLAR", "ECPM_IN_MICRO_DOLLAR"])

    record = build(
        {"CPC_IN_MICRO_DOLLAR": Decimal("106548.186234"), "ECPM_IN_MICRO_DOLLAR": 2500000},
        extras,
    )

    assert record["cpc_in_micro_dollar"] == Decimal("106548.186234")
    assert record["cpc_amount"] == Decimal("0.106548186234")
    assert record["ecpm_in_micro_dollar"] == 2500000
    assert record["ecpm_amount"] == Decimal("2.5")


def test_a_micro_column_the_row_lacks_has_no_amount_either():
    extras = resolve_report_columns(["CPCV_IN_MICRO_DOLLAR"])

    record = build({}, extras)

    assert (record["cpcv_in_micro_dollar"], record["cpcv_amount"]) == (None, None)


def test_the_schema_types_micro_columns_as_numbers_with_an_amount_field():
    extras = resolve_report_columns(["CPV_IN_MICRO_DOLLAR"])

    properties = build_schema(extras)["properties"]

    assert properties["cpv_in_micro_dollar"] == {"type": ["number", "null"]}
    assert properties["cpv_amount"] == {"type": ["number", "null"]}
    assert list(build({}, extras)) == list(properties)


def test_registry_money_accepts_fractional_micro_units_exactly():
    record = build({"SPEND_IN_MICRO_DOLLAR": Decimal("1500000.5"), "CLICKTHROUGH_1": 2})

    assert record["spend"] == Decimal("1.5000005")
    assert record["cpc"] == Decimal("0.75000025")


def test_a_huge_micro_value_is_divided_exactly_not_rounded():
    micro = 12345678901234567890123456789012345
    record = build({"SPEND_IN_MICRO_DOLLAR": micro})

    assert record["spend"] == Decimal("12345678901234567890123456789.012345")


# Counts -----------------------------------------------------------------------------------


def test_modeled_conversion_counts_keep_their_fraction():
    record = build({"TOTAL_CONVERSIONS": Decimal("2.5"), "TOTAL_CHECKOUT": Decimal("3.0")})

    assert record["conversions"] == Decimal("2.5")
    assert record["checkout_conversions"] == 3
    assert type(record["checkout_conversions"]) is int


def test_the_conversions_stream_keeps_fractional_event_counts():
    record = build({"TOTAL_CLICK_SIGNUP": Decimal("0.25")}, shape=CONVERSIONS)

    assert record["click_signup_conversions"] == Decimal("0.25")
    assert build_schema(shape=CONVERSIONS)["properties"]["click_signup_conversions"] == {
        "type": ["number", "null"]
    }


@pytest.mark.parametrize(
    ("column", "value"),
    [
        ("IMPRESSION_1", Decimal("2.5")),  # an impression is counted, never modeled
        ("CLICKTHROUGH_1", "abc"),
        ("REPIN_1", True),
        ("ENGAGEMENT_1", [1]),
        ("TOTAL_CONVERSIONS", "NaN"),
        ("TOTAL_CONVERSIONS", "Infinity"),
        ("SPEND_IN_MICRO_DOLLAR", "abc"),
        ("SPEND_IN_MICRO_DOLLAR", Decimal("NaN")),
        ("SPEND_IN_MICRO_DOLLAR", Decimal("1E+5000")),
    ],
)
def test_a_value_that_is_not_a_number_of_the_columns_kind_names_the_column(column, value):
    with pytest.raises(ReportValueError, match=f"report column {column}: expected"):
        build({column: value})


@pytest.mark.parametrize("value", ["NaN", "Infinity", "-Infinity"])
def test_a_pass_through_number_is_never_nan_or_infinite(value):
    extras = resolve_report_columns(["TOTAL_WEB_SESSIONS"])

    with pytest.raises(ReportValueError, match="TOTAL_WEB_SESSIONS"):
        build({"TOTAL_WEB_SESSIONS": value}, extras)


@pytest.mark.parametrize("literal", [b"NaN", b"Infinity", b"-Infinity"])
def test_json_nan_and_infinity_are_a_corrupt_report(literal):
    document = b'{"1":[{"DATE":"2026-11-26","IMPRESSION_1":' + literal + b"}]}"

    with pytest.raises(CorruptReport, match="not a JSON number"):
        list(iter_json_report(io.BytesIO(document)))


# Targeting keys ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "keys", [("TARGETING_TYPE", "TARGETING_VALUE"), ("targeting_type", "targeting_value")]
)
def test_both_spellings_of_the_targeting_keys_are_read(keys):
    row = {"CAMPAIGN_ID": "1", keys[0]: "GENDER", keys[1]: "female", "IMPRESSION_1": 3}

    record = build(row, shape=targeting("CAMPAIGN"))

    assert (record["targeting_type"], record["targeting_value"]) == ("GENDER", "female")


def test_the_upper_case_spelling_wins_when_a_row_has_both():
    row = {"CAMPAIGN_ID": "1", "TARGETING_TYPE": "GENDER", "targeting_type": "AGE_BUCKET",
           "TARGETING_VALUE": "male", "IMPRESSION_1": 3}  # fmt: skip

    record = build(row, shape=targeting("CAMPAIGN"))

    assert record["targeting_type"] == "GENDER"


def test_a_row_without_either_spelling_names_both():
    with pytest.raises(MissingKeyError) as error:
        build({"CAMPAIGN_ID": "1", "TARGETING_TYPE": "GENDER"}, shape=targeting("CAMPAIGN"))

    assert str(error.value) == (
        "report row has no TARGETING_VALUE or targeting_value (needed for the key field "
        "targeting_value)"
    )
