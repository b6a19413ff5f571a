"""Downloading a finished report's file from its pre-signed storage link, and checking it.

The file is fetched whole into a temporary file before any row is parsed, so a broken
transfer is downloaded again instead of emitting part of a report.
"""

from __future__ import annotations

import logging
import math
import tempfile
from typing import IO

import requests

# Pre-signed storage URLs answer these once the link has lapsed (or was never valid).
LINK_EXPIRED_STATUSES = frozenset({400, 403, 404})
_DOWNLOAD_CHUNK = 1 << 20
# Transfer failures worth another attempt at the same URL.
_TRANSIENT = (
    requests.exceptions.ChunkedEncodingError,
    requests.exceptions.ContentDecodingError,
    requests.exceptions.ConnectionError,
    requests.exceptions.Timeout,
)


class AttemptError(Exception):
    """One download attempt failed; `fresh_url` says whether to re-poll for a new link first."""

    def __init__(self, reason: str, *, fresh_url: bool = False) -> None:
        super().__init__(reason)
        self.reason = reason
        self.fresh_url = fresh_url


def _no_auth(prepared: requests.PreparedRequest) -> requests.PreparedRequest:
    # A request-level auth callable also stops requests from applying session auth or ~/.netrc;
    # storage rejects a second credential next to the URL signature.
    prepared.headers.pop("Authorization", None)
    return prepared


def fetch(
    session: requests.Session,
    url: str,
    size: int | None,
    *,
    report_format: str,
    timeout: tuple[float, float],
    log: logging.Logger,
    where: str,
) -> IO[bytes]:
    """The whole file, checked, in a temporary file (the caller closes it); AttemptError."""
    target = tempfile.TemporaryFile()  # noqa: SIM115 - returned open to the caller
    try:
        written, encoding = _stream_into(target, session, url, timeout)
        # The spec calls `size` only a nullable number, and it has been seen off by a few
        # bytes: a cut transfer is caught by HTTP framing (Content-Length, chunks) and a cut
        # JSON document by its missing end, so a mismatch is only worth a note. (`size`
        # counts stored bytes; a compressed transfer is decoded, so only identity compares.)
        if size is not None and encoding in ("", "identity") and written != size:
            log.debug("Report for %s: %d bytes received, the poll said %d", where, written, size)
        # A 0-byte file (or blanks only) is an empty window, like a report without a url.
        if report_format == "JSON" and not (is_blank(target) or _ends_with(target, b"}")):
            raise AttemptError(f"JSON report ends mid-document after {written} bytes")
    except BaseException:
        target.close()
        raise
    target.seek(0)
    return target


def _stream_into(
    target: IO[bytes], session: requests.Session, url: str, timeout: tuple[float, float]
) -> tuple[int, str]:
    """(bytes written, the transfer's Content-Encoding)."""
    written = 0
    try:
        with session.get(url, stream=True, timeout=timeout, auth=_no_auth) as response:
            if response.status_code != 200:
                expired = response.status_code in LINK_EXPIRED_STATUSES
                raise AttemptError(
                    f"storage answered HTTP {response.status_code}", fresh_url=expired
                )
            for chunk in response.iter_content(_DOWNLOAD_CHUNK):
                target.write(chunk)
                written += len(chunk)
            return written, response.headers.get("Content-Encoding", "identity").lower()
    except _TRANSIENT as exc:
        # Name only the class: requests' messages quote the signed URL.
        raise AttemptError(f"{type(exc).__name__} after {written} bytes") from None


def _ends_with(fileobj: IO[bytes], suffix: bytes) -> bool:
    fileobj.seek(0, 2)
    end = fileobj.tell()
    fileobj.seek(max(0, end - 64))
    return fileobj.read().rstrip().endswith(suffix)


def is_blank(fileobj: IO[bytes]) -> bool:
    """A file of 0 bytes or blanks only (a UTF-8 BOM included): a report without rows."""
    fileobj.seek(0)
    while chunk := fileobj.read(1 << 16):
        if chunk.lstrip(b"\xef\xbb\xbf").strip():
            return False
    return True


def byte_count(size: object) -> int | None:
    """The poll's `size` (a nullable number in the spec) as a byte count, when it is one."""
    if isinstance(size, bool) or not isinstance(size, (int, float)):
        return None
    return int(size) if math.isfinite(size) and size >= 0 else None
