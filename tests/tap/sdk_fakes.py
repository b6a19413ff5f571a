"""A minimal tap and stream on singer-sdk's classes (through sdk_compat.py), so that each test of
test_sdk_compat_*.py shows only the SDK's part."""

from __future__ import annotations

import json
import logging
import signal
import typing as t

import backoff
import requests
from singer_sdk.exceptions import ConfigValidationError

from tap_pinterest_ads.sdk_compat import (
    PROGRESS_MARKERS,
    SdkStream,
    SdkTap,
)

URL_BASE = "https://api.example.test"
DAYS = ("2024-01-01", "2024-01-02")


class Things(SdkStream):
    """A full-table stream of two records that notes what singer-sdk makes it do."""

    name = "things"
    path = "/things"
    url_base = URL_BASE
    primary_keys = ("id",)
    schema: t.ClassVar[dict[str, t.Any]] = {
        "type": "object",
        "properties": {"id": {"type": "integer"}, "date": {"type": "string"}},
    }

    def __init__(self, tap: SdkTap) -> None:
        super().__init__(tap)
        self.events: list[str] = []

    def get_records(self, context: t.Any) -> t.Iterator[dict[str, t.Any]]:
        for number, day in enumerate(DAYS, 1):
            self.events.append(f"record {number}")
            yield {"id": number, "date": day}

    def on_activate_version(self, version: int) -> None:
        self.events.append("activate version")

    def after_sync(self, context: t.Any) -> None:
        self.events.append("after sync")

    def log(self, message: str, *args: t.Any, level: int = logging.INFO, **kwargs: t.Any) -> None:
        if level >= logging.ERROR:
            self.events.append(f"error: {message}")
        super().log(message, *args, level=level, **kwargs)

    def backoff_wait_generator(self) -> t.Generator[float, None, None]:
        return backoff.constant(interval=0)

    @property
    def emit_activate_version_messages(self) -> bool:
        return True

    @property
    def authenticator(self) -> t.Callable[[requests.PreparedRequest], requests.PreparedRequest]:
        def authenticate(request: requests.PreparedRequest) -> requests.PreparedRequest:
            request.headers["Authorization"] = "Bearer t"
            return request

        return authenticate


class DatedThings(Things):
    """An incremental stream with one partition, unsorted, whose progress the test sets."""

    name = "dated_things"
    replication_key = "date"
    is_sorted = False
    state_partitioning_keys: t.ClassVar[list[str]] = ["shard"]
    STATE_MSG_FREQUENCY = 1  # a STATE after each record, so progress shows mid-partition

    @property
    def partitions(self) -> list[dict[str, t.Any]]:
        return [{"shard": "a"}]

    def get_records(self, context: t.Any) -> t.Iterator[dict[str, t.Any]]:
        state = self.get_context_state(context)
        state.setdefault(PROGRESS_MARKERS, {"Note": "the tap's own note"})
        yield from super().get_records(context)
        state[PROGRESS_MARKERS].update(replication_key="date", replication_key_value="2024-01-31")


class CompatTap(SdkTap):
    name = "tap-compat-test"
    config_jsonschema: t.ClassVar[dict[str, t.Any]] = {
        "type": "object",
        "properties": {"limit": {"type": "integer"}},
    }
    stream_class: t.ClassVar[type[Things]] = Things

    def __init__(self, **kwargs: t.Any) -> None:
        self.events: list[str] = []
        try:
            super().__init__(**kwargs)
        except ConfigValidationError:
            self.events.append(f"refused {self.given_config}")
            raise

    def discover_streams(self) -> list[Things]:
        return [self.stream_class(self)]

    @property
    def stream(self) -> Things:
        stream = self.streams[self.stream_class.name]
        assert isinstance(stream, Things)
        return stream

    def environment_config(self) -> dict[str, t.Any]:
        return {"limit": 7}

    def connection_test(self) -> bool:
        self.events.append("connection test")
        return True

    def before_sync_all(self) -> None:
        self.events.append("before sync")

    def after_sync_all(self) -> None:
        self.events.append("after sync")

    def on_termination(self, signum: int) -> None:
        self.events.append(f"terminated by {signal.Signals(signum).name}")


def messages(out: str) -> list[dict[str, t.Any]]:
    return [json.loads(line) for line in out.splitlines() if line.startswith("{")]
