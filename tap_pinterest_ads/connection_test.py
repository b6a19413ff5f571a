"""`tap-pinterest-ads --test`: does this configuration reach Pinterest and read what a run reads?

singer-sdk's own `--test` syncs every stream, opt-in ones included, up to one record each:
for this tap that creates reports for every account (two dozen for two accounts, each
taking seconds to minutes) and logs an ERROR per stream it stops early. This check asks
only for what proves the configuration works: the token (the first request refreshes it),
the ad accounts, and the first page of every entity and lookup stream selected by
default, for the first ad account. No report is created: reports need nothing the entity
lists do not already prove (the same ads:read scope and account role), and they cost
minutes. Nothing is written to stdout; a failure is raised and becomes one ERROR line.
"""

from __future__ import annotations

import typing as t

from tap_pinterest_ads.client import PinterestStream
from tap_pinterest_ads.streams.accounts import AdAccountsStream
from tap_pinterest_ads.streams.report_base import ReportStream

if t.TYPE_CHECKING:
    from singer_sdk.helpers.types import Context

    from tap_pinterest_ads.tap import TapPinterestAds


def checked_streams(tap: TapPinterestAds) -> list[PinterestStream]:
    """The streams whose first page the check reads: selected by default, no reports."""
    return [
        stream
        for stream in tap.streams.values()
        if isinstance(stream, PinterestStream)
        and stream.selected_by_default
        and not isinstance(stream, (ReportStream, AdAccountsStream))
        and stream.path  # ad_formats is static: nothing to ask the API
    ]


def read_first_page(stream: PinterestStream, context: Context | None) -> None:
    """One request: the stream's first page (a page that has records is not read further)."""
    pages = iter(stream.request_records(context))
    try:
        next(pages, None)
    finally:
        close = getattr(pages, "close", None)
        if close:
            close()


def check_connection(tap: TapPinterestAds) -> None:
    """Read the token, the ad accounts and one page per checked stream; raise on failure."""
    logger = tap.logger
    accounts = tap.ad_accounts.accounts()
    ids = [account["id"] for account in accounts]
    logger.info("Connection test: token accepted, %d ad account(s): %s", len(ids), ", ".join(ids))
    if not ids:
        logger.warning(
            "Connection test: these credentials read no ad account; a run would extract "
            "nothing but the global lookups (check the authorizing user's roles)"
        )
    read: list[str] = []
    for stream in checked_streams(tap):
        if stream.parent_stream_type is AdAccountsStream:
            if not ids:
                continue
            context: Context | None = {"ad_account_id": ids[0]}
        else:
            partitions = stream.partitions
            context = partitions[0] if partitions else None
        read_first_page(stream, context)
        logger.info("Connection test: %s answered %s", stream.name, _where(context))
        read.append(stream.name)
    logger.info(
        "Connection test passed: token, %d ad account(s) and the first page of %s; "
        "no report was created",
        len(ids),
        ", ".join(read) or "no other stream",
    )


def _where(context: Context | None) -> str:
    if not context:
        return "(global)"
    return "(" + ", ".join(f"{key} {value}" for key, value in context.items()) + ")"
