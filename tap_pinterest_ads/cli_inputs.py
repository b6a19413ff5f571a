"""The files a run is given (--config, --state, --catalog), checked before singer-sdk reads them.

singer-sdk reads them as it builds the tap: a missing or malformed file, a state that is a list
or whose bookmarks are not objects, surface as tracebacks from deep inside the SDK. Each is the
user's (or the orchestrator's) mistake, so it is reported here as one line naming the option,
the file and what is wrong. A file's content is never echoed: configs hold secrets.
"""

from __future__ import annotations

import json
import typing as t

from jsonschema import validators
from jsonschema.exceptions import SchemaError

from tap_pinterest_ads.errors import TapError

_FILE_OPTIONS = ("--config", "--state", "--catalog")


class InputFileError(TapError):
    """A --config, --state or --catalog file that cannot be used."""


def check_input_files(argv: t.Sequence[str]) -> None:
    """Raise InputFileError for the first unusable file among `argv`'s options."""
    for option, path in _file_arguments(argv):
        if option == "--config" and path == "ENV":
            continue  # settings from the environment, not a file
        data = _read_json(option, path)
        problem = _SHAPE_CHECKS[option](data)
        if problem:
            msg = f"{option} file {path!r} {problem}"
            raise InputFileError(msg)


def _file_arguments(argv: t.Sequence[str]) -> t.Iterator[tuple[str, str]]:
    args = list(argv)
    for index, arg in enumerate(args):
        option, equals, value = arg.partition("=")
        if option not in _FILE_OPTIONS:
            continue
        if equals:
            yield option, value
        elif index + 1 < len(args):
            yield option, args[index + 1]


def _read_json(option: str, path: str) -> object:
    try:
        with open(path, encoding="utf-8") as handle:
            text = handle.read()
    except OSError as exc:
        msg = f"{option} file {path!r} cannot be read ({exc.strerror or type(exc).__name__})"
        raise InputFileError(msg) from None
    except UnicodeDecodeError:
        msg = f"{option} file {path!r} is not UTF-8 text"
        raise InputFileError(msg) from None
    if not text.strip():
        hint = ": pass {} for no state, or leave --state out" if option == "--state" else ""
        msg = f"{option} file {path!r} is empty{hint}"
        raise InputFileError(msg)
    try:
        return json.loads(text)
    except ValueError as exc:
        # JSONDecodeError says where, never what: the file may hold secrets.
        where = ""
        if isinstance(exc, json.JSONDecodeError):
            where = f" (line {exc.lineno}, column {exc.colno})"
        msg = f"{option} file {path!r} is not valid JSON{where}"
        raise InputFileError(msg) from None


def _kind(value: object) -> str:
    if isinstance(value, bool):
        return "a boolean"
    kinds = {list: "a JSON array", dict: "a JSON object", str: "a string", type(None): "null"}
    return kinds.get(type(value), "a number")


def _config_problem(data: object) -> str | None:
    if not isinstance(data, dict):
        return f"holds {_kind(data)}, not an object of settings"
    return None


def _state_problem(data: object) -> str | None:
    if not isinstance(data, dict):
        return f"is not a Singer state: it holds {_kind(data)}, not an object"
    bookmarks = data.get("bookmarks", {})
    if not isinstance(bookmarks, dict):
        return f'is not a Singer state: "bookmarks" is {_kind(bookmarks)}, not an object'
    for stream, stream_state in bookmarks.items():
        problem = _stream_state_problem(stream, stream_state)
        if problem:
            return f"is not a Singer state: {problem}"
    return None


def _stream_state_problem(stream: str, stream_state: object) -> str | None:
    if not isinstance(stream_state, dict):
        return f'the bookmark of "{stream}" is {_kind(stream_state)}'
    partitions = stream_state.get("partitions", [])
    if not isinstance(partitions, list) or not all(
        isinstance(p, dict) and isinstance(p.get("context", {}), dict) for p in partitions
    ):
        return f'the partitions of "{stream}" are not a list of objects with a "context" object'
    contexts = [json.dumps(p.get("context"), sort_keys=True) for p in partitions]
    if len(set(contexts)) < len(contexts):
        return f'the partitions of "{stream}" repeat a context'
    for part in (stream_state, *partitions):
        problem = _bookmark_problem(part)
        if problem:
            return f'in the bookmark of "{stream}", {problem}'
    return None


def _bookmark_problem(bookmark: dict[str, t.Any]) -> str | None:
    """What singer-sdk needs of a stream's (or a partition's) bookmark to resume from it."""
    markers = bookmark.get("progress_markers", {})
    if not isinstance(markers, dict):
        return f'"progress_markers" is {_kind(markers)}, not an object'
    key = bookmark.get("replication_key")
    if key is not None and not isinstance(key, str):
        return f'"replication_key" is {_kind(key)}, not a string'
    return None


def _catalog_problem(data: object) -> str | None:
    if not isinstance(data, dict):
        return f"is not a Singer catalog: it holds {_kind(data)}, not an object"
    streams = data.get("streams")
    if not isinstance(streams, list):
        return 'is not a Singer catalog: it has no "streams" list'
    for index, entry in enumerate(streams, start=1):
        if not isinstance(entry, dict) or not isinstance(entry.get("tap_stream_id"), str):
            return f'is not a Singer catalog: stream {index} has no "tap_stream_id"'
        name = entry["tap_stream_id"]
        problem = _schema_problem(entry.get("schema"))
        if problem:
            return f'is not a Singer catalog: the "schema" of {name} {problem}'
        metadata = entry.get("metadata", [])
        if not isinstance(metadata, list) or not all(
            isinstance(m, dict)
            and isinstance(m.get("breadcrumb", []), list)
            and isinstance(m.get("metadata", {}), dict)
            for m in metadata
        ):
            return (
                f'is not a Singer catalog: the "metadata" of {name} is not a '
                'list of {"breadcrumb": [...], "metadata": {...}} objects'
            )
    return None


def _schema_problem(schema: object) -> str | None:
    """A stream's schema must be a JSON Schema of an object: singer-sdk reads its properties."""
    if not isinstance(schema, dict):
        return f"is {_kind(schema)}, not a JSON Schema object"
    properties = schema.get("properties")
    if not isinstance(properties, dict) or not all(
        isinstance(p, dict) for p in properties.values()
    ):
        return 'has no "properties" object of JSON Schemas'
    try:
        validators.validator_for(schema).check_schema(schema)
    except SchemaError as exc:
        return f"is not a valid JSON Schema ({exc.message})"
    return None


_SHAPE_CHECKS: dict[str, t.Callable[[object], str | None]] = {
    "--config": _config_problem,
    "--state": _state_problem,
    "--catalog": _catalog_problem,
}
