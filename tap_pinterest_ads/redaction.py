"""Keeps secrets out of logs and error messages: known secret values and URL queries."""

from __future__ import annotations

import logging
import re
from urllib.parse import urlsplit

from tap_pinterest_ads.typing_compat import override

# The query of a pre-signed storage URL is its credential (X-Amz-Signature, X-Amz-Credential,
# X-Amz-Security-Token, or the older Signature=…): mask all of it, as `redact_url` does.
_SIGNED_QUERY = re.compile(
    r"\?(?=[^\s\"'<>]*(?:X-Amz-|[Ss]ignature=|AWSAccessKeyId=))[^\s\"'<>]*", re.IGNORECASE
)
# Any URL's query: it may carry a report token, a bookmark or a pre-signed credential.
_URL_QUERY = re.compile(r"((?:https?://|/)[^\s?'\"<>()]*)\?[^\s'\"<>()]*")


def redact_url(url: str | None) -> str:
    """Scheme, host and path only: the query of a pre-signed URL is its credential."""
    if not url:
        return "<no url>"
    parts = urlsplit(url)
    host = parts.hostname or ""
    if parts.port:
        host = f"{host}:{parts.port}"
    suffix = "?<redacted>" if parts.query else ""
    return f"{parts.scheme}://{host}{parts.path}{suffix}"


def without_url_queries(text: str) -> str:
    """`text` with the query of every URL (or path) in it left out."""
    return _URL_QUERY.sub(r"\1", text)


class Redactor:
    """Replaces every known secret value in a text with `***`, and signed URL queries."""

    def __init__(self) -> None:
        self._secrets: set[str] = set()

    def add(self, secret: object) -> None:
        """Remember a secret, whatever its type (a number or a list given by mistake is as
        secret as a string); very short values are ignored (they would mask ordinary text)."""
        if isinstance(secret, (list, tuple, set)):
            for item in secret:
                self.add(item)
        elif isinstance(secret, dict):
            for key, item in secret.items():
                self.add(key)
                self.add(item)
        elif secret is not None and not isinstance(secret, bool):
            text = secret if isinstance(secret, str) else str(secret)
            if len(text) >= 6:
                self._secrets.add(text)

    def __call__(self, text: str) -> str:
        """Return `text` with every known secret and pre-signed URL query masked."""
        for secret in sorted(self._secrets, key=len, reverse=True):
            text = text.replace(secret, "***")
        return _SIGNED_QUERY.sub("?<redacted>", text)


class RedactingFilter(logging.Filter):
    """A handler filter that masks secrets in every record, whichever library logged it.

    At DEBUG, urllib3 logs each request line with its query string: a report download's
    X-Amz-Signature would be printed. Filtering at the handlers covers urllib3, requests,
    singer-sdk and the tap alike, and keeps DEBUG useful instead of silencing libraries.
    """

    def __init__(self, redactor: Redactor) -> None:
        super().__init__()
        self.redactor = redactor

    @override
    def filter(self, record: logging.LogRecord) -> bool:
        """Mask the formatted message and any traceback text; never drops a record."""
        try:
            message = record.getMessage()
        except Exception:  # a malformed record: logging reports it, we let it through
            return True
        clean = self.redactor(message)
        if clean != message:
            record.msg, record.args = clean, None
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = self.redactor(record.exc_text)
        return True


_FILTER: RedactingFilter | None = None


def install_log_redaction(redactor: Redactor) -> None:
    """Mask `redactor`'s secrets in everything the process logs from now on.

    The filter goes on every handler configured so far (singer-sdk sets up the console
    handler before the tap starts); the latest tap's redactor is the one applied.
    """
    global _FILTER  # noqa: PLW0603 - one filter per process, whatever number of taps
    if _FILTER is None:
        _FILTER = RedactingFilter(redactor)
    _FILTER.redactor = redactor
    loggers = [logging.getLogger()] + [
        logger
        for logger in logging.Logger.manager.loggerDict.values()
        if isinstance(logger, logging.Logger)
    ]
    for logger in loggers:
        for handler in logger.handlers:
            if _FILTER not in handler.filters:
                handler.addFilter(_FILTER)
