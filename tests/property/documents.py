"""Hypothesis strategies: report documents (JSON and CSV) for one window, valid and mutated.

A `Document` carries its bytes and what the tap must make of them: the exact records of
its rows (`expected`), or None when the only right outcome is failing the window in one
line. The rows are `pin_promotion_delivery` rows (level PIN_PROMOTION, DAY), with the
columns below; mutations are the API's latitude and worse: odd and stray dates, nulls,
fractions, numbers that are not numbers, bad characters and bytes, truncation.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from dataclasses import dataclass
from decimal import Decimal

from hypothesis import strategies as st

MICRO = Decimal(1_000_000)
COLUMNS = ("DATE", "CAMPAIGN_ID", "PIN_PROMOTION_ID", "IMPRESSION_1", "CLICKTHROUGH_1",
           "SPEND_IN_MICRO_DOLLAR", "TOTAL_CONVERSIONS")  # fmt: skip
# API column -> record field; money is divided, the others are copied.
FIELDS = {"IMPRESSION_1": "paid_impressions", "CLICKTHROUGH_1": "paid_clicks",
          "SPEND_IN_MICRO_DOLLAR": "spend", "TOTAL_CONVERSIONS": "conversions"}  # fmt: skip
BOM = b"\xef\xbb\xbf"


@dataclass(frozen=True)
class Document:
    body: bytes
    report_format: str
    expected: tuple[dict, ...] | None  # None: the window must fail, in one line
    how: str  # what the generator did, for hypothesis' report of a failing example

    @property
    def must_fail(self) -> bool:
        return self.expected is None


def _text(report_format: str) -> st.SearchStrategy[str]:
    # Any text but lone surrogates (the Singer writer's business, not the report's), and for
    # CSV no NUL (Python 3.10's csv refuses it: the window would fail, rightly but not here).
    nul = "\x00" if report_format == "CSV" else ""
    chars = st.characters(exclude_categories=("Cs",), exclude_characters=nul)
    return st.text(chars, max_size=12)


@st.composite
def _rows(draw, window: tuple[dt.date, dt.date], report_format: str, min_size: int) -> list[dict]:
    start, end = window
    days = [start + dt.timedelta(days=i) for i in range((end - start).days + 1)]
    keys = draw(st.lists(st.tuples(st.sampled_from(days), st.integers(1, 10**15)),
                         min_size=min_size, max_size=6, unique=True))  # fmt: skip
    rows = []
    for day, pin_promotion in keys:
        row = {"DATE": day.isoformat(), "PIN_PROMOTION_ID": str(pin_promotion)}
        if draw(st.booleans()):
            row["CAMPAIGN_ID"] = draw(_text(report_format))
        row["IMPRESSION_1"] = draw(st.integers(0, 10**9))
        row["CLICKTHROUGH_1"] = draw(st.integers(0, 10**6))
        row["SPEND_IN_MICRO_DOLLAR"] = draw(st.integers(0, 10**13))
        row["TOTAL_CONVERSIONS"] = draw(st.integers(0, 10**4))
        rows.append(row)
    return rows


def expected_record(row: dict, report_format: str) -> dict:
    """The fields of the record the tap must make of `row` (as generated, before rendering)."""
    record = {"date": row["DATE"], "pin_promotion_id": row["PIN_PROMOTION_ID"]}
    campaign = row.get("CAMPAIGN_ID")
    # CSV cannot tell an empty text from a missing one.
    record["campaign_id"] = None if campaign == "" and report_format == "CSV" else campaign
    for api, field in FIELDS.items():
        value = row.get(api)
        value = Decimal(0) if value is None else Decimal(value)
        record[field] = value / MICRO if api == "SPEND_IN_MICRO_DOLLAR" else value
    return record


def _json_value(value: object) -> str:
    return str(value) if isinstance(value, Decimal) else json.dumps(value)


def render_json(rows: list[dict], *, by_date: bool, keep_zeros: bool, indent: bool) -> bytes:
    """The API's JSON report: rows grouped under ids (or dates); zero metrics left out."""
    groups: dict[str, list[dict]] = {}
    for row in rows:
        key = row["DATE"] if by_date else row.get("PIN_PROMOTION_ID", "0")
        groups.setdefault(str(key), []).append(row)
    gap = "\n  " if indent else ""

    def render(row: dict) -> str:
        items = [(k, v) for k, v in row.items() if keep_zeros or v != 0]
        return "{" + ",".join(f"{json.dumps(k)}:{_json_value(v)}" for k, v in items) + "}"

    body = ",".join(
        f"{gap}{json.dumps(key)}:[{','.join(render(r) for r in group)}]"
        for key, group in groups.items()
    )
    return ("{" + body + ("\n" if indent else "") + "}").encode()


