"""Walking JSON Schemas in tests."""

from __future__ import annotations

from typing import Any


def types_of(schema: dict[str, Any]) -> set[str]:
    """The JSON types a (sub)schema declares."""
    declared = schema["type"]
    return {declared} if isinstance(declared, str) else set(declared)


def walk(schema: dict[str, Any], path: str = ""):
    """Yield (path, subschema) for every property / items schema, depth first."""
    for name, sub in schema.get("properties", {}).items():
        yield f"{path}.{name}".lstrip("."), sub
        yield from walk(sub, f"{path}.{name}".lstrip("."))
    if isinstance(schema.get("items"), dict):
        yield f"{path}[]", schema["items"]
        yield from walk(schema["items"], f"{path}[]")
    if isinstance(schema.get("additionalProperties"), dict):
        yield f"{path}{{*}}", schema["additionalProperties"]
