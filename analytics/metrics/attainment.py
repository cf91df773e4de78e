"""Budget attainment against time progress (metrics.md, Budget attainment).

``through_period`` caps the revenue periods a figure may use.  Pages and the
command line leave it at as_of's own period (the definition); the forecast
backtest and frozen forecasts pass the period before as_of's month, so a
forecast rebuilt after the fact never sees revenue that had not arrived then.

The budget is kept by branch x product only, so it cannot follow a team or an
owner (as scope or filter).  Measuring one team's revenue against the company
budget would be a misleading ratio, so :func:`budget_basis` picks the
denominator the selection allows: the budget, the selected account managers'
personal targets, or none at all (then budget, ratios and gap are null and the
pages say why in words).
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Literal

import pandas as pd

from analytics.context import Context, period_of
from analytics.metrics.revenue_sums import revenue
from analytics.scope import build_predicate

BudgetBasis = Literal["budget", "target", "none"]

NUMBERS = ("actual_ytd", "budget_annual", "budget_ytd", "attainment", "ytd_attainment", "progress_gap")


def time_progress(as_of: date) -> float:
    """Day of year of as_of / days in the year (时序进度)."""
    start = date(as_of.year, 1, 1)
    days_in_year = (date(as_of.year + 1, 1, 1) - start).days
    return ((as_of - start).days + 1) / days_in_year


def period_end(period: int) -> date:
    """The last day of accounting period YYYYMM."""
    year, month = divmod(int(period), 100)
    return date(year + month // 12, month % 12 + 1, 1) - timedelta(days=1)


def period_progress(data_through: float | None) -> float:
    """Time progress through the end of the last loaded revenue period (like for like).

    Revenue arrives a month or more late, so attainment covers periods Y01…P
    while ``time_progress`` counts to as_of: comparing the two reads as behind
    schedule whenever a month is not loaded yet.  This is the same calendar
    measure (metrics.md's time_progress) taken at P's last day, which is what
    the revenue actually covers; 0.0 when no period of the year is loaded (the
    revenue then covers no time at all, and actual_ytd is 0 too).
    """
    if data_through is None or pd.isna(data_through):
        return 0.0
    return time_progress(period_end(int(data_through)))


def _with_period_progress(frame: pd.DataFrame) -> pd.DataFrame:
    """Add ``period_progress`` and ``period_gap`` = attainment − period_progress to every row."""
    progress = [period_progress(value) for value in frame["data_through"]]
    frame["period_progress"] = pd.Series(progress, index=frame.index, dtype=float)
    frame["period_gap"] = frame["attainment"] - frame["period_progress"]
    return frame


def _check_phasing(ctx: Context) -> None:
    if ctx.settings.budget_phasing != "even":
        raise ValueError(f"unsupported budget phasing {ctx.settings.budget_phasing!r}")


def _ignored(ctx: Context, entity: str) -> set[str]:
    return set(build_predicate(ctx.scope, ctx.filters, "x", entity).ignored_filters)


def budget_basis(ctx: Context) -> BudgetBasis:
    """The denominator that honours the viewer's scope and filters as far as revenue does.

    'budget' when the budget follows everything revenue follows (company or
    branch scope; branch and product filters); 'target' when a team or owner
    (scope or filter) is selected and nothing the targets lack (product) is,
    so the selected account managers' targets are the denominator; otherwise
    'none': no ratio is computed rather than one against a wider budget.
    """
    revenue = _ignored(ctx, "revenue")
    if ctx.scope.level not in ("team", "owner") and _ignored(ctx, "budget") <= revenue:
        return "budget"
    return "target" if _ignored(ctx, "target") <= revenue else "none"


def budget_unfollowed(ctx: Context) -> list[str]:
    """The filters the budget lines cannot follow although revenue does (teams, owners)."""
    return sorted(_ignored(ctx, "budget") - _ignored(ctx, "revenue"))


def budget_attainment(ctx: Context, *, through_period: int | None = None) -> pd.DataFrame:
    """One row per level (overall, product, branch, branch_product) for as_of's year.

    ``budget_basis`` on every row says what budget_annual is (see :func:`budget_basis`).
    ``time_progress``/``progress_gap`` are metrics.md's (to as_of); ``period_progress``/
    ``period_gap`` compare like with like (to the end of data_through) and are what
    the headlines show (see :func:`period_progress`).
    """
    _check_phasing(ctx)
    frame = revenue(ctx).query(
        "budget_attainment",
        year=ctx.as_of.year,
        as_of_period=through_period or period_of(ctx.as_of),
        time_progress=time_progress(ctx.as_of),
        budget_basis=budget_basis(ctx),
    )
    return _with_period_progress(frame.astype({c: float for c in NUMBERS}))


def overall_attainment(ctx: Context) -> dict:
    """The overall row of :func:`budget_attainment` as a dict."""
    return overall_row(budget_attainment(ctx))


def overall_row(frame: pd.DataFrame) -> dict:
    """The overall row of a :func:`budget_attainment` frame as a dict ({} when it has none)."""
    row = frame[frame["level"] == "overall"]
    return row.to_dict("records")[0] if len(row) else {}


def revenue_monthly(
    ctx: Context, *, through_period: int | None = None, year: int | None = None
) -> pd.DataFrame:
    """One row per month of as_of's year (or ``year``: next year's budget for the forecast horizons):
    actual and phased budget, each also cumulative."""
    _check_phasing(ctx)
    frame = revenue(ctx).query(
        "revenue_monthly",
        year=year or ctx.as_of.year,
        through_period=through_period or period_of(ctx.as_of),
        budget_basis=budget_basis(ctx),
    )
    return frame.astype({c: float for c in ("actual", "budget", "actual_cumulative", "budget_cumulative")})


def revenue_ignored_filters(ctx: Context) -> list[str]:
    """Chosen filters revenue and budget cannot follow (they are kept by branch, product, team, owner)."""
    return list(build_predicate(ctx.scope, ctx.filters, "r", "revenue").ignored_filters)
