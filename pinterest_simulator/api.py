"""Pinterest API v5 routes (JSON in, JSON out).  Transport concerns live in server.py."""

from __future__ import annotations

import json
import re
from typing import TYPE_CHECKING
from urllib.parse import parse_qs

from . import lookups
from .common import DEFAULT_ENTITY_STATUSES, ENTITY_STATUSES, ApiError, bad_request
from .paging import Query, paginate, query_values
from .targeting_analytics import campaign_targeting_analytics

if TYPE_CHECKING:
    from .requestlog import RecordedRequest
    from .simulator import Simulator

LIST_KINDS = {"campaigns": "campaign", "ad_groups": "ad_group", "ads": "ad"}
NOT_FOUND_NAMES = {"campaign": "Campaign", "ad_group": "AdGroup", "ad": "Ad"}
ROUTE = re.compile(r"^/v5/ad_accounts/(?P<acc>[^/]+)(?:/(?P<sub>[a-z_]+)(?:/(?P<eid>[^/]+))?)?$")


def oauth_token(sim: Simulator, req: RecordedRequest) -> tuple[int, dict]:
    if req.method != "POST":
        raise ApiError(405, 405, "Method not allowed.")
    sim.tokens.check_basic(req.header("Authorization"))
    form = parse_qs(req.body.decode("utf-8", "replace"), keep_blank_values=True)
    grant = form.get("grant_type", [""])[-1]
    if grant != "refresh_token":
        raise bad_request(
            f"Unsupported grant_type: {grant!r} (the simulator supports refresh_token)"
        )
    return 200, sim.tokens.refresh(form.get("refresh_token", [""])[-1])


def user_account(sim: Simulator) -> dict:
    owner = sim.dataset.ad_accounts()[0]["owner"]
    return {
        "account_type": "BUSINESS",
        "id": owner["id"],
        "username": owner["username"],
        "business_name": "Simulated Business",
        "website_url": "https://shop.example.com",
    }


def _account(sim: Simulator, account_id: str) -> dict:
    account = sim.dataset.get_entity("ad_account", account_id)
    if account is None:
        raise ApiError(404, 2, "AdAccount not found")
    if account_id in sim.faults.forbidden_accounts:
        raise ApiError(403, 29, "You are not permitted to access that resource.")
    return account


def _list_entities(sim: Simulator, account_id: str, kind: str, query: Query) -> dict:
    statuses = query_values(query, "entity_statuses") or list(DEFAULT_ENTITY_STATUSES)
    bad = [s for s in statuses if s not in ENTITY_STATUSES]
    if bad:
        raise bad_request(f"Invalid entity_statuses: {', '.join(bad)}")
    filters = {}
    for name, field in (
        ("campaign_ids", "campaign_id"),
        ("ad_group_ids", "ad_group_id"),
        ("ad_ids", "id"),
    ):
        ids = query_values(query, name)
        if len(ids) > 250:
            raise bad_request(f"{name} accepts at most 250 ids.")
        if ids:
            filters[field] = set(ids)
    if kind == "campaign" and "campaign_id" in filters:
        filters["id"] = filters.pop("campaign_id")
    if kind == "ad_group" and "ad_group_id" in filters:
        filters["id"] = filters.pop("ad_group_id")
    items = [
        e
        for e in sim.dataset.entities(kind, account_id, statuses)
        if all(e.get(f) in ids for f, ids in filters.items())
    ]
    return paginate(items, query)


def handle(sim: Simulator, req: RecordedRequest) -> tuple[int, object]:
    """Route one /v5 request; returns ``(status, json payload)`` or raises ApiError."""
    if req.path == "/v5/oauth/token":
        return oauth_token(sim, req)
    sim.tokens.check_bearer(req.header("Authorization"))
    # One user of one app: every bearer token the simulator issues shares the quota.
    req.response_headers = sim.rate_limits.take(req.path, sim.tokens.client_id)
    if req.path == "/v5/user_account" and req.method == "GET":
        return 200, user_account(sim)
    if req.path == "/v5/ad_accounts" and req.method == "GET":
        return 200, paginate(sim.dataset.ad_accounts(), req.query)
    if req.path.startswith(("/v5/pins/", "/v5/resources/")):
        return lookups.resource(sim, req)
    m = ROUTE.match(req.path)
    if not m:
        raise ApiError(404, 404, f"Resource not found: {req.path}")
    return _account_route(sim, req, m.group("acc"), m.group("sub"), m.group("eid"))


def _account_route(sim: Simulator, req: RecordedRequest, account_id: str, sub, eid):
    if not account_id.isdigit():
        raise bad_request(f"Invalid ad_account_id: {account_id!r}")
    account = _account(sim, account_id)
    if sub is None and req.method == "GET":
        return 200, account
    if sub == "reports" and eid is None:
        return _reports(sim, req, account_id)
    if sub == "campaigns" and eid == "targeting_analytics" and req.method == "GET":
        return 200, campaign_targeting_analytics(sim, req, account_id)
    if sub in lookups.ACCOUNT_LISTS and eid is None and req.method == "GET":
        return 200, lookups.account_list(sim, req, account_id, sub)
    if sub not in LIST_KINDS or req.method != "GET":
        raise ApiError(404, 404, f"Resource not found: {req.method} {req.path}")
    kind = LIST_KINDS[sub]
    if eid is None:
        return 200, _list_entities(sim, account_id, kind, req.query)
    entity = sim.dataset.get_entity(kind, eid)
    if entity is None or entity["ad_account_id"] != account_id:
        raise ApiError(404, 2, f"{NOT_FOUND_NAMES[kind]} not found")
    return 200, entity


def _reports(sim: Simulator, req: RecordedRequest, account_id: str):
    store = sim.reports
    if req.method == "POST":
        try:
            payload = json.loads(req.body or b"null")
        except ValueError:
            raise bad_request("Request body is not valid JSON.") from None
        job = store.create(account_id, payload)
        return 200, {"token": job.token, "report_status": "IN_PROGRESS", "message": None}
    if req.method != "GET":
        raise ApiError(405, 405, "Method not allowed.")
    token = req.query.get("token", [""])[-1]
    if not token:
        raise bad_request("Missing required parameter: token")
    forced = sim.faults.take("report_status", "GET", f"/v5/ad_accounts/{account_id}/reports")
    if forced is not None:
        return 200, {"report_status": forced.status, "url": None, "size": None}
    job = store.get(account_id, token)
    if job is None:
        return 200, {"report_status": "DOES_NOT_EXIST", "url": None, "size": None}
    status = store.status(job)
    if status != "FINISHED":
        return 200, {"report_status": status, "url": None, "size": None}
    # Report faults (report_faults.py): an empty window without a file, a `size` that is off.
    if job.rows == 0 and sim.faults.take("report_without_url", "GET", job.api_path):
        return 200, {"report_status": "FINISHED", "url": None, "size": None}
    off = sim.faults.take("report_size", "GET", job.api_path)
    return 200, {
        "report_status": "FINISHED",
        "url": store.sign(job, sim.root_url),
        "size": job.size + (off.delta if off else 0),
    }
