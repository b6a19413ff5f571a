"""Async report flow as plain objects: create -> poll -> download -> parse, with an injected clock.

Pinterest keeps a finished report for 1 hour and each download URL for 5 minutes, so a URL is
fetched right after it is obtained and re-polled for when storage refuses it.
"""

from __future__ import annotations

import contextlib
import io
import logging
from collections.abc import Generator
from typing import IO, Any

import requests

from tap_pinterest_ads.redaction import redact_url
from tap_pinterest_ads.reports import ReportError
from tap_pinterest_ads.reports.download import AttemptError, byte_count, fetch, is_blank
from tap_pinterest_ads.reports.parse import CorruptReport, iter_csv_report, iter_json_report
from tap_pinterest_ads.reports.request import Clock, ReportApi, ReportRequest

LOGGER = logging.getLogger(__name__)

FINISHED = "FINISHED"
# Each wait is 25% longer than the one before: a ready report is read at most about a
# quarter of its build time late, for a few more polls than doubling (capped at poll_max).
POLL_FACTOR = 1.25
# Statuses after which the token is useless and the report must be created again.
RECREATE_STATUSES = frozenset({"FAILED", "EXPIRED", "CANCELLED", "DOES_NOT_EXIST"})


class ReportFailed(ReportError):  # noqa: N818 - name is part of the API
    """The report could not be produced within the allowed number of creations."""


class ReportTimeout(ReportError):  # noqa: N818 - name is part of the API
    """The report was not ready before the deadline."""


class ReportDownloadFailed(ReportError):  # noqa: N818 - name is part of the API
    """The report file could not be downloaded completely."""


