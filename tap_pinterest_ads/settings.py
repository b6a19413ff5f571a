"""The tap's settings: their JSON schema (the public contract) and their validation.

JSON Schema checks shapes; `Settings.from_config` checks meaning (digits-only ids, dates
that are not in the future, credentials that go together) and says which setting is wrong.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re

from singer_sdk import typing as th
from singer_sdk.exceptions import ConfigValidationError

from tap_pinterest_ads.reports.columns import (
    PassThrough,
    UnknownReportColumn,
    resolve_report_columns,
)
from tap_pinterest_ads.reports.records import Attribution

DEFAULT_API_URL = "https://api.pinterest.com/v5"
ATTRIBUTION_WINDOWS = (0, 1, 7, 14, 30, 60)
_DIGITS = re.compile(r"^\d{1,18}$")


def _window(name: str, default: int, label: str) -> th.Property:
    return th.Property(
        name,
        th.IntegerType,
        default=default,
        allowed_values=list(ATTRIBUTION_WINDOWS),
        description=f"{label} attribution window in days for conversions (API default {default}).",
    )


CONFIG_SCHEMA = th.PropertiesList(
    th.Property(
        "advertiser_ids",
        # A string ("123, 456", as the connector spec has it) or an array; Meltano's
        # `kind: array` turns "1,2" into integers, so integer items are accepted too.
        # oneOf, not a nullable anyOf: singer-sdk 0.54.9 appends a bare "null" to anyOf.
        th.CustomType(
            {
                "oneOf": [
                    {"type": "string"},
                    {"type": "array", "items": {"type": ["string", "integer"]}},
                ]
            }
        ),
        description=(
            "Ad account (advertiser) ids to extract: a comma-delimited string such as "
            '"123, 456" or a JSON array. Empty or absent: every ad account the token can read.'
        ),
    ),
    th.Property("client_id", th.StringType, description="Pinterest app id (OAuth client id)."),
    th.Property("client_secret", th.StringType, secret=True, description="Pinterest app secret."),
    th.Property(
        "refresh_token",
        th.StringType,
        secret=True,
        description=(
            "OAuth refresh token (scope ads:read at least). Pinterest rotates it on every "
            "refresh: set token_store_path so the newest one survives to the next run."
        ),
    ),
    th.Property(
        "access_token",
        th.StringType,
        secret=True,
        description="A ready access token, instead of client_id/client_secret/refresh_token.",
    ),
    th.Property(
        "token_store_path",
        th.StringType,
        description=(
            "File where the tap keeps the newest rotated refresh token (created with mode "
            "0600). When it holds a token for this client_id, that token is used instead "
            "of refresh_token."
        ),
    ),
    th.Property(
        "start_date",
        th.DateType,
        description="First day of delivery data on a run without state (YYYY-MM-DD, UTC).",
    ),
    th.Property(
        "lookback_days",
        th.IntegerType,
        default=5,
        description=(
            "Days re-extracted before the bookmark on every run, because conversions keep "
            "arriving for days after an ad is shown."
        ),
    ),
    _window("click_window_days", 30, "Click"),
    _window("engagement_window_days", 30, "Engagement"),
    _window("view_window_days", 1, "View"),
    th.Property(
        "conversion_report_time",
        th.StringType,
        default="TIME_OF_AD_ACTION",
        allowed_values=["TIME_OF_AD_ACTION", "TIME_OF_CONVERSION"],
        description="Date conversions are reported on: the ad action's or the conversion's.",
    ),
    th.Property(
        "report_columns",
        th.ArrayType(th.StringType),
        default=[],
        description=(
            "Further Pinterest async report columns (e.g. TOTAL_WEB_SESSIONS) added to the "
            "delivery stream as lower-case fields; checked against the official column list."
        ),
    ),
    th.Property(
        "report_format",
        th.StringType,
        default="JSON",
        allowed_values=["JSON", "CSV"],
        description="Format Pinterest renders delivery reports in; both are stream-parsed.",
    ),
    th.Property(
        "report_timeout_seconds",
        th.IntegerType,
        default=1800,
        description="Deadline for one report to be built, from its creation; then the run fails.",
    ),
    th.Property(
        "max_reports_in_flight",
        th.IntegerType,
        default=20,
        description=(
            "Reports created ahead of the one being read, across ad accounts, so a run "
            "takes about one report's latency rather than their sum."
        ),
    ),
    th.Property(
        "api_url",
        th.StringType,
        default=DEFAULT_API_URL,
        description="API base URL; the sandbox https://api-sandbox.pinterest.com/v5 serves "
        "metadata but no reports.",
    ),
    th.Property(
        "emit_activate_version_messages",
        th.BooleanType,
        default=True,
        description=(
            "Emit ACTIVATE_VERSION on full-table streams so targets soft-delete entities "
            "that disappeared. Turn off only for a target that cannot handle it."
        ),
    ),
    th.Property(
        "request_timeout_seconds",
        th.IntegerType,
        default=120,
        description="Timeout of one HTTP request.",
    ),
    th.Property(
        "max_retries",
        th.IntegerType,
        default=8,
        description="Attempts per request before failing (429, 5xx, timeouts, resets).",
    ),
    th.Property(
        "max_rate_limit_wait_seconds",
        th.IntegerType,
        default=600,
        description=(
            "Longest wait the tap accepts when Pinterest says to retry later (Retry-After, "
            "X-RateLimit-Reset). Longer: the run fails, it never skips data."
        ),
    ),
).to_dict()


@dataclasses.dataclass(frozen=True)
class Settings:
    """Validated, typed settings."""

    advertiser_ids: tuple[str, ...]
    start_date: dt.date | None
    lookback_days: int
    api_url: str
    emit_activate_version: bool
    request_timeout: int
    max_retries: int
    max_rate_limit_wait: int
    attribution: Attribution
    report_columns: tuple[PassThrough, ...]
    report_format: str
    report_timeout: int
    max_reports_in_flight: int

    @classmethod
    def from_config(cls, config: dict, *, strict: bool = True) -> Settings:
        """Parse `config`; with `strict`, raise one ConfigValidationError listing each problem."""
        errors: list[str] = []
        ids = parse_advertiser_ids(config.get("advertiser_ids"), errors)
        start = _parse_start_date(config.get("start_date"), errors)
        lookback = config.get("lookback_days", 5)
        if not isinstance(lookback, int) or lookback < 0:
            errors.append(f"lookback_days must be a whole number ≥ 0, got {lookback!r}")
        report_columns = _resolve_report_columns(config.get("report_columns") or [], errors)
        for name in (
            "request_timeout_seconds",
            "max_retries",
            "report_timeout_seconds",
            "max_reports_in_flight",
        ):
            value = config.get(name, 1)
            if not isinstance(value, int) or value < 1:
                errors.append(f"{name} must be a whole number ≥ 1, got {value!r}")
        errors.extend(credential_errors(config))
        if errors and strict:
            raise ConfigValidationError("Config validation failed", errors=errors)
        return cls(
            advertiser_ids=ids,
            start_date=start,
            lookback_days=lookback if isinstance(lookback, int) and lookback >= 0 else 5,
            api_url=str(config.get("api_url") or DEFAULT_API_URL).rstrip("/"),
            emit_activate_version=bool(config.get("emit_activate_version_messages", True)),
            request_timeout=int(config.get("request_timeout_seconds", 120)),
            max_retries=int(config.get("max_retries", 8)),
            max_rate_limit_wait=int(config.get("max_rate_limit_wait_seconds", 600)),
            attribution=Attribution(
                click_window_days=int(config.get("click_window_days", 30)),
                engagement_window_days=int(config.get("engagement_window_days", 30)),
                view_window_days=int(config.get("view_window_days", 1)),
                conversion_report_time=str(
                    config.get("conversion_report_time", "TIME_OF_AD_ACTION")
                ),
            ),
            report_columns=report_columns,
            report_format=str(config.get("report_format", "JSON")),
            report_timeout=int(config.get("report_timeout_seconds", 1800)),
            max_reports_in_flight=int(config.get("max_reports_in_flight", 20)),
        )


def parse_advertiser_ids(value: object, errors: list[str]) -> tuple[str, ...]:
    """Accept "1, 2", ["1", "2"] or [1, 2]; reject non-digits and duplicates."""
    if value is None or value == "":
        return ()
    items = value.split(",") if isinstance(value, str) else value
    if not isinstance(items, list):
        errors.append(f"advertiser_ids must be a comma-delimited string or a list, got {value!r}")
        return ()
    ids: list[str] = []
    for item in items:
        text = str(item).strip()
        if not text and isinstance(value, str):
            continue  # tolerate "123, 456," from hand-edited configs
        if isinstance(item, bool) or not _DIGITS.match(text):
            errors.append(
                f"advertiser_ids: {text!r} is not an ad account id (digits only, at most 18)"
            )
        elif text in ids:
            errors.append(f"advertiser_ids: {text!r} is listed twice")
        else:
            ids.append(text)
    return tuple(ids)


def _resolve_report_columns(names: list, errors: list[str]) -> tuple[PassThrough, ...]:
    try:
        return resolve_report_columns(names)
    except UnknownReportColumn as exc:
        errors.append(str(exc))
        return ()


def _parse_start_date(value: object, errors: list[str]) -> dt.date | None:
    if value in (None, ""):
        return None
    try:
        day = dt.date.fromisoformat(str(value)[:10]) if len(str(value)) >= 10 else None
    except ValueError:
        day = None
    if day is None or (len(str(value)) > 10 and str(value)[10] not in "T "):
        errors.append(f"start_date must be a date like 2024-01-31, got {value!r}")
        return None
    if day > dt.datetime.now(dt.timezone.utc).date():
        errors.append(f"start_date {value!r} is in the future")
        return None
    return day


def credential_errors(config: dict) -> list[str]:
    """Say which settings are missing, if neither credential set is complete."""
    if config.get("access_token"):
        return []
    oauth = ("client_id", "client_secret", "refresh_token")
    missing = [name for name in oauth if not config.get(name)]
    if not missing:
        return []
    return [
        "credentials are incomplete: set client_id, client_secret and refresh_token "
        f"(missing: {', '.join(missing)}), or set access_token"
    ]
