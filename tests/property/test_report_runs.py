"""Property: a whole tap run over any report document ends in exactly its rows and a bookmark
at the window's end, or in one ERROR line naming the account; never in a traceback, never
with a bookmark outside [start, today].

The simulator serves the generated document as the account's report (`report_document`).
"""

from __future__ import annotations

import datetime as dt
from functools import partial

import pytest
from hypothesis import event, example, given

from pinterest_simulator import Dataset
from tap_pinterest_ads.reports.job import ReportJob
from tap_pinterest_ads.streams import report_base
from tests.property.documents import Document, documents, expected_record, render_csv
from tests.property.test_report_documents import by_key, projected
from tests.simulator_factory import running_simulator
from tests.tap_runner import (
    DELIVERY,
    config_for,
    run,
    today,
)

TODAY = today()
START = TODAY - dt.timedelta(days=5)  # one report window: START..TODAY


@pytest.fixture(scope="module")
def sim():
    data = Dataset(accounts=1, campaigns_per_account=1, ad_groups_per_campaign=1,
                   ads_per_ad_group=1, days=10, seed=23, today=TODAY)  # fmt: skip
    with running_simulator(data) as simulator, pytest.MonkeyPatch.context() as patch:
        patch.setattr(report_base, "ReportJob", partial(ReportJob, poll_initial=0.01))
        yield simulator


# Found by the long profile: a U+0085 inside a text, written unescaped on one Singer line.
NEL_ROW = {"DATE": TODAY.isoformat(), "PIN_PROMOTION_ID": "1", "CAMPAIGN_ID": "\x85",
           "IMPRESSION_1": 0, "CLICKTHROUGH_1": 0, "SPEND_IN_MICRO_DOLLAR": 0,
           "TOTAL_CONVERSIONS": 0}  # fmt: skip


@example(Document(render_csv([NEL_ROW]), "CSV", (expected_record(NEL_ROW, "CSV"),), "CSV, NEL"))
@given(document=documents((START, TODAY)))
def test_a_run_gives_exactly_the_reports_rows_or_one_error_line_naming_the_account(
    sim, document: Document
):
    account = sim.dataset.account_ids[0]
    sim.faults.clear()
    sim.faults.report_document(document.body.decode("utf-8", "surrogateescape"))
    config = config_for(sim, START, report_format=document.report_format)

    outcome = run(config, (DELIVERY,))

    event(f"{document.how}: {'fails' if outcome.error else 'rows'}")
    assert outcome.explained, f"{document.how}: a traceback: {outcome.error!r}"
    written = [outcome.bookmarks(DELIVERY, state).get(account) for state in outcome.states()]
    assert set(written) <= {None, TODAY.isoformat()}, written
    if document.must_fail:
        line = outcome.error_line
        assert line.startswith(f"ad account {account}: "), line
        assert "\n" not in line
        assert set(written) <= {None}, "a window that failed moves no bookmark"
    else:
        assert outcome.error is None, f"{document.how}: {outcome.error_line}"
        assert by_key(projected(r) for r in outcome.records(DELIVERY)) == by_key(document.expected)
        assert written[-1] == TODAY.isoformat()
