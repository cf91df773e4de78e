"""What the load keeps for the forecast, read in place of the from-scratch queries (issue 19).

At a million opportunities the 收入预测 page spent seconds on its own SQL: the
open deals' p(o) computed over the opportunity state, the won deals joined to
their first open snapshot (slips and value ratio), and every revenue line joined
to the org and the contracts for the run-rate and its history.  The load's
derived step (derived.refresh_newest) keeps each as a table built once per data
version, and the forecast's queries read it through a stand-in fragment
(queries ``swap``) where that gives the same rows:

* ``cache_open_deals`` (already kept for the problem lists): the open deals with
  p(o) from the same fragment; every scope and filter is a WHERE on its rows;
* ``cache_forecast_won_sums``: the won deals' slips and values summed per slip,
  company-wide like p(o), so no viewer's question changes them;
* ``cache_forecast_revenue``: revenue per branch x product x period, whose rows
  answer a branch scope and branch or product filters; a team or account manager
  (scope or filter) reads the revenue lines, which carry the owner's team.

A context already reading another state (the frozen forecast of a past snapshot:
freeze.PAST_STATE) keeps its own state: the deals and won sums kept at load are
the newest snapshot's, so only the revenue sums, which do not depend on as_of,
stand in there.
"""

from __future__ import annotations

from dataclasses import replace

from analytics.context import Context
from analytics.queries import Swap

OPEN_DEALS: Swap = (("forecast_deal_rows", "forecast_deal_rows_cached"),)
"""The forecast's open deals from cache_open_deals."""
WON_SUMS: Swap = (("forecast_won_sums", "forecast_won_sums_cached"),)
"""The slips and value ratio's sums from cache_forecast_won_sums."""
REVENUE: Swap = (
    ("revenue_periods", "revenue_periods_cached"),
    ("revenue_line_periods", "revenue_line_periods_cached"),
)
"""The run-rate's periods and revenue sums from cache_forecast_revenue."""
KEPT = (*OPEN_DEALS, *WON_SUMS, *REVENUE)
NOT_IN_REVENUE_SUMS = frozenset({"teams", "owners"})
"""Filters on revenue the kept sums cannot follow: their rows carry branch and product only."""


def revenue_sums_answer(ctx: Context) -> bool:
    """Whether cache_forecast_revenue's rows answer this question's revenue: a scope of the
    company or a branch (or nothing) and no team or owner filter (the other filters do not
    apply to revenue at all: metrics.attainment.revenue_ignored_filters)."""
    return ctx.scope.level in ("company", "branch", "nothing") and not (
        set(ctx.filters.active()) & NOT_IN_REVENUE_SUMS
    )


def _with(ctx: Context, swap: Swap) -> Context:
    """``ctx`` reading ``swap``'s stand-ins as well as its own."""
    held = dict(ctx.swap)
    return replace(ctx, swap=ctx.swap + tuple(pair for pair in swap if pair[0] not in held))


def revenue(ctx: Context) -> Context:
    """``ctx`` reading the kept revenue sums where they answer it (:func:`revenue_sums_answer`)."""
    return _with(ctx, REVENUE) if revenue_sums_answer(ctx) else ctx


def keeps_state(ctx: Context) -> bool:
    """Whether ``ctx`` may read what the load keeps of as_of's state: not when it reads
    another state (a past snapshot's freeze swaps in its own)."""
    return all(pair in KEPT for pair in ctx.swap)


def state(ctx: Context, swap: Swap) -> Context:
    """``ctx`` reading what the load keeps of as_of's state (``swap``: OPEN_DEALS, WON_SUMS),
    unless it reads another state (:func:`keeps_state`)."""
    return _with(ctx, swap) if keeps_state(ctx) else ctx


def reads_kept(ctx: Context, swap: Swap) -> bool:
    """Whether :func:`state` gives ``ctx`` the stand-ins of ``swap``."""
    return all(pair in state(ctx, swap).swap for pair in swap)
