"""Column registry of the delivery report: API column -> output field, kind and derivations.

The output field names are a public contract (they become destination column names).
"""

from __future__ import annotations

import difflib
import enum
from collections.abc import Iterable
from dataclasses import dataclass

from tap_pinterest_ads.reports import ReportError
from tap_pinterest_ads.reports.async_columns import ASYNC_REPORT_COLUMNS
from tap_pinterest_ads.warehouse_names import RENAME_PREFIX, is_reserved


class Kind(enum.Enum):
    """How a report value is converted and typed."""

    DATE = "date"  # "YYYY-MM-DD" string
    STRING = "string"  # ids and text; JSON reports may give ids as numbers
    INTEGER = "integer"  # counts of events (impressions, clicks, ...): whole numbers only
    # Conversion counts: Pinterest includes modeled conversions, so a count may be fractional;
    # an int when whole, the exact Decimal otherwise (never truncated).
    MODELED = "modeled count"
    MONEY = "money"  # micro-currency units (int or exact fraction) -> exact Decimal amount
    NUMBER = "number"  # pass-through Decimal or int, as the report gives it
    DATETIME = "date-time"  # hourly reports' DATE, as an ISO 8601 UTC date-time


DATE, STRING, INTEGER, MONEY, NUMBER = Kind.DATE, Kind.STRING, Kind.INTEGER, Kind.MONEY, Kind.NUMBER
MODELED = Kind.MODELED


@dataclass(frozen=True)
class Column:
    """One report column copied into one output field."""

    api: str
    field: str
    kind: Kind = STRING
    # Other spellings of `api` the API may use (read when `api` is absent from a row).
    aliases: tuple[str, ...] = ()


class Dimension(Column):
    """Identifies the row; absent -> None."""


@dataclass(frozen=True)
class Metric(Column):
    """Additive base metric; absent -> 0 (JSON reports do not zero-fill)."""

    kind: Kind = INTEGER


@dataclass(frozen=True)
class PassThrough(Column):
    """Extra column from the `report_columns` setting; absent -> None (its meaning is unknown).

    A micro-currency column (`…_IN_MICRO_DOLLAR`) keeps its value as sent (micro-units, int or
    exact fraction) and adds `amount_field`: the amount in the account currency (÷ 1,000,000).
    """

    amount_field: str | None = None


@dataclass(frozen=True)
class Sum:
    """Additive metric the API has no column for: the sum of other output fields."""

    field: str
    parts: tuple[str, ...]


@dataclass(frozen=True)
class Ratio:
    """Derived metric recomputed per row: factor x numerator / denominator, None when it is 0."""

    field: str
    numerator: str
    denominator: str
    factor: int = 1


# `DATE` is not a requestable column: the API adds it to every row of a time-grained report.
DIMENSIONS: tuple[Dimension, ...] = (
    Dimension("DATE", "date", DATE),
    Dimension("CAMPAIGN_ID", "campaign_id"),
    Dimension("AD_GROUP_ID", "ad_group_id"),
    Dimension("PIN_PROMOTION_ID", "pin_promotion_id"),
    Dimension("PIN_ID", "pin_id"),
)

