"""Conversion metrics by event and attribution: one line per event, the columns follow.

Pinterest names them `TOTAL_[CLICK_|VIEW_|ENGAGEMENT_]<EVENT>[_VALUE_IN_MICRO_DOLLAR]`: no
attribution prefix = every attribution. Only combinations that exist in the official column
list are kept (e.g. there is no TOTAL_PAGE_VISIT_VALUE_IN_MICRO_DOLLAR and no TOTAL_UNKNOWN).
"""

from __future__ import annotations

from collections.abc import Iterator

from tap_pinterest_ads.reports.async_columns import ASYNC_REPORT_COLUMNS
from tap_pinterest_ads.reports.columns import MODELED, MONEY, Metric

# API event name -> output field stem.
EVENTS: tuple[tuple[str, str], ...] = (
    ("PAGE_VISIT", "page_visit"),
    ("SIGNUP", "signup"),
    ("CHECKOUT", "checkout"),
    ("CUSTOM", "custom"),
    ("ADD_TO_CART", "add_to_cart"),
    ("LEAD", "lead"),
    ("SEARCH", "search"),
    ("WATCH_VIDEO", "watch_video"),
    ("VIEW_CATEGORY", "view_category"),
    ("APP_INSTALL", "app_install"),
    ("UNKNOWN", "unknown"),
    ("ADD_TO_WISHLIST", "add_to_wishlist"),
    ("SUBSCRIBE", "subscribe"),
)

# API attribution infix -> output field prefix ("" = all attributions together).
ATTRIBUTIONS: tuple[tuple[str, str], ...] = (
    ("", ""),
    ("CLICK_", "click_"),
    ("VIEW_", "view_"),
    ("ENGAGEMENT_", "engagement_"),
)


def _event_metrics() -> Iterator[Metric]:
    for api_event, event in EVENTS:
        for api_attribution, attribution in ATTRIBUTIONS:
            count = f"TOTAL_{api_attribution}{api_event}"
            value = f"{count}_VALUE_IN_MICRO_DOLLAR"
            if count in ASYNC_REPORT_COLUMNS:
                yield Metric(count, f"{attribution}{event}_conversions", MODELED)
            if value in ASYNC_REPORT_COLUMNS:
                yield Metric(value, f"{attribution}{event}_value", MONEY)


CONVERSION_METRICS: tuple[Metric, ...] = (
    Metric("TOTAL_CONVERSIONS", "conversions", MODELED),
    Metric("TOTAL_CONVERSIONS_VALUE_IN_MICRO_DOLLAR", "conversion_value", MONEY),
    *_event_metrics(),
)

# Every conversion column, whatever the stream: HOUR reports return none of them.
CONVERSION_COLUMNS: frozenset[str] = frozenset(m.api for m in CONVERSION_METRICS)
