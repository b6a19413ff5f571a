"""OAuth for Pinterest: one authenticator per run, shared by every stream.

The refresh-token grant is `POST {api_url}/oauth/token` with HTTP Basic client_id:secret
and a form body. singer-sdk's OAuthAuthenticator would neither keep the rotated refresh
token nor refresh ahead of expiry, so this is a small `requests` AuthBase of our own.
"""

from __future__ import annotations

import datetime as dt
import logging
import threading
import time
import typing as t
from urllib.parse import urlsplit

import requests

from tap_pinterest_ads.errors import AuthError
from tap_pinterest_ads.redaction import Redactor
from tap_pinterest_ads.token_store import StoredToken, TokenStore
from tap_pinterest_ads.typing_compat import override

# Refresh this long before `expires_in` runs out, so no request races the expiry.
REFRESH_MARGIN_SECONDS = 300
# Warn when the refresh token itself has less than this left.
REFRESH_TOKEN_WARNING_DAYS = 14
_TRANSIENT_STATUSES = {429, 500, 502, 503, 504}


def _expires_in(body: dict[str, t.Any]) -> float:
    """`expires_in` in seconds; an answer without a usable one gets Pinterest's usual hour."""
    value = body.get("expires_in")
    if isinstance(value, (int, float)) and not isinstance(value, bool) and value > 0:
        return float(value)
    return 3600.0


