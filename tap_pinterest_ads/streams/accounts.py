"""Ad accounts: the configured ones, or every account the token can read."""

from __future__ import annotations

import typing as t

from tap_pinterest_ads.streams.api_object import ApiObjectStream
from tap_pinterest_ads.typing_compat import override

if t.TYPE_CHECKING:
    from singer_sdk.helpers.types import Context, Record

    from tap_pinterest_ads.tap import TapPinterestAds


class AdAccountsStream(ApiObjectStream):
    """`GET /ad_accounts/{id}` per configured id, else `GET /ad_accounts`; full table.

    Every other stream hangs off these accounts, so the list is fetched once per run and
    kept (`accounts()`), whether or not this stream itself is selected.
    """

    name = "ad_accounts"
    primary_keys = ("id",)
    openapi_component = "AdAccount"
    epoch_fields = ("created_time", "updated_time")

    def __init__(self, tap: TapPinterestAds, **kwargs: t.Any) -> None:
        super().__init__(tap, **kwargs)
        self._accounts: list[Record] | None = None
        if self.settings.advertiser_ids:
            # One account by id; that endpoint answers with the object itself.
            self.path = "/ad_accounts/{ad_account_id}"
            self.records_jsonpath = "$"
        else:
            self.path = "/ad_accounts"

    @override
    def get_url_params(self, context: Context | None, next_page_token: t.Any) -> dict[str, t.Any]:
        """No paging parameters on the single-account endpoint."""
        if self.settings.advertiser_ids:
            return {}
        return super().get_url_params(context, next_page_token)

    def accounts(self) -> list[Record]:
        """The run's ad accounts, requested once.

        With `on_account_error: skip`, a configured account that cannot be read is left out
        (unless none can be read) and the run sends no ACTIVATE_VERSION, so that the target
        does not soft-delete the skipped account's entities.
        """
        if self._accounts is None:
            ids = self.settings.advertiser_ids
            if not ids:
                self._accounts = [self.post_process(r) for r in self.request_records(None)]
                return self._accounts
            accounts: list[Record] = []
            failures: list[Exception] = []
            isolation = self.tap.isolation
            for ad_account_id in ids:
                try:
                    records = list(self.request_records({"ad_account_id": ad_account_id}))
                except Exception as exc:
                    if not isolation.skip(ad_account_id, self.name, exc):
                        raise
                    isolation.skipped_at_start.add(ad_account_id)
                    failures.append(exc)
                    continue
                accounts.extend(self.post_process(record) for record in records)
            if failures and not accounts:
                raise failures[0]
            if failures and self.settings.emit_activate_version:
                self.logger.warning(
                    "Not sending ACTIVATE_VERSION this run: %d ad account(s) were skipped and "
                    "their entities must not look deleted",
                    len(failures),
                )
            self._accounts = accounts
        return self._accounts

    def currency_of(self, ad_account_id: str) -> str | None:
        """The account's currency: the unit of every micro and `_IN_DOLLAR` value."""
        return next((a.get("currency") for a in self.accounts() if a["id"] == ad_account_id), None)

    @override
    def get_records(self, context: Context | None) -> t.Iterable[Record]:
        """Serve the cached accounts (copies: the SDK post-processes what it is given)."""
        for account in self.accounts():
            yield dict(account)

    @override
    def post_process(self, row: Record, context: Context | None = None) -> Record:
        """Ids as strings, epoch seconds as ISO date-times."""
        row["id"] = str(row["id"])
        return super().post_process(row, context)

    @override
    def get_child_context(self, record: Record, context: Context | None) -> Record:
        """Children run once per account."""
        return {"ad_account_id": record["id"]}
