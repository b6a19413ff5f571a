"""The tap's streams, in catalogue order: `STREAM_TYPES`."""

from __future__ import annotations

from tap_pinterest_ads.client import PinterestStream
from tap_pinterest_ads.streams.accounts import AdAccountsStream
from tap_pinterest_ads.streams.creative_type import CampaignCreativeTypeDeliveryStream
from tap_pinterest_ads.streams.delivery import REPORT_STREAMS
from tap_pinterest_ads.streams.entities import (
    AdGroupsStream,
    CampaignsStream,
    PinPromotionsStream,
)
from tap_pinterest_ads.streams.finality import MetricsReadyStateStream
from tap_pinterest_ads.streams.lookups import LOOKUP_STREAMS

STREAM_TYPES: tuple[type[PinterestStream], ...] = (
    AdAccountsStream,
    CampaignsStream,
    AdGroupsStream,
    PinPromotionsStream,
    *REPORT_STREAMS,
    CampaignCreativeTypeDeliveryStream,
    # After the report streams: it emits the days they asked about.
    MetricsReadyStateStream,
    *LOOKUP_STREAMS,
)
