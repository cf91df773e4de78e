"""Problem opportunities: open and overdue, stale, idle or abnormal (metrics.md).

The reasons are defined once, in the ``_problem_flags.sql`` fragment, which the
list, the groups and the explorer's labels all include.
"""

from __future__ import annotations

from datetime import timedelta

import pandas as pd

from analytics.blocks.stages import stale_window_start
from analytics.context import Context


def problem_params(ctx: Context) -> dict:
    """The windows the problem reasons need, computed here and bound as parameters."""
    settings = ctx.settings
    return {
        "idle_since": ctx.as_of - timedelta(days=settings.idle_days),
        "overdue_before": ctx.as_of - timedelta(days=settings.overdue_grace_days),
        "stale_window_start": stale_window_start(ctx.as_of, settings),
    }


def problem_opportunities(ctx: Context, limit: int | None = None) -> pd.DataFrame:
    """One row per problem opportunity in scope, reasons as boolean columns (the first
    ``limit`` in the list's order, key first then by value, when given)."""
    return ctx.query("problem_opportunities", row_limit=limit, **problem_params(ctx))


def top_problem_opportunities(ctx: Context) -> pd.DataFrame:
    """The first ``problem_list_rows`` problem opportunities: what a page lists.

    A company-wide list at a million opportunities has a hundred thousand rows,
    more than anyone reads and seconds to move; counts come from problem_groups.
    """
    return problem_opportunities(ctx, ctx.settings.problem_list_rows)


def problem_groups(ctx: Context) -> pd.DataFrame:
    """Problem opportunities per owner and per team: counts, value_at_risk, per reason."""
    return ctx.query("problem_groups", **problem_params(ctx))
