"""JSON-schema validation against the components of Pinterest's OpenAPI description.

OpenAPI 3.0 rules (``openapi-schema-validator``), with ``nullable`` read as the spec's authors
mean it (see ``_nullable_all_of``), and the ``discriminator`` mappings without ``oneOf``
(``OauthAccessTokenRequest``, ``OauthAccessTokenResponse``) that openapi-core leaves out: the
body is also validated against the mapped component, e.g. ``OauthAccessTokenResponseRefresh``
for ``response_type=refresh_token``.
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import lru_cache
from typing import Any

from jsonschema.exceptions import best_match
from openapi_schema_validator import OAS30Validator
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT4

from tests.openapi_spec import ContractError, component, deref, load_spec

_SPEC_URI = "urn:pinterest-openapi-v5"


def _nullable_all_of(node: Any) -> Any:
    """Copy of the spec in which ``nullable: true`` also lets ``null`` through ``allOf``.

    OpenAPI 3.0 validators apply ``nullable`` only to the schema's own ``type``, so
    ``{type: object, nullable: true, allOf: [$ref: X]}`` still rejects ``null`` because
    ``X`` is not nullable. The spec authors clearly mean "may be null" (19 such schemas,
    e.g. ``AdGroupResponse.optimization_goal_metadata``; ``tracking_urls`` and
    ``quiz_pin_data`` are written the same way but their targets happen to be nullable),
    and the API returns ``null`` there, so each ``allOf`` part becomes
    ``anyOf: [part, {enum: [null]}]``. Nothing else is relaxed.
    """
    if isinstance(node, list):
        return [_nullable_all_of(item) for item in node]
    if not isinstance(node, dict):
        return node
    out = {key: _nullable_all_of(value) for key, value in node.items()}
    if out.get("nullable") is True and isinstance(out.get("allOf"), list):
        out["allOf"] = [{"anyOf": [part, {"enum": [None]}]} for part in out["allOf"]]
    return out


@lru_cache(maxsize=1)
def validation_spec() -> dict[str, Any]:
    """The spec as every validator here and openapi-core read it (``_nullable_all_of``)."""
    return _nullable_all_of(load_spec())


@lru_cache(maxsize=1)
def _registry() -> Registry:
    return Registry().with_resource(
        _SPEC_URI, Resource(contents=validation_spec(), specification=DRAFT4)
    )


def _validator(schema: Mapping[str, Any]) -> OAS30Validator:
    return OAS30Validator(dict(schema), registry=_registry())


def validate_component(name: str, instance: Any) -> None:
    """Validate ``instance`` against ``components.schemas.<name>`` (OpenAPI 3.0 rules)."""
    component(name)  # clear error for unknown names
    _raise_schema_errors(
        {"$ref": f"{_SPEC_URI}#/components/schemas/{name}"}, instance, f"schema {name}"
    )


def _raise_schema_errors(schema: Mapping[str, Any], instance: Any, what: str) -> None:
    error = best_match(_validator(schema).iter_errors(instance))
    if error is not None:
        location = "/".join(str(p) for p in error.absolute_path) or "<root>"
        msg = f"{what}: {error.message} (at {location})"
        raise ContractError(msg)


def check_discriminators(schema: Any, instance: Any, what: str) -> None:
    """Validate against the component a bare ``discriminator`` maps to (no oneOf)."""
    schema = deref(schema)
    if not isinstance(schema, dict) or not isinstance(instance, dict):
        return
    discriminator = schema.get("discriminator")
    if discriminator and "oneOf" not in schema and "anyOf" not in schema:
        value = instance.get(discriminator["propertyName"])
        target = discriminator.get("mapping", {}).get(value)
        if target is None and value is not None:
            target = f"#/components/schemas/{value}"
            if value not in load_spec()["components"]["schemas"]:
                target = None
        if target is not None:
            name = target.rsplit("/", 1)[-1]
            try:
                validate_component(name, instance)
            except ContractError as exc:
                msg = f"{what} (discriminator {discriminator['propertyName']}={value!r}): {exc}"
                raise ContractError(msg) from None
    for part in schema.get("allOf", []):
        check_discriminators(part, instance, what)
