"""The Pinterest Ads tap: settings, the run's single authenticator, and its streams."""

from __future__ import annotations

import copy
import logging
import signal
import sys
import typing as t
from functools import cached_property

import requests
from singer_sdk.exceptions import ConfigValidationError, FatalAPIError, RetriableAPIError

from tap_pinterest_ads.auth import PinterestAuthenticator
from tap_pinterest_ads.cli_inputs import check_input_files
from tap_pinterest_ads.config_errors import invalid_config
from tap_pinterest_ads.config_schema import CONFIG_SCHEMA
from tap_pinterest_ads.connection_test import check_connection
from tap_pinterest_ads.env_config import settings_from_environment
from tap_pinterest_ads.errors import TapError, explain
from tap_pinterest_ads.isolation import AccountIsolation
from tap_pinterest_ads.pacing import Pacer
from tap_pinterest_ads.redaction import Redactor, install_log_redaction
from tap_pinterest_ads.reports import ReportError
from tap_pinterest_ads.sdk_compat import SdkTap
from tap_pinterest_ads.settings import Settings
from tap_pinterest_ads.singer_writer import TextSafeWriter
from tap_pinterest_ads.streams import STREAM_TYPES
from tap_pinterest_ads.streams.accounts import AdAccountsStream
from tap_pinterest_ads.streams.report_base import ReportStream
from tap_pinterest_ads.token_store import TokenStore
from tap_pinterest_ads.typing_compat import override

if t.TYPE_CHECKING:
    from singer_sdk.streams import Stream


class TapPinterestAds(SdkTap):
    """Pinterest Ads API v5: ad accounts, campaigns, ad groups, pin promotions, delivery."""

    name = "tap-pinterest-ads"
    package_name = "tap-pinterest-ads"
    config_jsonschema = CONFIG_SCHEMA
    # msgspec writes Decimals as exact JSON numbers and is ~1.5× faster than the default;
    # TextSafeWriter adds the U+FFFD repair of text UTF-8 cannot encode.
    message_writer_class = TextSafeWriter

    def __init__(self, *args: t.Any, validate_config: bool = True, **kwargs: t.Any) -> None:
        try:
            super().__init__(*args, validate_config=validate_config, **kwargs)
            if validate_config:
                Settings.from_config(self.config, strict=True)
        except ConfigValidationError as exc:
            raise invalid_config(exc, self.given_config) from None
        install_log_redaction(self.redactor)

    @override
    def environment_config(self) -> dict[str, t.Any]:
        """`--config ENV`: TAP_PINTEREST_ADS_* variables, typed by the settings' schema
        (env_config.py says why the SDK's own parser is not used)."""
        schema = copy.deepcopy(self.config_jsonschema)
        self.append_builtin_config(schema)
        return settings_from_environment(schema, self.env_var_prefix())

    @cached_property
    def settings(self) -> Settings:
        """Typed settings; config problems were reported at start-up."""
        return Settings.from_config(self.config, strict=False)

    @cached_property
    def redactor(self) -> Redactor:
        """Masks every secret value the run knows of."""
        redactor = Redactor()
        for secret in self.settings.secrets:
            redactor.add(secret)
        return redactor

    @cached_property
    def isolation(self) -> AccountIsolation:
        """What a failure confined to one ad account does (`on_account_error`)."""
        return AccountIsolation(self.settings.on_account_error, self.logger)

    @cached_property
    def authenticator(self) -> PinterestAuthenticator:
        """One authenticator for the whole run, so one token request serves every stream."""
        settings = self.settings
        store = TokenStore(settings.token_store_path) if settings.token_store_path else None
        return PinterestAuthenticator(
            token_url=f"{settings.api_url}/oauth/token",
            client_id=settings.client_id,
            client_secret=settings.client_secret,
            refresh_token=settings.refresh_token,
            access_token=settings.access_token,
            token_store=store,
            redactor=self.redactor,
            logger=self.logger,
        )

    @cached_property
    def pacer(self) -> Pacer:
        """Spaces the run's calls within its share of Pinterest's rate-limit budgets."""
        return Pacer(
            self.settings.analytics_requests_per_minute,
            max_wait=self.settings.max_rate_limit_wait,
            logger=self.logger,
        )

    @property
    def ad_accounts(self) -> AdAccountsStream:
        """The stream that resolves the run's ad accounts, which every other stream reads."""
        stream = self.streams["ad_accounts"]
        assert isinstance(stream, AdAccountsStream)
        return stream

    @override
    def before_sync_all(self) -> None:
        """Resolve the ad accounts (and so the token) before any stream starts.

        Full-table streams announce ACTIVATE_VERSION once their listing is complete
        (client.PinterestStream); a run that dies on its credentials fails before any.
        """
        self.ad_accounts.accounts()
        for stream in self.streams.values():
            if isinstance(stream, ReportStream):
                stream.repair_bookmarks()

    @override
    def after_sync_all(self) -> None:
        """One closing WARNING if an ad account was skipped; the rate-limit budgets spent."""
        self.isolation.log_summary()
        if summary := self.pacer.summary():
            self.logger.info("Rate-limit budgets: %s", summary)

    @override
    def connection_test(self) -> bool:
        """`--test`: token, ad accounts, one page per default stream, no report
        (connection_test.py); the SDK's version syncs every stream and creates reports."""
        check_connection(self)
        return True

    @override
    def on_termination(self, signum: int) -> None:
        """On SIGTERM/SIGINT: write the state, then exit 128 + signum.

        singer-sdk's handler writes the state too but exits 0, so a run stopped half-way (an
        orchestrator's timeout, a deploy, Ctrl-C) would look successful and its partial
        extraction complete. The state is safe to resume from either way: bookmarks only
        move per finished report window.
        """
        code = 128 + signum
        self.logger.warning(
            "Stopped by %s: writing the state and exiting %d", signal.Signals(signum).name, code
        )
        try:
            self.state_writer.write_state(self.state)
        finally:
            sys.exit(code)

    @override
    def discover_streams(self) -> list[Stream]:
        """Every stream the tap offers."""
        return [cls(tap=self) for cls in STREAM_TYPES]


# Failures we can explain in one line; anything else is a bug and keeps its traceback.
_EXPLAINED = (
    TapError,
    ReportError,
    FatalAPIError,
    RetriableAPIError,
    requests.RequestException,
)


def main() -> None:
    """Console entry point: exit 1 with one clear line on an explained failure.

    A user's or the API's mistake is one ERROR line without a traceback; anything else is a
    bug and keeps its traceback.
    """
    command = TapPinterestAds.cli  # sets up console logging
    logger = logging.getLogger(TapPinterestAds.name)
    try:
        check_input_files(sys.argv[1:])
        command()
    except _EXPLAINED as exc:
        logger.error("%s", explain(exc))
        sys.exit(1)
    except Exception:
        # A bug: its traceback goes through logging, whose filter masks secrets in it.
        logger.exception("Unexpected error")
        sys.exit(1)
