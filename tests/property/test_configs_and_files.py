"""Property-based tests over configs and the CLI's input files (hypothesis).

Whatever the settings and files, a run ends one of two ways: exit 0 with valid Singer output
and no ERROR line, or exit 1 with exactly one ERROR line. Never a traceback, never a secret in
the output, whatever the secret's type. Each example runs the entry point in-process against
the local simulator, selecting `ad_accounts` only (one token request and one list request).
The number of examples follows the suite's profile (conftest.py: `ci` in `make test`,
`HYPOTHESIS_PROFILE=long` for a longer search).
"""

from __future__ import annotations

import datetime as dt
import json
import string
import typing as t
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pinterest_simulator import Dataset, Simulator
from tests import mock_api
from tests.cli_runner import Outcome, run_main, write_json
from tests.simulator_factory import running_simulator
from tests.tap_runner import (
    today,
)

# capfd and the module's simulator are shared by every example on purpose: each run reads
# its own output (run_main drains capfd first), and the simulator keeps accepting the first
# refresh token however many runs rotated it.
PROPERTIES = settings(
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow]
)
SECRET_SETTINGS = ("client_secret", "refresh_token", "access_token")

# Secrets are distinctive (a prefix and 8+ characters), so finding one in the output is a leak,
# not a coincidence; they come as text and as the wrong types a hand-written config may hold.
_secret_text = st.text(string.ascii_letters + string.digits, min_size=8, max_size=16).map(
    lambda tail: f"sek-{tail}"
)
_secret_number = st.integers(min_value=10**9, max_value=10**15)
secret_values = st.one_of(
    _secret_text,
    _secret_number,
    st.lists(_secret_text, min_size=1, max_size=2),
    st.dictionaries(st.sampled_from(["value", "token"]), _secret_text, min_size=1, max_size=1),
)
# Any JSON a setting could be given by mistake.
json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(min_value=-(10**12), max_value=10**12)
    | st.floats(allow_nan=False, allow_infinity=False, width=32)
    | st.text(max_size=12),
    lambda children: (
        st.lists(children, max_size=3) | st.dictionaries(st.text(max_size=6), children, max_size=3)
    ),
    max_leaves=6,
)


def plausible(setting: str, account_ids: list[str]) -> st.SearchStrategy[object]:
    """Values close to valid ones, for each setting this test varies."""
    day = st.dates(min_value=dt.date(2020, 1, 1), max_value=today() + dt.timedelta(days=3))
    return {
        "advertiser_ids": st.one_of(
            st.lists(st.sampled_from([*account_ids, "12x", "0", "549755999999"]), max_size=3),
            st.sampled_from([",".join(account_ids), f"{account_ids[0]}, ", "a,b", ""]),
        ),
        "start_date": st.one_of(day.map(dt.date.isoformat), st.sampled_from(["2024-13-01", ""])),
        "lookback_days": st.integers(min_value=-3, max_value=400),
        "request_timeout_seconds": st.integers(min_value=-1, max_value=120),
        "max_retries": st.integers(min_value=-1, max_value=3),
        "max_rate_limit_wait_seconds": st.integers(min_value=-5, max_value=10**6),
        "on_account_error": st.sampled_from(["fail", "skip", "ignore", "FAIL"]),
        "emit_activate_version_messages": st.booleans(),
        "click_window_days": st.sampled_from([0, 1, 7, 14, 30, 60, 3, -1]),
        "conversion_report_time": st.sampled_from(["TIME_OF_AD_ACTION", "TIME_OF_CLICK"]),
        "report_columns": st.lists(
            st.sampled_from(["TOTAL_WEB_SESSIONS", "TOTAL_WEB_SESION", "spend"]), max_size=2
        ),
        "report_format": st.sampled_from(["JSON", "CSV", "XML"]),
        "api_url": st.sampled_from(
            ["ftp://127.0.0.1/v5", "https://api.pinterest.com", "not a url", "http:///v5"]
        ),
    }[setting]


VARIED = (
    "advertiser_ids",
    "start_date",
    "lookback_days",
    "request_timeout_seconds",
    "max_retries",
    "max_rate_limit_wait_seconds",
    "on_account_error",
    "emit_activate_version_messages",
    "click_window_days",
    "conversion_report_time",
    "report_columns",
    "report_format",
    "api_url",
)


@pytest.fixture(scope="module")
def sim() -> t.Iterator[Simulator]:
    dataset = Dataset(accounts=2, campaigns_per_account=1, days=5, seed=97, today=today())
    with running_simulator(dataset) as simulator:
        yield simulator


@pytest.fixture(scope="module")
def files(sim, tmp_path_factory) -> tuple[Path, str]:
    """A directory for the examples' files, and a catalog that selects `ad_accounts`."""
    directory = tmp_path_factory.mktemp("properties")
    catalog = mock_api.catalog_selecting(base_config(sim), ("ad_accounts",))
    return directory, write_json(directory, "catalog.json", catalog)


