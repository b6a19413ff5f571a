"""The tap's settings as JSON Schema: the public contract shown by `--about` and the README."""

from __future__ import annotations

from singer_sdk import typing as th

from tap_pinterest_ads.conventions import Attribution

DEFAULT_API_URL = "https://api.pinterest.com/v5"
ATTRIBUTION_WINDOWS = (0, 1, 7, 14, 30, 60)
# The API's defaults, which the attribution settings keep.
_API_ATTRIBUTION = Attribution()


def _window(name: str, default: int, label: str) -> th.Property[int]:
    return th.Property(
        name,
        th.IntegerType,
        title=f"{label} Window (days)",
        default=default,
        allowed_values=list(ATTRIBUTION_WINDOWS),
        description=(
            f"{label} attribution window in days for conversions (API default {default}). "
            "The three windows must be a combination Pinterest accepts (e.g. 30/30/1, 7/7/1, "
            "1/1/1; checked at start-up)."
        ),
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
        title="Advertiser IDs",
        description=(
            "Ad account (advertiser) ids to extract: a comma-delimited string such as "
            '"123, 456" or a JSON array. Empty or absent: every ad account the token can read.'
        ),
    ),
    th.Property(
        "client_id",
        th.StringType,
        title="Client ID",
        description="Pinterest app id (OAuth client id).",
    ),
    th.Property(
        "client_secret",
        th.StringType,
        secret=True,
        title="Client Secret",
        description="Pinterest app secret.",
    ),
    th.Property(
        "refresh_token",
        th.StringType,
        secret=True,
        title="Refresh Token",
        description=(
            "OAuth refresh token (scope ads:read at least). Pinterest rotates it on every "
            "refresh: set token_store_path so the newest one survives to the next run."
        ),
    ),
    th.Property(
        "access_token",
        th.StringType,
        secret=True,
        title="Access Token",
        description="A ready access token, instead of client_id/client_secret/refresh_token.",
    ),
    th.Property(
        "token_store_path",
        th.StringType,
        title="Token Store Path",
        description=(
            "File where the tap keeps the newest rotated refresh token (created with mode "
            "0600). When it holds a token for this client_id, that token is used instead "
            "of refresh_token."
        ),
    ),
    th.Property(
        "start_date",
        th.DateType,
        title="Start Date",
        description="First day of delivery data on a run without state (YYYY-MM-DD, UTC).",
    ),
    th.Property(
        "lookback_days",
        th.IntegerType,
        default=5,
        title="Lookback Days",
        description=(
            "Days re-extracted before the bookmark on every run, because conversions keep "
            "arriving for days after an ad is shown."
        ),
    ),
    _window("click_window_days", _API_ATTRIBUTION.click_window_days, "Click"),
    _window("engagement_window_days", _API_ATTRIBUTION.engagement_window_days, "Engagement"),
    _window("view_window_days", _API_ATTRIBUTION.view_window_days, "View"),
    th.Property(
        "conversion_report_time",
        th.StringType,
        default=_API_ATTRIBUTION.conversion_report_time,
        allowed_values=["TIME_OF_AD_ACTION", "TIME_OF_CONVERSION"],
        title="Conversion Report Time",
        description="Date conversions are reported on: the ad action's or the conversion's.",
    ),
    th.Property(
        "report_columns",
        th.ArrayType(th.StringType),
        default=[],
        title="Extra Report Columns",
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
        title="Report Format",
        description="Format Pinterest renders delivery reports in; both are stream-parsed.",
    ),
    th.Property(
        "report_timeout_seconds",
        th.IntegerType,
        default=1800,
        title="Report Timeout (s)",
        description="Deadline for one report to be built, from its creation; then the run fails.",
    ),
    th.Property(
        "max_reports_in_flight",
        th.IntegerType,
        default=20,
        title="Max Reports In Flight",
        description=(
            "Reports created ahead of the one being read, across ad accounts, so a run "
            "takes about one report's latency rather than their sum."
        ),
    ),
    th.Property(
        "analytics_requests_per_minute",
        th.IntegerType,
        default=300,
        title="Analytics Requests Per Minute",
        description=(
            "This run's share of the app's ads_analytics budget (report creates and polls, "
            "metrics_ready_state): Pinterest allows 300 calls per minute per user and app "
            "(Standard access); set 300/N when N runs share one app. The tap spaces those "
            "calls evenly at this rate (2 % below it, for network jitter) and waits when "
            "Pinterest's X-RateLimit-Remaining says the budget is spent, instead of "
            "running into 429s."
        ),
    ),
    th.Property(
        "api_url",
        th.StringType,
        default=DEFAULT_API_URL,
        title="API URL",
        description="API base URL, an http(s) URL ending in /v5; the sandbox "
        "https://api-sandbox.pinterest.com/v5 serves metadata but no reports.",
    ),
    th.Property(
        "emit_activate_version_messages",
        th.BooleanType,
        default=True,
        title="Emit ACTIVATE_VERSION",
        description=(
            "Emit ACTIVATE_VERSION on full-table streams so targets soft-delete entities "
            "that disappeared. Turn off only for a target that cannot handle it."
        ),
    ),
    th.Property(
        "request_timeout_seconds",
        th.IntegerType,
        default=120,
        title="Request Timeout (s)",
        description="Timeout of one HTTP request.",
    ),
    th.Property(
        "max_retries",
        th.IntegerType,
        default=8,
        title="Max Retries",
        description="Attempts per request before failing (429, 5xx, timeouts, resets).",
    ),
    th.Property(
        "max_rate_limit_wait_seconds",
        th.IntegerType,
        default=600,
        title="Max Rate-Limit Wait (s)",
        description=(
            "Longest wait (≥ 0) the tap accepts when Pinterest says to retry later (its "
            '"Retry after N seconds", Retry-After, or X-RateLimit-Reset on a 429). Longer: the '
            "run fails, it never skips data. A 5xx asking for longer backs off instead."
        ),
    ),
    th.Property(
        "on_account_error",
        th.StringType,
        default="fail",
        allowed_values=["fail", "skip"],
        title="On Account Error",
        description=(
            "What a failure confined to one ad account does (no access to it, HTTP errors "
            "left after every retry, a report that fails, is not ready within "
            "report_timeout_seconds or cannot be downloaded). fail: the run stops with an "
            "error naming the account and exits non-zero. skip: a WARNING names the account "
            "and the error, that account's bookmark stays where it was (its failed report "
            "window is read again next run) and the other accounts carry on. Credentials, "
            "rate limits and network failures always fail the run."
        ),
    ),
).to_dict()

# Settings whose values no log line or error message may show.
SECRET_SETTINGS: tuple[str, ...] = tuple(
    name for name, spec in CONFIG_SCHEMA["properties"].items() if spec.get("secret")
)
