"""The simulator's deterministic data set: entities plus daily delivery metrics.

Same constructor arguments -> same entities and metrics.  Entities can be removed (they vanish
from list/get endpoints; their metrics stay in reports) or updated (``updated_time`` bumps).
"""

from __future__ import annotations

import copy
import threading
import time
from datetime import date, timedelta

from . import entities
from .books import Books
from .common import DEFAULT_ENTITY_STATUSES, canonical_kind, utc_today
from .delivery import iter_delivery

KINDS = ("ad_account", "campaign", "ad_group", "ad")


class Dataset:
    """Deterministic Pinterest Ads data.

    Sizes: ``accounts * campaigns_per_account * ad_groups_per_campaign * ads_per_ad_group`` ads,
    each with one metrics row per day in ``[today - days + 1, today]`` except on
    ``inactive_percent`` % of (ad, day) pairs (zero activity -> no report row).
    """

    def __init__(  # noqa: PLR0917 - Dataset(accounts, campaigns, ...) reads naturally
        self,
        accounts: int = 2,
        campaigns_per_account: int = 2,
        ad_groups_per_campaign: int = 2,
        ads_per_ad_group: int = 3,
        days: int = 120,
        seed: int = 1,
        today: date | None = None,
        inactive_percent: int = 10,
    ):
        if min(accounts, campaigns_per_account, ad_groups_per_campaign, ads_per_ad_group) < 1:
            raise ValueError("all entity counts must be >= 1")
        if days < 1 or not 0 <= inactive_percent <= 100:
            raise ValueError("days must be >= 1 and inactive_percent in [0, 100]")
        self.seed = seed
        self.days = days
        self.today = today or utc_today()
        self.first_day = self.today - timedelta(days=days - 1)
        self.inactive_percent = inactive_percent
        #: When days' metrics become final, and how much of an open day's conversions arrived.
        self.books = Books(self.today)
        self.params = {
            "accounts": accounts,
            "campaigns_per_account": campaigns_per_account,
            "ad_groups_per_campaign": ad_groups_per_campaign,
            "ads_per_ad_group": ads_per_ad_group,
            "days": days,
            "seed": seed,
            "today": self.today.isoformat(),
            "inactive_percent": inactive_percent,
        }
        self._lock = threading.RLock()
        self._by_id: dict[str, dict[str, dict]] = {k: {} for k in KINDS}
        self._order: dict[str, dict[str, list[str]]] = {k: {} for k in KINDS}  # account -> ids
        self._removed: dict[str, set[str]] = {k: set() for k in KINDS}
        self._video: dict[str, bool] = {}
        #: bumped by update_entity (report attribute columns may change)
        self.version = 0
        self._build(accounts, campaigns_per_account, ad_groups_per_campaign, ads_per_ad_group)

    # ------------------------------------------------------------------ building
    def _add(self, kind: str, account_id: str, entity: dict) -> None:
        self._by_id[kind][entity["id"]] = entity
        self._order[kind].setdefault(account_id, []).append(entity["id"])

    def _build(self, n_acc: int, n_camp: int, n_ag: int, n_ad: int) -> None:
        s, first, today = self.seed, self.first_day, self.today
        ci = gi = ai = 0
        for a in range(n_acc):
            acc = entities.build_account(s, a, first, today)
            self._add("ad_account", "", acc)
            for _ in range(n_camp):
                camp = entities.build_campaign(s, ci, acc, first, today)
                self._add("campaign", acc["id"], camp)
                ci += 1
                for _ in range(n_ag):
                    ag = entities.build_ad_group(s, gi, camp, first, today)
                    self._add("ad_group", acc["id"], ag)
                    gi += 1
                    for _ in range(n_ad):
                        ad = entities.build_ad(s, ai, ag, first, today)
                        self._add("ad", acc["id"], ad)
                        self._video[ad["id"]] = entities.is_video_ad(ai)
                        ai += 1

    # ------------------------------------------------------------------ entities
    @property
    def account_ids(self) -> list[str]:
        return list(self._order["ad_account"][""])

    def all_ids(self, kind: str, account_id: str | None = None) -> list[str]:
        """Ids in creation (= ascending id) order, removed ones included."""
        kind = canonical_kind(kind)
        if kind == "ad_account":
            return self.account_ids
        if account_id is None:
            return [i for ids in self._order[kind].values() for i in ids]
        return list(self._order[kind].get(account_id, []))

    def ad_accounts(self, include_removed: bool = False) -> list[dict]:
        return self.entities("ad_account", None, statuses=None, include_removed=include_removed)

    def entities(
        self,
        kind: str,
        account_id: str | None,
        statuses: list[str] | tuple[str, ...] | None = DEFAULT_ENTITY_STATUSES,
        include_removed: bool = False,
    ) -> list[dict]:
        """Entity payloads (deep copies) of one account, filtered like the list endpoints.

        ``statuses=None`` means no status filter; the default mirrors the API default."""
        kind = canonical_kind(kind)
        with self._lock:
            out = []
            for eid in self.all_ids(kind, account_id):
                if not include_removed and eid in self._removed[kind]:
                    continue
                ent = self._by_id[kind][eid]
                if statuses is not None and ent.get("status") not in statuses:
                    continue
                out.append(copy.deepcopy(ent))
            return out

    def campaigns(self, account_id: str, statuses=DEFAULT_ENTITY_STATUSES) -> list[dict]:
        return self.entities("campaign", account_id, statuses)

    def ad_groups(self, account_id: str, statuses=DEFAULT_ENTITY_STATUSES) -> list[dict]:
        return self.entities("ad_group", account_id, statuses)

    def ads(self, account_id: str, statuses=DEFAULT_ENTITY_STATUSES) -> list[dict]:
        return self.entities("ad", account_id, statuses)

    def get_entity(self, kind: str, entity_id: str, include_removed: bool = False) -> dict | None:
        kind = canonical_kind(kind)
        with self._lock:
            if not include_removed and entity_id in self._removed[kind]:
                return None
            ent = self._by_id[kind].get(entity_id)
            return copy.deepcopy(ent) if ent is not None else None

    def is_removed(self, kind: str, entity_id: str) -> bool:
        return entity_id in self._removed[canonical_kind(kind)]

    def remove_entity(self, kind: str, entity_id: str) -> None:
        """The entity disappears from list/get endpoints (no cascade to children)."""
        kind = canonical_kind(kind)
        with self._lock:
            if entity_id not in self._by_id[kind]:
                raise KeyError(f"no {kind} with id {entity_id}")
            self._removed[kind].add(entity_id)

    def restore_entity(self, kind: str, entity_id: str) -> None:
        with self._lock:
            self._removed[canonical_kind(kind)].discard(entity_id)

    def update_entity(self, kind: str, entity_id: str, **fields) -> dict:
        """Change fields of an entity and bump its ``updated_time`` to now (wall clock)."""
        kind = canonical_kind(kind)
        with self._lock:
            ent = self._by_id[kind].get(entity_id)
            if ent is None:
                raise KeyError(f"no {kind} with id {entity_id}")
            ent.update(copy.deepcopy(fields))
            self.version += 1
            if "updated_time" not in fields:
                ent["updated_time"] = max(int(time.time()), ent.get("updated_time") or 0)
            return copy.deepcopy(ent)

    def raw_entity(self, kind: str, entity_id: str) -> dict:
        """The live entity dict (no copy); for the report renderer."""
        return self._by_id[canonical_kind(kind)][entity_id]

    def account_of(self, kind: str, entity_id: str) -> str | None:
        ent = self._by_id[canonical_kind(kind)].get(entity_id)
        return None if ent is None else ent.get("ad_account_id", ent["id"])

    def is_video(self, ad_id: str) -> bool:
        return self._video[ad_id]

    @property
    def ad_count(self) -> int:
        return len(self._by_id["ad"])

    # ------------------------------------------------------------------ metrics
    def delivery_rows(
        self,
        account_id: str,
        start: date,
        end: date,
        columns: list[str],
        *,
        level: str = "PIN_PROMOTION",
        granularity: str = "DAY",
        **filters,
    ) -> list[dict]:
        """The raw rows a report would contain, in report order (BY_ID).

        Each row has ``DATE`` (unless granularity is TOTAL) plus every requested column; zero
        metrics are kept as 0 and unavailable attributes as ``None``.  All-zero rows are
        already dropped.  The JSON file omits the 0/None keys; CSV zero-fills them."""
        rows = self.iter_delivery(
            account_id, start, end, columns, level=level, granularity=granularity, **filters
        )
        return [row for _, row in rows]

    def expected_json_report(self, account_id: str, start: date, end: date, columns, **kw):
        """The exact JSON document (as Python objects) a JSON report would contain."""
        out: dict[str, list[dict]] = {}
        for key, row in self.iter_delivery(account_id, start, end, columns, **kw):
            out.setdefault(key, []).append(json_row(row))
        return out

    def iter_delivery(
        self,
        account_id: str,
        start: date,
        end: date,
        columns: list[str],
        *,
        level: str = "PIN_PROMOTION",
        granularity: str = "DAY",
        primary_sort: str = "BY_ID",
        targeting_types: list[str] | tuple = (),
        **filters,
    ):
        """Yield ``(first_level_key, raw_row)`` in the order the report file lists them.

        ``targeting_types`` (for *_TARGETING levels) adds TARGETING_TYPE / TARGETING_VALUE."""
        return iter_delivery(
            self,
            account_id,
            start,
            end,
            list(columns),
            level=level,
            granularity=granularity,
            primary_sort=primary_sort,
            filters=filters,
            targeting_types=targeting_types,
        )


def json_row(row: dict) -> dict:
    """A raw row as it appears in a JSON report: keys with 0 / None values omitted."""
    return {k: v for k, v in row.items() if v != 0 and v is not None}
