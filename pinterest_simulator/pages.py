"""Listing pages the way a misbehaving API could serve them (the ``listing_page`` fault) and
a server-side cap on the page size (``Simulator.max_page_size``).

Modes of ``faults.listing_page(path, mode, on_page=None, times=1)``:

* ``null_items``: ``{"items": null, "bookmark": <the real next bookmark>}``
* ``items_not_list``: ``"items"`` is an object instead of a list
* ``item_without_id``: the first item of the page has no ``id``
* ``lone_surrogate``: the first item's ``name`` ends in ``"\\ud800"`` (valid JSON, but no
  UTF-8 encoder accepts the decoded text)
* ``repeat_bookmark``: the page's bookmark is a fixed one, so the second page repeats it
* ``alternate_bookmarks``: bookmarks alternate between two fixed values, A, B, A, B, …

``on_page``: ``"first"`` (a request without a bookmark), ``"later"`` (a request with one) or
``None`` (every page). The two looping modes answer their own bookmarks with the listing's
first page again, so give them ``times=None``.
"""

from __future__ import annotations

import dataclasses
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .faults import Fault
    from .requestlog import RecordedRequest

MODES = (
    "null_items",
    "items_not_list",
    "item_without_id",
    "lone_surrogate",
    "repeat_bookmark",
    "alternate_bookmarks",
)
PAGES = ("first", "later", None)
# Two bookmarks only these faults hand out (base64 of "sim-loop-a" / "sim-loop-b").
LOOP_BOOKMARKS = ("c2ltLWxvb3AtYQ", "c2ltLWxvb3AtYg")


def bookmark_of(record: RecordedRequest) -> str:
    return record.query.get("bookmark", [""])[-1]


def on_this_page(fault: Fault, record: RecordedRequest) -> bool:
    """Whether a ``listing_page`` fault's ``on_page`` covers this request."""
    if fault.on_page is None:
        return True
    return (fault.on_page == "later") == bool(bookmark_of(record))


def prepare(record: RecordedRequest, max_page_size: int | None) -> RecordedRequest:
    """The request the API routes see: page size capped, a loop fault's bookmark removed."""
    query = dict(record.query)
    if bookmark_of(record) in LOOP_BOOKMARKS:
        query.pop("bookmark")
    if max_page_size is not None and "page_size" in query:
        try:
            asked = int(query["page_size"][-1])
        except ValueError:
            asked = None  # the route answers 400 for it
        if asked is not None and asked > max_page_size:
            query["page_size"] = [str(max_page_size)]
    if query == record.query:
        return record
    return dataclasses.replace(record, query=query)


def mutate(fault: Fault, record: RecordedRequest, page: object) -> object:
    """The page as the fault serves it (a non-listing answer is left alone)."""
    if not isinstance(page, dict) or not isinstance(page.get("items"), list):
        return page
    page = dict(page)
    items = [dict(item) for item in page["items"]]
    mode = fault.mode
    if mode == "null_items":
        page["items"] = None
    elif mode == "items_not_list":
        page["items"] = {"0": items[0] if items else {}}
    elif mode == "item_without_id" and items:
        items[0].pop("id", None)
        page["items"] = items
    elif mode == "lone_surrogate" and items:
        items[0]["name"] = f"{items[0].get('name') or ''}\ud800"
        page["items"] = items
    elif mode == "repeat_bookmark":
        page["bookmark"] = LOOP_BOOKMARKS[0]
    elif mode == "alternate_bookmarks":
        page["bookmark"] = LOOP_BOOKMARKS[bookmark_of(record) == LOOP_BOOKMARKS[0]]
    return page
