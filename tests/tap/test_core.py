"""singer-sdk's standard tap and stream tests, against the mocked API."""

from __future__ import annotations

import pytest
import requests_mock
from singer_sdk.testing import SuiteConfig, get_tap_test_class

from tap_pinterest_ads.tap import TapPinterestAds
from tests import mock_api

_StandardTests = get_tap_test_class(
    TapPinterestAds,
    config=mock_api.CONFIG,
    # Every stream, the opt-in ones (selected_by_default = False) included.
    catalog=mock_api.catalog_selecting(mock_api.CONFIG),
    suite_config=SuiteConfig(max_records_limit=50),
)


class TestTapPinterestAds(_StandardTests):
    """The generated suite, with the mocked API active for the whole class."""

    @pytest.fixture(scope="class", autouse=True)
    @classmethod
    def mocked_api(cls):
        with requests_mock.Mocker() as mocker:
            mock_api.register(mocker)
            yield mocker
