"""Report streams beside `pin_promotion_delivery`: other levels, targeting breakdowns, hours
and conversions by event. Each declares its name and shape; `ReportStream` does the rest."""

from __future__ import annotations

import typing as t
from functools import cached_property

from tap_pinterest_ads.reports import row_dates
from tap_pinterest_ads.reports.records import RecordBuilder
from tap_pinterest_ads.reports.schema import build_schema
from tap_pinterest_ads.reports.shapes import CONVERSIONS, HOURLY, delivery, targeting
from tap_pinterest_ads.streams.report_base import ReportStream

if t.TYPE_CHECKING:
    from singer_sdk import Tap


class OptionalReportStream(ReportStream):
    """A report stream a catalog must select: each costs extra reports per account and window."""

    selected_by_default = False


class AdAccountDeliveryStream(OptionalReportStream):
    """Daily ADVERTISER (ad account) metrics."""

    name = "ad_account_delivery"
    shape = delivery("ADVERTISER")
    primary_keys = shape.key


class CampaignDeliveryStream(OptionalReportStream):
    """Daily CAMPAIGN metrics."""

    name = "campaign_delivery"
    shape = delivery("CAMPAIGN")
    primary_keys = shape.key


class AdGroupDeliveryStream(OptionalReportStream):
    """Daily AD_GROUP metrics."""

    name = "ad_group_delivery"
    shape = delivery("AD_GROUP")
    primary_keys = shape.key


class PinPromotionTargetingDeliveryStream(OptionalReportStream):
    """Daily PIN_PROMOTION metrics per targeting type and value (age, gender, country, …)."""

    name = "pin_promotion_targeting_delivery"
    shape = targeting("PIN_PROMOTION")
    primary_keys = shape.key


class CampaignTargetingDeliveryStream(OptionalReportStream):
    """Daily CAMPAIGN metrics per targeting type and value."""

    name = "campaign_targeting_delivery"
    shape = targeting("CAMPAIGN")
    primary_keys = shape.key


class PinPromotionConversionsStream(OptionalReportStream):
    """Daily PIN_PROMOTION conversions and their value per event and attribution."""

    name = "pin_promotion_conversions"
    shape = CONVERSIONS
    primary_keys = shape.key


def utc_hour(value: t.Any, hour: t.Any = None) -> str:
    """An hourly report's DATE (and HOUR column, if any) as an ISO 8601 UTC date-time."""
    return row_dates.utc_hour(value, hour).isoformat()


class HourlyRecordBuilder(RecordBuilder):
    """`date_hour` as an ISO date-time and `date` as its UTC day, both from DATE.

    DATE is usually a date-time; a bare date is read with a separate hour column if the row
    has one (`HOUR`, or `hour`), and fails its window otherwise: the hours of a day would
    share one key.
    """

    def build(
        self, raw_row: dict[str, t.Any], ad_account_id: str, currency: str | None
    ) -> dict[str, t.Any]:
        """The delivery record of one hour."""
        record = super().build(raw_row, ad_account_id, currency)
        hour = next((raw_row[c] for c in row_dates.HOUR_COLUMNS if c in raw_row), None)
        moment = utc_hour(raw_row["DATE"], hour)
        record["date_hour"] = moment
        record["date"] = moment[:10]
        return record


class PinPromotionDeliveryHourlyStream(OptionalReportStream):
    """Hourly PIN_PROMOTION metrics of the last 7 days; HOUR reports carry no conversions."""

    name = "pin_promotion_delivery_hourly"
    shape = HOURLY
    primary_keys = shape.key

    @cached_property
    def builder(self) -> RecordBuilder:
        """Turns raw hourly rows into typed records."""
        return HourlyRecordBuilder(attribution=self.settings.attribution, shape=self.shape)


REPORT_STREAMS: tuple[type[ReportStream], ...] = (
    AdAccountDeliveryStream,
    CampaignDeliveryStream,
    AdGroupDeliveryStream,
    PinPromotionTargetingDeliveryStream,
    CampaignTargetingDeliveryStream,
    PinPromotionDeliveryHourlyStream,
    PinPromotionConversionsStream,
)


def report_streams(tap: Tap) -> list[ReportStream]:
    """One instance of each report stream above, with its schema."""
    return [cls(tap=tap, schema=build_schema(shape=cls.shape)) for cls in REPORT_STREAMS]
