"""The tap's settings, validated and typed (their JSON schema is in config_schema.py).

JSON Schema checks shapes; `Settings.from_config` checks meaning (digits-only ids, dates
that are not in the future, credentials that go together) and says which setting is wrong.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import re
import typing as t
from urllib.parse import urlsplit, urlunsplit

from singer_sdk.exceptions import ConfigValidationError

from tap_pinterest_ads.config_schema import CONFIG_SCHEMA, DEFAULT_API_URL
from tap_pinterest_ads.conventions import ATTRIBUTION_WINDOW_TRIPLES, Attribution
from tap_pinterest_ads.reports.columns import (
    PassThrough,
    UnknownReportColumn,
    resolve_report_columns,
)

_DIGITS = re.compile(r"^\d{1,18}$")


# Each setting's fallback when it is absent (or, without `strict`, invalid): its schema default.
DEFAULTS: dict[str, t.Any] = {
    name: spec["default"] for name, spec in CONFIG_SCHEMA["properties"].items() if "default" in spec
}
_WINDOW_SETTINGS = ("click_window_days", "engagement_window_days", "view_window_days")


@dataclasses.dataclass(frozen=True)
class Settings:
    """Validated, typed settings: every setting the tap reads, credentials included."""

    advertiser_ids: tuple[str, ...]
    client_id: str | None
    client_secret: str | None
    refresh_token: str | None
    access_token: str | None
    token_store_path: str | None
    start_date: dt.date | None
    lookback_days: int
    max_lookback_days: int
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
    analytics_requests_per_minute: int = DEFAULTS["analytics_requests_per_minute"]

    @property
    def secrets(self) -> tuple[str | None, ...]:
        """The values no log line or error message may show."""
        return (self.client_secret, self.refresh_token, self.access_token)

    @classmethod
    def from_config(cls, config: t.Mapping[str, t.Any], *, strict: bool = True) -> Settings:
        """Parse `config`; with `strict`, raise one ConfigValidationError listing each problem."""
        errors: list[str] = []

        def whole(name: str, minimum: int = 1) -> int:
            value = _setting(config, name)
            if isinstance(value, int) and value >= minimum:
                return int(value)
            errors.append(f"{name} must be a whole number ≥ {minimum}, got {value!r}")
            return int(DEFAULTS[name])

        ids = parse_advertiser_ids(config.get("advertiser_ids"), errors)
        start = _parse_start_date(config.get("start_date"), errors)
        lookback = whole("lookback_days", minimum=0)
        max_lookback = whole("max_lookback_days", minimum=0)
        report_columns = _resolve_report_columns(_setting(config, "report_columns") or [], errors)
        errors.extend(attribution_errors(config))
        request_timeout, max_retries, report_timeout, in_flight = (
            whole(name)
            for name in (
                "request_timeout_seconds",
                "max_retries",
                "report_timeout_seconds",
                "max_reports_in_flight",
            )
        )
        max_rate_limit_wait = whole("max_rate_limit_wait_seconds", minimum=0)
        analytics_per_minute = whole("analytics_requests_per_minute")
        errors.extend(api_url_errors(config.get("api_url")))
        on_account_error = config.get("on_account_error") or DEFAULTS["on_account_error"]
        if on_account_error not in ("fail", "skip"):
            errors.append(f"on_account_error must be fail or skip, got {on_account_error!r}")
            on_account_error = DEFAULTS["on_account_error"]
        errors.extend(credential_errors(config))
        errors.extend(batch_config_errors(config.get("batch_config")))
        if errors and strict:
            raise ConfigValidationError("Config validation failed", errors=errors)
        return cls(
            advertiser_ids=ids,
            client_id=_text(config.get("client_id")),
            client_secret=_text(config.get("client_secret")),
            refresh_token=_text(config.get("refresh_token")),
            access_token=_text(config.get("access_token")),
            token_store_path=_text(config.get("token_store_path")),
            start_date=start,
            lookback_days=lookback,
            max_lookback_days=max_lookback,
            api_url=str(config.get("api_url") or DEFAULTS["api_url"]).rstrip("/"),
            emit_activate_version=bool(_setting(config, "emit_activate_version_messages")),
            request_timeout=request_timeout,
            max_retries=max_retries,
            max_rate_limit_wait=max_rate_limit_wait,
            attribution=Attribution(
                click_window_days=int(_setting(config, "click_window_days")),
                engagement_window_days=int(_setting(config, "engagement_window_days")),
                view_window_days=int(_setting(config, "view_window_days")),
                conversion_report_time=str(_setting(config, "conversion_report_time")),
            ),
            report_columns=report_columns,
            report_format=str(_setting(config, "report_format")),
            report_timeout=report_timeout,
            max_reports_in_flight=in_flight,
            on_account_error=on_account_error,
            analytics_requests_per_minute=analytics_per_minute,
        )


def _setting(config: t.Mapping[str, t.Any], name: str) -> t.Any:
    """The configured value, or the schema's default when the setting is absent."""
    return config.get(name, DEFAULTS.get(name))


def _text(value: object) -> str | None:
    return None if value is None or value == "" else str(value)


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


def batch_config_errors(value: object) -> list[str]:
    """BATCH files are JSON Lines, gzipped or plain, under a storage root.

    singer-sdk's JSON schema lets every part of `batch_config` be absent, then fails the sync
    with a traceback when one is; and the tap writes no Parquet (its files would be JSON Lines
    declared as Parquet).
    """
    if not value or not isinstance(value, dict):
        return []  # no BATCH messages (Meltano passes {}); a non-object: the JSON schema's
    encoding = _object(value.get("encoding"))
    storage = _object(value.get("storage"))
    errors = []
    if encoding.get("format") != "jsonl":
        errors.append(
            "batch_config.encoding.format must be jsonl (the tap writes JSON Lines BATCH "
            f"files), got {encoding.get('format')!r}"
        )
    if encoding.get("compression") not in ("gzip", "none"):
        errors.append(
            "batch_config.encoding.compression must be gzip or none, got "
            f"{encoding.get('compression')!r}"
        )
    if not isinstance(storage.get("root"), str) or not storage["root"]:
        errors.append(
            "batch_config.storage.root must be where the BATCH files go (e.g. file:///path), "
            f"got {storage.get('root')!r}"
        )
    size = value.get("batch_size", 1)
    if type(size) is not int or size < 1:
        errors.append(f"batch_config.batch_size must be a whole number ≥ 1, got {size!r}")
    return errors


def _object(value: object) -> dict[str, t.Any]:
    return value if isinstance(value, dict) else {}


def attribution_errors(config: t.Mapping[str, t.Any]) -> list[str]:
    """The three attribution windows must be a combination Pinterest accepts.

    Each value alone is checked by the JSON schema; a triple the API refuses would otherwise
    fail the run at its first report, after the entity streams ran.
    """
    triple = tuple(_setting(config, name) for name in _WINDOW_SETTINGS)
    if not all(type(days) is int for days in triple) or triple in ATTRIBUTION_WINDOW_TRIPLES:
        return []
    names = ", ".join(_WINDOW_SETTINGS)
    accepted = ", ".join("/".join(map(str, t)) for t in ATTRIBUTION_WINDOW_TRIPLES)
    return [
        f"{names}: Pinterest does not accept {'/'.join(map(str, triple))} (click/engagement/"
        f"view days); use one of {accepted}"
    ]


def _resolve_report_columns(names: t.Iterable[str], errors: list[str]) -> tuple[PassThrough, ...]:
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


def credential_errors(config: t.Mapping[str, t.Any]) -> list[str]:
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
