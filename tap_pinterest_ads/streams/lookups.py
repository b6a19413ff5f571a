"""Entities beside the ad hierarchy and lookups: keywords, audiences, customer lists,
conversion tags, promoted pins' creatives, targeting options, metric and ad format definitions.
All full table."""

from __future__ import annotations

import typing as t
from urllib.parse import urlsplit

from tap_pinterest_ads.client import PinterestStream
from tap_pinterest_ads.listing import MalformedAnswerError, endpoint, json_body
from tap_pinterest_ads.reports.records import to_text
from tap_pinterest_ads.streams.ad_formats import AD_FORMATS
from tap_pinterest_ads.streams.api_object import ApiObjectStream
from tap_pinterest_ads.streams.entities import (
    AccountEntityStream,
    AdGroupsStream,
    PinPromotionsStream,
)
from tap_pinterest_ads.streams.transform import converted, epoch_to_iso
from tap_pinterest_ads.typing_compat import override
from tap_pinterest_ads.warehouse_names import rename_record

if t.TYPE_CHECKING:
    import requests
    from singer_sdk.helpers.types import Context, Record

# Option dictionaries of `GET /resources/targeting/{targeting_type}` the tap reads; KEYWORD
# and the AUDIENCE_* types are per advertiser and searched, not listed.
TARGETING_OPTION_TYPES = (
    "APPTYPE",
    "GENDER",
    "LOCALE",
    "AGE_BUCKET",
    "LOCATION",
    "GEO",
    "INTEREST",
)
# Largest first: the URL a BI tool should show for a pin.
_IMAGE_SIZES = ("1200x", "600x", "400x300", "150x150")


class AccountLookupStream(AccountEntityStream):
    """A list under one ad account that takes no `entity_statuses` filter."""

    @override
    def get_url_params(self, context: Context | None, next_page_token: t.Any) -> dict[str, t.Any]:
        """Page size and cursor only."""
        params = super().get_url_params(context, next_page_token)
        params.pop("entity_statuses", None)
        return params


class KeywordsStream(AccountLookupStream):
    """`GET /ad_accounts/{id}/keywords?ad_group_id=…` for every ad group of the account.

    Without a filter the endpoint returns only keywords whose parent is the ad account;
    Ads Manager keywords hang off ad groups, so the account's ad groups are listed first.
    """

    name = "keywords"
    path = "/ad_accounts/{ad_account_id}/keywords"
    openapi_component = "Keyword"
    micro_amount_fields: t.ClassVar[t.Mapping[str, str]] = {"bid": "bid_amount"}
    # One request per ad group: opt in through the catalog.
    selected_by_default = False

    @override
    def get_url_params(self, context: Context | None, next_page_token: t.Any) -> dict[str, t.Any]:
        """The ad group whose keywords are read."""
        params = super().get_url_params(context, next_page_token)
        if context and context.get("ad_group_id"):
            params["ad_group_id"] = context["ad_group_id"]
        return params

    @override
    def request_records(self, context: Context | None) -> t.Iterable[Record]:
        """Every page of keywords of every ad group, whatever its status."""
        assert context is not None
        ad_groups = self.tap.streams["ad_groups"]
        assert isinstance(ad_groups, AdGroupsStream)
        group_ids = [str(group["id"]) for group in ad_groups.request_records(context)]
        for ad_group_id in group_ids:
            yield from super().request_records({**context, "ad_group_id": ad_group_id})


class AudiencesStream(AccountLookupStream):
    """`GET /ad_accounts/{id}/audiences` — the audiences the account owns."""

    name = "audiences"
    path = "/ad_accounts/{ad_account_id}/audiences"
    openapi_component = "Audience"
    epoch_fields = ("created_timestamp", "updated_timestamp")


class CustomerListsStream(AccountLookupStream):
    """`GET /ad_accounts/{id}/customer_lists`."""

    name = "customer_lists"
    path = "/ad_accounts/{ad_account_id}/customer_lists"
    openapi_component = "CustomerList"
    epoch_fields = ("created_time", "updated_time")


class ConversionTagsStream(AccountLookupStream):
    """`GET /ad_accounts/{id}/conversion_tags` — one unpaginated `{items}` answer."""

    name = "conversion_tags"
    path = "/ad_accounts/{ad_account_id}/conversion_tags"
    # Its timestamp is milliseconds (`last_fired_time_ms`): see post_process.
    openapi_component = "ConversionTag"

    @override
    def get_url_params(self, context: Context | None, next_page_token: t.Any) -> dict[str, t.Any]:
        """None: the endpoint neither pages nor filters by status."""
        return {}

    @override
    def post_process(self, row: Record, context: Context | None = None) -> Record:
        """Also `last_fired_time`: the milliseconds of `last_fired_time_ms` as a date-time."""
        millis = row.get("last_fired_time_ms")
        row["last_fired_time"] = converted(
            self.name, row, "last_fired_time_ms", epoch_millis_to_iso, millis
        )
        return super().post_process(row, context)


