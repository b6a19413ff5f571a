"""Streaming parsers for downloaded report files; memory stays bounded by one chunk plus a row.

JSON reports are `{"<entity id or date>": [{row}, {row}, ...], ...}` (`{}` when empty); only
the rows matter. CSV reports have a header of column names and zero-filled metrics.
"""

from __future__ import annotations

import codecs
import csv
import io
import json
import re
from collections.abc import Iterator
from decimal import Decimal
from typing import IO, Any

from tap_pinterest_ads.reports import ReportError

CHUNK_SIZE = 1 << 20
# A row is a flat object of at most ~600 columns (a few tens of KiB); anything larger that
# still does not decode is corrupt data, not a row that needs more input.
MAX_ROW_CHARS = 8 << 20

_WS = re.compile(r"[ \t\n\r]*")
_INT = re.compile(r"-?(?:0|[1-9][0-9]*)")
_DEC = re.compile(r"-?(?:0|[1-9][0-9]*)\.[0-9]+")


class CorruptReport(ReportError):  # noqa: N818 - name is part of the API
    """The report file is truncated or is not a report."""


class _JsonStream:
    """A text buffer over a binary file that decodes one JSON value at a time."""

    def __init__(self, fileobj: IO[bytes], chunk_size: int) -> None:
        self._read = fileobj.read
        self._chunk_size = chunk_size
        self._decoder = codecs.getincrementaldecoder("utf-8-sig")()
        self._scan = json.JSONDecoder(parse_float=Decimal).raw_decode
        self.buf = ""
        self.pos = 0
        self.eof = False

    def fill(self) -> bool:
        """Append the next chunk, dropping what was consumed; False once the file is done."""
        if self.eof:
            return False
        data = self._read(self._chunk_size)
        try:
            text = self._decoder.decode(data, final=not data)
        except UnicodeDecodeError as exc:
            raise CorruptReport(f"report is not valid UTF-8: {exc.reason}") from exc
        self.eof = not data
        self.buf = self.buf[self.pos :] + text
        self.pos = 0
        return True

    def peek(self) -> str:
        """Next non-blank character without consuming it; '' at end of file."""
        while True:
            self.pos = _WS.match(self.buf, self.pos).end()
            if self.pos < len(self.buf):
                return self.buf[self.pos]
            if not self.fill():
                return ""

    def expect(self, allowed: str) -> str:
        char = self.peek()
        if not char or char not in allowed:
            found = repr(char) if char else "end of file"
            raise CorruptReport(f"report JSON: expected one of {allowed!r}, found {found}")
        self.pos += 1
        return char

    def value(self) -> Any:
        """Decode the value at the cursor, reading more input while it is incomplete."""
        self.peek()
        while True:
            try:
                value, self.pos = self._scan(self.buf, self.pos)
            except json.JSONDecodeError as exc:
                if len(self.buf) - self.pos > MAX_ROW_CHARS or not self.fill():
                    raise CorruptReport(f"report JSON is truncated or corrupt: {exc.msg}") from exc
            else:
                return value


def iter_json_report(fileobj: IO[bytes], chunk_size: int = CHUNK_SIZE) -> Iterator[dict]:
    """Yield the row objects of a JSON report, whatever the first-level keys are."""
    stream = _JsonStream(fileobj, chunk_size)
    stream.expect("{")
    if stream.peek() == "}":
        stream.pos += 1
    else:
        while True:
            if not isinstance(stream.value(), str):
                raise CorruptReport("report JSON: first-level keys must be strings")
            stream.expect(":")
            stream.expect("[")
            if stream.peek() == "]":
                stream.pos += 1
            else:
                while True:
                    row = stream.value()
                    if not isinstance(row, dict):
                        raise CorruptReport("report JSON: rows must be objects")
                    yield row
                    if stream.expect(",]") == "]":
                        break
            if stream.expect(",}") == "}":
                break
    if stream.peek():
        raise CorruptReport("report JSON: unexpected data after the end of the report")


def _csv_value(text: str) -> Any:
    # Only canonical numbers are converted, so text such as "007" survives as text.
    if not text:
        return None
    if _INT.fullmatch(text):
        return int(text)
    if _DEC.fullmatch(text):
        return Decimal(text)
    return text


def iter_csv_report(fileobj: IO[bytes]) -> Iterator[dict]:
    """Yield CSV report rows as dicts with ints and Decimals converted; '' becomes None."""
    text = io.TextIOWrapper(fileobj, encoding="utf-8-sig", newline="")
    try:
        reader = csv.reader(text, strict=True)
        header = next(reader, None)
        if not header:
            raise CorruptReport("report CSV has no header row")
        width = len(header)
        for line in reader:
            if len(line) != width:
                if not line:
                    continue
                raise CorruptReport(
                    f"report CSV line {reader.line_num}: {len(line)} fields, header has {width}"
                )
            yield {name: _csv_value(cell) for name, cell in zip(header, line, strict=True)}
    except (csv.Error, UnicodeDecodeError) as exc:
        raise CorruptReport(f"report CSV is corrupt: {exc}") from exc
    finally:
        # Leave the caller's binary file open (the wrapper would close it).
        text.detach()
