"""Calendar arithmetic the queries' windows need, done in Python and bound.

Kept out of SQL so that date arithmetic never becomes a dialect question
(ARCHITECTURE.md, dialect.py), and below the metrics so that the derived
tables, the metrics and the forecast share one definition.
"""

from __future__ import annotations

from datetime import date, timedelta


def months_before(day: date, months: int) -> date:
    """The same day ``months`` calendar months earlier (clamped to month end)."""
    index = day.year * 12 + day.month - 1 - months
    year, month = divmod(index, 12)
    month += 1
    next_month = date(year + (month // 12), month % 12 + 1, 1)
    last_day = (next_month - timedelta(days=1)).day
    return date(year, month, min(day.day, last_day))


def period_of(day: date) -> int:
    """The accounting period (帐期) YYYYMM containing ``day``."""
    return day.year * 100 + day.month
