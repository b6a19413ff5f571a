"""Pinterest's official OpenAPI description (API v5), loaded and read for the contract checks.

``vendor/pinterest-api-v5/openapi.yaml`` (vendored, see its SOURCE.md) is parsed once per
process (module-level ``lru_cache``). It is part of the repository; a missing or broken copy
raises :class:`SpecNotFoundError` (an ``AssertionError``) so that tests fail loudly instead of
skipping. Here: finding the operation of a URL, and reading schemas (``component``,
``resolve``); validation is in tests/openapi_schemas.py and tests/openapi_contract.py.
"""

from __future__ import annotations

import re
import time
from functools import lru_cache
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import yaml

SPEC_PATH = Path(__file__).resolve().parents[1] / "vendor" / "pinterest-api-v5" / "openapi.yaml"
SERVER_HOST = "https://api.pinterest.com"
SERVER_PREFIX = "/v5"


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


def deref(node: Any) -> Any:
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
