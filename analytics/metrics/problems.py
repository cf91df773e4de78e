"""Problem opportunities: open and overdue, stale, idle or abnormal (metrics.md)."""

from __future__ import annotations

from datetime import timedelta

import pandas as pd

from analytics.context import Context


def problem_opportunities(ctx: Context) -> pd.DataFrame:
    """One row per problem opportunity in scope, reasons as boolean columns."""
    settings = ctx.settings
    return ctx.query(
        "problem_opportunities",
        idle_since=ctx.as_of - timedelta(days=settings.idle_days),
        stale_window_start=ctx.as_of - timedelta(days=settings.stale_window_days),
    )
