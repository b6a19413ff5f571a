"""Async report flow: request validation, jobs rendered in background threads, pre-signed-looking
download links that expire."""

from __future__ import annotations

import hashlib
import json
import shutil
import tempfile
import threading
import time
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import TYPE_CHECKING

from .breakdowns import HOUR_BACK_DAYS, HOUR_SPAN_DAYS, check_targeting
from .common import ASYNC_COLUMNS, bad_request, parse_date
from .delivery import LEVEL_KIND
from .render import render_report
from .report_faults import EMPTY_KINDS, FILE_KINDS, apply_file_faults

if TYPE_CHECKING:
    from .dataset import Dataset

LEVELS = (
    "ADVERTISER", "ADVERTISER_TARGETING", "CAMPAIGN", "CAMPAIGN_TARGETING", "AD_GROUP",
    "AD_GROUP_TARGETING", "PIN_PROMOTION", "PIN_PROMOTION_TARGETING", "KEYWORD", "PRODUCT_GROUP",
    "PRODUCT_GROUP_TARGETING", "PRODUCT_ITEM", "PRODUCT_ITEM_TARGETING",
)  # fmt: skip
GRANULARITIES = ("TOTAL", "DAY", "HOUR", "WEEK", "MONTH")
WINDOW_DAYS = (0, 1, 7, 14, 30, 60)
# (click, engagement, view) days the API accepts together; each value alone is in WINDOW_DAYS.
ATTRIBUTION_TRIPLES = frozenset(
    {
        (60, 60, 60), (60, 60, 30), (60, 60, 7), (60, 60, 1), (60, 30, 30), (60, 30, 7),
        (60, 30, 1), (60, 7, 7), (60, 7, 1), (60, 1, 1), (30, 60, 1), (30, 30, 30),
        (30, 30, 7), (30, 30, 1), (30, 7, 7), (30, 7, 1), (30, 1, 1), (7, 7, 7), (7, 7, 1),
        (7, 1, 1), (1, 1, 1),
    }
)  # fmt: skip
MAX_BACK_DAYS = 914
MAX_SPAN_DAYS = 186


def _check_dates(body: dict, today: date, granularity: str) -> tuple[date, date]:
    start = parse_date(body["start_date"], "start_date")
    end = parse_date(body["end_date"], "end_date")
    if end < start:
        raise bad_request("end_date must be on or after start_date.")
    hourly = granularity == "HOUR"
    span, back = (HOUR_SPAN_DAYS, HOUR_BACK_DAYS) if hourly else (MAX_SPAN_DAYS, MAX_BACK_DAYS)
    if (end - start).days + 1 > span:
        raise bad_request(f"Date range exceeds {span} days.")
    if start < today - timedelta(days=back):
        raise bad_request(f"start_date cannot be more than {back} days in the past.")
    return start, end


def _check_columns(columns: object) -> list[str]:
    if not isinstance(columns, list) or not columns or not all(isinstance(c, str) for c in columns):
        raise bad_request("columns must be a non-empty array of column names.")
    unknown = [c for c in columns if c not in ASYNC_COLUMNS]
    if unknown:
        raise bad_request(f"Invalid columns: {', '.join(unknown)}")
    return list(columns)


def _check_enum(body: dict, name: str, allowed: tuple, default=None):
    value = body.get(name, default)
    if value not in allowed:
        raise bad_request(f"Invalid {name}: {value!r}")
    return value


def _check_filters(body: dict) -> dict[str, list[str]]:
    filters = {}
    for name in ("campaign_ids", "ad_group_ids", "ad_ids"):
        ids = body.get(name)
        if ids is not None:
            if not isinstance(ids, list) or not 1 <= len(ids) <= 500:
                raise bad_request(f"{name} must be an array of 1 to 500 ids.")
            filters[name] = [str(i) for i in ids]
    return filters


def validate(body: object, today: date) -> dict:
    """Validate an AdsAnalyticsCreateAsyncRequest; return the normalized request."""
    if not isinstance(body, dict):
        raise bad_request("Request body must be a JSON object.")
    for name in ("start_date", "end_date", "granularity", "level", "columns"):
        if name not in body:
            raise bad_request(f"Missing required field: {name}")
    level = _check_enum(body, "level", LEVELS)
    granularity = _check_enum(body, "granularity", GRANULARITIES)
    start, end = _check_dates(body, today, granularity)
    if level not in LEVEL_KIND:
        raise bad_request(f"Level {level} is not supported by the simulator.")
    columns = _check_columns(body["columns"])
    windows = tuple(
        _check_enum(body, name, WINDOW_DAYS, default)
        for name, default in (
            ("click_window_days", 30),
            ("engagement_window_days", 30),
            ("view_window_days", 1),
        )
    )
    if windows not in ATTRIBUTION_TRIPLES:
        raise bad_request(
            "Invalid attribution windows (click_window_days, engagement_window_days, "
            f"view_window_days): {windows}"
        )
    return {
        "start": start,
        "end": end,
        "level": level,
        "granularity": granularity,
        "columns": columns,
        "report_format": _check_enum(body, "report_format", ("JSON", "CSV"), "JSON"),
        "primary_sort": _check_enum(body, "primary_sort", ("BY_ID", "BY_DATE"), "BY_ID"),
        "filters": _check_filters(body),
        "targeting_types": check_targeting(body, level),
    }


@dataclass
class ReportJob:
    token: str
    account_id: str
    request: dict
    created_at: float
    file_id: str
    path: Path | None = None
    size: int | None = None
    rows: int | None = None
    render_seconds: float | None = None
    error: str | None = None
    done: threading.Event = field(default_factory=threading.Event)
    # Report faults (report_faults.py): file changes taken at creation, and the switches.
    changes: list = field(default_factory=list)
    faults: object = None

    @property
    def api_path(self) -> str:
        return f"/v5/ad_accounts/{self.account_id}/reports"