class PinterestAuthenticator(requests.auth.AuthBase):
    """Adds `Authorization: Bearer …`, refreshing the access token when needed."""

    def __init__(
        self,
        *,
        token_url: str,
        client_id: str | None = None,
        client_secret: str | None = None,
        refresh_token: str | None = None,
        access_token: str | None = None,
        token_store: TokenStore | None = None,
        redactor: Redactor | None = None,
        timeout: float = 60,
        max_attempts: int = 4,
        clock: t.Callable[[], float] = time.time,
        sleep: t.Callable[[float], None] = time.sleep,
        logger: logging.Logger | None = None,
    ) -> None:
        self.token_url = token_url
        self._client_id = client_id or ""
        self._client_secret = client_secret or ""
        self._configured_refresh_token = refresh_token
        self._store = token_store
        self._redact = redactor or Redactor()
        self._timeout = timeout
        self._max_attempts = max_attempts
        self._clock = clock
        self._sleep = sleep
        self._logger = logger or logging.getLogger(__name__)
        self._lock = threading.Lock()
        self._session = requests.Session()
        self._static = bool(access_token) and not refresh_token
        self._access_token = access_token if self._static else None
        self._expires_at = float("inf") if self._static else 0.0
        self._refresh_token = self._initial_refresh_token()
        self._rejected_after_refresh: set[str] = set()
        self._store_checked = False
        for secret in (client_secret, refresh_token, access_token, self._refresh_token):
            self._redact.add(secret)

    def _initial_refresh_token(self) -> str | None:
        if self._static or not self._store:
            return self._configured_refresh_token
        stored = self._store.load(self._client_id, self._configured_refresh_token)
        if stored is None:
            return self._configured_refresh_token
        self._logger.info("Using the newest refresh token from %s", self._store.path)
        return stored.refresh_token

    @override
    def __call__(self, request: requests.PreparedRequest) -> requests.PreparedRequest:
        """Authenticate `request` (every attempt of every request passes here)."""
        request.headers["Authorization"] = f"Bearer {self.current_token()}"
        return request

    def current_token(self) -> str:
        """A valid access token, refreshing first when it is missing or about to expire."""
        with self._lock:
            if self._access_token is None or self._clock() >= self._expires_at:
                self._refresh()
            assert self._access_token is not None
            return self._access_token

    def handle_unauthorized(self, request: requests.PreparedRequest | None) -> None:
        """React to a 401: refresh once (the caller retries), or fail when that cannot help."""
        sent = (request.headers.get("Authorization", "") if request else "").removeprefix("Bearer ")
        with self._lock:
            if self._static:
                msg = "Pinterest rejected access_token (HTTP 401): it expired or was revoked"
                raise AuthError(msg)
            if sent and sent in self._rejected_after_refresh:
                msg = (
                    "Pinterest rejected a freshly refreshed access token (HTTP 401): check "
                    "that the app still has the ads:read scope for this user"
                )
                raise AuthError(msg)
            if sent == self._access_token or not sent:
                self._logger.warning("Access token refused (HTTP 401); refreshing it once")
                self._refresh()
                self._rejected_after_refresh.add(self._access_token or "")

    def _refresh(self) -> None:
        if not self._refresh_token:
            msg = "no refresh_token to renew the access token with"
            raise AuthError(msg)
        if self._store and not self._store_checked:
            self._store.check_writable()
            self._store_checked = True
        body = self._request_token()
        self._access_token = body["access_token"]
        self._redact.add(self._access_token)
        self._expires_at = self._clock() + max(_expires_in(body) - REFRESH_MARGIN_SECONDS, 0)
        self._keep_rotated_refresh_token(body)

    def _request_token(self) -> dict[str, t.Any]:
        form = {"grant_type": "refresh_token", "refresh_token": self._refresh_token}
        for attempt in range(1, self._max_attempts + 1):
            try:
                response = self._session.post(
                    self.token_url,
                    data=form,
                    auth=(self._client_id, self._client_secret),
                    timeout=self._timeout,
                )
            except requests.RequestException as exc:
                reason = type(exc).__name__
            else:
                if response.ok:
                    return self._token_body(response)
                if response.status_code not in _TRANSIENT_STATUSES:
                    raise AuthError(self._token_error(response)) from None
                reason = f"HTTP {response.status_code}"
            if attempt < self._max_attempts:
                wait = 2.0 ** (attempt - 1)
                self._logger.warning(
                    "Token request failed (%s); retrying in %.0f s (attempt %d of %d)",
                    reason,
                    wait,
                    attempt,
                    self._max_attempts,
                )
                self._sleep(wait)
        msg = f"the token endpoint kept failing ({reason}) after {self._max_attempts} attempts"
        raise AuthError(msg)

    def _token_body(self, response: requests.Response) -> dict[str, t.Any]:
        """The token answer, or one line when it holds no access token (never the body)."""
        try:
            body = response.json()
        except ValueError:
            body = None
        token = body.get("access_token") if isinstance(body, dict) else None
        if isinstance(body, dict) and isinstance(token, str) and token:
            return body
        content_type = response.headers.get("Content-Type", "no content type")
        what = (
            "JSON without access_token"
            if isinstance(body, dict)
            else f"not JSON but {content_type}"
        )
        msg = (
            f"the token endpoint {urlsplit(self.token_url).path} answered HTTP "
            f"{response.status_code} with no access token ({what}): check api_url"
        )
        raise AuthError(msg)

    def _token_error(self, response: requests.Response) -> str:
        try:
            body = response.json()
            detail = str(body.get("message", "")) if isinstance(body, dict) else ""
        except ValueError:
            detail = response.text[:200]
        detail = self._redact(detail)
        if response.status_code in {404, 405}:
            return (
                f"the token endpoint {urlsplit(self.token_url).path} answered HTTP "
                f"{response.status_code}: check api_url (e.g. https://api.pinterest.com/v5)"
            )
        if response.status_code == 401:
            return (
                f"Pinterest rejected client_id/client_secret at the token endpoint "
                f"(HTTP 401: {detail}); check client_id and client_secret"
            )
        return (
            f"Pinterest rejected the refresh_token (HTTP {response.status_code}: {detail}): "
            "it was revoked or has expired; authorize the app again and update refresh_token"
        )

    def _keep_rotated_refresh_token(self, body: dict[str, t.Any]) -> None:
        new_token = body.get("refresh_token")
        expires_at = body.get("refresh_token_expires_at")
        if new_token:
            self._redact.add(str(new_token))
            self._refresh_token = str(new_token)
            if self._store:
                self._store.save(
                    self._client_id,
                    self._configured_refresh_token,
                    StoredToken(str(new_token), expires_at),
                )
            elif new_token != self._configured_refresh_token:
                self._logger.warning(
                    "Pinterest rotated the refresh token; set token_store_path to keep the "
                    "new one, or this configuration stops working when the configured "
                    "token expires"
                )
        if isinstance(expires_at, (int, float)):
            self._warn_if_expiring(expires_at)

    def _warn_if_expiring(self, expires_at: float) -> None:
        when = dt.datetime.fromtimestamp(expires_at, tz=dt.timezone.utc)
        days_left = (expires_at - self._clock()) / 86400
        if days_left < REFRESH_TOKEN_WARNING_DAYS:
            self._logger.warning(
                "The Pinterest refresh token expires on %s (in %.0f days): authorize the "
                "app again before then",
                when.date().isoformat(),
                max(days_left, 0),
            )
        else:
            self._logger.info("Refresh token valid until %s", when.date().isoformat())
