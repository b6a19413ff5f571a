"""The one base stream that owns HTTP: URL, auth, paging, retries and error policy."""

from __future__ import annotations

import logging
import re
import typing as t
from urllib.parse import urlsplit

import backoff
import requests
from singer_sdk.exceptions import FatalAPIError, RetriableAPIError

from tap_pinterest_ads import retry
from tap_pinterest_ads.errors import AccountAccessError, RateLimitError
from tap_pinterest_ads.listing import (
    BookmarkPaginator,
    endpoint,
    json_body,
    page_items,
    single_object,
)
from tap_pinterest_ads.sdk_compat import SYNC_ERROR_MESSAGE, SdkStream
from tap_pinterest_ads.typing_compat import override

if t.TYPE_CHECKING:
    from backoff.types import Details
    from singer_sdk.helpers.types import Context, Record

    from tap_pinterest_ads.auth import PinterestAuthenticator
    from tap_pinterest_ads.settings import Settings
    from tap_pinterest_ads.tap import TapPinterestAds

# The largest page Pinterest serves; its default (25) would cost ten times the requests.
PAGE_SIZE = 250
_ACCOUNT_IN_PATH = re.compile(r"/ad_accounts/(\d+)")


class PinterestStream(SdkStream):
    """Base for every Pinterest stream: cursor paging over `{"items": [...], "bookmark"}`."""

    records_jsonpath = "$.items[*]"
    next_page_token_jsonpath = "$.bookmark"  # noqa: S105 - a JSONPath, not a secret

    def __init__(self, tap: TapPinterestAds, **kwargs: t.Any) -> None:
        super().__init__(tap, **kwargs)
        #: The tap: its settings and what the run's streams share (token, redactor, isolation).
        self.tap = tap
        #: The table version singer-sdk announced at the start, held until the listing ends.
        self._held_version: int | None = None
        #: Ad accounts whose listing was skipped (`on_account_error: skip`): not complete.
        self._incomplete_accounts: list[str] = []

    @property
    def settings(self) -> Settings:
        """The tap's validated settings."""
        return self.tap.settings

    @property
    @override
    def url_base(self) -> str:
        """`api_url`, e.g. https://api.pinterest.com/v5 or a local simulator."""
        return self.settings.api_url

    @property
    @override
    def authenticator(self) -> PinterestAuthenticator:
        """The tap's single authenticator: one token request per run, not per stream."""
        return self.tap.authenticator

    @property
    @override
    def timeout(self) -> int:
        """Seconds before one request times out (and is retried)."""
        return self.settings.request_timeout

    @property
    @override
    def emit_activate_version_messages(self) -> bool:
        """On by default: targets then soft-delete entities that disappeared.

        Off for a run that skipped an ad account before any stream began
        (`on_account_error: skip`): that account's entities did not disappear.
        """
        skipped = self.tap.isolation.skipped_at_start
        return self.settings.emit_activate_version and not skipped

    # Listings ----------------------------------------------------------------------------

    @override
    def get_new_paginator(self) -> BookmarkPaginator:
        """The `bookmark` cursor, which stops at a bookmark already seen in the listing."""
        return BookmarkPaginator(self.next_page_token_jsonpath)

    @override
    def parse_response(self, response: requests.Response) -> t.Iterable[Record]:
        """The page's items, each with its key; a malformed page fails the stream here."""
        if self.records_jsonpath == "$.items[*]":
            return page_items(response, self.primary_keys or ())
        if self.records_jsonpath == "$":
            return [single_object(response, self.primary_keys or ())]
        return super().parse_response(response)

    @override
    def on_activate_version(self, version: int) -> None:
        """Hold the version: singer-sdk 0.54 announces it when the stream *starts*.

        A target soft-deletes every row older than the announced version, so announced at the
        start, a run that fails on page 2 leaves the rest of the table marked deleted until a
        later run succeeds. Records still carry the version; `announce_listed_version` sends
        it once every page of every account was read (the classic Singer order).
        """
        self._held_version = version

    def listing_incomplete(self, ad_account_id: str) -> None:
        """An account's listing was skipped: this run must not announce deletions."""
        self._incomplete_accounts.append(ad_account_id)

    def announce_listed_version(self) -> None:
        """ACTIVATE_VERSION for a listing read to its end (nothing when it was not)."""
        version, self._held_version = self._held_version, None
        if version is None:
            return
        if self._incomplete_accounts:
            self.logger.warning(
                "Not sending ACTIVATE_VERSION for stream '%s': the listing of ad account(s) %s "
                "was skipped, and their rows must not look deleted",
                self.name,
                ", ".join(self._incomplete_accounts),
            )
            return
        self.write_activate_version(version)

    @override
    def after_sync(self, context: Context | None) -> None:
        """Announce the versions of this stream and of its children.

        A child stream is synced once per parent record (per ad account): its listing is
        complete only when the parent's sync, which runs every child, returns.
        """
        if self.parent_stream_type is None:
            for stream in (self, *self.descendent_streams):
                if isinstance(stream, PinterestStream):
                    stream.announce_listed_version()

    @override
    def log(self, message: str, *args: t.Any, level: int = logging.INFO, **kwargs: t.Any) -> None:
        """singer-sdk's "An unhandled error occurred" ERROR says no more than the tap's own
        ERROR line that follows: kept, at INFO, so a failure reads as one line."""
        if level >= logging.ERROR and message.startswith(SYNC_ERROR_MESSAGE):
            message, level = "Sync of '%s' stopped by the error below", logging.INFO
        super().log(message, *args, level=level, **kwargs)

    @override
    def get_url_params(self, context: Context | None, next_page_token: t.Any) -> dict[str, t.Any]:
        """Page size and the `bookmark` cursor; streams add their own filters."""
        params: dict[str, t.Any] = {"page_size": PAGE_SIZE}
        if next_page_token:
            params["bookmark"] = next_page_token
        return params

    def request_json(
        self,
        method: str,
        path: str,
        *,
        params: dict[str, t.Any] | None = None,
        json: dict[str, t.Any] | None = None,
    ) -> t.Any:
        """One API call outside paging (report create and poll), with the same auth,
        retries and error policy as every list request."""
        request = self.build_prepared_request(
            method=method,
            url=f"{self.url_base}{path}",
            params=params,
            json=json,
            headers=self.http_headers,
        )
        return json_body(self.send(request))

    # Retries -----------------------------------------------------------------------------

    @override
    def request_decorator(self, func: t.Callable[..., t.Any]) -> t.Callable[..., t.Any]:
        """singer-sdk's retry decorator, without backoff's own log lines.

        backoff logs "Giving up _request(...) after N tries (…)" at ERROR with the full URL,
        query included (a report token, a bookmark); `backoff_handler` already logs each retry
        and the run's ERROR line explains the failure. Each attempt waits for its slot in
        the rate-limit budget of its category (pacing.py): a retry is a call too.
        """
        return backoff.on_exception(
            self.retry_waits,
            (  # singer-sdk 0.54's list
                ConnectionResetError,
                RetriableAPIError,
                requests.exceptions.Timeout,
                requests.exceptions.ConnectionError,
                requests.exceptions.ChunkedEncodingError,
                requests.exceptions.ContentDecodingError,
            ),
            max_tries=self.backoff_max_tries,
            on_backoff=self.backoff_handler,
            jitter=self.backoff_jitter,
            logger=None,
        )(self.tap.pacer.paced(func))

    @override
    def backoff_max_tries(self) -> int:
        """Attempts per request, from `max_retries`."""
        return self.settings.max_retries

    def retry_waits(self) -> t.Generator[float, BaseException, None]:
        """Waits that follow what Pinterest says ("Retry after N", Retry-After, and
        X-RateLimit-Reset on a 429), else 1, 2, 4 … s; backoff sends in each failure."""
        attempt = 0
        exception = yield 0.0  # backoff's priming send(None) takes this, not a wait
        while True:
            attempt += 1
            exception = yield retry.wait_seconds(
                exception, attempt, self.settings.max_rate_limit_wait
            )

    @override
    def backoff_jitter(self, value: float) -> float:
        """No jitter: the waits above are what the server asked for."""
        return value

    @override
    def backoff_handler(self, details: Details) -> None:
        """One log line per retry: what failed, how long we wait, which attempt."""
        exception = details.get("exception")
        self.logger.warning(
            "Retrying %s after %s: waiting %.1f s (attempt %d of %d)",
            self._endpoint(details),
            retry.describe(exception) if exception else "an error",
            details.get("wait", 0.0),
            details.get("tries", 0) + 1,
            self.backoff_max_tries(),
        )

    def _endpoint(self, details: Details) -> str:
        args = details.get("args") or ()
        request = args[0] if args else None
        url = getattr(request, "url", None)
        return urlsplit(url).path if url else self.path or self.name

    # Errors ------------------------------------------------------------------------------

    @override
    def validate_response(self, response: requests.Response) -> None:
        """Classify a response: fine, worth retrying, or fatal with a clear message."""
        status = response.status_code
        self.tap.pacer.observe_response(response)
        if status < 400:
            return
        message = self.response_error_message(response)
        if status == 401:
            self.authenticator.handle_unauthorized(response.request)
            raise RetriableAPIError(message, response)
        if status == 429:
            self._check_wait_allowed(response, message)
            raise RetriableAPIError(message, response)
        if status >= 500:
            raise RetriableAPIError(message, response)  # backs off, whatever the headers say
        if status == 400 and retry.is_retryable_400(response):
            self._check_wait_allowed(response, message)
            raise RetriableAPIError(message, response)
        account = _ACCOUNT_IN_PATH.search(urlsplit(response.url).path)
        if status in {403, 404} and account:
            detail = str(retry.error_body(response).get("message", response.reason))
            raise AccountAccessError(account.group(1), status, detail)
        raise FatalAPIError(message)

    def _check_wait_allowed(self, response: requests.Response, message: str) -> None:
        hint = retry.server_wait_hint(response)
        limit = self.settings.max_rate_limit_wait
        if hint is not None and hint > limit:
            msg = (
                f"{message}. Pinterest asks to wait {hint:.0f} s, longer than "
                f"max_rate_limit_wait_seconds={limit}: failing the run rather than "
                "skipping data; run again later or raise the setting"
            )
            raise RateLimitError(msg)

    @override
    def response_error_message(self, response: requests.Response) -> str:
        """Status, path (never the query string) and Pinterest's code and message."""
        body = retry.error_body(response)
        detail = body.get("message") or response.reason
        code = f" code {body['code']}" if "code" in body else ""
        request_id = response.headers.get("x-pinterest-rid")
        rid = f" [x-pinterest-rid {request_id}]" if request_id else ""
        text = f"HTTP {response.status_code}{code} from {endpoint(response)}: {str(detail)[:300]}"
        return self.tap.redactor(text + rid)
