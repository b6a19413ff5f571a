"""The tap's streams, in catalogue order."""

from tap_pinterest_ads.streams.accounts import AdAccountsStream
from tap_pinterest_ads.streams.entities import (
    AdGroupsStream,
    CampaignsStream,
    PinPromotionsStream,
)

ENTITY_STREAMS = (AdAccountsStream, CampaignsStream, AdGroupsStream, PinPromotionsStream)

__all__ = [
    "ENTITY_STREAMS",
    "AdAccountsStream",
    "AdGroupsStream",
    "CampaignsStream",
    "PinPromotionsStream",
]
