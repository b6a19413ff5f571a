"""What one asynchronous report asks for, and the ports the report engine talks through."""

from __future__ import annotations

import dataclasses
import time
from dataclasses import dataclass
from datetime import date
from typing import Any, Protocol

from tap_pinterest_ads.conventions import Attribution
from tap_pinterest_ads.reports.windows import Window


class ReportApi(Protocol):
    """The two report endpoints, called through the tap's authenticated, retrying session."""

    def create_report(self, ad_account_id: str, body: dict[str, Any]) -> dict[str, Any]:
        """POST /ad_accounts/{id}/reports -> {token, report_status, message}."""

    def get_report(self, ad_account_id: str, token: str) -> dict[str, Any]:
        """GET /ad_accounts/{id}/reports?token= -> {report_status, url, size}."""


class Clock(Protocol):
    def monotonic(self) -> float: ...

    def sleep(self, seconds: float) -> None: ...


class SystemClock:
    """The real clock."""

    monotonic = staticmethod(time.monotonic)
    sleep = staticmethod(time.sleep)


@dataclass(frozen=True, kw_only=True)
class ReportRequest:
    """One async report request (`AdsAnalyticsCreateAsyncRequest`)."""

    ad_account_id: str
    start_date: date
    end_date: date
    columns: tuple[str, ...]
    level: str = "PIN_PROMOTION"
    granularity: str = "DAY"
    attribution: Attribution = dataclasses.field(default_factory=Attribution)
    report_format: str = "JSON"
    targeting_types: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        object.__setattr__(self, "columns", tuple(self.columns))
        object.__setattr__(self, "targeting_types", tuple(self.targeting_types))
        if self.report_format not in ("JSON", "CSV"):
            raise ValueError(f"report_format must be JSON or CSV, got {self.report_format!r}")
        if self.end_date < self.start_date:
            raise ValueError(f"end_date {self.end_date} is before start_date {self.start_date}")

    @property
    def window(self) -> str:
        return str(Window(self.start_date, self.end_date))

    def body(self) -> dict[str, Any]:
        """JSON body of POST /ad_accounts/{ad_account_id}/reports."""
        body: dict[str, Any] = {
            "start_date": self.start_date.isoformat(),
            "end_date": self.end_date.isoformat(),
            "granularity": self.granularity,
            "level": self.level,
            "columns": list(self.columns),
            **dataclasses.asdict(self.attribution),
            "report_format": self.report_format,
        }
        if self.targeting_types:
            body["targeting_types"] = list(self.targeting_types)
        return body