# `_1` = paid, `_2` = earned (organic activity on promoted Pins), `TOTAL_` = paid + earned.
METRICS: tuple[Metric, ...] = (
    Metric("SPEND_IN_MICRO_DOLLAR", "spend", MONEY),
    Metric("IMPRESSION_1", "paid_impressions"),
    Metric("IMPRESSION_2", "earned_impressions"),
    Metric("TOTAL_IMPRESSION", "total_impressions"),
    Metric("CLICKTHROUGH_1", "paid_clicks"),
    Metric("CLICKTHROUGH_2", "earned_clicks"),
    Metric("TOTAL_CLICKTHROUGH", "total_clicks"),
    Metric("OUTBOUND_CLICK_1", "paid_outbound_clicks"),
    Metric("OUTBOUND_CLICK_2", "earned_outbound_clicks"),
    Metric("ENGAGEMENT_1", "paid_engagements"),
    Metric("ENGAGEMENT_2", "earned_engagements"),
    Metric("TOTAL_ENGAGEMENT", "total_engagements"),
    Metric("REPIN_1", "paid_saves"),
    Metric("REPIN_2", "earned_saves"),
    Metric("VIDEO_3SEC_VIEWS_1", "video_views"),
    Metric("VIDEO_P0_COMBINED_1", "video_starts"),
    Metric("VIDEO_P25_COMBINED_1", "video_p25"),
    Metric("VIDEO_P50_COMBINED_1", "video_p50"),
    Metric("VIDEO_P75_COMBINED_1", "video_p75"),
    Metric("VIDEO_P95_COMBINED_1", "video_p95"),
    Metric("VIDEO_P100_COMPLETE_1", "video_completes"),
    Metric("TOTAL_CONVERSIONS", "conversions", MODELED),
    Metric("TOTAL_CONVERSIONS_VALUE_IN_MICRO_DOLLAR", "conversion_value", MONEY),
    Metric("TOTAL_CHECKOUT", "checkout_conversions", MODELED),
    Metric("TOTAL_CHECKOUT_VALUE_IN_MICRO_DOLLAR", "checkout_value", MONEY),
    Metric("TOTAL_CLICK_CHECKOUT", "click_checkout_conversions", MODELED),
    Metric("TOTAL_CLICK_CHECKOUT_VALUE_IN_MICRO_DOLLAR", "click_checkout_value", MONEY),
    Metric("TOTAL_VIEW_CHECKOUT", "view_checkout_conversions", MODELED),
    Metric("TOTAL_VIEW_CHECKOUT_VALUE_IN_MICRO_DOLLAR", "view_checkout_value", MONEY),
    Metric("TOTAL_ENGAGEMENT_CHECKOUT", "engagement_checkout_conversions", MODELED),
    Metric("TOTAL_ENGAGEMENT_CHECKOUT_VALUE_IN_MICRO_DOLLAR", "engagement_checkout_value", MONEY),
)

# API 5.23.0 has no TOTAL_OUTBOUND_CLICK and no TOTAL_REPIN column, so these totals are
# derived as paid + earned (the same rule the TOTAL_ columns follow).
SUMS: tuple[Sum, ...] = (
    Sum("total_outbound_clicks", ("paid_outbound_clicks", "earned_outbound_clicks")),
    Sum("total_saves", ("paid_saves", "earned_saves")),
)

# Recomputed from the base metrics rather than requested (CTR, CPC_IN_MICRO_DOLLAR, ...) so
# they are consistent with the row and can be re-aggregated from the additive columns.
RATIOS: tuple[Ratio, ...] = (
    Ratio("ctr", "paid_clicks", "paid_impressions"),
    Ratio("cpc", "spend", "paid_clicks"),
    Ratio("cpm", "spend", "paid_impressions", 1000),
    Ratio("cpv", "spend", "video_views"),
    Ratio("vtr", "video_completes", "paid_impressions"),
    Ratio("vcr", "video_completes", "video_views"),
    Ratio("roas", "conversion_value", "spend"),
)

# Added by the record builder from its arguments, not read from the report.
CONTEXT_FIELDS: dict[str, Kind] = {
    "ad_account_id": STRING,
    "currency": STRING,
    "click_window_days": INTEGER,
    "engagement_window_days": INTEGER,
    "view_window_days": INTEGER,
    "conversion_report_time": STRING,
}

KEY_FIELDS: tuple[str, ...] = ("date", "ad_account_id", "pin_promotion_id")

# The id dimensions each report level returns: its own id and those of its parents (asking
# for a child's id, e.g. PIN_ID at CAMPAIGN level, is not meaningful). ADVERTISER rows are
# identified by the ad account alone, which the record builder adds.
LEVEL_DIMENSIONS: dict[str, tuple[Dimension, ...]] = {
    "ADVERTISER": DIMENSIONS[:1],
    "CAMPAIGN": DIMENSIONS[:2],
    "AD_GROUP": DIMENSIONS[:3],
    "PIN_PROMOTION": DIMENSIONS,
}
LEVEL_KEYS: dict[str, tuple[str, ...]] = {
    "ADVERTISER": ("date", "ad_account_id"),
    "CAMPAIGN": ("date", "ad_account_id", "campaign_id"),
    "AD_GROUP": ("date", "ad_account_id", "ad_group_id"),
    "PIN_PROMOTION": KEY_FIELDS,
}

