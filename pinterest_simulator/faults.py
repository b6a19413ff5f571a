"""Fault switches, consumed thread-safely.

A fault matches requests by ``path`` (regex searched in the URL path, query excluded) and
optionally ``method``; it fires ``times`` times (``None``, JSON ``null`` or ``"always"`` = every
time).  The JSON spec accepted by ``Faults.add`` and ``POST /_sim/faults`` is one object, a list
of objects or ``{"faults": [...]}``::

    {"kind": "http_error", "path": "/reports$", "method": "POST", "status": 429,
     "headers": {"Retry-After": "1"}, "body": {"code": 8, "message": "..."}, "times": 2}
    {"kind": "drop_connection", "path": "/campaigns", "times": 1}
    {"kind": "delay", "path": "/ads", "seconds": 3, "times": 1}
    {"kind": "report_status", "status": "FAILED", "times": 1}
    {"kind": "expire_download", "times": 1}
    {"kind": "truncate_download", "fraction": 0.5, "times": 1}
    {"kind": "corrupt_download", "times": 1}
    {"kind": "revoke_access_token"}
    {"kind": "revoke_refresh_tokens"}
    {"kind": "forbidden_accounts", "ids": ["549755000123"]}
    {"kind": "listing_page", "path": "/campaigns$", "mode": "null_items", "on_page": "later"}
    {"kind": "http_error", "path": "/oauth/token$", "status": 200, "body": "<html>…</html>",
     "content_type": "text/html"}

``listing_page`` modes and ``on_page`` are described in pages.py.
"""

from __future__ import annotations

import re
import threading
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from . import pages

if TYPE_CHECKING:
    from .auth import TokenStore

REQUEST_KINDS = ("http_error", "drop_connection", "delay")
DOWNLOAD_KINDS = ("expire_download", "truncate_download", "corrupt_download")
REPORT_STATUSES = ("FAILED", "EXPIRED", "CANCELLED", "DOES_NOT_EXIST", "IN_PROGRESS")
DOWNLOAD_PATH = r"^/_files/"
REPORTS_PATH = r"/ad_accounts/\d+/reports$"

DEFAULT_BODIES = {
    429: {"code": 8, "message": "This request exceeded a rate limit. Please retry later."},
    500: {"code": 1000, "message": "Internal server error."},
    502: {"code": 1000, "message": "Bad gateway."},
    503: {"code": 1000, "message": "Service unavailable."},
    504: {"code": 1000, "message": "Gateway timeout."},
}


@dataclass
class Fault:
    kind: str
    path: str = ".*"
    method: str | None = None
    times: int | None = 1
    status: int | str | None = None
    body: dict | list | str | None = None
    headers: dict = field(default_factory=dict)
    seconds: float = 0.0
    fraction: float = 0.5
    fired: int = 0
    #: listing_page: what is wrong with the page, and which pages (pages.py)
    mode: str | None = None
    on_page: str | None = None
    #: http_error: the Content-Type of the body (default JSON)
    content_type: str | None = None

    def __post_init__(self):
        if self.times in ("always", -1):
            self.times = None
        self._regex = re.compile(self.path)
        if self.method:
            self.method = self.method.upper()

    @property
    def remaining(self) -> int | None:
        return None if self.times is None else max(self.times - self.fired, 0)

    def matches(self, method: str, path: str) -> bool:
        if self.times is not None and self.fired >= self.times:
            return False
        if self.method and self.method != method.upper():
            return False
        return self._regex.search(path) is not None

    def to_json(self) -> dict:
        out = {
            "kind": self.kind,
            "path": self.path,
            "method": self.method,
            "times": self.times,
            "fired": self.fired,
            "remaining": self.remaining,
        }
        if self.kind == "http_error":
            out.update(status=self.status, body=self.body, headers=self.headers)
            if self.content_type:
                out["content_type"] = self.content_type
        elif self.kind == "listing_page":
            out.update(mode=self.mode, on_page=self.on_page)
        elif self.kind == "delay":
            out["seconds"] = self.seconds
        elif self.kind == "report_status":
            out["status"] = self.status
        elif self.kind == "truncate_download":
            out["fraction"] = self.fraction
        return out


