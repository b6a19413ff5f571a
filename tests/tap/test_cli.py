"""The console script as a user meets it: `python -m tap_pinterest_ads …` in a subprocess.

No network: config errors stop the tap before any request, and the sync failures talk to a
small HTTP server on 127.0.0.1 that this module starts.
"""

from __future__ import annotations

import datetime as dt
import json
import subprocess
import sys
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from tests.mock_api import fixture

ACCOUNT = "549000000101"
# Distinctive fake secrets: none of them may ever reach stdout or stderr.
CLIENT_SECRET = "fake-secret-Zq81"
REFRESH_TOKEN = "fake-refresh-Kx72"
CREDENTIALS = {
    "client_id": "fake-client-id",
    "client_secret": CLIENT_SECRET,
    "refresh_token": REFRESH_TOKEN,
}
SECRETS = (CLIENT_SECRET, REFRESH_TOKEN)
STREAMS = {"ad_accounts", "campaigns", "ad_groups", "pin_promotions"}


def run_tap(tmp_path: Path, *args: str, config: dict | None = None) -> subprocess.CompletedProcess:
    """Run the console script the way Meltano does, with `config` in a temp file."""
    command = [sys.executable, "-m", "tap_pinterest_ads", *args]
    if config is not None:
        config_file = tmp_path / "config.json"
        config_file.write_text(json.dumps(config), encoding="utf-8")
        command += ["--config", str(config_file)]
    return subprocess.run(
        command,
        capture_output=True,
        text=True,
        timeout=120,
        cwd=tmp_path,
        check=False,
    )


def error_lines(stderr: str) -> list[str]:
    """The messages of the ERROR log lines (`time | ERROR | logger | message`)."""
    return [
        line.split(" | ", 3)[-1]
        for line in stderr.splitlines()
        if " | ERROR " in line or line.startswith("ERROR")
    ]


def assert_fails_cleanly(result: subprocess.CompletedProcess) -> None:
    assert result.returncode != 0
    assert "Traceback" not in result.stderr
    for secret in SECRETS:
        assert secret not in result.stdout
        assert secret not in result.stderr


# --about and --discover ----------------------------------------------------------------


def test_about_json_lists_the_settings_and_flags_the_secrets(tmp_path):
    result = run_tap(tmp_path, "--about", "--format=json")

    assert result.returncode == 0, result.stderr
    settings = json.loads(result.stdout)["settings"]["properties"]
    assert {
        "advertiser_ids",
        "client_id",
        "client_secret",
        "refresh_token",
        "access_token",
        "start_date",
        "lookback_days",
        "api_url",
        "emit_activate_version_messages",
        "token_store_path",
    } <= set(settings)
    # singer-sdk marks a secret with both `secret: true` and JSON Schema's `writeOnly`.
    secret = {name for name, prop in settings.items() if prop.get("secret") is True}
    write_only = {name for name, prop in settings.items() if prop.get("writeOnly") is True}
    assert secret == write_only == {"client_secret", "refresh_token", "access_token"}


def test_about_markdown_documents_the_settings(tmp_path):
    result = run_tap(tmp_path, "--about", "--format=markdown")

    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("# `tap-pinterest-ads`")
    assert "| advertiser_ids |" in result.stdout
    assert "| emit_activate_version_messages |" in result.stdout


def test_discover_lists_the_entity_streams_keyed_by_id(tmp_path):
    result = run_tap(tmp_path, "--discover", config=CREDENTIALS)

    assert result.returncode == 0, result.stderr
    catalog = json.loads(result.stdout)
    keys = {s["tap_stream_id"]: s["key_properties"] for s in catalog["streams"]}
    assert {name: keys.get(name) for name in STREAMS} == {name: ["id"] for name in STREAMS}


# Bad config ---------------------------------------------------------------------------

IN_TWO_DAYS = (dt.datetime.now(dt.timezone.utc).date() + dt.timedelta(days=2)).isoformat()


