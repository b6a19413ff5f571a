"""BatchFileWriter: records split into files of batch_size, exact values, gzip or plain."""

from __future__ import annotations

import gzip
import json
from decimal import Decimal
from pathlib import Path

import pytest
from singer_sdk.helpers._batch import BatchConfig

from tap_pinterest_ads.reports.batch_files import BatchFileWriter


def config(root: Path, compression: str, batch_size: int) -> BatchConfig:
    return BatchConfig.from_dict(
        {
            "encoding": {"format": "jsonl", "compression": compression},
            "storage": {"root": root.as_uri(), "prefix": "t-"},
            "batch_size": batch_size,
        }
    )


@pytest.mark.parametrize("compression", ["gzip", "none"])
def test_records_are_split_into_files_of_batch_size_with_exact_values(tmp_path, compression):
    records = [{"n": i, "spend": Decimal(i) / 1_000_000} for i in range(2_500)]
    writer = BatchFileWriter(config(tmp_path, compression, 2_200), tap_name="t", stream_name="s")

    manifests = list(writer.write(records))

    opener = gzip.open if compression == "gzip" else open
    files = [m[0].removeprefix("file://") for m in manifests]
    lines = [[json.loads(x, parse_float=Decimal) for x in opener(f, "rt")] for f in files]
    assert [len(chunk) for chunk in lines] == [2_200, 300]
    assert [r for chunk in lines for r in chunk] == records
    assert all(Path(f).name.startswith("t-") for f in files)


def test_no_records_write_no_file(tmp_path):
    writer = BatchFileWriter(config(tmp_path, "gzip", 10), tap_name="t", stream_name="s")
    assert list(writer.write([])) == []
    assert list(tmp_path.iterdir()) == []
