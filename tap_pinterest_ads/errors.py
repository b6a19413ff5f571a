"""Errors the tap reports to its user as one clear line, without a traceback."""

from __future__ import annotations

from singer_sdk.exceptions import FatalAPIError


class TapError(Exception):
    """A failure the user can act on; its message is the whole story."""


class AuthError(TapError):
    """Pinterest refused our credentials (client secret, refresh token or access token)."""


class AccountAccessError(FatalAPIError):
    """An ad account the token cannot read (HTTP 403/404)."""

    def __init__(self, ad_account_id: str, status: int, detail: str) -> None:
        self.ad_account_id = ad_account_id
        super().__init__(
            f"ad account {ad_account_id} is not accessible with these credentials "
            f"(HTTP {status}: {detail}). Check the advertiser_ids setting and that the "
            "authorizing user has an Owner, Admin, Analyst or Campaign Manager role on it."
        )


class RateLimitError(FatalAPIError):
    """Pinterest asked us to wait longer than the user allows."""
