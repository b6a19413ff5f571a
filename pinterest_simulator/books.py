"""The books clock: when Pinterest finalises a day's metrics (`/resources/metrics_ready_state`).

A day's non-conversion metrics are final `non_conversion_days` after it, its conversions
`conversion_days` after it. Until then its conversions are still arriving: a report shows
the share that has arrived so far, so a run that reads an open day again gets other numbers.
`elapsed_days` moves the books on without moving the calendar (the data set's `today`, which
report dates are checked against): tests close days between two runs with it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

# Indices in metrics.BASE: the conversion counts and values that arrive late, and the totals
# recomputed from them (so totals stay the sums of their parts).
_CC, _VC, _EC, _CHECKOUT, _CV, _VV, _EV, _CHECKOUT_VALUE, _CONV, _CONV_VALUE, _PV = range(22, 33)
_LATE = (_CC, _VC, _EC, _CV, _VV, _EV, _PV)


@dataclass
class Books:
    today: date
    non_conversion_days: int = 1
    conversion_days: int = 3
    elapsed_days: int = 0

    @property
    def clock(self) -> tuple[int, int, int]:
        """What report contents depend on (the report cache's key)."""
        return (self.elapsed_days, self.non_conversion_days, self.conversion_days)

    @property
    def now(self) -> date:
        return self.today + timedelta(days=self.elapsed_days)

    def ready_state(self, day: date) -> dict[str, bool]:
        """BookClosedResponse of one day."""
        age = (self.now - day).days
        return {
            "conversion_metrics_ready": age >= self.conversion_days,
            "non_conversion_metrics_ready": age >= self.non_conversion_days,
        }

    def conversion_share(self, ordinal: int) -> tuple[int, int] | None:
        """(numerator, denominator) of a day's conversions that have arrived; None: all."""
        age = self.now.toordinal() - ordinal
        if age >= self.conversion_days:
            return None
        return max(age, 0) + 1, self.conversion_days + 1

    def mature(self, base: tuple, ordinal: int) -> tuple:
        """`core_metrics` of one ad and day as the books show them now."""
        share = self.conversion_share(ordinal)
        if share is None:
            return base
        num, den = share
        values = list(base)
        for i in _LATE:
            values[i] = values[i] * num // den
        values[_CHECKOUT] = values[_CC] + values[_VC] + values[_EC]
        values[_CHECKOUT_VALUE] = values[_CV] + values[_VV] + values[_EV]
        values[_CONV] = values[_CHECKOUT] + values[_PV]
        values[_CONV_VALUE] = values[_CHECKOUT_VALUE] + values[_PV] * 1_000_003
        return tuple(values)
