"""Budget attainment against time progress (metrics.md, Budget attainment).

``through_period`` caps the revenue periods a figure may use.  Pages and the
command line leave it at as_of's own period (the definition); the forecast
backtest and frozen forecasts pass the period before as_of's month, so a
forecast rebuilt after the fact never sees revenue that had not arrived then.
"""

from __future__ import annotations

from datetime import date

import pandas as pd

from analytics.context import Context, period_of
from analytics.scope import build_predicate


def time_progress(as_of: date) -> float:
    """Day of year of as_of / days in the year (时序进度)."""
    start = date(as_of.year, 1, 1)
    days_in_year = (date(as_of.year + 1, 1, 1) - start).days
    return ((as_of - start).days + 1) / days_in_year


def _check_phasing(ctx: Context) -> None:
    if ctx.settings.budget_phasing != "even":
        raise ValueError(f"unsupported budget phasing {ctx.settings.budget_phasing!r}")


def budget_attainment(ctx: Context, *, through_period: int | None = None) -> pd.DataFrame:
    """One row per level (overall, product, branch, branch_product) for as_of's year."""
    _check_phasing(ctx)
    return ctx.query(
        "budget_attainment",
        year=ctx.as_of.year,
        as_of_period=through_period or period_of(ctx.as_of),
        time_progress=time_progress(ctx.as_of),
    )


def overall_attainment(ctx: Context) -> dict:
    """The overall row of :func:`budget_attainment` as a dict."""
    frame = budget_attainment(ctx)
    row = frame[frame["level"] == "overall"]
    return row.to_dict("records")[0] if len(row) else {}


def revenue_monthly(ctx: Context, *, through_period: int | None = None) -> pd.DataFrame:
    """One row per month of as_of's year: actual and phased budget, each also cumulative."""
    _check_phasing(ctx)
    return ctx.query(
        "revenue_monthly", year=ctx.as_of.year, through_period=through_period or period_of(ctx.as_of)
    )


def revenue_ignored_filters(ctx: Context) -> list[str]:
    """Chosen filters revenue and budget cannot follow (they are kept by branch, product, team, owner)."""
    return list(build_predicate(ctx.scope, ctx.filters, "r", "revenue").ignored_filters)
