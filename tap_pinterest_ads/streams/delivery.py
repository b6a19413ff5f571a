"""Delivery metrics from asynchronous reports."""

from __future__ import annotations

from tap_pinterest_ads.reports.columns import KEY_FIELDS
from tap_pinterest_ads.streams.reports import ReportStream


class PinPromotionDeliveryStream(ReportStream):
    """Daily PIN_PROMOTION metrics — the connector spec's `pinterest_data_delivery`."""

    name = "pin_promotion_delivery"
    level = "PIN_PROMOTION"
    primary_keys = KEY_FIELDS
