"""Contract checks against Pinterest's official OpenAPI description (API v5).

Validates mocked response bodies and the requests the tap makes against
``vendor/pinterest-api-v5/openapi.yaml`` (vendored, see its SOURCE.md), using
``openapi-core`` (0.23) for the operation lookup, parameter deserialisation
(style/explode, enums, ``maximum``), request bodies (JSON and form-encoded) and
response bodies. On top of that it checks what ``openapi-core`` leaves out:

* ``oauth2`` security (``Authorization: Bearer …``), which openapi-core does not
  implement (it only warns);
* ``discriminator`` mappings without ``oneOf`` (``OauthAccessTokenRequest``,
  ``OauthAccessTokenResponse``): the body is also validated against the mapped
  component, e.g. ``OauthAccessTokenResponseRefresh`` for
  ``response_type=refresh_token``.

The spec is parsed once per process (module-level ``lru_cache``). It is part of
the repository; a missing or broken copy raises :class:`SpecNotFoundError` (an
``AssertionError``) so that tests fail loudly instead of skipping.

Typical use with ``requests_mock``::

    from tests.openapi_contract import validate_request, validate_response

    validate_response("GET", "/ad_accounts/{ad_account_id}/campaigns", 200, body)
    for entry in requests_mock.request_history:
        validate_request(entry)          # or validate_request(method, url, headers, body)
"""

from __future__ import annotations

import json
import re
import time
from collections.abc import Mapping
from functools import lru_cache
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import yaml
from jsonschema.exceptions import best_match
from openapi_core import OpenAPI
from openapi_core.configurations import Config
from openapi_core.datatypes import RequestParameters
from openapi_core.security.exceptions import SecurityProviderError
from openapi_core.security.factories import SecurityProviderFactory
from openapi_core.security.providers import BaseProvider
from openapi_schema_validator import OAS30Validator
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT4
from werkzeug.datastructures import Headers, ImmutableMultiDict

SPEC_PATH = Path(__file__).resolve().parents[1] / "vendor" / "pinterest-api-v5" / "openapi.yaml"
SERVER_HOST = "https://api.pinterest.com"
SERVER_PREFIX = "/v5"
_SPEC_URI = "urn:pinterest-openapi-v5"

#: Seconds spent on the (single) spec load, filled on first use: ``yaml`` (parse the
#: 1.6 MB file, ~0.6-0.8 s with CSafeLoader) and ``openapi`` (build the openapi-core
#: object with spec validation off, ~0.2 ms). Importing openapi-core itself costs ~1.2 s.
LOAD_TIMINGS: dict[str, float] = {}


class ContractError(AssertionError):
    """A request or response does not match the OpenAPI description."""


class SpecNotFoundError(AssertionError):
    """The OpenAPI spec file is missing: contract tests must fail, not skip."""


# --------------------------------------------------------------------------------------
# Loading
# --------------------------------------------------------------------------------------


@lru_cache(maxsize=1)
def load_spec(path: Path = SPEC_PATH) -> dict[str, Any]:
    """Parse openapi.yaml once (CSafeLoader when libyaml is available).

    Treat the result as read-only: it is shared by every caller.
    """
    if not path.is_file():
        msg = (
            f"Pinterest OpenAPI spec not found at {path}. It is part of the repository "
            f"(vendor/pinterest-api-v5/, see SOURCE.md there): restore it with git."
        )
        raise SpecNotFoundError(msg)
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    started = time.perf_counter()
    with path.open("rb") as handle:
        spec = yaml.load(handle, Loader=loader)  # noqa: S506 - a SafeLoader variant
    LOAD_TIMINGS["yaml"] = time.perf_counter() - started
    if not isinstance(spec, dict) or "paths" not in spec:
        msg = f"{path} does not look like an OpenAPI description (no 'paths')."
        raise SpecNotFoundError(msg)
    return spec


class _BearerProvider(BaseProvider):
    """OAuth2 / bearer: require ``Authorization: Bearer <token>`` (openapi-core only warns)."""

    def __call__(self, parameters: RequestParameters) -> Any:
        value = parameters.header.get("Authorization", "")
        scheme, _, token = value.partition(" ")
        if scheme.lower() != "bearer" or not token.strip():
            msg = "Missing 'Authorization: Bearer <token>' header."
            raise SecurityProviderError(msg)
        return token


