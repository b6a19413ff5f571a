"""The entity stream JSON schemas against the OpenAPI spec and the streams' fields (the fixtures,
transformed: test_entity_fixture_records.py)."""

from __future__ import annotations

import json
from importlib import resources
from typing import Any

import pytest
from jsonschema import Draft7Validator

from tests.mock_api import FIXTURES
from tests.openapi_spec import resolved_component
from tests.schema_walk import types_of, walk
from tests.streams.test_lookup_schemas import API_OBJECT_STREAMS, LOOKUP_ENTITIES, LOOKUP_TABLES

STREAMS = ("ad_accounts", "campaigns", "ad_groups", "pin_promotions")
STREAM_FIXTURES = {
    "ad_accounts": ("ad_accounts_page1.json", "ad_accounts_page2.json"),
    "campaigns": ("campaigns_page1.json", "campaigns_page2.json"),
    "ad_groups": ("ad_groups.json",),
    "pin_promotions": ("ads.json",),
}
#: OpenAPI types; the stream schema keeps the same one plus "null" (epoch fields excepted).
JSON_TYPES = frozenset({"string", "integer", "number", "boolean", "array", "object"})


def load_fixture(name: str) -> Any:
    return json.loads((FIXTURES / name).read_text(encoding="utf-8"))


def stream_schema(stream: str) -> dict[str, Any]:
    text = (
        resources.files("tap_pinterest_ads.schemas").joinpath(f"{stream}.json").read_text("utf-8")
    )
    return json.loads(text)


def spec_properties(stream: str) -> dict[str, Any]:
    return resolved_component(API_OBJECT_STREAMS[stream].openapi_component)["properties"]


# --------------------------------------------------------------------------------------
# Shape of the schema files
# --------------------------------------------------------------------------------------


def test_schema_files_and_api_object_streams_cover_the_same_streams() -> None:
    files = {
        p.name.removesuffix(".json")
        for p in resources.files("tap_pinterest_ads.schemas").iterdir()
        if p.name.endswith(".json")
    }
    # The other streams' schemas are checked by tests/streams/test_lookup_schemas.py.
    assert files == set(STREAMS) | set(LOOKUP_ENTITIES) | set(LOOKUP_TABLES)
    assert set(API_OBJECT_STREAMS) == set(STREAMS) | set(LOOKUP_ENTITIES)


@pytest.mark.parametrize("stream", STREAMS)
def test_schema_is_valid_draft7(stream: str) -> None:
    schema = stream_schema(stream)
    Draft7Validator.check_schema(schema)
    assert schema["type"] == "object"
    assert "additionalProperties" not in schema  # SDK conformance drops unknown keys


@pytest.mark.parametrize("stream", STREAMS)
def test_every_property_has_a_type_and_no_enum(stream: str) -> None:
    """``{}`` breaks singer-sdk's standard tests (is_date_or_datetime_type raises);
    ``enum`` would break loads whenever Pinterest adds a value."""
    for path, sub in walk(stream_schema(stream)):
        assert "type" in sub, f"{stream}.{path} has no type"
        assert "enum" not in sub, f"{stream}.{path} has an enum"
        for keyword in ("$ref", "allOf", "anyOf", "oneOf", "nullable", "pattern"):
            assert keyword not in sub, f"{stream}.{path} uses {keyword}"


@pytest.mark.parametrize("stream", STREAMS)
def test_top_level_nullability(stream: str) -> None:
    properties = stream_schema(stream)["properties"]
    assert properties["id"]["type"] == "string"
    for name, sub in properties.items():
        if name != "id":
            assert "null" in types_of(sub), f"{stream}.{name} is not nullable"


@pytest.mark.parametrize("stream", ["campaigns", "ad_groups", "pin_promotions"])
def test_child_streams_carry_the_ad_account_id(stream: str) -> None:
    assert types_of(stream_schema(stream)["properties"]["ad_account_id"]) == {"string", "null"}


# --------------------------------------------------------------------------------------
# Schema vs the OpenAPI response object
# --------------------------------------------------------------------------------------


@pytest.mark.parametrize("stream", STREAMS)
def test_every_spec_property_is_in_the_stream_schema(stream: str) -> None:
    ours = stream_schema(stream)["properties"]
    theirs = spec_properties(stream)
    missing = set(theirs) - set(ours)
    assert not missing, f"{stream}: missing {sorted(missing)}"
    extra = set(ours) - set(theirs) - set(API_OBJECT_STREAMS[stream].micro_amount_fields.values())
    assert not extra, (
        f"{stream}: not in {API_OBJECT_STREAMS[stream].openapi_component}: {sorted(extra)}"
    )


