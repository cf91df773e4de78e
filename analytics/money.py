"""Money for people: the warehouse holds CNY (元), leaders read 万元.

Every screen, chart and export converts through ``to_wan`` so a figure under a
"（万元）" header is the warehouse's yuan divided by 10,000 in exactly one place,
and an Excel cell under such a header is the same number with ``WAN_FORMAT``.
"""

from __future__ import annotations

from typing import Any, Protocol, TypeVar

YUAN_PER_WAN = 10_000
"""One 万元 in yuan."""

WAN_FORMAT = "#,##0.0"
"""Excel number format of an amount in 万元 (one decimal, thousands separated, as on screen)."""


class _Divisible(Protocol):
    """A number, a numpy array or a pandas Series: anything that divides by an int."""

    def __truediv__(self, other: int, /) -> Any: ...


Amount = TypeVar("Amount", bound=_Divisible)


def to_wan(yuan: Amount) -> Amount:
    """Yuan → 万元; works on a number, a numpy array or a pandas Series (missing stays missing)."""
    return yuan / YUAN_PER_WAN
