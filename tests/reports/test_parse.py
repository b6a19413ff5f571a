"""Streaming report parsers: same rows as a full parse, bounded reads, loud on corruption."""

from __future__ import annotations

import io
import json
from decimal import Decimal

import pytest

from tap_pinterest_ads.reports import parse
from tap_pinterest_ads.reports.parse import CorruptReport, iter_csv_report, iter_json_report

REPORT = {
    "687195905986": [
        {"DATE": "2024-01-01", "PIN_PROMOTION_ID": 687195905986, "SPEND_IN_MICRO_DOLLAR": 1200000},
        {"DATE": "2024-01-02", "PIN_PROMOTION_ID": 687195905986, "CTR": 0.0125},
    ],
    "687195905987": [],
    "687195905988": [{"DATE": "2024-01-01", "AD_NAME": "Été \u2603 ads", "IMPRESSION_1": 3}],
}
DOC = json.dumps(REPORT, ensure_ascii=False).encode()


def rows_of(report: dict) -> list[dict]:
    return [row for rows in report.values() for row in rows]


class CountingFile(io.BytesIO):
    def __init__(self, data: bytes) -> None:
        super().__init__(data)
        self.bytes_read = 0

    def read(self, size: int | None = -1) -> bytes:
        data = super().read(size)
        self.bytes_read += len(data)
        return data


@pytest.mark.parametrize("chunk_size", [1, 2, 3, 7, 64, 1 << 20])
def test_json_rows_are_those_of_a_full_parse_whatever_the_chunk_size(chunk_size):
    # Small chunks split keys, numbers and multi-byte UTF-8 characters across reads.
    rows = list(iter_json_report(io.BytesIO(DOC), chunk_size=chunk_size))

    assert rows == rows_of(json.loads(DOC, parse_float=Decimal))
    assert len(rows) == 3


def test_json_numbers_keep_ids_exact_and_fractions_as_decimal():
    rows = list(iter_json_report(io.BytesIO(DOC)))

    assert rows[0]["PIN_PROMOTION_ID"] == 687195905986
    assert rows[1]["CTR"] == Decimal("0.0125")
    assert type(rows[1]["CTR"]) is Decimal


def test_empty_json_report_has_no_rows():
    assert list(iter_json_report(io.BytesIO(b" {}\n"))) == []


def test_json_report_sorted_by_date_yields_the_rows_under_date_keys():
    doc = b'{"2024-01-01": [{"AD_ID": "1"}, {"AD_ID": "2"}], "2024-01-02": [{"AD_ID": "1"}]}'

    assert [r["AD_ID"] for r in iter_json_report(io.BytesIO(doc))] == ["1", "2", "1"]


def test_json_rows_are_read_as_they_are_needed_not_all_at_once():
    big = {"1": [{"DATE": "2024-01-01", "N": n, "PAD": "x" * 100} for n in range(5000)]}
    source = CountingFile(json.dumps(big).encode())
    rows = iter_json_report(source, chunk_size=4096)

    assert next(rows)["N"] == 0
    assert source.bytes_read == 4096
    assert sum(1 for _ in rows) == 4999


def test_json_report_cut_anywhere_raises_instead_of_yielding_fewer_rows():
    for end in range(len(DOC)):
        with pytest.raises(CorruptReport):
            list(iter_json_report(io.BytesIO(DOC[:end]), chunk_size=16))


def test_corrupt_json_is_reported_without_reading_the_rest_of_the_file(monkeypatch):
    monkeypatch.setattr(parse, "MAX_ROW_CHARS", 1000)
    source = CountingFile(b'{"1": [{"A": 1 ' + b"x" * 100_000 + b"}]}")

    with pytest.raises(CorruptReport):
        list(iter_json_report(source, chunk_size=256))
    assert source.bytes_read < 2000


@pytest.mark.parametrize(
    "doc",
    [
        b'{"code": 8, "message": "This request exceeded a rate limit"}',
        b"[]",
        b'{"1": [1, 2]}',
        b'{"1": [{"A": 1}]} {"2": []}',
        b'{"1": [{"A": 1}}',
        b'{"1": [{"A": \xff}]}',
    ],
    ids=["error-body", "array", "non-object-rows", "trailing-data", "bad-bracket", "bad-utf8"],
)
def test_json_that_is_not_a_report_raises_corrupt_report(doc):
    with pytest.raises(CorruptReport):
        list(iter_json_report(io.BytesIO(doc)))


def test_csv_rows_have_numbers_converted_and_text_kept_verbatim():
    doc = (
        "\ufeffDATE,PIN_PROMOTION_ID,AD_NAME,IMPRESSION_1,CTR,CAMPAIGN_NAME\r\n"
        '2024-01-01,687195905986,"Sale, 50%",12,0.0125,007\r\n'
        "2024-01-02,687195905987,,0,0.0,-\r\n"
    ).encode()

    assert list(iter_csv_report(io.BytesIO(doc))) == [
        {
            "DATE": "2024-01-01",
            "PIN_PROMOTION_ID": 687195905986,
            "AD_NAME": "Sale, 50%",
            "IMPRESSION_1": 12,
            "CTR": Decimal("0.0125"),
            "CAMPAIGN_NAME": "007",
        },
        {
            "DATE": "2024-01-02",
            "PIN_PROMOTION_ID": 687195905987,
            "AD_NAME": None,
            "IMPRESSION_1": 0,
            "CTR": Decimal("0.0"),
            "CAMPAIGN_NAME": "-",
        },
    ]


def test_csv_with_only_a_header_has_no_rows():
    assert list(iter_csv_report(io.BytesIO(b"DATE,IMPRESSION_1\r\n"))) == []


@pytest.mark.parametrize(
    "doc",
    [b"", b"DATE,IMPRESSION_1\r\n2024-01-01,12\r\n2024-01-0", b'A,B\r\n"open,1\r\n'],
    ids=["empty", "cut-mid-line", "unterminated-quote"],
)
def test_csv_that_is_truncated_or_malformed_raises_corrupt_report(doc):
    with pytest.raises(CorruptReport):
        list(iter_csv_report(io.BytesIO(doc)))


def test_csv_parsing_leaves_the_callers_file_open():
    source = io.BytesIO(b"A\r\n1\r\n")
    list(iter_csv_report(source))

    assert not source.closed
