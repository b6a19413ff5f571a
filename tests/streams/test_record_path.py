"""The report streams' fast record path writes what singer-sdk's own path writes.

P1: the deselection walk is skipped when nothing is deselected (sdk_compat.SdkStream).
P2: report streams do not move the progress marker per record (`bookmark_per_record`).
Each is compared with the SDK's path on the same run: RECORD lines byte for byte (every field
selected, and one deselected), and the STATE messages' bookmarks.
"""

from __future__ import annotations

import datetime as dt
import typing as t

import pytest
from singer_sdk.helpers import _catalog
from singer_sdk.streams import RESTStream

from pinterest_simulator import Dataset, Simulator
from tap_pinterest_ads import sdk_compat
from tap_pinterest_ads.sdk_compat import PROGRESS_MARKERS, SdkStream
from tap_pinterest_ads.streams.report_base import ReportStream
from tap_pinterest_ads.streams.state_writes import WindowStateWrites
from tap_pinterest_ads.tap import TapPinterestAds
from tests import mock_api
from tests.tap_runner import DELIVERY, config_for, parse_messages, today

FROZEN = dt.datetime(2024, 5, 6, 7, 8, 9, 123456, tzinfo=dt.timezone.utc)
DESELECTED = "spend"


@pytest.fixture(scope="module")
def sim() -> t.Iterator[Simulator]:
    # Two accounts, two report windows each (186 days + the rest): several STATE messages.
    dataset = Dataset(
        accounts=2,
        campaigns_per_account=2,
        ad_groups_per_campaign=1,
        ads_per_ad_group=2,
        days=200,
        seed=5,
        today=today(),
    )
    with Simulator(dataset=dataset, report_delay_seconds=0) as simulator:
        yield simulator


@pytest.fixture(autouse=True)
def _frozen_time_extracted(monkeypatch) -> None:
    # RECORD messages carry the time of extraction: the same instant for both paths.
    monkeypatch.setattr("singer_sdk.streams.core.utc_now", lambda: FROZEN)
    monkeypatch.setattr(sdk_compat, "utc_now", lambda: FROZEN)


@pytest.fixture(autouse=True)
def _a_state_per_window(monkeypatch) -> None:
    # The per-window STATE is skipped when the last write was very recent (a time-based
    # throttle): write each one, so the two runs' STATE messages compare one to one.
    monkeypatch.setattr(
        WindowStateWrites, "write", lambda self, writer, state: writer.write_state(state)
    )


def sdk_path(monkeypatch) -> None:
    """singer-sdk's own record path: the deselection walk and the per-record increment."""
    monkeypatch.setattr(
        SdkStream, "_generate_record_messages", RESTStream._generate_record_messages
    )
    monkeypatch.setattr(ReportStream, "bookmark_per_record", True)


def catalog(config: dict, *, deselect: str | None = None) -> dict:
    catalog = mock_api.catalog_selecting(config, (DELIVERY,))
    for entry in catalog["streams"]:
        for metadata in entry["metadata"]:
            if deselect and metadata["breadcrumb"] == ["properties", deselect]:
                metadata["metadata"]["selected"] = False
    return catalog


def run(capsys, sim: Simulator, *, deselect: str | None = None) -> tuple[list[str], list[dict]]:
    """One run from the same start: its RECORD lines as written, and its STATE values."""
    config = config_for(sim, today() - dt.timedelta(days=199))
    TapPinterestAds(config=config, catalog=catalog(config, deselect=deselect)).sync_all()
    out = capsys.readouterr().out
    lines = [line for line in out.splitlines() if line.startswith('{"type":"RECORD"')]
    states = [m["value"] for m in parse_messages(out) if m["type"] == "STATE"]
    return lines, states


def bookmarks_of(state: dict) -> list[dict]:
    """A STATE's partitions without their progress markers.

    The markers are the SDK's scratch space, dropped when a partition ends and on resume;
    only the per-record path writes row dates into them mid-window.
    """
    partitions = state["bookmarks"][DELIVERY]["partitions"]
    return [{k: v for k, v in p.items() if k != PROGRESS_MARKERS} for p in partitions]


def counting_walks(monkeypatch) -> list[int]:
    calls: list[int] = []
    walk = _catalog.pop_deselected_record_properties

    def counted(*args: t.Any, **kwargs: t.Any) -> None:
        calls.append(1)
        walk(*args, **kwargs)

    monkeypatch.setattr("singer_sdk.streams.core.pop_deselected_record_properties", counted)
    return calls


def test_every_field_selected_records_are_byte_identical_to_the_sdk_path(
    capsys, sim, monkeypatch
) -> None:
    walks = counting_walks(monkeypatch)
    fast_records, fast_states = run(capsys, sim)
    assert walks == []  # P1 in effect: no walk at all
    with monkeypatch.context() as sdk:
        sdk_path(sdk)
        sdk_records, sdk_states = run(capsys, sim)
    assert len(walks) == len(sdk_records) > 100
    assert fast_records == sdk_records
    assert [bookmarks_of(s) for s in fast_states] == [bookmarks_of(s) for s in sdk_states]
    assert fast_states[-1] == sdk_states[-1]


def test_one_field_deselected_records_are_byte_identical_to_the_sdk_path(
    capsys, sim, monkeypatch
) -> None:
    fast_records, fast_states = run(capsys, sim, deselect=DESELECTED)
    with monkeypatch.context() as sdk:
        sdk_path(sdk)
        sdk_records, sdk_states = run(capsys, sim, deselect=DESELECTED)
    assert fast_records == sdk_records
    assert fast_records
    assert all(f'"{DESELECTED}"' not in line for line in fast_records)
    assert all('"paid_impressions"' in line for line in fast_records)
    assert [bookmarks_of(s) for s in fast_states] == [bookmarks_of(s) for s in sdk_states]
    assert fast_states[-1] == sdk_states[-1]


def test_report_rows_do_not_move_the_progress_marker(capsys, sim) -> None:
    """Mid-window STATE messages hold the last finished window's end, never a row's date."""
    _, states = run(capsys, sim)
    ends = {
        p["replication_key_value"]
        for state in states
        for p in state["bookmarks"][DELIVERY]["partitions"]
        if "replication_key_value" in p
    }
    markers = {
        p[PROGRESS_MARKERS].get("replication_key_value")
        for state in states
        for p in state["bookmarks"][DELIVERY]["partitions"]
        if PROGRESS_MARKERS in p
    }
    assert markers - {None} <= ends
