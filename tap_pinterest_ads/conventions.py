"""Pinterest's conventions that both layers share: money in micro-units, report attribution.

At the bottom of the package's import graph (it imports nothing from the package), so the
report engine (`reports/`), the streams and the settings all take these from here.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

# Money is sent in micro-units of the ad account's currency: 1,000,000 to the unit.
MICRO = Decimal(1_000_000)


@dataclass(frozen=True)
class Attribution:
    """Conversion attribution a report is requested with (and copied onto its records).

    The defaults are the API's own, and the defaults of the settings of the same names.
    """

    click_window_days: int = 30
    engagement_window_days: int = 30
    view_window_days: int = 1
    conversion_report_time: str = "TIME_OF_AD_ACTION"


# (click, engagement, view) window days Pinterest accepts together. The spec enumerates each
# window alone (0, 1, 7, 14, 30, 60), but the API refuses other combinations, so a bad triple
# would fail the first report of a run. The list is the one connector vendors document for
# Pinterest (no 0 or 14 in any of them); api-quickstart#50 reports 7/0/0 refused too.
ATTRIBUTION_WINDOW_TRIPLES: tuple[tuple[int, int, int], ...] = (
    (60, 60, 60), (60, 60, 30), (60, 60, 7), (60, 60, 1), (60, 30, 30), (60, 30, 7),
    (60, 30, 1), (60, 7, 7), (60, 7, 1), (60, 1, 1), (30, 60, 1), (30, 30, 30), (30, 30, 7),
    (30, 30, 1), (30, 7, 7), (30, 7, 1), (30, 1, 1), (7, 7, 7), (7, 7, 1), (7, 1, 1), (1, 1, 1),
)  # fmt: skip
