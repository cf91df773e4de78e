"""Problem opportunities: open and overdue, stale, idle or abnormal (metrics.md).

The reasons are defined once, in the ``_problem_flags.sql`` fragment, which the
list, the groups and the explorer's labels all include; its windows (idle,
overdue, stale) are bound from the question by ``blocks.binds``.
"""

from __future__ import annotations

import pandas as pd

from analytics.context import Context


def problem_opportunities(ctx: Context, limit: int | None = None) -> pd.DataFrame:
    """One row per problem opportunity in scope, reasons as boolean columns (the first
    ``limit`` in the list's order, key first then by value, when given)."""
    return ctx.query("problem_opportunities", row_limit=limit)


def top_problem_opportunities(ctx: Context) -> pd.DataFrame:
    """The first ``problem_list_rows`` problem opportunities: what a page lists.

    A company-wide list at a million opportunities has a hundred thousand rows,
    more than anyone reads and seconds to move; counts come from problem_groups.
    """
    return problem_opportunities(ctx, ctx.settings.problem_list_rows)


def problem_groups(ctx: Context) -> pd.DataFrame:
    """Problem opportunities per owner and per team: counts, value_at_risk, per reason."""
    return ctx.query("problem_groups")
