"""A line manager's team (团队): key deals and support requests waiting for an answer.

Support requests still open on deals already closed are not waiting for
anything: they are listed apart, as a data question.

The members' scorecards come from :mod:`analytics.metrics.workload` and the
problem deals from :mod:`analytics.metrics.problems`; this module adds the two
lists only the team page needs.  Both follow the viewer's scope and filters,
so a page narrows them to one team with the ``teams`` filter.
"""

from __future__ import annotations

import pandas as pd

from analytics.context import Context


def team_key_deals(ctx: Context) -> pd.DataFrame:
    """Open key opportunities in scope: reasons, p(o), expected value, open support requests."""
    return ctx.query("workload_key_deals")


def support_waiting(ctx: Context) -> pd.DataFrame:
    """Support requests open at as_of on OPEN opportunities in scope, longest wait first.

    A request on a deal already won or lost waits for nothing; it is a data
    question (:func:`support_on_closed_deals`), not part of the queue.
    """
    return ctx.query("workload_support_waiting")


def support_on_closed_deals(ctx: Context) -> pd.DataFrame:
    """Support requests still open at as_of on deals already closed: a data question, listed apart."""
    return ctx.query("support_on_closed_deals")
