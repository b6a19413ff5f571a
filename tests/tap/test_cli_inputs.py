"""The files and settings a run is given: each mistake is one ERROR line naming the option or
the setting, exit 1, no traceback, no secret, and no request sent.

Most cases run the entry point in-process (tests/cli_runner.py); the first tests run the real
console script in a subprocess, as Meltano does.
"""

from __future__ import annotations

import subprocess
import sys

import pytest

from tests.cli_runner import Outcome, run_main, write_json

# Distinctive fake secrets: none may ever reach the output, whatever their type.
SECRET_TEXT = "fake-secret-Vb73kQ"
UNROUTABLE = "http://127.0.0.1:9/v5"
CONFIG = {
    "client_id": "fake-client-id",
    "client_secret": SECRET_TEXT,
    "refresh_token": "fake-refresh-Jn40pW",
    "api_url": UNROUTABLE,
}
SCHEMA = {"type": "object", "properties": {"id": {"type": "string"}}}


def assert_one_line(outcome: Outcome, expected: str) -> None:
    assert outcome.code == 1
    assert "Traceback" not in outcome.stderr
    assert outcome.error_lines == [expected]
    assert outcome.stdout == ""
    for secret in (SECRET_TEXT, "fake-refresh-Jn40pW", "98765432101", "Zt5-list-secret"):
        assert secret not in outcome.stderr


# The console script ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("option", "content", "problem"),
    [
        ("--config", "{not json", "is not valid JSON (line 1, column 2)"),
        ("--state", "", "is empty: pass {} for no state, or leave --state out"),
        ("--catalog", [], "is not a Singer catalog: it holds a JSON array, not an object"),
    ],
)
def test_the_console_script_reports_an_unusable_file_in_one_line(
    tmp_path, option, content, problem
):
    files = {"--config": CONFIG}
    files[option] = content
    command = [sys.executable, "-m", "tap_pinterest_ads"]
    for name, value in files.items():
        command += [name, write_json(tmp_path, f"{name[2:]}.json", value)]

    result = subprocess.run(
        command, capture_output=True, text=True, timeout=120, cwd=tmp_path, check=False
    )

    path = tmp_path / f"{option[2:]}.json"
    assert_one_line(
        Outcome(result.returncode, result.stdout, result.stderr),
        f"{option} file '{path}' {problem}",
    )


# Files -----------------------------------------------------------------------------------


def test_a_missing_config_file_is_named(tmp_path, capfd):
    missing = tmp_path / "config.json"

    outcome = run_main(capfd, "--config", str(missing))

    assert_one_line(
        outcome, f"--config file '{missing}' cannot be read (No such file or directory)"
    )


def test_a_config_file_that_is_a_directory_is_named(tmp_path, capfd):
    outcome = run_main(capfd, "--config", str(tmp_path))

    assert_one_line(outcome, f"--config file '{tmp_path}' cannot be read (Is a directory)")


@pytest.mark.parametrize(
    ("content", "problem"),
    [
        ([CONFIG], "holds a JSON array, not an object of settings"),
        ("null", "holds null, not an object of settings"),
        ('{"client_secret": "fake', "is not valid JSON (line 1, column 19)"),
    ],
    ids=["list", "null", "cut-short"],
)
def test_a_config_file_that_is_not_an_object_of_settings_is_named(
    tmp_path, capfd, content, problem
):
    path = write_json(tmp_path, "config.json", content)

    assert_one_line(run_main(capfd, "--config", path), f"--config file '{path}' {problem}")


@pytest.mark.parametrize(
    ("content", "problem"),
    [
        ("{bookmarks", "is not valid JSON (line 1, column 2)"),
        ("  \n", "is empty: pass {} for no state, or leave --state out"),
        ([{"bookmarks": {}}], "is not a Singer state: it holds a JSON array, not an object"),
        ({"bookmarks": 5}, 'is not a Singer state: "bookmarks" is a number, not an object'),
        (
            {"bookmarks": {"campaigns": []}},
            'is not a Singer state: the bookmark of "campaigns" is a JSON array',
        ),
        (
            {"bookmarks": {"pin_promotion_delivery": {"partitions": [{"context": "1"}]}}},
            'is not a Singer state: the partitions of "pin_promotion_delivery" are not a list '
            'of objects with a "context" object',
        ),
    ],
    ids=["corrupt", "empty", "list", "bookmarks-number", "stream-list", "partition-context"],
)
def test_a_state_file_that_is_not_a_singer_state_is_named(tmp_path, capfd, content, problem):
    config = write_json(tmp_path, "config.json", CONFIG)
    path = write_json(tmp_path, "state.json", content)

    outcome = run_main(capfd, "--config", config, "--state", path)

    assert_one_line(outcome, f"--state file '{path}' {problem}")


