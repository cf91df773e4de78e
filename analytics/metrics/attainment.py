"""Budget attainment against time progress (metrics.md, Budget attainment)."""

from __future__ import annotations

from datetime import date

import pandas as pd

from analytics.context import Context, period_of


def time_progress(as_of: date) -> float:
    """Day of year of as_of / days in the year (时序进度)."""
    start = date(as_of.year, 1, 1)
    days_in_year = (date(as_of.year + 1, 1, 1) - start).days
    return ((as_of - start).days + 1) / days_in_year


def budget_attainment(ctx: Context) -> pd.DataFrame:
    """One row per level (overall, product, branch, branch_product) for as_of's year."""
    if ctx.settings.budget_phasing != "even":
        raise ValueError(f"unsupported budget phasing {ctx.settings.budget_phasing!r}")
    return ctx.query(
        "budget_attainment",
        year=ctx.as_of.year,
        as_of_period=period_of(ctx.as_of),
        time_progress=time_progress(ctx.as_of),
    )


def overall_attainment(ctx: Context) -> dict:
    """The overall row of :func:`budget_attainment` as a dict."""
    frame = budget_attainment(ctx)
    row = frame[frame["level"] == "overall"]
    return row.to_dict("records")[0] if len(row) else {}
