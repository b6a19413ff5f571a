"""Every report stream: delivery metrics from asynchronous reports, one class each.

A report stream declares its name and `ReportShape` (level, granularity, breakdowns, columns
and key); `ReportStream` derives its schema, key, requests and records from the shape. Adding
one is a class here, in `REPORT_STREAMS`, and its test.
"""

from __future__ import annotations

from tap_pinterest_ads.reports.row_dates import HourlyRecordBuilder
from tap_pinterest_ads.reports.shapes import CONVERSIONS, DELIVERY, HOURLY, delivery, targeting
from tap_pinterest_ads.streams.report_base import ReportStream


class PinPromotionDeliveryStream(ReportStream):
    """Daily PIN_PROMOTION metrics — the connector spec's `pinterest_data_delivery`."""

    name = "pin_promotion_delivery"
    shape = DELIVERY


class OptionalReportStream(ReportStream):
    """A report stream a catalog must select: each costs extra reports per account and window."""

    selected_by_default = False


class AdAccountDeliveryStream(OptionalReportStream):
    """Daily ADVERTISER (ad account) metrics."""

    name = "ad_account_delivery"
    shape = delivery("ADVERTISER")


class CampaignDeliveryStream(OptionalReportStream):
    """Daily CAMPAIGN metrics."""

    name = "campaign_delivery"
    shape = delivery("CAMPAIGN")


class AdGroupDeliveryStream(OptionalReportStream):
    """Daily AD_GROUP metrics."""

    name = "ad_group_delivery"
    shape = delivery("AD_GROUP")


class PinPromotionTargetingDeliveryStream(OptionalReportStream):
    """Daily PIN_PROMOTION metrics per targeting type and value (age, gender, country, …)."""

    name = "pin_promotion_targeting_delivery"
    shape = targeting("PIN_PROMOTION")


class CampaignTargetingDeliveryStream(OptionalReportStream):
    """Daily CAMPAIGN metrics per targeting type and value."""

    name = "campaign_targeting_delivery"
    shape = targeting("CAMPAIGN")


class PinPromotionDeliveryHourlyStream(OptionalReportStream):
    """Hourly PIN_PROMOTION metrics of the last 7 days; HOUR reports carry no conversions."""

    name = "pin_promotion_delivery_hourly"
    shape = HOURLY
    record_builder = HourlyRecordBuilder


class PinPromotionConversionsStream(OptionalReportStream):
    """Daily PIN_PROMOTION conversions and their value per event and attribution."""

    name = "pin_promotion_conversions"
    shape = CONVERSIONS


# In catalogue order.
REPORT_STREAMS: tuple[type[ReportStream], ...] = (
    PinPromotionDeliveryStream,
    AdAccountDeliveryStream,
    CampaignDeliveryStream,
    AdGroupDeliveryStream,
    PinPromotionTargetingDeliveryStream,
    CampaignTargetingDeliveryStream,
    PinPromotionDeliveryHourlyStream,
    PinPromotionConversionsStream,
)
