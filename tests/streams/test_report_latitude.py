"""The latitude the spec leaves the API in reports, served by the simulator, and what the tap
does with it: complete and exact data, or one line naming the account, window and value.

Each test switches on one report fault of `pinterest_simulator/report_faults.py` and runs a sync.
"""

from __future__ import annotations

import datetime as dt
import logging
from decimal import Decimal

import pytest

from tests.cli_runner import (
    run_tap,
)
from tests.tap_runner import (
    DELIVERY as DELIVERY_STREAM,
)
from tests.tap_runner import (
    config_for,
    delivery_facts,
    error_lines,
    expected_delivery,
    parse_messages,
    records,
    run,
    today,
)

TODAY = today()
START = TODAY - dt.timedelta(days=20)  # one report window per account
TARGETING_STREAM = "campaign_targeting_delivery"
HOURLY_STREAM = "pin_promotion_delivery_hourly"
DATASET = {"days": 60, "seed": 13, "today": TODAY}
pytestmark = pytest.mark.usefixtures("quick_polls")


def facts(outcome) -> set[tuple]:
    got = [delivery_facts(r) for r in outcome.records(DELIVERY_STREAM)]
    assert len(got) == len(set(got)), "no duplicate rows"
    return set(got)


def downloads(sim) -> list:
    return sim.requests.filter("GET", r"^/_files/")


# Rows dated outside their window, or not as a day ---------------------------------------


@pytest.mark.parametrize("days", [1, 40, -1])
def test_a_row_dated_outside_its_window_fails_the_window_naming_account_window_and_value(
    sim, dataset, days
):
    first = dataset.account_ids[0]
    sim.faults.stray_report_row(days=days)
    stray = TODAY + dt.timedelta(days=days) if days > 0 else START + dt.timedelta(days=days)

    outcome = run(config_for(sim, START), (DELIVERY_STREAM,))

    assert outcome.error_line == (
        f"ad account {first}: report for window {START}..{TODAY} has a row dated "
        f"'{stray.isoformat()}', outside the window it was requested for"
    )
    assert all(r["date"] != stray.isoformat() for r in outcome.records(DELIVERY_STREAM))
    assert all(first not in outcome.bookmarks(DELIVERY_STREAM, s) for s in outcome.states())


def test_with_skip_a_stray_row_skips_the_account_and_never_moves_its_bookmark(sim, dataset):
    first, second = dataset.account_ids
    sim.faults.stray_report_row(days=30)
    state = {"bookmarks": {DELIVERY_STREAM: {"partitions": [
        {"context": {"ad_account_id": first}, "replication_key": "date",
         "replication_key_value": (START + dt.timedelta(days=5)).isoformat()}]}}}  # fmt: skip

    outcome = run(config_for(sim, START, on_account_error="skip"), (DELIVERY_STREAM,), state)

    assert outcome.error is None
    assert outcome.bookmarks(DELIVERY_STREAM) == {
        first: (START + dt.timedelta(days=5)).isoformat(),
        second: TODAY.isoformat(),
    }
    for state_value in outcome.states():
        assert all(
            v <= TODAY.isoformat() for v in outcome.bookmarks(DELIVERY_STREAM, state_value).values()
        )
    assert {f for f in facts(outcome) if f[0] == second} == expected_delivery(
        dataset, [second], START
    )
    (skipped,) = outcome.lines(f"Skipping ad account {first}", logging.WARNING)
    assert "outside the window it was requested for" in skipped


@pytest.mark.parametrize(
    ("style", "shown"),
    [("datetime", f"{START}T00:00:00"), ("day_first", START.strftime("%d/%m/%Y"))],
)
def test_a_row_date_in_another_format_fails_the_window_naming_the_value(sim, dataset, style, shown):
    sim.faults.report_dates(style)

    outcome = run(config_for(sim, START), (DELIVERY_STREAM,))

    assert outcome.error_line.startswith(f"ad account {dataset.account_ids[0]}: report for window")
    assert "has a row whose DATE" in outcome.error_line
    assert outcome.records(DELIVERY_STREAM) == []
    assert shown[:8] in outcome.error_line


