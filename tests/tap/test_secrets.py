"""No secret ever reaches stdout or stderr, on success or failure, even at DEBUG.

The simulator is configured with the same distinctive (fake) secrets as the tap, so every
secret it ever saw or issued can be looked for in the tap's output: the client secret, the
configured and every rotated refresh token, every access token (configured or issued), and
the signature of every pre-signed report download URL.
"""

from __future__ import annotations

import datetime as dt
import logging
import sys
from urllib.parse import parse_qs

import pytest

from pinterest_simulator import Simulator
from tap_pinterest_ads.redaction import RedactingFilter, Redactor
from tests.cli_runner import (
    run_tap,
    tap_env,
)
from tests.streams.reliability import revoke_access_tokens_at
from tests.tap_runner import (
    DELIVERY,
    ENTITY_STREAMS,
    config_for,
    today,
)

CLIENT_SECRET = "fake-secret-Q9zX7"
REFRESH_TOKEN = "fake-refresh-W4kP2"
ACCESS_TOKEN = "fake-access-T3mN8"
START = today() - dt.timedelta(days=10)
ALL = (*ENTITY_STREAMS, DELIVERY)
DEBUG = {"TAP_PINTEREST_ADS_LOGLEVEL": "DEBUG"}
SIMULATOR = {
    "client_secret": CLIENT_SECRET,
    "refresh_token": REFRESH_TOKEN,
    "access_token": ACCESS_TOKEN,
}
DATASET = {"days": 20, "seed": 31}


def secrets_seen_by(sim: Simulator) -> set[str]:
    """Every secret the simulator was sent or handed out during the run."""
    found = {CLIENT_SECRET, REFRESH_TOKEN, ACCESS_TOKEN, sim.current_refresh_token}
    for request in sim.requests:
        if request.path.endswith("/oauth/token"):
            found.update(parse_qs(request.body.decode()).get("refresh_token", []))
        authorization = request.header("Authorization") or ""
        if authorization.startswith("Bearer "):
            found.add(authorization.removeprefix("Bearer "))
        found.update(request.query.get("X-Amz-Signature", []))
    return {secret for secret in found if secret}


def refresh_config(sim: Simulator, **extra: object) -> dict:
    return config_for(sim, START, client_secret=CLIENT_SECRET, refresh_token=REFRESH_TOKEN, **extra)


def success(sim: Simulator) -> dict:
    revoke_access_tokens_at(sim, 5)  # a refresh mid-run issues more tokens to look for
    return refresh_config(sim)


def server_errors(sim: Simulator) -> dict:
    sim.faults.http_error(r"/campaigns$", 503, headers={"Retry-After": "0"}, times=None)
    return refresh_config(sim, max_retries=2)


def access_token_revoked(sim: Simulator) -> dict:
    sim.faults.revoke_access_token()
    config = refresh_config(sim, access_token=ACCESS_TOKEN)
    del config["refresh_token"], config["client_secret"]
    return config


def refresh_token_revoked(sim: Simulator) -> dict:
    sim.faults.revoke_refresh_tokens()
    return refresh_config(sim)


def wrong_client_secret(sim: Simulator) -> dict:
    sim.apply_settings(client_secret="fake-secret-other")
    return refresh_config(sim)


def corrupt_download(sim: Simulator) -> dict:
    sim.faults.corrupt_download(times=None)
    return refresh_config(sim)


def forbidden_account(sim: Simulator) -> dict:
    sim.faults.forbidden_accounts.add(sim.dataset.account_ids[0])
    return refresh_config(sim)


def rate_limit_over_cap(sim: Simulator) -> dict:
    sim.faults.http_error(
        r"/reports$", 429, method="POST", headers={"X-RateLimit-Reset": "67000"}, times=None
    )
    return refresh_config(sim)


@pytest.mark.parametrize(
    ("scenario", "env", "exit_code"),
    [
        pytest.param(success, DEBUG, 0, id="success-debug"),
        pytest.param(server_errors, {}, 1, id="5xx-exhausted"),
        pytest.param(access_token_revoked, DEBUG, 1, id="access-token-revoked-debug"),
        pytest.param(refresh_token_revoked, DEBUG, 1, id="refresh-token-revoked-debug"),
        pytest.param(wrong_client_secret, DEBUG, 1, id="wrong-client-secret-debug"),
        pytest.param(corrupt_download, DEBUG, 1, id="corrupt-download-debug"),
        pytest.param(forbidden_account, DEBUG, 1, id="forbidden-account-debug"),
        pytest.param(rate_limit_over_cap, DEBUG, 1, id="rate-limit-over-cap-debug"),
    ],
)
def test_no_secret_reaches_the_output(sim, tmp_path, scenario, env, exit_code):
    config = scenario(sim)

    result = run_tap(tmp_path, config, ALL, env=tap_env(**env))

    assert result.returncode == exit_code, result.stderr[-3000:]
    secrets = secrets_seen_by(sim)
    assert len(secrets) >= 3
    for secret in secrets:
        assert secret not in result.stdout
        assert secret not in result.stderr
    assert "X-Amz-Signature" not in result.stdout + result.stderr
    assert "Traceback" not in result.stderr
    if env and sim.requests.filter("GET", r"^/_files/"):
        # urllib3 logs every request line at DEBUG: the download's query is masked, not lost.
        assert '"GET /_files/' in result.stderr
        assert "metrics_report.txt?<redacted>" in result.stderr


# The log filter, without a subprocess ---------------------------------------------------


def test_the_log_filter_masks_secrets_signed_queries_and_tracebacks():
    redactor = Redactor()
    redactor.add(CLIENT_SECRET)
    log_filter = RedactingFilter(redactor)
    url = "https://s3.example.test/r/metrics_report.txt?X-Amz-Credential=AKIA&X-Amz-Signature=ab12"
    try:
        raise ValueError(f"bad secret {CLIENT_SECRET}")
    except ValueError:
        record = logging.LogRecord(
            "urllib3",
            logging.DEBUG,
            __file__,
            1,
            '"GET %s HTTP/1.1" %s',
            (url, 200),
            sys.exc_info(),
        )

    assert log_filter.filter(record) is True
    assert record.getMessage() == (
        '"GET https://s3.example.test/r/metrics_report.txt?<redacted> HTTP/1.1" 200'
    )
    assert record.exc_text
    assert CLIENT_SECRET not in record.exc_text
    assert "bad secret ***" in record.exc_text


def test_a_report_poll_url_keeps_its_query():
    # The report token in a poll URL is not a credential: debugging needs it.
    line = '"GET /v5/ad_accounts/1/reports?token=sim-report-2-80dc HTTP/1.1" 200'
    assert Redactor()(line) == line
