"""Field conversions of the entity streams (data only, no logic).

Derived from Pinterest's OpenAPI description (v5) of ``AdAccount``, ``CampaignResponse``,
``AdGroupResponse`` and ``AdResponse``, and kept in step with ``schemas/<stream>.json`` by
``tests/test_entity_schemas.py`` (and, for ``Keyword``, ``Audience``, ``CustomerList``,
``ConversionTag`` and ``Pin``, by ``tests/test_lookup_schemas.py``; their timestamps may be
JSON numbers, and ``ConversionTag.last_fired_time_ms`` is milliseconds, see streams/lookups.py):

* ``EPOCH_FIELDS``: top-level integer Unix-second fields, emitted as ISO 8601 UTC
  date-time strings (``2024-01-02T03:04:05+00:00``) under the same name. No nested
  object of these responses carries a timestamp.
* ``MICRO_AMOUNT_FIELDS``: top-level micro-currency integers. The integer is emitted
  unchanged and a sibling amount field carries ``value / 1,000,000`` in the ad
  account's currency (``ad_accounts.currency``). Nested micro values
  (``optimization_goal_metadata.*.cpa_goal_value_in_micro_currency`` and
  ``scrollup_goal_value_in_micro_currency``, digit strings) are left as sent.

Treat these mappings as read-only.
"""

from __future__ import annotations

EPOCH_FIELDS: dict[str, tuple[str, ...]] = {
    "ad_accounts": ("created_time", "updated_time"),
    "campaigns": ("created_time", "updated_time", "start_time", "end_time"),
    "ad_groups": ("created_time", "updated_time", "start_time", "end_time"),
    "pin_promotions": ("created_time", "updated_time"),
    "keywords": (),
    "audiences": ("created_timestamp", "updated_timestamp"),
    "customer_lists": ("created_time", "updated_time"),
    "conversion_tags": (),
    "pins": (),
}

MICRO_AMOUNT_FIELDS: dict[str, dict[str, str]] = {
    "ad_accounts": {},
    "campaigns": {
        "daily_spend_cap": "daily_spend_cap_amount",
        "lifetime_spend_cap": "lifetime_spend_cap_amount",
    },
    "ad_groups": {
        "budget_in_micro_currency": "budget_amount",
        "bid_in_micro_currency": "bid_amount",
    },
    "pin_promotions": {},
    "keywords": {"bid": "bid_amount"},
    "audiences": {},
    "customer_lists": {},
    "conversion_tags": {},
    "pins": {},
}

#: Stream name -> OpenAPI component (``components.schemas``) its records come from.
OPENAPI_COMPONENTS: dict[str, str] = {
    "ad_accounts": "AdAccount",
    "campaigns": "CampaignResponse",
    "ad_groups": "AdGroupResponse",
    "pin_promotions": "AdResponse",
    "keywords": "Keyword",
    "audiences": "Audience",
    "customer_lists": "CustomerList",
    "conversion_tags": "ConversionTag",
    "pins": "Pin",
}
