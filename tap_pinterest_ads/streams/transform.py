"""Entity record normalisation: epoch seconds → ISO date-times, micro-units → amounts."""

from __future__ import annotations

import datetime as dt
import typing as t
from decimal import Decimal, InvalidOperation

from tap_pinterest_ads.conventions import MICRO
from tap_pinterest_ads.errors import EntityValueError
from tap_pinterest_ads.warehouse_names import rename_record

_T = t.TypeVar("_T")


def epoch_to_iso(value: t.Any) -> str | None:
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
    amount = Decimal(str(value)) / MICRO
    if not amount.is_finite():
        raise InvalidOperation
    return amount


def converted(
    stream: str,
    record: dict[str, t.Any],
    field: str,
    convert: t.Callable[[object], _T],
    value: object,
) -> _T:
    """`convert(value)`, or one clear error naming the stream, the record and the field.

    An epoch of 99999999999999 or "abc" in a micro-currency field is the API's mistake: it
    must read as such, not as a traceback.
    """
    try:
        return convert(value)
    except (ValueError, TypeError, OverflowError, ArithmeticError, OSError) as exc:
        raise EntityValueError(stream, record.get("id"), field, value, convert.__name__) from exc


def normalise(
    record: dict[str, t.Any],
    epoch_fields: tuple[str, ...],
    micro_fields: t.Mapping[str, str],
    *,
    stream: str = "record",
) -> dict[str, t.Any]:
    """Convert in place the declared epoch and micro fields of one entity record, and rename
    the fields a target reserves (warehouse_names.py)."""
    for name in epoch_fields:
        if name in record:
            record[name] = converted(stream, record, name, epoch_to_iso, record[name])
    for micro_name, amount_name in micro_fields.items():
        if micro_name in record:
            record[amount_name] = converted(
                stream, record, micro_name, micro_to_amount, record[micro_name]
            )
    return rename_record(record)
