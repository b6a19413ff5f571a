"""The tap's settings, validated and typed (their JSON schema is in config_schema.py).

JSON Schema checks shapes; `Settings.from_config` checks meaning (digits-only ids, dates
that are not in the future, credentials that go together) and says which setting is wrong.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import re
from urllib.parse import urlsplit, urlunsplit

from singer_sdk.exceptions import ConfigValidationError

from tap_pinterest_ads.config_schema import DEFAULT_API_URL
from tap_pinterest_ads.conventions import ATTRIBUTION_WINDOW_TRIPLES, Attribution
from tap_pinterest_ads.reports.columns import (
    PassThrough,
    UnknownReportColumn,
    resolve_report_columns,
)

_DIGITS = re.compile(r"^\d{1,18}$")


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
    on_account_error: str

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
        errors.extend(attribution_errors(config))
        for name in (
            "request_timeout_seconds",
            "max_retries",
            "report_timeout_seconds",
            "max_reports_in_flight",
        ):
            value = config.get(name, 1)
            if not isinstance(value, int) or value < 1:
                errors.append(f"{name} must be a whole number ≥ 1, got {value!r}")
        wait = config.get("max_rate_limit_wait_seconds", 600)
        if not isinstance(wait, int) or wait < 0:
            errors.append(f"max_rate_limit_wait_seconds must be a whole number ≥ 0, got {wait!r}")
        errors.extend(api_url_errors(config.get("api_url")))
        on_account_error = config.get("on_account_error") or "fail"
        if on_account_error not in ("fail", "skip"):
            errors.append(f"on_account_error must be fail or skip, got {on_account_error!r}")
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
            on_account_error=on_account_error if on_account_error in ("fail", "skip") else "fail",
        )


def parse_advertiser_ids(value: object, errors: list[str]) -> tuple[str, ...]:
    """Accept "1, 2", ["1", "2"], [1, 2] or '["1", "2"]'; reject non-digits and duplicates.

    The JSON array may arrive as text: Meltano's `kind: string` and environment variables
    pass it on as it was typed.
    """
    if value is None or value == "":
        return ()
    if isinstance(value, str) and value.lstrip().startswith("["):
        try:
            value = json.loads(value)
        except ValueError:
            errors.append(f"advertiser_ids: {value!r} is not a JSON array of ad account ids")
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


_WINDOW_SETTINGS = (
    ("click_window_days", 30),
    ("engagement_window_days", 30),
    ("view_window_days", 1),
)


def attribution_errors(config: dict) -> list[str]:
    """The three attribution windows must be a combination Pinterest accepts.

    Each value alone is checked by the JSON schema; a triple the API refuses would otherwise
    fail the run at its first report, after the entity streams ran.
    """
    triple = tuple(config.get(name, default) for name, default in _WINDOW_SETTINGS)
    if not all(type(days) is int for days in triple) or triple in ATTRIBUTION_WINDOW_TRIPLES:
        return []
    names = ", ".join(name for name, _ in _WINDOW_SETTINGS)
    accepted = ", ".join("/".join(map(str, t)) for t in ATTRIBUTION_WINDOW_TRIPLES)
    return [
        f"{names}: Pinterest does not accept {'/'.join(map(str, triple))} (click/engagement/"
        f"view days); use one of {accepted}"
    ]


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


def api_url_errors(value: object) -> list[str]:
    """`api_url` must be an http(s) URL of the API's version 5, e.g. https://api.pinterest.com/v5.

    Checked here because a wrong one otherwise shows as a misleading failure: without `/v5`
    the token endpoint is not found, and another scheme is retried as if it were a network
    error.
    """
    if value in (None, ""):
        return []
    parts = urlsplit(str(value))
    # Shown without its query: a URL's query may carry a credential.
    shown = repr(urlunsplit((parts.scheme, parts.netloc, parts.path, "", "")))
    if parts.scheme not in ("http", "https") or not parts.netloc:
        return [f"api_url must be an http(s) URL such as {DEFAULT_API_URL}, got {shown}"]
    if parts.query or parts.fragment:
        return [f"api_url must not carry a query or a fragment ({shown}?…)"]
    if not parts.path.rstrip("/").endswith("/v5"):
        return [f"api_url must end with the API version /v5, e.g. {DEFAULT_API_URL}; got {shown}"]
    return []


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
