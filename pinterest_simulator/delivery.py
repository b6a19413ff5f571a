"""Turns per-(ad, day) metrics into report rows for a level, granularity and sort order."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, timedelta
from typing import TYPE_CHECKING

from .breakdowns import expand, hour_periods, plan_columns
from .lookups import targeting_values
from .metrics import ColumnPlan, core_metrics

if TYPE_CHECKING:
    from .dataset import Dataset

#: Report level -> entity kind whose id is the first-level key of a BY_ID JSON report.
LEVEL_KIND = {
    "PIN_PROMOTION": "ad",
    "AD_GROUP": "ad_group",
    "CAMPAIGN": "campaign",
    "ADVERTISER": "ad_account",
}
LEVEL_KIND.update({f"{level}_TARGETING": kind for level, kind in list(LEVEL_KIND.items())})
GRANULARITIES = ("DAY", "TOTAL", "WEEK", "MONTH", "HOUR")


def _periods(ds: Dataset, start: date, end: date, granularity: str):
    """[(DATE label or None, [day ordinals that have data])] covering [start, end]."""
    lo, hi = max(start, ds.first_day), min(end, ds.today)
    days = [lo + timedelta(days=i) for i in range((hi - lo).days + 1)] if lo <= hi else []
    if granularity == "TOTAL":
        return [(None, [d.toordinal() for d in days])] if days else []
    if granularity == "HOUR":
        return hour_periods(days)
    out: dict[str, list[int]] = {}
    for d in days:
        if granularity == "WEEK":
            label = (d - timedelta(days=d.weekday())).isoformat()
        elif granularity == "MONTH":
            label = d.replace(day=1).isoformat()
        else:
            label = d.isoformat()
        out.setdefault(label, []).append(d.toordinal())
    return list(out.items())


def _attributes(ds: Dataset, kind: str, entity_id: str) -> dict:
    """Attribute columns available at ``kind`` level for this entity (live values)."""
    if kind == "ad_account":
        return {"AD_ACCOUNT_ID": entity_id, "ADVERTISER_ID": entity_id}
    ent = ds.raw_entity(kind, entity_id)
    acc = ent["ad_account_id"]
    out = {"AD_ACCOUNT_ID": acc, "ADVERTISER_ID": acc}
    camp = ds.raw_entity("campaign", ent["campaign_id"] if kind != "campaign" else entity_id)
    cap = camp["daily_spend_cap"]
    out.update(
        CAMPAIGN_ID=camp["id"],
        CAMPAIGN_NAME=camp["name"],
        CAMPAIGN_ENTITY_STATUS=camp["status"],
        CAMPAIGN_STATUS=camp["summary_status"],
        CAMPAIGN_MANAGED_STATUS=camp["status"],
        CAMPAIGN_OBJECTIVE_TYPE=camp["objective_type"],
        CAMPAIGN_DAILY_SPEND_CAP=None if cap is None else cap / 1e6,
        CAMPAIGN_LIFETIME_SPEND_CAP=None
        if camp["lifetime_spend_cap"] is None
        else camp["lifetime_spend_cap"] / 1e6,
        CAMPAIGN_BUDGET_OPTIMIZATION=camp["is_campaign_budget_optimization"],
    )
    if kind in ("ad_group", "ad"):
        ag = ds.raw_entity("ad_group", ent["ad_group_id"] if kind == "ad" else entity_id)
        budget = ag["budget_in_micro_currency"]
        out.update(
            AD_GROUP_ID=ag["id"],
            AD_GROUP_NAME=ag["name"],
            AD_GROUP_ENTITY_STATUS=ag["status"],
            AD_GROUP_STATUS=ag["summary_status"],
            AD_GROUP_BUDGET_TYPE=ag["budget_type"],
            AD_GROUP_BUDGET_IN_LOCAL_CURRENCY=None if budget is None else budget / 1e6,
        )
    if kind == "ad":
        out.update(
            AD_ID=ent["id"],
            PIN_PROMOTION_ID=ent["id"],
            PIN_ID=ent["pin_id"],
            AD_NAME=ent["name"],
            PIN_PROMOTION_NAME=ent["name"],
            AD_STATUS=ent["summary_status"],
            PIN_PROMOTION_STATUS=ent["summary_status"],
        )
    return out


def _groups(ds: Dataset, account_id: str, kind: str, filters: dict):
    """[(entity id, attribute dict, [(seed prefix, is_video), ...])] in ascending id order."""
    wanted = {k: set(v) for k, v in filters.items() if v}
    members: dict[str, list[tuple[bytes, bool]]] = {}
    for ad_id in ds.all_ids("ad", account_id):
        ad = ds.raw_entity("ad", ad_id)
        if "campaign_ids" in wanted and ad["campaign_id"] not in wanted["campaign_ids"]:
            continue
        if "ad_group_ids" in wanted and ad["ad_group_id"] not in wanted["ad_group_ids"]:
            continue
        if "ad_ids" in wanted and ad_id not in wanted["ad_ids"]:
            continue
        key = {"ad": ad_id, "ad_group": ad["ad_group_id"], "campaign": ad["campaign_id"]}.get(
            kind, account_id
        )
        members.setdefault(key, []).append((f"{ds.seed}|{ad_id}|".encode(), ds.is_video(ad_id)))
    return [(key, _attributes(ds, kind, key), ads) for key, ads in members.items()]


def iter_raw(
    ds: Dataset,
    account_id: str,
    start: date,
    end: date,
    plan: ColumnPlan,
    *,
    level: str,
    granularity: str,
    primary_sort: str,
    filters: dict,
    targeting_types: list[str] | tuple = (),
) -> Iterator[tuple[str, str | None, dict, tuple, list]]:
    """Yield ``(first-level key, DATE label, attributes, int values, float values)``.

    ``int values`` align with ``plan.int_columns``, ``float values`` with
    ``plan.float_columns``; rows whose requested metrics are all zero are skipped."""
    if level not in LEVEL_KIND:
        raise ValueError(f"unsupported level {level}")
    if granularity not in GRANULARITIES:
        raise ValueError(f"unsupported granularity {granularity}")
    periods = _periods(ds, start, end, granularity)
    groups = [
        (key, {c: attrs.get(c) for c in plan.attributes}, ads)
        for key, attrs, ads in expand(
            _groups(ds, account_id, LEVEL_KIND[level], filters),
            targeting_types,
            lambda kind: targeting_values(ds, account_id, kind),
        )
    ]
    inactive = ds.inactive_percent
    # Conversions of days whose books are open are still arriving (books.py); hours have none.
    mature = ds.books.mature if granularity != "HOUR" else lambda base, _: base
    ints, floats, extend = plan.ints, plan.float_columns, plan.extend
    has_metrics = plan.has_metrics
    by_date = primary_sort == "BY_DATE" and granularity != "TOTAL"

    def vector(ads, ordinals):
        if len(ads) == 1 and len(ordinals) == 1:
            prefix, video = ads[0]
            base = core_metrics(prefix, ordinals[0], video, inactive)
            return None if base is None else extend(mature(base, ordinals[0]))
        acc = None
        for prefix, video in ads:
            for o in ordinals:
                base = core_metrics(prefix, o, video, inactive)
                if base is None:
                    continue
                vec = extend(mature(base, o))
                acc = list(vec) if acc is None else [a + b for a, b in zip(acc, vec, strict=True)]
        return acc

    if by_date:
        order = ((label, ords, g) for label, ords in periods for g in groups)
    else:
        order = ((label, ords, g) for g in groups for label, ords in periods)
    for label, ordinals, (key, attrs, ads) in order:
        vec = vector(ads, ordinals)
        if vec is None:
            continue
        values = ints(vec)
        fvalues = [get(vec) for _, get in floats]
        if has_metrics and not any(values) and not any(fvalues):
            continue  # all requested metrics are zero -> the API drops the row
        yield (label if by_date else key), label, attrs, values, fvalues


def iter_delivery(
    ds: Dataset,
    account_id: str,
    start: date,
    end: date,
    columns: list[str],
    *,
    level: str,
    granularity: str,
    primary_sort: str,
    filters: dict,
    targeting_types: list[str] | tuple = (),
) -> Iterator[tuple[str, dict]]:
    """Yield ``(first-level key, raw row dict)``; see ``Dataset.delivery_rows``."""
    plan = ColumnPlan(plan_columns(columns, targeting_types))
    int_cols = plan.int_columns
    float_cols = [c for c, _ in plan.float_columns]
    raw = iter_raw(
        ds,
        account_id,
        start,
        end,
        plan,
        level=level,
        granularity=granularity,
        primary_sort=primary_sort,
        filters=filters,
        targeting_types=targeting_types,
    )
    for key, label, attrs, values, fvalues in raw:
        row = {"DATE": label} if label is not None else {}
        merged = {
            **attrs,
            **dict(zip(int_cols, values, strict=True)),
            **dict(zip(float_cols, fvalues, strict=True)),
        }
        row.update((c, merged[c]) for c in plan.columns)
        yield key, row
