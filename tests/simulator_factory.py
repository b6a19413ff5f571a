"""The one simulator factory: a small deterministic dataset ending today, and the local Pinterest
API simulator serving it on 127.0.0.1. The fixtures of tests/conftest.py are built on it; a test
that needs another API beside them calls it directly."""

from __future__ import annotations

import contextlib
import datetime as dt
import typing as t

from pinterest_simulator import Dataset, Simulator

# Two accounts of one campaign, one ad group and two ads each, ten days up to today.
DATASET_DEFAULTS: dict[str, t.Any] = {
    "accounts": 2,
    "campaigns_per_account": 1,
    "ad_groups_per_campaign": 1,
    "ads_per_ad_group": 2,
    "days": 10,
    "seed": 1,
}


def make_dataset(**shape: t.Any) -> Dataset:
    """A deterministic dataset ending today (UTC): `DATASET_DEFAULTS` updated by `shape`."""
    today = dt.datetime.now(dt.timezone.utc).date()
    return Dataset(**{**DATASET_DEFAULTS, "today": today, **shape})


@contextlib.contextmanager
def running_simulator(dataset: Dataset | None = None, **options: t.Any) -> t.Iterator[Simulator]:
    """The simulator serving `dataset` (default: `make_dataset()`) on a free port, then stopped."""
    with Simulator(dataset=dataset or make_dataset(), **options) as simulator:
        yield simulator
