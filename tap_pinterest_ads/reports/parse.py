"""Streaming parsers for downloaded report files; memory stays bounded by about one chunk.

JSON reports are `{"<entity id or date>": [{row}, {row}, ...], ...}` (`{}` when empty); only
the rows matter. CSV reports have a header of column names and zero-filled metrics.

Speed: the JSON rows already in the buffer are decoded in one msgspec call (about twice as
fast as the standard library, same values: Decimal for fractions, exact ints). Whatever
msgspec refuses (or a cut that is not a row boundary) is decoded row by row with the
standard library, which has the final word on what is valid: results and errors are the
standard library's.
"""

from __future__ import annotations

import codecs
import csv
import io
import json
import re
from collections.abc import Generator, Iterable, Iterator
from decimal import Decimal
from typing import IO, Any

import msgspec

from tap_pinterest_ads.reports import ReportError

CHUNK_SIZE = 1 << 20
# A row is a flat object of at most ~600 columns (a few tens of KiB); anything larger that
# still does not decode is corrupt data, not a row that needs more input.
MAX_ROW_CHARS = 8 << 20

_WS = re.compile(r"[ \t\n\r]*")
_INT = re.compile(r"-?(?:0|[1-9][0-9]*)")
_DEC = re.compile(r"-?(?:0|[1-9][0-9]*)\.[0-9]+")
# CSV lines converted per batch (column by column); a few hundred KiB of rows at most.
CSV_BATCH_ROWS = 512
# A list of row objects; fractions as Decimal from their literal text, like parse_float.
_ROWS = msgspec.json.Decoder(list[dict[str, Any]], float_hook=Decimal)
_INTS = msgspec.json.Decoder(list[int])


class CorruptReport(ReportError):  # noqa: N818 - name is part of the API
    """The report file is truncated or is not a report."""


def _no_constant(name: str) -> Any:
    # NaN and Infinity are not JSON; the standard library would read them as floats.
    raise CorruptReport(f"report JSON holds {name}, which is not a JSON number")


class _JsonStream:
    """A text buffer over a binary file that decodes one JSON value at a time."""

    def __init__(self, fileobj: IO[bytes], chunk_size: int) -> None:
        self._read = fileobj.read
        self._chunk_size = chunk_size
        self._decoder = codecs.getincrementaldecoder("utf-8-sig")()
        self._scan = json.JSONDecoder(parse_float=Decimal, parse_constant=_no_constant).raw_decode
        self.buf = ""
        self.pos = 0
        self.eof = False
        # Offset of buf[0] in the decoded text, and the offset before which batches failed.
        self.base = 0
        self.slow_until = 0

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
        self.base += self.pos
        self.buf = self.buf[self.pos :] + text
        self.pos = 0
        return True

    def peek(self) -> str:
        """Next non-blank character without consuming it; '' at end of file."""
        while True:
            blanks = _WS.match(self.buf, self.pos)
            assert blanks is not None  # a run of zero or more blanks matches anywhere
            self.pos = blanks.end()
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
            except (ValueError, RecursionError) as exc:
                # e.g. an integer of more digits than Python converts, or absurd nesting
                raise CorruptReport(f"report JSON holds a value it cannot read: {exc}") from exc
            else:
                return value

    def rows_batch(self) -> list[dict[str, Any]] | None:
        """Every complete row from the cursor (a row start) in one msgspec call, or None.

        The batch ends at the first `}]` (the array's end) or else at the last `},` of the
        buffer. A cut inside a string or a nested value leaves the batch invalid, so it fails
        to decode; the caller then goes row by row past that point (never twice over the same
        text, so at worst a chunk is decoded twice)."""
        if self.base + self.pos < self.slow_until:
            return None
        buf, start = self.buf, self.pos
        end = buf.find("}]", start)
        if end < 0:
            end = buf.rfind("},", start)
            if end < 0:
                return None
        end += 1
        try:
            rows = _ROWS.decode("[" + buf[start:end] + "]")
        except (msgspec.DecodeError, RecursionError):
            self.slow_until = self.base + end
            return None
        self.pos = end
        return rows


