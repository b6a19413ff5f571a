"""Deterministic daily delivery metrics per (ad, day) and the column plan that turns them
into report rows.

``core_metrics`` returns a tuple in ``BASE`` order (``None`` = zero activity that day).  Every
value is an int derived from ``blake2b(seed|ad_id|day_ordinal)``; money is micro-currency.
"""

from __future__ import annotations

import hashlib
import struct
import zlib
from collections.abc import Callable
from operator import itemgetter

BASE = (
    "IMPRESSION_1",
    "IMPRESSION_2",
    "TOTAL_IMPRESSION",
    "CLICKTHROUGH_1",
    "CLICKTHROUGH_2",
    "TOTAL_CLICKTHROUGH",
    "OUTBOUND_CLICK_1",
    "OUTBOUND_CLICK_2",
    "ENGAGEMENT_1",
    "ENGAGEMENT_2",
    "TOTAL_ENGAGEMENT",
    "REPIN_1",
    "REPIN_2",
    "SPEND_IN_MICRO_DOLLAR",
    "VIDEO_3SEC_VIEWS_1",
    "VIDEO_MRC_VIEWS_1",
    "VIDEO_P0_COMBINED_1",
    "VIDEO_P25_COMBINED_1",
    "VIDEO_P50_COMBINED_1",
    "VIDEO_P75_COMBINED_1",
    "VIDEO_P95_COMBINED_1",
    "VIDEO_P100_COMPLETE_1",
    "TOTAL_CLICK_CHECKOUT",
    "TOTAL_VIEW_CHECKOUT",
    "TOTAL_ENGAGEMENT_CHECKOUT",
    "TOTAL_CHECKOUT",
    "TOTAL_CLICK_CHECKOUT_VALUE_IN_MICRO_DOLLAR",
    "TOTAL_VIEW_CHECKOUT_VALUE_IN_MICRO_DOLLAR",
    "TOTAL_ENGAGEMENT_CHECKOUT_VALUE_IN_MICRO_DOLLAR",
    "TOTAL_CHECKOUT_VALUE_IN_MICRO_DOLLAR",
    "TOTAL_CONVERSIONS",
    "TOTAL_CONVERSIONS_VALUE_IN_MICRO_DOLLAR",
    "TOTAL_PAGE_VISIT",
    "IMPRESSION_1_GROSS",
    "CLICKTHROUGH_1_GROSS",
)
IDX = {name: i for i, name in enumerate(BASE)}
ALIASES = {"PAID_IMPRESSION": "IMPRESSION_1", "TOTAL_VIDEO_P0_COMBINED": "VIDEO_P0_COMBINED_1"}

_UNPACK = struct.Struct("<16H").unpack


