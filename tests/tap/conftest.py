"""Fixtures of the tests of the tap's top-level modules."""

from __future__ import annotations

import signal
import typing as t

import pytest


@pytest.fixture
def restore_signal_handlers() -> t.Iterator[None]:
    """Creating a tap installs its SIGTERM/SIGINT handlers for the whole process."""
    saved = {signum: signal.getsignal(signum) for signum in (signal.SIGTERM, signal.SIGINT)}
    yield
    for signum, handler in saved.items():
        signal.signal(signum, handler)
