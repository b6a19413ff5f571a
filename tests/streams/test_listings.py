"""Listings: ACTIVATE_VERSION only after a complete listing, malformed pages, bookmarks that
come back, and text UTF-8 cannot encode, each served by the simulator.

The simulator serves at most 2 items a page here (`max_page_size`), so every listing has
several pages and a fault can hit page 2 or later.
"""

from __future__ import annotations

import datetime as dt
import logging

import pytest

from tap_pinterest_ads.listing import MalformedAnswerError
from tests.cli_runner import (
    run_tap,
)
from tests.tap_runner import (
    ENTITY_STREAMS,
    config_for,
    entity_ids,
    error_lines,
    expected_entity_ids,
    parse_messages,
    records,
    run,
    sync,
    today,
)

START = today() - dt.timedelta(days=5)
DATASET = {"accounts": 3, "campaigns_per_account": 5, "ads_per_ad_group": 1, "seed": 23}


@pytest.fixture
def sim(sim):
    """Pages of two items: every listing of the dataset takes several pages."""
    sim.max_page_size = 2
    return sim


def activations(messages: list[dict], stream: str) -> list[dict]:
    return [m for m in messages if m["type"] == "ACTIVATE_VERSION" and m["stream"] == stream]


def campaigns_path(account: str) -> str:
    return f"/v5/ad_accounts/{account}/campaigns"


# ACTIVATE_VERSION ---------------------------------------------------------------------


def test_activate_version_is_sent_once_after_every_account_listing_was_read(sim, dataset):
    messages = sync(config_for(sim, START), ENTITY_STREAMS)

    for stream in ENTITY_STREAMS:
        kinds = [m["type"] for m in messages if m.get("stream") == stream]
        last_record = max(i for i, kind in enumerate(kinds) if kind == "RECORD")
        assert kinds.count("ACTIVATE_VERSION") == 1, stream
        assert kinds.index("ACTIVATE_VERSION") > last_record, stream
        assert entity_ids(messages, stream) == expected_entity_ids(
            dataset, stream, dataset.account_ids
        )
    # Every page was requested: 5 campaigns of every status, 2 a page, in 3 accounts.
    assert len(sim.requests.filter("GET", r"/campaigns$")) == 9


def test_a_run_that_fails_half_way_through_a_stream_announces_no_version(sim, dataset, tmp_path):
    second = dataset.account_ids[1]
    sim.faults.http_error(
        rf"/ad_accounts/{second}/campaigns$", 400, body={"code": 1, "message": "Invalid request."}
    )

    result = run_tap(tmp_path, config_for(sim, START), ENTITY_STREAMS)

    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    messages = parse_messages(result.stdout)
    assert len(records(messages, "campaigns")) == 5  # the first account's, all pages
    assert [m for m in messages if m["type"] == "ACTIVATE_VERSION"] == []


# Malformed pages ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("mode", "problem"),
    [
        ("null_items", '"items" is null, not a list'),
        ("items_not_list", '"items" is an object, not a list'),
        ("item_without_id", "item 1 of 2 has no 'id'"),
    ],
)
def test_a_malformed_page_fails_the_stream_with_one_line_naming_the_endpoint(
    sim, dataset, tmp_path, mode, problem
):
    sim.faults.listing_page(r"/campaigns$", mode, on_page="later")
    first = dataset.account_ids[0]

    result = run_tap(tmp_path, config_for(sim, START), ENTITY_STREAMS)

    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert error_lines(result.stderr) == [
        f"GET {campaigns_path(first)} answered a malformed page ({problem}): the stream stops "
        "before it announces any deletion"
    ]
    messages = parse_messages(result.stdout)
    assert activations(messages, "campaigns") == []
    # The first page's rows were sent, and nothing of the malformed one.
    assert len(records(messages, "campaigns")) == 2


@pytest.mark.parametrize(("mode", "pages"), [("repeat_bookmark", 2), ("alternate_bookmarks", 3)])
def test_a_bookmark_already_seen_stops_the_listing_with_one_line(
    sim, dataset, tmp_path, mode, pages
):
    sim.faults.listing_page(r"/campaigns$", mode, times=None)
    first = dataset.account_ids[0]

    result = run_tap(tmp_path, config_for(sim, START), ENTITY_STREAMS)

    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert error_lines(result.stderr) == [
        f"GET {campaigns_path(first)} sent a page bookmark it had already sent in this listing "
        f"(after {pages} pages): the listing would never end, so the stream stops before it "
        "announces any deletion"
    ]
    assert len(sim.requests.filter("GET", r"/campaigns$")) == pages
    assert activations(parse_messages(result.stdout), "campaigns") == []


def test_with_skip_a_malformed_page_skips_the_account_and_sends_no_version_for_that_stream(
    sim, dataset, caplog
):
    skipped = dataset.account_ids[1]
    sim.faults.listing_page(rf"/ad_accounts/{skipped}/campaigns$", "null_items")
    config = config_for(sim, START, on_account_error="skip")

    messages = sync(config, ENTITY_STREAMS)

    others = [a for a in dataset.account_ids if a != skipped]
    assert entity_ids(messages, "campaigns") == expected_entity_ids(dataset, "campaigns", others)
    assert activations(messages, "campaigns") == []
    assert len(activations(messages, "ad_groups")) == 1
    assert any(
        "Not sending ACTIVATE_VERSION for stream 'campaigns': the listing of ad account(s) "
        f"{skipped} was skipped" in r.getMessage()
        for r in caplog.records
    )


def test_a_malformed_page_of_the_ad_account_list_fails_before_any_stream(sim):
    sim.faults.listing_page(r"/v5/ad_accounts$", "item_without_id")

    outcome = run(config_for(sim, START), ENTITY_STREAMS)

    with pytest.raises(MalformedAnswerError, match=r"GET /v5/ad_accounts answered a malformed"):
        outcome.raise_error()
    assert outcome.records() == []


# Text UTF-8 cannot encode -------------------------------------------------------------


def test_a_lone_surrogate_is_written_as_a_replacement_character_with_a_warning(
    sim, dataset, caplog
):
    caplog.set_level(logging.WARNING)
    sim.faults.listing_page(r"/campaigns$", "lone_surrogate", on_page="first")
    first = dataset.account_ids[0]
    campaign = dataset.entities("campaign", first, statuses=None)[0]

    messages = sync(config_for(sim, START), ENTITY_STREAMS)

    names = {r["id"]: r["name"] for r in records(messages, "campaigns")}
    assert names[campaign["id"]] == campaign["name"] + "\ufffd"
    assert entity_ids(messages, "campaigns") == expected_entity_ids(
        dataset, "campaigns", dataset.account_ids
    )
    warnings = [r.getMessage() for r in caplog.records if "cannot encode" in r.getMessage()]
    assert warnings == [
        f"Stream 'campaigns', record id='{campaign['id']}': field name held text that UTF-8 "
        "cannot encode (a lone surrogate); written with U+FFFD in its place"
    ]


def test_a_targeting_answer_that_is_not_a_list_of_options_fails_with_one_line(sim, tmp_path):
    sim.faults.http_error(r"/resources/targeting/GENDER$", 200, body={"items": None})

    result = run_tap(tmp_path, config_for(sim, START), ("targeting_options",))

    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert error_lines(result.stderr) == [
        "GET /v5/resources/targeting/GENDER answered something that is not a list of "
        "{code: name} objects: the stream stops before it announces any deletion"
    ]
    assert activations(parse_messages(result.stdout), "targeting_options") == []