class ReportStore:
    def __init__(
        self,
        dataset: Dataset,
        directory: Path | None,
        delay: float,
        url_ttl: float,
        report_ttl: float,
        *,
        faults=None,
    ):
        self.dataset = dataset
        self.faults = faults  # report faults (report_faults.py) are consumed here
        self._own_dir = directory is None
        self.directory = Path(directory or tempfile.mkdtemp(prefix="pinterest-sim-"))
        self.directory.mkdir(parents=True, exist_ok=True)
        self.delay = delay
        self.url_ttl = url_ttl
        self.report_ttl = report_ttl
        self._lock = threading.Lock()
        self._jobs: dict[str, ReportJob] = {}
        self._files: dict[str, ReportJob] = {}
        self._links: dict[str, tuple[str, float]] = {}  # signature -> (file id, issued_at)
        self._cache: dict[str, tuple[Path, int, int]] = {}
        self._serial = 0

    def create(self, account_id: str, body: object) -> ReportJob:
        request = validate(body, self.dataset.today)
        with self._lock:
            self._serial += 1
            serial = self._serial
        digest = hashlib.sha256(f"{account_id}|{serial}|{time.time()}".encode()).hexdigest()
        job = ReportJob(
            f"sim-report-{serial}-{digest[:16]}",
            account_id,
            request,
            time.time(),
            f"{serial:06d}{digest[16:32]}",
        )
        if self.faults is not None:
            job.faults = self.faults
            taken = (self.faults.take(kind, "POST", job.api_path) for kind in FILE_KINDS)
            job.changes = [fault for fault in taken if fault is not None]
        with self._lock:
            self._jobs[job.token] = job
            self._files[job.file_id] = job
        threading.Thread(
            target=self._render, args=(job,), daemon=True, name=f"sim-report-{serial}"
        ).start()
        return job

    def _render(self, job: ReportJob) -> None:
        r = job.request
        key = json.dumps(
            [
                job.account_id,
                self.dataset.version,
                # Open days' conversions change as the books clock moves (books.py).
                self.dataset.books.clock,
                {**r, "start": str(r["start"]), "end": str(r["end"])},
            ],
            sort_keys=True,
        )
        started = time.perf_counter()
        try:
            with self._lock:
                cached = self._cache.get(key)
            if cached is not None:
                job.path, job.size, job.rows = cached
            else:
                path = self.directory / f"{job.file_id}.txt"
                rows, size = render_report(self.dataset, path, job.account_id, r)
                job.path, job.size, job.rows = path, size, rows
                with self._lock:
                    self._cache[key] = (path, size, rows)
            self._apply_faults(job)
        except Exception as exc:  # surfaced as report_status FAILED
            job.error = f"{type(exc).__name__}: {exc}"
        finally:
            job.render_seconds = time.perf_counter() - started
            job.done.set()

    def _apply_faults(self, job: ReportJob) -> None:
        """File faults give the job its own changed copy (the cache keeps the original)."""
        if job.changes:
            target = self.directory / f"{job.file_id}-changed.txt"
            job.rows, job.size = apply_file_faults(job.path, target, job.changes, job.request)
            job.path = target
        empty = EMPTY_KINDS[1]  # zero_byte_report
        if job.rows == 0 and job.faults and job.faults.take(empty, "POST", job.api_path):
            target = self.directory / f"{job.file_id}-empty.txt"
            target.write_bytes(b"")
            job.path, job.size = target, 0

    def get(self, account_id: str, token: str) -> ReportJob | None:
        with self._lock:
            job = self._jobs.get(token)
        return job if job is not None and job.account_id == account_id else None

    def status(self, job: ReportJob) -> str:
        now = time.time()
        if now - job.created_at > self.report_ttl:
            return "EXPIRED"
        if not job.done.is_set() or now - job.created_at < self.delay:
            return "IN_PROGRESS"
        return "FAILED" if job.error else "FINISHED"

    def sign(self, job: ReportJob, root_url: str) -> str:
        """A fresh pre-signed-looking URL for the job's file, valid ``url_ttl`` seconds."""
        issued = time.time()
        signature = hashlib.sha256(f"{job.file_id}|{issued}|sim".encode()).hexdigest()
        with self._lock:
            self._links[signature] = (job.file_id, issued)
        stamp = time.strftime("%Y%m%dT%H%M%SZ", time.gmtime(issued))
        return (
            f"{root_url}/_files/{job.file_id}/metrics_report.txt"
            f"?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=FAKESIMULATOR%2F{stamp[:8]}"
            f"%2Fus-east-1%2Fs3%2Faws4_request&X-Amz-Date={stamp}"
            f"&X-Amz-Expires={int(self.url_ttl)}&X-Amz-SignedHeaders=host"
            f"&X-Amz-Signature={signature}"
        )

    def resolve(self, file_id: str, signature: str | None) -> tuple[ReportJob | None, bool]:
        """``(job, expired)``; job is None when the link is unknown or does not match."""
        with self._lock:
            link = self._links.get(signature or "")
            job = self._files.get(file_id)
        if link is None or job is None or link[0] != file_id or job.path is None:
            return None, False
        return job, time.time() - link[1] > self.url_ttl

    def jobs(self) -> list[ReportJob]:
        with self._lock:
            return list(self._jobs.values())

    def close(self) -> None:
        if self._own_dir:
            shutil.rmtree(self.directory, ignore_errors=True)
