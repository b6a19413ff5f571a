"""No stream emits a field name a Singer target claims for itself (warehouse_names.py).

The names below are the survey of the two targets meltano.yml ships, written out here on
purpose rather than imported, so that loosening the tap's rule fails these tests
(tests/e2e/test_card_command.py checks the installed targets still bind exactly these):

* meltanolabs-target-postgres 0.8.1, target_postgres/sinks.py `activate_version`:
  `bindparam("deletedate")`, `bindparam("version")` in an UPDATE of the stream's table.
* singer-sdk 0.54 sinks/core.py and target-duckdb 0.8.0 __init__.py: the `_sdc_*`
  record metadata columns.
* target-duckdb 0.8.0 db_sync.py: column names lower-cased (`safe_column_name`), top-level
  properties without a `type` dropped (`flatten_schema`); PostgreSQL truncates identifiers
  to 63 bytes.
"""

from __future__ import annotations

import pytest

from tap_pinterest_ads.reports import columns as report_columns
from tap_pinterest_ads.reports.async_columns import ASYNC_REPORT_COLUMNS
from tap_pinterest_ads.streams.report_base import ReportStream
from tap_pinterest_ads.tap import TapPinterestAds
from tap_pinterest_ads.warehouse_names import rename_schema
from tests import mock_api
from tests.tap_runner import records, sync

TARGET_COLUMNS = frozenset(
    {
        "version",
        "deletedate",
        "_sdc_extracted_at",
        "_sdc_received_at",
        "_sdc_batched_at",
        "_sdc_deleted_at",
        "_sdc_sequence",
        "_sdc_table_version",
        "_sdc_sync_started_at",
    }
)
POSTGRES_MAX_IDENTIFIER = 63
EVERY_STREAM = 22


def taken_by_a_target(name: str) -> bool:
    lowered = name.lower()
    return lowered in TARGET_COLUMNS or lowered.startswith("_sdc_")


@pytest.fixture(scope="module")
def discovered() -> dict[str, dict]:
    """Every stream's discovered schema, the delivery stream with every report column added."""
    config = {"access_token": "fake-access-token", "report_columns": list(ASYNC_REPORT_COLUMNS)}
    catalog = TapPinterestAds(config=config, setup_mapper=False).catalog_dict
    return {entry["tap_stream_id"]: entry["schema"] for entry in catalog["streams"]}


def test_no_stream_has_a_column_a_target_reserves(discovered: dict[str, dict]) -> None:
    assert len(discovered) == EVERY_STREAM
    taken = {
        (stream, name)
        for stream, schema in discovered.items()
        for name in schema["properties"]
        if taken_by_a_target(name)
    }
    assert taken == set()


def test_every_column_name_loads_into_postgres_and_duckdb_as_it_is(
    discovered: dict[str, dict],
) -> None:
    for stream, schema in discovered.items():
        names = list(schema["properties"])
        assert len({name.lower() for name in names}) == len(names), stream
        too_long = [n for n in names if len(n.encode()) > POSTGRES_MAX_IDENTIFIER]
        assert too_long == [], stream
        untyped = [n for n, prop in schema["properties"].items() if "type" not in prop]
        assert untyped == [], stream


def test_conversion_tags_version_reaches_the_target_as_pinterest_version(requests_mock) -> None:
    mock_api.register(requests_mock)
    tags = mock_api.fixture("lookups/conversion_tags.json")["items"]
    assert all("version" in tag for tag in tags), "the API object has a version"

    messages = sync(mock_api.CONFIG, ("conversion_tags",))

    schema = next(m for m in messages if m["type"] == "SCHEMA")["schema"]
    assert "pinterest_version" in schema["properties"]
    assert "version" not in schema["properties"]
    by_id = {r["id"]: r for r in records(messages, "conversion_tags")}
    assert by_id
    for tag in tags:
        if tag["id"] in by_id:
            assert "version" not in by_id[tag["id"]]
            assert by_id[tag["id"]]["pinterest_version"] == tag["version"]


API_OBJECT = {"id": "7", "version": "3", "_sdc_deleted_at": "soon", "DeleteDate": 1}
# Every stream but the report streams, whose records are built from the column registry (its
# names are checked above) and the report_columns pass-through (renamed, see below).
NON_REPORT_STREAMS = (
    "ad_accounts", "campaigns", "ad_groups", "pin_promotions", "keywords", "audiences",
    "customer_lists", "conversion_tags", "pins", "targeting_options", "delivery_metrics",
    "ad_formats",
)  # fmt: skip
# Records of the tap's own four fields (it copies the API's two booleans by name), like reports.
TAP_BUILT_STREAMS = ("metrics_ready_state",)


def test_the_non_report_streams_are_all_listed_here() -> None:
    tap = TapPinterestAds(config={"access_token": "fake-access-token"}, setup_mapper=False)
    others = {n for n, s in tap.streams.items() if not isinstance(s, ReportStream)}
    assert others == {*NON_REPORT_STREAMS, *TAP_BUILT_STREAMS}


@pytest.mark.parametrize("stream_name", NON_REPORT_STREAMS)
def test_every_non_report_stream_renames_reserved_fields_of_its_records(stream_name) -> None:
    tap = TapPinterestAds(config={"access_token": "fake-access-token"}, setup_mapper=False)
    stream = tap.streams[stream_name]
    context = {"ad_account_id": "549000000101", "targeting_type": "GENDER"}

    record = stream.post_process(dict(API_OBJECT), context)

    assert record is not None
    assert {name for name in record if taken_by_a_target(name)} == set()
    assert record["pinterest_version"] == "3"
    assert record["pinterest__sdc_deleted_at"] == "soon"
    assert record["pinterest_DeleteDate"] == 1


def test_a_report_column_a_target_reserves_is_prefixed_with_pinterest(monkeypatch) -> None:
    monkeypatch.setattr(
        report_columns, "ASYNC_REPORT_COLUMNS", (*ASYNC_REPORT_COLUMNS, "VERSION", "_SDC_X")
    )

    extras = report_columns.resolve_report_columns(["version", "_sdc_x", "TOTAL_WEB_SESSIONS"])

    assert [c.field for c in extras] == [
        "pinterest_version",
        "pinterest__sdc_x",
        "total_web_sessions",
    ]


def test_renaming_a_schema_keeps_the_property_and_its_place_in_required() -> None:
    schema = {
        "type": "object",
        "properties": {"id": {"type": "string"}, "version": {"type": ["string", "null"]}},
        "required": ["id", "version"],
    }

    renamed = rename_schema(schema)

    assert renamed["properties"] == {
        "id": {"type": "string"},
        "pinterest_version": {"type": ["string", "null"]},
    }
    assert renamed["required"] == ["id", "pinterest_version"]
    assert "version" in schema["properties"], "the loaded schema file is not changed"
