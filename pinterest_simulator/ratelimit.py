"""Pinterest's per-category rate limits: calls per window, per user and app.

Pinterest documents a quota per rate-limit category (the spec's `x-ratelimit-category`), e.g.
`ads_analytics`: 300 calls per minute per user and app (Standard access), shared by report
creates and polls, the synchronous analytics and `metrics_ready_state`. Beyond it: 429 with
`{"code": 8, ...}`. The windows are fixed (they reset every `window_seconds`, counted from the
limiter's start), and every answer of a limited category carries `X-RateLimit-Limit`,
`X-RateLimit-Remaining` and `X-RateLimit-Reset` (seconds until the window resets). The spec
documents none of these headers: their format here is one guess, `reset_format` offers others.

The window is configurable so tests can scale 300 per 60 s down to, e.g., 300 per 3 s.
"""

from __future__ import annotations

import math
import re
import threading
import time
from dataclasses import dataclass, field
from email.utils import formatdate

from .common import ApiError

ADS_ANALYTICS = "ads_analytics"
ADS_READ = "ads_read"
# The spec's ads_analytics operations (§7.3 of the reference): reports, the synchronous and
# targeting analytics, template and MMM reports, and metrics_ready_state.
_ANALYTICS = re.compile(
    r"^/v5/(?:ad_accounts/[^/]+/(?:reports|analytics|targeting_analytics|mmm_reports"
    r"|reports/brand_category_sku|templates/[^/]+/reports"
    r"|(?:campaigns|ad_groups|ads|pins|product_groups)/(?:analytics|targeting_analytics))"
    r"|resources/metrics_ready_state)$"
)
RESET_FORMATS = ("seconds", "fractional", "epoch", "http-date")
RATE_LIMIT_MESSAGE = "This request exceeded a rate limit. Please retry later."


def category(path: str) -> str | None:
    """The rate-limit category of a `/v5` path: ads_analytics, ads_read, or None."""
    if _ANALYTICS.match(path):
        return ADS_ANALYTICS
    if path.startswith("/v5/ad_accounts"):
        return ADS_READ
    return None


@dataclass
class Limit:
    """`calls` per `window_seconds` for one category."""

    calls: int
    window_seconds: float = 60.0


@dataclass
class _Window:
    started: float
    used: int = 0


@dataclass
class RateLimits:
    """Per-category limits per user and app; `limits` maps a category to its `Limit`."""

    limits: dict[str, Limit] = field(default_factory=dict)
    reset_format: str = "seconds"
    rejected: int = 0  # 429s answered so far
    _origin: float = field(default_factory=time.monotonic)
    _windows: dict[tuple[str, str], _Window] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def configure(self, name: str, calls: int | None, window_seconds: float = 60.0) -> None:
        """Limit `name` to `calls` per `window_seconds`; `calls=None` lifts the limit."""
        with self._lock:
            if calls is None:
                self.limits.pop(name, None)
            else:
                if calls < 1 or window_seconds <= 0:
                    raise ValueError("a rate limit needs calls >= 1 and window_seconds > 0")
                self.limits[name] = Limit(int(calls), float(window_seconds))
            self._windows = {k: w for k, w in self._windows.items() if k[0] != name}

    def take(self, path: str, caller: str) -> dict[str, str]:
        """Count one call of `caller` (user and app) to `path`: the headers to answer with,
        or ApiError 429 code 8 (with the same headers) when the window's calls are spent."""
        name = category(path)
        with self._lock:
            limit = self.limits.get(name or "")
            if limit is None:
                return {}
            now = time.monotonic()
            # Fixed windows, aligned on the limiter's start: all callers' reset together.
            started = now - (now - self._origin) % limit.window_seconds
            window = self._windows.get((str(name), caller))
            if window is None or window.started != started:
                window = self._windows[(str(name), caller)] = _Window(started)
            allowed = window.used < limit.calls
            if allowed:
                window.used += 1
            else:
                self.rejected += 1
            reset = started + limit.window_seconds - now
            headers = {
                "X-RateLimit-Limit": str(limit.calls),
                "X-RateLimit-Remaining": str(limit.calls - window.used),
                "X-RateLimit-Reset": self._format_reset(reset),
            }
        if not allowed:
            raise ApiError(429, 8, RATE_LIMIT_MESSAGE, headers)
        return headers

    def _format_reset(self, seconds: float) -> str:
        if self.reset_format == "fractional":
            return f"{seconds:.3f}"
        if self.reset_format == "epoch":
            return str(math.ceil(time.time() + seconds))
        if self.reset_format == "http-date":
            return formatdate(math.ceil(time.time() + seconds), usegmt=True)
        return str(math.ceil(seconds))  # "seconds": whole seconds, rounded up

    def to_json(self) -> dict:
        with self._lock:
            return {
                "limits": {
                    name: {"calls": lim.calls, "window_seconds": lim.window_seconds}
                    for name, lim in self.limits.items()
                },
                "reset_format": self.reset_format,
                "rejected": self.rejected,
            }