def epoch_millis_to_iso(millis: t.Any) -> str | None:
    """`last_fired_time_ms`: epoch milliseconds → an ISO date-time."""
    return None if millis is None else epoch_to_iso(int(millis) // 1000)


class PinNotFoundError(Exception):
    """`GET /pins/{id}` answered 404: the pin behind an ad is gone."""


class PinsStream(AccountLookupStream):
    """`GET /pins/{pin_id}?ad_account_id=…` once per distinct pin of the account's ads.

    A pin promoted by several accounts is read once per run (under the first account).
    Pins the API flags as deleted are not requested; a 404 is logged and skipped.
    """

    name = "pins"
    path = "/pins/{pin_id}"
    openapi_component = "Pin"
    # Needs the pins:read and boards:read scopes on top of ads:read: opt in.
    selected_by_default = False

    def __init__(self, *args: t.Any, **kwargs: t.Any) -> None:
        super().__init__(*args, **kwargs)
        self._read: set[str] = set()

    @override
    def request_records(self, context: Context | None) -> t.Iterable[Record]:
        """The creative of every pin the account's ads promote, each pin once."""
        assert context is not None
        ads = self.tap.streams["pin_promotions"]
        assert isinstance(ads, PinPromotionsStream)
        pin_ids = dict.fromkeys(
            str(ad["pin_id"])
            for ad in ads.request_records(context)
            if ad.get("pin_id") and not ad.get("is_pin_deleted")
        )
        for pin_id in pin_ids:
            if pin_id in self._read:
                continue
            self._read.add(pin_id)
            try:
                pin = self.request_json(
                    "GET", f"/pins/{pin_id}", params={"ad_account_id": context["ad_account_id"]}
                )
            except PinNotFoundError as exc:
                self.logger.warning(
                    "Pin %s of ad account %s: %s", pin_id, context["ad_account_id"], exc
                )
                continue
            if not isinstance(pin, dict) or not pin.get("id"):
                msg = f"GET {urlsplit(self.url_base).path}/pins/{pin_id} answered no pin with an id"
                raise MalformedAnswerError(msg)
            yield pin

    @override
    def validate_response(self, response: requests.Response) -> None:
        """A missing pin is not a failed run."""
        if response.status_code == 404:
            raise PinNotFoundError(self.response_error_message(response))
        super().validate_response(response)

    @override
    def post_process(self, row: Record, context: Context | None = None) -> Record:
        """The media's type and its largest image and video URLs as top-level fields."""
        media = row.get("media") or {}
        first = (media.get("items") or [{}])[0] or {}
        images = media.get("images") or first.get("images") or {}
        row["media_type"] = media.get("media_type")
        row["image_url"] = next(
            ((images.get(size) or {}).get("url") for size in _IMAGE_SIZES if images.get(size)),
            media.get("cover_image_url") or first.get("cover_image_url"),
        )
        row["video_url"] = media.get("video_url") or first.get("video_url")
        row["ad_account_id"] = context["ad_account_id"] if context else None
        return super().post_process(row, context)


class _GlobalLookupStream(ApiObjectStream):
    """A full-table resource outside the ad accounts, read once per run."""

    state_partitioning_keys: t.ClassVar[list[str]] = []

    @override
    def get_url_params(self, context: Context | None, next_page_token: t.Any) -> dict[str, t.Any]:
        """These endpoints do not page."""
        return {}


class TargetingOptionsStream(_GlobalLookupStream):
    """`GET /resources/targeting/{targeting_type}`: code → name per targeting type.

    The spec answers an array of `{code: name}` objects; each pair becomes a row.
    """

    name = "targeting_options"
    path = "/resources/targeting/{targeting_type}"
    primary_keys = ("targeting_type", "id")

    @override
    @property
    def partitions(self) -> list[Record]:
        """One request per targeting type."""
        return [{"targeting_type": name} for name in TARGETING_OPTION_TYPES]

    @override
    def parse_response(self, response: requests.Response) -> t.Iterable[Record]:
        """One row per option code."""
        options = json_body(response)
        if not isinstance(options, list) or not all(
            isinstance(o, (dict, type(None))) for o in options
        ):
            msg = (
                f"{endpoint(response)} answered something that is not a list of "
                "{code: name} objects: the stream stops before it announces any deletion"
            )
            raise MalformedAnswerError(msg)
        for item in options:
            for code, name in (item or {}).items():
                yield {"id": str(code), "name": None if name is None else to_text(name)}

    @override
    def post_process(self, row: Record, context: Context | None = None) -> Record:
        """The type the option belongs to."""
        return rename_record({"targeting_type": (context or {}).get("targeting_type"), **row})


class DeliveryMetricsStream(_GlobalLookupStream):
    """`GET /resources/delivery_metrics?report_type=ASYNC`: the report columns' definitions."""

    name = "delivery_metrics"
    path = "/resources/delivery_metrics"
    primary_keys = ("name",)
    # Needs the pins:read and user_accounts:read scopes on top of ads:read: opt in.
    selected_by_default = False

    @override
    def get_url_params(self, context: Context | None, next_page_token: t.Any) -> dict[str, t.Any]:
        """The metrics async reports accept (the tap's only kind of report)."""
        return {"report_type": "ASYNC"}


class AdFormatsStream(_GlobalLookupStream):
    """The ad formats (creative types) with descriptions: a static lookup, no request."""

    name = "ad_formats"
    path = ""
    primary_keys = ("creative_type",)

    @override
    def get_records(self, context: Context | None) -> t.Iterable[Record]:
        """One row per `CreativeType` value."""
        for creative_type, name, description, deprecated in AD_FORMATS:
            yield {
                "creative_type": creative_type,
                "name": name,
                "description": description,
                "is_deprecated": deprecated,
            }


LOOKUP_STREAMS: tuple[type[PinterestStream], ...] = (
    KeywordsStream,
    AudiencesStream,
    CustomerListsStream,
    ConversionTagsStream,
    PinsStream,
    TargetingOptionsStream,
    DeliveryMetricsStream,
    AdFormatsStream,
)
