"""`on_account_error`: what a failure confined to one ad account does to the run."""

from __future__ import annotations

import typing as t

from tap_pinterest_ads.errors import AccountError, is_account_scoped

if t.TYPE_CHECKING:
    import logging

SKIP = "skip"


class AccountIsolation:
    """Skips an ad account's failure (`skip`) or lets it stop the run (`fail`).

    A skipped account emits nothing more in that stream and keeps its bookmark; the other
    accounts carry on. Failures that are not the account's own (credentials, rate limits,
    network) are never skipped: see `is_account_scoped`.
    """

    def __init__(self, mode: str, logger: logging.Logger) -> None:
        self.mode = mode
        self._logger = logger
        #: ad account id -> streams in which it was skipped, in order.
        self.skipped: dict[str, list[str]] = {}
        #: Accounts dropped while the run's accounts were resolved, before any stream began.
        self.skipped_at_start: set[str] = set()

    def skip(self, ad_account_id: str, stream: str, exc: BaseException) -> bool:
        """True (after a WARNING) when this failure is skipped; False: the caller raises it."""
        if self.mode != SKIP or not is_account_scoped(exc):
            return False
        self._logger.warning(
            "Skipping ad account %s in stream '%s' (on_account_error=skip): %s. Its bookmark "
            "stays where it was; the next run reads it again",
            ad_account_id,
            stream,
            _without_prefix(ad_account_id, str(exc)),
        )
        self.skipped.setdefault(ad_account_id, []).append(stream)
        return True

    def log_summary(self) -> None:
        """One closing WARNING listing what was skipped, so a green run does not hide it."""
        if self.skipped:
            self._logger.warning(
                "Finished with %d ad account(s) skipped (on_account_error=skip): %s",
                len(self.skipped),
                "; ".join(f"{i} ({', '.join(s)})" for i, s in self.skipped.items()),
            )


def named(ad_account_id: str, exc: BaseException) -> BaseException:
    """The error to raise for an account's failure: prefixed with `ad account <id>: `.

    Failures that are not the account's own, and messages that already start with the
    account, are raised as they are.
    """
    if not is_account_scoped(exc) or str(exc).startswith(f"ad account {ad_account_id}"):
        return exc
    return AccountError(ad_account_id, exc)


def _without_prefix(ad_account_id: str, message: str) -> str:
    return message.removeprefix(f"ad account {ad_account_id}: ")
