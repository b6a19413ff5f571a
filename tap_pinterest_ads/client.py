"""The one base stream that owns HTTP: URL, auth, paging, retries and error policy."""

from __future__ import annotations

import re
import typing as t
from urllib.parse import urlsplit

from singer_sdk.exceptions import FatalAPIError, RetriableAPIError
from singer_sdk.streams import RESTStream

from tap_pinterest_ads import retry
from tap_pinterest_ads.errors import AccountAccessError, RateLimitError

if t.TYPE_CHECKING:
    import requests
    from backoff.types import Details

    from tap_pinterest_ads.auth import PinterestAuthenticator
    from tap_pinterest_ads.settings import Settings

# The largest page Pinterest serves; its default (25) would cost ten times the requests.
PAGE_SIZE = 250
_ACCOUNT_IN_PATH = re.compile(r"/ad_accounts/(\d+)")


class PinterestStream(RESTStream):
    """Base for every Pinterest stream: cursor paging over `{"items": [...], "bookmark"}`."""

    records_jsonpath = "$.items[*]"
    next_page_token_jsonpath = "$.bookmark"  # noqa: S105 - a JSONPath, not a secret

    @property
    def settings(self) -> Settings:
        """The tap's validated settings."""
        return self._tap.settings  # type: ignore[attr-defined]

    @property
    def url_base(self) -> str:
        """`api_url`, e.g. https://api.pinterest.com/v5 or a local simulator."""
        return self.settings.api_url

    @property
    def authenticator(self) -> PinterestAuthenticator:
        """The tap's single authenticator: one token request per run, not per stream."""
        return self._tap.authenticator  # type: ignore[attr-defined]

    @property
    def timeout(self) -> int:
        """Seconds before one request times out (and is retried)."""
        return self.settings.request_timeout

    @property
    def emit_activate_version_messages(self) -> bool:
        """On by default: targets then soft-delete entities that disappeared.

        Off for a run that skipped an ad account before any stream began
        (`on_account_error: skip`): that account's entities did not disappear.
        """
        skipped = self._tap.isolation.skipped_at_start  # type: ignore[attr-defined]
        return self.settings.emit_activate_version and not skipped

    def get_url_params(self, context: dict | None, next_page_token: t.Any) -> dict[str, t.Any]:
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
        response = self.request_decorator(self._request)(request, None)
        return response.json()

    # Retries -----------------------------------------------------------------------------

    def backoff_max_tries(self) -> int:
        """Attempts per request, from `max_retries`."""
        return self.settings.max_retries

    def backoff_wait_generator(self) -> t.Generator[float, BaseException, None]:
        """Waits that follow what Pinterest says (Retry-After, X-RateLimit-Reset, text)."""
        attempt = 0
        exception = yield  # type: ignore[misc]
        while True:
            attempt += 1
            exception = yield retry.wait_seconds(exception, attempt)

    def backoff_jitter(self, value: float) -> float:
        """No jitter: the waits above are what the server asked for."""
        return value

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

    def validate_response(self, response: requests.Response) -> None:
        """Classify a response: fine, worth retrying, or fatal with a clear message."""
        status = response.status_code
        if status < 400:
            return
        message = self.response_error_message(response)
        if status == 401:
            self.authenticator.handle_unauthorized(response.request)
            raise RetriableAPIError(message, response)
        if status == 429:
            self._check_wait_allowed(response, message)
            raise RetriableAPIError(message, response)
        if status >= 500 or (status == 400 and retry.is_retryable_400(response)):
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

    def response_error_message(self, response: requests.Response) -> str:
        """Status, path (never the query string) and Pinterest's code and message."""
        body = retry.error_body(response)
        detail = body.get("message") or response.reason
        code = f" code {body['code']}" if "code" in body else ""
        request_id = response.headers.get("x-pinterest-rid")
        suffix = f" [x-pinterest-rid {request_id}]" if request_id else ""
        method = response.request.method if response.request else "GET"
        text = (
            f"HTTP {response.status_code}{code} from {method} "
            f"{urlsplit(response.url).path}: {str(detail)[:300]}{suffix}"
        )
        return self._tap.redactor(text)  # type: ignore[attr-defined]