class Faults:
    def __init__(self, tokens: TokenStore):
        self._tokens = tokens
        self._lock = threading.Lock()
        self._faults: list[Fault] = []
        #: ad account ids whose endpoints answer 403 (code 29)
        self.forbidden_accounts: set[str] = set()

    # ------------------------------------------------------------ registering
    def _register(self, fault: Fault) -> Fault:
        with self._lock:
            self._faults.append(fault)
        return fault

    def http_error(
        self,
        path: str,
        status: int,
        *,
        body=None,
        headers=None,
        times=1,
        method=None,
        content_type: str | None = None,
    ):
        """Answer ``status`` with ``body`` (a 200 too: e.g. an HTML page with content_type)."""
        if body is None:
            body = DEFAULT_BODIES.get(status, {"code": status, "message": f"HTTP {status}"})
        fault = Fault("http_error", path, method, times, status, body, dict(headers or {}))
        fault.content_type = content_type
        return self._register(fault)

    def listing_page(self, path: str, mode: str, *, on_page: str | None = None, times=1):
        """Serve a malformed or looping listing page (modes in pages.py)."""
        if mode not in pages.MODES:
            raise ValueError(f"listing_page mode must be one of {pages.MODES}")
        if on_page not in pages.PAGES:
            raise ValueError(f"on_page must be one of {pages.PAGES}")
        return self._register(Fault("listing_page", path, "GET", times, mode=mode, on_page=on_page))

    def drop_connection(self, path: str = ".*", times=1, method=None) -> Fault:
        return self._register(Fault("drop_connection", path, method, times))

    def delay(self, path: str, seconds: float, times=1, method=None) -> Fault:
        return self._register(Fault("delay", path, method, times, seconds=float(seconds)))

    def report_status(self, status: str, times=1, path: str = REPORTS_PATH) -> Fault:
        if status not in REPORT_STATUSES:
            raise ValueError(f"report_status must be one of {REPORT_STATUSES}")
        return self._register(Fault("report_status", path, "GET", times, status=status))

    def expire_download(self, times=1, path: str = DOWNLOAD_PATH) -> Fault:
        return self._register(Fault("expire_download", path, "GET", times))

    def truncate_download(self, times=1, fraction: float = 0.5, path: str = DOWNLOAD_PATH):
        if not 0 <= fraction < 1:
            raise ValueError("fraction must be in [0, 1)")
        return self._register(Fault("truncate_download", path, "GET", times, fraction=fraction))

    def corrupt_download(self, times=1, path: str = DOWNLOAD_PATH) -> Fault:
        return self._register(Fault("corrupt_download", path, "GET", times))

    def revoke_access_token(self) -> int:
        """All access tokens issued so far (and the static one) answer 401 from now on."""
        return self._tokens.revoke_access_tokens()

    def revoke_refresh_tokens(self) -> int:
        return self._tokens.revoke_refresh_tokens()

    def add(self, spec: dict | list) -> list[Fault]:
        """Register faults from the JSON spec (see module docstring)."""
        specs = spec.get("faults", [spec]) if isinstance(spec, dict) else spec
        out: list[Fault] = []
        for item in specs:
            args = dict(item)
            kind = args.pop("kind", None)
            if kind == "revoke_access_token":
                self.revoke_access_token()
            elif kind == "revoke_refresh_tokens":
                self.revoke_refresh_tokens()
            elif kind == "forbidden_accounts":
                self.forbidden_accounts.update(str(i) for i in args.get("ids", []))
            elif kind in (
                "http_error",
                "drop_connection",
                "delay",
                "report_status",
                "expire_download",
                "truncate_download",
                "corrupt_download",
                "listing_page",
            ):
                out.append(getattr(self, kind)(**args))
            else:
                raise ValueError(f"unknown fault kind {kind!r}")
        return out

    def clear(self) -> None:
        """Remove every pending fault and forbidden account (revocations stay)."""
        with self._lock:
            self._faults.clear()
            self.forbidden_accounts.clear()

    # ------------------------------------------------------------ consuming
    def take(
        self, kinds: tuple[str, ...] | str, method: str, path: str, accept=None
    ) -> Fault | None:
        """Consume and return the first pending fault of ``kinds`` matching the request
        (and ``accept(fault)``, when given)."""
        kinds = (kinds,) if isinstance(kinds, str) else kinds
        with self._lock:
            for fault in self._faults:
                if (
                    fault.kind in kinds
                    and fault.matches(method, path)
                    and (accept is None or accept(fault))
                ):
                    fault.fired += 1
                    return fault
        return None

    def active(self) -> list[Fault]:
        with self._lock:
            return [f for f in self._faults if f.remaining is None or f.remaining > 0]

    def all(self) -> list[Fault]:
        with self._lock:
            return list(self._faults)

    def to_json(self) -> dict:
        return {
            "faults": [f.to_json() for f in self.all()],
            "forbidden_accounts": sorted(self.forbidden_accounts),
        }
