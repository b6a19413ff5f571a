"""What the card command's tables should hold: row counts per stream, from the simulator's
dataset (tests/e2e/test_card_command.py)."""

from __future__ import annotations

import datetime as dt

from pinterest_simulator import Dataset
from pinterest_simulator import lookups as sim_lookups
from tap_pinterest_ads.streams.ad_formats import AD_FORMATS
from tap_pinterest_ads.streams.creative_type import CampaignCreativeTypeDeliveryStream
from tap_pinterest_ads.streams.delivery import REPORT_STREAMS
from tap_pinterest_ads.streams.lookups import TARGETING_OPTION_TYPES

EVERY_STREAM = 22
HOUR_HISTORY_DAYS = 8  # Pinterest keeps 8 days of hourly data
# Report key field -> the raw report column it comes from (ad_account_id: the account).
KEY_COLUMNS = {
    "date": "DATE",
    "date_hour": "DATE",
    "campaign_id": "CAMPAIGN_ID",
    "ad_group_id": "AD_GROUP_ID",
    "pin_promotion_id": "PIN_PROMOTION_ID",
    "targeting_type": "TARGETING_TYPE",
    "targeting_value": "TARGETING_VALUE",
}


def report_row_count(stream_class, dataset: Dataset, start: dt.date) -> int:
    """Distinct keys of the rows the simulator's reports hold for this report stream."""
    shape = stream_class.shape
    if shape.granularity == "HOUR":
        start = max(start, dataset.today - dt.timedelta(days=HOUR_HISTORY_DAYS))
    keys = set()
    for account in dataset.account_ids:
        for batch in shape.targeting_batches:
            for row in dataset.delivery_rows(
                account,
                start,
                dataset.today,
                list(shape.requested_columns()),
                level=shape.level,
                granularity=shape.granularity,
                targeting_types=batch,
            ):
                keys.add(
                    tuple(
                        account if field == "ad_account_id" else str(row[KEY_COLUMNS[field]])
                        for field in shape.key
                    )
                )
    return len(keys)


def creative_type_row_count(dataset: Dataset, start: dt.date) -> int:
    """Distinct (day, account, campaign, creative type) with delivery: the simulator's ads'
    rows, by the creative type of the ad."""
    columns = ["PIN_PROMOTION_ID", *CampaignCreativeTypeDeliveryStream.shape.requested_columns()]
    keys = set()
    for account in dataset.account_ids:
        ads = {ad["id"]: ad for ad in dataset.entities("ad", account, statuses=None)}
        for row in dataset.delivery_rows(account, start, dataset.today, columns):
            ad = ads[row["PIN_PROMOTION_ID"]]
            keys.add((row["DATE"], account, ad["campaign_id"], ad["creative_type"]))
    return len(keys)


def expected_rows(dataset: Dataset, start: dt.date) -> dict[str, int]:
    """Rows per stream: what the simulator serves now (entities removed by earlier tests
    are gone from it, as from a fresh warehouse)."""
    accounts = dataset.account_ids

    def entities(kind: str, account: str) -> list[dict]:
        return dataset.entities(kind, account, statuses=None)

    ads = [ad for a in accounts for ad in entities("ad", a)]
    counts = {
        "ad_accounts": len(dataset.ad_accounts()),
        "campaigns": sum(len(entities("campaign", a)) for a in accounts),
        "ad_groups": sum(len(entities("ad_group", a)) for a in accounts),
        "pin_promotions": len(ads),
        "audiences": sum(len(sim_lookups.audiences(dataset, a)) for a in accounts),
        "customer_lists": sum(len(sim_lookups.customer_lists(dataset, a)) for a in accounts),
        "conversion_tags": sum(len(sim_lookups.conversion_tags(dataset, a)) for a in accounts),
        "keywords": sum(
            len(sim_lookups.keywords(dataset, group["id"]))
            for a in accounts
            for group in entities("ad_group", a)
        ),
        "pins": len({ad["pin_id"] for ad in ads if not ad.get("is_pin_deleted")}),
        "targeting_options": sum(
            len(item)
            for kind in TARGETING_OPTION_TYPES
            for item in sim_lookups.TARGETING_OPTIONS[kind]
        ),
        "delivery_metrics": len(sim_lookups.delivery_metrics()["items"]),
        "ad_formats": len(AD_FORMATS),  # static in the tap: no request
        # One row per day the report windows cover (a first run: start_date to today).
        "metrics_ready_state": (dataset.today - start).days + 1,
    }
    for stream_class in REPORT_STREAMS:
        counts[stream_class.name] = report_row_count(stream_class, dataset, start)
    counts[CampaignCreativeTypeDeliveryStream.name] = creative_type_row_count(dataset, start)
    assert len(counts) == EVERY_STREAM
    assert all(counts.values()), counts  # every table has something to compare
    return counts
