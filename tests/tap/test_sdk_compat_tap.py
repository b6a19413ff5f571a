"""Each singer-sdk behaviour the tap class relies on beyond the SDK's public API (sdk_compat.py).

A failure here after a singer-sdk upgrade names the touch point that changed: adapt
tap_pinterest_ads/sdk_compat.py (and only it), then the `singer-sdk` pin in pyproject.toml.
A minimal tap and stream stand for the real ones, so each test shows only the SDK's part.
"""

from __future__ import annotations

import json
import signal

import pytest
from singer_sdk.exceptions import ConfigValidationError
from singer_sdk.singerlib import RecordMessage

from tap_pinterest_ads.sdk_compat import (
    parse_environment_config,
)
from tap_pinterest_ads.singer_writer import TextSafeWriter
from tap_pinterest_ads.tap import TapPinterestAds
from tests.tap.sdk_fakes import (
    CompatTap,
    messages,
)

pytestmark = pytest.mark.usefixtures("restore_signal_handlers")


# The tap ---------------------------------------------------------------------------------


def test_the_environment_config_hook_is_what_parse_env_config_reads() -> None:
    tap = CompatTap(config={}, parse_env_config=True)
    assert tap.config["limit"] == 7


def test_the_config_given_is_readable_when_singer_sdk_refuses_it() -> None:
    tap = CompatTap.__new__(CompatTap)
    with pytest.raises(ConfigValidationError):
        CompatTap.__init__(tap, config={"limit": "many"})
    assert tap.events == ["refused {'limit': 'many'}"]


def test_the_environment_prefix_is_the_taps_name() -> None:
    assert CompatTap.env_var_prefix() == "TAP_COMPAT_TEST_"
    assert TapPinterestAds.env_var_prefix() == "TAP_PINTEREST_ADS_"


def test_parse_environment_config_gives_string_settings_their_text(monkeypatch, tmp_path) -> None:
    monkeypatch.chdir(tmp_path)  # no .env file around
    monkeypatch.setenv("TAP_COMPAT_TEST_IDS", '["1", 2]')
    schema = {"properties": {"ids": {"type": "string"}, "absent": {"type": "string"}}}
    assert parse_environment_config(schema, "TAP_COMPAT_TEST_") == {"ids": '["1", 2]'}


def test_the_test_option_runs_the_taps_connection_test(tmp_path) -> None:
    config = tmp_path / "config.json"
    config.write_text("{}", encoding="utf-8")
    tested: list[CompatTap] = []

    class Recorded(CompatTap):
        def connection_test(self) -> bool:
            tested.append(self)
            return True

    exit_code = Recorded.cli.main(["--config", str(config), "--test"], standalone_mode=False)
    assert exit_code in (0, None)
    assert len(tested) == 1


def test_a_termination_signal_reaches_the_taps_hook() -> None:
    tap = CompatTap(config={})
    handler = signal.getsignal(signal.SIGTERM)
    assert callable(handler)
    handler(signal.SIGTERM, None)
    assert tap.events == ["terminated by SIGTERM"]


def test_sync_all_runs_the_hooks_around_every_stream(capsys) -> None:
    tap = CompatTap(config={})
    tap.sync_all()
    assert tap.events == ["before sync", "after sync"]
    assert tap.stream.events[-1] == "after sync"
    assert [m["type"] for m in messages(capsys.readouterr().out)].count("RECORD") == 2


def test_the_taps_writer_is_its_message_writer_class() -> None:
    tap = TapPinterestAds(config={"access_token": "fake-token"}, validate_config=False)
    assert isinstance(tap.message_writer, TextSafeWriter)


def test_the_writer_serializes_every_message_through_serialize_message(capfdbinary) -> None:
    TextSafeWriter().write_message(RecordMessage(stream="s", record={"name": "a\ud800b"}))
    line = capfdbinary.readouterr().out
    assert json.loads(line)["record"]["name"] == "a\ufffdb"