def core_metrics(seed_prefix: bytes, ordinal: int, video: bool, inactive_percent: int):
    """Metrics of one ad on one day (``seed_prefix`` = b"seed|ad_id|")."""
    v = _UNPACK(hashlib.blake2b(seed_prefix + str(ordinal).encode(), digest_size=32).digest())
    if v[0] % 100 < inactive_percent:
        return None
    i1 = 200 + v[1] % 9800
    i2 = 0 if v[2] % 4 == 0 else v[2] % (i1 // 8 + 1)
    c1 = i1 * (5 + v[3] % 40) // 2000
    c2 = 0 if v[4] % 3 == 0 else i2 * (v[4] % 30) // 1000
    o1 = c1 * (30 + v[5] % 60) // 100
    o2 = c2 * (v[5] % 50) // 100
    r1 = i1 * (v[6] % 10) // 1000
    r2 = 0 if v[6] % 5 == 0 else i2 * (v[6] % 7) // 100
    e1 = c1 + r1 + v[7] % 20
    e2 = c2 + r2
    spend = i1 * (1500 + v[8] % 6000) + v[9] % 997 + 1
    if video:
        p0 = i1 * (20 + v[10] % 40) // 100
        p25 = p0 * (60 + v[11] % 30) // 100
        p50 = p25 * (60 + v[12] % 30) // 100
        p75 = p50 * (60 + v[11] % 25) // 100
        p95 = p75 * (70 + v[12] % 25) // 100
        p100 = p95 * (80 + v[10] % 20) // 100
        v3 = p0 * (50 + v[12] % 40) // 100
        mrc = p0 * (40 + v[11] % 40) // 100
    else:
        p0 = p25 = p50 = p75 = p95 = p100 = v3 = mrc = 0
    cc = 0 if v[13] % 3 == 0 else c1 * (v[13] % 15) // 100 + 1
    vc = 0 if v[14] % 2 == 0 else i1 * (v[14] % 5) // 10000
    ec = 0 if v[15] % 4 else e1 * (v[15] % 9) // 100
    cv = cc * (12_000_000 + v[13] * 331)
    vv = vc * (11_000_000 + v[14] * 173)
    ev = ec * (9_500_000 + v[15] * 97)
    pv = c1 // 3
    return (
        i1, i2, i1 + i2, c1, c2, c1 + c2, o1, o2, e1, e2, e1 + e2, r1, r2, spend,
        v3, mrc, p0, p25, p50, p75, p95, p100,
        cc, vc, ec, cc + vc + ec, cv, vv, ev, cv + vv + ev,
        cc + vc + ec + pv, cv + vv + ev + pv * 1_000_003, pv,
        i1 + v[1] % 13, c1 + v[3] % 3,
    )  # fmt: skip


def _ratio(num: str | tuple[str, ...], den: str | tuple[str, ...], scale: float = 1.0):
    if isinstance(num, str) and isinstance(den, str):
        n, d = IDX[num], IDX[den]
        return lambda v: round(v[n] * scale / v[d], 6) if v[d] else 0
    ni = [IDX[n] for n in ((num,) if isinstance(num, str) else num)]
    di = [IDX[d] for d in ((den,) if isinstance(den, str) else den)]

    def fn(vec) -> float:
        d = sum(vec[i] for i in di)
        return round(sum(vec[i] for i in ni) * scale / d, 6) if d else 0

    return fn


SPEND = "SPEND_IN_MICRO_DOLLAR"
DERIVED: dict[str, Callable] = {
    "SPEND_IN_DOLLAR": lambda v: round(v[IDX[SPEND]] / 1e6, 6),
    "CTR": _ratio("CLICKTHROUGH_1", "IMPRESSION_1"),
    "CTR_2": _ratio("CLICKTHROUGH_2", "IMPRESSION_2"),
    "ECTR": _ratio("TOTAL_CLICKTHROUGH", "TOTAL_IMPRESSION"),
    "OUTBOUND_CTR_1": _ratio("OUTBOUND_CLICK_1", "IMPRESSION_1"),
    "OUTBOUND_CTR": _ratio(("OUTBOUND_CLICK_1", "OUTBOUND_CLICK_2"), "TOTAL_IMPRESSION"),
    "CPC_IN_MICRO_DOLLAR": _ratio(SPEND, "CLICKTHROUGH_1"),
    "ECPC_IN_MICRO_DOLLAR": _ratio(SPEND, "TOTAL_CLICKTHROUGH"),
    "ECPC_IN_DOLLAR": _ratio(SPEND, "TOTAL_CLICKTHROUGH", 1e-6),
    "CPM_IN_MICRO_DOLLAR": _ratio(SPEND, "IMPRESSION_1", 1000.0),
    "CPM_IN_DOLLAR": _ratio(SPEND, "IMPRESSION_1", 1e-3),
    "ECPM_IN_MICRO_DOLLAR": _ratio(SPEND, "TOTAL_IMPRESSION", 1000.0),
    "ENGAGEMENT_RATE": _ratio("ENGAGEMENT_1", "IMPRESSION_1"),
    "EENGAGEMENT_RATE": _ratio("TOTAL_ENGAGEMENT", "TOTAL_IMPRESSION"),
    "ECPE_IN_DOLLAR": _ratio(SPEND, "TOTAL_ENGAGEMENT", 1e-6),
    "REPIN_RATE": _ratio("REPIN_1", "IMPRESSION_1"),
    "TOTAL_REPIN_RATE": _ratio(("REPIN_1", "REPIN_2"), "TOTAL_IMPRESSION"),
    "CHECKOUT_ROAS": _ratio("TOTAL_CHECKOUT_VALUE_IN_MICRO_DOLLAR", SPEND),
    "COST_PER_OUTBOUND_CLICK_IN_DOLLAR": _ratio(
        SPEND, ("OUTBOUND_CLICK_1", "OUTBOUND_CLICK_2"), 1e-6
    ),
    "COST_PER_OUTBOUND_CLICK_IN_DOLLAR_1": _ratio(SPEND, "OUTBOUND_CLICK_1", 1e-6),
}

#: Columns describing the entity rather than measuring it (never summed, never "zero").
ATTRIBUTE_SUFFIXES = ("_ID", "_NAME", "_STATUS", "_LABEL", "_LABELS", "_URL", "_TYPE", "_TAG")
ATTRIBUTE_EXTRA = frozenset(
    {
        "AD_GROUP_BUDGET_IN_LOCAL_CURRENCY",
        "AD_GROUP_BID_MULTIPLIER",
        "AD_GROUP_OPTIMIZATION",
        "CAMPAIGN_LIFETIME_SPEND_CAP",
        "CAMPAIGN_DAILY_SPEND_CAP",
        "CAMPAIGN_BUDGET_OPTIMIZATION",
        "IS_PREMIERE_CAMPAIGN",
        "PRODUCT_ITEM_PRICE",
        "PRODUCT_ITEM_SALE_PRICE",
        "PRODUCT_ITEM_BRAND",
        "PRODUCT_ITEM_DESCRIPTION",
        "PRODUCT_ITEM_CURRENCY",
        "PRODUCT_ITEM_PRODUCT_CATEGORY",
        "VIDEO_LENGTH",
        "TARGETING_VALUE",
    }
)
_FLOAT_HINTS = ("RATE", "CTR", "ROAS", "COST_PER", "CPC", "CPM", "CPV", "CPCV", "ECP", "AVG")
_FLOAT_HINTS_EXTRA = ("_IN_DOLLAR", "FREQUENCY", "_PER_ACTION", "COST_PER_LEAD")


def is_attribute(column: str) -> bool:
    return column in ATTRIBUTE_EXTRA or column.endswith(ATTRIBUTE_SUFFIXES)


class ColumnPlan:
    """How to produce each requested column from a metric vector (BASE + extra ints)."""

    def __init__(self, columns: list[str]):
        self.columns = list(columns)
        self.attributes = [c for c in columns if is_attribute(c)]
        self.extra_salts: list[int] = []  # unknown integer metrics, appended to the vector
        self.int_columns: list[str] = []  # integer metrics, read by index from the vector
        int_index: list[int] = []
        self.float_columns: list[tuple[str, Callable]] = []  # ratios computed from the vector
        for col in columns:
            if is_attribute(col):
                continue
            name = ALIASES.get(col, col)
            if name in IDX:
                self.int_columns.append(col)
                int_index.append(IDX[name])
            elif col in DERIVED:
                self.float_columns.append((col, DERIVED[col]))
            elif any(h in col for h in _FLOAT_HINTS + _FLOAT_HINTS_EXTRA):
                self.float_columns.append((col, _unknown_float(zlib.crc32(col.encode()))))
            else:
                self.extra_salts.append(zlib.crc32(col.encode()))
                self.int_columns.append(col)
                int_index.append(len(BASE) + len(self.extra_salts) - 1)
        if len(int_index) == 1:
            only = int_index[0]
            self.ints: Callable = lambda vec: (vec[only],)
        elif int_index:
            self.ints = itemgetter(*int_index)
        else:
            self.ints = lambda vec: ()
        self.has_metrics = bool(self.int_columns or self.float_columns)

    def extend(self, base: tuple) -> tuple:
        """Append the plan's unknown-integer metrics (deterministic functions of ``base``)."""
        if not self.extra_salts:
            return base
        i1, c1 = base[0], base[3]
        return base + tuple((i1 * (s | 1) + c1 + (s >> 7)) % 53 for s in self.extra_salts)

    def metric_values(self, vec) -> dict:
        out = dict(zip(self.int_columns, self.ints(vec), strict=True))
        out.update((col, get(vec)) for col, get in self.float_columns)
        return out


def _unknown_float(salt: int) -> Callable:
    def fn(vec) -> float:
        return round(((vec[0] * (salt | 1)) % 10_000) / 10_000, 4) if vec[0] else 0

    return fn