@pytest.mark.parametrize(
    ("config", "setting", "value"),
    [
        ({**CREDENTIALS, "advertiser_ids": "12x"}, "advertiser_ids", "'12x'"),
        ({**CREDENTIALS, "advertiser_ids": "5,5"}, "advertiser_ids", "'5' is listed twice"),
        ({**CREDENTIALS, "start_date": "2024-13-01"}, "start_date", "'2024-13-01'"),
        ({**CREDENTIALS, "start_date": IN_TWO_DAYS}, "start_date", f"'{IN_TWO_DAYS}'"),
        ({**CREDENTIALS, "lookback_days": -1}, "lookback_days", "-1"),
        (
            {"client_id": "fake-client-id"},
            "credentials",
            "missing: client_secret, refresh_token",
        ),
    ],
    ids=["non-digit-id", "duplicate-id", "bad-date", "future-date", "negative-lookback", "creds"],
)
def test_bad_config_fails_with_one_line_naming_the_setting(tmp_path, config, setting, value):
    # An unroutable api_url: the tap must stop before it tries the network.
    result = run_tap(tmp_path, config={**config, "api_url": "http://127.0.0.1:9/v5"})

    assert_fails_cleanly(result)
    assert result.stdout == ""
    named = [line for line in error_lines(result.stderr) if setting in line]
    assert len(named) == 1, result.stderr
    assert value in named[0]


# Sync failures against a local fake API ---------------------------------------------

FORBIDDEN = {"code": 29, "message": "You are not permitted to access that resource."}


class FakePinterest:
    """A tiny Pinterest on 127.0.0.1: fixed answers per (method, path), 404 otherwise."""

    def __init__(self) -> None:
        self.routes: dict[tuple[str, str], tuple[int, dict]] = {}
        self.requests: list[tuple[str, str]] = []
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def _answer(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                self.rfile.read(length)
                path = self.path.split("?", 1)[0]
                fake.requests.append((self.command, path))
                status, body = fake.routes.get(
                    (self.command, path), (404, {"code": 404, "message": "Not found"})
                )
                data = json.dumps(body).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            do_GET = do_POST = _answer  # noqa: N815

            def log_message(self, *args: object) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.api_url = f"http://127.0.0.1:{self.server.server_address[1]}/v5"

    def answer(self, method: str, path: str, status: int, body: dict) -> None:
        self.routes[(method, f"/v5{path}")] = (status, body)


@pytest.fixture
def pinterest() -> Iterator[FakePinterest]:
    fake = FakePinterest()
    thread = threading.Thread(target=fake.server.serve_forever, daemon=True)
    thread.start()
    yield fake
    fake.server.shutdown()
    fake.server.server_close()
    thread.join(timeout=5)


def sync_config(pinterest: FakePinterest) -> dict:
    return {**CREDENTIALS, "api_url": pinterest.api_url, "advertiser_ids": ACCOUNT}


def test_a_wrong_client_secret_fails_with_one_clear_line(tmp_path, pinterest):
    pinterest.answer("POST", "/oauth/token", 401, {"code": 2, "message": "Authentication failed."})

    result = run_tap(tmp_path, config=sync_config(pinterest))

    assert_fails_cleanly(result)
    assert pinterest.requests == [("POST", "/v5/oauth/token")]
    named = [line for line in error_lines(result.stderr) if "client_secret" in line]
    assert named == [
        "Pinterest rejected client_id/client_secret at the token endpoint "
        "(HTTP 401: Authentication failed.); check client_id and client_secret"
    ]


def test_a_revoked_refresh_token_fails_with_one_clear_line(tmp_path, pinterest):
    # The server echoes the token back: the tap must mask it.
    pinterest.answer(
        "POST",
        "/oauth/token",
        400,
        {"code": 1, "message": f"Invalid refresh token {REFRESH_TOKEN}"},
    )

    result = run_tap(tmp_path, config=sync_config(pinterest))

    assert_fails_cleanly(result)
    named = [line for line in error_lines(result.stderr) if "refresh_token" in line]
    assert len(named) == 1, result.stderr
    assert "HTTP 400: Invalid refresh token ***" in named[0]
    assert "authorize the app again" in named[0]


def test_an_account_we_cannot_read_fails_naming_it(tmp_path, pinterest):
    pinterest.answer("POST", "/oauth/token", 200, fixture("token_refresh.json"))
    pinterest.answer("GET", f"/ad_accounts/{ACCOUNT}", 403, FORBIDDEN)

    result = run_tap(tmp_path, config=sync_config(pinterest))

    assert_fails_cleanly(result)
    assert pinterest.requests == [
        ("POST", "/v5/oauth/token"),
        ("GET", f"/v5/ad_accounts/{ACCOUNT}"),
    ]
    named = [line for line in error_lines(result.stderr) if ACCOUNT in line]
    assert len(named) == 1, result.stderr
    assert named[0].startswith(f"ad account {ACCOUNT} is not accessible with these credentials")
    assert "HTTP 403: You are not permitted to access that resource." in named[0]
    token = fixture("token_refresh.json")
    for issued in (token["access_token"], token["refresh_token"]):
        assert issued not in result.stdout
        assert issued not in result.stderr
