"""Hypothesis profiles of the property-based suite.

`make test` runs the bounded, derandomized `ci` profile: the same examples on every run, so
CI is stable. A longer, randomized search (new examples each time, a few minutes):

    HYPOTHESIS_PROFILE=long .venv/bin/pytest tests/property
"""

from __future__ import annotations

import os

from hypothesis import HealthCheck, settings

# Tap runs take a few tenths of a second each: no per-example deadline, no "too slow" check.
_COMMON = {"deadline": None, "suppress_health_check": [HealthCheck.too_slow]}
settings.register_profile("ci", max_examples=12, derandomize=True, database=None, **_COMMON)
settings.register_profile("long", max_examples=400, **_COMMON)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))
