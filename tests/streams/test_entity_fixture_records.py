"""The fixtures' records, transformed as the entity streams transform them, validate against
the stream schemas: epochs become date-times, micro-units exact amounts, nothing unmapped."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from jsonschema import Draft7Validator

from tests.streams.test_entity_schemas import STREAM_FIXTURES, STREAMS, load_fixture, stream_schema
from tests.streams.test_lookup_schemas import API_OBJECT_STREAMS

# --------------------------------------------------------------------------------------
# Transformed fixture records validate against the stream schemas
# --------------------------------------------------------------------------------------


def epoch_to_iso(value: int | None) -> str | None:
    if value is None:
        return None
    return dt.datetime.fromtimestamp(value, tz=dt.timezone.utc).isoformat()


def micro_to_amount(value: int | None) -> Decimal | None:
    return None if value is None else Decimal(value) / 1_000_000


def transform(stream: str, record: dict[str, Any]) -> dict[str, Any]:
    """Reference transformation (the tap has its own implementation)."""
    out = dict(record)
    for name in API_OBJECT_STREAMS[stream].epoch_fields:
        if name in out:
            out[name] = epoch_to_iso(out[name])
    for micro, amount in API_OBJECT_STREAMS[stream].micro_amount_fields.items():
        if micro in out:
            out[amount] = micro_to_amount(out[micro])
    return out


def fixture_records(stream: str) -> list[dict[str, Any]]:
    return [
        transform(stream, item)
        for name in STREAM_FIXTURES[stream]
        for item in load_fixture(name)["items"]
    ]


def test_reference_transformation() -> None:
    assert epoch_to_iso(1704164645) == "2024-01-02T03:04:05+00:00"
    assert micro_to_amount(25_000_000) == Decimal(25)
    assert micro_to_amount(1_234_567) == Decimal("1.234567")
    assert micro_to_amount(None) is None


def unmapped_keys(value: Any, schema: dict[str, Any], where: str) -> list[str]:
    """Keys singer-sdk's conformance would drop (object schemas with properties)."""
    found: list[str] = []
    if isinstance(value, dict) and "properties" in schema:
        for key, item in value.items():
            if key not in schema["properties"]:
                if not schema.get("additionalProperties"):
                    found.append(f"{where}.{key}")
                continue
            found += unmapped_keys(item, schema["properties"][key], f"{where}.{key}")
    elif isinstance(value, list) and isinstance(schema.get("items"), dict):
        for index, item in enumerate(value):
            found += unmapped_keys(item, schema["items"], f"{where}[{index}]")
    return found


@pytest.mark.parametrize("stream", STREAMS)
def test_transformed_fixtures_validate_against_the_stream_schema(stream: str) -> None:
    schema = stream_schema(stream)
    validator = Draft7Validator(schema, format_checker=Draft7Validator.FORMAT_CHECKER)
    records = fixture_records(stream)
    assert records
    for record in records:
        errors = sorted(validator.iter_errors(record), key=lambda e: list(e.absolute_path))
        assert not errors, f"{stream} {record['id']}: {[e.message for e in errors]}"
        assert not unmapped_keys(record, schema, stream)
    seen = {key for record in records for key in record}
    never = set(schema["properties"]) - seen
    assert not never, f"{stream}: schema properties no fixture record has: {sorted(never)}"


def test_transformed_values() -> None:
    campaigns = {c["id"]: c for c in fixture_records("campaigns")}
    first = campaigns["626000000201"]
    assert first["created_time"] == "2024-01-02T03:04:05+00:00"
    assert first["daily_spend_cap"] == 25_000_000
    assert first["daily_spend_cap_amount"] == Decimal(25)
    assert first["lifetime_spend_cap_amount"] is None
    assert campaigns["626000000202"]["lifetime_spend_cap_amount"] == Decimal("1.234567")
    groups = {g["id"]: g for g in fixture_records("ad_groups")}
    assert groups["2680000000302"]["bid_amount"] == Decimal("1.234567")
    assert groups["2680000000302"]["budget_amount"] == Decimal(10)
    nested = groups["2680000000302"]["optimization_goal_metadata"]
    assert nested["conversion_tag_v3_goal_metadata"]["cpa_goal_value_in_micro_currency"] == (
        "15000000"
    )


@pytest.mark.parametrize("stream", STREAMS)
def test_schema_rejects_untransformed_epochs(stream: str) -> None:
    validator = Draft7Validator(stream_schema(stream))
    raw = load_fixture(STREAM_FIXTURES[stream][0])["items"][0]
    assert any(e.path and e.path[0] == "created_time" for e in validator.iter_errors(raw))
