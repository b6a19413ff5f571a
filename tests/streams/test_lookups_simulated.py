"""The lookup streams against the simulator: its answers match the spec, and every lookup it
serves arrives exactly (the mocked API's cases: test_lookups.py)."""

from __future__ import annotations

import pytest

from pinterest_simulator import lookups as sim_lookups
from tests.mock_api import (
    TARGETING_OPTION_TYPES,
)
from tests.openapi_contract import validate_response
from tests.simulator_factory import make_dataset, running_simulator
from tests.streams.test_lookups import STREAMS, iso, page
from tests.tap_runner import records, sync


@pytest.fixture(scope="module")
def simulated():
    dataset = make_dataset(ad_groups_per_campaign=2, days=20, seed=7)
    with running_simulator(dataset) as sim:
        config = {
            "api_url": sim.base_url,
            "client_id": "fake-client-id",
            "client_secret": "fake-client-secret",
            "refresh_token": "fake-refresh-0",
        }
        messages = sync(config, STREAMS)
        yield dataset, messages, list(sim.requests)


def test_the_simulator_answers_match_the_spec(simulated) -> None:
    dataset, _, requests = simulated
    account = dataset.account_ids[0]
    ad_group = dataset.all_ids("ad_group", account)[0]
    pin_id = dataset.raw_entity("ad", dataset.all_ids("ad", account)[1])["pin_id"]
    accounts = "/ad_accounts/{ad_account_id}"
    checks = [
        (f"{accounts}/keywords", page(sim_lookups.keywords(dataset, ad_group))),
        (f"{accounts}/audiences", page(sim_lookups.audiences(dataset, account))),
        (f"{accounts}/customer_lists", page(sim_lookups.customer_lists(dataset, account))),
        (f"{accounts}/conversion_tags", {"items": sim_lookups.conversion_tags(dataset, account)}),
        ("/pins/{pin_id}", sim_lookups.pin(dataset, pin_id, account)),
        ("/resources/delivery_metrics", sim_lookups.delivery_metrics()),
    ]
    checks += [
        (f"/resources/targeting/{kind}", sim_lookups.TARGETING_OPTIONS[kind])
        for kind in TARGETING_OPTION_TYPES
    ]
    for template, body in checks:
        validate_response("GET", template, 200, body)
    assert all(r.status == 200 for r in requests)


def test_the_simulator_lookups_arrive_exactly(simulated) -> None:
    dataset, messages, _ = simulated
    accounts = dataset.account_ids
    groups = [(a, g) for a in accounts for g in dataset.all_ids("ad_group", a)]
    want_keywords = [
        {**k, "ad_account_id": a, "bid_amount": None}
        for a, g in groups
        for k in sorted(sim_lookups.keywords(dataset, g), key=lambda k: int(k["id"]))
    ]
    assert records(messages, "keywords") == want_keywords
    assert len(want_keywords) > 0
    want_audiences = [
        {**x, "created_timestamp": iso(x["created_timestamp"]),
         "updated_timestamp": iso(x["updated_timestamp"])}
        for a in accounts
        for x in sorted(sim_lookups.audiences(dataset, a), key=lambda x: int(x["id"]))
    ]  # fmt: skip
    assert records(messages, "audiences") == want_audiences
    tags = [t for a in accounts for t in sim_lookups.conversion_tags(dataset, a)]
    got_tags = records(messages, "conversion_tags")
    assert [t["id"] for t in got_tags] == [t["id"] for t in tags]
    assert got_tags[0]["last_fired_time"] == iso(tags[0]["last_fired_time_ms"] // 1000)
    pins = records(messages, "pins")
    ads = [dataset.raw_entity("ad", i) for a in accounts for i in dataset.all_ids("ad", a)]
    assert [p["id"] for p in pins] == [ad["pin_id"] for ad in ads]
    video = next(p for p in pins if p["media_type"] == "video")
    assert video["video_url"].endswith(f"/{video['id']}.mp4")
    assert video["image_url"].endswith(f"/{video['id']}.jpg")
    assert len(records(messages, "delivery_metrics")) == 613
    assert len(records(messages, "targeting_options")) == sum(
        len(item) for t in TARGETING_OPTION_TYPES for item in sim_lookups.TARGETING_OPTIONS[t]
    )