def render_csv(rows: list[dict]) -> bytes:
    """The API's CSV report: a header, zero-filled metrics."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    columns = list(dict.fromkeys([*COLUMNS, *(k for row in rows for k in row)]))
    writer.writerow(columns)
    for row in rows:
        # Metrics are zero-filled; a text the row lacks is an empty cell.
        cells = [row.get(c, 0 if c in FIELDS else None) for c in columns]
        writer.writerow(["" if cell is None else cell for cell in cells])
    return out.getvalue().encode()


# Mutations: (name, applies to JSON/CSV, expected outcome, change) ----------------------------


def _outside(window, draw) -> str:
    start, end = window
    days = draw(st.integers(1, 3000))
    day = end + dt.timedelta(days=days) if draw(st.booleans()) else start - dt.timedelta(days=days)
    return day.isoformat()


def _odd_format(window, draw) -> str:
    day = window[0]
    forms = [f"{day}T00:00:00", day.strftime("%d/%m/%Y"), day.strftime("%Y%m%d"), f" {day}",
             f"{day} ", "", f"{day}Z"]  # fmt: skip
    return draw(st.sampled_from(forms))


ROW_FAULTS = {
    # name: (expected to fail?, row change)
    "stray date": (True, lambda row, window, draw: row.update(DATE=_outside(window, draw))),
    "odd date": (True, lambda row, window, draw: row.update(DATE=_odd_format(window, draw))),
    "no key": (True, lambda row, window, draw: row.pop("PIN_PROMOTION_ID")),
    "fractional impressions": (
        True, lambda row, window, draw: row.update(IMPRESSION_1=Decimal("2.5"))),
    "text clicks": (True, lambda row, window, draw: row.update(CLICKTHROUGH_1="abc")),
    "null metric": (False, lambda row, window, draw: row.update(IMPRESSION_1=None)),
    "modeled conversions": (
        False, lambda row, window, draw: row.update(TOTAL_CONVERSIONS=Decimal("3.25"))),
    "fractional micro spend": (
        False, lambda row, window, draw: row.update(SPEND_IN_MICRO_DOLLAR=Decimal("1500000.5"))),
    "unknown column": (False, lambda row, window, draw: row.update(SOMETHING_NEW="x")),
}  # fmt: skip
JSON_ONLY = {"null metric"}  # CSV has no null: an empty cell is what CSV has


DOCUMENT_FAULTS = ("truncated", "bad byte", "empty", "trailing garbage", "not a row", "nan")
# A CSV cut at a line's end is a valid CSV (only HTTP framing catches a cut transfer), and
# the other whole-document faults but these two are JSON's.
CSV_DOCUMENT_FAULTS = ("bad byte", "empty")


@st.composite
def documents(draw, window: tuple[dt.date, dt.date]) -> Document:
    """A report document for `window` and what the tap must make of it: valid, or with one
    fault in a row or in the whole document."""
    report_format = draw(st.sampled_from(["JSON", "CSV"]))
    row_faults = [n for n in ROW_FAULTS if report_format == "JSON" or n not in JSON_ONLY]
    document_faults = DOCUMENT_FAULTS if report_format == "JSON" else CSV_DOCUMENT_FAULTS
    scenario = draw(st.sampled_from(["valid"] * 4 + row_faults + list(document_faults)))
    rows = draw(_rows(window, report_format, min_size=int(scenario in ROW_FAULTS)))
    how = [report_format, scenario]
    must_fail = False
    if scenario in ROW_FAULTS:
        must_fail, change = ROW_FAULTS[scenario]
        change(rows[draw(st.integers(0, len(rows) - 1))], window, draw)
    if report_format == "JSON":
        body = render_json(rows, by_date=draw(st.booleans()), keep_zeros=draw(st.booleans()),
                           indent=draw(st.booleans()))  # fmt: skip
    else:
        body = render_csv(rows)
    outcome = "as rows"
    if scenario in DOCUMENT_FAULTS:
        body, outcome = _document_fault(draw, body, scenario)
    if draw(st.booleans()):
        body, how = BOM + body, [*how, "BOM"]
    expected: tuple[dict, ...] | None = None
    if outcome == "empty":
        expected = ()
    elif not (must_fail or outcome == "fails"):
        expected = tuple(expected_record(row, report_format) for row in rows)
    return Document(body, report_format, expected, ", ".join(how))


BAD_BYTES = (b"\xff", b"\xc3", b"\xed\xa0\x80")  # not UTF-8: a lone byte, a cut, a surrogate


def _document_fault(draw, body: bytes, fault: str) -> tuple[bytes, str]:
    """The document changed as a whole: (bytes, "fails" | "empty")."""
    if fault == "empty":
        return draw(st.sampled_from([b"", b"\n", b"{}" if body.startswith(b"{") else b""])), "empty"
    at = draw(st.integers(0, len(body)))
    changed = {
        "truncated": lambda: body[: max(1, min(at, len(body) - 1))],
        "bad byte": lambda: body[:at] + draw(st.sampled_from(BAD_BYTES)) + body[at:],
        "trailing garbage": lambda: body + b"x",
        "not a row": lambda: b'{"1":[1]}',
        "nan": lambda: b'{"1":[{"DATE":NaN}]}',
    }
    return changed[fault](), "fails"
