"""Turn raw report rows (upper-case API keys) into typed delivery records."""

from __future__ import annotations

import dataclasses
import decimal
import json
import re
from collections.abc import Callable, Sequence
from decimal import Decimal
from typing import Any

from tap_pinterest_ads.conventions import MICRO, Attribution
from tap_pinterest_ads.reports import ReportError
from tap_pinterest_ads.reports.columns import Column, Kind, PassThrough
from tap_pinterest_ads.reports.schema import field_kinds
from tap_pinterest_ads.reports.shapes import DELIVERY, ReportShape

# A private context so results do not depend on whatever the process set as the default;
# 28 digits keep micro-unit amounts of plausible size exact.
_CTX = decimal.Context(prec=28)
# For amounts of any size: scaleb is exact under it (it never rounds, only moves the point).
_EXACT = decimal.Context(prec=decimal.MAX_PREC, Emax=decimal.MAX_EMAX, Emin=decimal.MIN_EMIN)
_ZERO = Decimal(0)
_EXACT_DIVIDE = 10**21  # ints of up to 21 digits: _CTX.divide (28 digits) is exact for them
# Fractions are refused beyond this decimal exponent: ratios of such values could overflow.
_MAX_EXPONENT = 1000
_NUMBER_TEXT = re.compile(r"-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][-+]?[0-9]+)?")


class ReportValueError(ReportError, ValueError):
    """A report value that cannot be given the column's type."""

    def __init__(self, api: str, value: object, expected: str) -> None:
        super().__init__(f"report column {api}: expected {expected}, got {value!r:.60}")


class MissingKeyError(ReportError, ValueError):
    """A report row without a value for a primary-key field."""

    def __init__(self, field: str, api: str) -> None:
        # `api` may list spellings: "TARGETING_TYPE or targeting_type".
        super().__init__(f"report row has no {api} (needed for the key field {field})")


