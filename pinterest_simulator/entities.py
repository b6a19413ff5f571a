"""Builders for deterministic entity payloads (AdAccount, CampaignResponse, AdGroupResponse,
AdResponse).  Every value is derived from ``(seed, kind, index)`` with hashlib."""

from __future__ import annotations

from datetime import date

from .common import ENTITY_STATUSES, epoch, hnum, pick

CURRENCIES = ("USD", "GBP", "EUR")
COUNTRIES = {"USD": "US", "GBP": "GB", "EUR": "DE"}
OBJECTIVES = ("AWARENESS", "CONSIDERATION", "WEB_CONVERSION", "CATALOG_SALES", "VIDEO_COMPLETION")
CAMPAIGN_SUMMARY = {
    "ACTIVE": "RUNNING",
    "PAUSED": "PAUSED",
    "ARCHIVED": "ARCHIVED",
    "DRAFT": "DRAFT",
    "DELETED_DRAFT": "DELETED_DRAFT",
}
AD_SUMMARY = {**CAMPAIGN_SUMMARY, "ACTIVE": "APPROVED"}
DAY = 86_400
SEASONS = ("Spring", "Summer", "Autumn", "Winter")

# Id bases: entity id = base + index * 1000 + (hash % 1000) -> unique, increasing with index.
ACCOUNT_BASE = 549_755_000_000
CAMPAIGN_BASE = 626_735_000_000
AD_GROUP_BASE = 2_680_060_000_000
AD_BASE = 687_195_000_000
PIN_BASE = 838_000_000_000_000_000
OWNER_BASE = 1_100_000_000_000_000_000


def make_id(base: int, index: int, seed: int, kind: str) -> str:
    return str(base + index * 1000 + hnum(seed, kind, index) % 1000)


def status_for(index: int) -> str:
    return ENTITY_STATUSES[index % len(ENTITY_STATUSES)]


def _times(seed: int, kind: str, index: int, first_day: date, today: date) -> tuple[int, int]:
    """created_time before the first data day; updated_time spread up to ``today``."""
    start = epoch(first_day)
    created = start - DAY * (1 + hnum(seed, kind, index, "c") % 60) + hnum(seed, kind, index) % DAY
    span = max(epoch(today) - created, 1)
    updated = created + hnum(seed, kind, index, "u") % span
    return created, updated


def build_account(seed: int, index: int, first_day: date, today: date) -> dict:
    currency = CURRENCIES[index % len(CURRENCIES)]
    created, updated = _times(seed, "account", index, first_day, today)
    created -= 400 * DAY
    return {
        "id": make_id(ACCOUNT_BASE, index, seed, "account"),
        "name": f"Simulated Account {index + 1} ({currency})",
        "owner": {
            "id": str(OWNER_BASE + hnum(seed, "owner", index) % 10**15),
            "username": f"sim_owner_{index + 1}",
        },
        "country": COUNTRIES[currency],
        "currency": currency,
        "permissions": ["OWNER"] if index % 2 == 0 else ["ADMIN", "ANALYST"],
        "created_time": created,
        "updated_time": updated,
    }


def build_campaign(seed: int, index: int, account: dict, first_day: date, today: date) -> dict:
    status = status_for(index)
    created, updated = _times(seed, "campaign", index, first_day, today)
    capped = index % 3 != 2
    return {
        "id": make_id(CAMPAIGN_BASE, index, seed, "campaign"),
        "ad_account_id": account["id"],
        "name": f"Campaign {index + 1} - {pick(SEASONS, seed, index)}",
        "status": status,
        "lifetime_spend_cap": 1_000_000_000 + hnum(seed, "lsc", index) % 9_000 * 1_000_000
        if index % 4 == 1
        else None,
        "daily_spend_cap": 25_000_000 + (index % 5) * 5_000_000 if capped else None,
        "order_line_id": None,
        "tracking_urls": {"impression": [f"https://track.example.com/i/{index}"], "click": []}
        if index % 5 == 0
        else None,
        "start_time": created + DAY,
        "end_time": epoch(today) + 90 * DAY if index % 2 == 0 else None,
        "is_flexible_daily_budgets": index % 2 == 1,
        "is_automated_campaign": False,
        "is_campaign_budget_optimization": index % 3 == 0,
        "is_performance_plus": False,
        "objective_type": OBJECTIVES[index % len(OBJECTIVES)],
        "summary_status": CAMPAIGN_SUMMARY[status],
        "bid_options": None,
        "created_time": created,
        "updated_time": updated,
        "type": "campaign",
    }