@pytest.mark.parametrize(
    ("content", "problem"),
    [
        ({"streams": {}}, 'is not a Singer catalog: it has no "streams" list'),
        (
            {"streams": [{"stream": "x"}]},
            'is not a Singer catalog: stream 1 has no "tap_stream_id"',
        ),
        (
            {"streams": [{"tap_stream_id": "campaigns", "schema": [], "metadata": []}]},
            'is not a Singer catalog: the "schema" of campaigns is a JSON array, not a JSON '
            "Schema object",
        ),
        (
            {"streams": [{"tap_stream_id": "campaigns", "schema": {"type": "object"}}]},
            'is not a Singer catalog: the "schema" of campaigns has no "properties" object of '
            "JSON Schemas",
        ),
        (
            {"streams": [{"tap_stream_id": "campaigns", "schema": SCHEMA, "metadata": {}}]},
            'is not a Singer catalog: the "metadata" of campaigns is not a list of '
            '{"breadcrumb": [...], "metadata": {...}} objects',
        ),
    ],
    ids=["streams-object", "no-id", "schema-list", "no-properties", "metadata-object"],
)
def test_a_catalog_file_that_is_not_a_singer_catalog_is_named(tmp_path, capfd, content, problem):
    config = write_json(tmp_path, "config.json", CONFIG)
    path = write_json(tmp_path, "catalog.json", content)

    outcome = run_main(capfd, "--config", config, f"--catalog={path}")

    assert_one_line(outcome, f"--catalog file '{path}' {problem}")


# Settings --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("setting", "value", "got"),
    [
        ("client_secret", 98765432101, "a number"),
        ("refresh_token", ["Zt5-list-secret"], "a list"),
        ("access_token", {"token": SECRET_TEXT}, "an object"),
    ],
)
def test_a_secret_of_the_wrong_type_is_named_but_never_shown(tmp_path, capfd, setting, value, got):
    config = write_json(tmp_path, "config.json", {**CONFIG, setting: value})

    outcome = run_main(capfd, "--config", config)

    assert_one_line(
        outcome,
        f"{setting} must be a string or null, got {got} (a secret: its value is not shown)",
    )


@pytest.mark.parametrize(
    ("settings", "expected"),
    [
        (
            {"api_url": "https://api.pinterest.com"},
            "api_url must end with the API version /v5, e.g. https://api.pinterest.com/v5; got "
            "'https://api.pinterest.com'",
        ),
        (
            {"api_url": "ftp://api.pinterest.com/v5"},
            "api_url must be an http(s) URL such as https://api.pinterest.com/v5, got "
            "'ftp://api.pinterest.com/v5'",
        ),
        (
            {"api_url": "https://api.pinterest.com/v5?token=fake-secret-Vb73kQ"},
            "api_url must not carry a query or a fragment ('https://api.pinterest.com/v5'?…)",
        ),
        (
            {"max_rate_limit_wait_seconds": -1},
            "max_rate_limit_wait_seconds must be a whole number ≥ 0, got -1",
        ),
        (
            {"max_rate_limit_wait_seconds": -1, "advertiser_ids": "12x"},
            "advertiser_ids: '12x' is not an ad account id (digits only, at most 18); "
            "max_rate_limit_wait_seconds must be a whole number ≥ 0, got -1",
        ),
    ],
    ids=["no-v5", "ftp", "query", "negative-wait", "two-problems"],
)
def test_a_wrong_setting_is_one_line_naming_it_before_any_request(
    tmp_path, capfd, settings, expected
):
    config = write_json(tmp_path, "config.json", {**CONFIG, **settings})

    assert_one_line(run_main(capfd, "--config", config), expected)