def _array_rows(stream: _JsonStream) -> Iterator[dict[str, Any]]:
    """The rows of one array, the cursor after its `[`; consumes the closing `]`."""
    if stream.peek() == "]":
        stream.pos += 1
        return
    while True:
        rows = stream.rows_batch()
        if rows is not None:
            yield from rows
        else:
            row = stream.value()
            if not isinstance(row, dict):
                raise CorruptReport("report JSON: rows must be objects")
            yield row
        if stream.expect(",]") == "]":
            return


def iter_json_report(
    fileobj: IO[bytes], chunk_size: int = CHUNK_SIZE
) -> Generator[dict[str, Any], None, None]:
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
            yield from _array_rows(stream)
            if stream.expect(",}") == "}":
                break
    if stream.peek():
        raise CorruptReport("report JSON: unexpected data after the end of the report")


def _csv_value(text: str) -> Any:
    # Only canonical numbers are converted, so text such as "007" (or "-0") survives as text.
    if not text:
        return None
    if _INT.fullmatch(text) and text != "-0":
        try:
            return int(text)
        except ValueError:  # more digits than Python converts: keep the text, exactly
            return text
    if _DEC.fullmatch(text):
        return Decimal(text)
    return text


def _csv_column(cells: tuple[str, ...]) -> Iterable[Any]:
    """_csv_value of every cell of one column of a batch.

    Metric columns are canonical integers throughout: joined with commas they are a JSON
    array of ints, which msgspec decodes in one call. JSON's integer grammar is exactly the
    canonical form (no "007", "+1", "1_000"), floats and booleans are refused by the int
    type, and whitespace (which JSON would skip) is refused here; a cell holding a comma
    changes the count. Any other column goes cell by cell."""
    if "-0" not in cells:
        joined = ",".join(cells)
        if not any(blank in joined for blank in " \t\n\r"):
            try:
                values = _INTS.decode(f"[{joined}]")
            except msgspec.DecodeError:
                pass
            else:
                if len(values) == len(cells):
                    return values
    return map(_csv_value, cells)


def _csv_lines(reader: Any, width: int) -> tuple[list[list[str]], CorruptReport | None]:
    """Up to CSV_BATCH_ROWS lines, and the error that ended the file early, if any."""
    lines: list[list[str]] = []
    try:
        for line in reader:
            if len(line) != width:
                if not line:
                    continue
                raise CorruptReport(
                    f"report CSV line {reader.line_num}: {len(line)} fields, header has {width}"
                )
            lines.append(line)
            if len(lines) == CSV_BATCH_ROWS:
                break
    except CorruptReport as exc:
        return lines, exc
    except (csv.Error, UnicodeDecodeError) as exc:
        failure = CorruptReport(f"report CSV is corrupt: {exc}")
        failure.__cause__ = exc
        return lines, failure
    return lines, None


def iter_csv_report(fileobj: IO[bytes]) -> Generator[dict[str, Any], None, None]:
    """Yield CSV report rows as dicts with ints and Decimals converted; '' becomes None.

    Lines are converted a batch at a time, column by column; the rows before a bad line are
    still all yielded before the error."""
    text = io.TextIOWrapper(fileobj, encoding="utf-8-sig", newline="")
    try:
        reader = csv.reader(text, strict=True)
        header = next(reader, None)
        if not header:
            raise CorruptReport("report CSV has no header row")
        while True:
            lines, failure = _csv_lines(reader, len(header))
            if lines:
                columns = [_csv_column(cells) for cells in zip(*lines, strict=True)]
                for values in zip(*columns, strict=True):
                    yield dict(zip(header, values, strict=True))
            if failure is not None:
                raise failure
            if len(lines) < CSV_BATCH_ROWS:
                return
    except (csv.Error, UnicodeDecodeError) as exc:
        raise CorruptReport(f"report CSV is corrupt: {exc}") from exc
    finally:
        # Leave the caller's binary file open (the wrapper would close it).
        text.detach()
