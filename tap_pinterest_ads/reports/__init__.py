"""Asynchronous delivery reports: column registry, date windows, report jobs and parsers.

These modules are plain Python (no singer-sdk imports) so they can be unit-tested with a fake
clock and a fake API. `ReportError` lives here because every submodule raises a subclass of it.
"""

from __future__ import annotations


class ReportError(Exception):
    """Base class of every error raised by the report engine (one-line, secret-free message)."""
