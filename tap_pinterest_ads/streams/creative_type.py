"""`campaign_creative_type_delivery`: daily campaign metrics per creative type.

The asynchronous reports do not offer the CREATIVE_TYPE breakdown (it is not in
`AdsAnalyticsCreateAsyncRequest.targeting_types`); the synchronous campaign targeting
analytics do (`AdsAnalyticsCampaignTargetingType`). This stream reads them, with the windows,
bookmarks, lookback and finality flags of the report streams (`ReportStream`), and the key of
`campaign_targeting_delivery`, so that the two can be unioned.

The endpoint's limits (`campaign_targeting_analytics/get`): `campaign_ids` 1 to 250; with
granularity DAY, nothing older than 90 days and at most 90 days per request; `columns` from
the synchronous reporting enum, which lacks the paid video quartiles and
TOTAL_CONVERSIONS_VALUE_IN_MICRO_DOLLAR: those fields (and the ratios built on them) are not
in this stream. The answer is `MetricsResponse`: `{"data": [{"targeting_type",
"targeting_value", "metrics": {"DATE", "CAMPAIGN_ID", …}}]}`, not paged.
"""

from __future__ import annotations

import dataclasses
import typing as t

from tap_pinterest_ads.reports import ReportError
from tap_pinterest_ads.reports.columns import LEVEL_DIMENSIONS, LEVEL_KEYS, METRICS, RATIOS, SUMS
from tap_pinterest_ads.reports.queue import ReportFailure
from tap_pinterest_ads.reports.row_dates import WindowRecords
from tap_pinterest_ads.reports.shapes import TARGETING_DIMENSIONS, ReportShape, batches
from tap_pinterest_ads.sdk_compat import PROGRESS_MARKERS
from tap_pinterest_ads.streams.entities import CampaignsStream
from tap_pinterest_ads.streams.finality import with_finality
from tap_pinterest_ads.streams.report_base import ReportStream
from tap_pinterest_ads.typing_compat import override

if t.TYPE_CHECKING:
    from collections.abc import Iterator

    from singer_sdk.helpers.types import Context

    from tap_pinterest_ads.reports.windows import Window
    from tap_pinterest_ads.tap import TapPinterestAds

PATH = "/ad_accounts/{ad_account_id}/campaigns/targeting_analytics"
CREATIVE_TYPE = "CREATIVE_TYPE"
# `query_campaign_ids_required`: maxItems 250.
MAX_CAMPAIGN_IDS = 250
# "If granularity is not HOUR, you can pull data from up to 90 days before the current date
# in UTC time, with a maximum time range of 90 days." One day less history, as for the
# reports: a run planned just before UTC midnight sends its first request just after it.
SYNC_SPAN_DAYS, SYNC_HISTORY_DAYS = 90, 90 - 1
# Delivery columns the synchronous `columns` enum does not have (it offers only the earned
# `_2` and the TOTAL_ video quartiles, and no TOTAL_CONVERSIONS_VALUE_IN_MICRO_DOLLAR).
NOT_IN_SYNC_COLUMNS = frozenset(
    {
        "VIDEO_P0_COMBINED_1",
        "VIDEO_P25_COMBINED_1",
        "VIDEO_P50_COMBINED_1",
        "VIDEO_P75_COMBINED_1",
        "VIDEO_P95_COMBINED_1",
        "VIDEO_P100_COMPLETE_1",
        "TOTAL_CONVERSIONS_VALUE_IN_MICRO_DOLLAR",
    }
)


def _creative_type_shape() -> ReportShape:
    metrics = tuple(m for m in METRICS if m.api not in NOT_IN_SYNC_COLUMNS)
    fields = {m.field for m in metrics}
    sums = tuple(s for s in SUMS if set(s.parts) <= fields)
    ratios = tuple(r for r in RATIOS if {r.numerator, r.denominator} <= fields)
    return ReportShape(
        "CAMPAIGN",
        (*LEVEL_DIMENSIONS["CAMPAIGN"], *TARGETING_DIMENSIONS),
        (*LEVEL_KEYS["CAMPAIGN"], "targeting_type", "targeting_value"),
        metrics=metrics,
        sums=sums,
        ratios=ratios,
        targeting_batches=((CREATIVE_TYPE,),),
        max_span_days=SYNC_SPAN_DAYS,
        max_history_days=SYNC_HISTORY_DAYS,
    )


CREATIVE_TYPE_DELIVERY = _creative_type_shape()
_NOTE = "Analytics rows are unsorted; the bookmark advances per finished window."


