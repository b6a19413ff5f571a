"""Checks that the local Pinterest API simulator (pinterest_simulator) behaves as documented."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
import time
from datetime import date
from pathlib import Path

import pytest
import requests

from pinterest_simulator import Dataset, Simulator, json_row
from pinterest_simulator.common import ENTITY_STATUSES
from tests.openapi_contract import validate_component

TODAY = date(2026, 11, 28)
CLIENT = ("fake-client-id", "fake-client-secret")
REPORT_COLUMNS = [
    "AD_ACCOUNT_ID",
    "CAMPAIGN_ID",
    "AD_GROUP_ID",
    "AD_ID",
    "PIN_PROMOTION_ID",
    "PIN_ID",
    "SPEND_IN_MICRO_DOLLAR",
    "IMPRESSION_1",
    "IMPRESSION_2",
    "TOTAL_IMPRESSION",
    "CLICKTHROUGH_1",
    "CLICKTHROUGH_2",
    "TOTAL_CLICKTHROUGH",
    "OUTBOUND_CLICK_1",
    "OUTBOUND_CLICK_2",
    "ENGAGEMENT_1",
    "ENGAGEMENT_2",
    "TOTAL_ENGAGEMENT",
    "REPIN_1",
    "REPIN_2",
    "VIDEO_3SEC_VIEWS_1",
    "VIDEO_P0_COMBINED_1",
    "VIDEO_P25_COMBINED_1",
    "VIDEO_P50_COMBINED_1",
    "VIDEO_P75_COMBINED_1",
    "VIDEO_P95_COMBINED_1",
    "VIDEO_P100_COMPLETE_1",
    "TOTAL_CONVERSIONS",
    "TOTAL_CONVERSIONS_VALUE_IN_MICRO_DOLLAR",
    "TOTAL_CHECKOUT",
    "TOTAL_CHECKOUT_VALUE_IN_MICRO_DOLLAR",
    "TOTAL_CLICK_CHECKOUT",
    "TOTAL_CLICK_CHECKOUT_VALUE_IN_MICRO_DOLLAR",
    "TOTAL_VIEW_CHECKOUT",
    "TOTAL_VIEW_CHECKOUT_VALUE_IN_MICRO_DOLLAR",
    "TOTAL_ENGAGEMENT_CHECKOUT",
    "TOTAL_ENGAGEMENT_CHECKOUT_VALUE_IN_MICRO_DOLLAR",
    "CTR",
    "TOTAL_WEB_SESSIONS",
]


def small_dataset(**kw) -> Dataset:
    params = {
        "accounts": 3,
        "campaigns_per_account": 2,
        "ad_groups_per_campaign": 2,
        "ads_per_ad_group": 3,
        "days": 400,
        "seed": 1,
        "today": TODAY,
        **kw,
    }
    return Dataset(**params)


@pytest.fixture
def sim():
    with Simulator(dataset=small_dataset(), report_delay_seconds=0.0) as s:
        yield s


@pytest.fixture
def auth(sim):
    return {"Authorization": f"Bearer {sim.issue_access_token()}"}


def refresh(sim, token, client=CLIENT):
    return requests.post(
        sim.token_url,
        auth=client,
        timeout=5,
        data={"grant_type": "refresh_token", "refresh_token": token},
    )


def create_report(sim, auth, account_id, **overrides):
    body = {
        "start_date": "2026-10-01",
        "end_date": "2026-10-31",
        "granularity": "DAY",
        "level": "PIN_PROMOTION",
        "columns": REPORT_COLUMNS,
        **overrides,
    }
    return requests.post(
        f"{sim.base_url}/ad_accounts/{account_id}/reports", json=body, headers=auth, timeout=5
    )


def poll(sim, auth, account_id, token):
    return requests.get(
        f"{sim.base_url}/ad_accounts/{account_id}/reports",
        headers=auth,
        params={"token": token},
        timeout=5,
    ).json()


def finished_report(sim, auth, account_id, **overrides) -> dict:
    token = create_report(sim, auth, account_id, **overrides).json()["token"]
    for _ in range(200):
        status = poll(sim, auth, account_id, token)
        if status["report_status"] != "IN_PROGRESS":
            return {**status, "token": token}
        time.sleep(0.02)
    raise AssertionError("report never finished")


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
    with Simulator(small_dataset(), refresh_grace_seconds=0.5) as sim:
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
    with Simulator(small_dataset(), access_token="fake-static-token") as static:
        ok = requests.get(
            f"{static.base_url}/ad_accounts",
            timeout=5,
            headers={"Authorization": "Bearer fake-static-token"},
        )
        assert ok.status_code == 200


# ----------------------------------------------------------------------------- entities
def test_entity_status_filter_default_and_explicit(sim, auth):
    account = sim.dataset.account_ids[0]
    everything = []
    for acc in sim.dataset.account_ids:
        for kind in ("campaigns", "ad_groups", "ads"):
            url = f"{sim.base_url}/ad_accounts/{acc}/{kind}"
            default = requests.get(url, headers=auth, params={"page_size": 250}, timeout=5).json()
            assert {e["status"] for e in default["items"]} <= {"ACTIVE", "PAUSED"}
            repeated = requests.get(
                url,
                headers=auth,
                timeout=5,
                params={"page_size": 250, "entity_statuses": ENTITY_STATUSES},
            )
            joined = requests.get(
                url,
                headers=auth,
                timeout=5,
                params={"page_size": 250, "entity_statuses": ",".join(ENTITY_STATUSES)},
            )
            assert repeated.json() == joined.json()
            everything += [(kind, e["status"]) for e in repeated.json()["items"]]
            assert len(repeated.json()["items"]) > len(default["items"]) or kind == "campaigns"
    for kind in ("campaigns", "ad_groups", "ads"):
        assert {s for k, s in everything if k == kind} == set(ENTITY_STATUSES), kind
    bad = requests.get(
        f"{sim.base_url}/ad_accounts/{account}/ads",
        headers=auth,
        timeout=5,
        params={"entity_statuses": "ACTIVE,BOGUS"},
    )
    assert (bad.status_code, bad.json()["code"]) == (400, 1)


def test_pagination_and_page_size_limits(sim, auth):
    account = sim.dataset.account_ids[1]
    url = f"{sim.base_url}/ad_accounts/{account}/ads"
    params = {"page_size": 2, "entity_statuses": ENTITY_STATUSES}
    seen, pages, bookmark = [], 0, None
    while True:
        page = requests.get(
            url,
            headers=auth,
            timeout=5,
            params={**params, **({"bookmark": bookmark} if bookmark else {})},
        ).json()
        validate_component("Paginated", page)
        assert len(page["items"]) <= 2
        seen += [e["id"] for e in page["items"]]
        pages += 1
        bookmark = page["bookmark"]
        if bookmark is None:
            break
    expected = [e["id"] for e in sim.dataset.entities("ad", account, statuses=None)]
    assert seen == sorted(expected, key=int)
    assert pages == 6
    for size in (0, 251, "x"):
        r = requests.get(url, headers=auth, params={"page_size": size}, timeout=5)
        assert (r.status_code, r.json()["code"]) == (400, 1)
    accounts = requests.get(
        f"{sim.base_url}/ad_accounts", headers=auth, timeout=5, params={"page_size": 2}
    ).json()
    assert len(accounts["items"]) == 2
    assert accounts["bookmark"]


def test_entities_conform_to_openapi(sim, auth):
    account = sim.dataset.account_ids[0]
    acc = requests.get(f"{sim.base_url}/ad_accounts/{account}", headers=auth, timeout=5).json()
    validate_component("AdAccount", acc)
    names = {"campaigns": "CampaignResponse", "ad_groups": "AdGroupResponse", "ads": "AdResponse"}
    for sub, schema in names.items():
        page = requests.get(
            f"{sim.base_url}/ad_accounts/{account}/{sub}",
            headers=auth,
            params={"entity_statuses": ENTITY_STATUSES},
            timeout=5,
        ).json()
        for item in page["items"]:
            validate_component(schema, item)
            assert item["ad_account_id"] == account
            assert item["id"].isdigit()
        one = requests.get(
            f"{sim.base_url}/ad_accounts/{account}/{sub}/{page['items'][0]['id']}",
            headers=auth,
            timeout=5,
        )
        assert one.json() == page["items"][0]
    missing = requests.get(f"{sim.base_url}/ad_accounts/123", headers=auth, timeout=5)
    assert missing.status_code == 404
    assert missing.json() == {
        "code": 2,
        "message": "AdAccount not found",
    }


def test_remove_entity_and_determinism(sim, auth):
    account = sim.dataset.account_ids[0]
    campaign = sim.dataset.campaigns(account)[0]["id"]
    sim.remove_entity("campaign", campaign)
    listed = requests.get(
        f"{sim.base_url}/ad_accounts/{account}/campaigns",
        headers=auth,
        params={"entity_statuses": ENTITY_STATUSES},
        timeout=5,
    ).json()
    assert campaign not in {c["id"] for c in listed["items"]}
    one = requests.get(
        f"{sim.base_url}/ad_accounts/{account}/campaigns/{campaign}", headers=auth, timeout=5
    )
    assert one.status_code == 404
    rows = sim.dataset.delivery_rows(
        account, date(2026, 10, 1), date(2026, 10, 2), ["CAMPAIGN_ID", "SPEND_IN_MICRO_DOLLAR"]
    )
    assert campaign in {r["CAMPAIGN_ID"] for r in rows}  # metrics of removed entities stay
    a, b = small_dataset(), small_dataset()
    assert a.entities("ad", a.account_ids[2], None) == b.entities("ad", b.account_ids[2], None)
    cols = ["AD_ID", "SPEND_IN_MICRO_DOLLAR", "VIDEO_P100_COMPLETE_1"]
    assert a.delivery_rows(a.account_ids[0], TODAY, TODAY, cols) == b.delivery_rows(
        b.account_ids[0], TODAY, TODAY, cols
    )
    c = small_dataset(seed=2)
    assert c.delivery_rows(c.account_ids[0], TODAY, TODAY, cols) != a.delivery_rows(
        a.account_ids[0], TODAY, TODAY, cols
    )
    assert {x["currency"] for x in a.ad_accounts()} == {"USD", "GBP", "EUR"}


def test_metric_invariants():
    ds = small_dataset()
    rows = ds.delivery_rows(ds.account_ids[0], date(2026, 6, 1), date(2026, 8, 31), REPORT_COLUMNS)
    assert rows
    for r in rows:
        assert r["TOTAL_IMPRESSION"] == r["IMPRESSION_1"] + r["IMPRESSION_2"]
        assert r["TOTAL_CLICKTHROUGH"] == r["CLICKTHROUGH_1"] + r["CLICKTHROUGH_2"]
        assert r["TOTAL_ENGAGEMENT"] == r["ENGAGEMENT_1"] + r["ENGAGEMENT_2"]
        video = [r[f"VIDEO_P{p}_COMBINED_1"] for p in (0, 25, 50, 75, 95)] + [
            r["VIDEO_P100_COMPLETE_1"]
        ]
        assert video == sorted(video, reverse=True)
        checkout = ("TOTAL_CLICK_CHECKOUT", "TOTAL_VIEW_CHECKOUT", "TOTAL_ENGAGEMENT_CHECKOUT")
        assert r["TOTAL_CHECKOUT"] == sum(r[c] for c in checkout)
        assert r["TOTAL_CONVERSIONS"] >= r["TOTAL_CHECKOUT"]
        assert all(isinstance(r[c], int) for c in REPORT_COLUMNS if c.endswith("MICRO_DOLLAR"))
    assert any(r["SPEND_IN_MICRO_DOLLAR"] % 1000 for r in rows)
    assert any(r["IMPRESSION_2"] == 0 for r in rows)
    assert any(r["VIDEO_P0_COMBINED_1"] for r in rows)
    n_ads = len(ds.all_ids("ad", ds.account_ids[0]))
    assert len(rows) < n_ads * 92  # some (ad, day) pairs have no activity at all


# ----------------------------------------------------------------------------- reports
def test_report_flow_download_and_link_expiry(auth, sim):
    sim.report_delay_seconds = 0.5
    sim.url_ttl_seconds = 0.8
    account = sim.dataset.account_ids[0]
    created = create_report(sim, auth, account)
    assert created.json()["report_status"] == "IN_PROGRESS"
    validate_component("AdsAnalyticsCreateAsyncResponse", created.json())
    token = created.json()["token"]
    assert poll(sim, auth, account, token)["report_status"] == "IN_PROGRESS"
    time.sleep(0.55)
    done = poll(sim, auth, account, token)
    validate_component("AdsAnalyticsGetAsyncResponse", done)
    assert done["report_status"] == "FINISHED"
    assert "X-Amz-Signature=" in done["url"]
    file = requests.get(done["url"], timeout=5)
    assert file.status_code == 200
    assert int(file.headers["Content-Length"]) == done["size"]
    with_auth = requests.get(done["url"], headers=auth, timeout=5)
    assert with_auth.status_code == 400
    assert b"Only one auth mechanism allowed" in with_auth.content
    time.sleep(0.85)
    expired = requests.get(done["url"], timeout=5)
    assert expired.status_code == 403
    assert b"Request has expired" in expired.content
    fresh = poll(sim, auth, account, token)
    assert fresh["url"] != done["url"]
    assert requests.get(fresh["url"], timeout=5).content == file.content
    unknown = poll(sim, auth, account, "no-such-token")
    assert unknown["report_status"] == "DOES_NOT_EXIST"


def test_json_report_omits_zero_metrics_and_zero_rows(sim, auth):
    account = sim.dataset.account_ids[1]
    done = finished_report(sim, auth, account)
    body = requests.get(done["url"], timeout=5).json()
    ds = sim.dataset
    assert body == ds.expected_json_report(
        account, date(2026, 10, 1), date(2026, 10, 31), REPORT_COLUMNS
    )
    rows = [r for rs in body.values() for r in rs]
    assert all(0 not in r.values() for r in rows)
    assert any("IMPRESSION_2" not in r for r in rows)
    ads = ds.all_ids("ad", account)
    assert set(body) <= set(ads)
    assert len(rows) < len(ads) * 31
    assert all(
        r["AD_ID"] == key and r["PIN_PROMOTION_ID"] == key for key, rs in body.items() for r in rs
    )
    # a column that is zero for non-video ads: their rows vanish entirely
    video_only = finished_report(sim, auth, account, columns=["AD_ID", "VIDEO_P100_COMPLETE_1"])
    vbody = requests.get(video_only["url"], timeout=5).json()
    assert vbody
    assert all(ds.is_video(ad) for ad in vbody)
    # CSV: header row, zero-filled, same rows
    csv_done = finished_report(sim, auth, account, report_format="CSV")
    table = list(csv.DictReader(io.StringIO(requests.get(csv_done["url"], timeout=5).text)))
    assert len(table) == len(rows)
    assert list(table[0]) == ["DATE", *REPORT_COLUMNS]
    assert any(r["IMPRESSION_2"] == "0" for r in table)
    raw = ds.delivery_rows(account, date(2026, 10, 1), date(2026, 10, 31), REPORT_COLUMNS)
    assert [json_row(r) for r in raw] == rows


def test_report_levels_and_validation(sim, auth):
    account = sim.dataset.account_ids[0]
    campaigns = finished_report(
        sim,
        auth,
        account,
        level="CAMPAIGN",
        granularity="TOTAL",
        columns=["CAMPAIGN_ID", "SPEND_IN_MICRO_DOLLAR"],
    )
    body = requests.get(campaigns["url"], timeout=5).json()
    ads = sim.dataset.delivery_rows(
        account, date(2026, 10, 1), date(2026, 10, 31), ["CAMPAIGN_ID", "SPEND_IN_MICRO_DOLLAR"]
    )
    for cid, rows in body.items():
        assert rows == [
            {
                "CAMPAIGN_ID": cid,
                "SPEND_IN_MICRO_DOLLAR": sum(
                    r["SPEND_IN_MICRO_DOLLAR"] for r in ads if r["CAMPAIGN_ID"] == cid
                ),
            }
        ]
    invalid = [
        {"end_date": "2026-09-01"},  # end before start
        {"start_date": "2026-01-01", "end_date": "2026-08-01"},  # span > 186 days
        {"start_date": "2024-05-01", "end_date": "2024-05-02"},  # > 914 days back
        {"columns": []},
        {"columns": ["TOTAL_REPIN"]},  # not a ReportingColumnAsync value
        {"level": "NOPE"},
        {"granularity": "YEAR"},
        {"report_format": "XML"},
    ]
    for override in invalid:
        r = create_report(sim, auth, account, **override)
        assert (r.status_code, r.json()["code"]) == (400, 1), override
        validate_component("Error", r.json())


# ----------------------------------------------------------------------------- faults
def test_http_error_drop_and_delay_faults(sim, auth):
    url = f"{sim.base_url}/ad_accounts"
    fault = sim.faults.http_error(r"/ad_accounts$", 429, headers={"Retry-After": "1"}, times=2)
    got = [requests.get(url, headers=auth, timeout=5) for _ in range(3)]
    assert [r.status_code for r in got] == [429, 429, 200]
    assert got[0].headers["Retry-After"] == "1"
    assert got[0].json()["code"] == 8
    assert fault.fired == 2
    assert fault.remaining == 0
    sim.faults.http_error(
        r"/reports$", 400, body={"code": 1, "message": "Retry after 1 seconds"}, method="POST"
    )
    account = sim.dataset.account_ids[0]
    assert create_report(sim, auth, account).json()["message"] == "Retry after 1 seconds"
    assert create_report(sim, auth, account).status_code == 200
    sim.faults.drop_connection(r"/ad_accounts$", times=1)
    with pytest.raises(requests.exceptions.ConnectionError):
        requests.get(url, headers=auth, timeout=5)
    assert requests.get(url, headers=auth, timeout=5).status_code == 200
    sim.faults.delay(r"/ad_accounts$", seconds=0.6, times=1)
    with pytest.raises(requests.exceptions.Timeout):
        requests.get(url, headers=auth, timeout=0.2)
    assert requests.get(url, headers=auth, timeout=5).status_code == 200
    always = sim.faults.http_error(r"/user_account$", 503, times=None)
    assert [
        requests.get(f"{sim.base_url}/user_account", headers=auth, timeout=5).status_code
        for _ in range(3)
    ] == [503, 503, 503]
    assert always.fired == 3
    sim.faults.clear()
    assert requests.get(f"{sim.base_url}/user_account", headers=auth, timeout=5).status_code == 200


def test_report_and_download_faults(sim, auth):
    account = sim.dataset.account_ids[2]
    done = finished_report(sim, auth, account)
    sim.faults.report_status("FAILED", times=2)
    statuses = [poll(sim, auth, account, done["token"])["report_status"] for _ in range(3)]
    assert statuses == ["FAILED", "FAILED", "FINISHED"]
    url = poll(sim, auth, account, done["token"])["url"]
    good = requests.get(url, timeout=5).content
    sim.faults.expire_download(times=1)
    assert requests.get(url, timeout=5).status_code == 403
    sim.faults.truncate_download(times=1, fraction=0.5)
    with pytest.raises(requests.exceptions.RequestException):
        requests.get(url, timeout=5)
    sim.faults.corrupt_download(times=1)
    corrupt = requests.get(url, timeout=5)
    assert len(corrupt.content) == len(good)
    assert corrupt.content != good
    with pytest.raises(UnicodeDecodeError):
        json.loads(corrupt.content)
    assert requests.get(url, timeout=5).content == good


def test_token_and_account_faults(sim, auth):
    url = f"{sim.base_url}/ad_accounts"
    assert requests.get(url, headers=auth, timeout=5).status_code == 200
    sim.faults.revoke_access_token()
    assert requests.get(url, headers=auth, timeout=5).status_code == 401
    new = refresh(sim, sim.current_refresh_token).json()["access_token"]
    headers = {"Authorization": f"Bearer {new}"}
    account = sim.dataset.account_ids[0]
    sim.faults.forbidden_accounts.add(account)
    forbidden = requests.get(f"{url}/{account}/campaigns", headers=headers, timeout=5)
    assert forbidden.status_code == 403
    assert forbidden.json()["code"] == 29
    sim.faults.revoke_refresh_tokens()
    assert refresh(sim, sim.current_refresh_token).status_code == 400


def test_control_endpoints(sim, auth):
    root = sim.base_url.removesuffix("/v5")
    spec = {
        "kind": "http_error",
        "path": "/campaigns$",
        "status": 429,
        "times": 1,
        "body": {
            "code": 2726,
            "message": "Reporting query cost limit exceeded. Retry after 1 seconds",
        },
        "headers": {"X-RateLimit-Reset": "2"},
    }
    assert requests.post(f"{root}/_sim/faults", json=spec, timeout=5).status_code == 200
    account = sim.dataset.account_ids[0]
    url = f"{sim.base_url}/ad_accounts/{account}/campaigns"
    first = requests.get(url, headers=auth, timeout=5)
    assert first.status_code == 429
    assert first.headers["X-RateLimit-Reset"] == "2"
    assert requests.get(url, headers=auth, timeout=5).status_code == 200
    campaign = sim.dataset.campaigns(account)[0]["id"]
    requests.post(f"{root}/_sim/remove", json={"kind": "campaign", "id": campaign}, timeout=5)
    assert sim.dataset.is_removed("campaign", campaign)
    log = requests.get(f"{root}/_sim/requests", timeout=5).json()
    assert log
    assert all(r["headers"].get("Authorization") in (None, "present") for r in log)
    assert not any(r["path"].startswith("/_sim") for r in log)
    requests.post(
        f"{root}/_sim/faults", json={"kind": "forbidden_accounts", "ids": [account]}, timeout=5
    )
    assert requests.get(url, headers=auth, timeout=5).status_code == 403
    assert requests.delete(f"{root}/_sim/faults", timeout=5).json()["forbidden_accounts"] == []
    assert requests.get(url, headers=auth, timeout=5).status_code == 200


def test_cli_prints_url_and_stops_on_sigterm(tmp_path):
    ready = tmp_path / "url.txt"
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "pinterest_simulator",
            "--port",
            "0",
            "--accounts",
            "1",
            "--days",
            "10",
            "--ready-file",
            str(ready),
        ],
        cwd=Path(__file__).resolve().parents[1],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        line = proc.stdout.readline().strip()
        assert line.startswith("SIMULATOR_URL=http://127.0.0.1:")
        url = line.split("=", 1)[1]
        assert ready.read_text().strip() == url
        health = requests.get(url.removesuffix("/v5") + "/_sim/health", timeout=5).json()
        assert health["ok"]
        assert health["dataset"]["accounts"] == 1
    finally:
        proc.terminate()
        assert proc.wait(timeout=10) == 0
        proc.stdout.close()
