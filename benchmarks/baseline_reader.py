"""The bare baseline: download a JSON report, `json.loads` it whole, one RECORD line per row.

    python benchmarks/baseline_reader.py DOWNLOAD_URL STREAM_NAME

Standard library only, no typing, no Decimal, no state: the cheapest way a Python program
can turn a report file into Singer RECORD lines. RECORD lines go to /dev/null; one JSON line
of timings goes to stdout: {"rows", "bytes", "download_s", "parse_s", "write_s",
"download_cpu_s", "record_path_cpu_s"} (CPU seconds from time.process_time()).
"""

from __future__ import annotations

import json
import os
import sys
import time
import urllib.request


def main() -> int:
    url, stream = sys.argv[1], sys.argv[2]
    started = time.perf_counter()
    cpu_started = time.process_time()
    with urllib.request.urlopen(url, timeout=600) as response:  # noqa: S310 - local simulator
        data = response.read()
    downloaded = time.perf_counter()
    cpu_downloaded = time.process_time()
    size = len(data)
    report = json.loads(data)
    del data
    parsed = time.perf_counter()
    rows = 0
    dumps = json.dumps
    with open(os.devnull, "w", encoding="utf-8") as out:
        write = out.write
        for entity_rows in report.values():
            for row in entity_rows:
                write(dumps({"type": "RECORD", "stream": stream, "record": row}) + "\n")
                rows += 1
    written = time.perf_counter()
    cpu_written = time.process_time()
    timings = {
        "rows": rows,
        "bytes": size,
        "download_s": downloaded - started,
        "parse_s": parsed - downloaded,
        "write_s": written - parsed,
        "download_cpu_s": cpu_downloaded - cpu_started,
        "record_path_cpu_s": cpu_written - cpu_downloaded,
    }
    print(json.dumps(timings), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