class AnalyticsAnswerError(ReportError, ValueError):
    """An answer of the targeting analytics that is not a `MetricsResponse`."""


def metrics_rows(answer: t.Any) -> list[dict[str, t.Any]]:
    """The rows of a `MetricsResponse`: each item's `metrics` with its targeting type and
    value (the record builder reads the lower-case names as the breakdown's)."""
    data = answer.get("data") if isinstance(answer, dict) else None
    if not isinstance(data, list):
        shown = type(answer).__name__ if not isinstance(answer, dict) else "object without data"
        raise AnalyticsAnswerError(f"GET {PATH} answered with a JSON {shown}, not {{data: [...]}}")
    rows = []
    for item in data:
        metrics = item.get("metrics") if isinstance(item, dict) else None
        if not isinstance(metrics, dict):
            raise AnalyticsAnswerError(
                f"GET {PATH} answered with an item without metrics: {item!r:.80}"
            )
        rows.append(
            {
                **metrics,
                "targeting_type": item.get("targeting_type"),
                "targeting_value": item.get("targeting_value"),
            }
        )
    return rows


class _AnalyticsWindow:
    """One window of one account, read by campaign-id batches when its records are
    iterated (a failure is then kept by `WindowRecords`, as a report's is)."""

    def __init__(self, stream: CampaignCreativeTypeDeliveryStream, account: str, window: Window):
        self._stream, self._account, self._window = stream, account, window

    def rows(self) -> Iterator[dict[str, t.Any]]:
        for campaign_ids in batches(self._stream.campaign_ids(self._account), MAX_CAMPAIGN_IDS):
            answer = self._stream.request_json(
                "GET",
                PATH.format(ad_account_id=self._account),
                params=self._stream.analytics_params(self._window, campaign_ids),
            )
            yield from metrics_rows(answer)


class CampaignCreativeTypeDeliveryStream(ReportStream):
    """Daily CAMPAIGN metrics per creative type (REGULAR, VIDEO, CAROUSEL, …), from the
    synchronous campaign targeting analytics."""

    name = "campaign_creative_type_delivery"
    shape = CREATIVE_TYPE_DELIVERY
    path = PATH
    selected_by_default = False

    def __init__(self, tap: TapPinterestAds) -> None:
        super().__init__(tap)
        self._campaign_ids: dict[str, tuple[str, ...]] = {}

    @override
    def _window_records(self, context: Context) -> Iterator[WindowRecords]:
        """The records of each window of this account; a finished window moves the bookmark."""
        account_id = context["ad_account_id"]
        currency = self._accounts.currency_of(account_id)
        # As ReportStream's: progress is resumable per finished window, not per record.
        self.get_context_state(context).setdefault(PROGRESS_MARKERS, {"Note": _NOTE})
        build = with_finality(self.builder.build, self.tap.finality.flags)
        for planned_account, window in self.run_plan.planned():
            if planned_account != account_id:
                continue
            records = WindowRecords(
                # WindowRecords reads a job's rows() only: this window stands in for one.
                _AnalyticsWindow(self, account_id, window),  # type: ignore[arg-type]
                lambda row: build(row, account_id, currency),
                window,
            )
            yield records
            if records.error is not None:
                self._judge(ReportFailure(account_id, records.error))
                self._keep_bookmark(context)
                return
            self._mark_covered(context, window)

    def campaign_ids(self, ad_account_id: str) -> tuple[str, ...]:
        """Every campaign of the account, any status (archived ones still have history),
        listed once per run."""
        if ad_account_id not in self._campaign_ids:
            # The campaigns stream's listing: its paging, key checks and error policy.
            campaigns = self.tap.streams["campaigns"]
            assert isinstance(campaigns, CampaignsStream)
            listed = campaigns.request_records({"ad_account_id": ad_account_id})
            self._campaign_ids[ad_account_id] = tuple(dict.fromkeys(str(c["id"]) for c in listed))
        return self._campaign_ids[ad_account_id]

    def analytics_params(self, window: Window, campaign_ids: tuple[str, ...]) -> dict[str, t.Any]:
        """The query of one request: `columns` and `targeting_types` comma-separated
        (`explode: false`), `campaign_ids` repeated (form style)."""
        return {
            "campaign_ids": list(campaign_ids),
            "start_date": window.start.isoformat(),
            "end_date": window.end.isoformat(),
            "targeting_types": CREATIVE_TYPE,
            "columns": ",".join(self.shape.requested_columns()),
            "granularity": self.shape.granularity,
            **dataclasses.asdict(self.settings.attribution),
        }