def to_text(value: Any) -> str:
    """Ids may arrive as JSON numbers; labels as lists."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (list, dict)):
        return json.dumps(value, sort_keys=True, default=str)
    return str(value)


def to_int(value: Any, api: str) -> int:
    """Counts are integers; refuse to truncate a fractional value silently."""
    if type(value) is int:
        return value
    number = to_number(value, api, "an integer")
    if isinstance(number, int) or number == number.to_integral_value():
        return int(number)
    raise ReportValueError(api, value, "an integer")


def to_number(value: Any, api: str, expected: str = "a number") -> int | Decimal:
    """An int or a finite, exact Decimal (from JSON's literal text, or a numeric string)."""
    if type(value) is int:
        return value
    number = None
    if type(value) is Decimal:
        number = value
    elif type(value) is float:
        number = Decimal(repr(value))
    elif isinstance(value, str) and _NUMBER_TEXT.fullmatch(value):
        number = Decimal(value)
    if number is not None and number.is_finite() and abs(number.adjusted()) <= _MAX_EXPONENT:
        return number
    raise ReportValueError(api, value, expected)


def amount(micro: int | Decimal) -> Decimal:
    """Micro-units (an int or an exact fraction) -> the exact amount, ÷ 1,000,000."""
    if type(micro) is int and -_EXACT_DIVIDE < micro < _EXACT_DIVIDE:
        return _CTX.divide(micro, MICRO) if micro else _ZERO
    return Decimal(micro).scaleb(-6, _EXACT)


def money(value: Any, api: str) -> Decimal:
    """Micro-currency units -> exact amount in the ad account's currency."""
    return amount(to_number(value, api, "micro-currency units"))


def _count(value: Any, api: str) -> int:
    # An explicit JSON null counts as absent.
    return 0 if value is None else to_int(value, api)


def _modeled(value: Any, api: str) -> int | Decimal:
    # Modeled conversions: whole numbers stay ints, a fraction stays an exact Decimal.
    if value is None:
        return 0
    number = to_number(value, api)
    if not isinstance(number, int) and number == number.to_integral_value():
        return int(number)
    return number


def _micro(value: Any, api: str) -> int | Decimal:
    return 0 if value is None else to_number(value, api, "micro-currency units")


def _converter(column: Column) -> Callable[[Any], Any]:
    api = column.api
    if column.kind in (Kind.STRING, Kind.DATE, Kind.DATETIME):
        return lambda v: v if type(v) is str else to_text(v)
    if column.kind is Kind.INTEGER:
        return lambda v: v if type(v) is int else to_int(v, api)
    if column.kind is Kind.MONEY:
        return lambda v: money(v, api)
    if column.kind is Kind.MODELED:
        return lambda v: _modeled(v, api)
    return lambda v: to_number(v, api)


class RecordBuilder:
    """Builds one output record per raw report row; conversion plans are precomputed."""

    def __init__(
        self,
        extra_columns: Sequence[Column] = (),
        attribution: Attribution | None = None,
        shape: ReportShape = DELIVERY,
    ) -> None:
        attribution = attribution or Attribution()
        self.fields: tuple[str, ...] = tuple(field_kinds(extra_columns, shape))
        template: dict[str, Any] = dict.fromkeys(self.fields)
        template.update(dataclasses.asdict(attribution))
        self._template = template
        self._texts = tuple((c.api, c.field, c.aliases) for c in shape.dimensions)
        self._keys = tuple(
            (c.field, " or ".join((c.api, *c.aliases)))
            for c in shape.dimensions
            if c.field in shape.key
        )
        self._ints = tuple((c.api, c.field) for c in shape.metrics if c.kind is Kind.INTEGER)
        self._modeled = tuple((c.api, c.field) for c in shape.metrics if c.kind is Kind.MODELED)
        self._money = tuple((c.api, c.field) for c in shape.metrics if c.kind is Kind.MONEY)
        self._sums = tuple((s.field, *s.parts) for s in shape.sums if len(s.parts) == 2)
        if len(self._sums) != len(shape.sums):
            raise ValueError("only two-part sums are supported")
        self._ratios = tuple((r.field, r.numerator, r.denominator, r.factor) for r in shape.ratios)
        self._extras = tuple((c.api, c.field, _converter(c)) for c in extra_columns)
        # (micro field, amount field) of the micro-currency extras; micro values are numbers.
        self._amounts = tuple(
            (c.field, c.amount_field)
            for c in extra_columns
            if isinstance(c, PassThrough) and c.amount_field
        )

    # One flat loop per kind (no per-value function calls) keeps this at a few µs per row.
    def build(  # noqa: PLR0912
        self, raw_row: dict[str, Any], ad_account_id: str, currency: str | None
    ) -> dict[str, Any]:
        """Typed record with exactly the schema's fields; missing metrics count as 0."""
        record = self._template.copy()
        record["ad_account_id"] = ad_account_id
        record["currency"] = currency
        get = raw_row.get
        for api, field, aliases in self._texts:
            value = get(api)
            if value is None and aliases:
                # e.g. the lower-case targeting_type of the analytics endpoints
                value = next((v for v in map(get, aliases) if v is not None), None)
            if value is not None and type(value) is not str:
                value = to_text(value)
            record[field] = value
        for field, api in self._keys:
            if record[field] is None:
                raise MissingKeyError(field, api)
        for api, field in self._ints:
            value = get(api, 0)
            record[field] = value if type(value) is int else _count(value, api)
        for api, field in self._modeled:
            value = get(api, 0)
            record[field] = value if type(value) is int else _modeled(value, api)
        divide = _CTX.divide
        for api, field in self._money:
            value = get(api, 0)
            if type(value) is int and -_EXACT_DIVIDE < value < _EXACT_DIVIDE:
                record[field] = divide(value, MICRO) if value else _ZERO
            else:
                record[field] = amount(_micro(value, api))
        for field, left, right in self._sums:
            record[field] = record[left] + record[right]
        for field, numerator, denominator, factor in self._ratios:
            below = record[denominator]
            # 0 / 1.5 would give Decimal('0E+1'): write zero plainly.
            if not below:
                record[field] = None
            else:
                above = record[numerator]
                if not above:
                    record[field] = _ZERO
                else:
                    record[field] = divide(above if factor == 1 else above * factor, below)
        for api, field, convert in self._extras:
            value = get(api)
            record[field] = None if value is None else convert(value)
        for micro_field, field in self._amounts:
            micro = record[micro_field]
            record[field] = None if micro is None else amount(micro)
        return record
