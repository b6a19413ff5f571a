"""Killed at any point, the tap resumes from its last STATE without losing a day.

The tap runs as a subprocess against the in-process simulator and is killed with SIGKILL (no
handler, no final STATE), then run again from the last STATE line it wrote, as an
orchestrator would. The union of the runs' rows, deduplicated by the stream's key, must be
exactly the dataset's rows over the whole range: nothing missing, nothing invented.
"""

from __future__ import annotations

import datetime as dt
import json
import signal
import threading
from collections.abc import Callable

from pinterest_simulator import Simulator
from tests.cli_runner import (
    start_tap,
)
from tests.simulator_factory import running_simulator
from tests.tap_runner import (
    DELIVERY,
    bookmarks,
    config_for,
    delivery_facts,
    delivery_key,
    expected_delivery,
    parse_messages,
    records,
    states,
    today,
)

TODAY = today()
START = TODAY - dt.timedelta(days=300)  # two report windows per account: 186 and 115 days
LOOKBACK_DAYS = 5
DATASET = {"days": 320, "seed": 21, "today": TODAY}


def run(
    sim: Simulator,
    tmp_path,
    state: dict | None,
    kill_when: Callable[[list[dict]], bool] | None = None,
) -> tuple[list[dict], int, list[dict]]:
    """One run: (its messages, its exit code, the report requests it created).

    With `kill_when`, the tap gets SIGKILL as soon as the messages read so far satisfy it.
    """
    config = config_for(
        sim,
        START,
        lookback_days=LOOKBACK_DAYS,
        # One report at a time, so the run has many distinct moments to be killed at.
        max_reports_in_flight=1,
    )
    first_request = len(sim.requests)
    process = start_tap(tmp_path, config, (DELIVERY,), state)
    watchdog = threading.Timer(90, process.kill)
    watchdog.start()
    lines: list[str] = []
    try:
        assert process.stdout is not None
        for line in process.stdout:
            lines.append(line)
            if kill_when and kill_when(parse_messages("".join(lines))):
                process.send_signal(signal.SIGKILL)
                break
        lines.extend(process.stdout.read().splitlines(keepends=True))
        code = process.wait(timeout=30)
    finally:
        watchdog.cancel()
        if process.poll() is None:
            process.kill()
    created = [
        json.loads(r.body) | {"account": r.path.split("/")[3]}
        for r in sim.requests.snapshot()[first_request:]
        if r.method == "POST" and r.path.endswith("/reports")
    ]
    return parse_messages("".join(lines)), code, created


def first_window_done(messages: list[dict]) -> bool:
    return any(v for s in states(messages) for v in bookmarks(s).values())


def reading(account: str) -> Callable[[list[dict]], bool]:
    return lambda messages: any(r["ad_account_id"] == account for r in records(messages))


def assert_resumes_from(state: dict, created: list[dict]) -> None:
    """Each account's first report starts no later than its bookmark minus the lookback."""
    for account, bookmark in bookmarks(state).items():
        starts = [c["start_date"] for c in created if c["account"] == account]
        if bookmark and starts:
            latest_start = dt.date.fromisoformat(bookmark) - dt.timedelta(days=LOOKBACK_DAYS)
            assert min(starts) <= latest_start.isoformat(), (account, bookmark, starts)


def test_a_run_killed_twice_resumes_from_its_last_state_and_loses_no_day(dataset, tmp_path):
    first, second = dataset.account_ids
    with running_simulator(dataset) as sim:
        # Killed right after the first finished report window.
        run1, code1, _ = run(sim, tmp_path, None, kill_when=first_window_done)
        state1 = states(run1)[-1]
        # Killed in the middle of the second account's rows.
        run2, code2, created2 = run(sim, tmp_path, state1, kill_when=reading(second))
        state2 = states(run2)[-1]
        # Left to finish.
        run3, code3, created3 = run(sim, tmp_path, state2)

    assert (code1, code2, code3) == (-signal.SIGKILL, -signal.SIGKILL, 0)
    assert bookmarks(state1)[first] == (START + dt.timedelta(days=185)).isoformat()
    assert second not in bookmarks(state1) or bookmarks(state1)[second] is None
    assert bookmarks(state2)[first] == TODAY.isoformat()
    assert_resumes_from(state1, created2)
    assert_resumes_from(state2, created3)
    lookback_start = (TODAY - dt.timedelta(days=LOOKBACK_DAYS)).isoformat()
    assert [c["start_date"] for c in created3 if c["account"] == first] == [lookback_start]

    rows = [delivery_facts(r) for m in (run1, run2, run3) for r in records(m, DELIVERY)]
    by_key = {fact[:3]: fact for fact in rows}
    expected = expected_delivery(dataset, [first, second], START)
    assert set(by_key.values()) == expected
    assert len(rows) > len(expected), "the runs overlap (lookback, killed window): keys dedupe"
    assert len({delivery_key(r) for r in records(run3, DELIVERY)}) == len(records(run3, DELIVERY))
    assert bookmarks(states(run3)[-1]) == dict.fromkeys([first, second], TODAY.isoformat())
    # A STATE after every report window that moved a bookmark, not only at the end of the run
    # (the first account's lookback window ends on its bookmark: that one moves nothing).
    moves = {tuple(sorted(bookmarks(s).items())) for s in states(run3)} - {
        tuple(sorted(bookmarks(state2).items()))
    }
    assert len(moves) == len([c for c in created3 if c["account"] == second]) > 1
