"""Delivery metrics from asynchronous reports."""

from __future__ import annotations

from tap_pinterest_ads.reports.shapes import DELIVERY
from tap_pinterest_ads.streams.report_base import ReportStream


class PinPromotionDeliveryStream(ReportStream):
    """Daily PIN_PROMOTION metrics — the connector spec's `pinterest_data_delivery`."""

    name = "pin_promotion_delivery"
    shape = DELIVERY
    primary_keys = DELIVERY.key
