"""Run the tap with what-if patches, to size changes proposed for files outside benchmarks/.

    python -m benchmarks.tap_variant [--sdk-record-path] [--buffered-writer]
        -- --config CONFIG --catalog CATALOG

The patches are applied in this process only; nothing in tap_pinterest_ads/ is changed.

--sdk-record-path       singer-sdk's own record path, as before P1 and P2 were made in
                        sdk_compat.py: the deselection walk on every record
                        (`pop_deselected_record_properties`) and the per-record state
                        increment on report streams. The "before" of a before/after.
--buffered-writer       MsgSpecWriter flushes stdout after every message; flush only after
                        non-RECORD messages (STATE etc.) and at exit.
--parse-from FILE       Use the report parsers of FILE (e.g. an older reports/parse.py taken
                        with `git show`) instead of the current ones: a before/after A/B.
--poll-factor F         ReportJob's poll back-off factor instead of reports/job.py's
                        POLL_FACTOR (2.0 until commit 5cb7e24: polls 1, 3, 7, 15 s after
                        creation; 1.3 until 0e093f3; 1.25 since).
"""

from __future__ import annotations

import argparse
import sys


def _sdk_record_path() -> None:
    from singer_sdk.streams import RESTStream  # noqa: PLC0415

    from tap_pinterest_ads.sdk_compat import SdkStream  # noqa: PLC0415
    from tap_pinterest_ads.streams.report_base import ReportStream  # noqa: PLC0415

    SdkStream._generate_record_messages = RESTStream._generate_record_messages  # type: ignore[method-assign]
    ReportStream.bookmark_per_record = True


def _buffered_writer() -> None:
    from singer_sdk.contrib.msgspec import MsgSpecWriter  # noqa: PLC0415
    from singer_sdk.singerlib import RecordMessage  # noqa: PLC0415

    def write_message(self, message):
        sys.stdout.buffer.write(self.format_message(message))
        if not isinstance(message, RecordMessage):
            sys.stdout.flush()

    MsgSpecWriter.write_message = write_message


def _poll_factor(factor: float) -> None:
    from tap_pinterest_ads.reports.job import ReportJob  # noqa: PLC0415

    defaults = dict(ReportJob.__init__.__kwdefaults__ or {})
    defaults["poll_factor"] = factor
    ReportJob.__init__.__kwdefaults__ = defaults


def _parse_from(path: str) -> None:
    import importlib.util  # noqa: PLC0415

    from tap_pinterest_ads.reports import job, parse  # noqa: PLC0415

    spec = importlib.util.spec_from_file_location("tap_pinterest_ads.reports._parse_ab", path)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    for name in ("iter_json_report", "iter_csv_report"):
        for target in (parse, job):
            setattr(target, name, getattr(module, name))
    # The report job catches CorruptReport: keep it one class.
    module.CorruptReport = parse.CorruptReport  # type: ignore[attr-defined]


def main() -> None:
    argv = sys.argv[1:]
    split = argv.index("--") if "--" in argv else len(argv)
    parser = argparse.ArgumentParser(prog="python -m benchmarks.tap_variant")
    parser.add_argument("--sdk-record-path", action="store_true")
    parser.add_argument("--buffered-writer", action="store_true")
    parser.add_argument("--poll-factor", type=float)
    parser.add_argument("--parse-from")
    options = parser.parse_args(argv[:split])
    if options.sdk_record_path:
        _sdk_record_path()
    if options.buffered_writer:
        _buffered_writer()
    if options.poll_factor:
        _poll_factor(options.poll_factor)
    if options.parse_from:
        _parse_from(options.parse_from)
    from tap_pinterest_ads.tap import main as tap_main  # noqa: PLC0415

    sys.argv = ["tap-pinterest-ads", *argv[split + 1 :]]
    tap_main()


if __name__ == "__main__":
    main()
