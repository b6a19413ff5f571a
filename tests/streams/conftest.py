"""Fixtures of the stream tests (the shared ones are in tests/conftest.py)."""

from __future__ import annotations

import logging

import pytest


@pytest.fixture
def log(caplog):
    """Messages logged so far (INFO and up) that start with `prefix`."""
    caplog.set_level(logging.INFO)

    def lines(prefix: str = "", level: int = logging.INFO) -> list[str]:
        return [
            r.getMessage()
            for r in caplog.records
            if r.levelno >= level and r.getMessage().startswith(prefix)
        ]

    return lines


@pytest.fixture
def retry_log(caplog):
    """The tap's "Retrying …" log lines."""
    caplog.set_level(logging.INFO)
    return lambda: [r.getMessage() for r in caplog.records if r.getMessage().startswith("Retrying")]
