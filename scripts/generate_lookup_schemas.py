"""Generate the schemas of keywords, audiences, customer_lists, conversion_tags and pins.

Usage: python scripts/generate_lookup_schemas.py [path/to/openapi.yaml]
(default: vendor/pinterest-api-v5/openapi.yaml, the copy vendored in this repository).

Each schema is the full response object of Pinterest's OpenAPI description as draft-07:
`$ref`/`allOf` inlined, a `oneOf`/`anyOf` union as one object with every alternative's
properties, every value nullable (but `id`), enums and patterns folded into descriptions (a
new API value must not break a load), epoch fields as date-times and micro fields with an
amount sibling (the stream class's `epoch_fields` and `micro_amount_fields`), plus the fields
the tap adds (EXTRA below).
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tap_pinterest_ads.streams import STREAM_TYPES  # noqa: E402

DEFAULT_SPEC = ROOT / "vendor" / "pinterest-api-v5" / "openapi.yaml"
TARGET = ROOT / "tap_pinterest_ads" / "schemas"
STREAMS = ("keywords", "audiences", "customer_lists", "conversion_tags", "pins")
ENDPOINTS = {
    "keywords": "GET /ad_accounts/{ad_account_id}/keywords?ad_group_id=…",
    "audiences": "GET /ad_accounts/{ad_account_id}/audiences",
    "customer_lists": "GET /ad_accounts/{ad_account_id}/customer_lists",
    "conversion_tags": "GET /ad_accounts/{ad_account_id}/conversion_tags",
    "pins": "GET /pins/{pin_id}?ad_account_id=…",
}
ACCOUNT = {"description": "ID of the ad account this object was read under.", "type": "string"}
EXTRA: dict[str, dict[str, dict[str, Any]]] = {
    "keywords": {"ad_account_id": ACCOUNT},
    "conversion_tags": {
        "last_fired_time": {
            "description": "last_fired_time_ms as an ISO 8601 UTC date-time.",
            "type": "string",
            "format": "date-time",
        }
    },
    "pins": {
        "ad_account_id": ACCOUNT,
        "media_type": {
            "description": "media.media_type (image, video, multiple_…).",
            "type": "string",
        },
        "image_url": {
            "description": "URL of the largest image of media.images (1200x, 600x, …), or of "
            "the first carousel item's.",
            "type": "string",
        },
        "video_url": {
            "description": "media.video_url, or the first video item's (720p; not every app "
            "receives it).",
            "type": "string",
        },
    },
}
STREAM_CLASSES = {cls.name: cls for cls in STREAM_TYPES}
_TAGS = re.compile(r"<[^>]+>")


class Spec:
    def __init__(self, document: dict) -> None:
        self.document = document

    def deref(self, node: Any) -> Any:
        while isinstance(node, dict) and "$ref" in node:
            target: Any = self.document
            for part in node["$ref"][2:].split("/"):
                target = target[part]
            node = {**target, **{k: v for k, v in node.items() if k != "$ref"}}
        return node

    def flatten(self, node: Any) -> dict:
        """One schema: refs inlined, allOf merged, oneOf/anyOf united."""
        node = dict(self.deref(node))
        parts = node.pop("allOf", []) + node.pop("oneOf", []) + node.pop("anyOf", [])
        node.pop("discriminator", None)
        if parts:  # merged into a copy: the spec document may be shared (tests cache it)
            node["properties"] = dict(node.get("properties", {}))
        for part in parts:
            for key, value in self.flatten(part).items():
                if key == "properties":
                    for name, sub in value.items():
                        known = node["properties"].get(name)
                        node["properties"][name] = sub if known is None else {"anyOf": [known, sub]}
                elif key == "items" and "items" in node:
                    node["items"] = {"anyOf": [node["items"], value]}
                elif key not in node:
                    node[key] = value
        return node


def describe(node: dict) -> str | None:
    text = _TAGS.sub("", str(node.get("description") or "")).replace("\n", " ")
    text = re.sub(r"\s+", " ", text).strip()
    values = [v for v in node.get("enum") or [] if v is not None]
    if values and not isinstance(node.get("items"), dict):
        if text and not text.endswith((".", "!", "?")):
            text += "."
        text = f"{text} One of: {', '.join(map(str, values))}.".strip()
    return text or None


def convert(spec: Spec, node: Any, *, nullable: bool = True) -> dict[str, Any]:
    node = spec.flatten(node)
    kind = node.get("type") or ("object" if "properties" in node else "string")
    out: dict[str, Any] = {}
    if description := describe(node):
        out["description"] = description
    out["type"] = [kind, "null"] if nullable else kind
    if node.get("format") in ("date", "date-time"):
        out["format"] = node["format"]
    if kind == "object":
        if "properties" in node:
            out["properties"] = {
                name: convert(spec, sub) for name, sub in sorted(node["properties"].items())
            }
        elif isinstance(node.get("additionalProperties"), dict):
            out["additionalProperties"] = convert(spec, node["additionalProperties"])
    if kind == "array":
        out["items"] = convert(spec, node.get("items", {}), nullable=False)
    return out


def stream_schema(spec: Spec, stream: str) -> dict[str, Any]:
    component = STREAM_CLASSES[stream].openapi_component
    body = spec.flatten({"$ref": f"#/components/schemas/{component}"})
    properties = {"id": convert(spec, body["properties"]["id"], nullable=False)}
    for name, sub in sorted(body["properties"].items()):
        if name != "id":
            properties[name] = convert(spec, sub)
    for name in STREAM_CLASSES[stream].epoch_fields:
        what = properties[name].get("description", "").rstrip(".")
        properties[name] = {
            "description": f"{what} (the API sends Unix seconds; emitted as ISO 8601 UTC).",
            "type": ["string", "null"],
            "format": "date-time",
        }
    for micro, amount in STREAM_CLASSES[stream].micro_amount_fields.items():
        properties[amount] = {
            "description": f"{micro} ÷ 1,000,000, in the ad account's currency "
            "(see ad_accounts.currency).",
            "type": ["number", "null"],
        }
    for name, extra in EXTRA.get(stream, {}).items():
        properties[name] = {**extra, "type": [extra["type"], "null"]}
    return {
        "type": "object",
        "description": f"Pinterest Ads API v5 {component} ({ENDPOINTS[stream]}), with epoch "
        "timestamps as ISO date-times.",
        "properties": properties,
    }


def main(argv: list[str]) -> None:
    path = Path(argv[1]) if len(argv) > 1 else DEFAULT_SPEC
    spec = Spec(yaml.load(path.read_text(encoding="utf-8"), Loader=yaml.CSafeLoader))
    for stream in STREAMS:
        text = json.dumps(stream_schema(spec, stream), indent=2, ensure_ascii=False) + "\n"
        (TARGET / f"{stream}.json").write_text(text, encoding="utf-8")
        print(f"wrote {stream}.json")


if __name__ == "__main__":
    main(sys.argv)
