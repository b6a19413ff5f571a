"""The simulator's entity lists: status filters, paging, the OpenAPI shapes, removal, metrics."""

from __future__ import annotations

from datetime import date

import requests

from pinterest_simulator.common import ENTITY_STATUSES
from tests.openapi_schemas import validate_component
from tests.simulator.calls import (
    REPORT_COLUMNS,
    TODAY,
    small_dataset,
)


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
