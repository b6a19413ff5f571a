"""What the dbt models should hold, computed from the simulator's raw report rows."""

from __future__ import annotations

import decimal
from collections import defaultdict
from collections.abc import Callable, Iterable
from decimal import ROUND_HALF_UP, Decimal

from pinterest_simulator import Dataset, Simulator
from tests.e2e.expectations import micro, report_requests

CENT = Decimal("0.01")

# ad_reporting__daily: the cross-channel layout (transform/macros/ad_reporting.sql), with the
# types information_schema reports on PostgreSQL.
AD_REPORTING_COLUMNS = [
    ("date_day", "date"), ("platform", "text"), ("account_id", "text"),
    ("account_name", "text"), ("campaign_id", "text"), ("campaign_name", "text"),
    ("ad_group_id", "text"), ("ad_group_name", "text"), ("ad_id", "text"), ("ad_name", "text"),
    ("currency", "text"), ("spend", "numeric"), ("impressions", "bigint"), ("clicks", "bigint"),
    ("conversions", "bigint"), ("conversion_value", "numeric"), ("is_final", "boolean"),
]  # fmt: skip


def delivery_key(row: dict) -> tuple[str, str, str]:
    """A delivery report row's key in `expected_delivery`: (day, account, ad)."""
    return (row["date_day"].isoformat(), row["ad_account_id"], row["pin_promotion_id"])


def name_of(ds: Dataset, kind: str, entity_id: str) -> str:
    return ds.get_entity(kind, entity_id, include_removed=True)["name"]


def totals(raws: Iterable[dict]) -> dict:
    """The additive columns the composite metrics divide, summed over raw report rows."""
    out = {"spend": Decimal(0), "clicks": 0, "impressions": 0, "views": 0, "completes": 0}
    for raw in raws:
        out["spend"] += micro(raw.get("SPEND_IN_MICRO_DOLLAR"))
        out["clicks"] += int(raw.get("CLICKTHROUGH_1") or 0)
        out["impressions"] += int(raw.get("IMPRESSION_1") or 0)
        out["views"] += int(raw.get("VIDEO_3SEC_VIEWS_1") or 0)
        out["completes"] += int(raw.get("VIDEO_P100_COMPLETE_1") or 0)
    return out


def rounded(numerator: Decimal | int, denominator: int, factor: int = 1) -> Decimal | None:
    """The spec's presentation: 2 decimals, half up (exact: 60 digits before rounding)."""
    if not denominator:
        return None
    with decimal.localcontext(decimal.Context(prec=60)):
        return (Decimal(numerator) * factor / Decimal(denominator)).quantize(CENT, ROUND_HALF_UP)


def expected_composites(t: dict) -> dict:
    return {
        "cpc": rounded(t["spend"], t["clicks"]),
        "cpv": rounded(t["spend"], t["views"]),
        "vtr_pct": rounded(t["completes"], t["impressions"], 100),
        "vcr_pct": rounded(t["completes"], t["views"], 100),
    }


def check_composites(
    rows: list[dict], wanted: dict, key: Callable[[dict], tuple], *, with_nulls: bool = True
) -> None:
    """Every row's CPC, CPV, VTR and VCR equal the exact values from its totals; the data
    must exercise each metric, a rounding up and (`with_nulls`) the NULL branch."""
    seen = {"cpc": 0, "cpv": 0, "vtr_pct": 0, "vcr_pct": 0, "null": 0, "rounded_up": 0}
    for row in rows:
        for metric, exact in expected_composites(wanted[key(row)]).items():
            assert row[metric] == exact, (key(row), metric, row[metric], exact)
            if exact is None:
                seen["null"] += 1
                continue
            assert row[metric].as_tuple().exponent == -2, (metric, row[metric])
            seen[metric] += 1
    for row in rows:
        t = wanted[key(row)]
        if t["clicks"] and Decimal(t["spend"]) / t["clicks"] < row["cpc"]:
            seen["rounded_up"] += 1
    if not with_nulls:
        del seen["null"]
    assert all(seen.values()), seen


def requested_rows(
    sim: Simulator, since: int, level: str, granularity: str = "DAY", *, spend: bool = True
) -> list[dict]:
    """The raw rows of the reports of `level` the opt-in run requested (`spend`: with the
    SPEND column, i.e. delivery rather than conversion reports)."""
    rows = []
    for request in report_requests(sim, since):
        body = request.body
        if (body["level"], body["granularity"]) != (level, granularity):
            continue
        if ("SPEND_IN_MICRO_DOLLAR" in body["columns"]) != spend:
            continue
        rows += sim.dataset.delivery_rows(
            request.account_id, request.start, request.end, body["columns"], level=level,
            granularity=granularity, targeting_types=body.get("targeting_types", ()),
        )  # fmt: skip
    assert rows, f"no {level}/{granularity} report was requested"
    return rows


def targeting_spend(raw: list[dict]) -> dict[tuple[str, str], Decimal]:
    """Spend per (targeting type, targeting value) of raw targeting breakdown rows."""
    spend: dict[tuple[str, str], Decimal] = defaultdict(Decimal)
    for row in raw:
        value = (row["TARGETING_TYPE"], str(row["TARGETING_VALUE"]))
        spend[value] += micro(row.get("SPEND_IN_MICRO_DOLLAR"))
    return dict(spend)


def hourly_totals(ds: Dataset, hourly: list[dict]) -> dict:
    """pinterest__hourly_report's row count, named rows and spend for these raw HOUR rows."""
    return {
        "n": len(hourly),
        # Ad names are optional: some of the simulator's ads have none.
        "named": sum(name_of(ds, "ad", str(r["PIN_PROMOTION_ID"])) is not None for r in hourly),
        "spend": sum(micro(r.get("SPEND_IN_MICRO_DOLLAR")) for r in hourly),
    }


def conversion_totals(conversions: list[dict]) -> dict:
    """pinterest__conversions_report's row count, conversions and checkout value."""
    return {
        "n": len(conversions),
        "conversions": sum(int(r.get("TOTAL_CONVERSIONS") or 0) for r in conversions),
        "checkout": sum(micro(r.get("TOTAL_CHECKOUT_VALUE_IN_MICRO_DOLLAR")) for r in conversions),
    }
