"""Query parameters and cursor paging shared by every listing route (api.py, lookups.py)."""

from __future__ import annotations

import base64
import binascii
import json

from .common import bad_request

Query = dict[str, list[str]]


def query_values(query: Query, name: str) -> list[str]:
    """Array query parameter: repeated keys and/or comma-joined values."""
    out: list[str] = []
    for raw in query.get(name, []):
        out.extend(v.strip() for v in raw.split(",") if v.strip())
    return out


def _page_size(query: Query) -> int:
    raw = query.get("page_size", ["25"])[-1]
    try:
        size = int(raw)
    except ValueError:
        raise bad_request(f"Invalid page_size: {raw!r}") from None
    if not 1 <= size <= 250:
        raise bad_request(f"page_size must be between 1 and 250, got {size}.")
    return size


def _encode_bookmark(last_id: str) -> str:
    raw = json.dumps({"v": 1, "after": last_id}).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def _decode_bookmark(bookmark: str) -> str:
    try:
        data = json.loads(base64.urlsafe_b64decode(bookmark + "=" * (-len(bookmark) % 4)))
        return str(int(data["after"]))
    except (binascii.Error, ValueError, KeyError, TypeError):
        raise bad_request("Invalid bookmark.") from None


def paginate(items: list[dict], query: Query) -> dict:
    size = _page_size(query)
    order = query.get("order", ["ASCENDING"])[-1]
    if order not in ("ASCENDING", "DESCENDING"):
        raise bad_request(f"Invalid order: {order!r}")
    desc = order == "DESCENDING"
    items = sorted(items, key=lambda e: int(e["id"]), reverse=desc)
    bookmark = query.get("bookmark", [""])[-1]
    if bookmark:
        after = int(_decode_bookmark(bookmark))
        items = [e for e in items if (int(e["id"]) < after if desc else int(e["id"]) > after)]
    page = items[:size]
    more = len(items) > size
    return {"items": page, "bookmark": _encode_bookmark(page[-1]["id"]) if more else None}
