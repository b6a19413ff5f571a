"""Each singer-sdk behaviour the streams rely on beyond the SDK's public API (sdk_compat.py).

A failure here after a singer-sdk upgrade names the touch point that changed: adapt
tap_pinterest_ads/sdk_compat.py (and only it), then the `singer-sdk` pin in pyproject.toml.
A minimal tap and stream stand for the real ones, so each test shows only the SDK's part.
"""

from __future__ import annotations

import gzip
import json
import typing as t
from pathlib import Path

import pytest
import requests
import requests_mock

from tap_pinterest_ads.sdk_compat import (
    PROGRESS_MARKERS,
    SYNC_ERROR_MESSAGE,
    BaseBatchFileEncoding,
    BatchConfig,
)
from tests.tap.sdk_fakes import (
    DAYS,
    URL_BASE,
    CompatTap,
    DatedThings,
    Things,
    messages,
)

pytestmark = pytest.mark.usefixtures("restore_signal_handlers")


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


@pytest.mark.parametrize("compression", ["none", "gzip"])
def test_sdk_streams_write_their_batch_records_with_the_configured_compression(
    tmp_path, capsys, compression
) -> None:
    batch_config = {
        "encoding": {"format": "jsonl", "compression": compression},
        "storage": {"root": f"file://{tmp_path}"},
    }
    CompatTap(config={"batch_config": batch_config}).sync_all()
    (batch,) = [m for m in messages(capsys.readouterr().out) if m["type"] == "BATCH"]
    assert batch["encoding"]["compression"] == compression
    (url,) = batch["manifest"]
    data = Path(url.removeprefix("file://")).read_bytes()
    text = gzip.decompress(data) if compression == "gzip" else data
    assert [json.loads(line) for line in text.splitlines()] == [
        {"id": 1, "date": DAYS[0]},
        {"id": 2, "date": DAYS[1]},
    ]


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
