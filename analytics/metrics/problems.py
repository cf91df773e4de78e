"""Problem opportunities: open and overdue, stale, idle or abnormal (metrics.md).

The reasons are defined once, in the ``_problem_flags.sql`` fragment, which the
list, the groups and the explorer's labels all include.
"""

from __future__ import annotations

from datetime import timedelta

import pandas as pd

from analytics.context import Context


def problem_params(ctx: Context) -> dict:
    """The windows the problem reasons need, computed here and bound as parameters."""
    settings = ctx.settings
    return {
        "idle_since": ctx.as_of - timedelta(days=settings.idle_days),
        "stale_window_start": ctx.as_of - timedelta(days=settings.stale_window_days),
    }


def problem_opportunities(ctx: Context) -> pd.DataFrame:
    """One row per problem opportunity in scope, reasons as boolean columns."""
    return ctx.query("problem_opportunities", **problem_params(ctx))


def problem_groups(ctx: Context) -> pd.DataFrame:
    """Problem opportunities per owner and per team: counts, value_at_risk, per reason."""
    return ctx.query("problem_groups", **problem_params(ctx))
