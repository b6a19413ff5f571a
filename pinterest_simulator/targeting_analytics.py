"""GET /ad_accounts/{id}/campaigns/targeting_analytics (synchronous, `MetricsResponse`).

A CREATIVE_TYPE row of a campaign is the sum of the campaign's ads of that creative type
(`creative_type` of the ad: REGULAR, VIDEO, CAROUSEL), so the creative types of a campaign's
day add up to its CAMPAIGN report row. The other types are the CAMPAIGN_TARGETING breakdowns of
the reports (breakdowns.py). Limits as the spec states them: 1 to 250 campaign ids, 1 to 14
targeting types, `columns` from the synchronous enum, and (granularity other than HOUR) at
most 90 days back and 90 days per request.
"""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path
from typing import TYPE_CHECKING

from .breakdowns import TARGETING_VALUES
from .common import bad_request, parse_date
from .dataset import json_row
from .delivery import GRANULARITIES
from .paging import query_values

if TYPE_CHECKING:
    from .requestlog import RecordedRequest
    from .simulator import Simulator

CREATIVE_TYPE = "CREATIVE_TYPE"
# AdsAnalyticsCampaignTargetingType; AUDIENCE_MULTIPLIER is not rendered.
CAMPAIGN_TARGETING_TYPES = (*TARGETING_VALUES, CREATIVE_TYPE)
MAX_CAMPAIGN_IDS, MAX_TARGETING_TYPES = 250, 14
MAX_BACK_DAYS = MAX_SPAN_DAYS = 90
HOUR_BACK_DAYS, HOUR_SPAN_DAYS = 8, 3
ATTRIBUTION_WINDOWS = ("0", "1", "7", "14", "30", "60")
REPORT_TIMES = ("TIME_OF_AD_ACTION", "TIME_OF_CONVERSION")


def _sync_columns() -> frozenset[str]:
    lines = Path(__file__).with_name("sync_columns.txt").read_text(encoding="utf-8").splitlines()
    return frozenset(ln.strip() for ln in lines if ln.strip() and not ln.startswith("#"))


SYNC_COLUMNS = _sync_columns()


def _required(req: RecordedRequest, name: str) -> list[str]:
    values = query_values(req.query, name)
    if not values:
        raise bad_request(f"Missing required parameter: {name}")
    return values


def _dates(req: RecordedRequest, today: date, granularity: str) -> tuple[date, date]:
    start = parse_date(req.query.get("start_date", [None])[-1], "start_date")
    end = parse_date(req.query.get("end_date", [None])[-1], "end_date")
    if end < start:
        raise bad_request("end_date must be on or after start_date.")
    hourly = granularity == "HOUR"
    back, span = (HOUR_BACK_DAYS, HOUR_SPAN_DAYS) if hourly else (MAX_BACK_DAYS, MAX_SPAN_DAYS)
    if start < today - timedelta(days=back):
        raise bad_request(f"You can only get data from the last {back} days.")
    if (end - start).days > span:
        raise bad_request(f"end_date cannot be more than {span} days past start_date.")
    return start, end


def _check(req: RecordedRequest) -> None:
    for name, allowed in (
        ("click_window_days", ATTRIBUTION_WINDOWS),
        ("engagement_window_days", ATTRIBUTION_WINDOWS),
        ("view_window_days", ATTRIBUTION_WINDOWS),
        ("conversion_report_time", REPORT_TIMES),
    ):
        value = req.query.get(name, [allowed[-1]])[-1]
        if value not in allowed:
            raise bad_request(f"Invalid {name}: {value!r}")


def campaign_targeting_analytics(sim: Simulator, req: RecordedRequest, account_id: str) -> dict:
    """The `MetricsResponse` of one request."""
    ds = sim.dataset
    campaign_ids = _required(req, "campaign_ids")
    if len(campaign_ids) > MAX_CAMPAIGN_IDS or not all(i.isdigit() for i in campaign_ids):
        raise bad_request(f"campaign_ids must be 1 to {MAX_CAMPAIGN_IDS} campaign ids.")
    types = _required(req, "targeting_types")
    if len(types) > MAX_TARGETING_TYPES or len(set(types)) != len(types):
        raise bad_request(f"targeting_types must list 1 to {MAX_TARGETING_TYPES} distinct types.")
    unknown = [t for t in types if t not in CAMPAIGN_TARGETING_TYPES]
    if unknown:
        raise bad_request(f"Invalid targeting_types: {', '.join(unknown)}")
    columns = _required(req, "columns")
    if bad := [c for c in columns if c not in SYNC_COLUMNS]:
        raise bad_request(f"Invalid columns: {', '.join(bad)}")
    granularity = req.query.get("granularity", [""])[-1]
    if granularity not in GRANULARITIES:
        raise bad_request(f"Invalid granularity: {granularity!r}")
    start, end = _dates(req, ds.today, granularity)
    _check(req)
    # Ids of other accounts' campaigns have no rows in this account.
    wanted = [i for i in dict.fromkeys(campaign_ids) if ds.account_of("campaign", i) == account_id]
    data = []
    for kind in types:
        query = (start, end, columns, granularity)
        for value, row in _rows(sim, account_id, wanted, kind, query):
            metrics = json_row({k: v for k, v in row.items() if not k.startswith("TARGETING_")})
            data.append({"targeting_type": kind, "targeting_value": value, "metrics": metrics})
    return {"data": data}


def creative_types(sim: Simulator, account_id: str, campaign_id: str) -> dict[str, list[str]]:
    """creative type -> the ids of the campaign's ads of that type (removed ones included:
    their delivery happened)."""
    ds = sim.dataset
    out: dict[str, list[str]] = {}
    for ad_id in ds.all_ids("ad", account_id):
        ad = ds.raw_entity("ad", ad_id)
        if ad["campaign_id"] == campaign_id:
            out.setdefault(ad["creative_type"], []).append(ad_id)
    return dict(sorted(out.items()))


def _rows(sim, account_id, campaign_ids, kind, query):
    """(targeting value, raw row) of one targeting type, campaign by campaign; `query`:
    (start, end, columns, granularity)."""
    ds = sim.dataset
    start, end, columns, granularity = query
    if not campaign_ids:
        return
    if kind != CREATIVE_TYPE:
        for _, row in ds.iter_delivery(
            account_id, start, end, columns, level="CAMPAIGN_TARGETING",
            granularity=granularity, targeting_types=[kind], campaign_ids=campaign_ids,
        ):  # fmt: skip
            yield row["TARGETING_VALUE"], row
        return
    for campaign_id in campaign_ids:
        for creative_type, ad_ids in creative_types(sim, account_id, campaign_id).items():
            for _, row in ds.iter_delivery(
                account_id, start, end, columns, level="CAMPAIGN",
                granularity=granularity, ad_ids=ad_ids,
            ):  # fmt: skip
                yield creative_type, row
