"""cProfile of one tap sync, in-process, stdout to /dev/null.

    python -m benchmarks.profile_tap --config C --catalog K --out DIR [--top 10]

Writes DIR/tap.pstats, DIR/profile.txt (top functions by own time, then by cumulative time)
and prints a JSON summary: the top functions by own time (waiting in time.sleep and socket
reads excluded: the brief asks for the record path, not the report's build time) and the
cumulative share of the record path's main stages.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import json
import os
import pstats
import sys
from pathlib import Path

# Own time spent waiting, not working: excluded from the "record path" total.
_WAITS = (
    "time.sleep",
    "method 'recv_into'",
    "method 'poll'",
    "method 'select'",
    "method 'acquire'",
)
# (label, file suffix, function name): disjoint stages of the record path, by cumulative time;
# the rest ("other") is the SDK's record loop: RecordMessage objects, metrics, child contexts.
_STAGES = (
    ("parse (reports/parse.py)", "reports/parse.py", "iter_json_report"),
    ("parse CSV (reports/parse.py)", "reports/parse.py", "iter_csv_report"),
    ("RecordBuilder.build (reports/records.py)", "reports/records.py", "build"),
    ("SDK pop_deselected_record_properties", "_catalog.py", "pop_deselected_record_properties"),
    ("SDK _increment_stream_state", "streams/core.py", "_increment_stream_state"),
    ("SDK write_message (msgspec + flush)", "contrib/msgspec.py", "write_message"),
)


def _label(func: tuple[str, int, str]) -> str:
    filename, line, name = func
    if filename == "~":
        return name
    for marker in ("site-packages/", f"{Path(__file__).resolve().parents[1]}/", "lib/python3"):
        if marker in filename:
            filename = filename.split(marker, 1)[1]
            break
    return f"{filename}:{line}({name})"


def main() -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.profile_tap")
    parser.add_argument("--config", required=True)
    parser.add_argument("--catalog", required=True)
    parser.add_argument("--out", required=True)
    parser.add_argument("--top", type=int, default=10)
    args = parser.parse_args()
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)

    from tap_pinterest_ads.tap import TapPinterestAds  # noqa: PLC0415

    config = json.loads(Path(args.config).read_text(encoding="utf-8"))
    catalog = json.loads(Path(args.catalog).read_text(encoding="utf-8"))
    saved = os.dup(1)
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, 1)  # RECORD lines to /dev/null at the descriptor level
    profiler = cProfile.Profile()
    try:
        tap = TapPinterestAds(config=config, catalog=catalog)
        profiler.enable()
        tap.sync_all()
        profiler.disable()
        sys.stdout.flush()
    finally:
        os.dup2(saved, 1)
        os.close(devnull)
    profiler.dump_stats(out / "tap.pstats")

    stats = pstats.Stats(profiler)
    entries = stats.stats  # type: ignore[attr-defined]
    total = sum(tt for (_cc, _nc, tt, _ct, _callers) in entries.values())
    waiting = sum(
        tt for func, (_cc, _nc, tt, _ct, _c) in entries.items() if any(w in func[2] for w in _WAITS)
    )
    working = total - waiting
    own = sorted(
        (
            (tt, ct, nc, func)
            for func, (_cc, nc, tt, ct, _c) in entries.items()
            if not any(w in func[2] for w in _WAITS)
        ),
        reverse=True,
    )
    stages = []
    for label, suffix, name in _STAGES:
        hits = [
            ct
            for func, (_cc, _nc, _tt, ct, _c) in entries.items()
            if func[0].endswith(suffix) and func[2] == name
        ]
        if hits:
            stages.append({"stage": label, "cum_s": max(hits), "share": max(hits) / working})
    stages.append(
        {
            "stage": "other (SDK record loop, RecordMessage, metrics)",
            "cum_s": working - sum(stage["cum_s"] for stage in stages),
            "share": 1 - sum(stage["share"] for stage in stages),
        }
    )
    summary = {
        "profiled_s": total,
        "waiting_s": waiting,
        "record_path_s": working,
        "top": [
            {
                "function": _label(func),
                "ncalls": nc,
                "tottime_s": tt,
                "cumtime_s": ct,
                "share": tt / working,
            }
            for tt, ct, nc, func in own[: args.top]
        ],
        "stages": stages,
    }
    text = io.StringIO()
    listing = pstats.Stats(profiler, stream=text)
    listing.sort_stats("tottime").print_stats(30)
    listing.sort_stats("cumulative").print_stats(30)
    (out / "profile.txt").write_text(text.getvalue(), encoding="utf-8")
    print(json.dumps(summary))
    return 0


if __name__ == "__main__":
    sys.exit(main())
