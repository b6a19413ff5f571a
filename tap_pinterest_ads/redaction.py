"""Keeps secrets out of logs and error messages."""

from __future__ import annotations


class Redactor:
    """Replaces every known secret value in a text with `***`."""

    def __init__(self) -> None:
        self._secrets: set[str] = set()

    def add(self, secret: str | None) -> None:
        """Remember a secret; very short values are ignored (they would mask ordinary text)."""
        if secret and len(secret) >= 6:
            self._secrets.add(secret)

    def __call__(self, text: str) -> str:
        """Return `text` with every known secret masked."""
        for secret in sorted(self._secrets, key=len, reverse=True):
            text = text.replace(secret, "***")
        return text