def test_the_console_script_prints_one_error_line_for_a_stray_row_and_exits_1(
    sim, dataset, tmp_path
):
    sim.faults.stray_report_row(days=1)

    result = run_tap(tmp_path, config_for(sim, START), (DELIVERY_STREAM,))

    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    named = [line for line in error_lines(result.stderr) if dataset.account_ids[0] in line]
    assert len(named) == 1, result.stderr[-3000:]
    assert "outside the window it was requested for" in named[0]
    stray = (TODAY + dt.timedelta(days=1)).isoformat()
    assert all(r["date"] != stray for r in records(parse_messages(result.stdout)))


# Empty windows ---------------------------------------------------------------------------


@pytest.fixture
def old_start(dataset) -> dt.date:
    # Two windows per account; the first ends before the dataset's first day: no rows.
    start = TODAY - dt.timedelta(days=300)
    assert start + dt.timedelta(days=185) < dataset.first_day
    return start


@pytest.mark.parametrize(
    ("switch", "report_format"),
    [("report_without_url", "JSON"), ("zero_byte_report", "JSON"), ("zero_byte_report", "CSV")],
)
def test_an_empty_window_without_a_file_or_with_a_zero_byte_file_moves_the_bookmark(
    sim, dataset, old_start, switch, report_format
):
    fault = getattr(sim.faults, switch)()

    config = config_for(sim, old_start, report_format=report_format)
    outcome = run(config, (DELIVERY_STREAM,))

    assert outcome.error is None, outcome.error
    assert fault.fired == len(dataset.account_ids)  # each account's first window
    assert facts(outcome) == expected_delivery(dataset, dataset.account_ids, old_start)
    assert set(outcome.bookmarks(DELIVERY_STREAM).values()) == {TODAY.isoformat()}
    first_window_end = (old_start + dt.timedelta(days=185)).isoformat()
    window_states = [outcome.bookmarks(DELIVERY_STREAM, s) for s in outcome.states()]
    assert any(first_window_end in b.values() for b in window_states)
    expected_downloads = 2 if switch == "report_without_url" else 4
    assert len(downloads(sim)) == expected_downloads
    assert outcome.lines("Report download", logging.WARNING) == []


# Sizes -------------------------------------------------------------------------------------


@pytest.mark.parametrize("delta", [-3, 7])
def test_a_size_off_by_a_few_bytes_is_a_debug_note_and_the_data_is_complete(sim, dataset, delta):
    sim.faults.report_size(delta=delta, times=None)

    outcome = run(config_for(sim, START), (DELIVERY_STREAM,))

    assert outcome.error is None, outcome.error
    assert facts(outcome) == expected_delivery(dataset, dataset.account_ids, START)
    assert len(downloads(sim)) == len(dataset.account_ids)
    notes = outcome.lines("bytes received, the poll said", logging.DEBUG)
    assert len(notes) == len(dataset.account_ids)
    assert outcome.lines("bytes received", logging.INFO) == []


def test_a_csv_download_cut_short_is_still_caught_and_downloaded_again(sim, dataset):
    # Without the byte-count check, HTTP framing (Content-Length) catches the cut transfer.
    sim.faults.truncate_download(fraction=0.5)

    outcome = run(config_for(sim, START, report_format="CSV"), (DELIVERY_STREAM,))

    assert outcome.error is None, outcome.error
    assert facts(outcome) == expected_delivery(dataset, dataset.account_ids, START)
    assert len(downloads(sim)) == len(dataset.account_ids) + 1


# Fractions ----------------------------------------------------------------------------------

MICRO_COLUMNS = ("CPC_IN_MICRO_DOLLAR", "ECPC_IN_MICRO_DOLLAR", "CPM_IN_MICRO_DOLLAR",
                 "ECPM_IN_MICRO_DOLLAR", "CPV_IN_MICRO_DOLLAR", "CPCV_IN_MICRO_DOLLAR")  # fmt: skip


