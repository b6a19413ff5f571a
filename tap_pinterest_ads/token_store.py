"""Keeps the newest Pinterest refresh token between runs.

Pinterest rotates the refresh token on every refresh and a continuous refresh token lives
60 days, so a tap that only ever reads its config dies two months after authorization.
The store is a small JSON file (mode 0600) keyed by client id. Each entry remembers a
hash of the configured token it descends from: when the user pastes a *new* refresh token
into the config (a fresh authorization), that one wins over the stored descendant.
"""

from __future__ import annotations

import contextlib
import dataclasses
import hashlib
import json
import os
import tempfile
from pathlib import Path


def _fingerprint(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


@dataclasses.dataclass(frozen=True)
class StoredToken:
    """The newest refresh token and when it stops working (epoch seconds, if known)."""

    refresh_token: str
    expires_at: int | None


class TokenStore:
    """A JSON file of rotated refresh tokens, written atomically."""

    def __init__(self, path: str | os.PathLike[str]) -> None:
        self.path = Path(path).expanduser()

    def _read_all(self) -> dict:
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return {}
        except (OSError, ValueError) as exc:
            msg = f"token_store_path {str(self.path)!r} is not a readable token store: {exc}"
            raise ValueError(msg) from None
        return data if isinstance(data, dict) else {}

    def load(self, client_id: str, configured_token: str | None) -> StoredToken | None:
        """Return the stored token when it descends from the configured one."""
        entry = self._read_all().get(client_id)
        if not isinstance(entry, dict) or "refresh_token" not in entry:
            return None
        if configured_token and entry.get("seed") != _fingerprint(configured_token):
            return None  # the config holds a newer authorization than the store
        return StoredToken(entry["refresh_token"], entry.get("refresh_token_expires_at"))

    def save(self, client_id: str, configured_token: str | None, token: StoredToken) -> None:
        """Record `token` as the newest, replacing the file in one rename."""
        data = self._read_all()
        previous = data.get(client_id) if isinstance(data.get(client_id), dict) else {}
        seed = _fingerprint(configured_token) if configured_token else previous.get("seed")
        data[client_id] = {
            "refresh_token": token.refresh_token,
            "refresh_token_expires_at": token.expires_at,
            "seed": seed,
        }
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=self.path.parent, prefix=".token-store-")
        try:
            os.fchmod(fd, 0o600)
            with os.fdopen(fd, "w", encoding="utf-8") as handle:
                json.dump(data, handle, indent=2)
            os.replace(tmp, self.path)
        except BaseException:
            with contextlib.suppress(OSError):
                os.unlink(tmp)
            raise
