"""The simulator's OAuth: refresh with rotation and a grace period, bearer tokens."""

from __future__ import annotations

import time

import requests

from tests.openapi_schemas import validate_component
from tests.simulator.calls import (
    CLIENT,
    refresh,
    small_dataset,
)
from tests.simulator_factory import running_simulator


# ----------------------------------------------------------------------------- auth
def test_refresh_requires_basic_auth_and_rotates(sim):
    assert refresh(sim, "fake-refresh-0", client=None).json() == {
        "code": 2,
        "message": "Authentication failed.",
    }
    bad = refresh(sim, "fake-refresh-0", client=("fake-client-id", "wrong"))
    assert bad.status_code == 401
    first = refresh(sim, "fake-refresh-0")
    assert first.status_code == 200
    body = first.json()
    assert body["refresh_token"] != "fake-refresh-0"
    assert body["refresh_token"] == sim.current_refresh_token
    assert body["token_type"] == "bearer"
    assert body["response_type"] == "refresh_token"
    assert body["refresh_token_expires_in"] == 60 * 86400
    assert abs(body["refresh_token_expires_at"] - (time.time() + 60 * 86400)) < 5
    # default grace is forever: the old token still works; strict rotation only the newest
    assert refresh(sim, "fake-refresh-0").status_code == 200
    sim.strict_rotation = True
    old = refresh(sim, body["refresh_token"])
    assert old.status_code == 400
    assert old.json()["message"] == "Invalid refresh token"
    newest = refresh(sim, sim.current_refresh_token)
    assert newest.status_code == 200
    api = requests.get(
        f"{sim.base_url}/ad_accounts",
        timeout=5,
        headers={"Authorization": f"Bearer {newest.json()['access_token']}"},
    )
    assert api.status_code == 200
    validate_component("OauthAccessTokenResponseRefresh", newest.json())
    validate_component("Error", old.json())


def test_refresh_grace_period():
    with running_simulator(small_dataset(), refresh_grace_seconds=0.5) as sim:
        first = refresh(sim, "fake-refresh-0").json()["refresh_token"]
        assert refresh(sim, "fake-refresh-0").status_code == 200  # within the grace period
        time.sleep(0.6)
        assert refresh(sim, "fake-refresh-0").status_code == 400
        assert refresh(sim, first).status_code == 400  # superseded by the second refresh
        assert refresh(sim, sim.current_refresh_token).status_code == 200
        chunked = requests.post(
            sim.token_url,
            auth=CLIENT,
            timeout=5,
            headers={"Content-Type": "application/x-www-form-urlencoded"},
            data=iter(
                [
                    b"grant_type=refresh_token&",
                    f"refresh_token={sim.current_refresh_token}".encode(),
                ]
            ),
        )
        assert chunked.status_code == 200


def test_bearer_token_required(sim):
    url = f"{sim.base_url}/ad_accounts"
    assert requests.get(url, timeout=5).status_code == 401
    bad = requests.get(url, headers={"Authorization": "Bearer nope"}, timeout=5)
    assert (bad.status_code, bad.json()["code"]) == (401, 2)
    expired = sim.issue_access_token(expires_in=0)
    assert (
        requests.get(url, headers={"Authorization": f"Bearer {expired}"}, timeout=5).status_code
        == 401
    )
    with running_simulator(small_dataset(), access_token="fake-static-token") as static:
        ok = requests.get(
            f"{static.base_url}/ad_accounts",
            timeout=5,
            headers={"Authorization": "Bearer fake-static-token"},
        )
        assert ok.status_code == 200
