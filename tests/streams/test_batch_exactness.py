"""The bulk path (BATCH files) writes exactly the records the record path writes.

Same report, two runs: RECORD messages, and BATCH files (gzip and plain). Every record,
every field, every value compared as its JSON text and type: Decimal-exact, no float.
"""

from __future__ import annotations

import datetime as dt
import gzip
import json
import re
import typing as t
from decimal import Decimal
from pathlib import Path

import pytest
import requests_mock

from pinterest_simulator import Dataset, Simulator
from tap_pinterest_ads.tap import TapPinterestAds
from tests import mock_api
from tests.tap_runner import DELIVERY, config_for, parse_messages, today

# Values a report may hold and the tap must carry exactly: fractions of a micro-unit, numeric
# strings, nulls, amounts beyond 28 digits, negatives (refunds), modeled fractions.
ODD_ROW = {
    "DATE": mock_api.START.isoformat(),
    "CAMPAIGN_ID": 626000000201,
    "AD_GROUP_ID": "2680000000301",
    "PIN_PROMOTION_ID": "687000000401",
    "PIN_ID": None,
    "SPEND_IN_MICRO_DOLLAR": 1234567.5,
    "IMPRESSION_1": "1000",
    "CLICKTHROUGH_1": 3,
    "VIDEO_3SEC_VIEWS_1": 7,
    "VIDEO_P100_COMPLETE_1": 2,
    "TOTAL_CONVERSIONS": 2.25,
    "TOTAL_CONVERSIONS_VALUE_IN_MICRO_DOLLAR": 123456789012345678901234567890,
    "TOTAL_CHECKOUT_VALUE_IN_MICRO_DOLLAR": -5000000,
    "TOTAL_CLICK_CHECKOUT_VALUE_IN_MICRO_DOLLAR": "30000001",
    "TOTAL_VIEW_CHECKOUT_VALUE_IN_MICRO_DOLLAR": None,
}


def exact(record: dict[str, t.Any]) -> dict[str, tuple[str, str]]:
    """Each value as its type and text: 1.50 and 1.5 differ, as do 2 and 2.0."""
    return {key: (type(value).__name__, str(value)) for key, value in record.items()}


def batch_config(root: Path, compression: str) -> dict:
    return {
        "encoding": {"format": "jsonl", "compression": compression},
        "storage": {"root": root.as_uri(), "prefix": "delivery-"},
        "batch_size": 700,  # several files per report, the last one partial
    }


def run(capsys, config: dict) -> list[dict]:
    catalog = mock_api.catalog_selecting(config, (DELIVERY,))
    TapPinterestAds(config=config, catalog=catalog).sync_all()
    return parse_messages(capsys.readouterr().out)


def record_path(capsys, config: dict) -> list[dict]:
    return [m["record"] for m in run(capsys, config) if m["type"] == "RECORD"]


def bulk_path(capsys, config: dict, root: Path, compression: str) -> list[dict]:
    root.mkdir()
    messages = run(capsys, {**config, "batch_config": batch_config(root, compression)})
    assert not [m for m in messages if m["type"] == "RECORD"]
    files = [
        url.removeprefix("file://")
        for m in messages
        if m["type"] == "BATCH"
        for url in m["manifest"]
    ]
    opener = gzip.open if compression == "gzip" else open
    records = []
    for name in files:
        with opener(name, "rt", encoding="utf-8") as handle:
            records += [json.loads(line, parse_float=Decimal) for line in handle]
    return records


@pytest.mark.parametrize("compression", ["gzip", "none"])
def test_batch_files_hold_the_record_paths_records_exactly(capsys, tmp_path, compression):
    dataset = Dataset(
        accounts=2,
        campaigns_per_account=2,
        ad_groups_per_campaign=2,
        ads_per_ad_group=3,
        days=200,  # two report windows per account
        seed=11,
        today=today(),
    )
    with Simulator(dataset=dataset, report_delay_seconds=0) as sim:
        config = config_for(sim, today() - dt.timedelta(days=199))
        expected = record_path(capsys, config)
        found = bulk_path(capsys, config, tmp_path / "files", compression)
    assert len(expected) > 1_400
    assert [exact(r) for r in found] == [exact(r) for r in expected]
    assert any(type(v) is Decimal for r in found for v in r.values())


def test_odd_report_values_are_carried_exactly_by_both_paths(capsys, tmp_path):
    rows = [ODD_ROW, {**ODD_ROW, "PIN_ID": 813, "SPEND_IN_MICRO_DOLLAR": 0}]
    with requests_mock.Mocker() as api:
        mock_api.register(api)
        # Registered last, so it answers every report download (requests-mock: latest wins).
        api.get(re.compile(re.escape(mock_api.DOWNLOAD) + r"/.*"), json={"687000000401": rows})
        expected = record_path(capsys, mock_api.CONFIG)
        found = bulk_path(capsys, mock_api.CONFIG, tmp_path / "files", "gzip")
    assert [exact(r) for r in found] == [exact(r) for r in expected]
    first = found[0]
    assert first["spend"] == Decimal("1.2345675")
    assert first["conversion_value"] == Decimal("123456789012345678901234.567890")
    assert first["conversions"] == Decimal("2.25")
