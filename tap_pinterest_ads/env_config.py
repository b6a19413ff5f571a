"""Settings from environment variables (`--config ENV`), typed by the settings' JSON Schema.

singer-sdk 0.54 types `TAP_PINTEREST_ADS_<SETTING>` values itself, but raises a traceback
("Could not detect type from schema") on the `oneOf` of `advertiser_ids`, turns a bad
integer into a ValueError traceback and reads every unknown boolean as false. Here the SDK
only finds the variables (its `.env` handling included); this module gives each value its
type and reports a bad one as one line naming the setting, the variable and the value.
"""

from __future__ import annotations

import json
import typing as t

from singer_sdk.exceptions import ConfigValidationError

from tap_pinterest_ads.sdk_compat import parse_environment_config

_TRUE = frozenset({"true", "1", "yes", "on"})
_FALSE = frozenset({"false", "0", "no", "off"})


def settings_from_environment(schema: dict[str, t.Any], prefix: str) -> dict[str, t.Any]:
    """`<prefix><SETTING>` variables as settings; ConfigValidationError for bad values."""
    properties = schema.get("properties", {})
    # The SDK returns the value of a setting it believes is a string as it is.
    as_text = {"properties": {name: {"type": "string"} for name in properties}}
    raw = parse_environment_config(as_text, prefix)
    settings: dict[str, t.Any] = {}
    errors: list[str] = []
    for name, text in raw.items():
        variable = prefix + name.upper().replace("-", "_")
        try:
            value = typed_value(properties[name], text)
        except ValueError as exc:
            errors.append(f"{name}: {variable}={text!r} {exc}")
            continue
        if value is not None:
            settings[name] = value
    if errors:
        raise ConfigValidationError("Config validation failed", errors=errors)
    return settings


def _json_types(schema: dict[str, t.Any]) -> set[str]:
    declared = schema.get("type", [])
    return ({declared} if isinstance(declared, str) else set(declared)) - {"null"}


def typed_value(schema: dict[str, t.Any], text: str) -> t.Any:  # noqa: PLR0911
    """The value of one setting from its variable's text; None when the text is empty.

    A setting of several shapes (`advertiser_ids`: a string or an array) stays text: the
    tap's settings parser reads both of its forms.
    """
    types = _json_types(schema)
    if len(types) != 1 or "oneOf" in schema or "anyOf" in schema:
        return text
    kind = next(iter(types))
    if kind == "string":
        return text
    text = text.strip()
    if not text:
        return None  # `VAR=` in a deployment file means "not set"
    if kind == "integer":
        try:
            return int(text)
        except ValueError:
            raise ValueError("is not a whole number") from None
    if kind == "boolean":
        if text.lower() in _TRUE:
            return True
        if text.lower() in _FALSE:
            return False
        raise ValueError("is not a boolean (true or false)")
    if kind == "array":
        if not text.startswith("["):
            return [item.strip() for item in text.split(",") if item.strip()]
        return _json(text, list, "is neither a JSON array nor a comma-delimited list")
    if kind == "object":
        return _json(text, dict, "is not a JSON object")
    return text


def _json(text: str, kind: type, complaint: str) -> t.Any:
    try:
        value = json.loads(text)
    except ValueError:
        raise ValueError(complaint) from None
    if not isinstance(value, kind):
        raise ValueError(complaint)
    return value
