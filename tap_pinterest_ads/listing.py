"""What a listing page must hold before its items count, and when a listing has ended.

A full-table stream tells the target, with ACTIVATE_VERSION, that every row it did not send
again is gone. That is only true of a listing read to its last page, so a page that cannot be
read as `{"items": [...], "bookmark": ...}` with every item carrying its key stops the stream
there: a page of `"items": null` must not read as "no campaigns any more". A listing whose
bookmark comes back (the same one twice, or two that alternate) would never end; it stops at
the first bookmark already seen in that listing.
"""

from __future__ import annotations

import typing as t
from urllib.parse import urlsplit

from singer_sdk.exceptions import FatalAPIError
from singer_sdk.pagination import JSONPathPaginator

from tap_pinterest_ads.typing_compat import override

if t.TYPE_CHECKING:
    from collections.abc import Sequence

    import requests

_STOPS = "the stream stops before it announces any deletion"


class MalformedAnswerError(FatalAPIError):
    """An answer that cannot be trusted: not JSON, or a listing page that is not one."""


def endpoint(response: requests.Response) -> str:
    """`GET /v5/ad_accounts/1/campaigns`: method and path, never the query (bookmarks, tokens)."""
    method = response.request.method if response.request is not None else "GET"
    return f"{method} {urlsplit(response.url).path}"


def _malformed(response: requests.Response, problem: str) -> MalformedAnswerError:
    return MalformedAnswerError(
        f"{endpoint(response)} answered a malformed page ({problem}): {_STOPS}"
    )


def _kind(value: object) -> str:
    if value is None:
        return "null"
    return {dict: "an object", list: "a list", str: "a string", bool: "a boolean"}.get(
        type(value), "a number" if isinstance(value, (int, float)) else type(value).__name__
    )


def json_body(response: requests.Response) -> object:
    """The decoded body of a successful answer; one line naming the endpoint when it is not JSON."""
    try:
        return response.json()
    except ValueError:
        content_type = response.headers.get("Content-Type", "no content type")
        msg = (
            f"{endpoint(response)} answered HTTP {response.status_code} with a body that is not "
            f"JSON ({content_type}); check api_url"
        )
        raise MalformedAnswerError(msg) from None


def _check_keys(
    response: requests.Response, item: object, keys: Sequence[str], where: str
) -> dict[str, t.Any]:
    if not isinstance(item, dict):
        raise _malformed(response, f"{where} is {_kind(item)}, not an object")
    missing = [key for key in keys if item.get(key) in (None, "")]
    if missing:
        raise _malformed(response, f"{where} has no {', '.join(repr(k) for k in missing)}")
    return item


def page_items(response: requests.Response, keys: Sequence[str]) -> list[dict[str, t.Any]]:
    """The items of one `{"items": [...], "bookmark": ...}` page, each with its key fields."""
    body = json_body(response)
    if not isinstance(body, dict):
        raise _malformed(response, f"the page is {_kind(body)}, not an object")
    items = body.get("items")
    if not isinstance(items, list):
        raise _malformed(response, f'"items" is {_kind(items)}, not a list')
    for index, item in enumerate(items, start=1):
        _check_keys(response, item, keys, f"item {index} of {len(items)}")
    return items


def single_object(response: requests.Response, keys: Sequence[str]) -> dict[str, t.Any]:
    """An answer that is one object (e.g. `GET /ad_accounts/{id}`), with its key fields."""
    return _check_keys(response, json_body(response), keys, "the answer")


class BookmarkPaginator(JSONPathPaginator):
    """Pinterest's `bookmark` cursor, refusing a bookmark already seen in the same listing."""

    def __init__(self, jsonpath: str) -> None:
        super().__init__(jsonpath)
        self._seen: set[str] = set()

    @override
    def get_next(self, response: requests.Response) -> str | None:
        """The next page's bookmark; null or absent ends the listing."""
        bookmark = super().get_next(response)
        if bookmark in (None, ""):
            return None
        if not isinstance(bookmark, str):
            raise _malformed(response, f'"bookmark" is {_kind(bookmark)}, not a string')
        if bookmark in self._seen:
            raise MalformedAnswerError(
                f"{endpoint(response)} sent a page bookmark it had already sent in this listing "
                f"(after {len(self._seen) + 1} pages): the listing would never end, so {_STOPS}"
            )
        self._seen.add(bookmark)
        return bookmark

    @override
    def continue_if_empty(self, response: requests.Response) -> bool:
        """An empty page that still carries a bookmark is not the end of the listing."""
        return True