class ReportJob:
    """One report: `submit()` creates it, `wait_for_url()` polls, `download()`, then `rows()`."""

    def __init__(
        self,
        request: ReportRequest,
        api: ReportApi,
        download_session: requests.Session,
        clock: Clock,
        *,
        poll_initial: float = 1.0,
        poll_factor: float = POLL_FACTOR,
        poll_max: float = 30.0,
        deadline_seconds: float = 1800,
        max_creates: int = 3,
        max_downloads: int = 3,
        download_timeout: tuple[float, float] = (10.0, 300.0),
        logger: logging.Logger | None = None,
    ) -> None:
        self.request = request
        self._api = api
        self._session = download_session
        self._clock = clock
        self._poll_initial = poll_initial
        self._poll_factor = poll_factor
        self._poll_max = poll_max
        self._deadline_seconds = deadline_seconds
        self._max_creates = max_creates
        self._max_downloads = max_downloads
        self._timeout = download_timeout
        self._log = logger or LOGGER
        self.token: str | None = None
        self.status: str | None = None
        self.creates = 0
        self.downloads = 0
        self._started: float | None = None
        self._delay = poll_initial
        self._next_poll = 0.0
        self._url: str | None = None
        self._size: int | None = None
        # FINISHED without a file: the spec's `url` is nullable, and an empty window has none.
        self._empty = False
        self._had_file = False  # this report has offered a file: it cannot turn empty later
        self._file: IO[bytes] | None = None

    def _where(self) -> str:
        return f"ad account {self.request.ad_account_id}, window {self.request.window}"

    def submit(self) -> None:
        """Create the report (POST) and schedule the first poll `poll_initial` seconds later."""
        response = self._api.create_report(self.request.ad_account_id, self.request.body())
        self.creates += 1
        now = self._clock.monotonic()
        if self._started is None:
            self._started = now
        self.status = response.get("report_status")
        token = response.get("token")
        if not token:
            message = str(response.get("message") or "")[:200]
            raise ReportFailed(
                f"report for {self._where()} was not accepted "
                f"(status {self.status}, message {message!r})"
            )
        self.token, self._url, self._size = token, None, None
        self._empty = self._had_file = False
        self._delay = self._poll_initial
        # A report already FINISHED at creation (one the API had kept) is polled at once.
        self._next_poll = now if self.status == FINISHED else now + self._poll_initial
        self._log.info("Report requested: %s (creation %d)", self._where(), self.creates)

    def wait_for_url(self) -> tuple[str | None, int | None]:
        """Poll until FINISHED and return (url, size); recreate failed reports.

        A report FINISHED without a url is an empty window: (None, None).
        """
        if self._url or self._empty:
            return self._url, self._size
        if self.token is None:
            self.submit()
        deadline = (self._started or 0.0) + self._deadline_seconds
        while True:
            now = self._clock.monotonic()
            pause = min(self._next_poll, deadline) - now
            if pause > 0:
                self._clock.sleep(pause)
            response = self._api.get_report(self.request.ad_account_id, str(self.token))
            self.status = status = response.get("report_status")
            elapsed = self._clock.monotonic() - (self._started or 0.0)
            self._log.info(
                "Report %s: ad account %s, window %s, %.0fs elapsed",
                status, self.request.ad_account_id, self.request.window, elapsed,
            )  # fmt: skip
            if status == FINISHED:
                return self._finished(response.get("url"), response.get("size"))
            if status in RECREATE_STATUSES and self.creates >= self._max_creates:
                raise ReportFailed(
                    f"report for {self._where()} failed: status {status} "
                    f"after {self.creates} creation(s)"
                )
            if elapsed >= self._deadline_seconds:
                raise ReportTimeout(
                    f"report for {self._where()} not ready after {elapsed:.0f}s "
                    f"(last status {status}); raise report_timeout_seconds to wait longer"
                )
            if status in RECREATE_STATUSES:
                self._log.warning("Report %s for %s; creating it again", status, self._where())
                self.submit()
                continue
            self._delay = min(self._delay * self._poll_factor, self._poll_max)
            self._next_poll = self._clock.monotonic() + self._delay

    def _finished(self, url: object, size: object) -> tuple[str | None, int | None]:
        if url is None or url == "":
            if self._had_file:
                raise ReportDownloadFailed(
                    f"report for {self._where()} no longer offers the file it offered before"
                )
            self._log.info("Report for %s has no file: an empty window", self._where())
            self._empty = True
            return None, None
        if not isinstance(url, str):
            raise ReportFailed(f"report for {self._where()} finished with a download link "
                               f"that is not a URL ({type(url).__name__})")  # fmt: skip
        self._url, self._size, self._had_file = url, byte_count(size), True
        return self._url, self._size

    def download(self) -> None:
        """Fetch the finished report into a temporary file and verify it is complete."""
        self.close()
        url, size = self.wait_for_url()
        if url is None:
            self._file = io.BytesIO()
            return
        while True:
            self.downloads += 1
            try:
                self._file = self._fetch(url, size)
            except AttemptError as retry:
                self._log.warning(
                    "Report download %d/%d for %s failed (%s): %s",
                    self.downloads, self._max_downloads, self._where(), retry.reason,
                    redact_url(url),
                )  # fmt: skip
                if self.downloads >= self._max_downloads:
                    raise ReportDownloadFailed(
                        f"report for {self._where()} could not be downloaded after "
                        f"{self.downloads} attempt(s): {retry.reason}"
                    ) from None
                if retry.fresh_url:
                    self._url = None  # the next poll is already due: it returns a fresh link
                    url, size = self.wait_for_url()
                    # A report that offered a file cannot turn empty (_finished raises).
                    assert url is not None
                else:
                    self._clock.sleep(self._poll_initial)
            else:
                self._log.info("Report downloaded for %s from %s", self._where(), redact_url(url))
                return

    def _fetch(self, url: str, size: int | None) -> IO[bytes]:
        return fetch(
            self._session,
            url,
            size,
            report_format=self.request.report_format,
            timeout=self._timeout,
            log=self._log,
            where=self._where(),
        )

    def rows(self) -> Generator[dict[str, Any], None, None]:
        """Raw row dicts of the report (upper-case keys), downloading it first if needed.

        The whole file is downloaded and checked (transfer complete, closing brace) before any
        row is parsed; rows are then parsed lazily. If the parser still finds the file corrupt
        before yielding a row, it is downloaded once more. Once rows were yielded a retry would emit
        them twice, so that raises ReportDownloadFailed: never silent loss, never duplicates.
        """
        parse = iter_json_report if self.request.report_format == "JSON" else iter_csv_report
        retried = False
        try:
            if self._file is None:
                self.download()
            while True:
                assert self._file is not None
                if is_blank(self._file):
                    return  # an empty window: no file, or a file without a byte of report
                self._file.seek(0)
                count = 0
                try:
                    # Closed before the file is: a consumer that stops early (a row that fails
                    # its window) must not leave the parser to be finalized on a closed file.
                    with contextlib.closing(parse(self._file)) as parsed:
                        for count, row in enumerate(parsed, 1):  # noqa: B007
                            yield row
                except CorruptReport as exc:
                    if count or retried or self.downloads >= self._max_downloads:
                        raise ReportDownloadFailed(
                            f"report for {self._where()} is corrupt after {count} row(s): {exc}"
                        ) from exc
                    self._log.warning("Report for %s is corrupt (%s); downloading again",
                                      self._where(), exc)  # fmt: skip
                    retried = True
                    self.download()
                else:
                    return
        finally:
            self.close()

    def close(self) -> None:
        """Delete the downloaded temporary file, if any."""
        if self._file is not None:
            self._file.close()
            self._file = None

    def __enter__(self) -> ReportJob:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()
