"""Revenue summed at load per branch x product x period, read where it answers (issue 19).

Every revenue line carries its owner, whose team comes from the org
(stg_revenue), so a question about a team or an account manager needs the
lines.  A question about the company, a branch or a product does not: the load's
derived step keeps the company's revenue per branch x product x period
(cache_forecast_revenue, build_forecast_revenue.sql) and the queries read those
few thousand rows through stand-in fragments (queries ``swap``) instead of
millions of lines joined to the org: budget attainment's actuals
(revenue_amounts), and the forecast's run-rate and history (revenue_periods,
revenue_line_periods; analytics/forecast/kept.py).
"""

from __future__ import annotations

from dataclasses import replace

from analytics.context import Context
from analytics.queries import Swap

REVENUE: Swap = (
    ("revenue_amounts", "revenue_amounts_cached"),
    ("revenue_periods", "revenue_periods_cached"),
    ("revenue_line_periods", "revenue_line_periods_cached"),
)
"""The revenue fragments and their stand-ins over cache_forecast_revenue."""
NOT_IN_REVENUE_SUMS = frozenset({"teams", "owners"})
"""Filters on revenue the kept sums cannot follow: their rows carry branch and product only."""


def revenue_sums_answer(ctx: Context) -> bool:
    """Whether cache_forecast_revenue's rows answer this question's revenue: a scope of the
    company or a branch (or nothing) and no team or owner filter (the other filters do not
    apply to revenue at all: attainment.revenue_ignored_filters)."""
    return ctx.scope.level in ("company", "branch", "nothing") and not (
        set(ctx.filters.active()) & NOT_IN_REVENUE_SUMS
    )


def with_swap(ctx: Context, swap: Swap) -> Context:
    """``ctx`` reading ``swap``'s stand-ins as well as its own."""
    held = dict(ctx.swap)
    return replace(ctx, swap=ctx.swap + tuple(pair for pair in swap if pair[0] not in held))


def revenue(ctx: Context) -> Context:
    """``ctx`` reading the kept revenue sums where they answer it (:func:`revenue_sums_answer`)."""
    return with_swap(ctx, REVENUE) if revenue_sums_answer(ctx) else ctx
