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
from analytics.forecast import kept

__all__ = [
    "SlipDistribution",
    "deal_names",
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
    return ctx.query("win_rates_by_stage_kept" if kept.keeps_state(ctx) else "win_rates_by_stage")


def open_pipeline(ctx: Context) -> pd.DataFrame:
    """One row per open opportunity in scope with its line, p(o), close_month, m(o) and
    expected_revenue, without its names (forecast_pipeline_lines.sql; :func:`deal_names`
    names the few a page shows), read from the open deals the load keeps (kept.py).  A context
    reading a past snapshot's state gets the simulation's columns only
    (forecast_window_deals.sql: that state holds no key label, stage or owner)."""
    if not kept.keeps_state(ctx):
        return ctx.query("forecast_window_deals")
    return kept.state(ctx, kept.OPEN_DEALS).query("forecast_pipeline_lines")


NAME_SLOTS = 16
"""forecast_deal_names_kept's :deal_0 ... :deal_15 (unused ones null)."""


def deal_names(ctx: Context, ids: list[str]) -> pd.DataFrame:
    """name, customer_name and owner_name of the open deals ``ids`` in scope (a few: the top
    contributors and key deals), from the open deals kept at load, or from the state this
    context reads (a past snapshot's: forecast_deal_names)."""
    query = "forecast_deal_names_kept" if kept.reads_kept(ctx, kept.OPEN_DEALS) else "forecast_deal_names"
    frames = []
    for start in range(0, len(ids), NAME_SLOTS):
        chunk = list(ids[start : start + NAME_SLOTS])
        slots = {f"deal_{i}": chunk[i] if i < len(chunk) else None for i in range(NAME_SLOTS)}
        frames.append(ctx.query(query, **slots))
    columns = ["opportunity_id", "name", "customer_name", "owner_name"]
    return pd.concat(frames, ignore_index=True)[columns] if frames else pd.DataFrame(columns=columns)


def slip_distribution(ctx: Context) -> SlipDistribution:
    """The historical slip distribution (months), or no slip when nothing is known."""
    frame = kept.state(ctx, kept.WON_SUMS).query("forecast_slips")
    if frame.empty:
        return SlipDistribution.none()
    deals = frame["deals"].to_numpy(dtype=float)
    return SlipDistribution(
        frame["slip_months"].to_numpy(dtype=np.int64), deals / deals.sum(), int(deals.sum())
    )
