"""Column registry: valid API names, the public field contract, report_columns resolution."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

from tap_pinterest_ads.reports import async_columns
from tap_pinterest_ads.reports.async_columns import ASYNC_REPORT_COLUMNS
from tap_pinterest_ads.reports.columns import (
    DIMENSIONS,
    METRICS,
    NUMBER,
    RATIOS,
    STRING,
    SUMS,
    UnknownReportColumn,
    resolve_report_columns,
)
from tap_pinterest_ads.reports.shapes import DELIVERY

ROOT = Path(__file__).resolve().parents[2]
SPEC = ROOT / "vendor" / "pinterest-api-v5" / "openapi.yaml"

CONTRACT_FIELDS = {
    "date", "campaign_id", "ad_group_id", "pin_promotion_id", "pin_id", "spend",
    "paid_impressions", "earned_impressions", "total_impressions",
    "paid_clicks", "earned_clicks", "total_clicks",
    "paid_outbound_clicks", "earned_outbound_clicks", "total_outbound_clicks",
    "paid_engagements", "earned_engagements", "total_engagements",
    "paid_saves", "earned_saves", "total_saves",
    "video_views", "video_starts", "video_p25", "video_p50", "video_p75", "video_p95",
    "video_completes", "conversions", "conversion_value",
    "checkout_conversions", "checkout_value", "click_checkout_conversions",
    "click_checkout_value", "view_checkout_conversions", "view_checkout_value",
    "engagement_checkout_conversions", "engagement_checkout_value",
    "ctr", "cpc", "cpm", "cpv", "vtr", "vcr", "roas",
}  # fmt: skip


def test_generated_module_lists_all_613_async_columns_of_spec_5_23_0():
    assert async_columns.SPEC_VERSION == "5.23.0"
    assert len(ASYNC_REPORT_COLUMNS) == 613
    assert {"SPEND_IN_MICRO_DOLLAR", "PIN_PROMOTION_ID", "STANDARD_AD_FEED_ITEM_ID"} <= (
        ASYNC_REPORT_COLUMNS
    )


def test_generated_module_is_up_to_date_with_the_spec():
    spec = importlib.util.spec_from_file_location("gen", ROOT / "scripts/generate_async_columns.py")
    generator = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(generator)
    version, names = generator._with_regex(SPEC.read_text(encoding="utf-8"))

    expected = generator.render(version, names)
    assert Path(async_columns.__file__).read_text(encoding="utf-8") == expected


def test_every_registry_api_column_is_a_valid_async_column():
    # DATE is added to rows by the API for time granularities; it cannot be requested.
    names = [c.api for c in (*DIMENSIONS, *METRICS) if c.api != "DATE"]

    assert set(names) <= ASYNC_REPORT_COLUMNS
    assert set(DELIVERY.requested_columns()) == set(names)


def test_registry_output_fields_are_exactly_the_public_contract():
    fields = [c.field for c in (*DIMENSIONS, *METRICS)]
    fields += [s.field for s in SUMS] + [r.field for r in RATIOS]

    assert len(fields) == len(set(fields))
    assert set(fields) == CONTRACT_FIELDS


def test_totals_without_an_api_column_are_derived_from_paid_plus_earned():
    assert "TOTAL_OUTBOUND_CLICK" not in ASYNC_REPORT_COLUMNS
    assert "TOTAL_REPIN" not in ASYNC_REPORT_COLUMNS
    assert {s.field: s.parts for s in SUMS} == {
        "total_outbound_clicks": ("paid_outbound_clicks", "earned_outbound_clicks"),
        "total_saves": ("paid_saves", "earned_saves"),
    }


def test_money_columns_are_the_micro_dollar_metrics():
    money = {c.field for c in METRICS if c.kind.name == "MONEY"}

    assert money == {
        "spend", "conversion_value", "checkout_value", "click_checkout_value",
        "view_checkout_value", "engagement_checkout_value",
    }  # fmt: skip
    assert all(c.api.endswith("_IN_MICRO_DOLLAR") for c in METRICS if c.field in money)


def test_unknown_report_column_names_the_setting_the_value_and_close_matches():
    with pytest.raises(UnknownReportColumn) as error:
        resolve_report_columns(["TOTAL_CHECKOUT_QUANTITY", "SPEND_IN_MICRO_DOLAR"])

    message = str(error.value)
    assert "report_columns" in message
    assert "'SPEND_IN_MICRO_DOLAR'" in message
    assert "did you mean SPEND_IN_MICRO_DOLLAR" in message
    assert isinstance(error.value, ValueError)


def test_extra_columns_skip_the_registry_and_duplicates_and_accept_any_case():
    extras = resolve_report_columns(
        ["SPEND_IN_MICRO_DOLLAR", "ad_account_id", "campaign_name", "CAMPAIGN_NAME", "LEADS"]
    )

    assert [(c.api, c.field) for c in extras] == [
        ("CAMPAIGN_NAME", "campaign_name"),
        ("LEADS", "leads"),
    ]
    assert DELIVERY.requested_columns(extras)[-2:] == ("CAMPAIGN_NAME", "LEADS")


def test_extra_column_clashing_with_a_registry_field_is_prefixed():
    (ctr,) = resolve_report_columns(["CTR"])

    assert ctr.field == "pinterest_ctr"


@pytest.mark.parametrize(
    ("api", "kind"),
    [
        ("CPC_IN_MICRO_DOLLAR", NUMBER),
        ("ADS_CREDIT_SPEND_IN_MICRO_DOLLAR", NUMBER),
        ("CAMPAIGN_NAME", STRING),
        ("AD_STATUS", STRING),
        ("CAMPAIGN_OBJECTIVE_TYPE", STRING),
        ("PRODUCT_ITEM_IMAGE_URL", STRING),
        ("PRODUCT_ITEM_PRODUCT_CATEGORY", STRING),
        ("TOTAL_VIEW_CATEGORY", NUMBER),
        ("SPEND_IN_DOLLAR", NUMBER),
        ("TOTAL_CHECKOUT_QUANTITY", NUMBER),
        ("CTR", NUMBER),
    ],
)
def test_extra_columns_are_typed_by_their_name(api, kind):
    (column,) = resolve_report_columns([api])

    assert column.kind is kind


@pytest.mark.parametrize(
    ("api", "amount"),
    [
        ("CPC_IN_MICRO_DOLLAR", "cpc_amount"),
        ("ECPM_IN_MICRO_DOLLAR", "ecpm_amount"),
        ("CPCV_P95_IN_MICRO_DOLLAR", "cpcv_p95_amount"),
        ("TOTAL_WEB_CHECKOUT_VALUE_IN_MICRO_DOLLAR", "total_web_checkout_value_amount"),
        ("ECPC_IN_DOLLAR", None),
        ("TOTAL_WEB_SESSIONS", None),
    ],
)
def test_a_micro_currency_extra_column_gains_an_amount_field(api, amount):
    (column,) = resolve_report_columns([api])

    assert column.field == api.lower()
    assert column.amount_field == amount
