"""Per-record cost of the tap's Singer writer (TextSafeWriter) against singer-sdk's MsgSpecWriter.

    python -m benchmarks.writer [--records 200000] [--repeat 7]

TextSafeWriter only adds a `try` around msgspec's encoding (a lone surrogate is repaired in
the `except`): this measures what that costs on the hot path, for delivery-report-like and
campaign-like records, serialising RECORD messages (no stdout). Prints one JSON line: the
best-of-repeat microseconds per record for each writer and the relative difference.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
import time
from decimal import Decimal

from singer_sdk.contrib.msgspec import MsgSpecWriter
from singer_sdk.singerlib import RecordMessage

from tap_pinterest_ads.singer_writer import TextSafeWriter

DELIVERY = {
    "date": "2026-11-01",
    "ad_account_id": "549755000001",
    "pin_promotion_id": "687195000123",
    "campaign_id": "626735000045",
    "ad_group_id": "2680060000067",
    "spend": Decimal("12.345678"),
    "paid_impressions": 1234,
    "paid_clicks": 56,
    "ctr": Decimal("0.0453809"),
    "cpc": Decimal("0.220458"),
    **{f"metric_{i}": i * 7 for i in range(25)},
}
CAMPAIGN = {
    "id": "626735000045",
    "ad_account_id": "549755000001",
    "name": "Campaign 45 - Summer sale ünïcödé",
    "status": "ACTIVE",
    "daily_spend_cap": 25000000,
    "daily_spend_cap_amount": Decimal("25"),
    "tracking_urls": {"impression": ["https://track.example.com/i/45"], "click": []},
    "created_time": "2026-01-02T03:04:05+00:00",
    "updated_time": "2026-11-02T03:04:05+00:00",
    "objective_type": "WEB_CONVERSION",
    "is_flexible_daily_budgets": True,
    "type": "campaign",
}


def per_record_us(
    writers: dict[str, MsgSpecWriter], record: dict, count: int, repeat: int
) -> dict[str, float]:
    """Best-of-`repeat` microseconds per record for each writer, runs interleaved so that a
    busy machine slows both alike."""
    now = dt.datetime.now(dt.timezone.utc)
    messages = [
        RecordMessage(stream="s", record=dict(record), version=1, time_extracted=now)
        for _ in range(count)
    ]
    best = dict.fromkeys(writers, float("inf"))
    for _ in range(repeat):
        for name, writer in writers.items():
            started = time.perf_counter()
            for message in messages:
                writer.format_message(message)
            best[name] = min(best[name], time.perf_counter() - started)
    return {name: seconds / count * 1e6 for name, seconds in best.items()}


def main() -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.writer")
    parser.add_argument("--records", type=int, default=200_000)
    parser.add_argument("--repeat", type=int, default=7)
    args = parser.parse_args()
    result = {}
    for name, record in (("delivery", DELIVERY), ("campaign", CAMPAIGN)):
        writers = {"sdk": MsgSpecWriter(), "tap": TextSafeWriter()}
        times = per_record_us(writers, record, args.records, args.repeat)
        sdk, tap = times["sdk"], times["tap"]
        result[name] = {
            "msgspec_writer_us": round(sdk, 3),
            "text_safe_writer_us": round(tap, 3),
            "difference_percent": round((tap - sdk) / sdk * 100, 1),
        }
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