def base_config(sim: Simulator) -> dict:
    return {
        "api_url": sim.base_url,
        "client_id": sim.tokens.client_id,
        "client_secret": sim.tokens.client_secret,
        "refresh_token": "fake-refresh-0",  # the simulator accepts every ancestor token
        "max_retries": 2,
    }


def secrets_in(config: dict) -> list[str]:
    """The texts of the secret settings that must never be printed."""
    found: list[str] = []

    def walk(value: object) -> None:
        if isinstance(value, (list, tuple)):
            for item in value:
                walk(item)
        elif isinstance(value, dict):
            for item in value.values():
                walk(item)
        elif (
            isinstance(value, (str, int))
            and not isinstance(value, bool)
            and len(str(value)) >= 8
            and str(value) != "fake-refresh-0"
        ):
            found.append(str(value))

    for name in SECRET_SETTINGS:
        walk(config.get(name))
    return found


def assert_one_outcome(outcome: Outcome, secrets: list[str]) -> None:
    """Exit 0 with Singer output and no ERROR, or exit 1 with one ERROR line; no traceback,
    no secret."""
    assert "Traceback" not in outcome.stderr, outcome.stderr[-3000:]
    assert outcome.code in (0, 1), outcome.stderr[-3000:]
    if outcome.code == 0:
        assert outcome.error_lines == [], outcome.stderr[-3000:]
        for line in outcome.stdout.splitlines():
            assert json.loads(line)["type"] in {"SCHEMA", "RECORD", "STATE", "ACTIVATE_VERSION"}
    else:
        assert len(outcome.error_lines) == 1, outcome.stderr[-3000:]
    for secret in secrets:
        assert secret not in outcome.stdout
        assert secret not in outcome.stderr


@st.composite
def configs(draw: st.DrawFn, sim: Simulator) -> dict:
    config = base_config(sim)
    for name in draw(st.lists(st.sampled_from(VARIED), unique=True, max_size=3)):
        wild = draw(st.sampled_from([False, False, False, True]))  # mostly near-valid values
        config[name] = draw(json_values if wild else plausible(name, sim.dataset.account_ids))
    if draw(st.sampled_from([False, False, True])):
        for name in draw(st.lists(st.sampled_from(SECRET_SETTINGS), unique=True, max_size=2)):
            config[name] = draw(secret_values)
    if draw(st.sampled_from([False, False, False, True])):
        config.pop(draw(st.sampled_from(["client_id", "refresh_token"])))
    return config


@PROPERTIES
@given(data=st.data())
def test_any_config_ends_in_data_or_one_error_line_and_never_shows_a_secret(
    sim, files, capfd, data
):
    directory, catalog = files
    config = data.draw(configs(sim), label="config")
    path = write_json(directory, "config.json", config)

    outcome = run_main(capfd, "--config", path, "--catalog", catalog)

    assert_one_outcome(outcome, secrets_in(config))


# States shaped like singer-sdk's, with any values inside, and anything else.
contexts = st.one_of(
    st.fixed_dictionaries({"ad_account_id": st.sampled_from(["549755000001", "x", ""])}),
    st.dictionaries(st.text(max_size=6), json_values, max_size=2),
)
stream_states = st.fixed_dictionaries(
    {},
    optional={
        "replication_key": json_values,
        "replication_key_value": json_values,
        "partitions": st.lists(
            st.fixed_dictionaries(
                {"context": contexts}, optional={"replication_key_value": json_values}
            ),
            max_size=2,
        ),
        "progress_markers": json_values,
    },
)
states = st.one_of(
    json_values,
    st.fixed_dictionaries(
        {},
        optional={
            "bookmarks": st.dictionaries(
                st.sampled_from(["ad_accounts", "campaigns", "pin_promotion_delivery", "other"]),
                stream_states,
                max_size=3,
            ),
            "currently_syncing": json_values,
        },
    ),
)
file_texts = st.one_of(
    st.just(""), st.text(max_size=20), json_values.map(json.dumps), states.map(json.dumps)
)
catalog_texts = st.one_of(
    file_texts,
    st.fixed_dictionaries(
        {
            "streams": st.lists(
                st.fixed_dictionaries(
                    {"tap_stream_id": st.sampled_from(["ad_accounts", "campaigns", "nope"])},
                    optional={"schema": json_values, "metadata": json_values},
                ),
                max_size=2,
            )
        }
    ).map(json.dumps),
)


@PROPERTIES
@given(
    state=st.one_of(states.map(json.dumps), file_texts),
    catalog=st.one_of(st.none(), catalog_texts),
)
def test_any_state_or_catalog_file_ends_in_data_or_one_error_line(
    sim, files, capfd, state, catalog
):
    directory, selected = files
    argv = ["--config", write_json(directory, "config.json", base_config(sim))]
    argv += ["--state", write_json(directory, "state.json", state)]
    if catalog is None:
        argv += ["--catalog", selected]
    else:
        argv += ["--catalog", write_json(directory, "catalog-any.json", catalog)]

    assert_one_outcome(run_main(capfd, *argv), [])
