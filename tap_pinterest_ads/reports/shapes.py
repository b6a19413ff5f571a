"""What differs between report streams: level, granularity, breakdowns, columns and key.

A report stream declares its `ReportShape`; the engine (windows, report requests, state),
the record builder and the schema builder take everything else from it.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from tap_pinterest_ads.reports.columns import (
    DATE,
    DIMENSIONS,
    KEY_FIELDS,
    LEVEL_DIMENSIONS,
    LEVEL_KEYS,
    METRICS,
    RATIOS,
    SUMS,
    Column,
    Dimension,
    Kind,
    Metric,
    Ratio,
    Sum,
)
from tap_pinterest_ads.reports.conversions import CONVERSION_COLUMNS, CONVERSION_METRICS

# Added to rows by the API itself, never requested: DATE for time-grained reports, the
# breakdown of *_TARGETING reports (as the targeting analytics endpoints name them).
IMPLICIT_COLUMNS = frozenset({"DATE", "TARGETING_TYPE", "TARGETING_VALUE"})
# The spec does not show how async report files name the breakdown; the analytics endpoints
# answer with lower-case `targeting_type`/`targeting_value`, so both spellings are read.
TARGETING_DIMENSIONS: tuple[Dimension, ...] = (
    Dimension("TARGETING_TYPE", "targeting_type", aliases=("targeting_type",)),
    Dimension("TARGETING_VALUE", "targeting_value", aliases=("targeting_value",)),
)
# age, gender, country, region, device, location (metro), interests, keywords, placement;
# then the audiences (retargeting, customer list and lookalike audience ids), the Pinner's
# interests, geo and age × gender: 13 types, 3 reports per window. Every one is in the enum of
# `AdsAnalyticsCreateAsyncRequest.targeting_types` (TargetingTypeFilter); CREATIVE_TYPE is
# not (only the synchronous campaign targeting analytics offer it), so it is not requested.
# AGE_BUCKET_AND_GENDER is in BETA ("not yet available to all users"): last, alone with GEO
# and PINNER_INTEREST in the third report.
TARGETING_TYPES: tuple[str, ...] = (
    "AGE_BUCKET", "GENDER", "COUNTRY", "REGION", "APPTYPE",
    "LOCATION", "TARGETED_INTEREST", "KEYWORD", "PLACEMENT", "AUDIENCE_INCLUDE",
    "PINNER_INTEREST", "GEO", "AGE_BUCKET_AND_GENDER",
)  # fmt: skip
# `AdsAnalyticsCreateAsyncRequest.targeting_types`: maxItems 5.
MAX_TARGETING_TYPES_PER_REPORT = 5
# HOUR reports: at most 8 days back and 3 days per request (create_report's description).
# The tap asks for one day less history than each limit allows: a run that plans its windows
# just before UTC midnight sends them just after it, when the oldest day is one day older
# ("must be within 914 recent days"; other connectors use 913 for the same reason).
HOUR_SPAN_DAYS, HOUR_HISTORY_DAYS = 3, 8 - 1
DAY_HISTORY_DAYS = 914 - 1


@dataclass(frozen=True)
class ReportShape:
    """One report stream's request and record layout."""

    level: str
    dimensions: tuple[Dimension, ...]
    key: tuple[str, ...]
    metrics: tuple[Metric, ...] = METRICS
    sums: tuple[Sum, ...] = SUMS
    ratios: tuple[Ratio, ...] = RATIOS
    granularity: str = "DAY"
    # One report per batch and window; () = no breakdown.
    targeting_batches: tuple[tuple[str, ...], ...] = ((),)
    max_span_days: int = 186
    max_history_days: int = DAY_HISTORY_DAYS
    # Only the original delivery stream takes the `report_columns` setting: an extra column
    # may not exist at another level.
    accepts_report_columns: bool = False

    @property
    def has_conversions(self) -> bool:
        """Whether rows carry conversion metrics (a day is final for them only once its
        conversions are)."""
        return any(m.api in CONVERSION_COLUMNS for m in self.metrics)

    def requested_columns(self, extra: Iterable[Column] = ()) -> tuple[str, ...]:
        """The `columns` of the report request: dimensions, metrics, then extras."""
        names = [
            c.api
            for c in (*self.dimensions, *self.metrics, *extra)
            if c.api not in IMPLICIT_COLUMNS
        ]
        return tuple(dict.fromkeys(names))


def batches(items: tuple[str, ...], size: int) -> tuple[tuple[str, ...], ...]:
    """`items` in consecutive groups of at most `size`."""
    return tuple(items[i : i + size] for i in range(0, len(items), size))


def _without_conversions() -> tuple[tuple[Metric, ...], tuple[Sum, ...], tuple[Ratio, ...]]:
    metrics = tuple(m for m in METRICS if m.api not in CONVERSION_COLUMNS)
    fields = {m.field for m in metrics} | {s.field for s in SUMS}
    sums = tuple(s for s in SUMS if set(s.parts) <= fields)
    ratios = tuple(r for r in RATIOS if {r.numerator, r.denominator} <= fields)
    return metrics, sums, ratios


def delivery(level: str) -> ReportShape:
    """Daily delivery metrics at `level`, keyed by date, account and the level's id."""
    return ReportShape(level, LEVEL_DIMENSIONS[level], LEVEL_KEYS[level])


def targeting(level: str) -> ReportShape:
    """Daily delivery at `level`, broken down by every targeting type of TARGETING_TYPES."""
    return ReportShape(
        f"{level}_TARGETING",
        (*LEVEL_DIMENSIONS[level], *TARGETING_DIMENSIONS),
        (*LEVEL_KEYS[level], "targeting_type", "targeting_value"),
        targeting_batches=batches(TARGETING_TYPES, MAX_TARGETING_TYPES_PER_REPORT),
    )


DELIVERY = ReportShape("PIN_PROMOTION", DIMENSIONS, KEY_FIELDS, accepts_report_columns=True)

_HOURLY_METRICS, _HOURLY_SUMS, _HOURLY_RATIOS = _without_conversions()
# Both fields are read from the API's DATE; the hourly record builder normalises them.
HOURLY = ReportShape(
    "PIN_PROMOTION",
    (
        Dimension("DATE", "date_hour", Kind.DATETIME),
        Dimension("DATE", "date", DATE),
        *DIMENSIONS[1:],
    ),
    ("date_hour", "ad_account_id", "pin_promotion_id"),
    metrics=_HOURLY_METRICS,
    sums=_HOURLY_SUMS,
    ratios=_HOURLY_RATIOS,
    granularity="HOUR",
    max_span_days=HOUR_SPAN_DAYS,
    max_history_days=HOUR_HISTORY_DAYS,
)

CONVERSIONS = ReportShape(
    "PIN_PROMOTION", DIMENSIONS, KEY_FIELDS, metrics=CONVERSION_METRICS, sums=(), ratios=()
)
