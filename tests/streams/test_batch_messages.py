"""Every stream's BATCH files are what their BATCH message declares, and `batch_config` is
checked before the run.

singer-sdk 0.54's own batcher (which the listing streams and metrics_ready_state used) gzips
every file whatever `compression` says, while the message declares the configured one: with
`"compression": "none"` target-postgres failed on the first file with a traceback.
"""

from __future__ import annotations

import datetime as dt
import gzip
import json
from pathlib import Path

import pytest

from tap_pinterest_ads.settings import batch_config_errors
from tap_pinterest_ads.tap import TapPinterestAds
from tests import mock_api
from tests.cli_runner import run_main, write_json
from tests.tap_runner import DELIVERY, config_for, parse_messages, today

GZIP_MAGIC = b"\x1f\x8b"
STREAMS = ("campaigns", "ad_groups", "metrics_ready_state", DELIVERY)


def batch_config(root: Path, compression: str) -> dict:
    return {
        "encoding": {"format": "jsonl", "compression": compression},
        "storage": {"root": root.as_uri()},
        "batch_size": 50,
    }


def sync(capsys, config: dict) -> list[dict]:
    catalog = mock_api.catalog_selecting(config, STREAMS)
    TapPinterestAds(config=config, catalog=catalog).sync_all()
    return parse_messages(capsys.readouterr().out)


def read_declared(message: dict) -> list[dict]:
    """The records of a BATCH message's files, read the way its encoding says (as singer-sdk
    targets read them)."""
    gzipped = message["encoding"]["compression"] == "gzip"
    records = []
    for url in message["manifest"]:
        path = Path(url.removeprefix("file://"))
        assert (
            path.read_bytes()[:2] == GZIP_MAGIC if gzipped else path.read_bytes()[:2] != GZIP_MAGIC
        )
        data = gzip.decompress(path.read_bytes()) if gzipped else path.read_bytes()
        records += [json.loads(line) for line in data.decode("utf-8").splitlines()]
    return records


@pytest.mark.parametrize("compression", ["none", "gzip"])
def test_every_streams_batch_files_are_encoded_as_their_message_declares(
    capsys, tmp_path, sim, compression
):
    config = config_for(sim, today() - dt.timedelta(days=9))
    expected: dict[str, int] = {}
    for message in sync(capsys, config):
        if message["type"] == "RECORD":
            expected[message["stream"]] = expected.get(message["stream"], 0) + 1

    root = tmp_path / "batches"
    root.mkdir()
    messages = sync(capsys, {**config, "batch_config": batch_config(root, compression)})

    found: dict[str, int] = {}
    for message in messages:
        assert message["type"] != "RECORD"
        if message["type"] == "BATCH":
            records = read_declared(message)
            found[message["stream"]] = found.get(message["stream"], 0) + len(records)
    assert set(expected) == set(STREAMS)
    assert found == expected


@pytest.mark.parametrize(
    ("batch_config", "problem"),
    [
        (
            {
                "encoding": {"format": "parquet", "compression": "gzip"},
                "storage": {"root": "file:///b"},
            },
            "batch_config.encoding.format must be jsonl (the tap writes JSON Lines BATCH files), "
            "got 'parquet'",
        ),
        (
            {"encoding": {"format": "jsonl"}, "storage": {"root": "file:///b"}},
            "batch_config.encoding.compression must be gzip or none, got None",
        ),
        (
            {"encoding": {"format": "jsonl", "compression": "none"}},
            "batch_config.storage.root must be where the BATCH files go (e.g. file:///path), "
            "got None",
        ),
        (
            {
                "encoding": {"format": "jsonl", "compression": "none"},
                "storage": {"root": "file:///b"},
                "batch_size": 0,
            },
            "batch_config.batch_size must be a whole number ≥ 1, got 0",
        ),
    ],
)
def test_an_incomplete_or_unsupported_batch_config_is_named_before_the_run(
    capfd, tmp_path, batch_config, problem
):
    config = {**mock_api.CONFIG, "batch_config": batch_config}

    outcome = run_main(capfd, "--config", write_json(tmp_path, "config.json", config))

    assert outcome.code != 0
    assert "Traceback" not in outcome.stderr
    assert len(outcome.error_lines) == 1
    assert problem in outcome.error_lines[0]
    assert outcome.stdout == ""


def test_no_batch_config_and_meltanos_empty_object_mean_record_messages():
    assert batch_config_errors(None) == []
    assert batch_config_errors({}) == []
