"""CLI: ``python -m pinterest_simulator --port 0 --accounts 3 --report-delay 0.5 --ready-file F``.

Prints ``SIMULATOR_URL=http://127.0.0.1:PORT/v5`` on stdout (and writes the URL to
``--ready-file``), then serves until SIGTERM/SIGINT.
"""

from __future__ import annotations

import argparse
import signal
import sys
import threading
from datetime import date
from pathlib import Path

from .dataset import Dataset
from .simulator import Simulator


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    p = argparse.ArgumentParser(
        prog="python -m pinterest_simulator",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--port", type=int, default=0, help="0 = any free port")
    p.add_argument("--accounts", type=int, default=2)
    p.add_argument("--campaigns-per-account", type=int, default=2)
    p.add_argument("--ad-groups-per-campaign", type=int, default=2)
    p.add_argument("--ads-per-ad-group", type=int, default=3)
    p.add_argument("--days", type=int, default=120)
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--today", type=date.fromisoformat, default=None, help="YYYY-MM-DD (UTC)")
    p.add_argument("--inactive-percent", type=int, default=10)
    p.add_argument("--report-delay", type=float, default=0.0, help="seconds IN_PROGRESS")
    p.add_argument("--url-ttl", type=float, default=300.0, help="download link lifetime (s)")
    p.add_argument("--report-ttl", type=float, default=3600.0, help="report lifetime (s)")
    p.add_argument("--client-id", default="fake-client-id")
    p.add_argument("--client-secret", default="fake-client-secret")
    p.add_argument("--refresh-token", default="fake-refresh-0")
    p.add_argument("--access-token", default=None, help="static bearer token accepted")
    p.add_argument("--access-token-expires-in", type=int, default=2_592_000)
    p.add_argument(
        "--refresh-grace",
        type=float,
        default=None,
        help="seconds an old refresh token stays valid (default: forever)",
    )
    p.add_argument("--strict-rotation", action="store_true", help="only the newest refresh works")
    p.add_argument("--report-dir", default=None, help="where report files go (default: temp)")
    p.add_argument(
        "--ads-analytics-limit",
        type=int,
        default=None,
        help="ads_analytics calls per window per user and app (Pinterest: 300); default: none",
    )
    p.add_argument(
        "--rate-limit-window", type=float, default=60.0, help="rate-limit window (s), default 60"
    )
    p.add_argument("--ready-file", default=None, help="write the base URL here once serving")
    p.add_argument("--verbose", action="store_true", help="log every request to stderr")
    return p.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    dataset = Dataset(
        accounts=args.accounts,
        campaigns_per_account=args.campaigns_per_account,
        ad_groups_per_campaign=args.ad_groups_per_campaign,
        ads_per_ad_group=args.ads_per_ad_group,
        days=args.days,
        seed=args.seed,
        today=args.today,
        inactive_percent=args.inactive_percent,
    )
    sim = Simulator(
        dataset,
        host=args.host,
        port=args.port,
        report_delay_seconds=args.report_delay,
        url_ttl_seconds=args.url_ttl,
        report_ttl_seconds=args.report_ttl,
        client_id=args.client_id,
        client_secret=args.client_secret,
        refresh_token=args.refresh_token,
        access_token=args.access_token,
        access_token_expires_in=args.access_token_expires_in,
        refresh_grace_seconds=args.refresh_grace,
        strict_rotation=args.strict_rotation,
        report_dir=args.report_dir,
        verbose=args.verbose,
        ads_analytics_limit=args.ads_analytics_limit,
        rate_limit_window_seconds=args.rate_limit_window,
    )
    stop = threading.Event()
    for signum in (signal.SIGTERM, signal.SIGINT):
        signal.signal(signum, lambda *_: stop.set())
    sim.start()
    try:
        if args.ready_file:
            tmp = Path(args.ready_file + ".tmp")
            tmp.write_text(sim.base_url + "\n", encoding="utf-8")
            tmp.replace(args.ready_file)  # atomic: readers never see a partial URL
        print(f"SIMULATOR_URL={sim.base_url}", flush=True)
        while not stop.wait(0.5):
            pass
    finally:
        sim.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
