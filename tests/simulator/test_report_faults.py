"""The simulator serves the latitude the spec leaves the API in report files and polls.

Each report fault of `pinterest_simulator/report_faults.py` is switched on and the raw answer
checked, without the tap: the tap's own tests (test_report_latitude.py, test_state_invariants.py)
then rely on these answers.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import time
from decimal import Decimal

import pytest
import requests

from pinterest_simulator import Dataset
from tests.openapi_contract import validate_response
from tests.simulator_factory import running_simulator

TODAY = dt.date(2026, 11, 28)
COLUMNS = ["PIN_PROMOTION_ID", "SPEND_IN_MICRO_DOLLAR", "IMPRESSION_1", "TOTAL_CONVERSIONS"]


@pytest.fixture(scope="module")
def sim():
    dataset = Dataset(accounts=1, campaigns_per_account=1, ad_groups_per_campaign=1,
                      ads_per_ad_group=2, days=20, seed=5, today=TODAY)  # fmt: skip
    with running_simulator(dataset) as simulator:
        yield simulator


@pytest.fixture(autouse=True)
def no_faults_left(sim):
    yield
    sim.faults.clear()


@pytest.fixture(scope="module")
def auth(sim):
    return {"Authorization": f"Bearer {sim.issue_access_token()}"}


def poll(sim, auth, start: dt.date, end: dt.date = TODAY, **overrides) -> dict:
    """Create a report and poll it until FINISHED; the last poll's answer."""
    account = sim.dataset.account_ids[0]
    url = f"{sim.base_url}/ad_accounts/{account}/reports"
    body = {"start_date": start.isoformat(), "end_date": end.isoformat(), "granularity": "DAY",
            "level": "PIN_PROMOTION", "columns": COLUMNS, **overrides}  # fmt: skip
    created = requests.post(url, json=body, headers=auth, timeout=5)
    assert created.status_code == 200, created.text
    for _ in range(200):
        answer = requests.get(url, headers=auth, params={"token": created.json()["token"]},
                              timeout=5)  # fmt: skip
        if answer.json()["report_status"] == "FINISHED":
            # The spec allows each answer, a null url and size included.
            validate_response("GET", "/ad_accounts/{ad_account_id}/reports", 200, answer.json())
            return answer.json()
        time.sleep(0.02)
    raise AssertionError("report never finished")


def rows_of(sim, auth, start: dt.date, end: dt.date = TODAY, **overrides) -> list[dict]:
    finished = poll(sim, auth, start, end, **overrides)
    body = requests.get(finished["url"], timeout=5).content
    if overrides.get("report_format") == "CSV":
        return list(csv.DictReader(io.StringIO(body.decode())))
    return [row for rows in json.loads(body, parse_float=Decimal).values() for row in rows]


WEEK = TODAY - dt.timedelta(days=6)


@pytest.mark.parametrize(
    ("style", "granularity", "expected"),
    [
        ("datetime", "DAY", {"DATE": "2026-11-22T00:00:00"}),
        ("day_first", "DAY", {"DATE": "22/11/2026"}),
        ("iso_utc", "HOUR", {"DATE": "2026-11-22T00:00:00Z"}),
        ("bare_day", "HOUR", {"DATE": "2026-11-22"}),
        ("day_and_hour", "HOUR", {"DATE": "2026-11-22", "HOUR": 0}),
    ],
)
def test_report_dates_rewrites_every_rows_date(sim, auth, style, granularity, expected):
    sim.faults.report_dates(style)
    start = WEEK if granularity == "DAY" else TODAY - dt.timedelta(days=6)
    end = TODAY if granularity == "DAY" else start + dt.timedelta(days=2)

    rows = rows_of(sim, auth, start, end, granularity=granularity)

    assert {k: rows[0][k] for k in expected} == expected
    assert all("DATE" in row for row in rows)


def test_a_stray_row_is_dated_after_the_window_and_the_poll_size_counts_it(sim, auth):
    plain = rows_of(sim, auth, WEEK, TODAY - dt.timedelta(days=1))
    sim.faults.stray_report_row(days=2)

    finished = poll(sim, auth, WEEK, TODAY - dt.timedelta(days=1))
    body = requests.get(finished["url"], timeout=5).content
    rows = [r for rs in json.loads(body).values() for r in rs]

    assert len(rows) == len(plain) + 1
    assert rows[-1]["DATE"] == (TODAY + dt.timedelta(days=1)).isoformat()
    assert finished["size"] == len(body)


def test_a_stray_row_before_the_window(sim, auth):
    sim.faults.stray_report_row(days=-1)

    rows = rows_of(sim, auth, WEEK)

    assert rows[-1]["DATE"] == (WEEK - dt.timedelta(days=1)).isoformat()


