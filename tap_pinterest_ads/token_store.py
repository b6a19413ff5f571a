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
import typing as t
from pathlib import Path

from tap_pinterest_ads.errors import TapError


class TokenStoreError(TapError):
    """`token_store_path` cannot be read or written: one line, before any token is lost."""


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

    def _read_all(self) -> dict[str, t.Any]:
        if self.path.is_dir():
            raise self._error("is a directory, not a file")
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
        except (FileNotFoundError, NotADirectoryError):
            return {}  # no store yet; whether one can be written is `check_writable`'s question
        except OSError as exc:
            raise self._error(f"cannot be read ({exc.strerror or exc})") from None
        except ValueError as exc:
            raise self._error(f"is not a token store: not JSON ({exc})") from None
        if not isinstance(data, dict):
            raise self._error("is not a token store: the JSON is not an object")
        return data

    def _error(self, problem: str) -> TokenStoreError:
        return TokenStoreError(
            f"token_store_path {str(self.path)!r} {problem}; fix the setting, or move the file "
            "away and run again with the newest refresh_token in the config"
        )

    def check_writable(self) -> None:
        """Prove the store can be replaced (write and rename a file beside it), or stop.

        Pinterest rotates the refresh token on every refresh and may accept only the newest:
        asking for a token that cannot then be kept would lose the authorization.
        """
        self._read_all()  # a directory, unreadable or corrupt: stop before any token request
        made: list[str] = []
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            for _ in range(2):
                fd, name = tempfile.mkstemp(dir=self.path.parent, prefix=".token-store-check-")
                made.append(name)
                with os.fdopen(fd, "w", encoding="utf-8") as handle:
                    handle.write("{}")
            os.replace(made[0], made[1])  # what `save` does to the store itself
            made.pop(0)
        except OSError as exc:
            raise TokenStoreError(
                f"token_store_path {str(self.path)!r} is not writable "
                f"({exc.strerror or type(exc).__name__}): stopping before asking Pinterest for "
                "a token, because the rotated refresh token could not be kept"
            ) from None
        finally:
            for name in made:
                with contextlib.suppress(OSError):
                    os.unlink(name)

    def load(self, client_id: str, configured_token: str | None) -> StoredToken | None:
        """Return the stored token when it descends from the configured one."""
        entry = self._read_all().get(client_id)
        if not isinstance(entry, dict) or not isinstance(entry.get("refresh_token"), str):
            return None
        if configured_token and entry.get("seed") != _fingerprint(configured_token):
            return None  # the config holds a newer authorization than the store
        return StoredToken(entry["refresh_token"], entry.get("refresh_token_expires_at"))

    def save(self, client_id: str, configured_token: str | None, token: StoredToken) -> None:
        """Record `token` as the newest, replacing the file in one rename."""
        data = self._read_all()
        entry = data.get(client_id)
        previous = entry if isinstance(entry, dict) else {}
        seed = _fingerprint(configured_token) if configured_token else previous.get("seed")
        data[client_id] = {
            "refresh_token": token.refresh_token,
            "refresh_token_expires_at": token.expires_at,
            "seed": seed,
        }
        try:
            self._replace(data)
        except OSError as exc:
            raise TokenStoreError(
                f"could not write the rotated refresh token to token_store_path "
                f"{str(self.path)!r} ({exc.strerror or type(exc).__name__}); if the next run's "
                "token request is refused, authorize the app again"
            ) from None

    def _replace(self, data: dict[str, t.Any]) -> None:
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
