"""Entity record normalisation: epoch seconds → ISO date-times, micro-units → amounts."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from tap_pinterest_ads.reports.records import MICRO
from tap_pinterest_ads.warehouse_names import rename_record


def epoch_to_iso(value: object) -> str | None:
    """Pinterest entity timestamps are epoch seconds (UTC); ISO strings pass through."""
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, str) and not value.isdigit():
        return value
    return dt.datetime.fromtimestamp(int(value), tz=dt.timezone.utc).isoformat()


def micro_to_amount(value: object) -> Decimal | None:
    """Micro-units of the ad account's currency → an exact amount (÷ 1,000,000)."""
    if value is None or isinstance(value, bool):
        return None
    return Decimal(str(value)) / MICRO


def normalise(record: dict, epoch_fields: tuple[str, ...], micro_fields: dict[str, str]) -> dict:
    """Convert in place the declared epoch and micro fields of one entity record, and rename
    the fields a target reserves (warehouse_names.py)."""
    for name in epoch_fields:
        if name in record:
            record[name] = epoch_to_iso(record[name])
    for micro_name, amount_name in micro_fields.items():
        if micro_name in record:
            record[amount_name] = micro_to_amount(record[micro_name])
    return rename_record(record)
