"""Pacing: spend Pinterest's rate-limit budget evenly instead of running into 429s.

Pinterest counts calls per rate-limit category, per user and app. `ads_analytics` (report
creates and polls, the synchronous analytics, `metrics_ready_state`) allows 300 calls per minute
at Standard access, and every run sharing one app shares it: `analytics_requests_per_minute` is
this run's share. Calls of that category are spaced evenly at that rate, less a little headroom
(HEADROOM) because the server counts arrivals, which network jitter moves closer together than
the sends were.

Pinterest may also say what is left: `X-RateLimit-Remaining` and `X-RateLimit-Reset` (not in the
spec, so read defensively: absent, garbled, seconds, a timestamp or an HTTP date). When an answer
says nothing remains, calls of its category wait for the reset: other runs or tools may be
spending the same budget. A reset further away than `max_rate_limit_wait_seconds` (a daily quota
spent) is not waited for here: the 429 that follows fails the run with its clear message.
"""

from __future__ import annotations

import datetime as dt
import email.utils
import logging
import math
import re
import threading
import time
import typing as t
from dataclasses import dataclass
from urllib.parse import urlsplit

if t.TYPE_CHECKING:
    from collections.abc import Callable, Mapping

ADS_ANALYTICS = "ads_analytics"
ADS_READ = "ads_read"
HEADROOM = 0.98
# The spec's ads_analytics operations (x-ratelimit-category), by the end of their path.
_ANALYTICS = re.compile(
    r"/ad_accounts/[^/]+/(?:reports|analytics|targeting_analytics|mmm_reports"
    r"|reports/brand_category_sku|templates/[^/]+/reports"
    r"|(?:campaigns|ad_groups|ads|pins|product_groups)/(?:analytics|targeting_analytics))$"
    r"|/resources/metrics_ready_state$"
)
_FIRST_SEGMENT = re.compile(r"/v5/([^/]+)")
# Above these, X-RateLimit-Reset is a point in time (epoch seconds or milliseconds).
_EPOCH_SECONDS = 1e9
_EPOCH_MILLISECONDS = 1e12

LOGGER = logging.getLogger(__name__)


def category(path: str) -> str:
    """The rate-limit category of a URL path: ads_analytics, ads_read, or the path's first
    segment for the rest (whose headers then only hold back calls to the same place)."""
    if _ANALYTICS.search(path):
        return ADS_ANALYTICS
    if "/ad_accounts" in path:
        return ADS_READ
    first = _FIRST_SEGMENT.search(path)
    return first.group(1) if first else path


def remaining_calls(headers: Mapping[str, str]) -> int | None:
    """`X-RateLimit-Remaining` as a whole number, or None when absent or not a number."""
    value = headers.get("X-RateLimit-Remaining")
    try:
        number = float(str(value).strip())
    except ValueError:
        return None
    return math.floor(number) if math.isfinite(number) else None


def reset_seconds(headers: Mapping[str, str], now: float) -> float | None:
    """Seconds until `X-RateLimit-Reset` (`now` in epoch seconds), whatever its format:
    seconds, epoch seconds or milliseconds, an HTTP date or an ISO date-time."""
    value = headers.get("X-RateLimit-Reset")
    if value is None:
        return None
    text = str(value).strip()
    try:
        number = float(text)
    except ValueError:
        moment = _moment(text)
        return None if moment is None else max(moment - now, 0.0)
    if not math.isfinite(number):
        return None
    if number >= _EPOCH_MILLISECONDS:
        number = number / 1000 - now
    elif number >= _EPOCH_SECONDS:
        number -= now
    return max(number, 0.0)


def _moment(text: str) -> float | None:
    try:
        when = email.utils.parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError):
        try:
            when = dt.datetime.fromisoformat(text.replace("Z", "+00:00"))
        except ValueError:
            return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=dt.timezone.utc)
    return when.timestamp()


@dataclass
class _Budget:
    interval: float = 0.0  # seconds between two calls; 0: not paced by rate
    next_call: float = 0.0  # monotonic time of the next free slot
    hold_until: float = 0.0  # the server said nothing remains until then
    calls: int = 0
    refused: int = 0  # 429s
    waited: float = 0.0


class Pacer:
    """Spaces calls per category; shared by every stream of a run (thread-safe)."""

    def __init__(
        self,
        analytics_per_minute: int,
        *,
        max_wait: float,
        monotonic: Callable[[], float] = time.monotonic,
        wall_clock: Callable[[], float] = time.time,
        sleep: Callable[[float], None] = time.sleep,
        logger: logging.Logger | None = None,
    ) -> None:
        self._max_wait = max_wait
        self._monotonic = monotonic
        self._wall_clock = wall_clock
        self._sleep = sleep
        self._log = logger or LOGGER
        self._lock = threading.Lock()
        self.analytics_per_minute = analytics_per_minute
        self._budgets = {ADS_ANALYTICS: _Budget(60.0 / (analytics_per_minute * HEADROOM))}

    def _budget(self, name: str) -> _Budget:
        return self._budgets.setdefault(name, _Budget())

    def before(self, name: str) -> float:
        """Wait for the category's next free slot and take it; the seconds waited."""
        with self._lock:
            budget = self._budget(name)
            now = self._monotonic()
            start = max(now, budget.next_call, budget.hold_until)
            budget.next_call = start + budget.interval
            budget.calls += 1
            wait = start - now
            budget.waited += wait
        if wait > 0:
            self._sleep(wait)
        return wait

    def observe(self, name: str, status: int, headers: Mapping[str, str]) -> None:
        """Read an answer of the category: a 429, and what the server says is left."""
        remaining = remaining_calls(headers)
        reset = reset_seconds(headers, self._wall_clock())
        with self._lock:
            budget = self._budget(name)
            if status == 429:
                budget.refused += 1
            if remaining is None or remaining > 0 or reset is None or reset > self._max_wait:
                return
            budget.hold_until = max(budget.hold_until, self._monotonic() + reset)
        self._log.info(
            "Pinterest says the %s budget is spent for %.1f s: its calls wait", name, reset
        )

    def paced(self, send: Callable[..., t.Any]) -> Callable[..., t.Any]:
        """`send(request, …)` that first waits for the slot of the request's category."""

        def paced_send(request: t.Any, *args: t.Any) -> t.Any:
            self.before(category(urlsplit(request.url or "").path))
            return send(request, *args)

        return paced_send

    def observe_response(self, response: t.Any) -> None:
        """`observe` a `requests.Response`: its category is its request's path."""
        url = response.request.url or response.url or ""
        self.observe(category(urlsplit(url).path), response.status_code, response.headers)

    def summary(self) -> str:
        """One line: calls, 429s and time spent waiting, per category that was paced or held."""
        with self._lock:
            parts = [
                f"{name} {b.calls} calls, {b.refused} answered 429, waited {b.waited:.1f} s"
                for name, b in self._budgets.items()
                if (b.calls or b.refused) and (b.interval or b.waited or b.refused)
            ]
        return "; ".join(parts)
