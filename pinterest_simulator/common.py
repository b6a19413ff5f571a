"""Small shared helpers: API errors, deterministic hashing, id and time helpers."""

from __future__ import annotations

import calendar
import hashlib
from datetime import date, datetime, timezone
from pathlib import Path

#: Obviously fake credentials used as defaults (never real secrets).
FAKE_CLIENT_ID = "fake-client-id"
FAKE_CLIENT_SECRET = "fake-client-secret"  # noqa: S105 - obviously fake
FAKE_REFRESH_TOKEN = "fake-refresh-0"  # noqa: S105 - obviously fake

ENTITY_STATUSES = ("ACTIVE", "PAUSED", "ARCHIVED", "DRAFT", "DELETED_DRAFT")
DEFAULT_ENTITY_STATUSES = ("ACTIVE", "PAUSED")

#: Kinds accepted by ``remove_entity`` / ``update_entity`` (aliases -> canonical).
KIND_ALIASES = {
    "ad_account": "ad_account",
    "ad_accounts": "ad_account",
    "account": "ad_account",
    "campaign": "campaign",
    "campaigns": "campaign",
    "ad_group": "ad_group",
    "ad_groups": "ad_group",
    "adgroup": "ad_group",
    "ad": "ad",
    "ads": "ad",
    "pin_promotion": "ad",
}


class ApiError(Exception):
    """An error answered as ``{"code": ..., "message": ...}`` with an HTTP status."""

    def __init__(self, status: int, code: int, message: str, headers: dict | None = None):
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message
        self.headers = headers or {}

    @property
    def body(self) -> dict:
        return {"code": self.code, "message": self.message}


def bad_request(message: str) -> ApiError:
    return ApiError(400, 1, message)


def canonical_kind(kind: str) -> str:
    try:
        return KIND_ALIASES[kind.lower()]
    except KeyError:
        raise ValueError(f"unknown entity kind {kind!r}") from None


def digest(*parts: object, size: int = 16) -> bytes:
    """Deterministic bytes derived from the given parts (no random state)."""
    text = "|".join(str(p) for p in parts).encode()
    return hashlib.blake2b(text, digest_size=size).digest()


def hnum(*parts: object) -> int:
    """Deterministic non-negative integer derived from the given parts."""
    return int.from_bytes(digest(*parts, size=8), "big")


def pick(seq, *parts: object):
    return seq[hnum(*parts) % len(seq)]


def epoch(day: date) -> int:
    """Epoch seconds of midnight UTC of ``day``."""
    return calendar.timegm(day.timetuple())


def utc_today() -> date:
    return datetime.now(timezone.utc).date()


def parse_date(value: object, field: str) -> date:
    if not isinstance(value, str) or len(value) != 10:
        raise bad_request(f"Invalid {field}: expected YYYY-MM-DD, got {value!r}")
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise bad_request(f"Invalid {field}: expected YYYY-MM-DD, got {value!r}") from None


def load_async_columns() -> frozenset[str]:
    path = Path(__file__).with_name("async_columns.txt")
    lines = path.read_text(encoding="utf-8").splitlines()
    return frozenset(ln.strip() for ln in lines if ln.strip() and not ln.startswith("#"))


ASYNC_COLUMNS = load_async_columns()
