"""Number formats leaders expect: amounts in 万元 with thousands separators."""

from __future__ import annotations

import math

from analytics.money import to_wan


def _missing(value) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value))


def wan(value, digits: int = 1) -> str:
    """CNY → '1,234.5' 万元 (the unit is in the label)."""
    return "—" if _missing(value) else f"{to_wan(value):,.{digits}f}"


def pct(value, digits: int = 1) -> str:
    """A fraction → '12.3%'."""
    return "—" if _missing(value) else f"{value * 100:.{digits}f}%"


def points(value, digits: int = 1) -> str:
    """A difference of fractions → '+1.2 pp'."""
    return "—" if _missing(value) else f"{value * 100:+.{digits}f} pp"


def count(value) -> str:
    """An integer with thousands separators."""
    return "—" if _missing(value) else f"{int(value):,}"