class _SecurityProviderFactory(SecurityProviderFactory):
    PROVIDERS = {**SecurityProviderFactory.PROVIDERS, "oauth2": _BearerProvider}


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
def _validation_spec() -> dict[str, Any]:
    return _nullable_all_of(load_spec())


@lru_cache(maxsize=1)
def openapi() -> OpenAPI:
    """The openapi-core object for the spec, built once.

    The spec's own validity is not re-checked here (``spec_validator_cls=None``): the file
    is Pinterest's unmodified official description and that check alone costs ~2.5 s.
    """
    load_spec()
    started = time.perf_counter()
    config = Config(
        spec_validator_cls=None,
        security_provider_factory=_SecurityProviderFactory(),
    )
    api = OpenAPI.from_dict(_validation_spec(), config=config)
    LOAD_TIMINGS["openapi"] = time.perf_counter() - started
    return api


@lru_cache(maxsize=1)
def _registry() -> Registry:
    return Registry().with_resource(
        _SPEC_URI, Resource(contents=_validation_spec(), specification=DRAFT4)
    )


def _validator(schema: Mapping[str, Any]) -> OAS30Validator:
    return OAS30Validator(dict(schema), registry=_registry())


# --------------------------------------------------------------------------------------
# Paths
# --------------------------------------------------------------------------------------


def api_path(path_or_url: str) -> str:
    """``http://127.0.0.1:8080/v5/ad_accounts?x=1`` -> ``/ad_accounts`` (query dropped).

    Everything up to and including the first ``/v5`` is the base URL and is stripped; a
    bare path (``/ad_accounts/{ad_account_id}``) is returned unchanged.
    """
    parts = urlsplit(path_or_url)
    path = parts.path or "/"
    marker = path.find(SERVER_PREFIX + "/")
    if marker >= 0:
        path = path[marker + len(SERVER_PREFIX) :]
    elif path.endswith(SERVER_PREFIX):
        path = "/"
    if not path.startswith("/"):
        path = "/" + path
    return path.rstrip("/") or "/"


@lru_cache(maxsize=1)
def _path_matchers() -> list[tuple[int, re.Pattern[str], str]]:
    matchers = []
    for template in load_spec()["paths"]:
        pattern = "".join(
            "[^/]+" if piece.startswith("{") else re.escape(piece)
            for piece in re.split(r"(\{[^}/]+\})", template)
        )
        # Literal templates first, then the ones with fewer parameters.
        matchers.append((template.count("{"), re.compile(f"^{pattern}$"), template))
    return sorted(matchers, key=lambda item: (item[0], item[2]))


def find_operation(method: str, path_or_url: str) -> tuple[str, dict[str, Any]]:
    """Return ``(path_template, operation_dict)`` for a method and a URL, path or template."""
    path = api_path(path_or_url)
    paths = load_spec()["paths"]
    candidates = [path] if path in paths else []
    candidates += [tpl for _, regex, tpl in _path_matchers() if regex.match(path)]
    for template in candidates:
        operation = paths[template].get(method.lower())
        if operation is not None:
            return template, operation
    if candidates:
        msg = f"{method.upper()} is not an operation of {candidates[0]} (from {path_or_url!r})"
    else:
        msg = f"No path in the spec matches {path_or_url!r} (normalised to {path!r})"
    raise ContractError(msg)


# --------------------------------------------------------------------------------------
# Schemas
# --------------------------------------------------------------------------------------


def _ref_target(ref: str) -> Any:
    if not ref.startswith("#/"):
        msg = f"Only local $refs are supported, got {ref!r}"
        raise ContractError(msg)
    node: Any = load_spec()
    for part in ref[2:].split("/"):
        node = node[part.replace("~1", "/").replace("~0", "~")]
    return node


def _deref(node: Any) -> Any:
    while isinstance(node, dict) and "$ref" in node:
        node = _ref_target(node["$ref"])
    return node


def component(name: str) -> dict[str, Any]:
    """The raw ``components.schemas.<name>`` (unresolved; do not mutate)."""
    schemas = load_spec()["components"]["schemas"]
    if name not in schemas:
        msg = f"No schema {name!r} in components.schemas"
        raise ContractError(msg)
    return schemas[name]


