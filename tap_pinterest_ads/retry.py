"""How long to wait before retrying a Pinterest request, and which failures are worth it.

Pinterest says when to come back in three ways: a message such as "Retry after 5 seconds"
(report creation: code 2726 on a 429, 1 or 12 on a 400), `Retry-After` (seconds) and
`X-RateLimit-Reset` (seconds until the quota window resets; about 67,000 when a *daily*
quota is spent). The message is the most specific, so it comes first. `X-RateLimit-Reset`
describes the quota, not the failure: it counts only on a 429, never on a passing 5xx that
happens to carry it. A 5xx otherwise backs off exponentially.
"""

from __future__ import annotations

import math
import re
import typing as t

if t.TYPE_CHECKING:
    import requests

_RETRY_AFTER_TEXT = re.compile(r"[Rr]etry after (\d+(?:\.\d+)?) seconds?")
# 400s that Pinterest documents as "try again" rather than "your request is wrong".
_RETRYABLE_400_CODES = {1, 12}
MAX_EXPONENTIAL_WAIT = 60.0


def error_body(response: requests.Response) -> dict[str, t.Any]:
    """The `{code, message}` error object, or an empty dict when the body is not JSON."""
    try:
        body = response.json()
    except ValueError:
        return {}
    return body if isinstance(body, dict) else {}


def server_wait_hint(response: requests.Response) -> float | None:
    """Seconds the server asked us to wait, if it said so (see the module docstring)."""
    match = _RETRY_AFTER_TEXT.search(str(error_body(response).get("message", "")))
    if match:
        return float(match.group(1))
    headers = (
        ("Retry-After", "X-RateLimit-Reset") if response.status_code == 429 else ("Retry-After",)
    )
    for header in headers:
        value = response.headers.get(header)
        if value is not None:
            try:
                seconds = float(value)
            except ValueError:
                continue
            if math.isfinite(seconds):
                return max(seconds, 0.0)
    return None


def is_retryable_400(response: requests.Response) -> bool:
    """A 400 that means "later", not "wrong" (report-creation cost limits, code 12)."""
    body = error_body(response)
    if body.get("code") == 12:
        return True
    return body.get("code") in _RETRYABLE_400_CODES and bool(
        _RETRY_AFTER_TEXT.search(str(body.get("message", "")))
    )


def wait_seconds(exception: BaseException, attempt: int, limit: float = math.inf) -> float:
    """The wait before retry number `attempt` (1-based) after `exception`.

    A 5xx asking for more than `limit` (`max_rate_limit_wait_seconds`) backs off
    exponentially instead: a server error is no reason to fail the run at once.
    """
    response = getattr(exception, "response", None)
    if response is not None:
        if response.status_code == 401:
            return 0.0  # the authenticator already refreshed the token
        hint = server_wait_hint(response)
        if hint is not None and (hint <= limit or response.status_code < 500):
            return hint
    return min(2.0 ** (attempt - 1), MAX_EXPONENTIAL_WAIT)


def describe(exception: BaseException) -> str:
    """A short reason for a retry log line, e.g. `HTTP 429 (code 8)` or `ReadTimeout`."""
    response = getattr(exception, "response", None)
    if response is None:
        return type(exception).__name__
    code = error_body(response).get("code")
    return f"HTTP {response.status_code}" + (f" (code {code})" if code is not None else "")
