"""Each singer-sdk behaviour the tap relies on beyond the SDK's public API (sdk_compat.py).

A failure here after a singer-sdk upgrade names the touch point that changed: adapt
tap_pinterest_ads/sdk_compat.py (and only it), then the `singer-sdk` pin in pyproject.toml.
A minimal tap and stream stand for the real ones, so each test shows only the SDK's part.
"""

from __future__ import annotations

import json
import logging
import signal
import typing as t

import backoff
import pytest
import requests
import requests_mock
from singer_sdk.exceptions import ConfigValidationError
from singer_sdk.singerlib import RecordMessage

from tap_pinterest_ads.sdk_compat import (
    PROGRESS_MARKERS,
    SYNC_ERROR_MESSAGE,
    BaseBatchFileEncoding,
    BatchConfig,
    SdkStream,
    SdkTap,
    parse_environment_config,
)
from tap_pinterest_ads.singer_writer import TextSafeWriter
from tap_pinterest_ads.tap import TapPinterestAds

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


@pytest.fixture(autouse=True)
def _restore_signal_handlers() -> t.Iterator[None]:
    """Creating a tap installs its SIGTERM/SIGINT handlers for the whole process."""
    saved = {signum: signal.getsignal(signum) for signum in (signal.SIGTERM, signal.SIGINT)}
    yield
    for signum, handler in saved.items():
        signal.signal(signum, handler)


# The tap ---------------------------------------------------------------------------------


def test_the_environment_config_hook_is_what_parse_env_config_reads() -> None:
    tap = CompatTap(config={}, parse_env_config=True)
    assert tap.config["limit"] == 7


def test_the_config_given_is_readable_when_singer_sdk_refuses_it() -> None:
    tap = CompatTap.__new__(CompatTap)
    with pytest.raises(ConfigValidationError):
        CompatTap.__init__(tap, config={"limit": "many"})
    assert tap.events == ["refused {'limit': 'many'}"]


def test_the_environment_prefix_is_the_taps_name() -> None:
    assert CompatTap.env_var_prefix() == "TAP_COMPAT_TEST_"
    assert TapPinterestAds.env_var_prefix() == "TAP_PINTEREST_ADS_"


def test_parse_environment_config_gives_string_settings_their_text(monkeypatch, tmp_path) -> None:
    monkeypatch.chdir(tmp_path)  # no .env file around
    monkeypatch.setenv("TAP_COMPAT_TEST_IDS", '["1", 2]')
    schema = {"properties": {"ids": {"type": "string"}, "absent": {"type": "string"}}}
    assert parse_environment_config(schema, "TAP_COMPAT_TEST_") == {"ids": '["1", 2]'}


def test_the_test_option_runs_the_taps_connection_test(tmp_path) -> None:
    config = tmp_path / "config.json"
    config.write_text("{}", encoding="utf-8")
    tested: list[CompatTap] = []

    class Recorded(CompatTap):
        def connection_test(self) -> bool:
            tested.append(self)
            return True

    exit_code = Recorded.cli.main(["--config", str(config), "--test"], standalone_mode=False)
    assert exit_code in (0, None)
    assert len(tested) == 1


def test_a_termination_signal_reaches_the_taps_hook() -> None:
    tap = CompatTap(config={})
    handler = signal.getsignal(signal.SIGTERM)
    assert callable(handler)
    handler(signal.SIGTERM, None)
    assert tap.events == ["terminated by SIGTERM"]


def test_sync_all_runs_the_hooks_around_every_stream(capsys) -> None:
    tap = CompatTap(config={})
    tap.sync_all()
    assert tap.events == ["before sync", "after sync"]
    assert tap.stream.events[-1] == "after sync"
    assert [m["type"] for m in messages(capsys.readouterr().out)].count("RECORD") == 2


def test_the_taps_writer_is_its_message_writer_class() -> None:
    tap = TapPinterestAds(config={"access_token": "fake-token"}, validate_config=False)
    assert isinstance(tap.message_writer, TextSafeWriter)


def test_the_writer_serializes_every_message_through_serialize_message(capfdbinary) -> None:
    TextSafeWriter().write_message(RecordMessage(stream="s", record={"name": "a\ud800b"}))
    line = capfdbinary.readouterr().out
    assert json.loads(line)["record"]["name"] == "a\ufffdb"


# The stream ------------------------------------------------------------------------------


def test_activate_version_is_announced_before_the_first_record_and_can_be_held(capsys) -> None:
    tap = CompatTap(config={})
    tap.sync_all()
    assert tap.stream.events == ["activate version", "record 1", "record 2", "after sync"]
    # Held by the hook: singer-sdk itself wrote none.
    types = [m["type"] for m in messages(capsys.readouterr().out)]
    assert "ACTIVATE_VERSION" not in types
    tap.stream.write_activate_version(123)
    assert messages(capsys.readouterr().out) == [
        {"type": "ACTIVATE_VERSION", "stream": "things", "version": 123}
    ]