def test_targeting_keys_in_lower_case(sim, auth):
    sim.faults.lowercase_targeting_keys()

    rows = rows_of(sim, auth, WEEK, level="PIN_PROMOTION_TARGETING", targeting_types=["GENDER"])

    assert {"targeting_type", "targeting_value"} <= set(rows[0])
    assert not {"TARGETING_TYPE", "TARGETING_VALUE"} & set(rows[0])


@pytest.mark.parametrize("report_format", ["JSON", "CSV"])
def test_fractional_counts_add_a_fraction_to_every_value_that_is_not_zero(sim, auth, report_format):
    plain = rows_of(sim, auth, WEEK, report_format=report_format)
    sim.faults.fractional_counts(columns=["TOTAL_CONVERSIONS"], add="0.25")

    rows = rows_of(sim, auth, WEEK, report_format=report_format)

    for before, after in zip(plain, rows, strict=True):
        value = Decimal(str(before.get("TOTAL_CONVERSIONS") or 0))
        assert Decimal(str(after.get("TOTAL_CONVERSIONS") or 0)) == (
            value + Decimal("0.25") if value else 0
        )


def test_fractional_micro_columns_are_served_as_the_api_computes_them(sim, auth):
    rows = rows_of(sim, auth, WEEK, columns=[*COLUMNS, "CPC_IN_MICRO_DOLLAR"])

    assert any(isinstance(r.get("CPC_IN_MICRO_DOLLAR"), Decimal) for r in rows)
    assert any(r["CPC_IN_MICRO_DOLLAR"] % 1 for r in rows if "CPC_IN_MICRO_DOLLAR" in r)


def test_a_report_without_rows_can_finish_without_a_url(sim, auth):
    sim.faults.report_without_url()
    before_data = sim.dataset.first_day - dt.timedelta(days=10)

    empty = poll(sim, auth, before_data, before_data + dt.timedelta(days=2))
    full = poll(sim, auth, WEEK)

    assert empty == {"report_status": "FINISHED", "url": None, "size": None}
    assert full["url"]
    assert requests.get(full["url"], timeout=5).json()


@pytest.mark.parametrize("report_format", ["JSON", "CSV"])
def test_a_report_without_rows_can_be_a_zero_byte_file(sim, auth, report_format):
    sim.faults.zero_byte_report()
    before_data = sim.dataset.first_day - dt.timedelta(days=10)

    empty = poll(sim, auth, before_data, before_data, report_format=report_format)
    full = rows_of(sim, auth, WEEK, report_format=report_format)

    assert empty["size"] == 0
    assert requests.get(empty["url"], timeout=5).content == b""
    assert full


def test_the_poll_size_can_be_off_by_a_few_bytes(sim, auth):
    sim.faults.report_size(delta=-3)

    finished = poll(sim, auth, WEEK)

    assert len(requests.get(finished["url"], timeout=5).content) == finished["size"] + 3


def test_a_report_document_is_served_as_given(sim, auth):
    sim.faults.add({"kind": "report_document", "document": '{"1":[{"DATE":"2026-11-28"}]}'})

    finished = poll(sim, auth, WEEK)

    assert requests.get(finished["url"], timeout=5).text == '{"1":[{"DATE":"2026-11-28"}]}'


@pytest.mark.parametrize(
    ("windows", "accepted"),
    [((30, 30, 1), True), ((7, 7, 1), True), ((1, 1, 1), True), ((7, 30, 0), False),
     ((30, 30, 14), False), ((1, 7, 1), False)],
)  # fmt: skip
def test_report_creation_accepts_only_some_attribution_window_triples(sim, auth, windows, accepted):
    account = sim.dataset.account_ids[0]
    body = {"start_date": WEEK.isoformat(), "end_date": TODAY.isoformat(), "granularity": "DAY",
            "level": "PIN_PROMOTION", "columns": COLUMNS, "click_window_days": windows[0],
            "engagement_window_days": windows[1], "view_window_days": windows[2]}  # fmt: skip
    answer = requests.post(
        f"{sim.base_url}/ad_accounts/{account}/reports", json=body, headers=auth, timeout=5
    )

    assert (answer.status_code == 200) is accepted
    if not accepted:
        assert "Invalid attribution windows" in answer.json()["message"]


def test_report_faults_are_listed_with_their_options(sim):
    sim.faults.add([{"kind": "report_dates", "style": "day_first"}, {"kind": "report_size",
                    "delta": 4, "times": 2}])  # fmt: skip

    listed = {f["kind"]: f for f in sim.faults.to_json()["faults"]}

    assert listed["report_dates"]["style"] == "day_first"
    assert (listed["report_size"]["delta"], listed["report_size"]["remaining"]) == (4, 2)
    with pytest.raises(ValueError, match="style must be one of"):
        sim.faults.report_dates("weekday")
