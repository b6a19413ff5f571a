"""The report engine's API port (`reports.request.ReportApi`), served by a stream."""

from __future__ import annotations

import typing as t

from tap_pinterest_ads.reports.job import ReportFailed

if t.TYPE_CHECKING:
    from tap_pinterest_ads.client import PinterestStream


class StreamReportApi:
    """The report engine's API calls, sent through the stream's retrying request path."""

    def __init__(self, stream: PinterestStream) -> None:
        self._stream = stream

    def create_report(self, ad_account_id: str, body: dict[str, t.Any]) -> dict[str, t.Any]:
        return self._object("POST", f"/ad_accounts/{ad_account_id}/reports", json=body)

    def get_report(self, ad_account_id: str, token: str) -> dict[str, t.Any]:
        return self._object("GET", f"/ad_accounts/{ad_account_id}/reports", params={"token": token})

    def _object(self, method: str, path: str, **kwargs: t.Any) -> dict[str, t.Any]:
        """The JSON object the endpoint answered; anything else fails the account's report."""
        try:
            answer = self._stream.request_json(method, path, **kwargs)
        except ValueError:  # requests' JSONDecodeError is a ValueError
            raise ReportFailed(f"{method} {path} answered with a body that is not JSON") from None
        if not isinstance(answer, dict):
            kind = type(answer).__name__
            raise ReportFailed(f"{method} {path} answered with a JSON {kind}, not an object")
        return answer
