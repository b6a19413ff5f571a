"""Keywords, audiences, customer lists, conversion tags, pins and the /resources lookups.

Every value derives from the data set (seed, ids) with hashlib, so the same data set always
answers the same objects. Payloads follow Keyword, Audience, CustomerList, ConversionTag,
Pin, TargetingOptionResponse and DeliveryMetricsResponse of the official spec.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from .breakdowns import TARGETING_VALUES
from .common import ASYNC_COLUMNS, ApiError, bad_request, epoch, hnum, parse_date
from .paging import paginate, query_values

if TYPE_CHECKING:
    from .dataset import Dataset
    from .requestlog import RecordedRequest
    from .simulator import Simulator

ACCOUNT_LISTS = ("keywords", "audiences", "customer_lists", "conversion_tags")
WORDS = ("linen shirt", "summer dress", "christmas decor ideas", "garden chairs", "free")
MATCH_TYPES = ("BROAD", "PHRASE", "EXACT", "EXACT_NEGATIVE", "PHRASE_NEGATIVE")
TARGETING_OPTIONS: dict[str, list[dict[str, str]]] = {
    "APPTYPE": [{"iphone": "iPhone", "ipad": "iPad", "android_mobile": "Android mobile",
                 "android_tablet": "Android tablet", "web": "Web", "web_mobile": "Mobile web"}],
    "GENDER": [{"female": "Female"}, {"male": "Male"}, {"unknown": "Unspecified"}],
    "LOCALE": [{"en-US": "English (US)", "en-GB": "English (UK)", "de": "German"}],
    "AGE_BUCKET": [{b: b for b in ("18-24", "25-34", "35-44", "45-49", "50-54", "55-64", "65+")}],
    "LOCATION": [{"500": "Portland-Auburn, ME", "501": "New York, NY", "803": "Los Angeles, CA"}],
    "GEO": [{"US-CA": "United States: California", "US-NY": "United States: New York",
             "GB-ENG": "United Kingdom: England"}],
    "INTEREST": [{"924581335376": "Food and Drinks"}, {"918105274631": "Home Decor"},
                 {"948967005229": "Women's Fashion"}],
    "KEYWORD": [],
    "AUDIENCE_INCLUDE": [],
    "AUDIENCE_EXCLUDE": [],
}  # fmt: skip
DAY = 86_400


def _id(base: int, *parts: object) -> str:
    return str(base + hnum(*parts) % 10**9)


def keywords(ds: Dataset, ad_group_id: str) -> list[dict]:
    """0 to 2 keywords per ad group."""
    count = hnum(ds.seed, "keywords", ad_group_id) % 3
    return [
        {
            "id": _id(383_791_336_000_000_000, ds.seed, "keyword", ad_group_id, i),
            "value": WORDS[(hnum(ds.seed, "kw", ad_group_id) + i) % len(WORDS)],
            "match_type": MATCH_TYPES[(int(ad_group_id) + i) % len(MATCH_TYPES)],
            "parent_id": ad_group_id,
            "parent_type": "ad_group",
            "archived": i == 1,
            "bid": None,
            "type": "keyword",
        }
        for i in range(count)
    ]


def audiences(ds: Dataset, account_id: str) -> list[dict]:
    created = epoch(ds.first_day) - 30 * DAY
    return [
        {
            "ad_account_id": account_id,
            "id": _id(2_542_620_000_000, ds.seed, "audience", account_id, i),
            "name": name,
            "audience_type": kind,
            "description": None if i else f"{name} of account {account_id}",
            "rule": rule,
            "size": 1000 * (1 + hnum(ds.seed, "size", account_id, i) % 500) if i != 1 else None,
            "status": "READY" if i != 1 else "TOO_SMALL",
            "type": "audience",
            "created_timestamp": created + i * DAY,
            "updated_timestamp": created + (i + 3) * DAY,
            "created_by_company_name": "Simulated Business",
        }
        for i, (name, kind, rule) in enumerate(
            (
                (
                    "Site visitors",
                    "VISITOR",
                    {"retention_days": 180, "event_source": {"=": ["web"]}},
                ),
                ("Lookalike 5%", "ACTALIKE", {"country": "US", "percentage": 5}),
                ("Engagers", "ENGAGEMENT", {"engagement_domain": ["shop.example.com"]}),
            )
        )
    ]


def customer_lists(ds: Dataset, account_id: str) -> list[dict]:
    created = epoch(ds.first_day) - 60 * DAY
    return [
        {
            "ad_account_id": account_id,
            "id": _id(643_000_000_000, ds.seed, "customer_list", account_id, i),
            "name": name,
            "created_time": created + i * DAY,
            "updated_time": created + (i + 10) * DAY,
            "num_batches": i + 1,
            "num_removed_user_records": i * 3,
            "num_uploaded_user_records": 100 + hnum(ds.seed, "records", account_id, i) % 5000,
            "status": ("READY", "PROCESSING")[i],
            "type": "customerlist",
            "exceptions": {},
        }
        for i, name in enumerate(("Newsletter subscribers", "Lapsed buyers"))
    ]


def conversion_tags(ds: Dataset, account_id: str) -> list[dict]:
    fired = epoch(ds.today) * 1000 - hnum(ds.seed, "fired", account_id) % (DAY * 1000)
    return [
        {
            "ad_account_id": account_id,
            "id": _id(2_617_998_000_000, ds.seed, "tag", account_id, i),
            "name": name,
            "status": ("ACTIVE", "ARCHIVED")[i],
            "version": "3",
            "code_snippet": "<script type=text/javascript>/* simulated */</script>",
            "enhanced_match_status": ("VALIDATION_COMPLETE", None)[i],
            "last_fired_time_ms": (fired, None)[i],
            "configs": {"aem_enabled": i == 0, "md_frequency": 1},
        }
        for i, name in enumerate(("Checkout tag", "Old tag"))
    ]


def pin(ds: Dataset, pin_id: str, account_id: str | None) -> dict | None:
    """The Pin behind an ad (None when no ad of `account_id`, if given, promotes it)."""
    ad = next(
        (
            ds.raw_entity("ad", ad_id)
            for acc in ([account_id] if account_id else ds.account_ids)
            for ad_id in ds.all_ids("ad", acc)
            if ds.raw_entity("ad", ad_id)["pin_id"] == pin_id
        ),
        None,
    )
    if ad is None:
        return None
    image = f"https://i.pinimg.com/{{size}}/sim/{pin_id}.jpg"
    images = {
        size: {"width": w, "height": h, "url": image.format(size=size)}
        for size, w, h in (("150x150", 150, 150), ("400x300", 400, 300), ("600x", 600, 900),
                           ("1200x", 1200, 1800))
    }  # fmt: skip
    if ds.is_video(ad["id"]):
        media = {"media_type": "video", "cover_image_url": images["600x"]["url"],
                 "video_url": f"https://v.pinimg.com/videos/sim/{pin_id}.mp4",
                 "duration": 15000.0 + hnum(ds.seed, "duration", pin_id) % 30000,
                 "width": 1080, "height": 1920, "images": images}  # fmt: skip
    else:
        media = {"media_type": "image", "images": images}
    return {
        "id": pin_id,
        "created_at": f"{ds.first_day.isoformat()}T12:00:00Z",
        "link": ad["destination_url"],
        "title": (ad["name"] or "Simulated pin")[:100],
        "description": f"Creative of {ad['name'] or ad['id']}",
        "alt_text": None,
        "creative_type": ad["creative_type"],
        "dominant_color": "#6E7874",
        "board_id": _id(549_000_000_000_000_000, ds.seed, "board", ad["ad_account_id"]),
        "board_section_id": None,
        "board_owner": {"username": f"sim_owner_{ds.account_ids.index(ad['ad_account_id']) + 1}"},
        "has_been_promoted": True,
        "is_owner": True,
        "is_standard": True,
        "parent_pin_id": None,
        "pin_metrics": None,
        "media": media,
    }


def delivery_metrics() -> dict:
    names = sorted(ASYNC_COLUMNS)
    return {
        "items": [
            {"name": n, "display_name": n.replace("_", " ").capitalize(),
             "definition": f"Simulated definition of {n}.", "category": "ADS"}
            for n in names
        ]
    }  # fmt: skip


def account_list(sim: Simulator, req: RecordedRequest, account_id: str, sub: str) -> dict:
    """GET /ad_accounts/{id}/{keywords,audiences,customer_lists,conversion_tags}."""
    ds = sim.dataset
    if sub == "conversion_tags":
        return {"items": conversion_tags(ds, account_id)}
    if sub == "keywords":
        groups = [req.query.get("ad_group_id", [""])[-1], *query_values(req.query, "ad_group_ids")]
        items = [k for g in groups if g for k in keywords(ds, g)] if any(groups) else []
        return paginate(items, req.query)
    builder = audiences if sub == "audiences" else customer_lists
    return paginate(builder(ds, account_id), req.query)


def targeting_values(ds: Dataset, account_id: str, kind: str) -> tuple:
    """The breakdown values of one targeting type in an account's reports: AUDIENCE_INCLUDE
    shows the retargeting and lookalike audiences and a customer list of the account."""
    if kind == "AUDIENCE_INCLUDE":
        found = audiences(ds, account_id)
        return (found[0]["id"], found[1]["id"], customer_lists(ds, account_id)[0]["id"])
    return TARGETING_VALUES[kind]


def metrics_ready_state(sim: Simulator, req: RecordedRequest) -> dict:
    """BookClosedResponse of `?date=` (the books clock: books.py)."""
    values = req.query.get("date")
    if not values or not values[-1]:
        raise bad_request("Missing required parameter: date")
    day = parse_date(values[-1], "date")
    return sim.dataset.books.ready_state(day)


def resource(sim: Simulator, req: RecordedRequest) -> tuple[int, object]:
    """GET /pins/{pin_id} and GET /resources/{targeting/{type},delivery_metrics,
    metrics_ready_state}."""
    path = req.path.removeprefix("/v5")
    if req.method != "GET":
        raise ApiError(405, 405, "Method not allowed.")
    if path == "/resources/metrics_ready_state":
        return 200, metrics_ready_state(sim, req)
    if path.startswith("/pins/"):
        account = req.query.get("ad_account_id", [None])[-1]
        found = pin(sim.dataset, path.removeprefix("/pins/"), account)
        if found is None:
            raise ApiError(404, 50, "Pin not found.")
        return 200, found
    if path.startswith("/resources/targeting/"):
        kind = path.removeprefix("/resources/targeting/")
        if kind not in TARGETING_OPTIONS:
            raise bad_request(f"Invalid targeting_type: {kind!r}")
        return 200, TARGETING_OPTIONS[kind]
    if path == "/resources/delivery_metrics":
        report_type = req.query.get("report_type", ["SYNC"])[-1]
        if report_type not in ("SYNC", "ASYNC"):
            raise bad_request(f"Invalid report_type: {report_type!r}")
        return 200, delivery_metrics()
    raise ApiError(404, 404, f"Resource not found: {req.path}")
