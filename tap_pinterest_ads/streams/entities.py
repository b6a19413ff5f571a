"""Campaigns, ad groups and pin promotions (ads) of each ad account: full table."""

from __future__ import annotations

import typing as t

from tap_pinterest_ads.streams.accounts import AdAccountsStream
from tap_pinterest_ads.streams.api_object import ApiObjectStream
from tap_pinterest_ads.typing_compat import override

if t.TYPE_CHECKING:
    from singer_sdk.helpers.types import Context, Record

# The API's default is [ACTIVE, PAUSED]: archived and draft entities would silently vanish
# and spend would no longer reconcile with account totals.
ENTITY_STATUSES = ("ACTIVE", "PAUSED", "ARCHIVED", "DRAFT", "DELETED_DRAFT")


class AccountEntityStream(ApiObjectStream):
    """An entity list under `/ad_accounts/{ad_account_id}/…`, every status, keyed by id."""

    parent_stream_type = AdAccountsStream
    primary_keys = ("id",)
    # Full table: a bookmark per account would only clutter the state.
    state_partitioning_keys: t.ClassVar[list[str]] = []

    @override
    def get_records(self, context: Context | None) -> t.Iterable[Record]:
        """The account's entities; with `on_account_error: skip`, none when it fails.

        Rows already sent stay (they are current), and the stream sends no ACTIVATE_VERSION
        this run: the skipped account's entities did not disappear.
        """
        try:
            yield from super().get_records(context)
        except Exception as exc:
            account = (context or {}).get("ad_account_id")
            if not account or not self.tap.isolation.skip(account, self.name, exc):
                raise
            self.listing_incomplete(account)

    @override
    def get_url_params(self, context: Context | None, next_page_token: t.Any) -> dict[str, t.Any]:
        """Every entity status, repeated as the spec's form style asks."""
        params = super().get_url_params(context, next_page_token)
        params["entity_statuses"] = list(ENTITY_STATUSES)
        return params

    @override
    def post_process(self, row: Record, context: Context | None = None) -> Record:
        """Epoch → ISO, micro-units → amounts, and the account id on every row."""
        if context and not row.get("ad_account_id"):
            row["ad_account_id"] = context["ad_account_id"]
        return super().post_process(row, context)


class CampaignsStream(AccountEntityStream):
    """`GET /ad_accounts/{id}/campaigns` — the connector spec's `pinterest_meta_campaign`."""

    name = "campaigns"
    path = "/ad_accounts/{ad_account_id}/campaigns"
    openapi_component = "CampaignResponse"
    epoch_fields = ("created_time", "updated_time", "start_time", "end_time")
    micro_amount_fields: t.ClassVar[t.Mapping[str, str]] = {
        "daily_spend_cap": "daily_spend_cap_amount",
        "lifetime_spend_cap": "lifetime_spend_cap_amount",
    }


class AdGroupsStream(AccountEntityStream):
    """`GET /ad_accounts/{id}/ad_groups` — the connector spec's `pinterest_meta_adgroup`."""

    name = "ad_groups"
    path = "/ad_accounts/{ad_account_id}/ad_groups"
    openapi_component = "AdGroupResponse"
    epoch_fields = ("created_time", "updated_time", "start_time", "end_time")
    micro_amount_fields: t.ClassVar[t.Mapping[str, str]] = {
        "budget_in_micro_currency": "budget_amount",
        "bid_in_micro_currency": "bid_amount",
    }


class PinPromotionsStream(AccountEntityStream):
    """`GET /ad_accounts/{id}/ads` — pin promotions, the spec's `pinterest_meta_pinpromotion`."""

    name = "pin_promotions"
    path = "/ad_accounts/{ad_account_id}/ads"
    openapi_component = "AdResponse"
    epoch_fields = ("created_time", "updated_time")
