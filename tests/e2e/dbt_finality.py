"""What the dbt models should say of day finality and of targeting values' names, computed from
the simulator (its books clock, books.py, and its audiences, customer lists and options)."""

from __future__ import annotations

import datetime as dt

from pinterest_simulator import Dataset
from pinterest_simulator.lookups import audiences, customer_lists


def is_final(ds: Dataset, day: str | dt.date) -> bool:
    """Whether the simulator's books had closed every metric of `day`."""
    ready = ds.books.ready_state(dt.date.fromisoformat(str(day)))
    return ready["conversion_metrics_ready"] and ready["non_conversion_metrics_ready"]


def check_day_finality(rows: list[dict], days: list[dict], ds: Dataset, start: dt.date) -> None:
    """Delivery report rows carry their day's flags; metrics_ready_state holds every day read."""
    for row in rows:
        ready = ds.books.ready_state(row["date_day"])
        assert row["metrics_final"] is ready["non_conversion_metrics_ready"]
        assert row["conversion_metrics_final"] is ready["conversion_metrics_ready"]
        assert row["is_final"] is is_final(ds, row["date_day"])
    assert {r["is_final"] for r in rows} == {True, False}  # closed days and open ones
    assert sorted(d["date_day"] for d in days) == [
        start + dt.timedelta(days=n) for n in range((ds.today - start).days + 1)
    ]
    for day in days:
        ready = ds.books.ready_state(day["date_day"])
        assert day["conversion_metrics_ready"] is ready["conversion_metrics_ready"]
        assert day["non_conversion_metrics_ready"] is ready["non_conversion_metrics_ready"]


def check_value_names(names: dict[tuple[str, str], str | None], ds: Dataset) -> None:
    """(targeting_type, targeting_value) -> targeting_value_name of the breakdown report."""
    assert names[("PINNER_INTEREST", "924581335376")] == "Food and Drinks"  # INTEREST options
    assert names[("GEO", "GB-ENG")] == "United Kingdom: England"  # GEO options
    # Audiences: the account's retargeting and lookalike audiences and a customer list, by id.
    for account in ds.account_ids:
        visitors, lookalike, _ = audiences(ds, account)
        listed = customer_lists(ds, account)[0]
        for audience in (visitors, lookalike, listed):
            assert names[("AUDIENCE_INCLUDE", audience["id"])] == audience["name"]
    assert "AGE_BUCKET_AND_GENDER" in {kind for kind, _ in names}