def build_ad_group(seed: int, index: int, campaign: dict, first_day: date, today: date) -> dict:
    status = status_for(index + 1)
    created, updated = _times(seed, "ad_group", index, first_day, today)
    lifetime = index % 4 == 3
    goal = None
    if campaign["objective_type"] == "WEB_CONVERSION":
        goal = {
            "conversion_tag_v3_goal_metadata": {
                "attribution_windows": {
                    "click_window_days": 30,
                    "engagement_window_days": 30,
                    "view_window_days": 1,
                },
                "conversion_event": "CHECKOUT",
                "conversion_tag_id": str(2_612_345_000_000 + index),
                "cpa_goal_value_in_micro_currency": str(5_000_000 + index * 250_000),
                "is_roas_optimized": False,
                "learning_mode_type": "ACTIVE",
            }
        }
    return {
        "id": make_id(AD_GROUP_BASE, index, seed, "ad_group"),
        "ad_account_id": campaign["ad_account_id"],
        "campaign_id": campaign["id"],
        "name": f"Ad group {index + 1}",
        "status": status,
        "budget_in_micro_currency": None
        if index % 6 == 5
        else (500_000_000 if lifetime else 10_000_000) + hnum(seed, "b", index) % 100 * 100_000,
        "bid_in_micro_currency": 1_500_000 + hnum(seed, "bid", index) % 2_000_000
        if index % 2 == 0
        else None,
        "optimization_goal_metadata": goal,
        "budget_type": "LIFETIME" if lifetime else "DAILY",
        "start_time": created + DAY,
        "end_time": campaign["end_time"],
        "targeting_spec": {
            "AGE_BUCKET": ["25-34", "35-44"],
            "APPTYPE": ["iphone", "android_mobile", "web"],
            "GENDER": ["female", "male", "unknown"],
            "LOCALE": ["en-US"],
            "LOCATION": ["US"] if index % 2 == 0 else ["GB"],
            "INTEREST": [str(900_000_000_000 + index % 7)],
        },
        "lifetime_frequency_cap": 0 if index % 3 else 10,
        "tracking_urls": None,
        "auto_targeting_enabled": index % 2 == 0,
        "placement_group": "ALL",
        "pacing_delivery_type": "STANDARD",
        "conversion_learning_mode_type": "ACTIVE" if goal else None,
        "summary_status": CAMPAIGN_SUMMARY[status],
        "feed_profile_id": "0",
        "billable_event": "CLICKTHROUGH" if index % 3 == 0 else "IMPRESSION",
        "bid_strategy_type": "MAX_BID" if index % 2 == 0 else "AUTOMATIC_BID",
        "targeting_template_ids": None,
        "is_creative_optimization": None,
        "bid_multiplier": None,
        "promotion_id": None,
        "promotion_application_level": None,
        "dca_assets": None,
        "created_time": created,
        "updated_time": updated,
        "type": "adgroup",
    }


def build_ad(seed: int, index: int, ad_group: dict, first_day: date, today: date) -> dict:
    status = status_for(index + 2)
    created, updated = _times(seed, "ad", index, first_day, today)
    rejected = index % 11 == 7
    summary = "REJECTED" if rejected and status == "ACTIVE" else AD_SUMMARY[status]
    return {
        "id": make_id(AD_BASE, index, seed, "ad"),
        "ad_account_id": ad_group["ad_account_id"],
        "campaign_id": ad_group["campaign_id"],
        "ad_group_id": ad_group["id"],
        "pin_id": str(PIN_BASE + index * 1000 + hnum(seed, "pin", index) % 1000),
        "name": f"Ad {index + 1}" if index % 7 else None,
        "status": status,
        "creative_type": creative_type(index),
        "destination_url": f"https://shop.example.com/products/{index + 1}?utm_source=pinterest",
        "android_deep_link": None,
        "ios_deep_link": None,
        "carousel_android_deep_links": None,
        "carousel_destination_urls": None,
        "carousel_ios_deep_links": None,
        "click_tracking_url": None,
        "view_tracking_url": None,
        "collection_items_destination_url_template": None,
        "customizable_cta_type": "SHOP_NOW" if index % 3 == 0 else None,
        "disclosure_type": None,
        "disclosure_url": None,
        "grid_click_type": "DIRECT_TO_DESTINATION" if index % 2 else "CLOSEUP",
        "is_pin_deleted": False,
        "is_removable": status in ("DRAFT", "DELETED_DRAFT"),
        "lead_form_id": None,
        "quiz_pin_data": None,
        "tracking_urls": None,
        "review_status": "REJECTED" if rejected else "APPROVED",
        "rejected_reasons": ["LANDING_PAGE_BROKEN"] if rejected else [],
        "rejection_labels": ["Broken landing page"] if rejected else [],
        "summary_status": summary,
        "created_time": created,
        "updated_time": updated,
        "type": "ad",
    }


def is_video_ad(index: int) -> bool:
    return index % 2 == 1


def creative_type(index: int) -> str:
    """VIDEO for video ads; a third of the others are CAROUSEL, the rest REGULAR."""
    if is_video_ad(index):
        return "VIDEO"
    return "CAROUSEL" if index % 6 == 4 else "REGULAR"