def resolve(node: Any, _seen: tuple[str, ...] = ()) -> Any:
    """Deep copy of a schema with every ``$ref`` inlined and ``allOf`` merged.

    ``allOf`` parts are merged into one object schema (properties and ``required``
    united, later parts win on conflicting keywords, the outer schema wins over parts).
    Recursive references are left as ``{"$ref": ...}``. Meant for *reading* the
    structure (which properties exist, which are nullable), not for validation.
    """
    if isinstance(node, list):
        return [resolve(item, _seen) for item in node]
    if not isinstance(node, dict):
        return node
    if "$ref" in node:
        ref = node["$ref"]
        if ref in _seen:
            return dict(node)
        target = resolve(_ref_target(ref), (*_seen, ref))
        siblings = {k: v for k, v in node.items() if k != "$ref"}
        return {**target, **resolve(siblings, _seen)} if siblings else target
    out = {key: resolve(value, _seen) for key, value in node.items()}
    parts = out.pop("allOf", None)
    if parts is None:
        return out
    merged: dict[str, Any] = {}
    properties: dict[str, Any] = {}
    required: list[str] = []
    for part in [*parts, out]:
        for key, value in part.items():
            if key == "properties":
                properties.update(value)
            elif key == "required":
                required += [r for r in value if r not in required]
            else:
                merged[key] = value
    if properties:
        merged["properties"] = properties
    if required:
        merged["required"] = required
    return merged


def resolved_component(name: str) -> dict[str, Any]:
    """``resolve(component(name))``: e.g. all properties of ``CampaignResponse``."""
    return resolve(component(name))


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


def _check_discriminators(schema: Any, instance: Any, what: str) -> None:
    """Validate against the component a bare ``discriminator`` maps to (no oneOf)."""
    schema = _deref(schema)
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
        _check_discriminators(part, instance, what)


# --------------------------------------------------------------------------------------
# openapi-core adapters
# --------------------------------------------------------------------------------------


class _Request:
    """openapi-core ``Request`` protocol, re-based onto the spec's server URL."""

    def __init__(
        self,
        method: str,
        path: str,
        query: Mapping[str, list[str]] | None = None,
        headers: Mapping[str, str] | None = None,
        body: bytes | None = None,
    ) -> None:
        self.method = method.lower()
        self.host_url = SERVER_HOST
        self.path = SERVER_PREFIX + path
        self.body = body
        header_map = Headers(dict(headers or {}))
        self.content_type = (header_map.get("Content-Type") or "").lower()
        self.parameters = RequestParameters(
            query=ImmutableMultiDict([(k, v) for k, vs in (query or {}).items() for v in vs]),
            header=header_map,
            cookie=ImmutableMultiDict(),
        )


class _Response:
    """openapi-core ``Response`` protocol for a JSON body."""

    def __init__(self, status: int, data: bytes, content_type: str, headers: Mapping) -> None:
        self.status_code = status
        self.data = data
        self.content_type = content_type
        self.headers = Headers(dict(headers))


def _describe(exc: BaseException) -> str:
    """One readable line for an openapi-core error, including the schema errors."""
    text = str(exc)
    if len(text) > 300:
        text = text[:300] + " …"
    name = type(exc).__name__
    parts = [text if text.startswith(name) else f"{name}: {text}"]
    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        schema_errors = getattr(current, "schema_errors", None)
        if schema_errors:
            for err in schema_errors:
                location = "/".join(str(p) for p in err.absolute_path) or "<root>"
                parts.append(f"  - {err.message} (at {location})")
        current = current.__cause__ or current.__context__
    return "\n".join(dict.fromkeys(parts))


def _as_bytes(body: Any) -> bytes | None:
    if body is None:
        return None
    if isinstance(body, bytes):
        return body
    if isinstance(body, str):
        return body.encode("utf-8")
    return json.dumps(body).encode("utf-8")


# --------------------------------------------------------------------------------------
# Public API
# --------------------------------------------------------------------------------------


