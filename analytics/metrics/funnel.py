"""Stage reached and the funnel (metrics.md, Stage reached; Funnel).

The funnel arithmetic lives in one SQL fragment (``_funnel_steps.sql``) used by
the whole-cohort funnel and by the breakdown per segment, so a segment's
conversion is computed exactly like the total's.  The cohort window is decided
here, in Python, and bound as parameters (window arithmetic stays out of SQL).
"""

from __future__ import annotations

import pandas as pd

from analytics.blocks.binds import cohort_window as cohort_window  # the funnel's window, shown by its pages
from analytics.blocks.stages import WON_STAGE
from analytics.context import Context

DIMENSIONS = ("product", "industry", "campaign", "branch", "origin", "class")
"""The breakdown's dimensions, also the only values funnel_opportunities accepts."""

WON = "won"
"""The funnel's last bar: the cohort's won opportunities."""

TOTAL_FIELDS = (
    "won",
    "won_value",
    "lost",
    "lost_value",
    "terminated",
    "terminated_value",
    "closed",
    "closed_value",
    "win_rate_cohort",
    "win_rate_closed",
    "cohort_start",
    "cohort_end",
)


def funnel(ctx: Context) -> pd.DataFrame:
    """One row per stage 0-4: stage, reached, reached_value, conversion, and the totals."""
    return ctx.query("funnel_conversion")


def funnel_totals(frame: pd.DataFrame) -> dict:
    """The cohort's totals (won, closed, win rates, window) from a :func:`funnel` frame."""
    first = frame.iloc[0]
    totals = {name: first[name] for name in TOTAL_FIELDS}
    totals["cohort"] = int(first["reached"])
    totals["cohort_value"] = float(first["reached_value"])
    return totals


def funnel_breakdown(ctx: Context) -> pd.DataFrame:
    """One row per dimension × segment × stage: reached, conversion, weakest_step, totals."""
    return ctx.query("funnel_breakdown")


def funnel_opportunities(
    ctx: Context, stage: int | str, dimension: str | None = None, segment: str | None = None
) -> pd.DataFrame:
    """The cohort opportunities behind a funnel bar (stage k, or 'won') or a breakdown cell.

    ``dimension``/``segment`` narrow to one segment (segment None = "not given").
    """
    if dimension is not None and dimension not in DIMENSIONS:
        raise ValueError(f"unknown dimension {dimension!r}")
    won_only = stage == WON
    reached = WON_STAGE if won_only else int(stage)
    if not 0 <= reached <= WON_STAGE:
        raise ValueError(f"stage must be 0..{WON_STAGE} or {WON!r}")
    return ctx.query(
        "funnel_opportunities",
        reached_stage=reached,
        won_only=won_only,
        dimension=dimension,
        segment=segment,
    )
