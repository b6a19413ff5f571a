"""In-process cost of the two stages the tap owns on the record path, per row.

    python -m benchmarks.micro REPORT_FILE {JSON,CSV} [--repeat 3]

Prints one JSON line: rows, parse_us (reports/parse.py: file -> raw row dicts) and build_us
(reports/records.py: raw row -> typed record), best of --repeat.
"""

from __future__ import annotations

import argparse
import json
import sys
import time

from tap_pinterest_ads.reports.parse import iter_csv_report, iter_json_report
from tap_pinterest_ads.reports.records import RecordBuilder


def main() -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.micro")
    parser.add_argument("file")
    parser.add_argument("format", choices=("JSON", "CSV"))
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    parse = iter_json_report if args.format == "JSON" else iter_csv_report
    parse_times, build_times = [], []
    rows: list[dict] = []
    for _ in range(args.repeat):
        rows = []
        started = time.perf_counter()
        with open(args.file, "rb") as report:
            rows.extend(parse(report))
        parse_times.append(time.perf_counter() - started)
        build = RecordBuilder().build
        started = time.perf_counter()
        for row in rows:
            build(row, "549755000001", "USD")
        build_times.append(time.perf_counter() - started)
    count = len(rows)
    print(
        json.dumps(
            {
                "rows": count,
                "parse_us": min(parse_times) / count * 1e6,
                "build_us": min(build_times) / count * 1e6,
            }
        )
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
