"""The schemas of the lookup streams against the OpenAPI spec, the generator and the fixtures."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from importlib import resources
from typing import Any

import pytest
import yaml
from jsonschema import Draft7Validator

from scripts.generate_lookup_schemas import Spec, stream_schema
from tap_pinterest_ads.streams import STREAM_TYPES
from tests.mock_api import FIXTURES
from tests.openapi_spec import load_spec, resolved_component
from tests.schema_walk import types_of, walk

#: Stream name -> stream class, for the streams whose records are one spec object.
API_OBJECT_STREAMS = {
    cls.name: cls for cls in STREAM_TYPES if getattr(cls, "openapi_component", None)
}
#: Schemas generated from a spec component (scripts/generate_lookup_schemas.py).
LOOKUP_ENTITIES = ("keywords", "audiences", "customer_lists", "conversion_tags", "pins")
#: Hand-written schemas of lookups that are not one spec object.
LOOKUP_TABLES = ("targeting_options", "delivery_metrics", "ad_formats")
#: Fields the tap adds to the spec's object (besides micro amounts).
ADDED = {
    "keywords": {"ad_account_id"},
    "audiences": set(),
    "customer_lists": set(),
    "conversion_tags": {"last_fired_time"},
    "pins": {"ad_account_id", "media_type", "image_url", "video_url"},
}
LOOKUPS = FIXTURES / "lookups"
FIXTURES = {
    "keywords": ("keywords.json",),
    "audiences": ("audiences_page1.json", "audiences_page2.json"),
    "customer_lists": ("customer_lists.json",),
    "conversion_tags": ("conversion_tags.json",),
    "pins": ("pin_813000000000000001.json", "pin_813000000000000002.json"),
}
FORBIDDEN = ("$ref", "allOf", "anyOf", "oneOf", "nullable", "pattern", "enum")


def schema_of(stream: str) -> dict[str, Any]:
    text = resources.files("tap_pinterest_ads.schemas").joinpath(f"{stream}.json").read_text()
    return json.loads(text)


@pytest.mark.parametrize("stream", LOOKUP_ENTITIES)
def test_schema_files_are_what_the_generator_writes(stream: str) -> None:
    assert schema_of(stream) == stream_schema(Spec(load_spec()), stream), (
        "run: .venv/bin/python scripts/generate_lookup_schemas.py"
    )


@pytest.mark.parametrize("stream", LOOKUP_ENTITIES + LOOKUP_TABLES)
def test_schemas_are_draft7_with_typed_open_properties(stream: str) -> None:
    schema = schema_of(stream)
    Draft7Validator.check_schema(schema)
    assert schema["type"] == "object"
    for path, sub in walk(schema):
        assert "type" in sub, f"{stream}.{path} has no type"
        for keyword in FORBIDDEN:
            assert keyword not in sub, f"{stream}.{path} uses {keyword}"


@pytest.mark.parametrize("stream", LOOKUP_ENTITIES)
def test_every_spec_property_is_there_with_the_spec_type_plus_null(stream: str) -> None:
    ours = schema_of(stream)["properties"]
    theirs = resolved_component(API_OBJECT_STREAMS[stream].openapi_component)["properties"]
    extra = set(ours) - set(theirs) - set(API_OBJECT_STREAMS[stream].micro_amount_fields.values())
    assert extra == ADDED[stream]
    assert set(theirs) <= set(ours)
    assert ours["id"]["type"] == "string"
    for name, spec in theirs.items():
        if name == "id" or name in API_OBJECT_STREAMS[stream].epoch_fields or name == "media":
            continue
        expected = spec.get("type") or "string"
        assert types_of(ours[name]) == {expected, "null"}, f"{stream}.{name}"
        if name.endswith("_id"):
            assert types_of(ours[name]) == {"string", "null"}, f"{stream}.{name}"


def test_pin_media_unites_every_media_type() -> None:
    media = schema_of("pins")["properties"]["media"]
    assert set(media["properties"]) == {
        "media_type", "images", "cover_image_url", "video_url", "duration", "width", "height",
        "items",
    }  # fmt: skip
    assert set(media["properties"]["images"]["properties"]) == {
        "150x150",
        "400x300",
        "600x",
        "1200x",
    }
    item = media["properties"]["items"]["items"]["properties"]
    assert {"title", "description", "link", "item_type", "images", "video_url"} <= set(item)


def test_epoch_and_micro_fields_follow_the_spec() -> None:
    assert API_OBJECT_STREAMS["audiences"].epoch_fields == (
        "created_timestamp",
        "updated_timestamp",
    )
    assert API_OBJECT_STREAMS["customer_lists"].epoch_fields == ("created_time", "updated_time")
    assert API_OBJECT_STREAMS["keywords"].micro_amount_fields == {"bid": "bid_amount"}
    for stream in LOOKUP_ENTITIES:
        spec = resolved_component(API_OBJECT_STREAMS[stream].openapi_component)["properties"]
        described = {n for n, s in spec.items() if "unix" in s.get("description", "").lower()}
        assert described == set(API_OBJECT_STREAMS[stream].epoch_fields), stream
        for name in API_OBJECT_STREAMS[stream].epoch_fields:
            assert schema_of(stream)["properties"][name]["format"] == "date-time"
    assert schema_of("conversion_tags")["properties"]["last_fired_time"]["format"] == "date-time"


def test_ad_formats_cover_the_creative_type_enum() -> None:
    from tap_pinterest_ads.streams.ad_formats import AD_FORMATS  # noqa: PLC0415

    enum = load_spec()["components"]["schemas"]["CreativeType"]["enum"]
    assert [row[0] for row in AD_FORMATS] == enum
    assert [row[0] for row in AD_FORMATS if row[3]] == ["SHOP_THE_PIN"]


def test_targeting_option_types_are_the_spec_path_values() -> None:
    from tap_pinterest_ads.streams.lookups import TARGETING_OPTION_TYPES  # noqa: PLC0415

    parameter = load_spec()["components"]["parameters"]["path_targeting_type"]["schema"]
    assert set(TARGETING_OPTION_TYPES) <= set(parameter["enum"])


def transformed(stream: str, item: dict) -> dict:
    """Reference transformation of a fixture object into the record the tap emits."""
    out = dict(item)
    for name in API_OBJECT_STREAMS[stream].epoch_fields:
        if out.get(name) is not None:
            out[name] = dt.datetime.fromtimestamp(int(out[name]), dt.timezone.utc).isoformat()
    for micro, amount in API_OBJECT_STREAMS[stream].micro_amount_fields.items():
        out[amount] = None if out.get(micro) is None else Decimal(out[micro]) / 1_000_000
    for name in ADDED[stream]:
        out.setdefault(name, None)
    return out


@pytest.mark.parametrize("stream", LOOKUP_ENTITIES)
def test_transformed_fixtures_validate_against_the_stream_schema(stream: str) -> None:
    validator = Draft7Validator(schema_of(stream), format_checker=Draft7Validator.FORMAT_CHECKER)
    for name in FIXTURES[stream]:
        body = yaml.safe_load((LOOKUPS / name).read_text(encoding="utf-8"))
        for item in body.get("items", [body]):
            record = transformed(stream, item)
            errors = [e.message for e in validator.iter_errors(json.loads(json.dumps(
                record, default=float)))]  # fmt: skip
            assert not errors, f"{stream} {item['id']}: {errors}"
