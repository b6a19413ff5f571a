"""Targeting breakdowns (*_TARGETING levels) and hours (HOUR granularity) of report rows.

A breakdown row's metrics are those of its entity's ads with the targeting value mixed into
their seed: deterministic, but independent of the unbroken-down row (the API's breakdowns
need not add up either). An hour's metrics are seeded by `day ordinal × 24 + hour`.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from .common import bad_request

# The breakdown values rendered per targeting type (LOCATION codes are JSON numbers, as in
# the spec's MetricsResponse example).
TARGETING_VALUES: dict[str, tuple] = {
    "KEYWORD": ("christmas decor ideas", "linen shirt"),
    "APPTYPE": ("iphone", "android_mobile", "web"),
    "GENDER": ("female", "male", "unknown"),
    "LOCATION": (500, 501, 803),
    "PLACEMENT": ("SEARCH", "BROWSE", "OTHER"),
    "COUNTRY": ("US", "GB", "DE"),
    "TARGETED_INTEREST": ("Food and Drinks", "Home Decor", "Women's Fashion"),
    # Ids of the INTEREST targeting options (lookups.TARGETING_OPTIONS), which name them.
    "PINNER_INTEREST": ("924581335376", "948967005229"),
    # Per ad account: ids of its audiences and customer lists (lookups.targeting_values).
    "AUDIENCE_INCLUDE": (),
    # Codes of the GEO targeting options.
    "GEO": ("US-CA", "GB-ENG"),
    "AGE_BUCKET": ("25-34", "35-44", "45-49"),
    "REGION": ("US-CA", "US-NY", "GB-ENG"),
    "AGE_BUCKET_AND_GENDER": ("25-34&female", "25-34&male"),
}
# Enum values of TargetingTypeFilter the simulator does not render.
UNSUPPORTED = ("MEDIA_TYPE", "AUDIENCE_MULTIPLIER", "CREATIVE_ENHANCEMENTS", "LOCAL_ADS_STORE_CODE")
MAX_TARGETING_TYPES = 5
# Columns the API adds to the rows of a *_TARGETING report.
TARGETING_COLUMNS = ["TARGETING_TYPE", "TARGETING_VALUE"]
HOUR_SPAN_DAYS, HOUR_BACK_DAYS = 3, 8


def check_targeting(body: dict, level: str) -> list[str]:
    """`targeting_types`: 1 to 5 known types, and only (and always) for *_TARGETING levels."""
    types = body.get("targeting_types")
    if not level.endswith("_TARGETING"):
        if types is not None:
            raise bad_request("targeting_types requires a level ending in _TARGETING.")
        return []
    if not isinstance(types, list) or not 1 <= len(types) <= MAX_TARGETING_TYPES:
        raise bad_request(
            f"targeting_types must list 1 to {MAX_TARGETING_TYPES} targeting types for "
            f"level {level}."
        )
    unknown = [t for t in types if t not in TARGETING_VALUES]
    if unknown:
        supported = "not supported by the simulator" if set(unknown) <= set(UNSUPPORTED) else ""
        raise bad_request(f"Invalid targeting_types: {', '.join(map(str, unknown))} {supported}")
    if len(set(types)) != len(types):
        raise bad_request("targeting_types lists a type twice.")
    return list(types)


def plan_columns(columns: list[str], targeting_types: list[str] | tuple) -> list[str]:
    """The requested columns plus those the API adds for a breakdown."""
    return [*TARGETING_COLUMNS, *columns] if targeting_types else list(columns)


def expand(
    groups: list, targeting_types: list[str] | tuple, values: Callable[[str], tuple] | None = None
) -> list:
    """Each `(key, attributes, members)` group once per targeting type and value
    (`values(type)`: the account's values, TARGETING_VALUES by default)."""
    if not targeting_types:
        return groups
    values = values or TARGETING_VALUES.__getitem__
    out = []
    for key, attributes, members in groups:
        for kind in targeting_types:
            for value in values(kind):
                salt = f"{kind}={value}|".encode()
                out.append(
                    (
                        key,
                        {**attributes, "TARGETING_TYPE": kind, "TARGETING_VALUE": value},
                        [(prefix + salt, video) for prefix, video in members],
                    )
                )
    return out


def hour_label(day: date, hour: int) -> str:
    """DATE of an hourly row (the spec does not show the format; this one is assumed)."""
    return f"{day.isoformat()} {hour:02d}:00:00"


def hour_periods(days: list[date]) -> list[tuple[str, list[int]]]:
    """`(DATE label, [seed ordinal])` for the 24 hours of each day."""
    return [(hour_label(d, h), [d.toordinal() * 24 + h]) for d in days for h in range(24)]
