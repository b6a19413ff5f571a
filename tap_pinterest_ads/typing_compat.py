"""`typing.override` on every Python the tap supports (it is new in 3.12)."""

from __future__ import annotations

import sys

if sys.version_info >= (3, 12):
    from typing import override
else:
    from typing_extensions import override

__all__ = ["override"]
