"""A line manager's team (团队): key deals and support requests waiting for an answer.

The members' scorecards come from :mod:`analytics.metrics.workload` and the
problem deals from :mod:`analytics.metrics.problems`; this module adds the two
lists only the team page needs.  Both follow the viewer's scope and filters,
so a page narrows them to one team with the ``teams`` filter.
"""

from __future__ import annotations

import pandas as pd

from analytics.blocks.probability import history_params
from analytics.context import Context
from analytics.metrics.problems import problem_params


def team_key_deals(ctx: Context) -> pd.DataFrame:
    """Open key opportunities in scope: reasons, p(o), expected value, open support requests."""
    return ctx.query("workload_key_deals", **problem_params(ctx), **history_params(ctx))


def support_waiting(ctx: Context) -> pd.DataFrame:
    """Support requests open at as_of on opportunities in scope, longest wait first."""
    return ctx.query("workload_support_waiting")
