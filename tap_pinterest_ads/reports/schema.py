"""JSON Schema (draft-07 style, plain dict) of a delivery report record."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from tap_pinterest_ads.reports.columns import CONTEXT_FIELDS, FINALITY_FIELDS, Column, Kind
from tap_pinterest_ads.reports.shapes import DELIVERY, ReportShape

_JSON_TYPE = {
    Kind.DATE: "string",
    Kind.STRING: "string",
    Kind.INTEGER: "integer",
    Kind.MODELED: "number",
    Kind.MONEY: "number",
    Kind.NUMBER: "number",
    Kind.DATETIME: "string",
    Kind.BOOLEAN: "boolean",
}


def field_kinds(
    extra_columns: Sequence[Column] = (), shape: ReportShape = DELIVERY
) -> dict[str, Kind]:
    """Every output field of a record, in schema order, with its kind."""
    kinds: dict[str, Kind] = {"ad_account_id": Kind.STRING}
    kinds.update((c.field, c.kind) for c in shape.dimensions)
    kinds.update(CONTEXT_FIELDS)
    kinds.update(FINALITY_FIELDS)
    kinds.update((c.field, c.kind) for c in shape.metrics)
    kinds.update((s.field, Kind.INTEGER) for s in shape.sums)
    kinds.update((r.field, Kind.NUMBER) for r in shape.ratios)
    for column in extra_columns:
        kinds[column.field] = column.kind
        amount = getattr(column, "amount_field", None)
        if amount:
            kinds[amount] = Kind.MONEY
    return kinds


def _property(kind: Kind, *, key: bool) -> dict[str, Any]:
    types = [_JSON_TYPE[kind]] if key else [_JSON_TYPE[kind], "null"]
    prop: dict[str, Any] = {"type": types}
    if kind is Kind.DATE:
        prop["format"] = "date"
    if kind is Kind.DATETIME:
        prop["format"] = "date-time"
    return prop


def build_schema(
    extra_columns: Sequence[Column] = (), shape: ReportShape = DELIVERY
) -> dict[str, Any]:
    """Schema of a record: key fields non-null and required, everything else nullable."""
    properties = {
        field: _property(kind, key=field in shape.key)
        for field, kind in field_kinds(extra_columns, shape).items()
    }
    return {"type": "object", "properties": properties, "required": list(shape.key)}
