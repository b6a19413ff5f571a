"""The Singer writer: msgspec's, plus text that UTF-8 cannot encode written as U+FFFD.

JSON may carry `"\\ud800"`, a lone surrogate, which Python decodes into a `str` that no UTF-8
encoder accepts: msgspec raises UnicodeEncodeError and, left alone, one character in one
entity name stops the whole run. Encoding is tried as is first, so the per-record hot path
pays for a `try` only; a message that fails is repaired (each lone surrogate replaced with
U+FFFD) and encoded again, with a WARNING that names the stream, the record's key and the
field.
"""

from __future__ import annotations

import logging
import os
import re
import sys
import typing as t

from singer_sdk.contrib.msgspec import MsgSpecWriter, serialize_jsonl
from singer_sdk.singerlib import SchemaMessage

from tap_pinterest_ads.errors import TapError
from tap_pinterest_ads.typing_compat import override

if t.TYPE_CHECKING:
    from singer_sdk.singerlib.encoding.simple import Message

_LONE_SURROGATE = re.compile("[\ud800-\udfff]")
OUTPUT_CLOSED = (
    "stdout was closed before the run finished (the reader, a target or a command such as "
    "`head`, stopped reading): the rest of the run was not written"
)
_logger = logging.getLogger("tap-pinterest-ads")


class OutputClosedError(TapError):
    """Whoever reads the tap's stdout stopped reading (EPIPE)."""


class TextSafeWriter(MsgSpecWriter):
    """msgspec's writer; a message with a lone surrogate is written with U+FFFD instead."""

    def __init__(self) -> None:
        #: Stream (as written, after stream-map aliases) -> key properties, from SCHEMA messages.
        self._keys: dict[str, list[str]] = {}

    @override
    def serialize_message(self, message: Message) -> bytearray:
        """The message as one JSON line."""
        data = message.to_dict()
        try:
            return serialize_jsonl(data)
        except UnicodeEncodeError:
            return serialize_jsonl(self._repaired(data))

    @override
    def write_message(self, message: Message) -> None:
        """Write one message, remembering each stream's key from its SCHEMA."""
        if isinstance(message, SchemaMessage):
            self._keys[message.stream] = list(message.key_properties or [])
        try:
            super().write_message(message)
        except BrokenPipeError:
            # The reader is gone: later writes (and the interpreter's final flush) go nowhere
            # instead of raising again, and the run stops with one line.
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, sys.stdout.fileno())
            os.close(devnull)
            raise OutputClosedError(OUTPUT_CLOSED) from None

    def _repaired(self, data: dict[str, t.Any]) -> dict[str, t.Any]:
        fields: list[str] = []
        repaired: dict[str, t.Any] = _replace_surrogates(data, "", fields)
        stream = str(data.get("stream", "?"))
        record = data.get("record")
        if isinstance(record, dict):
            where = "field" if len(fields) == 1 else "fields"
            names = ", ".join(name.removeprefix("record.") for name in fields)
            keys = self._keys.get(stream) or ["id"]
            key = ", ".join(f"{name}={record.get(name)!r}" for name in keys)
            _logger.warning(
                "Stream '%s', record %s: %s %s held text that UTF-8 cannot encode (a lone "
                "surrogate); written with U+FFFD in its place",
                stream,
                _LONE_SURROGATE.sub("\ufffd", key),
                where,
                names,
            )
        else:
            _logger.warning(
                "A %s message of stream '%s' held text that UTF-8 cannot encode (%s); written "
                "with U+FFFD in its place",
                str(data.get("type", "Singer")).rsplit(".", 1)[-1],
                stream,
                ", ".join(fields),
            )
        return repaired


def _replace_surrogates(value: object, path: str, fields: list[str]) -> t.Any:
    """A copy of `value` with every lone surrogate (in texts and keys) replaced by U+FFFD."""
    if isinstance(value, str):
        if _LONE_SURROGATE.search(value):
            fields.append(path or "(text)")
            return _LONE_SURROGATE.sub("\ufffd", value)
        return value
    if isinstance(value, dict):
        out = {}
        for key, item in value.items():
            name = _LONE_SURROGATE.sub("\ufffd", key) if isinstance(key, str) else key
            child = f"{path}.{name}" if path else str(name)
            if name != key:
                fields.append(child)
            out[name] = _replace_surrogates(item, child, fields)
        return out
    if isinstance(value, (list, tuple)):
        return [_replace_surrogates(item, f"{path}[{i}]", fields) for i, item in enumerate(value)]
    return value