REGISTRY_API_COLUMNS: frozenset[str] = frozenset(c.api for c in (*DIMENSIONS, *METRICS))
# The record builder sets ad_account_id from its argument, so AD_ACCOUNT_ID adds nothing.
_ALREADY_COVERED = REGISTRY_API_COLUMNS | {"AD_ACCOUNT_ID"}
_TAKEN_FIELDS = frozenset(
    [*CONTEXT_FIELDS]
    + [c.field for c in (*DIMENSIONS, *METRICS)]
    + [s.field for s in SUMS]
    + [r.field for r in RATIOS]
)

_TEXT_SUFFIXES = (
    "_ID", "_NAME", "_STATUS", "_TYPE", "_LABEL", "_LABELS", "_URL", "_BRAND",
    "_DESCRIPTION", "_CURRENCY", "_TAG", "_OPTIMIZATION",
)  # fmt: skip
# Text columns without a telling suffix. Prices are kept as text: their format is not
# documented and text is lossless. (TOTAL_VIEW_CATEGORY ends in _CATEGORY but is a count.)
_TEXT_COLUMNS = frozenset(
    {
        "PRODUCT_ITEM_PRODUCT_CATEGORY",
        "PRODUCT_ITEM_PRICE",
        "PRODUCT_ITEM_SALE_PRICE",
        "IS_PREMIERE_CAMPAIGN",
    }
)


class UnknownReportColumn(ReportError, ValueError):  # noqa: N818 - name is part of the API
    """A `report_columns` entry that is not an async report column."""

    def __init__(self, name: str) -> None:
        self.name = name
        close = difflib.get_close_matches(name.strip().upper(), ASYNC_REPORT_COLUMNS, n=3)
        hint = f"; did you mean {', '.join(close)}?" if close else ""
        super().__init__(
            f"setting report_columns: {name!r} is not a Pinterest async report column{hint}"
        )


MICRO_SUFFIX = "_IN_MICRO_DOLLAR"


def pass_through_kind(api: str) -> Kind:
    """Type an extra column by its name (the API documents no per-column types).

    Micro-currency columns are numbers too: cost ratios such as CPC_IN_MICRO_DOLLAR are
    fractional (`106548.186…`), and so may be modeled conversion values.
    """
    if api in _TEXT_COLUMNS or api.endswith(_TEXT_SUFFIXES):
        return STRING
    return NUMBER


def amount_field_of(api: str) -> str | None:
    """`CPC_IN_MICRO_DOLLAR` -> `cpc_amount`; None for a column that is not micro-currency."""
    if not api.endswith(MICRO_SUFFIX):
        return None
    return f"{api.removesuffix(MICRO_SUFFIX).lower()}_amount"


def resolve_report_columns(names: Iterable[str]) -> tuple[PassThrough, ...]:
    """Validate the `report_columns` setting and return the extra pass-through columns.

    Names are matched case-insensitively; columns the registry already maps are skipped. The
    output field is the lower-cased API name, prefixed with `pinterest_` when that would clash
    with a registry field (e.g. the API's CTR next to our recomputed `ctr`) or with a name a
    target reserves (warehouse_names.py).
    """
    extras: dict[str, PassThrough] = {}
    for name in names:
        api = str(name).strip().upper()
        if api not in ASYNC_REPORT_COLUMNS:
            raise UnknownReportColumn(str(name))
        if api in _ALREADY_COVERED or api in extras:
            continue
        field = api.lower()
        if field in _TAKEN_FIELDS or is_reserved(field):
            field = f"{RENAME_PREFIX}{field}"
        amount = amount_field_of(api)
        if amount is not None and (amount in _TAKEN_FIELDS or is_reserved(amount)):
            amount = f"{RENAME_PREFIX}{amount}"
        extras[api] = PassThrough(api, field, pass_through_kind(api), amount_field=amount)
    return tuple(extras.values())