def test_a_failing_sync_logs_the_sdk_error_line_through_the_streams_log(capsys) -> None:
    tap = CompatTap(config={})

    def broken(context: t.Any) -> t.Iterator[dict[str, t.Any]]:
        raise RuntimeError("boom")
        yield

    tap.stream.get_records = broken
    with pytest.raises(RuntimeError, match="boom"):
        tap.sync_all()
    errors = [e for e in tap.stream.events if e.startswith("error: ")]
    assert errors == [f"error: {SYNC_ERROR_MESSAGE} '%s'"]


def test_progress_markers_keep_the_note_and_their_value_becomes_the_bookmark(capsys) -> None:
    class DatedTap(CompatTap):
        stream_class = DatedThings

    tap = DatedTap(config={})
    tap.sync_all()
    states = [m["value"] for m in messages(capsys.readouterr().out) if m["type"] == "STATE"]
    during = [s["bookmarks"]["dated_things"]["partitions"][0] for s in states]
    notes = {p[PROGRESS_MARKERS]["Note"] for p in during if PROGRESS_MARKERS in p}
    assert notes == {"the tap's own note"}
    assert tap.state["bookmarks"]["dated_things"]["partitions"] == [
        {
            "context": {"shard": "a"},
            "replication_key": "date",
            "replication_key_value": "2024-01-31",
        }
    ]


def test_send_goes_through_the_authenticator_validation_and_retries() -> None:
    stream = CompatTap(config={}).stream
    request = requests.Request("GET", f"{URL_BASE}/things").prepare()
    with requests_mock.Mocker() as api:
        api.get(f"{URL_BASE}/things", [{"status_code": 503}, {"json": {"ok": True}}])
        response = stream.send(request)
    assert response.json() == {"ok": True}
    assert [r.headers["Authorization"] for r in api.request_history] == ["Bearer t"] * 2


def test_batch_config_offers_what_the_batch_writer_reads(tmp_path) -> None:
    config = BatchConfig.from_dict(
        {
            "encoding": {"format": "jsonl", "compression": "gzip"},
            "storage": {"root": f"file://{tmp_path}", "prefix": "batch-"},
            "batch_size": 5,
        }
    )
    assert isinstance(config.encoding, BaseBatchFileEncoding)
    assert (config.encoding.compression, config.storage.prefix, config.batch_size) == (
        "gzip",
        "batch-",
        5,
    )
    with config.storage.open("file.json.gz", "wb") as handle:
        handle.write(b"{}")
    assert config.storage.get_url("file.json.gz").endswith("file.json.gz")
    assert (tmp_path / "file.json.gz").read_bytes() == b"{}"


def test_a_batch_config_makes_the_sdk_sync_through_get_batches(tmp_path, capsys) -> None:
    class Batched(Things):
        def get_batches(
            self, batch_config: BatchConfig, context: t.Any = None
        ) -> t.Iterator[tuple[BaseBatchFileEncoding, list[str]]]:
            yield batch_config.encoding, ["file:///made-by-the-stream.json"]

    class BatchedTap(CompatTap):
        stream_class = Batched

    batch_config = {"encoding": {"format": "jsonl"}, "storage": {"root": f"file://{tmp_path}"}}
    BatchedTap(config={"batch_config": batch_config}).sync_all()
    batches = [m for m in messages(capsys.readouterr().out) if m["type"] == "BATCH"]
    assert [b["manifest"] for b in batches] == [["file:///made-by-the-stream.json"]]


def test_records_skip_the_deselection_walk_only_when_every_property_is_selected(capsys) -> None:
    tap = CompatTap(config={})
    assert tap.stream.selects_every_property
    tap.sync_all()
    assert [m["record"] for m in messages(capsys.readouterr().out) if m["type"] == "RECORD"] == [
        {"id": 1, "date": DAYS[0]},
        {"id": 2, "date": DAYS[1]},
    ]
    tap = CompatTap(config={})
    tap.stream.mask[("properties", "date")] = False
    assert not tap.stream.selects_every_property
    tap.sync_all()
    records = [m["record"] for m in messages(capsys.readouterr().out) if m["type"] == "RECORD"]
    assert records == [{"id": 1}, {"id": 2}]


@pytest.mark.parametrize("per_record", [True, False])
def test_bookmark_per_record_decides_whether_records_move_the_progress_marker(
    capsys, per_record
) -> None:
    class DatedTap(CompatTap):
        stream_class = type("Dated", (DatedThings,), {"bookmark_per_record": per_record})

    tap = DatedTap(config={})
    tap.sync_all()
    states = [m["value"] for m in messages(capsys.readouterr().out) if m["type"] == "STATE"]
    during = [s["bookmarks"]["dated_things"]["partitions"][0] for s in states]
    markers = [p[PROGRESS_MARKERS] for p in during if PROGRESS_MARKERS in p]
    seen = [m.get("replication_key_value") for m in markers]
    if per_record:
        assert seen == list(DAYS)
    else:  # the stream's own marker only (set after its last record)
        assert seen
        assert set(seen) == {None}
