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
  (scope or filter) reads the revenue lines, which carry the owner's team
  (analytics/metrics/revenue_sums.py: budget attainment reads them too).

A context already reading another state (the frozen forecast of a past snapshot:
freeze.PAST_STATE) keeps its own state: the deals and won sums kept at load are
the newest snapshot's, so only the revenue sums, which do not depend on as_of,
stand in there.
"""

from __future__ import annotations

from analytics.context import Context
from analytics.metrics.revenue_sums import REVENUE, revenue, revenue_sums_answer, with_swap
from analytics.queries import Swap

__all__ = ["KEPT", "OPEN_DEALS", "REVENUE", "WON_SUMS", "keeps_state", "reads_kept", "revenue"]
__all__ += ["revenue_sums_answer", "state"]

OPEN_DEALS: Swap = (("forecast_deal_rows", "forecast_deal_rows_cached"),)
"""The forecast's open deals from cache_open_deals."""
WON_SUMS: Swap = (("forecast_won_sums", "forecast_won_sums_cached"),)
"""The slips and value ratio's sums from cache_forecast_won_sums."""
KEPT = (*OPEN_DEALS, *WON_SUMS, *REVENUE)
"""Every stand-in of what the load keeps (a context reading only these reads as_of's state)."""


def keeps_state(ctx: Context) -> bool:
    """Whether ``ctx`` may read what the load keeps of as_of's state: not when it reads
    another state (a past snapshot's freeze swaps in its own)."""
    return all(pair in KEPT for pair in ctx.swap)


def state(ctx: Context, swap: Swap) -> Context:
    """``ctx`` reading what the load keeps of as_of's state (``swap``: OPEN_DEALS, WON_SUMS),
    unless it reads another state (:func:`keeps_state`)."""
    return with_swap(ctx, swap) if keeps_state(ctx) else ctx


def reads_kept(ctx: Context, swap: Swap) -> bool:
    """Whether :func:`state` gives ``ctx`` the stand-ins of ``swap``."""
    return all(pair in state(ctx, swap).swap for pair in swap)
