"""The simulator's asynchronous reports: create, poll, download, link expiry, levels."""

from __future__ import annotations

import csv
import io
import time
from datetime import date

import requests

from pinterest_simulator import json_row
from tests.openapi_schemas import validate_component
from tests.simulator.calls import (
    REPORT_COLUMNS,
    create_report,
    finished_report,
    poll,
)


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