def validate_response(
    method: str,
    path_template_or_url: str,
    status: int,
    json_body: Any,
    *,
    headers: Mapping[str, str] | None = None,
) -> str:
    """Validate a (mocked) JSON response body against the operation's response schema.

    ``path_template_or_url`` may be a spec template (``/ad_accounts/{ad_account_id}/ads``),
    a concrete path or a full URL with any base (``http://127.0.0.1:9999/v5/...``).
    ``status`` falls back to the operation's ``default`` response as in the spec.
    Returns the matched path template; raises :class:`ContractError` on mismatch.
    """
    template, operation = find_operation(method, path_template_or_url)
    responses = operation.get("responses", {})
    key = str(status)
    if key not in responses:
        key = f"{key[0]}XX" if f"{key[0]}XX" in responses else "default"
    if key not in responses:
        msg = f"{method.upper()} {template}: status {status} is not documented ({list(responses)})"
        raise ContractError(msg)

    concrete = api_path(path_template_or_url)
    request = _Request(method, concrete)
    response = _Response(
        status, json.dumps(json_body).encode("utf-8"), "application/json", headers or {}
    )
    errors = list(openapi().iter_apicall_response_errors(request, response))
    if errors:
        detail = "\n".join(_describe(e) for e in errors)
        msg = f"{method.upper()} {template} -> {status}: response does not match the spec\n{detail}"
        raise ContractError(msg)

    media = _deref(responses[key]).get("content", {}).get("application/json")
    if media and "schema" in media:
        _check_discriminators(media["schema"], json_body, f"{method.upper()} {template}")
    return template


def validate_request(
    method_or_request: Any,
    url: str | None = None,
    headers: Mapping[str, str] | None = None,
    body: Any = None,
) -> str:
    """Validate a request the tap made: path, query parameters, headers/security and body.

    Call it either with the parts — ``validate_request("GET", url, headers, body)`` — or
    with one request object that has ``method``, ``url``, ``headers`` and ``body``
    attributes: a ``requests_mock`` history entry, a ``requests.PreparedRequest``.
    ``body`` may be ``bytes``/``str`` (as sent) or a ``dict`` (serialised as JSON).
    Query strings are parsed as sent (``a=1&a=2`` repeated keys; comma-joined values
    stay one value), so array parameters are checked against the spec's style/explode.
    Returns the matched path template; raises :class:`ContractError` on mismatch.
    """
    if url is None:
        request_obj = method_or_request
        method = request_obj.method
        url = request_obj.url
        headers = request_obj.headers
        body = request_obj.body
    else:
        method = method_or_request
    template, operation = find_operation(method, url)
    query = parse_qs(urlsplit(url).query, keep_blank_values=True)
    raw_body = _as_bytes(body)
    header_map = dict(headers or {})
    if raw_body is not None and not any(k.lower() == "content-type" for k in header_map):
        header_map["Content-Type"] = "application/json"
    request = _Request(method, api_path(url), query, header_map, raw_body)

    errors = list(openapi().iter_apicall_request_errors(request))
    if errors:
        detail = "\n".join(_describe(e) for e in errors)
        msg = f"{method.upper()} {template}: request does not match the spec ({url})\n{detail}"
        raise ContractError(msg)

    request_body = _deref(operation.get("requestBody") or {})
    content_type = request.content_type.split(";")[0].strip()
    media = request_body.get("content", {}).get(content_type)
    if media and "schema" in media and raw_body is not None:
        if content_type == "application/x-www-form-urlencoded":
            fields = parse_qs(raw_body.decode("utf-8"), keep_blank_values=True)
            instance: Any = {k: v[0] if len(v) == 1 else v for k, v in fields.items()}
        else:
            instance = json.loads(raw_body)
        _check_discriminators(media["schema"], instance, f"{method.upper()} {template} body")
    return template


def validate_exchange(request_obj: Any, status: int, json_body: Any) -> str:
    """Validate one mocked round trip: the request (history entry) and the body returned."""
    template = validate_request(request_obj)
    validate_response(request_obj.method, request_obj.url, status, json_body)
    return template


def validate_history(history: Any, *, api_only: bool = True) -> list[str]:
    """Validate every request in a ``requests_mock`` history (or the Mocker itself).

    With ``api_only`` (default), requests whose URL has no ``/v5/`` segment are skipped:
    they are not Pinterest API calls (e.g. the pre-signed report file download).
    Returns the matched templates in order, so tests can assert what was called.
    """
    entries = getattr(history, "request_history", history)
    if api_only:
        entries = [e for e in entries if f"{SERVER_PREFIX}/" in urlsplit(e.url).path]
    return [validate_request(entry) for entry in entries]
