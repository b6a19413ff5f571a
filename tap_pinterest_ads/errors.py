"""Errors the tap reports to its user as one clear line, without a traceback."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

import requests
from singer_sdk.exceptions import FatalAPIError, RetriableAPIError

from tap_pinterest_ads.redaction import without_url_queries
from tap_pinterest_ads.reports import ReportError


class TapError(Exception):
    """A failure the user can act on; its message is the whole story."""


class AuthError(TapError):
    """Pinterest refused our credentials (client secret, refresh token or access token)."""


class EntityValueError(TapError):
    """A field of an API record that cannot be what its schema says (the API's mistake)."""

    _EXPECTED = {
        "epoch_to_iso": "a time in epoch seconds",
        "micro_to_amount": "an amount in micro-units",
        "epoch_millis_to_iso": "a time in epoch milliseconds",
    }

    def __init__(
        self, stream: str, record_id: object, field: str, value: object, conversion: str
    ) -> None:
        expected = self._EXPECTED.get(conversion, "a valid value")
        shown = repr(value)
        shown = shown if len(shown) <= 80 else f"{shown[:77]}..."
        super().__init__(
            f"stream '{stream}', record id {record_id!s}: field {field} is {shown}, which is "
            f"not {expected}; Pinterest sent a value the tap cannot convert"
        )


class AccountAccessError(FatalAPIError):
    """An ad account the token cannot read (HTTP 403/404)."""

    def __init__(self, ad_account_id: str, status: int, detail: str) -> None:
        self.ad_account_id = ad_account_id
        super().__init__(
            f"ad account {ad_account_id} is not accessible with these credentials "
            f"(HTTP {status}: {detail}). Check the advertiser_ids setting and that the "
            "authorizing user has an Owner, Admin, Analyst or Campaign Manager role on it."
        )


class RateLimitError(FatalAPIError):
    """Pinterest asked us to wait longer than the user allows."""


class AccountError(TapError):
    """A failure confined to one ad account; the message starts with `ad account <id>: `."""

    def __init__(self, ad_account_id: str, cause: BaseException) -> None:
        self.ad_account_id = ad_account_id
        super().__init__(f"ad account {ad_account_id}: {cause}")


def is_account_scoped(exc: BaseException) -> bool:
    """Whether a failure concerns one ad account only, so `on_account_error: skip` may skip it.

    Credentials are per run, rate limits per user and app (code 8 included) and a network
    failure per host: skipping the account would only skip every account in turn, or worse
    skip data silently, so those always fail the run. What remains is the account's own
    HTTP answers (403/404, a rejected request, 5xx after every retry) and its reports (failed,
    not ready by the deadline, not downloadable).
    """
    if isinstance(exc, (AuthError, RateLimitError)):
        return False
    if isinstance(exc, RetriableAPIError):
        response = exc.response
        return response is not None and response.status_code not in {401, 429}
    return isinstance(exc, (FatalAPIError, ReportError))


_OS_REASON = re.compile(r"\[Errno -?\d+\] [^'\"()]*[^'\"()\s]")


def explain(exc: BaseException) -> str:
    """The one line an explained failure is reported with.

    A network failure names the method, the URL without its query and the operating
    system's reason, instead of urllib3's `Max retries exceeded with url: …?token=…`.
    """
    if isinstance(exc, requests.RequestException) and not isinstance(exc, requests.HTTPError):
        request = exc.request
        where = ""
        if request is not None and request.url:
            parts = urlsplit(request.url)
            where = f" on {request.method} {parts.scheme}://{parts.netloc}{parts.path}"
        reason = _OS_REASON.search(str(exc))
        detail = reason.group(0) if reason else type(exc).__name__
        return without_url_queries(
            f"network failure{where}: {detail}; check api_url and the network"
        )
    return without_url_queries(str(exc)) if isinstance(exc, requests.RequestException) else str(exc)