def assert_same_shape(ours: dict[str, Any], theirs: dict[str, Any], where: str) -> None:
    """Same types as the spec (plus null), nested properties spelled out, maps kept open."""
    spec_type = theirs.get("type")
    if spec_type is None and theirs.get("enum"):  # e.g. TARGETING_STRATEGY items
        assert all(isinstance(v, str) for v in theirs["enum"] if v is not None), where
        spec_type = "string"
    if spec_type is None:  # untyped in the spec ("any"): accept any JSON container/string
        assert {"object", "array", "string", "null"} <= types_of(ours), where
        return
    assert spec_type in JSON_TYPES, where
    assert types_of(ours) - {"null"} == {spec_type}, f"{where}: {ours['type']} vs {spec_type}"
    if spec_type == "object":
        if isinstance(theirs.get("additionalProperties"), dict):  # a map: key -> value
            assert "properties" not in ours, f"{where}: a map must not list properties"
            value = theirs["additionalProperties"]
            assert types_of(ours["additionalProperties"]) - {"null"} == {value["type"]}, where
            return
        missing = set(theirs.get("properties", {})) - set(ours.get("properties", {}))
        assert not missing, f"{where}: missing nested {sorted(missing)}"
        for name, sub in theirs.get("properties", {}).items():
            assert_same_shape(ours["properties"][name], sub, f"{where}.{name}")
    if spec_type == "array":
        assert_same_shape(ours["items"], theirs["items"], f"{where}[]")


@pytest.mark.parametrize("stream", STREAMS)
def test_types_follow_the_spec(stream: str) -> None:
    ours = stream_schema(stream)["properties"]
    for name, theirs in spec_properties(stream).items():
        if name in API_OBJECT_STREAMS[stream].epoch_fields:
            continue
        assert_same_shape(ours[name], theirs, f"{stream}.{name}")


@pytest.mark.parametrize("stream", STREAMS)
def test_ids_are_strings(stream: str) -> None:
    ours = stream_schema(stream)["properties"]
    id_fields = [n for n in spec_properties(stream) if n == "id" or n.endswith("_id")]
    assert "id" in id_fields
    for name in id_fields:
        assert types_of(ours[name]) - {"null"} == {"string"}, f"{stream}.{name}"


# --------------------------------------------------------------------------------------
# The streams' epoch and micro fields vs spec and schemas
# --------------------------------------------------------------------------------------


@pytest.mark.parametrize("stream", STREAMS)
def test_epoch_fields_are_the_spec_timestamps_and_date_times(stream: str) -> None:
    spec = spec_properties(stream)
    timestamps = {
        name
        for name, sub in spec.items()
        if sub.get("type") == "integer"
        and (name.endswith("_time") or "unix" in sub.get("description", "").lower())
    }
    assert set(API_OBJECT_STREAMS[stream].epoch_fields) == timestamps
    ours = stream_schema(stream)["properties"]
    for name in API_OBJECT_STREAMS[stream].epoch_fields:
        assert ours[name]["format"] == "date-time", f"{stream}.{name}"
        assert types_of(ours[name]) == {"string", "null"}, f"{stream}.{name}"
    others = [p for p, sub in walk(stream_schema(stream)) if sub.get("format") == "date-time"]
    assert sorted(others) == sorted(API_OBJECT_STREAMS[stream].epoch_fields)


@pytest.mark.parametrize("stream", STREAMS)
def test_micro_fields_keep_integers_and_get_number_amounts(stream: str) -> None:
    spec = spec_properties(stream)
    ours = stream_schema(stream)["properties"]
    micro_named = {n for n, s in spec.items() if "micro" in n and s.get("type") == "integer"}
    assert micro_named <= set(API_OBJECT_STREAMS[stream].micro_amount_fields)
    for micro, amount in API_OBJECT_STREAMS[stream].micro_amount_fields.items():
        assert spec[micro]["type"] == "integer", f"{stream}.{micro}"
        assert types_of(ours[micro]) == {"integer", "null"}, f"{stream}.{micro}"
        assert amount == micro.removesuffix("_in_micro_currency").removesuffix("_amount") + (
            "_amount"
        )
        assert types_of(ours[amount]) == {"number", "null"}, f"{stream}.{amount}"
        assert "÷ 1,000,000" in ours[amount]["description"]
        assert "ad account's currency" in ours[amount]["description"]


def test_known_micro_and_epoch_fields() -> None:
    assert API_OBJECT_STREAMS["campaigns"].micro_amount_fields == {
        "daily_spend_cap": "daily_spend_cap_amount",
        "lifetime_spend_cap": "lifetime_spend_cap_amount",
    }
    assert API_OBJECT_STREAMS["ad_groups"].micro_amount_fields == {
        "budget_in_micro_currency": "budget_amount",
        "bid_in_micro_currency": "bid_amount",
    }
    assert {"created_time", "updated_time"} <= set(
        API_OBJECT_STREAMS["pin_promotions"].epoch_fields
    )
