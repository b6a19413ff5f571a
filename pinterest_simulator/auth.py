"""OAuth: HTTP Basic client authentication, refresh-token rotation and bearer access tokens.

All tokens are obviously fake ("fake-refresh-<n>", "sim-access-<n>-<hex>")."""

from __future__ import annotations

import base64
import binascii
import hashlib
import threading
import time
from dataclasses import dataclass

from .common import FAKE_CLIENT_ID, FAKE_CLIENT_SECRET, FAKE_REFRESH_TOKEN, ApiError

SCOPE = "ads:read,pins:read,boards:read,user_accounts:read"
REFRESH_TTL = 60 * 86_400  # continuous refresh tokens: 60 days


def auth_failed() -> ApiError:
    return ApiError(401, 2, "Authentication failed.")


@dataclass
class _Refresh:
    issued_at: float
    superseded_at: float | None = None
    revoked: bool = False


class TokenStore:
    def __init__(
        self,
        *,
        client_id: str = FAKE_CLIENT_ID,
        client_secret: str = FAKE_CLIENT_SECRET,
        refresh_token: str = FAKE_REFRESH_TOKEN,
        access_token: str | None = None,
        access_token_expires_in: int = 2_592_000,
        refresh_grace_seconds: float | None = None,
        strict_rotation: bool = False,
    ):
        self.client_id = client_id
        self.client_secret = client_secret
        self.access_token_expires_in = access_token_expires_in
        #: seconds an old refresh token keeps working after rotation (None = forever)
        self.refresh_grace_seconds = refresh_grace_seconds
        #: only the newest refresh token works (same as a grace of 0)
        self.strict_rotation = strict_rotation
        self._lock = threading.Lock()
        self._counter = 0
        self._refresh: dict[str, _Refresh] = {refresh_token: _Refresh(time.time())}
        if refresh_token.startswith("fake-refresh-") and refresh_token[13:].isdigit():
            self._serial = int(refresh_token[13:])  # keep the numbering monotonic
        else:
            self._serial = 0
        #: number of successful refreshes
        self.refreshes = 0
        self._current_refresh = refresh_token
        self._access: dict[str, float] = {}  # token -> expires_at (epoch s)
        if access_token:
            self._access[access_token] = float("inf")

    # ----------------------------------------------------------------- queries
    @property
    def current_refresh_token(self) -> str:
        with self._lock:
            return self._current_refresh

    def check_basic(self, header: str | None) -> None:
        if not header or not header.startswith("Basic "):
            raise auth_failed()
        try:
            decoded = base64.b64decode(header[6:].strip(), validate=True).decode()
        except (binascii.Error, UnicodeDecodeError):
            raise auth_failed() from None
        client_id, _, secret = decoded.partition(":")
        if client_id != self.client_id or secret != self.client_secret:
            raise auth_failed()

    def check_bearer(self, header: str | None) -> str:
        if not header or not header.startswith("Bearer "):
            raise auth_failed()
        token = header[7:].strip()
        with self._lock:
            expires_at = self._access.get(token)
        if expires_at is None or time.time() >= expires_at:
            raise auth_failed()
        return token

    # ----------------------------------------------------------------- actions
    def _refresh_valid(self, token: str, now: float) -> bool:
        info = self._refresh.get(token)
        if info is None or info.revoked or now >= info.issued_at + REFRESH_TTL:
            return False
        if token == self._current_refresh:
            return True
        if self.strict_rotation:
            return False
        grace = self.refresh_grace_seconds
        return grace is None or now - (info.superseded_at or now) <= grace

    def refresh(self, refresh_token: str | None) -> dict:
        """Handle ``grant_type=refresh_token``: rotate the refresh token, issue an access token."""
        if not refresh_token:
            raise ApiError(400, 1, "Missing refresh_token")
        now = time.time()
        with self._lock:
            if not self._refresh_valid(refresh_token, now):
                raise ApiError(400, 1, "Invalid refresh token")
            self.refreshes += 1
            self._serial += 1
            new_refresh = f"fake-refresh-{self._serial}"
            self._refresh[self._current_refresh].superseded_at = now
            self._refresh[new_refresh] = _Refresh(now)
            self._current_refresh = new_refresh
            access = self._new_access_locked(now)
        return {
            "access_token": access,
            "token_type": "bearer",
            "expires_in": self.access_token_expires_in,
            "scope": SCOPE,
            "refresh_token": new_refresh,
            "refresh_token_expires_in": REFRESH_TTL,
            "refresh_token_expires_at": int(now) + REFRESH_TTL,
            "response_type": "refresh_token",
        }

    def _new_access_locked(self, now: float) -> str:
        self._counter += 1
        tag = hashlib.sha256(f"sim-{self._counter}-{now}".encode()).hexdigest()[:12]
        token = f"sim-access-{self._counter}-{tag}"
        self._access[token] = now + self.access_token_expires_in
        return token

    def issue_access_token(self, expires_in: float | None = None) -> str:
        """Mint an access token directly (tests that skip the refresh flow)."""
        now = time.time()
        with self._lock:
            token = self._new_access_locked(now)
            if expires_in is not None:
                self._access[token] = now + expires_in
            return token

    def revoke_access_tokens(self) -> int:
        """Every access token issued so far (the static one too) stops working."""
        with self._lock:
            n = len(self._access)
            self._access.clear()
            return n

    def revoke_refresh_tokens(self) -> int:
        with self._lock:
            for info in self._refresh.values():
                info.revoked = True
            return len(self._refresh)
