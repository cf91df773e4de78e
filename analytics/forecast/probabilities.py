"""Win probabilities p(o), stage rates and the slip distribution, from SQL.

All three are learnt from the company's own history, company-wide, so the
probability of a deal never changes with who is looking; only the set of open
deals returned follows the viewer's scope.  The look-back window is computed
here and bound, which keeps date arithmetic out of the SQL dialect question.
p(o)'s parameters and its per-deal query live one layer down, in
:mod:`analytics.blocks.probability`, because the workload coverage uses them
too; they are re-exported here for the forecast's callers.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from analytics.blocks.probability import win_probabilities
from analytics.context import Context

__all__ = [
    "SlipDistribution",
    "open_pipeline",
    "slip_distribution",
    "stage_win_rates",
    "win_probabilities",
]


@dataclass(frozen=True)
class SlipDistribution:
    """Close-date slips in months and their probabilities (sums to 1)."""

    months: np.ndarray
    weights: np.ndarray
    deals: int

    @classmethod
    def none(cls) -> SlipDistribution:
        """No history: every deal closes in its expected month."""
        return cls(np.array([0]), np.array([1.0]), 0)


def stage_win_rates(ctx: Context) -> pd.DataFrame:
    """One row per stage: closed deals that reached it, wins, stage_rate, median cycle."""
    return ctx.query("win_rates_by_stage")


def open_pipeline(ctx: Context) -> pd.DataFrame:
    """One row per open opportunity in scope with p(o), close_month, m(o), expected_revenue."""
    return ctx.query("forecast_pipeline")


def slip_distribution(ctx: Context) -> SlipDistribution:
    """The historical slip distribution (months), or no slip when nothing is known."""
    frame = ctx.query("forecast_slips")
    if frame.empty:
        return SlipDistribution.none()
    deals = frame["deals"].to_numpy(dtype=float)
    return SlipDistribution(
        frame["slip_months"].to_numpy(dtype=np.int64), deals / deals.sum(), int(deals.sum())
    )
