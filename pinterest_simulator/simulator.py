"""The in-process simulator: owns the data set, tokens, faults, reports and the HTTP server."""

from __future__ import annotations

import threading
from pathlib import Path

from .auth import TokenStore
from .common import FAKE_CLIENT_ID, FAKE_CLIENT_SECRET, FAKE_REFRESH_TOKEN
from .dataset import Dataset
from .ratelimit import RESET_FORMATS, RateLimits
from .report_faults import ReportFaults
from .reports import ReportStore
from .requestlog import RequestLog
from .server import SimHTTPServer


class Simulator:
    """A local Pinterest Ads API v5 (see the package docstring for the endpoints).

    >>> with Simulator(Dataset(accounts=1)) as sim:   # doctest: +SKIP
    ...     requests.get(sim.base_url + "/ad_accounts", headers=...)
    """

    def __init__(
        self,
        dataset: Dataset | None = None,
        *,
        host: str = "127.0.0.1",
        port: int = 0,
        report_delay_seconds: float = 0.0,
        url_ttl_seconds: float = 300.0,
        report_ttl_seconds: float = 3600.0,
        client_id: str = FAKE_CLIENT_ID,
        client_secret: str = FAKE_CLIENT_SECRET,
        refresh_token: str = FAKE_REFRESH_TOKEN,
        access_token: str | None = None,
        access_token_expires_in: int = 2_592_000,
        refresh_grace_seconds: float | None = None,
        strict_rotation: bool = False,
        report_dir: str | Path | None = None,
        verbose: bool = False,
        ads_analytics_limit: int | None = None,
        rate_limit_window_seconds: float = 60.0,
    ):
        self.dataset = dataset or Dataset()
        self.host = host
        self.port = port
        self.verbose = verbose
        self.tokens = TokenStore(
            client_id=client_id,
            client_secret=client_secret,
            refresh_token=refresh_token,
            access_token=access_token,
            access_token_expires_in=access_token_expires_in,
            refresh_grace_seconds=refresh_grace_seconds,
            strict_rotation=strict_rotation,
        )
        self.faults = ReportFaults(self.tokens)
        self.requests = RequestLog()
        self.reports = ReportStore(
            self.dataset,
            Path(report_dir) if report_dir else None,
            report_delay_seconds,
            url_ttl_seconds,
            report_ttl_seconds,
            faults=self.faults,
        )
        #: Per-category rate limits per user and app (ratelimit.py); ads_analytics when given.
        self.rate_limits = RateLimits()
        if ads_analytics_limit is not None:
            self.rate_limits.configure(
                "ads_analytics", ads_analytics_limit, rate_limit_window_seconds
            )
        #: Most items a listing page holds, whatever `page_size` asks (None: as asked).
        self.max_page_size: int | None = None
        self._server: SimHTTPServer | None = None
        self._thread: threading.Thread | None = None

    # ------------------------------------------------------------------ lifecycle
    def start(self) -> Simulator:
        if self._server is not None:
            return self
        self._server = SimHTTPServer((self.host, self.port), self)
        self.port = self._server.server_address[1]
        self._thread = threading.Thread(
            target=self._server.serve_forever,
            kwargs={"poll_interval": 0.1},
            name=f"pinterest-simulator-{self.port}",
            daemon=True,
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None
        if self._thread is not None:
            self._thread.join(timeout=5)
            self._thread = None
        self.reports.close()

    def __enter__(self) -> Simulator:
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()

    # ------------------------------------------------------------------ accessors
    @property
    def root_url(self) -> str:
        return f"http://{self.host}:{self.port}"

    @property
    def base_url(self) -> str:
        """The tap's ``api_url``: ``http://127.0.0.1:PORT/v5``."""
        return f"{self.root_url}/v5"

    @property
    def token_url(self) -> str:
        return f"{self.base_url}/oauth/token"

    @property
    def current_refresh_token(self) -> str:
        return self.tokens.current_refresh_token

    @property
    def report_delay_seconds(self) -> float:
        return self.reports.delay

    @report_delay_seconds.setter
    def report_delay_seconds(self, value: float) -> None:
        self.reports.delay = float(value)

    @property
    def url_ttl_seconds(self) -> float:
        return self.reports.url_ttl

    @url_ttl_seconds.setter
    def url_ttl_seconds(self, value: float) -> None:
        self.reports.url_ttl = float(value)

    @property
    def strict_rotation(self) -> bool:
        return self.tokens.strict_rotation

    @strict_rotation.setter
    def strict_rotation(self, value: bool) -> None:
        self.tokens.strict_rotation = bool(value)

    def issue_access_token(self, expires_in: float | None = None) -> str:
        return self.tokens.issue_access_token(expires_in)

    def auth_headers(self) -> dict[str, str]:
        """Headers with a freshly minted bearer token (handy in tests)."""
        return {"Authorization": f"Bearer {self.issue_access_token()}"}

    def remove_entity(self, kind: str, entity_id: str) -> None:
        """The entity disappears from list/get endpoints; its metrics stay in reports."""
        self.dataset.remove_entity(kind, entity_id)

    def update_entity(self, kind: str, entity_id: str, **fields) -> dict:
        return self.dataset.update_entity(kind, entity_id, **fields)

    def apply_settings(self, **settings) -> dict:
        """Change settings at run time (also ``POST /_sim/settings``)."""
        setters = {
            "report_delay_seconds": lambda v: setattr(self.reports, "delay", float(v)),
            "url_ttl_seconds": lambda v: setattr(self.reports, "url_ttl", float(v)),
            "report_ttl_seconds": lambda v: setattr(self.reports, "report_ttl", float(v)),
            "strict_rotation": lambda v: setattr(self.tokens, "strict_rotation", bool(v)),
            "refresh_grace_seconds": lambda v: setattr(
                self.tokens, "refresh_grace_seconds", None if v is None else float(v)
            ),
            "access_token_expires_in": lambda v: setattr(
                self.tokens, "access_token_expires_in", int(v)
            ),
            "client_secret": lambda v: setattr(self.tokens, "client_secret", str(v)),
            "max_page_size": lambda v: setattr(
                self, "max_page_size", None if v is None else int(v)
            ),
            # {"ads_analytics": {"calls": 300, "window_seconds": 60}} ({"ads_read": None} lifts)
            "rate_limits": self._set_rate_limits,
            "rate_limit_reset_format": self._set_reset_format,
        }
        unknown = set(settings) - set(setters)
        if unknown:
            raise ValueError(f"unknown settings: {sorted(unknown)}")
        for name, value in settings.items():
            setters[name](value)
        return {
            "report_delay_seconds": self.reports.delay,
            "url_ttl_seconds": self.reports.url_ttl,
            "report_ttl_seconds": self.reports.report_ttl,
            "strict_rotation": self.tokens.strict_rotation,
            "refresh_grace_seconds": self.tokens.refresh_grace_seconds,
            "access_token_expires_in": self.tokens.access_token_expires_in,
            "max_page_size": self.max_page_size,
            "rate_limits": self.rate_limits.to_json(),
        }

    def _set_rate_limits(self, limits: dict) -> None:
        for name, spec in dict(limits).items():
            if spec is None:
                self.rate_limits.configure(name, None)
            else:
                self.rate_limits.configure(name, spec["calls"], spec.get("window_seconds", 60))

    def _set_reset_format(self, value: str) -> None:
        if value not in RESET_FORMATS:
            raise ValueError(f"rate_limit_reset_format must be one of {RESET_FORMATS}")
        self.rate_limits.reset_format = value