@pytest.mark.parametrize("report_format", ["JSON", "CSV"])
def test_fractional_micro_columns_are_exact_decimals_with_exact_amounts(
    sim, dataset, report_format
):
    config = config_for(sim, START, report_columns=list(MICRO_COLUMNS), report_format=report_format)

    outcome = run(config, (DELIVERY_STREAM,))

    assert outcome.error is None, outcome.error
    got = {(r["ad_account_id"], r["date"], r["pin_promotion_id"]): r
           for r in outcome.records(DELIVERY_STREAM)}  # fmt: skip
    fractions = 0
    for account in dataset.account_ids:
        for row in dataset.delivery_rows(
            account, START, TODAY, ["PIN_PROMOTION_ID", *MICRO_COLUMNS]
        ):
            record = got[(account, row["DATE"], str(row["PIN_PROMOTION_ID"]))]
            for column in MICRO_COLUMNS:
                sent = Decimal(repr(row[column])) if row[column] else 0
                field = column.lower()
                if report_format == "JSON" and not row[column]:
                    assert record[field] is None  # JSON leaves zeros out
                    continue
                assert record[field] == sent
                amount = column.removesuffix("_IN_MICRO_DOLLAR").lower() + "_amount"
                assert record[amount] == sent / Decimal(1_000_000)
                fractions += sent != int(sent)
    assert fractions > 10


def test_fractional_conversion_counts_are_kept(sim, dataset):
    sim.faults.fractional_counts(columns=["TOTAL_CONVERSIONS", "TOTAL_CHECKOUT"], add="0.5",
                                 times=None)  # fmt: skip

    outcome = run(config_for(sim, START), (DELIVERY_STREAM,))

    assert outcome.error is None, outcome.error
    got = {(r["ad_account_id"], r["date"], r["pin_promotion_id"]): r
           for r in outcome.records(DELIVERY_STREAM)}  # fmt: skip
    halves = 0
    for account in dataset.account_ids:
        columns = ["PIN_PROMOTION_ID", "TOTAL_CONVERSIONS", "TOTAL_CHECKOUT"]
        for row in dataset.delivery_rows(account, START, TODAY, columns):
            record = got[(account, row["DATE"], str(row["PIN_PROMOTION_ID"]))]
            for column, field in (("TOTAL_CONVERSIONS", "conversions"),
                                  ("TOTAL_CHECKOUT", "checkout_conversions")):  # fmt: skip
                sent = row[column]
                assert record[field] == (Decimal(sent) + Decimal("0.5") if sent else 0)
                halves += bool(sent)
    assert halves > 10


# Targeting keys -------------------------------------------------------------------------------


def test_lower_case_targeting_keys_give_the_same_records_as_upper_case_ones(sim):
    plain = run(config_for(sim, START), (TARGETING_STREAM,))
    sim.faults.lowercase_targeting_keys(times=None)

    lower = run(config_for(sim, START), (TARGETING_STREAM,))

    assert plain.error is None, plain.error
    assert lower.error is None, lower.error
    assert len(plain.records(TARGETING_STREAM)) > 20
    assert lower.records(TARGETING_STREAM) == plain.records(TARGETING_STREAM)


# Hourly DATE ----------------------------------------------------------------------------------


@pytest.mark.parametrize("style", ["iso_utc", "day_and_hour"])
def test_an_hourly_date_as_a_utc_date_time_or_a_day_with_an_hour_column_gives_the_same_rows(
    sim, style
):
    plain = run(config_for(sim, START), (HOURLY_STREAM,))
    sim.faults.report_dates(style, times=None)

    other = run(config_for(sim, START), (HOURLY_STREAM,))

    assert plain.error is None, plain.error
    assert other.error is None, other.error
    assert len(plain.records(HOURLY_STREAM)) > 100
    assert other.records(HOURLY_STREAM) == plain.records(HOURLY_STREAM)


def test_an_hourly_bare_day_without_an_hour_column_fails_the_window_naming_the_value(sim, dataset):
    sim.faults.report_dates("bare_day")

    outcome = run(config_for(sim, START), (HOURLY_STREAM,))

    first_window = f"{TODAY - dt.timedelta(days=7)}..{TODAY - dt.timedelta(days=5)}"
    bare_day = (TODAY - dt.timedelta(days=7)).isoformat()
    assert outcome.error_line == (
        f"ad account {dataset.account_ids[0]}: report for window {first_window} has a row it "
        f"cannot read: report column DATE: expected a date and hour, got '{bare_day}'"
    )
    assert outcome.records(HOURLY_STREAM) == []
