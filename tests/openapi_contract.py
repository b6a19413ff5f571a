"""Contract checks against Pinterest's official OpenAPI description (API v5).

Validates mocked response bodies and the requests the tap makes against
``vendor/pinterest-api-v5/openapi.yaml`` (vendored, see its SOURCE.md), using
``openapi-core`` (0.23) for the operation lookup, parameter deserialisation
(style/explode, enums, ``maximum``), request bodies (JSON and form-encoded) and
response bodies. On top of that it checks what ``openapi-core`` leaves out:

* ``oauth2`` security (``Authorization: Bearer …``), which openapi-core does not
  implement (it only warns);
* ``discriminator`` mappings without ``oneOf`` (tests/openapi_schemas.py).

The spec is loaded and read by tests/openapi_spec.py; the components alone are validated by
tests/openapi_schemas.py (``validate_component``).

Typical use with ``requests_mock``::

    from tests.openapi_contract import validate_request, validate_response

    validate_response("GET", "/ad_accounts/{ad_account_id}/campaigns", 200, body)
    for entry in requests_mock.request_history:
        validate_request(entry)          # or validate_request(method, url, headers, body)
"""

from __future__ import annotations

import json
import time
from collections.abc import Mapping
from functools import lru_cache
from typing import Any
from urllib.parse import parse_qs, urlsplit

from openapi_core import OpenAPI
from openapi_core.configurations import Config
from openapi_core.datatypes import RequestParameters
from openapi_core.security.exceptions import SecurityProviderError
from openapi_core.security.factories import SecurityProviderFactory
from openapi_core.security.providers import BaseProvider
from werkzeug.datastructures import Headers, ImmutableMultiDict

from tests.openapi_schemas import check_discriminators, validation_spec
from tests.openapi_spec import (
    LOAD_TIMINGS,
    SERVER_HOST,
    SERVER_PREFIX,
    ContractError,
    api_path,
    deref,
    find_operation,
    load_spec,
)


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
    api = OpenAPI.from_dict(validation_spec(), config=config)
    LOAD_TIMINGS["openapi"] = time.perf_counter() - started
    return api


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

    media = deref(responses[key]).get("content", {}).get("application/json")
    if media and "schema" in media:
        check_discriminators(media["schema"], json_body, f"{method.upper()} {template}")
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

    request_body = deref(operation.get("requestBody") or {})
    content_type = request.content_type.split(";")[0].strip()
    media = request_body.get("content", {}).get(content_type)
    if media and "schema" in media and raw_body is not None:
        if content_type == "application/x-www-form-urlencoded":
            fields = parse_qs(raw_body.decode("utf-8"), keep_blank_values=True)
            instance: Any = {k: v[0] if len(v) == 1 else v for k, v in fields.items()}
        else:
            instance = json.loads(raw_body)
        check_discriminators(media["schema"], instance, f"{method.upper()} {template} body")
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
